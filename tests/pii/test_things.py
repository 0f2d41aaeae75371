"""Guessed names that a conversation uses as things' names are dropped and not
propagated (transforms/pii/things.py); people in the same positions stay.
Real model, real engine; the product names here are in no list of the code."""

import pytest
from presidio_analyzer import RecognizerResult

from transforms.pii.lexicon import EMPTY
from transforms.pii.things import is_guess, thing_values


def people(engine, texts):
    detections = engine.detect(texts, engine.analyze_texts(texts))
    return [
        t[r.start : r.end]
        for t, d in zip(texts, detections, strict=True)
        for r in d
        if r.entity_type == "PERSON"
    ]


def guess(start, end, recognizer="NerPersonRecognizer"):
    return RecognizerResult(
        "PERSON", start, end, 0.85, recognition_metadata={"recognizer_name": recognizer}
    )


def values(texts, names, lexicon=EMPTY):
    detections = [[guess(t.index(n), t.index(n) + len(n)) for n in names if n in t] for t in texts]
    return thing_values(texts, detections, lexicon)


@pytest.mark.parametrize(
    "text, name",
    [
        ("we deploy to Fenwick every night", "Fenwick"),
        ("the app is written in Tolvar and runs fine", "Tolvar"),
        ("how do I export my notes from Quillory to Markly?", "Quillory"),
        ("Brindle's API returns 500 on every call", "Brindle"),
        ("open brindle.io and log in", "brindle"),
        ("Corvane has no free tier", "Corvane"),
        ("Is Pelloza worth it for a family?", "Pelloza"),
        ("Mirrowby keeps crashing on my phone", "Mirrowby"),
        ("Saltmere is a great note-taking tool", "Saltmere"),
        ("Tarnwick vs Olleby for analytics?", "Tarnwick"),
        ("the kickoff for Project Ardent is on Monday", "Ardent"),
        ("# Ardent Rollout Plan\n\nsteps below", "Ardent"),
        ("summarise the Long March and Ravenholm in two lines", "Ravenholm"),
        ("Compare Glimmick and Dovetail for a startup", "Glimmick"),
    ],
)
def test_thing_positions(pii_engine, text, name):
    assert values([text], [name], pii_engine.detector._lexicon) == {name}


@pytest.mark.parametrize(
    "text, name",
    [
        ("I had lunch with Oyelaran yesterday", "Oyelaran"),
        ("ask Kowalczyk about the invoice", "Kowalczyk"),
        ("Unlike the Dratchev novel, this one is short", "Dratchev"),
        ("It may be that Brennick was right", "Brennick"),
        ("I moved in with Thandeka last year", "Thandeka"),
        ("Yes, Oyelaran and Mbeki are coming", "Oyelaran"),
        ("in Tamsin's car there is a map", "Tamsin"),
        ("# Letter to Tamsin\n\nkeep it short", "Tamsin"),
    ],
)
def test_person_positions_are_no_evidence(pii_engine, text, name):
    assert values([text], [name], pii_engine.detector._lexicon) == frozenset()


def test_a_person_cue_anywhere_vetoes_the_thing_reading():
    texts = ["my sister Orlaith is visiting", "we deploy to Orlaith now?"]
    assert values(texts, ["Orlaith"]) == frozenset()


def test_a_thing_in_one_message_clears_the_guesses_in_all():
    texts = ["Quorra looks nice", "Quorra has templates too", "Quorra it is"]
    assert values(texts, ["Quorra"]) == {"Quorra"}


def test_coordination_spreads_from_a_thing_only():
    assert values(["use Hexley, Drummock and Pavo"], ["Hexley", "Drummock"]) == {
        "Hexley",
        "Drummock",
    }
    assert values(["Compare Lantigo and Brisket for a startup"], ["Brisket"]) == {"Brisket"}
    assert values(["Oyelaran, Mbeki and Castellanos are here"], ["Oyelaran"]) == frozenset()


def test_announced_names_are_never_judged():
    cue = guess(13, 19, "PersonCueRecognizer")
    assert not is_guess(cue)
    assert thing_values(["we deploy to Fenwic"], [[cue]], EMPTY) == frozenset()
    assert is_guess(guess(0, 3))


def test_products_are_not_redacted_in_a_conversation(pii_engine):
    texts = [
        "I'm choosing between Quillory and Notion for my team of five.",
        "Quillory has templates and a free tier; Quillory's API is simple.",
        "Great, can Quillory sync with Slack? I'll deploy to Quillory next week.",
    ]
    assert people(pii_engine, texts) == []


def test_people_in_the_same_conversation_stay_redacted(pii_engine):
    texts = [
        "My colleague Thandeka Mokoena set up Quillory for us.",
        "Quillory has templates; Thandeka likes them.",
    ]
    found = people(pii_engine, texts)
    assert "Thandeka Mokoena" in found and "Thandeka" in found
    assert "Quillory" not in found

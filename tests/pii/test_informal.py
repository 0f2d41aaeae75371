"""Informal names: hashtags and camel case, shouted text, lowercase names after
relation words and titles, line-ups and lowercase lists. Real model, real engine."""

import pytest

from transforms.pii.lexicon import Lexicon
from transforms.pii.recognizers.informal import recased

FOUND = [
    ("so proud of #JaneDoeTalks this week", "JaneDoe"),
    ("go #teamkwamemensah", "kwamemensah"),
    ("big thanks to VikramVasquez for the tips", "VikramVasquez"),
    ("MY SISTER ROSE IS COMING TO THE WEDDING", "ROSE"),
    ("my sister rose is visiting next week", "rose"),
    ("my friend mark said the fix works", "mark"),
    ("dr patel says I should rest", "patel"),
    ("my cousin Georgia wants to learn python", "Georgia"),
    ("tonight's line-up: Oyelaran, Castellanos, Kowalczyk and Mbeki", "Oyelaran"),
    ("lol zainab and piotr are coming too", "zainab"),
    ("congrats to #TeodoraWiebmaier on the new job", "TeodoraWiebmaier"),
    ("prof oyelaran says I should rest", "oyelaran"),
    ("my friend yaroslav drives us", "yaroslav"),
    ("Write a toast for Savannah and Orla, they are getting married", "Savannah"),
]
KEPT = [
    "#ThrowbackThursday #MachineLearning #MondayMotivation",
    "WARNING: DO NOT TURN OFF THE COMPUTER WHILE UPDATING",
    "my sister rose to the occasion",
    "mark the date, will you?",
    "we visited Lisbon, Porto and Faro",
    "ReactNative vs FlutterFlow for a startup?",
    "Is Visual Studio Code or JetBrains PyCharm better?",
    "I use TensorFlow, NumPy, TikTok and HuggingFace",
    "my friend tho is always late lol",
    "write a toast for Paris and London, our two offices",
    "prof said the exam is hard",
]


@pytest.mark.parametrize("text, name", FOUND)
def test_informal_names_are_found(found, text, name):
    assert any(e == "PERSON" and name in v for e, v in found(text))


@pytest.mark.parametrize("text", KEPT)
def test_ordinary_hashtags_shouting_and_words_stay(found, text):
    assert [v for e, v in found(text) if e == "PERSON"] == []


def test_a_lowercase_name_stops_before_the_next_word(found):
    assert ("PERSON", "nnamdi") in found("my friend nnamdi drives")


def test_recasing_keeps_offsets_and_acronyms(pii_engine):
    lexicon = pii_engine.detector._lexicon
    text = "PLEASE EMAIL ORLA ESTERHAZY ABOUT THE AWS INVOICE"
    view = recased(text, lexicon)
    assert len(view) == len(text) and view.startswith("Please email Orla Esterhazy")
    assert "AWS" in view
    assert recased("no capitals here", lexicon) == "no capitals here"
    assert recased("SHOUT IT OUT", Lexicon()) == "SHOUT IT OUT"  # no lexicon: as it is

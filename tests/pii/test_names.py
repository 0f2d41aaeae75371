"""Names the NER model misses, and words it takes for names: the lexicon of
given names and surnames (Faker's lists) and of English words (the model's
WordNet index), as the person recognizers use it. Real model, real engine."""

import pytest

from transforms.pii.lexicon import Lexicon, faker_names


def test_lexicon_holds_names_of_many_locales_and_english_words(pii_engine):
    given, family = faker_names()
    assert {"Samantha", "Enrico", "Mette", "Virpi"} <= given
    assert {"Garcia", "Murphy"} <= family
    lexicon = Lexicon.for_model(pii_engine.analyzer.nlp_engine.nlp["en"])
    assert lexicon.ordinary_word("Phone") and lexicon.ordinary_word("Wisdom")
    assert not lexicon.ordinary_word("Scott")  # an English word, and a name
    assert not lexicon.ordinary_word("Yefremova")  # not an English word


def test_lexicon_without_lemmatizer_knows_no_english_words():
    assert Lexicon().english == frozenset() and not Lexicon().ordinary_word("phone")


@pytest.mark.parametrize(
    "text, name",
    [
        ("Why is Samantha so impulsive?", "Samantha"),  # model: LOC
        ('Enrico shouted at Gary: "What are you doing here?"', "Enrico"),  # model: ORG
        (
            "I want to add Charlotte Mathiassen as a beneficiary to my account",
            "Charlotte Mathiassen",
        ),
        ("Have you been to a Harvey Leach concert before?", "Harvey Leach"),
        ("Mrs. Barbara Yudina Apt. 675 62314 Mellemvej 32 Aalborg", "Barbara Yudina"),
        ("they had 6: silvana, terrence and pamela.", "silvana"),
        ("the true gender of frederikke has been under debate", "frederikke"),
    ],
)
def test_given_names_the_model_misses_are_found(found, text, name):
    assert ("PERSON", name) in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "Will you review my pull request?",  # a verb, at a sentence start
        "May I ask a question about taxes?",
        "Grant access to the bucket for the CI role.",
        "We flew to Paris and then to Victoria.",  # places the model knows
        "Hope this helps, the fix is in the next release.",
        "Hope is a good strategy, but a plan is better.",
        "Capitalized words like Wisdom and Discipline are often mistaken for names.",
        "Mission Statement: This non-profit helps schools.",  # a label, not a speaker
        "git rebase -i HEAD~3 keeps failing.",  # a lowercase guess with no known name
    ],
)
def test_ordinary_words_and_places_are_not_names(found, text):
    assert [value for entity, value in found(text) if entity == "PERSON"] == []


def test_a_leading_ordinary_word_is_not_part_of_a_name(found):
    people = [v for e, v in found("Compare Canva and Trello for a startup.") if e == "PERSON"]
    assert all(not value.startswith("Compare") for value in people)


def test_explicit_cue_takes_a_name_that_is_also_a_word(found):
    assert ("PERSON", "Hope Page") in found("Hi, my name is Hope Page and I need help.")


def test_an_enumeration_of_mostly_names_is_all_names(found):
    people = {
        v
        for e, v in found("They had 6: Efimiya, Mary, Ariana, Isabel, Teresa and Jodi.")
        if e == "PERSON"
    }
    assert {"Efimiya", "Mary", "Ariana", "Isabel", "Teresa", "Jodi"} <= people


def test_enumerated_names_needs_most_items_named():
    from transforms.pii.detection import enumerated_names

    text = "We compared Lisbon, Porto, Faro and Braga with Anna."
    assert enumerated_names(text, [(text.index("Porto"), text.index("Porto") + 5)]) == []
    text = "Ana, Bea, Lisbon and Porto"
    named = [(0, 3), (5, 8)]
    assert enumerated_names(text, named) == []  # two of four is not most
    named.append((text.index("Lisbon"), text.index("Lisbon") + 6))
    assert enumerated_names(text, named) == [(text.index("Porto"), len(text))]

"""Replacement: placeholders, keyed pseudonyms, surrogates; identities per conversation."""

import pickle
import random
import re
from dataclasses import replace

import pytest

from schemas.records import Conversation, Eligible, Message
from transforms.keys import KeyRef, KeyUnavailable
from transforms.pii.allow import AllowList
from transforms.pii.config import load_pii_config
from transforms.pii.engine import PiiEngine
from transforms.pii.operators import PlaceholderBook, derive_key, pseudonym, surrogate
from transforms.pii.residual import CHECKS, residual_findings

KEY = b"test-record-id-key-0123456789"
KEY_ENV = "PII_TEST_RECORD_ID_KEY"  # the key is given by reference, as the pipeline gives it


def placeholder(_):
    return "placeholder"


def book_with(*values, operator=placeholder, key=b""):
    book = PlaceholderBook(operator, key)
    for entity, value in values:
        book.register(entity, value)
    return book


def test_mentions_of_one_person_share_a_placeholder_in_either_order():
    book = book_with(
        ("PERSON", "Maria"),
        ("PERSON", "Maria Gonzalez"),
        ("PERSON", "maria"),
        ("PERSON", "Tom Berg"),
    )
    assert {book.replace("PERSON", v)[0] for v in ("Maria", "Maria Gonzalez", "maria")} == {
        "<PERSON_1>"
    }
    assert book.replace("PERSON", "Tom Berg")[0] == "<PERSON_2>"


def test_numbers_are_one_value_whatever_their_spacing():
    book = book_with(("PHONE_NUMBER", "+44 20 7946 0321"), ("PHONE_NUMBER", "+44-20-7946-0321"))
    assert book.replace("PHONE_NUMBER", "+44-20-7946-0321")[0] == "<PHONE_NUMBER_1>"


def test_hmac_pseudonyms_are_keyed_stable_and_not_the_value():
    key = derive_key(KEY)
    first = pseudonym(key, "EMAIL_ADDRESS", "maria@fastmail.com")
    assert first == pseudonym(key, "EMAIL_ADDRESS", "MARIA@fastmail.com ")
    assert first != pseudonym(
        derive_key(b"another-key-0123456789"), "EMAIL_ADDRESS", "maria@fastmail.com"
    )
    assert first.startswith("<EMAIL_ADDRESS_") and "maria" not in first


@pytest.mark.parametrize(
    "entity, value",
    [
        ("EMAIL_ADDRESS", "maria@fastmail.com"),
        ("PHONE_NUMBER", "+44 20 7946 0321"),
        ("IP_ADDRESS", "81.2.69.142"),
        ("CREDIT_CARD", "4532 0151 1283 0366"),
        ("IBAN_CODE", "DE89 3704 0044 0532 0130 00"),
        ("US_SSN", "460-89-9847"),
    ],
)
def test_surrogates_are_realistic_but_never_valid(entity, value):
    allow = load_pii_config().allow_list
    stand_in = surrogate(derive_key(KEY), entity, value)
    assert stand_in and stand_in != value
    if entity == "PHONE_NUMBER":  # fictional 555-01xx: well-formed, so only the masking
        assert "555-01" in stand_in  # of replacements keeps it out of the residual check
    else:
        assert residual_findings([stand_in], list(CHECKS), allow) == []


def test_secrets_have_no_surrogate():
    assert surrogate(derive_key(KEY), "API_KEY", "sk-whatever") is None


def conversation(*texts):
    return Eligible(
        Conversation(
            "c",
            "chatgpt_free",
            0,
            tuple(Message(("user", "assistant")[i % 2], t) for i, t in enumerate(texts)),
            user_id="u",
        )
    )


def test_operators_from_config_and_the_key(pii_engine, monkeypatch):
    monkeypatch.setenv(KEY_ENV, KEY.decode())
    config = replace(
        pii_engine.config,
        pseudonym_key_ref=KeyRef("env", KEY_ENV),
        operators={"PERSON": "surrogate", "EMAIL_ADDRESS": "hmac"},
    )
    engine = PiiEngine(config, analyzer=pii_engine.analyzer)
    texts = ("My name is Maria Gonzalez, mail maria@fastmail.com", "Sure Maria.")
    [first] = engine.redact_batch([conversation(*texts)])
    [again] = engine.redact_batch([conversation(*texts)])
    assert first == again
    content = " ".join(m.content for m in first.messages)
    assert "Maria" not in content and "maria@" not in content
    assert "<EMAIL_ADDRESS_" in content and "<PERSON_" not in content
    assert {r.operator for r in first.redactions} == {"surrogate", "hmac"}


def test_keyed_operators_need_the_key(pii_engine, monkeypatch):
    config = replace(pii_engine.config, operators={"PERSON": "hmac"}, pseudonym_key_ref=None)
    with pytest.raises(ValueError, match="record-id key"):
        PiiEngine(config, analyzer=pii_engine.analyzer)
    monkeypatch.delenv(KEY_ENV, raising=False)
    with pytest.raises(KeyUnavailable, match=KEY_ENV):  # resolved when the engine is built
        PiiEngine(
            replace(config, pseudonym_key_ref=KeyRef("env", KEY_ENV)), analyzer=pii_engine.analyzer
        )


def test_the_config_holds_where_the_key_is_never_the_key(tmp_path):
    key_file = tmp_path / "record-id.key"
    key_file.write_bytes(KEY + b"\n")
    config = replace(
        load_pii_config(),
        pseudonym_key_ref=KeyRef("file", str(key_file)),
        operators={"PERSON": "hmac"},
    )
    for shipped in (repr(config).encode(), pickle.dumps(config)):
        assert KEY not in shipped and KEY.hex().encode() not in shipped
        assert str(key_file).encode() in shipped


def test_unknown_operators_are_refused(tmp_path):
    path = tmp_path / "pii.yaml"
    path.write_text("version: t\nentities: [PERSON]\noperators: {PERSON: scramble}\n")
    with pytest.raises(ValueError, match="unknown operator"):
        load_pii_config(str(path))


def test_allow_list_matches_domains_networks_values_and_patterns():
    allow = load_pii_config().allow_list
    assert isinstance(allow, AllowList)
    assert allow.permits("EMAIL_ADDRESS", "a.b@mail.example")
    assert allow.permits("EMAIL_ADDRESS", "user@example.com")  # a placeholder address
    assert not allow.permits("EMAIL_ADDRESS", "maria.gonzalez@example.com")
    assert not allow.permits("EMAIL_ADDRESS", "user@examples.com")
    assert allow.permits("IP_ADDRESS", "10.1.2.3") and allow.permits("IP_ADDRESS", "2001:db8::1")
    assert not allow.permits("IP_ADDRESS", "81.2.69.142")
    assert not allow.permits("CREDIT_CARD", "4111-1111-1111-1111")  # test values: redacted
    assert not allow.permits("PHONE_NUMBER", "(415) 555-0123")


def people_by_scanning(values):
    """Placeholder numbers as the book gave them when it compared each new
    name with every person before it."""
    people, numbers = [], []
    for value in values:
        words = {w for w in re.findall(r"\w+", value.casefold()) if len(w) > 1}
        number = next(
            (i for i, known in enumerate(people) if words and (words <= known or known <= words)),
            None,
        )
        if number is None:
            people.append(set(words))
            number = len(people) - 1
        else:
            people[number] |= words
        numbers.append(f"<PERSON_{number + 1}>")
    return numbers


@pytest.mark.parametrize("seed", range(20))
def test_people_are_told_apart_as_by_comparing_with_everyone_before(seed):
    rng = random.Random(seed)
    pool = ["Maria", "Gonzalez", "Kim", "Lee", "Ann", "J.", "A"]
    values = list(dict.fromkeys(" ".join(rng.sample(pool, rng.randint(1, 3))) for _ in range(12)))
    book = book_with(*(("PERSON", v) for v in values))
    assert [book.replace("PERSON", v)[0] for v in values] == people_by_scanning(values)

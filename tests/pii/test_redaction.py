"""The PII engine on the real stack: Presidio on the local spaCy model."""
from dataclasses import replace

import pytest

from schemas.records import Conversation, Eligible, Message, RedactedConversation
from transforms.pii.config import load_pii_config
from transforms.pii.engine import ModelNotAvailable, PiiEngine, resolve_model

PLANTED = {
    "EMAIL_ADDRESS": "maria.gonzalez@fastmail.com",
    "PHONE_NUMBER": "+1 (415) 555-0132",
    "CREDIT_CARD": "4532 0151 1283 0366",
    "IBAN_CODE": "DE89 3704 0044 0532 0130 00",
    "IP_ADDRESS": "198.51.100.23",
}


@pytest.fixture(scope="module")
def engine():
    return PiiEngine(load_pii_config())


def eligible(cid, *texts):
    roles = ["user", "assistant"]
    return Eligible(Conversation(cid, "chatgpt_free", 0, tuple(
        Message(roles[i % 2], t) for i, t in enumerate(texts)), user_id="u"))


def test_structured_identifiers_and_names_become_typed_placeholders(engine):
    text = ("My name is Maria Gonzalez and I live in Chicago. Reach me at {EMAIL_ADDRESS} or "
            "{PHONE_NUMBER}. Card {CREDIT_CARD}, IBAN {IBAN_CODE}, server {IP_ADDRESS}."
            ).format(**PLANTED)
    [result] = engine.redact_batch([eligible("c", text)])
    redacted = result.messages[0].content
    for entity, value in PLANTED.items():
        assert value not in redacted
        assert f"<{entity}_1>" in redacted
    assert "Maria Gonzalez" not in redacted and "<PERSON_1>" in redacted
    assert "Chicago" not in redacted and "<LOCATION_1>" in redacted
    assert dict(result.entity_counts)["EMAIL_ADDRESS"] == 1


def test_placeholders_are_consistent_across_the_messages_of_a_conversation(engine):
    [result] = engine.redact_batch([eligible(
        "c", "Please email maria.gonzalez@fastmail.com and bob.stone@proton.me.",
        "I will write to maria.gonzalez@fastmail.com first.",
        "Thanks, and bob.stone@proton.me after that.")])
    contents = [m.content for m in result.messages]
    assert contents[0] == "Please email <EMAIL_ADDRESS_1> and <EMAIL_ADDRESS_2>."
    assert contents[1] == "I will write to <EMAIL_ADDRESS_1> first."
    assert contents[2] == "Thanks, and <EMAIL_ADDRESS_2> after that."


def test_output_does_not_depend_on_batch_composition(engine):
    conversations = [eligible(f"c{i}", f"I am Daniel Kim, call 415-555-01{i:02d}.",
                              "Sure, Daniel Kim.", "System prompt: be helpful.")
                     for i in range(6)]
    together = engine.redact_batch(conversations)
    alone = [engine.redact_batch([c])[0] for c in conversations]
    reversed_ = engine.redact_batch(conversations[::-1])[::-1]
    assert together == alone == reversed_


def test_clean_technical_text_is_left_alone(engine):
    text = "How do I reverse a list in Python? I tried `lst[::-1]` and sorted(lst, reverse=True)."
    [result] = engine.redact_batch([eligible("c", text)])
    assert result.messages[0].content == text


def test_long_messages_are_analysed_in_windows_without_skipping_text(engine):
    small = PiiEngine(replace(engine.config, max_chars_per_analysis=200), analyzer=engine.analyzer)
    filler = "The weather report said nothing unusual today. " * 20
    text = filler + "Write to maria.gonzalez@fastmail.com please. " + filler
    [result] = small.redact_batch([eligible("c", text)])
    assert "maria.gonzalez@fastmail.com" not in result.messages[0].content
    assert len(result.messages[0].content) < len(text)


def test_a_failure_affects_only_its_own_conversation(engine, monkeypatch):
    good, bad = eligible("good", "hello there"), eligible("bad", "boom")
    original = engine.redact

    def redact(e, detections):
        if e.conversation.conversation_id == "bad":
            raise RuntimeError("boom")
        return original(e, detections)

    monkeypatch.setattr(engine, "redact", redact)
    results = engine.redact_batch([good, bad])
    assert isinstance(results[0], RedactedConversation)
    assert isinstance(results[1], RuntimeError)


def test_missing_model_fails_with_a_clear_message():
    with pytest.raises(ModelNotAvailable, match="never downloads"):
        resolve_model("en_core_web_nonexistent")

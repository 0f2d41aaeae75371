"""The PII engine on the real stack: Presidio on the local spaCy model."""

from dataclasses import replace

import pyarrow as pa
import pytest

from schemas import parquet
from schemas.records import Conversation, Eligible, Message, RedactedConversation
from transforms.keys import record_id
from transforms.pii.config import load_pii_config
from transforms.pii.engine import PiiEngine
from transforms.pii.registry import ModelNotAvailable, resolve_model
from transforms.write.outputs import OUTPUT_NAMES, REDACTIONS_DIR, redactions_row

PLANTED = {
    "EMAIL_ADDRESS": "maria.gonzalez@fastmail.com",
    "PHONE_NUMBER": "+1 (415) 867-0132",
    "CREDIT_CARD": "4532 0151 1283 0366",
    "IBAN_CODE": "DE89 3704 0044 0532 0130 00",
    "IP_ADDRESS": "81.2.69.142",
}


@pytest.fixture(scope="module")
def engine():
    return PiiEngine(load_pii_config())


def eligible(cid, *texts):
    roles = ["user", "assistant"]
    return Eligible(
        Conversation(
            cid,
            "chatgpt_free",
            0,
            tuple(Message(roles[i % 2], t) for i, t in enumerate(texts)),
            user_id="u",
        )
    )


def test_structured_identifiers_and_names_become_typed_placeholders(engine):
    text = (
        "My name is Maria Gonzalez and I live in Chicago. Reach me at {EMAIL_ADDRESS} or "
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
    [result] = engine.redact_batch(
        [
            eligible(
                "c",
                "Please email maria.gonzalez@fastmail.com and bob.stone@proton.me.",
                "I will write to maria.gonzalez@fastmail.com first.",
                "Thanks, and bob.stone@proton.me after that.",
            )
        ]
    )
    contents = [m.content for m in result.messages]
    assert contents[0] == "Please email <EMAIL_ADDRESS_1> and <EMAIL_ADDRESS_2>."
    assert contents[1] == "I will write to <EMAIL_ADDRESS_1> first."
    assert contents[2] == "Thanks, and <EMAIL_ADDRESS_2> after that."


def test_output_does_not_depend_on_batch_composition(engine):
    conversations = [
        eligible(
            f"c{i}",
            f"I am Daniel Kim, call 415-555-01{i:02d}.",
            "Sure, Daniel Kim.",
            "System prompt: be helpful.",
        )
        for i in range(6)
    ]
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


def test_sidecar_points_at_each_replacement_and_never_holds_a_value(engine):
    texts = (
        "My name is Maria Gonzalez, mail maria.gonzalez@fastmail.com.",
        "Thanks Maria, I will call +44 20 7946 0321.",
    )
    [result] = engine.redact_batch([eligible("c", *texts)])
    assert [(r.message_index, r.entity_type) for r in result.redactions] == [
        (0, "PERSON"),
        (0, "EMAIL_ADDRESS"),
        (1, "PERSON"),
        (1, "PHONE_NUMBER"),
    ]
    for r in result.redactions:
        placeholder = result.messages[r.message_index].content[r.start : r.end]
        assert placeholder.startswith(f"<{r.entity_type}_") and placeholder.endswith(">")
        assert 0.4 <= r.score <= 1.0 and r.recognizer and r.operator == "placeholder"
    row = redactions_row(result, b"k" * 16)
    flat = repr(row)
    for value in ("Maria", "Gonzalez", "fastmail", "7946"):
        assert value not in flat
    assert row["record_id"] == record_id(b"k" * 16, "c") and len(row["redactions"]) == 4
    assert REDACTIONS_DIR in OUTPUT_NAMES


def test_redactions_table_matches_the_parquet_schema(engine):
    [result] = engine.redact_batch([eligible("c", "Mail maria.gonzalez@fastmail.com")])
    table = pa.Table.from_pylist([redactions_row(result, b"k" * 16)], schema=parquet.REDACTIONS)
    assert table.num_rows == 1


def test_names_recur_with_the_same_placeholder_across_messages(engine):
    [result] = engine.redact_batch(
        [
            eligible(
                "c", "My friend Tiffany Lopez moved.", "Tell tiffany I said hi.", "Lopez is great."
            )
        ]
    )
    contents = [m.content for m in result.messages]
    assert contents == [
        "My friend <PERSON_1> moved.",
        "Tell <PERSON_1> I said hi.",
        "<PERSON_1> is great.",
    ]

"""V1: the DATA.md record contract, case by case (pure functions, no Beam)."""

import json

import pytest

from schemas.timestamps import parse_instant
from transforms.policy.config import load_policy
from transforms.read.validation import (
    InvalidRecord,
    decode_json_line,
    to_consent_event,
    to_conversation,
    to_deletion_request,
    to_sharing_event,
)

REQUIRED = load_policy().sources_requiring_user_id()


def record(**changes):
    base = {
        "conversation_id": "c1",
        "user_id": "u1",
        "source": "chatgpt_free",
        "created_at": "2026-11-01T12:00:00Z",
        "messages": [{"role": "user", "content": "hello"}],
    }
    base.update(changes)
    return {k: v for k, v in base.items() if v is not ...}


def valid(rec):
    return to_conversation(rec, "file.jsonl", REQUIRED)


def invalid(rec):
    with pytest.raises(InvalidRecord) as info:
        valid(rec)
    return str(info.value)


@pytest.mark.parametrize(
    "value",
    [
        "2026-11-01T12:00:00Z",
        "2026-11-01T14:00:00+02:00",
        "2026-11-01t12:00:00z",
        1793534400,
        1793534400.0,
    ],
)
def test_offset_and_epoch_timestamps_denote_the_same_instant(value):
    assert valid(record(created_at=value)).created_at == parse_instant("2026-11-01T12:00:00Z")


@pytest.mark.parametrize(
    "value",
    [
        "2026-11-01T12:00:00",
        "2026-11-01",
        "1793534400",
        True,
        "2026-13-01T00:00:00Z",
        1e300,
        "yesterday",
        [],
        {},
    ],
)
def test_naive_date_only_string_boolean_and_out_of_range_timestamps_fail(value):
    assert "created_at" in invalid(record(created_at=value))


def test_missing_timestamp_fails_and_null_optional_timestamps_are_fine():
    assert "created_at is required" in invalid(record(created_at=...))
    assert valid(record(updated_at=None, deleted_at=None)).deleted_at is None


@pytest.mark.parametrize("field", ["conversation_id", "source"])
@pytest.mark.parametrize("value", [..., "", None, 7, ["x"]])
def test_required_strings(field, value):
    assert field in invalid(record(**{field: value}))


def test_user_id_required_for_consumer_team_enterprise_but_not_api():
    for source in ("chatgpt_free", "chatgpt_plus", "dalle", "chatgpt_team", "chatgpt_enterprise"):
        assert "user_id" in invalid(record(source=source, user_id=""))
    assert valid(record(source="api", user_id=None, org_id="o1")).user_id is None
    assert valid(record(source="mystery", user_id=None)).user_id is None  # U1 decides


def test_empty_optional_ids_count_as_missing():
    conv = valid(record(source="chatgpt_team", workspace_id="", org_id=None))
    assert conv.workspace_id is None


def test_is_temporary_boolean_or_null():
    assert valid(record(is_temporary=None)).is_temporary is False
    assert valid(record(is_temporary=True)).is_temporary is True
    assert "is_temporary" in invalid(record(is_temporary="yes"))


def test_content_parts_join_text_and_code_and_drop_other_parts():
    conv = valid(
        record(
            messages=[
                {
                    "role": "user",
                    "content": [
                        "plain",
                        {"type": "text", "text": "t"},
                        {"type": "code", "text": "x = 1"},
                        {"type": "image", "url": "file://a.png"},
                    ],
                }
            ]
        )
    )
    assert conv.messages[0].content == "plain\nt\nx = 1"
    assert conv.non_text_parts_dropped == 1


@pytest.mark.parametrize(
    "messages,expected",
    [
        ("hello", "messages must be a list"),
        ([{"role": "human", "content": "x"}], "role"),
        (["x"], "messages[0] must be an object"),
        ([{"role": "user", "content": 3}], "content"),
        ([{"role": "user", "content": [{"type": "text"}]}], "needs a string text"),
        ([{"role": "user", "content": [{"text": "no type"}]}], "string type"),
        ([{"role": "user", "content": "x", "created_at": "2026-11-01"}], "messages[0].created_at"),
    ],
)
def test_message_shape(messages, expected):
    assert expected in invalid(record(messages=messages))


def test_empty_message_list_is_valid():
    assert valid(record(messages=[])).messages == ()


def line(rec):
    return json.dumps(rec).encode()


def test_json_line_accepts_bom_and_crlf():
    assert decode_json_line(b"\xef\xbb\xbf" + line(record()) + b"\r")["conversation_id"] == "c1"


@pytest.mark.parametrize(
    "raw,expected",
    [
        (b'{"a": 1, "a": 2}', "duplicate key"),
        (b'{"a": NaN}', "NaN"),
        (b'{"a": Infinity}', "Infinity"),
        (b'{"a": "\\ud800"}', "surrogate"),
        (b'{"a": "\xff"}', "not UTF-8"),
        (b"[1, 2]", "JSON object"),
        (b'{"a": ', "not valid JSON"),
    ],
)
def test_json_line_strictness(raw, expected):
    with pytest.raises(InvalidRecord, match=expected):
        decode_json_line(raw)


def test_oversized_record_fails_before_parsing():
    with pytest.raises(InvalidRecord, match="over the limit"):
        decode_json_line(line(record()), max_bytes=20)


def test_errors_never_quote_values():
    secret = "alice@example.org"
    for rec in (
        record(created_at=secret),
        record(source=12, user_id=secret),
        record(messages=[{"role": secret, "content": secret}]),
    ):
        assert secret not in invalid(rec)
    with pytest.raises(InvalidRecord) as info:
        decode_json_line(b'{"x": "' + secret.encode() + b'", "x": 1}')
    assert secret not in str(info.value)


def test_control_events():
    assert (
        to_consent_event(
            {"user_id": "u", "training_enabled": False, "changed_at": 0}
        ).training_enabled
        is False
    )
    with pytest.raises(InvalidRecord):
        to_consent_event({"user_id": "u", "training_enabled": "no", "changed_at": 0})
    assert (
        to_sharing_event(
            {
                "scope": "org",
                "id": "o",
                "sharing_enabled": True,
                "changed_at": "2026-01-01T00:00:00Z",
            }
        ).subject_id
        == "o"
    )
    with pytest.raises(InvalidRecord):
        to_sharing_event({"scope": "team", "id": "o", "sharing_enabled": True, "changed_at": 0})
    assert (
        to_deletion_request(
            {"kind": "conversation", "conversation_id": "c", "requested_at": 1.5}
        ).subject_id
        == "c"
    )
    with pytest.raises(InvalidRecord):
        to_deletion_request({"kind": "account", "user_id": "u", "requested_at": "2026-01-01"})

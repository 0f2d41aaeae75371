"""Fast tests of the sample-data generator (tools.generate_sample) itself.

They check the generator's own promises -- determinism, coverage of every POLICY.md reason
code, well-formed files where records are meant to be valid (and broken ones where they are
meant to be dead-lettered), reconciling truth counts and genuine planted PII -- not the
eligibility pipeline.
"""

import json
import math
import re
from collections import Counter
from datetime import datetime, timedelta, timezone

import phonenumbers
import pytest

from tools.generate_sample import CONTROL_STREAMS, DEFAULT_AS_OF, REASON_CODES, generate, main

UTC = timezone.utc
STREAM_FILES = ("conversations", *CONTROL_STREAMS)
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
ROLES = {"user", "assistant", "system", "tool"}
NEEDS_USER = {"chatgpt_free", "chatgpt_plus", "dalle", "chatgpt_team", "chatgpt_enterprise"}


class Invalid(Exception):
    pass


# ----------------------------------------------------------------------------- helpers


def strict_json(raw: bytes):
    """Parse one line the way DATA.md demands: UTF-8, no BOM issues, no duplicate keys, no
    NaN/Infinity, no lone surrogates."""
    raw = raw.removeprefix(b"\xef\xbb\xbf").rstrip(b"\r\n")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise Invalid("not UTF-8") from err

    def no_duplicates(pairs):
        keys = [k for k, _ in pairs]
        if len(keys) != len(set(keys)):
            raise Invalid("duplicate key")
        return dict(pairs)

    def no_constants(name):
        raise Invalid(f"literal {name}")

    try:
        obj = json.loads(text, object_pairs_hook=no_duplicates, parse_constant=no_constants)
    except json.JSONDecodeError as err:
        raise Invalid("malformed JSON") from err
    try:
        json.dumps(obj, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as err:
        raise Invalid("lone surrogate") from err
    return obj


def check_ts(value):
    if isinstance(value, bool):
        raise Invalid("boolean timestamp")
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            raise Invalid("non-finite epoch")
        try:
            return datetime.fromtimestamp(value, UTC)
        except (OverflowError, OSError, ValueError) as err:
            raise Invalid("epoch out of range") from err
    if isinstance(value, str) and RFC3339.match(value):
        return datetime.fromisoformat(value)
    raise Invalid(f"bad timestamp {value!r}")


def non_empty(value) -> bool:
    return isinstance(value, str) and value != ""


def check_conversation(raw: bytes) -> dict:
    """A compact V1 check (DATA.md "What makes a record valid"), for the generator's lines."""
    rec = strict_json(raw)
    if not isinstance(rec, dict):
        raise Invalid("not an object")
    if not non_empty(rec.get("conversation_id")) or not non_empty(rec.get("source")):
        raise Invalid("missing id or source")
    if rec["source"] in NEEDS_USER and not non_empty(rec.get("user_id")):
        raise Invalid("missing user_id")
    if rec.get("is_temporary") not in (None, True, False):
        raise Invalid("is_temporary")
    check_ts(rec.get("created_at"))
    for key in ("updated_at", "deleted_at"):
        if rec.get(key) is not None:
            check_ts(rec[key])
    if not isinstance(rec.get("messages"), list):
        raise Invalid("messages")
    for message in rec["messages"]:
        check_message(message)
    return rec


def check_message(message) -> None:
    if not isinstance(message, dict) or message.get("role") not in ROLES:
        raise Invalid("message")
    if message.get("created_at") is not None:
        check_ts(message["created_at"])
    content = message.get("content")
    if isinstance(content, list):
        for part in content:
            check_part(part)
    elif not isinstance(content, str):
        raise Invalid("content")


def check_part(part) -> None:
    if isinstance(part, str):
        return
    if not isinstance(part, dict) or not isinstance(part.get("type"), str):
        raise Invalid("part")
    if part["type"] in ("text", "code") and not isinstance(part.get("text"), str):
        raise Invalid("textual part without text")


def check_control(stream: str, raw: bytes) -> dict:
    event = strict_json(raw)
    if not isinstance(event, dict):
        raise Invalid("not an object")
    if stream == "consent_events":
        ok = non_empty(event.get("user_id")) and isinstance(event.get("training_enabled"), bool)
        at = event.get("changed_at")
    elif stream == "sharing_events":
        ok = (
            event.get("scope") in ("org", "workspace")
            and non_empty(event.get("id"))
            and isinstance(event.get("sharing_enabled"), bool)
        )
        at = event.get("changed_at")
    else:
        subject = {"account": "user_id", "conversation": "conversation_id"}.get(event.get("kind"))
        ok = subject is not None and non_empty(event.get(subject))
        at = event.get("requested_at")
    if not ok:
        raise Invalid("fields")
    check_ts(at)
    return event


def lines(path):
    """(physical line number, raw bytes) of every non-blank line."""
    with open(path, "rb") as f:
        return [(i, raw) for i, raw in enumerate(f, 1) if raw.strip()]


def text_of(content) -> str:
    if isinstance(content, str):
        return content
    return "\n".join(p if isinstance(p, str) else p.get("text", "") for p in content)


def luhn_ok(number: str) -> bool:
    digits = [int(c) for c in number if c.isdigit()]
    total = sum(
        d if i % 2 == 0 else (d * 2 - 9 if d * 2 > 9 else d * 2)
        for i, d in enumerate(reversed(digits))
    )
    return total % 10 == 0


def iban_ok(iban: str) -> bool:
    compact = iban.replace(" ", "")
    moved = compact[4:] + compact[:4]
    return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1


@pytest.fixture(scope="module")
def default_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("default")
    truth = generate(out)
    return out, truth


# ----------------------------------------------------------------------------- tests


def test_same_seed_gives_byte_identical_files(tmp_path, default_run):
    out, _ = default_run
    again = tmp_path / "again"
    generate(again)
    for name in (*STREAM_FILES, "truth"):
        suffix = ".json" if name == "truth" else ".jsonl"
        assert (again / f"{name}{suffix}").read_bytes() == (out / f"{name}{suffix}").read_bytes()


def test_other_seed_gives_other_data(tmp_path, default_run):
    out, _ = default_run
    generate(tmp_path, seed=99)
    assert (tmp_path / "conversations.jsonl").read_bytes() != (
        out / "conversations.jsonl"
    ).read_bytes()


def test_every_reason_code_and_signal_occurs_at_default_size(default_run):
    _, truth = default_run
    assert truth.records_read == 400
    assert truth.as_of == DEFAULT_AS_OF
    for code in REASON_CODES:
        assert truth.expected_excluded.get(code, 0) >= 3, code
    assert truth.expected_dead_lettered >= 30
    assert truth.expected_written >= truth.records_read // 3
    assert truth.expected_api_past_retention >= 3
    assert truth.expected_messages_trimmed_after_opt_out >= 3
    assert truth.expected_messages_trimmed_after_as_of >= 3
    assert all(n >= 2 for n in truth.expected_control_events_dead_lettered.values())
    assert {"chatgpt_team", "chatgpt_enterprise", "api", "(unrecognised value)"} <= set(
        truth.by_source_reason
    )
    errors = {d["error"] for d in truth.dead_letter_lines}
    assert {
        "malformed_json",
        "missing_conversation_id",
        "naive_timestamp",
        "date_only_timestamp",
        "boolean_epoch",
        "nan_literal",
        "duplicate_key",
        "bad_role",
        "text_part_without_text",
        "missing_user_id_consumer",
        "conflicting_copies",
    } <= errors


@pytest.mark.parametrize("n", [1, 7, 60, 400, 1200])
def test_truth_counts_add_up(tmp_path, n):
    truth = generate(tmp_path, n_conversations=n, seed=n)
    on_disk = json.loads((tmp_path / "truth.json").read_text())
    assert on_disk == truth.to_json()

    records = lines(tmp_path / "conversations.jsonl")
    assert truth.records_read == len(records) == n
    assert truth.records_read == (
        truth.expected_written
        + truth.expected_dead_lettered
        + sum(truth.expected_excluded.values())
    )
    assert (
        len(truth.eligible_conversation_ids)
        == len(set(truth.eligible_conversation_ids))
        == truth.expected_written
    )
    assert not set(truth.eligible_conversation_ids) & set(truth.excluded_conversation_ids)
    assert len(truth.dead_letter_lines) == truth.expected_dead_lettered

    by_reason = Counter(truth.excluded_conversation_ids.values())
    by_reason["duplicate_record"] += sum(truth.duplicate_extra_copies.values())
    assert +by_reason == Counter(truth.expected_excluded)
    by_source = Counter()
    for counts in truth.by_source_reason.values():
        by_source.update(counts)
    assert by_source == Counter(truth.expected_excluded)

    dead_ids = {d["conversation_id"] for d in truth.dead_letter_lines} - {None}
    decided = set(truth.eligible_conversation_ids) | set(truth.excluded_conversation_ids)
    assert not dead_ids & decided
    assert set(truth.duplicate_extra_copies) <= decided
    assert {p["conversation_id"] for p in truth.planted_pii} <= set(truth.eligible_conversation_ids)
    for stream in CONTROL_STREAMS:
        assert truth.expected_control_events_dead_lettered[stream] == len(
            truth.control_dead_letter_lines[stream]
        )


def test_files_are_jsonl_except_deliberately_broken_lines(default_run):
    out, truth = default_run
    raw = (out / "conversations.jsonl").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in raw
    physical = raw.split(b"\n")
    assert sum(1 for line in physical[:-1] if not line.strip()) >= 2  # blank lines

    first = check_conversation(physical[0])  # behind the byte-order mark
    assert first["conversation_id"] in truth.eligible_conversation_ids

    dead = {d["line"]: d for d in truth.dead_letter_lines}
    seen = Counter()
    for number, line in lines(out / "conversations.jsonl"):
        if number in dead and dead[number]["error"] != "conflicting_copies":
            with pytest.raises(Invalid):
                check_conversation(line)
            continue
        rec = check_conversation(line)
        seen[rec["conversation_id"]] += 1
    for cid, extra in truth.duplicate_extra_copies.items():
        assert seen[cid] == extra + 1
    assert set(truth.eligible_conversation_ids) <= set(seen)
    assert set(truth.excluded_conversation_ids) <= set(seen)

    for stream in CONTROL_STREAMS:
        bad = set(truth.control_dead_letter_lines[stream])
        for number, line in lines(out / f"{stream}.jsonl"):
            if number in bad:
                with pytest.raises(Invalid):
                    check_control(stream, line)
            else:
                check_control(stream, line)


# What an excluded record must look like, per reason (spot checks).
LOOKS_LIKE_ITS_REASON = {
    "temporary_chat": lambda rec, as_of: rec["is_temporary"] is True,
    "unknown_source": lambda rec, as_of: (
        rec["source"] not in NEEDS_USER | {"api", "api_fine_tune_upload"}
    ),
    "fine_tune_upload": lambda rec, as_of: rec["source"] == "api_fine_tune_upload",
    "created_after_as_of": lambda rec, as_of: check_ts(rec["created_at"]) > as_of,
    "api_not_opted_in": lambda rec, as_of: rec["source"] == "api",
    "api_opted_out": lambda rec, as_of: rec["source"] == "api",
    "team_not_opted_in": lambda rec, as_of: rec["source"] == "chatgpt_team",
    "enterprise_not_opted_in": lambda rec, as_of: rec["source"] == "chatgpt_enterprise",
    "user_opted_out": lambda rec, as_of: rec["source"] in {"chatgpt_free", "chatgpt_plus", "dalle"},
}


def valid_records(path) -> dict:
    """The first valid copy of each conversation in a generated file."""
    records = {}
    for _, line in lines(path):
        try:
            rec = check_conversation(line)
        except Invalid:
            continue
        records.setdefault(rec["conversation_id"], rec)
    return records


def test_excluded_records_look_like_their_reason(default_run):
    """Spot checks that the records carry the property their reason names."""
    out, truth = default_run
    records = valid_records(out / "conversations.jsonl")
    as_of = datetime.fromisoformat(truth.as_of)
    for cid, reason in truth.excluded_conversation_ids.items():
        looks_like = LOOKS_LIKE_ITS_REASON.get(reason, lambda rec, as_of: True)
        assert looks_like(records[cid], as_of), (cid, reason)
    for cid in truth.eligible_conversation_ids:
        assert check_ts(records[cid]["created_at"]) <= as_of
        assert not records[cid].get("is_temporary")
    old_api = [
        cid
        for cid in truth.eligible_conversation_ids
        if records[cid]["source"] == "api"
        and check_ts(records[cid]["created_at"]) < datetime(2023, 3, 1, tzinfo=UTC)
    ]
    assert old_api, "old API data without events must be among the eligible"
    repeated = Counter(
        m["content"] for r in records.values() for m in r["messages"] if m["role"] == "system"
    )
    assert repeated.most_common(1)[0][1] >= 5, "a system prompt repeats across conversations"


def ssn_ok(value: str) -> bool:
    area, group, serial = value.split("-")
    return area not in ("000", "666") and area[0] != "9" and group != "00" and serial != "0000"


# What a planted value of each type must be: real-looking, valid by its own checksum.
PLANTED_IS_REAL = {
    "CREDIT_CARD": luhn_ok,
    "IBAN_CODE": iban_ok,
    "US_SSN": ssn_ok,
    "PHONE_NUMBER": lambda v: phonenumbers.is_valid_number(phonenumbers.parse(v, "US")),
    "API_KEY": lambda v: re.fullmatch(
        r"sk-proj-[A-Za-z0-9]{48}|ghp_[A-Za-z0-9]{36}|AKIA[A-Z2-7]{16}", v
    ),
}


def test_planted_pii_is_real_and_in_kept_user_messages(default_run):
    out, truth = default_run
    messages = {
        (rec["conversation_id"], m["message_id"]): m
        for rec in valid_records(out / "conversations.jsonl").values()
        for m in rec["messages"]
    }
    types = Counter()
    for item in truth.planted_pii:
        message = messages[(item["conversation_id"], item["message_id"])]
        assert message["role"] == "user"
        assert item["value"] in text_of(message["content"])
        types[item["type"]] += 1
        is_real = PLANTED_IS_REAL.get(item["type"], lambda value: True)
        assert is_real(item["value"]), item["type"]
    for kind in (
        "PERSON",
        "EMAIL_ADDRESS",
        "PHONE_NUMBER",
        "CREDIT_CARD",
        "US_SSN",
        "IBAN_CODE",
        "IP_ADDRESS",
        "STREET_ADDRESS",
        "LOCATION",
        "API_KEY",
    ):
        assert types[kind] >= 2, kind
    assert any(
        p["type"] == "PERSON" and p["value"] == p["value"].lower() for p in truth.planted_pii
    ), "a lowercase name"
    with_pii = {p["conversation_id"] for p in truth.planted_pii}
    assert len(set(truth.eligible_conversation_ids) - with_pii) >= 20, "clean conversations"


def test_as_of_override_moves_the_data(tmp_path):
    truth = generate(tmp_path, n_conversations=300, seed=5, as_of="2025-06-30T12:00:00+02:00")
    assert truth.as_of == "2025-06-30T10:00:00Z"
    as_of = datetime(2025, 6, 30, 10, tzinfo=UTC)
    for _, line in lines(tmp_path / "conversations.jsonl"):
        try:
            rec = check_conversation(line)
        except Invalid:
            continue
        created = check_ts(rec["created_at"])
        if rec["conversation_id"] in truth.eligible_conversation_ids:
            assert created <= as_of
        if truth.excluded_conversation_ids.get(rec["conversation_id"]) == "created_after_as_of":
            assert as_of < created < as_of + timedelta(days=31)


def test_command_line(tmp_path, capsys):
    assert main(["--out", str(tmp_path), "--conversations", "50", "--seed", "3"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["records_read"] == 50
    assert json.loads((tmp_path / "truth.json").read_text())["records_read"] == 50
    with pytest.raises(SystemExit) as exit_info:
        main(["--out", str(tmp_path), "--as-of", "2026-11-24T00:00:00"])  # naive
    assert exit_info.value.code == 2

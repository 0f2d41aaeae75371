"""Fail closed on control events the strict parser cannot accept (POLICY.md,
Clarifications; DATA.md, "Completion and safety of outputs"): whatever made a
consent, sharing or deletion line invalid, the subject its raw bytes still name
is treated as opted out, not sharing, or deleted. One real pipeline run covers
every malformed kind for each of the three event files."""

from __future__ import annotations

import gzip
import json
import zlib

import pytest

from tests.hostile.runs import MAX_RSS_BYTES, conversation, record_id, run_pipeline, write_jsonl

pytestmark = pytest.mark.hostile

T_EARLY = "2026-01-01T00:00:00Z"
T_LATE = "2026-02-01T00:00:00Z"
MAX_RECORD = 64 * 1024


def _malformed(field: str, subject: str, valid: dict) -> dict[str, bytes]:
    """Lines naming ``subject`` under ``field`` that a strict reader rejects."""
    body = json.dumps(valid)[1:-1]  # the valid event's fields, without braces
    named = f'"{field}": "{subject}"'
    return {
        "duplicate_key": f"{{{named}, {body}, {named}}}".encode(),
        "nan": f'{{{named}, {body}, "weight": NaN}}'.encode(),
        "infinity_by_overflow": f'{{{named}, {body}, "weight": 1e999}}'.encode(),
        "invalid_utf8": f'{{{named}, {body}, "note": "'.encode() + b"\xff\xfe" + b'"}',
        "lone_surrogate": f'{{{named}, {body}, "note": "\\ud800"}}'.encode(),
        "truncated": f"{{{named}, {body}".encode()[:-7],
        "wrapped_in_array": f"[{{{named}, {body}}}]".encode(),
        "escaped_id": (
            "{"
            + f'"{field}": "'
            + "".join(f"\\u{ord(c):04x}" for c in subject)
            + f'", {body}, "x": NaN}}'
        ).encode(),
        "stray_whitespace": f'{{"{field}": " {subject}\\t", {body}}}'.encode(),
        "too_deep": f'{{{named}, {body}, "x": {"[" * 500}{"]" * 500}}}'.encode(),
        "number_too_long": f'{{{named}, {body}, "x": {"9" * 5000}}}'.encode(),
        "nul_bytes": f'{{{named}, {body}, "x": "'.encode() + b"\x00\x00" + b'"',
        "oversized": f'{{{named}, {body}, "pad": "{"x" * (2 * MAX_RECORD)}"}}'.encode(),
    }


KINDS = list(_malformed("user_id", "x", {}))


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("control")
    conversations, consent, sharing, deletions = [], [], [], []
    for kind in KINDS:
        # consent: an opted-out user's conversation must not be written
        user = f"consent-{kind}"
        consent.append(
            _malformed("user_id", user, {"training_enabled": False, "changed_at": T_EARLY})[kind]
        )
        conversations.append(conversation(f"c-consent-{kind}", user_id=user))
        # sharing: an org whose opt-in is followed by a malformed line is not sharing
        org = f"org-{kind}"
        sharing.append({"scope": "org", "id": org, "sharing_enabled": True, "changed_at": T_EARLY})
        sharing.append(
            _malformed("id", org, {"scope": "org", "sharing_enabled": True, "changed_at": T_EARLY})[
                kind
            ]
        )
        conversations.append(conversation(f"c-org-{kind}", user_id=None, source="api", org_id=org))
        # deletions: an account and a conversation named by malformed lines are deleted
        account = f"deleted-{kind}"
        deletions.append(
            _malformed("user_id", account, {"kind": "account", "requested_at": T_LATE})[kind]
        )
        conversations.append(conversation(f"c-account-{kind}", user_id=account))
        deletions.append(
            _malformed(
                "conversation_id",
                f"c-deleted-{kind}",
                {"kind": "conversation", "requested_at": T_LATE},
            )[kind]
        )
        conversations.append(conversation(f"c-deleted-{kind}", user_id="u-ok"))
    # controls: the same shapes, valid, or not named at all
    sharing.append({"scope": "org", "id": "org-ok", "sharing_enabled": True, "changed_at": T_EARLY})
    conversations += [
        conversation("c-ok-consumer", user_id="u-ok"),
        conversation("c-ok-api", user_id=None, source="api", org_id="org-ok"),
    ]
    # a gzip consent file cut short: the file is unreadable, yet the users its
    # readable lines name fail closed
    truncated_users = [f"gz-user-{i}" for i in range(50)]
    data = gzip.compress(
        b"".join(
            json.dumps({"user_id": u, "training_enabled": False, "changed_at": T_EARLY}).encode()
            + b"\n"
            for u in truncated_users
        )
    )
    truncated = data[: len(data) * 3 // 4]
    (tmp / "consent-2.jsonl.gz").write_bytes(truncated)
    conversations += [conversation(f"c-{u}", user_id=u) for u in truncated_users]
    # the users whose whole line can still be inflated (zlib, independently)
    readable = zlib.decompressobj(31).decompress(truncated).split(b"\n")[:-1]
    salvageable = [json.loads(line)["user_id"] for line in readable]
    assert 0 < len(salvageable) < len(truncated_users)

    write_jsonl(tmp / "conversations.jsonl", conversations)
    write_jsonl(tmp / "consent-1.jsonl", consent)
    write_jsonl(tmp / "sharing.jsonl", sharing)
    write_jsonl(tmp / "deletions.jsonl", deletions)
    run = run_pipeline(
        [
            "--conversations",
            str(tmp / "conversations.jsonl"),
            "--consent-events",
            str(tmp / "consent-*.jsonl*"),
            "--sharing-events",
            str(tmp / "sharing.jsonl"),
            "--deletions",
            str(tmp / "deletions.jsonl"),
            "--max-record-bytes",
            str(MAX_RECORD),
        ],
        tmp / "out",
    )
    assert run.returncode == 0, run.stderr[-3000:]
    return run, salvageable, [u for u in truncated_users if u not in salvageable]


def test_no_subject_of_a_malformed_event_is_written(hostile_run):
    run, salvageable, lost = hostile_run
    # the lines lost with the end of the truncated file named nobody the run can see
    written = run.dataset_ids()
    assert written == {record_id("c-ok-consumer"), record_id("c-ok-api")} | {
        record_id(f"c-{u}") for u in lost
    }
    excluded = run.audit()["counts"]["excluded"]
    assert excluded["user_opted_out"] == len(KINDS) + len(salvageable)
    assert excluded["api_not_opted_in"] == len(KINDS)
    assert excluded["account_deleted"] == len(KINDS)
    assert excluded["conversation_deleted"] == len(KINDS)


def test_every_malformed_line_is_dead_lettered_and_counted(hostile_run):
    run, salvageable, _ = hostile_run
    counts = run.audit()["counts"]
    dead = counts["control_events_dead_lettered"]
    assert dead["sharing_events"] == len(KINDS)
    assert dead["deletions"] == 2 * len(KINDS)
    # consent: the malformed lines, the truncated file as a whole, and each line
    # read from it before the break (with the cut one, which names a prefix)
    assert dead["consent_events"] == len(KINDS) + 1 + len(salvageable) + 1
    stages = {(d["stage"], d["error"].split(":")[0]) for d in run.dead_letters()}
    assert ("consent_events", "unreadable_input") in stages
    assert run.audit()["reconciliation"]["reconciles"] is True
    assert run.peak_rss_bytes < MAX_RSS_BYTES


def test_an_oversized_dead_letter_keeps_only_the_first_bytes(hostile_run):
    run = hostile_run[0]
    oversized = [d for d in run.dead_letters() if "bytes, over the limit" in d["error"]]
    assert len(oversized) == 4  # one per consent, sharing and both deletion kinds
    assert all(len(d["raw"]) <= 64 * 1024 for d in oversized)

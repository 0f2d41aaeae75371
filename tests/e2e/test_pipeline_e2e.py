"""The real pipeline end to end: real Presidio on the real spaCy model, real Beam
runners, real Parquet, on a generated day of exports whose outcome is known.

One run uses the local multi-process runner (two worker processes), one the
single-process runner; both must agree byte for byte.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.e2e.conftest import (
    MULTI_PROCESS,
    SINGLE_PROCESS,
    TEST_KEY,
    canonical_inputs,
    run_pipeline,
)
from transforms.pii.config import load_pii_config

pytestmark = pytest.mark.e2e

STRUCTURED_PII = {
    "EMAIL_ADDRESS",
    "PHONE_NUMBER",
    "CREDIT_CARD",
    "US_SSN",
    "IP_ADDRESS",
    "IBAN_CODE",
    "API_KEY",
}
IDENTIFIER_COLUMNS = {"user_id", "org_id", "workspace_id", "conversation_id", "email"}


@pytest.fixture(scope="module")
def multi(sample, tmp_path_factory):
    return run_pipeline(
        canonical_inputs(sample) + MULTI_PROCESS, tmp_path_factory.mktemp("multi"), "out"
    )


@pytest.fixture(scope="module")
def single(sample, tmp_path_factory):
    return run_pipeline(
        canonical_inputs(sample) + SINGLE_PROCESS, tmp_path_factory.mktemp("single"), "out"
    )


def allow_listed(planted: dict) -> bool:
    """Values that identify no one and that the PII config's allow-list keeps on
    purpose: private IP addresses (192.168.x.x) do not single out a device."""
    return load_pii_config().allow_list.permits(planted["type"], planted["value"])


def audit_of(output: Path) -> dict:
    return json.loads((output / "audit.json").read_text())


def record_id(conversation_id: str) -> str:
    return hmac.new(TEST_KEY.encode(), conversation_id.encode(), hashlib.sha256).hexdigest()


def test_the_run_makes_no_network_connection(multi):
    _, network_attempts = multi
    assert network_attempts == []


def test_audit_reconciles_and_every_count_equals_the_known_truth(multi, truth):
    counts = audit_of(multi[0])["counts"]
    assert counts["records_read"] == truth["records_read"]
    assert counts["records_read"] == (
        counts["records_written"] + counts["dead_lettered"] + sum(counts["excluded"].values())
    )
    assert counts["records_written"] == truth["expected_written"]
    assert counts["dead_lettered"] == truth["expected_dead_lettered"]
    assert counts["excluded"] == {k: v for k, v in truth["expected_excluded"].items() if v}
    assert counts["excluded_by_source"] == truth["by_source_reason"]
    assert counts["api_past_retention"] == truth["expected_api_past_retention"]
    assert (
        counts["messages_trimmed_after_opt_out"] == truth["expected_messages_trimmed_after_opt_out"]
    )
    assert counts["messages_trimmed_after_as_of"] == truth["expected_messages_trimmed_after_as_of"]
    assert counts["control_events_dead_lettered"] == truth["expected_control_events_dead_lettered"]
    assert audit_of(multi[0])["reconciliation"]["reconciles"] is True


def test_dataset_holds_exactly_the_eligible_conversations(multi, truth):
    output = multi[0]
    dataset_ids = set(
        pq.read_table(output / "dataset", columns=["record_id"]).column("record_id").to_pylist()
    )
    assert dataset_ids == {record_id(c) for c in truth["eligible_conversation_ids"]}
    assert not dataset_ids & {record_id(c) for c in truth["excluded_conversation_ids"]}
    lineage = pq.read_table(output / "lineage").to_pylist()
    assert {row["conversation_id"] for row in lineage} == set(truth["eligible_conversation_ids"])
    assert all(row["record_id"] == record_id(row["conversation_id"]) for row in lineage)


def test_dataset_has_no_identifier_column_and_no_planted_structured_pii(multi, truth):
    output = multi[0]
    dataset = pq.read_table(output / "dataset")
    assert not IDENTIFIER_COLUMNS & set(dataset.schema.names)
    text = "\n".join(m["content"] for row in dataset.to_pylist() for m in row["messages"])
    for planted in truth["planted_pii"]:
        if planted["type"] in STRUCTURED_PII and not allow_listed(planted):
            assert planted["value"] not in text, planted["type"]
    assert "<EMAIL_ADDRESS_1>" in text and "<IBAN_CODE_1>" in text and "<PHONE_NUMBER_1>" in text


def test_audit_contains_no_message_text_and_no_identifiers(multi, sample):
    audit_text = (multi[0] / "audit.json").read_text()
    lines = (sample / "conversations.jsonl").read_bytes().decode("utf-8", "replace").splitlines()
    for line in lines:
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if not isinstance(record, dict):
            continue
        for message in record.get("messages") or []:
            content = message.get("content") if isinstance(message, dict) else None
            if isinstance(content, str) and len(content) > 12:
                assert content not in audit_text
        for key in ("user_id", "conversation_id"):
            value = record.get(key)
            if isinstance(value, str) and len(value) > 6:
                assert value not in audit_text


def test_dead_letters_carry_stage_and_error(multi, truth):
    rows = pq.read_table(multi[0] / "dead_letter").to_pylist()
    conversation_rows = [
        r for r in rows if r["stage"] in ("validate", "deduplicate", "pii", "read")
    ]
    assert len(conversation_rows) == truth["expected_dead_lettered"]
    assert all(
        r["error"].split(":")[0] in ("invalid_record", "conflicting_duplicate")
        for r in conversation_rows
    )
    control = [r for r in rows if r["stage"] in ("consent_events", "sharing_events", "deletions")]
    assert len(control) == sum(truth["expected_control_events_dead_lettered"].values())


def test_single_and_multi_process_runs_write_byte_identical_outputs(multi, single):
    for name in ("dataset", "lineage", "dead_letter"):
        first = {p.name: p.read_bytes() for p in sorted((multi[0] / name).iterdir())}
        second = {p.name: p.read_bytes() for p in sorted((single[0] / name).iterdir())}
        assert first and first == second, name
    assert audit_of(multi[0])["counts"] == audit_of(single[0])["counts"]

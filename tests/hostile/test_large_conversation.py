"""Memory per conversation is bounded (the PII stage works through a
conversation's texts in bounded spaCy batches): one conversation of 5,000
messages is written by the real pipeline within the hostile suite's memory
budget. Before the batches were bounded, such a conversation needed about
0.3 MB per message (10,000 messages: 3.6 GB). The 50,000-message and 15 MiB
cases are measured by ``python -m bench.conversation_memory`` (README,
"Reliability under hostile input")."""

from __future__ import annotations

import json

import pytest

from bench.conversation_memory import many_messages
from tests.hostile.runs import MAX_RSS_BYTES, record_id, run_pipeline

pytestmark = pytest.mark.hostile

MESSAGES = 5_000


def test_a_conversation_of_thousands_of_messages_is_written_in_bounded_memory(tmp_path):
    record = many_messages(MESSAGES, seed=11)
    (tmp_path / "big.jsonl").write_text(json.dumps(record) + "\n")
    run = run_pipeline(["--conversations", str(tmp_path / "big.jsonl")], tmp_path / "out")
    assert run.returncode == 0, run.stderr[-3000:]
    counts = run.audit()["counts"]
    assert counts["records_written"] == 1 and counts["messages_written"] == MESSAGES
    assert run.dataset_ids() == {record_id(record["conversation_id"])}
    assert sum(counts["pii_entities_redacted"].values()) > MESSAGES // 10
    assert run.peak_rss_bytes < MAX_RSS_BYTES, run.peak_rss_bytes

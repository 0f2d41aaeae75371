"""Parquet inputs with the documented input schemas go through the same contract."""

import json
from datetime import datetime, timezone

import pyarrow as pa
import pyarrow.parquet as pq

from pipelines.eligibility import run
from schemas import parquet

UTC = timezone.utc


def at(day: int) -> datetime:
    return datetime(2026, 11, day, 12, tzinfo=UTC)


def message(role, content, created_at=None):
    return {"message_id": None, "role": role, "created_at": created_at, "content": content}


def test_parquet_conversations_and_events_are_read_validated_and_decided(tmp_path, monkeypatch):
    monkeypatch.setenv("ELIGIBILITY_RECORD_ID_KEY", "parquet-test-key-0123456789")
    base = {
        "workspace_id": None,
        "org_id": None,
        "is_temporary": False,
        "updated_at": None,
        "deleted_at": None,
    }
    conversations = [
        {
            **base,
            "conversation_id": "kept",
            "user_id": "u1",
            "source": "chatgpt_plus",
            "created_at": at(1),
            "messages": [
                message("user", "How do I parse JSON in Go?"),
                message("assistant", "Use encoding/json."),
            ],
        },
        {
            **base,
            "conversation_id": "opted-out",
            "user_id": "u2",
            "source": "chatgpt_free",
            "created_at": at(5),
            "messages": [message("user", "hello")],
        },
        {
            **base,
            "conversation_id": "no-source",
            "user_id": "u3",
            "source": None,
            "created_at": at(5),
            "messages": [message("user", "hello")],
        },
    ]
    pq.write_table(
        pa.Table.from_pylist(conversations, schema=parquet.CONVERSATION_INPUT),
        tmp_path / "conversations.parquet",
    )
    pq.write_table(
        pa.Table.from_pylist(
            [
                {
                    "user_id": "u2",
                    "training_enabled": False,
                    "changed_at": at(3),
                    "via": "data_controls",
                }
            ],
            schema=parquet.CONSENT_EVENT_INPUT,
        ),
        tmp_path / "consent.parquet",
    )
    out = tmp_path / "out"
    run(
        [
            "--conversations",
            str(tmp_path / "conversations.parquet"),
            "--consent-events",
            str(tmp_path / "consent.parquet"),
            "--output",
            str(out),
            "--as-of",
            "2026-11-24T00:00:00Z",
            "--runner=FnApiRunner",
        ]
    )
    counts = json.loads((out / "audit.json").read_text())["counts"]
    assert counts["records_read"] == 3
    assert counts["records_written"] == 1
    assert counts["excluded"] == {"user_opted_out": 1}
    assert counts["dead_lettered"] == 1
    lineage = pq.read_table(out / "lineage").to_pylist()
    assert [row["conversation_id"] for row in lineage] == ["kept"]


def test_gzip_jsonl_with_bom_crlf_and_blank_lines(tmp_path, monkeypatch):
    import gzip

    monkeypatch.setenv("ELIGIBILITY_RECORD_ID_KEY", "gzip-test-key-0123456789")
    record = {
        "conversation_id": "c1",
        "user_id": "u1",
        "source": "dalle",
        "created_at": 0,
        "messages": [{"role": "user", "content": "draw a lighthouse"}],
    }
    lines = [
        "\ufeff" + json.dumps(record),
        "",
        "   ",
        json.dumps({**record, "conversation_id": "c2"}),
        "{broken",
    ]
    with gzip.open(
        tmp_path / "conversations.jsonl.gz", "wt", encoding="utf-8", newline=""
    ) as handle:
        handle.write("\r\n".join(lines) + "\r\n")
    out = tmp_path / "out"
    run(
        [
            "--conversations",
            str(tmp_path / "*.jsonl.gz"),
            "--output",
            str(out),
            "--as-of",
            "2026-11-24T00:00:00Z",
            "--runner=FnApiRunner",
        ]
    )
    counts = json.loads((out / "audit.json").read_text())["counts"]
    assert counts["records_read"] == 3  # blank lines are not records
    assert counts["records_written"] == 2 and counts["dead_lettered"] == 1


def test_a_large_jsonl_file_is_read_in_ranges_every_line_once(tmp_path, monkeypatch):
    """Files are split into ranges for parallel parsing; a line that crosses a
    range boundary is read once, by the range it starts in."""
    import apache_beam as beam
    from apache_beam.testing.util import assert_that, equal_to

    from tests.beam_options import offline_pipeline
    from transforms.read import inputs

    monkeypatch.setattr(inputs, "SPLIT_BYTES", 256)  # ~40 ranges for this file
    lines = [json.dumps({"n": n, "pad": "x" * (n % 37)}) for n in range(400)]
    (tmp_path / "big.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with offline_pipeline() as p:
        read = (
            p
            | inputs.ReadRawRecords(str(tmp_path / "big.jsonl"))
            | beam.Map(lambda pair: pair[1].decode("utf-8"))
        )
        assert_that(read, equal_to(lines))

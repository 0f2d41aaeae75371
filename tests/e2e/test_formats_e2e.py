"""The real pipeline from export formats: a ChatGPT "Export data" archive and an
OpenAI fine-tuning JSONL file, with the audit reconciling."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipelines.eligibility import run
from tests.formats.test_formats import EXPORTS as FIXTURES

pytestmark = pytest.mark.e2e

AS_OF = "2026-11-24T00:00:00Z"


@pytest.fixture(autouse=True)
def key(monkeypatch):
    monkeypatch.setenv("ELIGIBILITY_RECORD_ID_KEY", "formats-e2e-key-0123456789")


def outputs(out: Path) -> tuple[dict, list[dict], list[dict], list[dict]]:
    audit = json.loads((out / "audit.json").read_text())
    counts = audit["counts"]
    assert counts["records_read"] == (
        counts["records_written"] + counts["dead_lettered"] + sum(counts["excluded"].values())
    )
    assert audit["reconciliation"]["reconciles"]
    return (
        counts,
        pq.read_table(out / "dataset").to_pylist(),
        pq.read_table(out / "lineage").to_pylist(),
        pq.read_table(out / "dead_letter").to_pylist(),
    )


def test_chatgpt_export_archive(tmp_path):
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(
            FIXTURES / "chatgpt_modern_librechat" / "chatgpt-modern-export.json",
            "conversations.json",
        )
        zf.writestr(
            "user.json",
            json.dumps(
                {"id": "user-4711", "email": "sre.person@corp.example", "chatgpt_plus_user": True}
            ),
        )
    consent = tmp_path / "consent.jsonl"  # the account opts out after the first conversation
    consent.write_text(
        json.dumps({"user_id": "user-4711", "training_enabled": False, "changed_at": 1756000200})
        + "\n"
    )
    out = tmp_path / "out"
    run(
        [
            "--conversations",
            str(archive),
            "--source",
            "chatgpt_plus",
            "--consent-events",
            str(consent),
            "--output",
            str(out),
            "--as-of",
            AS_OF,
            "--runner=FnApiRunner",
        ]
    )
    counts, dataset, lineage, dead = outputs(out)
    assert counts["records_read"] == 3
    assert counts["records_written"] == 1 and counts["dead_lettered"] == 1
    assert counts["excluded"] == {"user_opted_out": 1}
    assert [(r["stage"], r["error"]) for r in dead] == [
        ("read", "invalid_record: conversation has no mapping")
    ]
    assert lineage[0]["user_id"] == "user-4711"
    assert lineage[0]["conversation_id"] == "6b0f0d9c-0000-4000-8000-000000000001"
    assert [(m["role"], m["content"]) for m in dataset[0]["messages"]] == [
        ("user", "The user is an SRE.\nAnswer concisely."),
        ("user", "How do I roll back the deploy?"),
        ("assistant", "Run `helm rollback staging`."),
        ("user", "And if that fails?"),
        ("assistant", "Restore from the last known-good chart."),
    ]
    assert "sre.person@corp.example" not in (out / "audit.json").read_text()


def test_finetuning_jsonl(tmp_path):
    out = tmp_path / "out"
    source = FIXTURES / "openai_finetune_jsonl" / "toy_chat_fine_tuning.jsonl"
    run(
        [
            "--conversations",
            str(source),
            "--source",
            "chatgpt_plus",
            "--user-id",
            "u-ft",
            "--default-created-at",
            "2026-11-01T00:00:00Z",
            "--output",
            str(out),
            "--as-of",
            AS_OF,
            "--runner=FnApiRunner",
        ]
    )
    counts, dataset, lineage, _ = outputs(out)
    assert counts["records_read"] == 5 and counts["records_written"] == 4
    assert counts["excluded"] == {"empty_after_trim": 1}  # an example with no user message
    first = min(lineage, key=lambda r: r["conversation_id"])
    assert first["user_id"] == "u-ft" and first["source"] == "chatgpt_plus"
    texts = {m["content"] for row in dataset for m in row["messages"]}
    assert "I fell off my bike today." in texts


def test_finetuning_uploads_are_never_trained_on(tmp_path):
    out = tmp_path / "out"
    run(
        [
            "--conversations",
            str(FIXTURES / "openai_finetune_jsonl" / "toy_chat_fine_tuning.jsonl"),
            "--input-format",
            "openai_finetune",
            "--source",
            "api_fine_tune_upload",
            "--org-id",
            "org-1",
            "--default-created-at",
            "1790000000",
            "--output",
            str(out),
            "--as-of",
            AS_OF,
            "--runner=FnApiRunner",
        ]
    )
    counts, dataset, _, _ = outputs(out)
    assert counts["excluded"] == {"fine_tune_upload": 5} and dataset == []

"""Hostile canonical inputs: JSON Lines (plain and compressed) and Parquet files
that are bombs, truncated, corrupt, links, too deep or too large, records whose
ids carry stray whitespace, and source values that are personal data. The run
exits 0, dead-letters each bad file as a whole and each bad record alone, and
its audit reconciles and holds no value it did not know in advance."""

from __future__ import annotations

import gzip
import json
import lzma
import os

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import zstandard

from tests.hostile.runs import MAX_RSS_BYTES, conversation, record_id, run_pipeline, write_jsonl

pytestmark = pytest.mark.hostile

SECRET = "SECRET-OUTSIDE-THE-INPUT-5f4dcc3b5aa7"
PHONE = "+1 415-867-5309"
AWS_KEY = "AKIAIOSFODNN7EXAMPLE"
MAX_RECORD = 1 << 20


@pytest.fixture(scope="module")
def jsonl_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("jsonl")
    inputs = root / "inputs"
    inputs.mkdir()
    write_jsonl(
        inputs / "a.jsonl",
        [
            conversation("ok-1"),
            conversation("space-user", user_id="u4 "),  # V1: stray whitespace
            conversation("u4-own", user_id="u4"),  # u4 opted out (by " u4" below)
            conversation("zero-width", user_id="u5\u200b"),  # V1: invisible character
            conversation("phone-source", source=PHONE),  # U1, never echoed
            conversation("key-source", source=AWS_KEY),
            json.dumps(conversation("deep")).encode()[:-1]
            + b', "x": '
            + b"[" * 50_000
            + b"]" * 50_000
            + b"}",
            json.dumps(conversation("giant", text="x" * (3 * MAX_RECORD))).encode(),
            json.dumps(conversation("long-number")).encode()[:-1]
            + b', "n": '
            + b"7" * 10_000
            + b"}",
            b'{"conversation_id": "nul\x00", "source": "chatgpt_free"',
            b"\xef\xbb\xbf" + json.dumps(conversation("bom-mid-file")).encode(),
        ],
    )
    lines = b"".join(
        json.dumps(conversation(f"{kind}-1")).encode() + b"\n" for kind in ("xz", "zstd")
    )
    (inputs / "b.jsonl.xz").write_bytes(lzma.compress(lines.replace(b"zstd-1", b"xz-2")))
    (inputs / "c.jsonl.zst").write_bytes(
        zstandard.ZstdCompressor().compress(lines.replace(b"xz-1", b"zstd-2"))
    )
    bomb = gzip.compress(b"\n" * (300 << 20), compresslevel=9)  # 300 MiB of blank lines
    (inputs / "d-bomb.jsonl.gz").write_bytes(bomb)
    whole = gzip.compress(json.dumps(conversation("cut-1")).encode() * 40)
    (inputs / "e-truncated.jsonl.gz").write_bytes(whole[: len(whole) // 2])
    (inputs / "f-corrupt.jsonl.bz2").write_bytes(b"BZh9" + os.urandom(2000))
    (root / "outside.txt").write_text(SECRET + "\n")
    os.symlink(root / "outside.txt", inputs / "g-link.jsonl")
    # a file name that is not UTF-8: its records are read, its name shown escaped
    with open(os.path.join(os.fsencode(inputs), b"h-name-\xff.jsonl"), "wb") as f:
        f.write(json.dumps(conversation("odd-name-1")).encode() + b"\n")
    write_jsonl(
        root / "consent.jsonl",
        [{"user_id": " u4", "training_enabled": False, "changed_at": "2026-01-01T00:00:00Z"}],
    )
    run = run_pipeline(
        [
            "--conversations",
            str(inputs / "*"),
            "--consent-events",
            str(root / "consent.jsonl"),
            "--max-record-bytes",
            str(MAX_RECORD),
        ],
        root / "out",
    )
    assert run.returncode == 0, run.stderr[-3000:]
    return run


def test_whole_files_are_dead_lettered_once_each_and_the_rest_is_read(jsonl_run):
    run = jsonl_run
    whole = {
        os.path.basename(d["input_location"]): d["error"]
        for d in run.dead_letters()
        if d["error"].startswith("unreadable_input")
    }
    assert set(whole) == {
        "d-bomb.jsonl.gz",
        "e-truncated.jsonl.gz",
        "f-corrupt.jsonl.bz2",
        "g-link.jsonl",
    }
    assert "inflates to more than" in whole["d-bomb.jsonl.gz"]
    assert "corrupt or truncated" in whole["e-truncated.jsonl.gz"]
    assert "symbolic link" in whole["g-link.jsonl"]
    # a byte-order mark at the start of a line is accepted (DATA.md) wherever the line is
    assert run.dataset_ids() == {
        record_id(c)
        for c in ("ok-1", "xz-1", "xz-2", "zstd-1", "zstd-2", "bom-mid-file", "odd-name-1")
    }
    assert run.peak_rss_bytes < MAX_RSS_BYTES, run.peak_rss_bytes


def test_bad_records_are_invalid_one_by_one(jsonl_run):
    dead = [d for d in jsonl_run.dead_letters() if d["stage"] == "validate"]
    errors = {d["conversation_id"]: d["error"] for d in dead}
    assert "leading or trailing whitespace" in errors["space-user"]
    assert "invisible" in errors["zero-width"]
    unparsed = [d["error"] for d in dead if d["conversation_id"] is None]
    assert any("levels deep" in e for e in unparsed)
    assert any("number too long" in e for e in unparsed)
    assert len(dead) == 6  # the two ids, deep, giant, long number, NUL
    oversized = [d for d in jsonl_run.dead_letters() if "bytes, over the limit" in d["error"]]
    assert len(oversized) == 1 and len(oversized[0]["raw"]) <= 64 * 1024


def test_an_id_with_stray_whitespace_in_a_control_event_fails_closed_for_the_trimmed_id(jsonl_run):
    assert record_id("u4-own") not in jsonl_run.dataset_ids()
    assert jsonl_run.audit()["counts"]["excluded"]["user_opted_out"] == 1


def test_the_audit_holds_no_value_it_did_not_know_and_reconciles(jsonl_run):
    text = (jsonl_run.output / "audit.json").read_text()
    for value in (PHONE, AWS_KEY, SECRET, "u4", "space-user"):
        assert value not in text
    counts = jsonl_run.audit()["counts"]
    assert counts["excluded_by_source"]["(unrecognised value)"]["unknown_source"] == 2
    assert jsonl_run.audit()["reconciliation"]["reconciles"] is True
    assert not any(SECRET in (d["raw"] or "") for d in jsonl_run.dead_letters())


def test_parquet_that_cannot_be_read_is_dead_lettered_whole(tmp_path):
    rows = [conversation("pq-1"), conversation("pq-big", text="y" * (2 * MAX_RECORD))]
    table = pa.Table.from_pylist([{**r, "messages": json.dumps(r["messages"])} for r in rows])
    pq.write_table(
        table.drop(["messages"]).append_column("messages", pa.array([r["messages"] for r in rows])),
        tmp_path / "a.parquet",
    )
    (tmp_path / "b.parquet").write_bytes(b"PAR1" + os.urandom(500) + b"PAR1")
    (tmp_path / "c.parquet").write_bytes((tmp_path / "a.parquet").read_bytes()[:-100])
    run = run_pipeline(
        ["--conversations", str(tmp_path / "*.parquet"), "--max-record-bytes", str(MAX_RECORD)],
        tmp_path / "out",
    )
    assert run.returncode == 0, run.stderr[-3000:]
    whole = {
        os.path.basename(d["input_location"])
        for d in run.dead_letters()
        if d["error"].startswith("unreadable_input")
    }
    assert whole == {"b.parquet", "c.parquet"}
    assert run.dataset_ids() == {record_id("pq-1")}
    assert any("bytes, over the limit" in d["error"] for d in run.dead_letters())
    assert run.audit()["reconciliation"]["reconciles"] is True

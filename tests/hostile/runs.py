"""Running the real pipeline on hostile inputs, as a separate process whose peak
memory is measured (``os.wait4``), and reading what it wrote."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq

from tests.e2e.conftest import pipeline_command

REPO = Path(__file__).resolve().parents[2]
KEY = "hostile-input-test-record-id-key-0123456789"
# Peak resident memory allowed for one single-process run on a hostile input: the
# model and the runner take about 0.6 GB; a file inflated or parsed whole would not fit.
MAX_RSS_BYTES = 1_500 * 1024 * 1024


@dataclass
class Run:
    output: Path
    returncode: int
    stderr: str
    peak_rss_bytes: int

    def audit(self) -> dict:
        return json.loads((self.output / "audit.json").read_text())

    def dead_letters(self) -> list[dict]:
        return pq.read_table(self.output / "dead_letter").to_pylist()

    def dataset_ids(self) -> set[str]:
        return set(
            pq.read_table(self.output / "dataset", columns=["record_id"])
            .column("record_id")
            .to_pylist()
        )


def record_id(conversation_id: str) -> str:
    return hmac.new(KEY.encode(), conversation_id.encode(), hashlib.sha256).hexdigest()


def run_pipeline(args: list[str], output: Path, timeout: float = 600) -> Run:
    """``python -m pipelines.eligibility ARGS --output OUTPUT`` on the
    single-process local runner; returns its exit code, stderr and peak RSS."""
    env = {**os.environ, "ELIGIBILITY_RECORD_ID_KEY": KEY, "PYTHONPATH": str(REPO)}
    stderr_path = output.with_name(output.name + ".stderr")
    with open(stderr_path, "wb") as stderr:
        process = subprocess.Popen(
            pipeline_command([*args, "--runner=FnApiRunner"], output),
            cwd=REPO,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
        returncode, peak = _wait_measured(process, timeout)
    return Run(output, returncode, stderr_path.read_text(errors="replace"), peak)


def _wait_measured(process: subprocess.Popen, timeout: float) -> tuple[int, int]:
    """Reap the process with ``wait4``: its exit code and its own peak RSS."""
    deadline = time.monotonic() + timeout
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            process.kill()
            os.wait4(process.pid, 0)
            raise TimeoutError(f"the pipeline ran longer than {timeout} s")
        time.sleep(0.1)
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, usage.ru_maxrss * 1024


def conversation(
    conversation_id: str,
    user_id: str | None = "u-ok",
    source: str = "chatgpt_free",
    text: str = "How do I sort a list in Python?",
    **extra,
) -> dict:
    record = {
        "conversation_id": conversation_id,
        "source": source,
        "created_at": "2026-06-01T00:00:00Z",
        "messages": [
            {"role": "user", "content": text},
            {"role": "assistant", "content": "Use sorted()."},
        ],
        **extra,
    }
    if user_id is not None:
        record["user_id"] = user_id
    return record


def write_jsonl(path: Path, records: list) -> Path:
    """Records as JSON Lines; a bytes item is written as it is (a hostile line)."""
    with open(path, "wb") as f:
        for record in records:
            line = record if isinstance(record, bytes) else json.dumps(record).encode()
            f.write(line + b"\n")
    return path

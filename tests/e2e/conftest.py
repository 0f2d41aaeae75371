"""Shared set-up of the end-to-end tests: a helper that runs the real pipeline as
a separate process, under a guard that records any network access beyond
loopback. The generated day of exports with known truth (fixtures ``sample`` and
``truth``) lives in tests/conftest.py, shared with the engine tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
GUARD = Path(__file__).resolve().parent / "network_guard"
AS_OF = "2026-11-24T00:00:00Z"
TEST_KEY = "end-to-end-test-record-id-key-0123456789"
MULTI_PROCESS = [
    "--runner=FnApiRunner",
    "--direct_running_mode=multi_processing",
    "--direct_num_workers=2",
]
SINGLE_PROCESS = ["--runner=FnApiRunner"]


def run_pipeline(
    args: list[str], tmp: Path, name: str, extra_env: dict[str, str] | None = None
) -> tuple[Path, list[str]]:
    """Run ``python -m pipelines.eligibility`` in a fresh process; returns the
    output directory and the guard's record of network attempts. ``extra_env``
    adds to (or overrides) the process environment."""
    output = tmp / name
    guard_log = tmp / f"{name}.network.log"
    guard_log.write_text("")
    env = {
        **os.environ,
        "ELIGIBILITY_RECORD_ID_KEY": TEST_KEY,
        "NETWORK_GUARD_LOG": str(guard_log),
        "PYTHONPATH": os.pathsep.join([str(GUARD), str(REPO)]),
        **(extra_env or {}),
    }
    completed = subprocess.run(
        pipeline_command(args, output),
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert completed.returncode == 0, completed.stderr[-5000:]
    return output, [line for line in guard_log.read_text().splitlines() if line]


def pipeline_command(args: list[str], output: Path) -> list[str]:
    """``python -m pipelines.eligibility ARGS --output OUTPUT --as-of AS_OF``."""
    return [sys.executable, "-m", "pipelines.eligibility", *args, "--output", str(output),
            "--as-of", AS_OF]  # fmt: skip


def canonical_inputs(sample: Path) -> list[str]:
    return [
        "--conversations",
        str(sample / "conversations.jsonl"),
        "--consent-events",
        str(sample / "consent_events.jsonl"),
        "--sharing-events",
        str(sample / "sharing_events.jsonl"),
        "--deletions",
        str(sample / "deletions.jsonl"),
    ]

"""Running the real command line, ``python -m pipelines.<command>``, as a separate
process: its exit status and exactly what it printed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.e2e.conftest import AS_OF, REPO, TEST_KEY

# What Beam and its workers log that needs no action: never shown by default.
CHATTER = (
    "apitools",
    "semi_persistent",
    "Resource module",
    "Worker: severity",
    "INFO",
    "Discarding unparseable",
)


def cli(
    args: list[str], command: str = "eligibility", env: dict | None = None, timeout: float = 600
) -> subprocess.CompletedProcess:
    """``python -m pipelines.COMMAND ARGS`` with the test key; never raises on a
    non-zero exit."""
    return subprocess.run(
        [sys.executable, "-m", f"pipelines.{command}", *args],
        cwd=REPO,
        env={
            **os.environ,
            "ELIGIBILITY_RECORD_ID_KEY": TEST_KEY,
            "PYTHONPATH": str(REPO),
            **(env or {}),
        },
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def eligibility(inputs: list[str], output: Path, *flags: str) -> subprocess.CompletedProcess:
    return cli([*inputs, "--output", str(output), "--as-of", AS_OF, *flags])


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]

"""The cron + make equivalent of the Airflow DAG (scripts/daily.sh, ``make
daily``): two days of generated exports in the documented layout, each day's run,
its dead-letter check and the deletions into every retained run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.conftest import REPO, TEST_KEY
from tools.generate_sample import generate

pytestmark = pytest.mark.e2e

DAYS = ("2026-11-24", "2026-11-25")


def exports(root: Path) -> Path:
    """exports/<date>/<input>-0001.jsonl for two generated days."""
    for seed, day in enumerate(DAYS, start=31):
        folder = root / "exports" / day
        generate(folder, 60, seed=seed, as_of=f"{day}T00:00:00Z")
        for name in ("conversations", "consent_events", "sharing_events", "deletions"):
            (folder / f"{name}.jsonl").rename(folder / f"{name}-0001.jsonl")
    return root / "exports"


def daily(root: Path, day: str, max_rate: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "ELIGIBILITY_RECORD_ID_KEY": TEST_KEY,
        "PY": sys.executable,
        "EXPORTS": str(root / "exports"),
        "OUT": str(root / "out"),
        "DEAD_LETTERS": str(root / "dead_letters"),
        "RUNNER": "--runner=FnApiRunner",
        "RETRIES": "0",
        "MAX_DEAD_LETTER_RATE": max_rate,
    }
    return subprocess.run(
        ["bash", str(REPO / "scripts" / "daily.sh"), day],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def test_two_days_of_the_schedule(tmp_path):
    exports(tmp_path)
    first = daily(tmp_path, DAYS[0], "0.5")
    assert first.returncode == 0, first.stderr[-5000:]
    second = daily(tmp_path, DAYS[1], "0.5")
    assert second.returncode == 0, second.stderr[-5000:]
    for day in DAYS:
        assert (tmp_path / "out" / day / "_SUCCESS").exists()
        assert (tmp_path / "dead_letters" / day / "_SUCCESS").exists()
    assert f"unchanged  {tmp_path / 'out' / DAYS[0]}" in second.stdout
    # The generated exports dead-letter about a fifth of their records by design: a
    # threshold below that fails the day, and the deletions are applied all the same.
    strict = daily(tmp_path, DAYS[1], "0.01")
    assert strict.returncode == 1
    assert "dead-lettered" in strict.stdout and "over the threshold" in strict.stdout
    assert "Deletions applied as of 2026-11-25" in strict.stdout

"""Kill the real pipeline (SIGKILL, as a separate process) at several moments,
rerun the same command, and compare every output with an uninterrupted run:
Parquet files byte for byte, audit.json and _SUCCESS but for their start and
end times. ``_SUCCESS`` must exist only after a complete run.

Kills land (a) from outside, while the Beam run writes its shards into the
staging folder, and (b) at chosen steps of the swap, through the documented
test hook ``ELIGIBILITY_TEST_KILL_AT`` (transforms/write/finalize.py).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.e2e.conftest import (
    AS_OF,
    REPO,
    SINGLE_PROCESS,
    TEST_KEY,
    canonical_inputs,
    pipeline_command,
)
from tools.generate_sample import generate
from transforms.audit.report import render_report
from transforms.write.finalize import KILL_AT_ENV, STAGING_DIR

pytestmark = pytest.mark.hostile

KILLED = -signal.SIGKILL


@pytest.fixture(scope="module")
def small_sample(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("small-sample")
    generate(folder, n_conversations=40, seed=1124, as_of=AS_OF)
    return folder


@pytest.fixture(scope="module")
def reference(small_sample, tmp_path_factory) -> Path:
    """The outputs of an uninterrupted run."""
    output = tmp_path_factory.mktemp("reference") / "out"
    assert run_to_end(command(small_sample, output)) == 0
    return output


def command(sample: Path, output: Path, overwrite: bool = False) -> list[str]:
    extra = [*SINGLE_PROCESS, *(["--overwrite"] if overwrite else [])]
    return pipeline_command([*canonical_inputs(sample), *extra], output)


def start(argv: list[str], kill_at: str | None = None) -> subprocess.Popen:
    env = {**os.environ, "ELIGIBILITY_RECORD_ID_KEY": TEST_KEY, "PYTHONPATH": str(REPO)}
    env.pop(KILL_AT_ENV, None)
    if kill_at:
        env[KILL_AT_ENV] = kill_at
    return subprocess.Popen(
        argv,
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def run_to_end(argv: list[str], kill_at: str | None = None) -> int:
    return start(argv, kill_at).wait(timeout=300)


def kill_when_shards_are_staged(argv: list[str], output: Path) -> int:
    """Start a run and SIGKILL it as soon as its first shard file is staged."""
    process = start(argv)
    deadline = time.monotonic() + 300
    while process.poll() is None and time.monotonic() < deadline:
        if any((output / STAGING_DIR).glob("*/part-*.parquet")):
            os.killpg(process.pid, signal.SIGKILL)
            break
        time.sleep(0.005)
    return process.wait(timeout=60)


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def without_times(files: dict[str, bytes]) -> dict:
    """The files, with the start and end times of audit.json and _SUCCESS left out
    (report.html, which shows them, is checked to be its audit's page)."""
    result = dict(files)
    if "report.html" in result:
        page = render_report(json.loads(result["audit.json"])).encode("utf-8")
        result["report.html"] = result["report.html"] == page
    if "audit.json" in result:
        audit = json.loads(result["audit.json"])
        del audit["run"]["start_time"], audit["run"]["end_time"]
        result["audit.json"] = audit
    if "_SUCCESS" in result:
        success = json.loads(result["_SUCCESS"])
        del success["start_time"], success["end_time"]
        result["_SUCCESS"] = success
    return result


def published(folder: Path) -> dict[str, bytes]:
    return {k: v for k, v in files_of(folder).items() if not k.startswith(STAGING_DIR)}


def test_kills_during_the_run_and_the_swap_over_an_earlier_run_then_rerun(
    small_sample, reference, tmp_path
):
    output = tmp_path / "out"
    shutil.copytree(reference, output)  # an earlier complete run
    earlier = files_of(output)
    argv = command(small_sample, output, overwrite=True)

    assert kill_when_shards_are_staged(argv, output) == KILLED
    assert published(output) == earlier  # byte-identical, _SUCCESS and its times included

    assert run_to_end(argv, kill_at="success-removed") == KILLED
    assert not (output / "_SUCCESS").exists()

    assert run_to_end(argv) == 0
    assert without_times(files_of(output)) == without_times(files_of(reference))


def test_a_first_run_killed_during_the_swap_is_completed_by_the_same_command(
    small_sample, reference, tmp_path
):
    output = tmp_path / "out"
    argv = command(small_sample, output)  # no --overwrite

    assert run_to_end(argv, kill_at="replaced-lineage") == KILLED
    assert not (output / "_SUCCESS").exists()
    assert (output / "dataset").is_dir() and (output / "lineage").is_dir()

    assert run_to_end(argv) == 0
    assert without_times(files_of(output)) == without_times(files_of(reference))

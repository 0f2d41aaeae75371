"""The end-to-end pipeline on real Beam engines, compared with the local runner.

The same generated day of exports runs on the single-process FnApiRunner (the
reference) and on each engine below; every engine must write byte-identical
``dataset/``, ``lineage/`` and ``dead_letter/`` files and an ``audit.json`` with
identical counts, and the network guard (which sees every Python process of the
run: the pipeline, its LOOPBACK workers and the Python job service) must record
nothing.

- Prism (``PrismRunner``), Beam's Go runner, from the binary scripts/fetch_prism.sh
  builds; always with ``--prism_location``, and with an empty ``$HOME`` so that a run
  without it would have to download Prism from GitHub, which the guard refuses.
- ``PortableRunner`` against Beam's Python job service: the job-submission, artifact
  staging and Fn API protocol that Flink, Spark and Dataflow use.
- Flink and Spark through their Beam job-server jars, when FLINK_JOB_SERVER_JAR /
  SPARK_JOB_SERVER_JAR name one (see conftest.py).

Run with ``make test-engines`` (builds Prism once) or ``pytest -m engines``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import apache_beam
import pytest
from apache_beam.options.pipeline_options import FlinkRunnerOptions

from tests.e2e.conftest import SINGLE_PROCESS, canonical_inputs
from tests.engines.conftest import job_server_jar, timed_run

pytestmark = pytest.mark.engines

BEAM_VERSION = apache_beam.__version__
FLINK_VERSION = os.environ.get("FLINK_VERSION", FlinkRunnerOptions.PUBLISHED_FLINK_VERSIONS[-1])
FLINK_COORDINATES = f"org.apache.beam:beam-runners-flink-{FLINK_VERSION}-job-server:{BEAM_VERSION}"
SPARK_COORDINATES = f"org.apache.beam:beam-runners-spark-3-job-server:{BEAM_VERSION}"
OUTPUTS = ("dataset", "lineage", "dead_letter")


def files_of(output: Path, name: str) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((output / name).iterdir())}


def counts_of(output: Path) -> dict:
    return json.loads((output / "audit.json").read_text())["counts"]


def assert_same_as_reference(run, reference) -> None:
    output, network_attempts = run
    assert network_attempts == []
    for name in OUTPUTS:
        expected = files_of(reference[0], name)
        assert expected and files_of(output, name) == expected, name
    assert counts_of(output) == counts_of(reference[0])
    assert json.loads((output / "audit.json").read_text())["reconciliation"]["reconciles"]


@pytest.fixture(scope="module")
def reference(sample, truth, tmp_path_factory):
    """The single-process FnApiRunner run, checked against the known truth."""
    run = timed_run(
        "FnApiRunner (reference)",
        canonical_inputs(sample) + SINGLE_PROCESS,
        tmp_path_factory.mktemp("fnapi"),
        "out",
    )
    counts = counts_of(run[0])
    assert run[1] == []
    assert counts["records_read"] == truth["records_read"]
    assert counts["records_written"] == truth["expected_written"]
    assert counts["dead_lettered"] == truth["expected_dead_lettered"]
    return run


def test_prism_runner_writes_what_the_local_runner_writes(
    prism_binary, sample, reference, tmp_path_factory
):
    tmp = tmp_path_factory.mktemp("prism")
    home = tmp / "home"
    home.mkdir()
    args = [
        *canonical_inputs(sample),
        "--runner=PrismRunner",
        f"--prism_location={prism_binary}",
        "--environment_type=LOOPBACK",
    ]
    run = timed_run(
        f"PrismRunner (LOOPBACK, {prism_binary.parent.name})", args, tmp, "out", {"HOME": str(home)}
    )
    assert_same_as_reference(run, reference)
    # The SDK caches a Prism it downloads under ~/.apache_beam/cache/prism: nothing there.
    cache = home / ".apache_beam" / "cache" / "prism"
    assert not cache.exists() or not any(cache.rglob("*prism*")), list(cache.rglob("*"))


def test_portable_runner_on_the_python_job_service_writes_what_the_local_runner_writes(
    python_job_service, sample, reference, tmp_path_factory
):
    endpoint, job_service_guard_log = python_job_service
    args = [
        *canonical_inputs(sample),
        "--runner=PortableRunner",
        f"--job_endpoint={endpoint}",
        "--environment_type=LOOPBACK",
    ]
    run = timed_run(
        "PortableRunner (Python job service, LOOPBACK)",
        args,
        tmp_path_factory.mktemp("portable"),
        "out",
    )
    assert_same_as_reference(run, reference)
    assert job_service_guard_log.read_text() == ""


@pytest.fixture(scope="module")
def flink_jar() -> Path:
    return job_server_jar("flink", "FLINK_JOB_SERVER_JAR", FLINK_COORDINATES)


@pytest.fixture(scope="module")
def spark_jar() -> Path:
    return job_server_jar("spark", "SPARK_JOB_SERVER_JAR", SPARK_COORDINATES)


# The engine's own fixture comes first, so a skipped engine does not start the reference run.
def test_flink_runner_writes_what_the_local_runner_writes(
    flink_jar, sample, reference, tmp_path_factory
):
    jar = flink_jar
    args = [
        *canonical_inputs(sample),
        "--runner=FlinkRunner",
        "--flink_master=[local]",
        f"--flink_version={FLINK_VERSION}",
        f"--flink_job_server_jar={jar}",
        "--environment_type=LOOPBACK",
    ]
    run = timed_run(
        f"FlinkRunner (embedded Flink {FLINK_VERSION}, LOOPBACK)",
        args,
        tmp_path_factory.mktemp("flink"),
        "out",
    )
    assert_same_as_reference(run, reference)


def test_spark_runner_writes_what_the_local_runner_writes(
    spark_jar, sample, reference, tmp_path_factory
):
    jar = spark_jar
    args = [
        *canonical_inputs(sample),
        "--runner=SparkRunner",
        "--spark_master_url=local[2]",
        f"--spark_job_server_jar={jar}",
        "--environment_type=LOOPBACK",
    ]
    run = timed_run(
        "SparkRunner (local[2], LOOPBACK)", args, tmp_path_factory.mktemp("spark"), "out"
    )
    assert_same_as_reference(run, reference)

"""Set-up of the engine tests: which engines must run, the Prism binary, Beam's
Python job service, and a record of each run's wall time.

Rules (the same locally and in CI, except where noted):

- A tool or artifact an engine needs that is missing (the Go toolchain or the Prism
  binary, Java, a job-server jar that a variable points to) FAILS the test with a
  message naming it.
- Locally, a developer may skip an engine only by naming it in ``SKIP_ENGINES``
  (comma separated: ``prism``, ``portable``, ``flink``, ``spark``). With ``CI=true``
  that variable is refused.
- Flink and Spark run only when ``FLINK_JOB_SERVER_JAR`` / ``SPARK_JOB_SERVER_JAR``
  name a jar: Beam's job-server jars are not served by the package registry these
  machines use, so without the variable they are skipped, with the Maven coordinates
  in the reason. That is the only skip allowed in CI.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import apache_beam
import pytest

from tests.e2e.conftest import GUARD, REPO, run_pipeline

ENGINES = ("prism", "portable", "flink", "spark")
FETCH_PRISM = REPO / "scripts" / "fetch_prism.sh"
PRISM_MODULE = "github.com/apache/beam/sdks/v2/go/cmd/prism"
WALL_TIMES: dict[str, float] = {}


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def skip_if_requested(engine: str) -> None:
    """Skip ``engine`` when SKIP_ENGINES names it (locally only)."""
    requested = {
        name.strip().lower()
        for name in os.environ.get("SKIP_ENGINES", "").split(",")
        if name.strip()
    }
    unknown = requested - set(ENGINES)
    if unknown:
        pytest.fail(
            f"SKIP_ENGINES names unknown engines {sorted(unknown)}; known: {', '.join(ENGINES)}"
        )
    if engine not in requested:
        return
    if in_ci():
        pytest.fail(
            f"SKIP_ENGINES={os.environ['SKIP_ENGINES']} asks to skip {engine}, "
            f"but CI=true: engines may not be skipped in CI"
        )
    pytest.skip(f"{engine}: skipped on request (SKIP_ENGINES)")


def missing(engine: str, what: str) -> None:
    """A tool or artifact ``engine`` needs is missing: fail, naming it."""
    hint = "" if in_ci() else f" (to skip {engine} locally: SKIP_ENGINES={engine})"
    pytest.fail(f"{engine}: {what}{hint}", pytrace=False)


def timed_run(
    label: str, args: list[str], tmp: Path, name: str, extra_env: dict[str, str] | None = None
):
    """``run_pipeline`` that records its wall time under ``label``."""
    started = time.monotonic()
    result = run_pipeline(args, tmp, name, extra_env)
    WALL_TIMES[label] = time.monotonic() - started
    return result


def pytest_terminal_summary(terminalreporter):
    if WALL_TIMES:
        terminalreporter.section("engine wall times (one pipeline run each)")
        for label, seconds in WALL_TIMES.items():
            terminalreporter.write_line(f"{label:<55} {seconds:6.1f} s")


@pytest.fixture(scope="session")
def prism_binary() -> Path:
    """The Prism binary: $PRISM_LOCATION, or the one scripts/fetch_prism.sh builds
    (once) into .cache/prism/<apache-beam version>/prism."""
    skip_if_requested("prism")
    location = os.environ.get("PRISM_LOCATION")
    if location:
        path = Path(location)
        if not (path.is_file() and os.access(path, os.X_OK)):
            missing("prism", f"PRISM_LOCATION={location} is not an executable file")
        return path.resolve()
    version = apache_beam.__version__
    completed = subprocess.run(
        ["bash", str(FETCH_PRISM)],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ, "PY": sys.executable, "BEAM_VERSION": version},
        timeout=1800,
    )
    if completed.returncode != 0:
        missing(
            "prism",
            f"the Prism binary v{version} could not be built: "
            f"`go install {PRISM_MODULE}@v{version}` "
            f"(scripts/fetch_prism.sh) failed:\n{completed.stderr[-3000:]}",
        )
    return Path(completed.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def python_job_service(tmp_path_factory):
    """Beam's Python job service (the portable job API that Flink, Spark and Dataflow
    speak) in its own process on a free loopback port, under the network guard;
    yields (endpoint, guard log). Stopped after the module."""
    skip_if_requested("portable")
    tmp = tmp_path_factory.mktemp("job_service")
    port_file, log, guard_log = tmp / "port", tmp / "job_service.log", tmp / "network.log"
    guard_log.write_text("")
    env = {
        **os.environ,
        "NETWORK_GUARD_LOG": str(guard_log),
        "PYTHONPATH": os.pathsep.join([str(GUARD), str(REPO)]),
    }
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "apache_beam.runners.portability.local_job_service_main",
                "--port",
                "0",
                "--port_file",
                str(port_file),
                "--staging_dir",
                str(tmp / "staging"),
            ],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 120
        while not port_file.exists():
            if process.poll() is not None or time.monotonic() > deadline:
                missing(
                    "portable",
                    "Beam's Python job service (python -m apache_beam.runners."
                    "portability.local_job_service_main) did not start:\n"
                    + log.read_text(errors="replace")[-3000:],
                )
            time.sleep(0.1)
        yield f"localhost:{port_file.read_text().strip()}", guard_log
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def job_server_jar(engine: str, variable: str, coordinates: str) -> Path:
    """The Beam job-server jar of ``engine`` named by ``variable``, and Java to run it."""
    jar = os.environ.get(variable)
    if not jar:
        pytest.skip(
            f"{engine}: {variable} is not set. Beam's job server {coordinates} is not served "
            f"by the package registry here: Maven answers 'Could not find artifact "
            f"{coordinates.replace(f':{apache_beam.__version__}', '')}:jar:"
            f"{apache_beam.__version__} in central', as for every Beam {engine.title()} "
            f"job server tried from 2.40 to 2.77 (README, Deployment). Point {variable} at "
            f"the jar to run it."
        )
    skip_if_requested(engine)
    if not Path(jar).is_file():
        missing(engine, f"{variable}={jar} is not a file (expected the jar {coordinates})")
    if shutil.which("java") is None:
        missing(
            engine,
            f"`java` is not on PATH; the {engine.title()} job server "
            f"{Path(jar).name} is a Java program",
        )
    return Path(jar).resolve()

"""The Airflow DAG (deploy/airflow/training_eligibility_dag.py), loaded by
Airflow's own DagBag in Airflow's own virtualenv (.cache/airflow-venv, built by
``make airflow-venv``; the project's environment has no Airflow). Checks that it
imports cleanly, its tasks and their order, retries and trigger rules, and that
the command lines its Beam operators would run (templates rendered for one
logical date, as BeamHook builds them) are accepted by our pipelines' own
command-line checks, so the DAG and the CLI cannot drift apart.

Runs with ``make test-airflow`` (part of .ci/run). Without the virtualenv it is
skipped locally and fails in CI (CI=true)."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from pipelines import apply_deletions, check_run, options
from pipelines.flags import check_beam_flags
from tests.e2e.conftest import REPO
from tests.engines.conftest import in_ci

pytestmark = pytest.mark.airflow

AIRFLOW_PYTHON = REPO / ".cache" / "airflow-venv" / "bin" / "python"
DAGS = REPO / "deploy" / "airflow"
HOME = "/srv/training-eligibility"
DAY = "2026-11-24"
# What the Beam operator adds to every command at run time.
LABELS = "--labels=airflow-version=v3-3-2"


class UsageError(Exception):
    pass


def refuse(message: str):
    raise UsageError(message)


@pytest.fixture(scope="module")
def dag(tmp_path_factory) -> dict:
    if not AIRFLOW_PYTHON.exists():
        message = f"no Airflow virtualenv at {AIRFLOW_PYTHON}: `make airflow-venv` builds it"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    tmp = tmp_path_factory.mktemp("airflow")
    env = {
        **os.environ,
        "AIRFLOW_HOME": str(tmp / "home"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "TRAINING_ELIGIBILITY_HOME": HOME,
    }
    result = tmp / "dagbag.json"
    completed = subprocess.run(
        [str(AIRFLOW_PYTHON), str(REPO / "tests" / "airflow" / "load_dag.py"), str(DAGS), DAY]
        + [str(result)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr[-5000:]
    loaded = json.loads(result.read_text())
    assert loaded["import_errors"] == {}
    assert list(loaded["dags"]) == ["training_eligibility_daily"]
    return loaded["dags"]["training_eligibility_daily"]


def test_the_daily_run_then_its_checks_and_the_deletions(dag):
    tasks = dag["tasks"]
    assert set(tasks) == {"eligibility", "check_dead_letter_rate", "apply_deletions"}
    assert tasks["eligibility"]["upstream"] == []
    assert tasks["eligibility"]["downstream"] == ["apply_deletions", "check_dead_letter_rate"]
    assert tasks["check_dead_letter_rate"]["upstream"] == ["eligibility"]
    assert tasks["apply_deletions"]["upstream"] == ["eligibility"]
    # deletions propagate even when the day's own run failed
    assert tasks["apply_deletions"]["trigger_rule"] == "all_done"
    assert tasks["check_dead_letter_rate"]["trigger_rule"] == "all_success"
    assert tasks["eligibility"]["operator"] == "BeamRunPythonPipelineOperator"
    assert tasks["apply_deletions"]["operator"] == "BeamRunPythonPipelineOperator"
    assert tasks["eligibility"]["retries"] >= 1 and tasks["apply_deletions"]["retries"] >= 1
    assert tasks["check_dead_letter_rate"]["retries"] == 0
    assert dag["max_active_runs"] == 1 and dag["catchup"] is False


def pipeline_args(command: list[str], module: str) -> list[str]:
    assert command[0] == f"{HOME}/.venv/bin/python"
    assert command[1:3] == ["-m", module]
    return [*command[3:], LABELS]


def test_the_eligibility_command_is_accepted_by_the_pipeline(dag):
    args = pipeline_args(dag["tasks"]["eligibility"]["command"], "pipelines.eligibility")
    parsed, beam_args = options.build_parser().parse_known_args(args)
    check_beam_flags(refuse, beam_args)
    assert parsed.output == f"{HOME}/out/{DAY}" and parsed.overwrite
    assert parsed.as_of == f"{DAY}T00:00:00+00:00"
    assert parsed.deletions == f"{HOME}/exports/{DAY}/deletions-*"


def test_the_apply_deletions_command_is_accepted_by_the_pipeline(dag):
    args = pipeline_args(dag["tasks"]["apply_deletions"]["command"], "pipelines.apply_deletions")
    parsed, beam_args = apply_deletions.build_parser().parse_known_args(args)
    check_beam_flags(refuse, beam_args)
    assert parsed.runs == f"{HOME}/out/*"
    assert parsed.deletions == f"{HOME}/exports/*/deletions-*"
    assert parsed.as_of == f"{DAY}T00:00:00+00:00" and parsed.fail_on_overdue
    assert parsed.dead_letter == f"{HOME}/dead_letters/{DAY}"


def test_the_dead_letter_check_runs_check_run_on_the_day(dag, capsys):
    python, dash_m, module, *args = dag["tasks"]["check_dead_letter_rate"]["command"].split()
    assert (python, dash_m, module) == (f"{HOME}/.venv/bin/python", "-m", "pipelines.check_run")
    assert args[0] == f"{HOME}/out/{DAY}"
    assert check_run.main(args) == 1  # no such run here
    assert "has no _SUCCESS" in capsys.readouterr().out

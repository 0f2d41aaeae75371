"""Run by the Airflow virtualenv's python (not the project's): load the DAG
folder with Airflow's DagBag and print, as JSON, each DAG's settings and its
tasks: operator, upstream and downstream tasks, retries, trigger rule, and for
each Beam task the command line its BeamHook would run (templates rendered for
one logical date), for each Bash task its rendered command.

    .cache/airflow-venv/bin/python tests/airflow/load_dag.py deploy/airflow 2026-11-24 out.json

(Airflow logs to stdout; the JSON goes to the file named last.)
"""

from __future__ import annotations

import json
import sys
from datetime import datetime, timezone

import jinja2
from airflow.providers.apache.beam.hooks.beam import beam_options_to_args

try:  # Airflow 3
    from airflow.dag_processing.dagbag import DagBag
except ImportError:  # Airflow 2
    from airflow.models.dagbag import DagBag


def render(value, context: dict):
    if isinstance(value, str):
        return jinja2.Template(value).render(**context)
    if isinstance(value, dict):
        return {k: render(v, context) for k, v in value.items()}
    return value


def task_info(task, context: dict) -> dict:
    info = {
        "operator": type(task).__name__,
        "upstream": sorted(task.upstream_task_ids),
        "downstream": sorted(task.downstream_task_ids),
        "retries": task.retries,
        "trigger_rule": str(getattr(task.trigger_rule, "value", task.trigger_rule)),
    }
    if hasattr(task, "py_file"):
        options = render(dict(task.pipeline_options), context)
        info["command"] = [
            task.py_interpreter,
            *task.py_options,
            task.py_file,
            f"--runner={task.runner}",
            *beam_options_to_args(options),
        ]
    if hasattr(task, "bash_command"):
        info["command"] = render(task.bash_command, context)
    return info


def main(folder: str, day: str, result: str) -> None:
    logical = datetime.fromisoformat(day).replace(tzinfo=timezone.utc)
    context = {"ds": day, "ts": logical.isoformat()}
    bag = DagBag(dag_folder=folder)  # examples: off through AIRFLOW__CORE__LOAD_EXAMPLES
    dags = {
        dag_id: {
            "catchup": dag.catchup,
            "max_active_runs": dag.max_active_runs,
            "tasks": {task.task_id: task_info(task, context) for task in dag.tasks},
        }
        for dag_id, dag in bag.dags.items()
    }
    errors = {path: str(error) for path, error in bag.import_errors.items()}
    with open(result, "w", encoding="utf-8") as handle:
        json.dump({"import_errors": errors, "dags": dags}, handle)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3])

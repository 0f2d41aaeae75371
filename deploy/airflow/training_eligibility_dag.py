"""Daily training-eligibility run, for Apache Airflow.

Each day (the logical date, ``ds``):

1. ``eligibility``: ``python -m pipelines.eligibility`` on that day's exports
   (``EXPORTS/<ds>/``) into ``OUT/<ds>/``, as of the logical date, with
   ``--overwrite`` (a retry or a re-run replaces the day's outputs; ``_SUCCESS``
   is written last, only when the run completed and its audit reconciled);
2. ``check_dead_letter_rate``: fails when the day's run is not complete or
   dead-lettered more than ``MAX_DEAD_LETTER_RATE`` of the records it read
   (``python -m pipelines.check_run``), so a broken export does not pass quietly;
3. ``apply_deletions``: ``python -m pipelines.apply_deletions`` over every
   retained run folder (``OUT/*``) with every retained day's deletion requests,
   as of the logical date: deleted accounts and conversations leave the datasets
   already written. It runs even when the day's own run failed
   (``trigger_rule=all_done``): deletions must propagate whatever happens to
   the new day. It fails (and the DAG run with it) when a folder could not be
   updated or a request older than 30 days still removed records.

Both Beam steps run through ``apache-airflow-providers-apache-beam``'s
``BeamRunPythonPipelineOperator`` with the project's own interpreter
(``py_interpreter``), so Airflow's environment needs neither the project nor
its dependencies. Settings come from the environment of the Airflow
scheduler and workers (defaults below): ``TRAINING_ELIGIBILITY_HOME`` (the
checkout), ``..._PYTHON``, ``..._EXPORTS``, ``..._OUT``, ``..._DEAD_LETTERS``,
``..._KEY_REF`` (the record-id key by reference: ``env:NAME``, ``file:PATH``,
``gcp-secret:...``), ``..._MAX_DEAD_LETTER_RATE``. The README's "Scheduled
runs" describes the layout, what to retain and what to monitor, and the cron +
Makefile equivalent for teams without Airflow.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta

from airflow.providers.apache.beam.operators.beam import BeamRunPythonPipelineOperator

try:  # Airflow 3
    from airflow.providers.standard.operators.bash import BashOperator
    from airflow.sdk import DAG
except ImportError:  # Airflow 2
    from airflow import DAG
    from airflow.operators.bash import BashOperator

HOME = os.environ.get("TRAINING_ELIGIBILITY_HOME", "/opt/training-eligibility")
PYTHON = os.environ.get("TRAINING_ELIGIBILITY_PYTHON", f"{HOME}/.venv/bin/python")
EXPORTS = os.environ.get("TRAINING_ELIGIBILITY_EXPORTS", f"{HOME}/exports")
OUT = os.environ.get("TRAINING_ELIGIBILITY_OUT", f"{HOME}/out")
DEAD_LETTERS = os.environ.get("TRAINING_ELIGIBILITY_DEAD_LETTERS", f"{HOME}/dead_letters")
KEY_REF = os.environ.get("TRAINING_ELIGIBILITY_KEY_REF", "env:ELIGIBILITY_RECORD_ID_KEY")
MAX_DEAD_LETTER_RATE = os.environ.get("TRAINING_ELIGIBILITY_MAX_DEAD_LETTER_RATE", "0.02")
# Local, offline: two worker processes. On Dataflow: runner DataflowRunner and its
# options (project, region, temp_location, sdk_container_image; README, Deployment).
RUNNER = "FnApiRunner"
BEAM_OPTIONS = {"direct_running_mode": "multi_processing", "direct_num_workers": 2}


def beam_task(task_id: str, module: str, options: dict, **kwargs) -> BeamRunPythonPipelineOperator:
    """``python -m <module> --<option>=<value> ...`` with the project's interpreter."""
    return BeamRunPythonPipelineOperator(
        task_id=task_id,
        runner=RUNNER,
        py_interpreter=PYTHON,
        py_options=["-m"],
        py_file=module,
        pipeline_options={**options, **BEAM_OPTIONS},
        **kwargs,
    )


DAY = "{{ ds }}"
AS_OF = "{{ ts }}"  # the logical date, RFC 3339 with its offset

with DAG(
    dag_id="training_eligibility_daily",
    description="Eligibility run of the day, its dead-letter check, deletions into earlier runs",
    schedule="@daily",
    start_date=datetime(2026, 11, 1),
    catchup=False,
    max_active_runs=1,  # two runs must never write the same folders at once
    default_args={
        "retries": 2,
        "retry_delay": timedelta(minutes=10),
        "retry_exponential_backoff": True,
    },
    tags=["training-eligibility"],
    doc_md=__doc__,
) as dag:
    eligibility = beam_task(
        "eligibility",
        "pipelines.eligibility",
        {
            "conversations": f"{EXPORTS}/{DAY}/conversations-*",
            "consent-events": f"{EXPORTS}/{DAY}/consent_events-*",
            "sharing-events": f"{EXPORTS}/{DAY}/sharing_events-*",
            "deletions": f"{EXPORTS}/{DAY}/deletions-*",
            "as-of": AS_OF,
            "output": f"{OUT}/{DAY}",
            "overwrite": True,
            "record-id-key": KEY_REF,
        },
    )
    check_dead_letter_rate = BashOperator(
        task_id="check_dead_letter_rate",
        bash_command=(
            f"{PYTHON} -m pipelines.check_run {OUT}/{DAY} "
            f"--max-dead-letter-rate {MAX_DEAD_LETTER_RATE}"
        ),
        retries=0,  # a rate over the threshold does not change on a retry
    )
    apply_deletions = beam_task(
        "apply_deletions",
        "pipelines.apply_deletions",
        {
            "runs": f"{OUT}/*",
            "deletions": f"{EXPORTS}/*/deletions-*",
            "as-of": AS_OF,
            "dead-letter": f"{DEAD_LETTERS}/{DAY}",
            "fail-on-overdue": True,
        },
        trigger_rule="all_done",
    )
    eligibility >> [check_dead_letter_rate, apply_deletions]

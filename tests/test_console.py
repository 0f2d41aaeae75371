"""The pure parts of what a run says: which log lines pass the chatter filter,
the progress line, strict configuration keys, the report's escaping."""

from __future__ import annotations

import pytest
import yaml

from pipelines.console import ChatterFilter
from pipelines.progress import progress_line
from transforms.audit.report import render_report
from transforms.pii.config import check_keys
from transforms.policy.config import DEFAULT_POLICY_PATH, PolicyError, parse_policy

WORKER_LINES = [
    ("WARNING:root:apitools not found, and bigquery client libraries are not available", False),
    ("INFO:__main__:Logging handler created.", False),
    ("INFO:apache_beam.runners.worker.sdk_worker:Running ((ref_AppliedPTransform_x\n", False),
    ("  a continuation of that INFO record", False),
    ("WARNING:__main__:No semi_persistent_directory found: User registered objects", False),
    ("WARNING:root:Resource module is not available for current platform", False),
    (
        'WARNING:apache_beam.runners.portability.local_job_service:Worker: severity: WARN "x"',
        False,
    ),
    ("WARNING:transforms.read.inputs:input dead-lettered as a whole: f.jsonl: truncated", True),
    ("  and its continuation", True),
    ("ERROR:apache_beam.runners.worker.sdk_worker:Error processing instruction 3", True),
    ("Traceback (most recent call last):", True),
    ('  File "x.py", line 1, in <module>', True),
]


def test_the_filter_passes_what_needs_action_and_drops_the_chatter():
    keep = ChatterFilter()
    assert [(line, keep.passes(line)) for line, _ in WORKER_LINES] == WORKER_LINES


def test_the_progress_line_names_the_stage_reached_and_its_rate():
    counts = {"read": 1200, "decided": 800, "redacted": 0, "files": 0}
    line = progress_line(counts, {"read": 1200, "decided": 300}, 65.2, 10)
    assert line == "progress 1:05  read 1,200 · 800 through the policy  [stage: policy, 50/s]"
    assert progress_line(dict.fromkeys(counts, 0), {}, 1, 10).endswith("[stage: starting]")


def test_unknown_keys_anywhere_in_the_policy_name_their_path():
    document = yaml.safe_load(DEFAULT_POLICY_PATH.read_text())
    for path, where in (
        (("trim_mesages",), "trim_mesages"),
        (("categories", "api", "gate", "defualt"), "categories.api.gate.defualt"),
        (("categories", "fine_tune_upload", "never", "rule_id"), "never.rule_id"),
    ):
        broken = yaml.safe_load(DEFAULT_POLICY_PATH.read_text())
        node = broken
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = True
        with pytest.raises(PolicyError, match=f"unknown key .*{where}"):
            parse_policy(broken, "policy.yaml")
    parse_policy(document, "policy.yaml")  # the shipped file is fine


@pytest.mark.parametrize(
    "document, says",
    [
        ({"version": "1", "modle": "x"}, "unknown key modle"),
        ({"version": "1", "nlp_batch": {"max_text": 1}}, "unknown key nlp_batch.max_text"),
        ({"version": "1", "allow_list": {"value": []}}, "unknown key allow_list.value"),
        ({"version": "1", "pii_density": [1]}, "pii_density must be a mapping"),
        ({"model": "x"}, "version must be a non-empty string"),
    ],
)
def test_unknown_pii_keys_and_a_missing_version_are_errors(document, says):
    with pytest.raises(ValueError, match=says):
        check_keys(document)


def test_the_report_escapes_every_text():
    audit = {
        "run": {
            "as_of": "<b>",
            "policy": {"id": "<script>x</script>", "version": "1"},
            "inputs": {"conversations": "a&b<i>.jsonl"},
        },
        "counts": {
            "records_read": 1,
            "records_written": 0,
            "dead_lettered": 0,
            "excluded": {"<img src=x>": 1},
            "excluded_by_source": {"<s>": {"<img src=x>": 1}},
            "written_by_source": {},
            "dead_lettered_by_stage": {},
            "pii_entities_redacted": {},
            "messages_trimmed_after_opt_out": 0,
            "messages_trimmed_after_as_of": 0,
            "non_text_parts_dropped": 0,
            "messages_written": 0,
            "api_past_retention": 0,
            "control_events_read": {},
            "control_events_dead_lettered": {},
        },
        "reconciliation": {"records_read": 1, "accounted_for": 1, "reconciles": True},
    }
    page = render_report(audit)
    assert "<script>" not in page and "<img" not in page and "<i>" not in page
    assert "&lt;script&gt;" in page and "a&amp;b&lt;i&gt;.jsonl" in page


def test_exit_now_keeps_the_code_the_output_and_the_exit_handlers(tmp_path):
    """A finished command leaves with its code, its buffered output and its
    exit handlers' work done, without the interpreter's teardown."""
    import subprocess
    import sys

    marker = tmp_path / "handler-ran"
    script = (
        "import atexit, pathlib, sys\n"
        "from pipelines import console\n"
        f"atexit.register(lambda: pathlib.Path({str(marker)!r}).write_text('yes'))\n"
        "sys.stdout.write('buffered, no newline')\n"
        "console.exit_now(3)\n"
        "print('never')\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 3
    assert done.stdout == "buffered, no newline"
    assert marker.read_text() == "yes"

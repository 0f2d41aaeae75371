"""The command line of ``python -m pipelines.apply_deletions``: usage errors exit
2 before any work, and the exit status says whether every folder was updated."""

from __future__ import annotations

import pytest

from pipelines.apply_deletions import (
    EXIT_NOT_UPDATED,
    EXIT_OK,
    EXIT_OVERDUE,
    build_parser,
    exit_status,
    resolve,
)
from pipelines.summary import DeletionsReport


@pytest.fixture
def layout(tmp_path):
    (tmp_path / "runs" / "day1").mkdir(parents=True)
    deletions = tmp_path / "deletions.jsonl"
    deletions.write_text("")
    return tmp_path, ["--runs", str(tmp_path / "runs" / "*"), "--deletions", str(deletions)]


def usage_error(argv, capsys) -> str:
    with pytest.raises(SystemExit) as info:
        resolve(argv, start=0)
    assert info.value.code == 2
    return capsys.readouterr().err


def test_help_documents_every_flag(capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--help"])
    text = capsys.readouterr().out
    for flag in (
        "--runs",
        "--deletions",
        "--as-of",
        "--dead-letter",
        "--fail-on-overdue",
        "--join",
    ):
        assert flag in text


def test_usage_errors_exit_2_before_any_work(layout, capsys):
    tmp, argv = layout
    (tmp / "dead").mkdir()
    (tmp / "dead" / "notes.txt").write_text("mine")
    for extra, message in (
        (["--runs", str(tmp / "nothing-*")], "matches no folder"),
        (["--deletions", str(tmp / "none-*.jsonl")], "matches no file"),
        (["--as-of", "yesterday"], "--as-of"),
        (["--frobnicate"], "unrecognized arguments"),
        (["--join", "hash"], "invalid choice"),
        (
            ["--join", "cogroup", "--direct_running_mode=multi_processing"],
            "--join cogroup is refused",
        ),
        (["--dead-letter", str(tmp / "dead")], "notes.txt"),
        (["--dead-letter", str(tmp / "runs" / "day1")], "one of the --runs folders"),
        (["--dead-letter", str(tmp / "deletions.jsonl")], "not a folder"),
    ):
        assert message in usage_error([*argv, *extra], capsys)
    config = resolve([*argv, "--as-of", "2026-11-24T00:00:00Z", "--runner=FnApiRunner"], 0)
    assert config.run_folders == (str(tmp / "runs" / "day1"),)


def test_the_exit_status_says_whether_every_folder_was_updated():
    report = DeletionsReport(as_of="T")
    assert exit_status(report) == EXIT_OK
    overdue = {"records_removed": {"D1": 1}, "overdue": {"records": 1, "requests": 1}}
    report.updated.append(("day1", overdue))
    assert exit_status(report) == EXIT_OK  # a warning only
    report.fail_on_overdue = True
    assert exit_status(report) == EXIT_OVERDUE
    report.refused.append(("day0", "no _SUCCESS"))
    assert exit_status(report) == EXIT_NOT_UPDATED

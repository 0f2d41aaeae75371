"""Hostile or broken --output folders, on the real pipeline (run in-process):
glob characters, user files beside and inside the outputs, refused paths, and
reruns that fail after the pipeline started."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import pipelines.eligibility as eligibility
import pipelines.options as options
import transforms.audit.document as audit_document
import transforms.write.audit as audit_write
import transforms.write.outputs as outputs
from pipelines.eligibility import run
from transforms.write.finalize import STAGING_DIR
from transforms.write.paths import write_atomically

pytestmark = pytest.mark.hostile

KEY = "hostile-outputs-test-key-0123456789"
RECORD = (
    '{{"conversation_id": "{id}", "user_id": "u-{id}", "source": "chatgpt_free", '
    '"created_at": 0, "messages": [{{"role": "user", "content": "How do I sort a list?"}}]}}'
)


@pytest.fixture
def command(tmp_path, monkeypatch) -> list[str]:
    monkeypatch.setenv("ELIGIBILITY_RECORD_ID_KEY", KEY)
    conversations = tmp_path / "conversations.jsonl"
    conversations.write_text("\n".join(RECORD.format(id=i) for i in ("c1", "c2")) + "\n{bad\n")
    return [
        "--conversations",
        str(conversations),
        "--runner=FnApiRunner",
        "--as-of",
        "2026-11-24T00:00:00Z",
    ]


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Path:
    """One complete run, copied where a test needs an earlier run's outputs."""
    folder = tmp_path_factory.mktemp("reference")
    conversations = folder / "conversations.jsonl"
    conversations.write_text("\n".join(RECORD.format(id=i) for i in ("c1", "c2")) + "\n{bad\n")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ELIGIBILITY_RECORD_ID_KEY", KEY)
        run(
            [
                "--conversations",
                str(conversations),
                "--runner=FnApiRunner",
                "--as-of",
                "2026-11-24T00:00:00Z",
                "--output",
                str(folder / "out"),
            ]
        )
    return folder / "out"


def earlier_run(reference: Path, output: Path) -> Path:
    shutil.copytree(reference, output)
    return output


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` but the staging folder, by relative path."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and STAGING_DIR not in p.parts
    }


def usage_error(argv, capsys) -> str:
    with pytest.raises(SystemExit) as info:
        run(argv)
    assert info.value.code == 2
    return capsys.readouterr().err


def test_glob_characters_in_output_are_literal(command, tmp_path, reference):
    day1 = snapshot(earlier_run(reference, tmp_path / "day1"))
    pattern = earlier_run(reference, tmp_path / "day[1]")
    run(command + ["--output", str(pattern), "--overwrite"])
    assert snapshot(tmp_path / "day1") == day1
    assert snapshot(pattern)["_SUCCESS"] != day1["_SUCCESS"]  # day[1] itself was replaced


def test_overwrite_leaves_user_files_beside_the_outputs_and_refuses_them_inside(
    command, tmp_path, capsys, reference
):
    out = earlier_run(reference, tmp_path / "out")
    (out / "notes.txt").write_text("mine")
    (out / ".hidden").write_text("mine")
    (out / "mine").mkdir()
    (out / "mine" / "dataset").write_text("mine")
    first_audit = (out / "audit.json").read_bytes()
    run(command + ["--output", str(out), "--overwrite"])
    files = snapshot(out)
    assert (files["notes.txt"], files[".hidden"], files["mine/dataset"]) == (b"mine",) * 3
    assert files["audit.json"] != first_audit  # replaced (new start time)
    (out / "dataset" / "my-notes.txt").write_text("mine")
    before = snapshot(out)
    err = usage_error(command + ["--output", str(out), "--overwrite"], capsys)
    assert "my-notes.txt" in err
    assert snapshot(out) == before


def failing_lineage_row(record, key):
    raise RuntimeError("injected failure while writing lineage")


def test_a_rerun_that_fails_after_the_pipeline_started_leaves_the_previous_outputs(
    command, tmp_path, monkeypatch, reference
):
    out = earlier_run(reference, tmp_path / "out")
    (out / "notes.txt").write_text("mine")
    before = snapshot(out)
    with monkeypatch.context() as patch:
        patch.setattr(outputs, "lineage_row", failing_lineage_row)
        with pytest.raises(Exception, match="injected failure"):
            run(command + ["--output", str(out), "--overwrite"])
    assert snapshot(out) == before
    with monkeypatch.context() as patch:  # the run completes, but its audit does not reconcile
        patch.setattr(
            audit_document,
            "reconciliation",
            lambda counts: {"reconciles": False, "records_read": 3, "accounted_for": 2},
        )
        with pytest.raises(Exception, match="accounted_for=2"):
            run(command + ["--output", str(out), "--overwrite"])
    assert snapshot(out) == before


def test_a_first_run_that_fails_writes_no_success_and_no_outputs(command, tmp_path, monkeypatch):
    out = tmp_path / "out"
    monkeypatch.setattr(outputs, "lineage_row", failing_lineage_row)
    with pytest.raises(Exception, match="injected failure"):
        run(command + ["--output", str(out)])
    assert snapshot(out) == {}


def test_success_is_written_last_and_the_audit_atomically(command, tmp_path, monkeypatch):
    out = tmp_path / "out"
    seen_at_swap = {}
    real_swap = eligibility.finalize.swap

    def observing_swap(output, staging, success):
        seen_at_swap["success"] = (out / "_SUCCESS").exists()
        seen_at_swap["staged"] = sorted(p.name for p in Path(staging).iterdir())
        real_swap(output, staging, success)

    monkeypatch.setattr(eligibility.finalize, "swap", observing_swap)
    atomic_writes = []

    def recording_write(path, data, temporary=None):
        atomic_writes.append(Path(path).name)
        write_atomically(path, data, temporary)

    monkeypatch.setattr(audit_write, "write_atomically", recording_write)
    run(command + ["--output", str(out)])
    assert atomic_writes == ["audit.json"]
    assert seen_at_swap == {
        "success": False,
        "staged": ["audit.json", "dataset", "dead_letter", "lineage", "redactions", "report.html"],
    }
    assert sorted(snapshot(out)) == [
        "_SUCCESS",
        "audit.json",
        "dataset/part-00000-of-00001.parquet",
        "dead_letter/part-00000-of-00001.parquet",
        "lineage/part-00000-of-00001.parquet",
        "redactions/part-00000-of-00001.parquet",
        "report.html",
    ]  # no staging folder, no temporary file
    assert not (out / STAGING_DIR).exists()
    audit = json.loads((out / "audit.json").read_text())
    success = json.loads((out / "_SUCCESS").read_text())
    assert audit["reconciliation"]["reconciles"]
    assert success["records"] == {"read": 3, "written": 2, "dead_lettered": 1, "excluded": 0}
    assert success["files"] == {
        "audit.json": 1,
        "dataset": 1,
        "dead_letter": 1,
        "lineage": 1,
        "redactions": 1,
    }


def test_unusable_outputs_are_refused_before_any_work(command, tmp_path, monkeypatch, capsys):
    home = tmp_path / "home" / "someone"
    home.mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setattr(options, "load_policy", lambda *_: pytest.fail("work started"))
    a_file = tmp_path / "a-file"
    a_file.write_text("mine")
    for output, reason in (
        ("", "empty"),
        (str(a_file), "not a folder"),
        ("/", "root"),
        (str(home), "home folder"),
        (str(tmp_path / "home"), "home folder"),
        (".", "home folder"),
    ):
        monkeypatch.chdir(home if output == "." else tmp_path)
        assert reason in usage_error(command + ["--output", output, "--overwrite"], capsys)
    assert a_file.read_text() == "mine"
    assert not list(tmp_path.rglob(STAGING_DIR)) and not list(home.iterdir())

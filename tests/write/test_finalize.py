"""Staging, then swap (transforms/write/finalize.py) and literal paths
(transforms/write/paths.py), on hand-made staged outputs: every refusal rule,
a kill at every step of the swap and the rerun that recovers from it, a failed
swap undone, and the same swap on a remote (in-memory, GCS-like) filesystem."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.write import memory_filesystem
from transforms.write import finalize, paths
from transforms.write.finalize import (
    KILL_POINTS,
    OUTPUT_FOLDERS,
    STAGING_DIR,
    SWAP_MARKER,
    NotPublished,
    OutputRefused,
)

SHARD = "part-00000-of-00001.parquet"


def audit(reconciles: bool = True, files_written: int = 4) -> dict:
    return {
        "run": {"pipeline_version": "0.1.0", "as_of": "A", "start_time": "S"},
        "counts": {
            "records_read": 3,
            "records_written": 1,
            "dead_lettered": 1,
            "excluded": {"user_opted_out": 1},
        },
        "reconciliation": {"reconciles": reconciles},
        "outputs": {"files_written": files_written},
    }


def stage(output: str, tag: str, **audit_args) -> None:
    """What a finished pipeline leaves in the staging folder (contents tagged)."""
    staging = finalize.prepare_staging(output)
    for name in OUTPUT_FOLDERS:
        paths.write_atomically(paths.join(staging, name, SHARD), f"{tag} {name}".encode())
    paths.write_atomically(
        paths.join(staging, "audit.json"), json.dumps({**audit(**audit_args), "tag": tag}).encode()
    )


def run_to_completion(output: Path, tag: str, overwrite: bool = True) -> None:
    stage(str(output), tag)
    finalize.publish(str(output), overwrite)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def published(folder: Path) -> dict[str, bytes]:
    """The outputs as a consumer sees them (without _SUCCESS's end time)."""
    files = snapshot(folder)
    success = json.loads(files.pop("_SUCCESS"))
    assert success.pop("end_time")
    return {**files, "_SUCCESS": success}


class Killed(BaseException):
    """Stands for SIGKILL: no `except Exception` (and so no undo) runs."""


# --- refusals ---------------------------------------------------------------


@pytest.mark.parametrize("output", ["", "   "])
def test_an_empty_output_is_refused(output):
    with pytest.raises(OutputRefused, match="empty"):
        finalize.check_output_path(output, home=None)


def test_a_file_the_root_the_home_folder_and_its_parents_are_refused(tmp_path):
    home = tmp_path / "home" / "someone"
    home.mkdir(parents=True)
    (tmp_path / "notes.txt").write_text("mine")
    refused = {
        str(tmp_path / "notes.txt"): "not a folder",
        str(tmp_path / "notes.txt" / "out"): "not a folder",
        "/": "root",
        str(home): "home folder",
        str(home) + "/": "home folder",
        str(home / ".." / "someone"): "home folder",
        str(tmp_path / "home"): "home folder",
        str(tmp_path): "home folder",
        str(tmp_path / "out" / STAGING_DIR): "staging folder",
    }
    for output, reason in refused.items():
        with pytest.raises(OutputRefused, match=reason):
            finalize.check_output_path(output, home=str(home))
    for fine in (home / "runs" / "day1", tmp_path / "elsewhere", tmp_path / "day[1]"):
        finalize.check_output_path(str(fine), home=str(home))


def test_a_symbolic_link_to_the_home_folder_is_the_home_folder(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (tmp_path / "link").symlink_to(home)
    with pytest.raises(OutputRefused, match="home folder"):
        finalize.check_output_path(str(tmp_path / "link"), home=str(home))


def test_foreign_entries_where_the_run_replaces_its_outputs_are_refused(tmp_path):
    run_to_completion(tmp_path, "old")
    before = snapshot(tmp_path)
    for foreign, make in (
        (tmp_path / "dataset" / "notes.txt", lambda p: p.write_text("x")),
        (tmp_path / "lineage" / "sub", Path.mkdir),
        (tmp_path / "redactions" / "part-1.parquet", lambda p: p.write_text("x")),
        (
            tmp_path / "dead_letter" / ("link-" + SHARD),
            lambda p: p.symlink_to(tmp_path / "dataset" / SHARD),
        ),
    ):
        make(foreign)
        with pytest.raises(OutputRefused, match=foreign.name):
            finalize.inspect_output(str(tmp_path))
        (foreign.rmdir if foreign.is_dir() and not foreign.is_symlink() else foreign.unlink)()
    (tmp_path / "audit.json").unlink()
    (tmp_path / "audit.json").mkdir()
    with pytest.raises(OutputRefused, match="audit.json"):
        finalize.inspect_output(str(tmp_path))
    (tmp_path / "audit.json").rmdir()
    (tmp_path / STAGING_DIR).write_text("not ours")
    with pytest.raises(OutputRefused, match="staging"):
        finalize.inspect_output(str(tmp_path))
    assert {
        k: v for k, v in snapshot(tmp_path).items() if k not in ("audit.json", STAGING_DIR)
    } == {k: v for k, v in before.items() if k != "audit.json"}


def test_reuse_needs_overwrite_unless_the_folder_holds_debris_of_an_interrupted_swap(
    tmp_path, monkeypatch
):
    out = str(tmp_path)
    finalize.check_reuse(out, finalize.inspect_output(out), overwrite=False)  # empty
    run_to_completion(tmp_path, "old")
    state = finalize.inspect_output(out)
    assert state.complete and not state.interrupted
    with pytest.raises(OutputRefused, match="--overwrite"):
        finalize.check_reuse(out, state, overwrite=False)
    finalize.check_reuse(out, state, overwrite=True)
    (tmp_path / "_SUCCESS").unlink()  # outputs without _SUCCESS, no marker: not ours to judge
    with pytest.raises(OutputRefused, match="--overwrite"):
        finalize.check_reuse(out, finalize.inspect_output(out), overwrite=False)
    stage(out, "new")
    monkeypatch.setattr(finalize, "_checkpoint", kill_at("replaced-lineage"))
    with pytest.raises(Killed):
        finalize.publish(out, overwrite=True)
    state = finalize.inspect_output(out)
    assert state.interrupted and not state.complete
    finalize.check_reuse(out, state, overwrite=False)


# --- the swap ---------------------------------------------------------------


def kill_at(step: str):
    def checkpoint(reached: str) -> None:
        if reached == step:
            raise Killed(step)

    return checkpoint


def test_a_complete_swap_publishes_the_staged_outputs_and_leaves_user_files_alone(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "dataset").write_text("mine too")
    (tmp_path / "report.html").write_text("an older run's report")
    run_to_completion(tmp_path, "new", overwrite=True)
    files = published(tmp_path)
    assert files["dataset/" + SHARD] == b"new dataset"
    assert json.loads(files["audit.json"])["tag"] == "new"
    assert files["_SUCCESS"] == {
        "pipeline_version": "0.1.0",
        "as_of": "A",
        "start_time": "S",
        "records": {"read": 3, "written": 1, "dead_lettered": 1, "excluded": 1},
        "files": {"dataset": 1, "lineage": 1, "redactions": 1, "dead_letter": 1, "audit.json": 1},
    }
    assert files["notes.txt"] == b"mine" and files["mine/dataset"] == b"mine too"
    assert "report.html" not in files  # reserved name: replaced, the stale report is gone
    assert not (tmp_path / STAGING_DIR).exists()
    assert not list(tmp_path.rglob("*.tmp"))


@pytest.mark.parametrize("step", KILL_POINTS)
def test_a_kill_at_any_step_is_recovered_by_the_rerun(tmp_path, monkeypatch, step):
    out = tmp_path / "out"
    (tmp_path / "reference").mkdir()
    run_to_completion(tmp_path / "reference", "new")
    run_to_completion(out, "old")
    (out / "notes.txt").write_text("mine")
    old = snapshot(out)
    stage(str(out), "new")
    monkeypatch.setattr(finalize, "_checkpoint", kill_at(step))
    with pytest.raises(Killed):
        finalize.publish(str(out), overwrite=True)
    monkeypatch.undo()
    state = finalize.inspect_output(str(out))
    if step in ("staged", "swap-started"):  # nothing in DIR touched yet
        assert {k: v for k, v in snapshot(out).items() if not k.startswith(STAGING_DIR)} == old
    elif step == "success-written":
        assert state.complete
    else:
        assert not (out / "_SUCCESS").exists() and state.interrupted
    # A rerun killed while the pipeline writes: the folder is still what it was.
    staging = finalize.prepare_staging(str(out))
    paths.write_atomically(paths.join(staging, "dataset", SHARD), b"half")
    assert finalize.inspect_output(str(out)) == state
    # The same command again, without --overwrite where the folder holds debris.
    finalize.check_reuse(str(out), state, overwrite=not state.interrupted)
    run_to_completion(out, "new", overwrite=not state.interrupted)
    assert published(out) == {**published(tmp_path / "reference"), "notes.txt": b"mine"}


def test_a_swap_that_fails_is_undone(tmp_path, monkeypatch):
    run_to_completion(tmp_path, "old")
    (tmp_path / "notes.txt").write_text("mine")
    old = snapshot(tmp_path)
    stage(str(tmp_path), "new")
    real_move, calls = paths.move, []

    def failing_move(source, destination):
        calls.append(source)
        if len(calls) == 5:
            raise OSError("disk trouble")
        real_move(source, destination)

    monkeypatch.setattr(finalize, "move", failing_move)
    with pytest.raises(OSError, match="disk trouble"):
        finalize.publish(str(tmp_path), overwrite=True)
    after = {k: v for k, v in snapshot(tmp_path).items() if not k.startswith(STAGING_DIR)}
    assert after == old
    assert not (tmp_path / STAGING_DIR / SWAP_MARKER).exists()
    assert finalize.inspect_output(str(tmp_path)).complete


def test_staged_outputs_that_do_not_reconcile_or_miss_a_shard_are_not_published(tmp_path):
    run_to_completion(tmp_path, "old")
    old = snapshot(tmp_path)
    stage(str(tmp_path), "new", reconciles=False)
    with pytest.raises(NotPublished, match="reconcile"):
        finalize.publish(str(tmp_path), overwrite=True)
    stage(str(tmp_path), "new", files_written=5)
    with pytest.raises(NotPublished, match="do not match"):
        finalize.publish(str(tmp_path), overwrite=True)
    stage(str(tmp_path), "new")
    (tmp_path / STAGING_DIR / "audit.json").unlink()
    with pytest.raises(NotPublished, match="no audit"):
        finalize.publish(str(tmp_path), overwrite=True)
    assert {k: v for k, v in snapshot(tmp_path).items() if not k.startswith(STAGING_DIR)} == old


def test_prepare_staging_clears_leftovers_but_keeps_the_marker_of_an_interrupted_swap(tmp_path):
    staging = tmp_path / STAGING_DIR
    (staging / "dataset").mkdir(parents=True)
    (staging / "dataset" / ".part-00000-of-00001.parquet.tmp").write_bytes(b"half")
    (staging / SWAP_MARKER).write_text("{}")
    finalize.prepare_staging(str(tmp_path))
    assert [p.name for p in staging.iterdir()] == [SWAP_MARKER]
    (tmp_path / "_SUCCESS").write_text("{}")  # a complete run: the marker is stale
    finalize.prepare_staging(str(tmp_path))
    assert list(staging.iterdir()) == []


def test_temporary_files_of_abandoned_attempts_are_not_published(tmp_path):
    stage(str(tmp_path), "new")
    (tmp_path / STAGING_DIR / "lineage" / ".part-00000-of-00001.parquet.tmp").write_text("x")
    finalize.publish(str(tmp_path), overwrite=False)
    assert sorted(p.name for p in (tmp_path / "lineage").iterdir()) == [SHARD]


# --- literal paths ----------------------------------------------------------


def test_local_paths_with_glob_characters_are_literal(tmp_path):
    for name in ("day1", "day[1]", "day*", "day?"):
        paths.write_atomically(str(tmp_path / name / "dataset" / SHARD), name.encode())
    for name in ("day[1]", "day*", "day?"):
        assert paths.kind(str(tmp_path / name / "dataset")) == paths.FOLDER
        paths.remove(str(tmp_path / name / "dataset"))
    assert paths.kind(str(tmp_path / "day[2]")) == paths.MISSING
    assert snapshot(tmp_path) == {f"day1/dataset/{SHARD}": b"day1"}


def test_remove_never_follows_a_symbolic_link(tmp_path):
    (tmp_path / "precious").mkdir()
    (tmp_path / "precious" / "data").write_text("keep")
    (tmp_path / "dataset").symlink_to(tmp_path / "precious")
    paths.remove(str(tmp_path / "dataset"))
    assert (tmp_path / "precious" / "data").read_text() == "keep"
    assert not (tmp_path / "dataset").exists()


def test_write_atomically_replaces_whole_files_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "audit.json"
    paths.write_atomically(str(target), b"first")
    paths.write_atomically(str(target), b"second")
    assert target.read_bytes() == b"second"
    assert [p.name for p in tmp_path.iterdir()] == ["audit.json"]


def test_write_atomically_that_fails_midway_leaves_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "_SUCCESS"
    target.write_bytes(b"old")

    def no_disk(_):
        raise OSError("disk full")

    monkeypatch.setattr(paths.os, "fsync", no_disk)
    with pytest.raises(OSError, match="disk full"):
        paths.write_atomically(str(target), b"new", temporary=str(tmp_path / "staging.tmp"))
    assert target.read_bytes() == b"old"


# --- remote (an object store in memory, shaped like GCS) ---------------------


@pytest.fixture
def memory_store():
    memory_filesystem.MemoryFileSystem.objects.clear()
    yield memory_filesystem.MemoryFileSystem.objects
    memory_filesystem.MemoryFileSystem.objects.clear()


def test_remote_outputs_are_staged_and_swapped_and_neighbours_untouched(memory_store):
    bucket = "memtest://bucket/runs"
    memory_store[f"{bucket}/day1/dataset/{SHARD}"] = b"day1's"
    memory_store[f"{bucket}/day/notes.txt"] = b"mine"
    out = f"{bucket}/day"
    finalize.check_output_path(out, home=None)
    run_to_completion(out, "old", overwrite=False)
    with pytest.raises(OutputRefused, match="--overwrite"):
        finalize.check_reuse(out, finalize.inspect_output(out), overwrite=False)
    run_to_completion(out, "new")
    assert memory_store[f"{out}/dataset/{SHARD}"] == b"new dataset"
    assert json.loads(memory_store[f"{out}/_SUCCESS"])["files"]["dataset"] == 1
    assert memory_store[f"{bucket}/day1/dataset/{SHARD}"] == b"day1's"
    assert memory_store[f"{out}/notes.txt"] == b"mine"
    assert not [p for p in memory_store if STAGING_DIR in p or p.endswith(".tmp")]


def test_remote_kill_during_the_swap_is_recovered(memory_store, monkeypatch):
    out = "memtest://bucket/runs/day"
    run_to_completion(out, "old", overwrite=False)
    stage(out, "new")
    monkeypatch.setattr(finalize, "_checkpoint", kill_at("replaced-redactions"))
    with pytest.raises(Killed):
        finalize.publish(out, overwrite=True)
    monkeypatch.undo()
    state = finalize.inspect_output(out)
    assert state.interrupted and f"{out}/_SUCCESS" not in memory_store
    run_to_completion(out, "new", overwrite=False)
    assert memory_store[f"{out}/lineage/{SHARD}"] == b"new lineage"
    assert f"{out}/_SUCCESS" in memory_store


@pytest.mark.parametrize(
    "output",
    [
        "memtest://bucket/runs/day[1]",
        "memtest://bucket/day*",
        "memtest://bucket/day?",
        "memtest://bucket",
        "memtest://bucket/",
    ],
)
def test_remote_glob_characters_and_bucket_roots_are_refused(memory_store, output):
    with pytest.raises(OutputRefused):
        finalize.check_output_path(output, home=None)


def test_a_remote_object_as_output_is_refused(memory_store):
    memory_store["memtest://bucket/runs/day1"] = b"an object"
    with pytest.raises(OutputRefused, match="not a folder"):
        finalize.check_output_path("memtest://bucket/runs/day1", home=None)

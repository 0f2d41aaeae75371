"""The write side of apply_deletions: shards rewritten with the writer's own
encoding, run folders checked before anything changes, and the resumable
file-level swap (finalize.replace_entries / complete_interrupted_swap) under a
kill at every step, locally and on an object store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from schemas import parquet
from schemas.records import FolderRemovals
from tests.write import memory_filesystem
from tests.write.test_finalize import Killed, kill_at, snapshot
from transforms.write import finalize, paths
from transforms.write.applied import publish_application
from transforms.write.finalize import STAGING_DIR, SWAP_MARKER, NotPublished
from transforms.write.parquet import ROW_GROUP_SIZE, stable_shard, write_shard, write_table_shard
from transforms.write.rewrite import plan, read_shard, rewrite_shard, shard_tasks, without_records
from transforms.write.run_folders import (
    FolderRefused,
    match_run_folders,
    open_run_folder,
    shard_name,
)

SHARDS = 3


def lineage_row(i: int) -> dict:
    return {
        "record_id": f"r{i:06d}",
        "conversation_id": f"c{i}",
        "user_id": f"u{i % 7}",
        "org_id": None,
        "workspace_id": None,
        "source": "chatgpt_free",
        "created_at": 0,
        "input_location": f"f:{i}",
    }


def make_run(folder: Path, records: int = 30) -> None:
    """A complete run folder as the pipeline leaves it (record outputs sharded
    by record id, sorted; dead_letter, audit.json, _SUCCESS)."""
    rows = [lineage_row(i) for i in range(records)]
    outputs = {
        "lineage": (parquet.LINEAGE, rows),
        "dataset": (
            parquet.DATASET,
            [
                {"record_id": r["record_id"], "source": "x", "created_date": 0, "messages": []}
                for r in rows
            ],
        ),
        "redactions": (
            parquet.REDACTIONS,
            [{"record_id": r["record_id"], "redactions": []} for r in rows],
        ),
    }
    for output, (schema, output_rows) in outputs.items():
        for shard in range(SHARDS):
            mine = [r for r in output_rows if stable_shard(r["record_id"], SHARDS) == shard]
            write_shard(str(folder / output), schema, shard, SHARDS, mine)
    write_shard(str(folder / "dead_letter"), parquet.DEAD_LETTER, 0, 1, [])
    (folder / "audit.json").write_text('{"counts": "as the run wrote them"}')
    (folder / "_SUCCESS").write_text(json.dumps({"as_of": "A", "records": {"written": records}}))


def test_a_rewritten_shard_is_what_the_writer_writes_for_the_remaining_rows(tmp_path):
    rows = [lineage_row(i) for i in range(ROW_GROUP_SIZE * 2 + 5)]  # three row groups
    original = write_shard(str(tmp_path / "a"), parquet.LINEAGE, 0, 1, rows)
    table = read_shard(original, parquet.LINEAGE)
    unchanged = write_table_shard(str(tmp_path / "b"), parquet.LINEAGE, 0, 1, table)
    assert Path(unchanged).read_bytes() == Path(original).read_bytes()
    gone = {rows[0]["record_id"], rows[ROW_GROUP_SIZE]["record_id"], rows[-1]["record_id"]}
    kept = without_records(table, gone)
    rewritten = write_table_shard(str(tmp_path / "c"), parquet.LINEAGE, 0, 1, kept)
    fresh = write_shard(
        str(tmp_path / "d"), parquet.LINEAGE, 0, 1, [r for r in rows if r["record_id"] not in gone]
    )
    assert Path(rewritten).read_bytes() == Path(fresh).read_bytes()
    everything = without_records(table, {r["record_id"] for r in rows})
    empty = write_table_shard(str(tmp_path / "e"), parquet.LINEAGE, 0, 1, everything)
    assert (
        empty
        and Path(empty).read_bytes()
        == Path(write_shard(str(tmp_path / "f"), parquet.LINEAGE, 0, 1, [])).read_bytes()
    )


def test_only_the_shards_of_removed_records_are_rewritten_and_a_missing_record_is_a_problem(
    tmp_path,
):
    make_run(tmp_path / "run")
    folder = open_run_folder(str(tmp_path / "run"))
    removals = FolderRemovals(0, ("r000001", "r000002"), (("D1", 2), ("D2", 0)))
    tasks = shard_tasks(removals, folder)
    expected_shards = {stable_shard(r, SHARDS) for r in removals.record_ids}
    assert {(t.output, t.shard) for t in tasks} == {
        (o, s) for o in ("dataset", "lineage", "redactions") for s in expected_shards
    }
    results = [rewrite_shard(t, folder) for t in tasks]
    assert plan(folder, removals, results)["problems"] == []
    staged = sorted(p.relative_to(tmp_path / "run") for p in (tmp_path / "run").rglob("*.parquet"))
    assert len([p for p in staged if p.parts[0] == STAGING_DIR]) == len(tasks)
    ghost = FolderRemovals(0, ("r999999",), (("D1", 1), ("D2", 0)))
    results = [rewrite_shard(t, folder) for t in shard_tasks(ghost, folder)]
    assert plan(folder, ghost, results)["problems"][0].endswith(
        "1 of the 1 records that lineage places there are missing"
    )


def test_run_folders_that_cannot_be_updated_are_refused(tmp_path):
    for name in ("complete", "no-success", "foreign", "hole", "bad-success", "interrupted"):
        make_run(tmp_path / name)
    (tmp_path / "no-success" / "_SUCCESS").unlink()
    (tmp_path / "foreign" / "dataset" / "notes.txt").write_text("mine")
    (tmp_path / "hole" / "lineage" / shard_name(1, SHARDS)).unlink()
    (tmp_path / "bad-success" / "_SUCCESS").write_text("not json")
    (tmp_path / "interrupted" / "_SUCCESS").unlink()
    (tmp_path / "interrupted" / STAGING_DIR).mkdir()
    (tmp_path / "interrupted" / STAGING_DIR / SWAP_MARKER).write_text("{}")
    (tmp_path / "a-file").write_text("not a folder")
    assert match_run_folders(str(tmp_path / "*")) == sorted(
        str(tmp_path / n)
        for n in ("complete", "no-success", "foreign", "hole", "bad-success", "interrupted")
    )
    assert open_run_folder(str(tmp_path / "complete")).shard_count("dataset") == SHARDS
    for name, reason in (
        ("no-success", "did not complete"),
        ("foreign", "notes.txt"),
        ("hole", "every shard"),
        ("bad-success", "JSON"),
        ("interrupted", "interrupted run of the eligibility pipeline"),
    ):
        before = snapshot(tmp_path / name)
        with pytest.raises(FolderRefused, match=reason):
            open_run_folder(str(tmp_path / name))
        assert snapshot(tmp_path / name) == before
        assert not finalize.complete_interrupted_swap(str(tmp_path / name))


def stage_application(run: Path) -> tuple[dict, list[str]]:
    """What the Beam run leaves for one folder: r000001's shards rewritten."""
    folder = open_run_folder(str(run))
    removals = FolderRemovals(0, ("r000001",), (("D1", 0), ("D2", 1)))
    results = [rewrite_shard(t, folder) for t in shard_tasks(removals, folder)]
    return plan(folder, removals, results), [f"{r.output}/{r.name}" for r in results]


APPLICATION = {"as_of": "T", "deletion_files": ["d.jsonl"], "deletion_input": {}}


def test_an_application_is_published_with_its_record_and_appended_on_the_next(tmp_path):
    run = tmp_path / "run"
    make_run(run)
    before = snapshot(run)
    folder_plan, names = stage_application(run)
    entry = publish_application(open_run_folder(str(run)), folder_plan, APPLICATION)
    after = snapshot(run)
    assert not (run / STAGING_DIR).exists()
    changed = {k for k in after if after[k] != before.get(k)}
    assert changed == {*names, "_SUCCESS", "deletions_applied.json"}
    success = json.loads(after["_SUCCESS"])
    assert success.pop("deletions_applied") == {
        "applications": 1,
        "last_as_of": "T",
        "records_removed": 1,
        "result_sha256": entry["result_sha256"],
    }
    assert success == json.loads(before["_SUCCESS"])
    second = {**folder_plan, "shards_rewritten": {}, "records_removed": {"D1": 0, "D2": 0}}
    publish_application(open_run_folder(str(run)), second, {**APPLICATION, "as_of": "U"})
    document = json.loads((run / "deletions_applied.json").read_text())
    assert [a["as_of"] for a in document["applications"]] == ["T", "U"]


def test_an_application_with_a_problem_changes_nothing(tmp_path):
    run = tmp_path / "run"
    make_run(run)
    folder_plan, names = stage_application(run)
    before = {k: v for k, v in snapshot(run).items() if not k.startswith(STAGING_DIR)}
    with pytest.raises(NotPublished, match="missing"):
        publish_application(
            open_run_folder(str(run)), {**folder_plan, "problems": ["x: 1 missing"]}, APPLICATION
        )
    (run / STAGING_DIR / names[0]).unlink()
    with pytest.raises(NotPublished, match="staged shards missing"):
        publish_application(open_run_folder(str(run)), folder_plan, APPLICATION)
    assert {k: v for k, v in snapshot(run).items() if not k.startswith(STAGING_DIR)} == before


def swap_steps(names: list[str]) -> list[str]:
    return [
        "staged",
        "swap-started",
        "success-removed",
        *(f"replaced-{n}" for n in [*names, "deletions_applied.json"]),
        "success-written",
    ]


def test_a_kill_at_any_step_of_an_application_is_finished_by_the_next(tmp_path, monkeypatch):
    reference = tmp_path / "reference"
    make_run(reference)
    folder_plan, names = stage_application(reference)
    publish_application(open_run_folder(str(reference)), folder_plan, APPLICATION)
    expected = snapshot(reference)
    for step in swap_steps(names):
        run = tmp_path / step
        make_run(run)
        untouched = snapshot(run)
        stage_application(run)
        monkeypatch.setattr(finalize, "_checkpoint", kill_at(step))
        with pytest.raises(Killed):
            publish_application(open_run_folder(str(run)), folder_plan, APPLICATION)
        monkeypatch.undo()
        resumed = finalize.complete_interrupted_swap(str(run))
        assert resumed == (step not in ("staged", "swap-started", "success-written")), step
        files = {k: v for k, v in snapshot(run).items() if not k.startswith(STAGING_DIR)}
        if step in ("staged", "swap-started"):  # nothing in the folder touched yet
            assert files == untouched, step
        else:
            assert files == expected, step


def test_a_remote_application_killed_midway_is_finished_by_the_next(tmp_path, monkeypatch):
    memory_filesystem.MemoryFileSystem.objects.clear()
    local = tmp_path / "run"
    make_run(local)
    folder_plan, names = stage_application(local)
    remote = "memtest://bucket/runs/day1"
    for path, data in snapshot(local).items():
        memory_filesystem.MemoryFileSystem.objects[f"{remote}/{path}"] = data
    monkeypatch.setattr(finalize, "_checkpoint", kill_at(f"replaced-{names[1]}"))
    with pytest.raises(Killed):
        publish_application(open_run_folder(remote), folder_plan, APPLICATION)
    monkeypatch.undo()
    store = memory_filesystem.MemoryFileSystem.objects
    assert f"{remote}/_SUCCESS" not in store
    assert finalize.complete_interrupted_swap(remote)
    assert json.loads(store[f"{remote}/_SUCCESS"])["deletions_applied"]["applications"] == 1
    assert not [p for p in store if STAGING_DIR in p]
    for name in names:
        assert paths.read_bytes(f"{remote}/{name}") == (local / STAGING_DIR / name).read_bytes()
    memory_filesystem.MemoryFileSystem.objects.clear()

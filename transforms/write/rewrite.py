"""Rewrite the shards of earlier run folders that hold records to remove.

A record's shard in each of ``dataset/``, ``lineage/`` and ``redactions/`` is
``stable_shard(record_id, N)`` for that output's N (how ``WriteOutputs`` placed
it), so the shards to rewrite follow from the record ids alone; every other
shard is not read, not written, and stays byte-identical. A rewritten shard
keeps its name, its schema and the order of its remaining rows, and is encoded
exactly as the pipeline encodes a shard (``encode_shard``), so it is
byte-identical to what a run without the removed records would have written
into that shard. It is written into the folder's staging area
(``DIR/.eligibility-staging/<output>/``); nothing in the folder itself changes
here: the driver swaps the staged shards in afterwards (``finalize``).

Each folder's outcome (``plan``: shards rewritten, records removed, problems)
is written as JSON into a work folder for the driver. A shard that does not
hold every record lineage places in it is a problem: that folder is then not
updated at all.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable, Sequence

import apache_beam as beam
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems

from schemas.records import FolderRemovals
from transforms.write.finalize import STAGING_DIR
from transforms.write.parquet import stable_shard, write_table_shard
from transforms.write.paths import is_local, join, write_atomically
from transforms.write.run_folders import RECORD_OUTPUTS, RunFolder, shard_name

PLANS_DIR = "plans"


@dataclass(frozen=True)
class ShardTask:
    folder: int
    output: str
    shard: int
    shards: int
    record_ids: frozenset[str]


@dataclass(frozen=True)
class ShardRewritten:
    output: str
    name: str
    expected: int  # records lineage places in this shard
    removed: int  # records actually found and removed
    kept: int


def shard_tasks(removals: FolderRemovals, folder: RunFolder) -> list[ShardTask]:
    """One task per shard that holds a record to remove, in every record output."""
    tasks = []
    for output in RECORD_OUTPUTS:
        shards = folder.shard_count(output)
        per_shard: dict[int, set[str]] = defaultdict(set)
        for record_id in removals.record_ids:
            per_shard[stable_shard(record_id, shards)].add(record_id)
        tasks += [
            ShardTask(removals.folder, output, shard, shards, frozenset(ids))
            for shard, ids in sorted(per_shard.items())
        ]
    return tasks


def read_shard(path: str, schema: pa.Schema) -> pa.Table:
    """A shard's rows, with the key-value metadata the run wrote into it (the
    rewritten shard keeps it)."""
    if is_local(path):
        return _with_file_metadata(pq.read_table(path, schema=schema), pq.read_schema(path))
    with FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED) as handle:
        table = pq.read_table(handle, schema=schema)
        handle.seek(0)
        return _with_file_metadata(table, pq.read_schema(handle))


def _with_file_metadata(table: pa.Table, file_schema: pa.Schema) -> pa.Table:
    return table.replace_schema_metadata(file_schema.metadata)


def without_records(table: pa.Table, record_ids: Iterable[str]) -> pa.Table:
    """``table`` without the rows of ``record_ids``, the others in their order."""
    remove = pa.array(sorted(record_ids), pa.string())
    return table.filter(pc.invert(pc.is_in(table.column("record_id"), value_set=remove)))


def rewrite_shard(task: ShardTask, folder: RunFolder) -> ShardRewritten:
    """Read one shard, drop the task's records, write the rest into staging."""
    schema = RECORD_OUTPUTS[task.output]
    name = shard_name(task.shard, task.shards)
    table = read_shard(join(folder.path, task.output, name), schema)
    kept = without_records(table, task.record_ids)
    staged = join(folder.path, STAGING_DIR, task.output)
    write_table_shard(staged, kept.schema, task.shard, task.shards, kept)
    return ShardRewritten(
        output=task.output,
        name=name,
        expected=len(task.record_ids),
        removed=table.num_rows - kept.num_rows,
        kept=kept.num_rows,
    )


def plan(folder: RunFolder, removals: FolderRemovals, rewritten: Sequence[ShardRewritten]) -> dict:
    """What the application does to one folder (JSON for the driver; no ids)."""
    problems = [
        f"{r.output}/{r.name}: {r.expected - r.removed} of the {r.expected} records that "
        f"lineage places there are missing"
        for r in sorted(rewritten, key=lambda r: (r.output, r.name))
        if r.removed != r.expected
    ]
    expected_shards = len(shard_tasks(removals, folder))
    if len(rewritten) != expected_shards:
        problems.append(f"{len(rewritten)} of {expected_shards} shards were rewritten")
    return {
        "folder": folder.path,
        "records_removed": dict(removals.removed_by_rule),
        "overdue": {
            "requests": removals.overdue_requests,
            "records": removals.overdue_records,
        },
        "shards_rewritten": {
            output: sorted(r.name for r in rewritten if r.output == output)
            for output in RECORD_OUTPUTS
        },
        "problems": problems,
    }


def plan_path(work: str, folder: int) -> str:
    return join(work, PLANS_DIR, f"{folder:06d}.json")


def write_json(value: dict, path: str) -> str:
    write_atomically(path, json.dumps(value, indent=2, sort_keys=True).encode("utf-8") + b"\n")
    return path


class _RewriteShard(beam.DoFn):
    def __init__(self, folders: Sequence[RunFolder]):
        self._folders = list(folders)

    def process(self, task: ShardTask):
        yield task.folder, rewrite_shard(task, self._folders[task.folder])


class _WritePlan(beam.DoFn):
    def __init__(self, folders: Sequence[RunFolder], work: str):
        self._folders = list(folders)
        self._work = work

    def process(self, element):
        index, grouped = element
        (removals,) = grouped["removals"]
        folder = self._folders[index]
        yield write_json(
            plan(folder, removals, list(grouped["rewritten"])), plan_path(self._work, index)
        )


class RewriteShards(beam.PTransform):
    """(folder index, FolderRemovals) → the affected shards of each folder
    rewritten into its staging area, and one plan per folder in ``work``
    (``plans/NNNNNN.json``). Returns the PCollection of plan paths."""

    def __init__(self, folders: Sequence[RunFolder], work: str):
        super().__init__()
        self._folders = list(folders)
        self._work = work

    def expand(self, removals):
        folders = self._folders
        rewritten = (
            removals
            | "ShardTasks" >> beam.FlatMapTuple(lambda i, r: shard_tasks(r, folders[i]))
            | "SpreadTasks" >> beam.Reshuffle()
            | "Rewrite" >> beam.ParDo(_RewriteShard(folders))
        )
        return (
            {"removals": removals, "rewritten": rewritten}
            | "PerFolder" >> beam.CoGroupByKey()
            | "WritePlan" >> beam.ParDo(_WritePlan(folders, self._work))
        )

"""Earlier run folders, as ``apply_deletions`` finds them: the layout that
``WriteOutputs`` and ``finalize.publish`` leave, checked before anything is
read or changed.

A folder is usable only when it is complete (``_SUCCESS`` exists, as JSON),
holds only what the pipeline writes in its output folders, and each of
``dataset/``, ``lineage/`` and ``redactions/`` is a whole shard set
(``part-00000-of-0000N`` ... ``part-0000(N-1)-of-0000N``). Anything else is
refused (``FolderRefused``, with the reason) and never modified.
"""

from __future__ import annotations

import glob
import json
import os
import re
from dataclasses import dataclass

import pyarrow as pa
from apache_beam.io.filesystems import FileSystems

from schemas import parquet
from transforms.write.finalize import STAGING_DIR, OutputRefused, inspect_output
from transforms.write.outputs import DATASET_DIR, LINEAGE_DIR, REDACTIONS_DIR, SUCCESS_FILE
from transforms.write.paths import FOLDER, entries, is_local, join, kind, read_bytes

# The outputs that hold one row per written record, and their schemas.
RECORD_OUTPUTS: dict[str, pa.Schema] = {
    DATASET_DIR: parquet.DATASET,
    LINEAGE_DIR: parquet.LINEAGE,
    REDACTIONS_DIR: parquet.REDACTIONS,
}
_SHARD = re.compile(r"part-(\d{5,})-of-(\d{5,})\.parquet")


class FolderRefused(Exception):
    """A run folder that apply_deletions must not modify; the message says why."""


@dataclass(frozen=True)
class RunFolder:
    path: str
    shards: tuple[tuple[str, int], ...]  # (output, shard count) for RECORD_OUTPUTS
    success: dict  # what _SUCCESS records

    def shard_count(self, output: str) -> int:
        return dict(self.shards)[output]

    def shard_paths(self, output: str) -> list[str]:
        n = self.shard_count(output)
        return [join(self.path, output, shard_name(i, n)) for i in range(n)]


def shard_name(shard: int, shards: int) -> str:
    return f"part-{shard:05d}-of-{shards:05d}.parquet"


def match_run_folders(pattern: str) -> list[str]:
    """The folders ``pattern`` matches (locally through ``glob``; on an object
    store, the parents of the objects ``PATTERN/*`` matches), sorted; a
    staging folder is never a run folder."""
    if is_local(pattern):
        found = [p for p in glob.glob(pattern) if os.path.isdir(p)]
    else:
        matched = FileSystems.match([pattern.rstrip("/") + "/*"])[0].metadata_list
        found = sorted({FileSystems.split(m.path)[0] for m in matched})
    return sorted(
        p.rstrip("/") for p in found if STAGING_DIR not in p.replace("\\", "/").split("/")
    )


def open_run_folder(path: str) -> RunFolder:
    """The layout of a complete run folder, or FolderRefused."""
    try:
        state = inspect_output(path)
    except OutputRefused as exc:
        raise FolderRefused(str(exc)) from exc
    if not state.complete:
        if state.interrupted:
            raise FolderRefused(
                "no _SUCCESS: an interrupted run of the eligibility pipeline; rerun it first"
            )
        raise FolderRefused("no _SUCCESS: the run did not complete")
    try:
        success = json.loads(read_bytes(join(path, SUCCESS_FILE)))
    except ValueError as exc:
        raise FolderRefused("_SUCCESS is not the JSON the pipeline writes") from exc
    if not isinstance(success, dict):
        raise FolderRefused("_SUCCESS is not the JSON the pipeline writes")
    shards = tuple((output, _shard_set(path, output)) for output in RECORD_OUTPUTS)
    return RunFolder(path=path, shards=shards, success=success)


def _shard_set(path: str, output: str) -> int:
    folder = join(path, output)
    if kind(folder) != FOLDER:
        raise FolderRefused(f"{output}/ is missing")
    names = sorted(entries(folder))
    counts = {int(m.group(2)) for m in map(_SHARD.fullmatch, names) if m}
    if len(counts) != 1:
        raise FolderRefused(f"{output}/ does not hold one set of shards")
    n = counts.pop()
    if names != [shard_name(i, n) for i in range(n)]:
        raise FolderRefused(f"{output}/ does not hold every shard of its set of {n}")
    return n

"""Deterministic, sharded Parquet output.

Beam's file sinks assign records to shards in arrival order, which differs from
run to run. Here a record's shard is a stable hash of its sort key, records are
sorted inside their shard, and every shard file is written (empty shards too)
under a fixed name ``part-SSSSS-of-NNNNN.parquet``: the same records give the
same bytes on any runner. The shard count is ``num_shards``, or with ``0`` it
grows with the record count so that one shard (held by one worker while it is
sorted) stays bounded at ``rows_per_shard`` records on average.

Every file of one output carries the same key-value metadata when it is given
(the run's settings: policy and PII config versions and hashes; no times).

Each shard is written to a temporary name and renamed into place, so a
retried or failed bundle never leaves a partial file under the final name.
Paths are literal (transforms/write/paths.py): a folder named ``day[1]`` is
never taken for a pattern.
"""

from __future__ import annotations

import hashlib
import io
import math
from typing import Callable, Iterable, Mapping, Optional

import apache_beam as beam
import pyarrow as pa
import pyarrow.parquet as pq
from apache_beam.io.filesystems import FileSystems

from transforms.write.paths import write_atomically

DEFAULT_ROWS_PER_SHARD = 20_000
ROW_GROUP_SIZE = 10_000


def with_run_metadata(schema: pa.Schema, metadata: Optional[Mapping[str, str]]) -> pa.Schema:
    """``schema`` carrying ``metadata`` as the files' key-value metadata (the
    settings a dataset came from: deterministic values only, never a time)."""
    return schema.with_metadata(dict(sorted(metadata.items()))) if metadata else schema


def stable_shard(sort_key: str, num_shards: int) -> int:
    digest = hashlib.sha256(sort_key.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % num_shards


def shard_count(records: int, num_shards: int, rows_per_shard: int) -> int:
    return num_shards or max(1, math.ceil(records / rows_per_shard))


def shard_path(directory: str, shard: int, shards: int) -> str:
    return FileSystems.join(directory, f"part-{shard:05d}-of-{shards:05d}.parquet")


def write_shard(
    directory: str, schema: pa.Schema, shard: int, shards: int, rows: list[dict]
) -> str:
    """Write one shard's rows (already sorted) and return its final path. Rows
    are converted one row group at a time, so the shard is never held as a
    whole Arrow table; the compressed file is built in memory and written with
    one call, which any Beam filesystem (GCS, S3, local) accepts."""
    groups = (
        pa.Table.from_pylist(rows[start : start + ROW_GROUP_SIZE], schema=schema)
        for start in range(0, len(rows), ROW_GROUP_SIZE)
    )
    final = shard_path(directory, shard, shards)
    write_atomically(final, encode_shard(schema, groups))
    return final


def write_table_shard(
    directory: str, schema: pa.Schema, shard: int, shards: int, table: pa.Table
) -> str:
    """``write_shard`` for rows that are already an Arrow table (sorted): the
    same row groups, so the same bytes as ``write_shard`` of ``table.to_pylist()``."""
    groups = (
        table.slice(start, ROW_GROUP_SIZE) for start in range(0, table.num_rows, ROW_GROUP_SIZE)
    )
    final = shard_path(directory, shard, shards)
    write_atomically(final, encode_shard(schema, groups))
    return final


def encode_shard(schema: pa.Schema, row_groups: Iterable[pa.Table]) -> memoryview:
    """One shard file's bytes: each table a row group (an empty file has one empty group)."""
    buffer = io.BytesIO()
    with pq.ParquetWriter(buffer, schema, compression="zstd") as writer:
        empty = True
        for group in row_groups:
            writer.write_table(group)
            empty = False
        if empty:
            writer.write_table(schema.empty_table())
    return buffer.getbuffer()


class _WriteShard(beam.DoFn):
    def __init__(self, directory: str, schema: pa.Schema, sort_key: Callable[[dict], str]):
        self._directory = directory
        self._schema = schema
        self._sort_key = sort_key

    def process(self, keyed_rows, shards: int):
        shard, rows = keyed_rows
        rows = sorted((r for r in rows if r is not None), key=self._sort_key)
        yield write_shard(self._directory, self._schema, shard, shards, rows)


class WriteDeterministicParquet(beam.PTransform):
    """Rows (dicts matching ``schema``) → Parquet shards in ``directory``.

    Returns the PCollection of written file paths.
    """

    def __init__(
        self,
        directory: str,
        schema: pa.Schema,
        sort_key: Callable[[dict], str],
        num_shards: int = 0,
        rows_per_shard: int = DEFAULT_ROWS_PER_SHARD,
        metadata: Optional[Mapping[str, str]] = None,
    ):
        super().__init__()
        self._directory = directory
        self._schema = with_run_metadata(schema, metadata)
        self._sort_key = sort_key
        self._num_shards = num_shards
        self._rows_per_shard = rows_per_shard

    def expand(self, rows):
        shards = beam.pvalue.AsSingleton(
            rows
            | "Count" >> beam.combiners.Count.Globally()
            | "ShardCount" >> beam.Map(shard_count, self._num_shards, self._rows_per_shard)
        )
        sort_key = self._sort_key
        keyed = rows | "AssignShard" >> beam.Map(
            lambda row, n: (stable_shard(sort_key(row), n), row), shards
        )
        # Every shard exists, even an empty one, so a reader sees the whole set.
        every_shard = (
            rows.pipeline
            | "Start" >> beam.Create([None])
            | "EveryShard" >> beam.FlatMap(lambda _, n: [(s, None) for s in range(n)], shards)
        )
        return (
            (keyed, every_shard)
            | "Merge" >> beam.Flatten()
            | "GroupByShard" >> beam.GroupByKey()
            | "WriteShard"
            >> beam.ParDo(_WriteShard(self._directory, self._schema, sort_key), shards)
        )

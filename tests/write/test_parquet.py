"""Deterministic Parquet shards: same records, any order or bundling, same bytes."""

import random
from pathlib import Path

import apache_beam as beam
import pyarrow as pa
import pyarrow.parquet as pq

from tests.beam_options import offline_pipeline
from transforms.write.parquet import WriteDeterministicParquet, shard_count

SCHEMA = pa.schema([("record_id", pa.string()), ("n", pa.int64())])


def write(rows, directory, num_shards=0, rows_per_shard=20_000):
    with offline_pipeline() as p:
        _ = (
            p
            | beam.Create(rows, reshuffle=True)
            | WriteDeterministicParquet(
                str(directory), SCHEMA, lambda r: r["record_id"], num_shards, rows_per_shard
            )
        )
    return {f.name: f.read_bytes() for f in sorted(Path(directory).iterdir())}


def test_same_rows_in_another_order_give_byte_identical_files(tmp_path):
    rows = [{"record_id": f"r{i:04d}", "n": i} for i in range(500)]
    shuffled = rows[:]
    random.Random(7).shuffle(shuffled)
    first = write(rows, tmp_path / "a", num_shards=3)
    second = write(shuffled, tmp_path / "b", num_shards=3)
    assert list(first) == [f"part-0000{i}-of-00003.parquet" for i in range(3)]
    assert first == second
    read_back = pq.read_table(tmp_path / "a").to_pylist()
    assert sorted(r["n"] for r in read_back) == list(range(500))


def test_shard_count_grows_with_records_and_empty_shards_are_written(tmp_path):
    assert shard_count(0, 0, 100) == 1
    assert shard_count(250, 0, 100) == 3
    assert shard_count(250, 7, 100) == 7
    files = write([{"record_id": "only", "n": 1}], tmp_path / "c", num_shards=4)
    assert len(files) == 4
    assert pq.read_table(tmp_path / "c").num_rows == 1
    assert write([], tmp_path / "d") and pq.read_table(tmp_path / "d").num_rows == 0

"""Deletion requests joined to the lineage of earlier runs, by key.

Lineage shards are read in parallel, a batch of rows at a time (three columns
only); no step ever holds all of lineage. Two joins, chosen with ``join``
(measured in README, "Scheduled runs"):

- ``SIDE_INPUT`` (the default): the deleted subjects, merged per subject, are a
  side input (a dict) of the step that reads lineage; each lineage row is
  looked up by its user and its conversation. Lineage is never shuffled; each
  worker holds the dict, so its memory grows with the deletion set, not with
  lineage.
- ``COGROUP``: lineage rows keyed by subject, ``CoGroupByKey`` with the
  subjects. Memory stays bounded whatever the deletion set, at the cost of
  shuffling two keyed entries per lineage row: for a deletion set too large
  for a worker's memory.
"""

from __future__ import annotations

from typing import IO, Iterator, Optional

import apache_beam as beam
import pyarrow.parquet as pq
from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems

from transforms.deletions.matching import (
    event_counts,
    folder_removals,
    lineage_subjects,
    match,
    merge_subjects,
    subject_in_force,
    sum_counts,
)

SIDE_INPUT = "side-input"
COGROUP = "cogroup"
JOINS = (SIDE_INPUT, COGROUP)
LINEAGE_COLUMNS = ["record_id", "conversation_id", "user_id"]
BATCH_ROWS = 10_000


def open_binary(path: str) -> IO[bytes]:
    """A Parquet file, local or on any Beam filesystem, opened as it is stored."""
    if FileSystems.get_scheme(path) is None:
        return open(path, "rb")
    return FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED)


def lineage_rows(path: str) -> Iterator[tuple[str, str, Optional[str]]]:
    """(record_id, conversation_id, user_id) of every row of a lineage shard,
    read ``BATCH_ROWS`` at a time."""
    with open_binary(path) as handle:
        for batch in pq.ParquetFile(handle).iter_batches(
            batch_size=BATCH_ROWS, columns=LINEAGE_COLUMNS
        ):
            columns = [batch.column(name).to_pylist() for name in LINEAGE_COLUMNS]
            yield from zip(*columns, strict=True)


class _KeyLineage(beam.DoFn):
    """(folder, lineage shard) → (subject, (folder, record_id)) per subject of each row."""

    def process(self, shard):
        folder, path = shard
        for record_id, conversation_id, user_id in lineage_rows(path):
            for key in lineage_subjects(user_id, conversation_id):
                yield key, (folder, record_id)


class _MatchLineage(beam.DoFn):
    """(folder, lineage shard) → a Match per row of a deleted subject (side input)."""

    def process(self, shard, subjects: dict):
        folder, path = shard
        for record_id, conversation_id, user_id in lineage_rows(path):
            for key in lineage_subjects(user_id, conversation_id):
                subject = subjects.get(key)
                if subject is not None:
                    yield match(folder, record_id, key, subject)


def _joined(element):
    key, grouped = element
    subjects = list(grouped["subject"])
    if subjects:
        for folder, record_id in grouped["lineage"]:
            yield match(folder, record_id, key, subjects[0])


def _removals(grouped, as_of: int):
    folder, matches = grouped
    return folder, folder_removals(folder, matches, as_of)


def _in_force(event, as_of: int):
    found = subject_in_force(event, as_of)
    return [found] if found else []


class MatchDeletions(beam.PTransform):
    """(deletion events, (folder, lineage shard path) pairs) → (folder, FolderRemovals)
    for every folder that has something to remove (others get nothing)."""

    def __init__(self, as_of: int, join: str = SIDE_INPUT):
        super().__init__()
        if join not in JOINS:
            raise ValueError(f"join must be one of {JOINS}")
        self._as_of = as_of
        self._join = join

    def expand(self, inputs):
        events, lineage_shards = inputs
        subjects = (
            events
            | "InForce" >> beam.FlatMap(_in_force, self._as_of)
            | "MergePerSubject" >> beam.CombinePerKey(merge_subjects)
        )
        shards = lineage_shards | "SpreadShards" >> beam.Reshuffle()
        if self._join == SIDE_INPUT:
            matches = shards | "MatchLineage" >> beam.ParDo(
                _MatchLineage(), beam.pvalue.AsDict(subjects)
            )
        else:
            keyed = shards | "KeyLineage" >> beam.ParDo(_KeyLineage())
            matches = (
                {"subject": subjects, "lineage": keyed}
                | "JoinBySubject" >> beam.CoGroupByKey()
                | "Matches" >> beam.FlatMap(_joined)
            )
        return (
            matches
            | "ByFolder" >> beam.Map(lambda m: (m.folder, m))
            | "GroupByFolder" >> beam.GroupByKey()
            | "Removals" >> beam.Map(_removals, self._as_of)
        )


class CountDeletionInputs(beam.PTransform):
    """(deletion events, dead letters, ``(input, lines read)``) → one dict:
    ``lines_read``, ``lines_dead_lettered``, ``requests_in_force``,
    ``requests_after_as_of``, ``fail_closed_subjects`` (absent when zero)."""

    def __init__(self, as_of: int):
        super().__init__()
        self._as_of = as_of

    def expand(self, inputs):
        events, dead_letters, lines_read = inputs
        return (
            (
                events | "PerEvent" >> beam.Map(event_counts, self._as_of),
                dead_letters | "PerDeadLetter" >> beam.Map(lambda _: {"lines_dead_lettered": 1}),
                lines_read | "Read" >> beam.Map(lambda read: {"lines_read": read[1]}),
            )
            | "AllCounts" >> beam.Flatten()
            | "Sum" >> beam.CombineGlobally(sum_counts)
        )

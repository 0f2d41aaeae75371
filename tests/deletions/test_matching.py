"""The pure core of deletion propagation (transforms/deletions/matching.py) and
its Beam join (transforms/deletions/join.py), both joins."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from apache_beam import Create
from apache_beam.testing.util import assert_that, equal_to

from schemas import parquet
from schemas.records import DeletionRequest, FailClosed, FolderRemovals
from schemas.timestamps import parse_instant
from tests.beam_options import offline_pipeline
from transforms.deletions.join import COGROUP, SIDE_INPUT, MatchDeletions, lineage_rows
from transforms.deletions.matching import (
    D1,
    D2,
    SLA_MICROS,
    Match,
    Subject,
    event_counts,
    folder_removals,
    merge_subjects,
    subject_in_force,
)

AS_OF = parse_instant("2026-11-26T00:00:00Z")
DAY = 86_400 * 1_000_000


def test_a_request_is_in_force_at_or_before_as_of_and_a_fail_closed_subject_always():
    at = DeletionRequest("account", "u1", AS_OF)
    assert subject_in_force(at, AS_OF) == (("user", "u1"), Subject(D1, AS_OF))
    assert subject_in_force(DeletionRequest("conversation", "c1", AS_OF + 1), AS_OF) is None
    closed = FailClosed("deletions", "conversation", "c2")
    assert subject_in_force(closed, AS_OF) == (("conversation", "c2"), Subject(D2, None))
    assert event_counts(at, AS_OF) == {"requests_in_force": 1}
    assert event_counts(DeletionRequest("account", "u", AS_OF + 1), AS_OF) == {
        "requests_after_as_of": 1
    }
    assert event_counts(closed, AS_OF) == {"fail_closed_subjects": 1}


def test_several_requests_for_a_subject_count_from_the_earliest_known_one():
    merged = merge_subjects([Subject(D1, 5), Subject(D1, None), Subject(D1, 3)])
    assert merged == Subject(D1, 3)
    assert merge_subjects([Subject(D2, None)]) == Subject(D2, None)


def test_a_record_of_a_deleted_account_in_a_deleted_conversation_counts_under_d1():
    matches = [
        Match(0, "r1", ("conversation", "c1"), D2, AS_OF - DAY),
        Match(0, "r1", ("user", "u1"), D1, AS_OF - DAY),
        Match(0, "r2", ("conversation", "c2"), D2, AS_OF - DAY),
        Match(0, "r3", ("user", "u1"), D1, AS_OF - DAY),
    ]
    removals = folder_removals(0, matches, AS_OF)
    assert removals.record_ids == ("r1", "r2", "r3")
    assert removals.removed_by_rule == ((D1, 2), (D2, 1))
    assert (removals.overdue_requests, removals.overdue_records) == (0, 0)


def test_requests_older_than_the_sla_that_remove_records_are_overdue():
    old = AS_OF - SLA_MICROS - 1
    matches = [
        Match(3, "r1", ("user", "u1"), D1, old),
        Match(3, "r2", ("user", "u1"), D1, old),
        Match(3, "r3", ("conversation", "c3"), D2, AS_OF - SLA_MICROS),  # exactly 30 days
        Match(3, "r4", ("conversation", "c4"), D2, None),  # failed closed: no time
    ]
    removals = folder_removals(3, matches, AS_OF)
    assert (removals.overdue_requests, removals.overdue_records) == (1, 2)


def _lineage_shard(path, rows):
    full = [
        {
            "record_id": r,
            "conversation_id": c,
            "user_id": u,
            "org_id": None,
            "workspace_id": None,
            "source": "chatgpt_free",
            "created_at": 0,
            "input_location": "x",
        }
        for r, c, u in rows
    ]
    pq.write_table(pa.Table.from_pylist(full, schema=parquet.LINEAGE), path)
    return str(path)


@pytest.mark.parametrize("join", [SIDE_INPUT, COGROUP])
def test_both_joins_find_the_records_of_deleted_subjects_in_every_folder(tmp_path, join):
    a = _lineage_shard(
        tmp_path / "a.parquet",
        [("ra1", "c1", "u1"), ("ra2", "c2", "u2"), ("ra3", "c3", None), ("ra4", "c4", "u4")],
    )
    b = _lineage_shard(tmp_path / "b.parquet", [("rb1", "c5", "u1"), ("rb2", "c6", "u6")])
    c = _lineage_shard(tmp_path / "c.parquet", [("rc1", "c7", "u7")])
    events = [
        DeletionRequest("account", "u1", AS_OF - DAY),
        DeletionRequest("account", "u1", AS_OF - 40 * DAY),  # the same account, earlier
        DeletionRequest("conversation", "c3", AS_OF),
        DeletionRequest("conversation", "c4", AS_OF + 1),  # after as-of
        FailClosed("deletions", "user", "u6"),
        DeletionRequest("account", "nobody", AS_OF),
    ]
    with offline_pipeline() as p:
        removals = (
            p | "Events" >> Create(events),
            p | "Shards" >> Create([(0, a), (1, b), (2, c)]),
        ) | MatchDeletions(AS_OF, join)
        assert_that(
            removals,
            equal_to(
                [
                    (0, FolderRemovals(0, ("ra1", "ra3"), ((D1, 1), (D2, 1)), 1, 1)),
                    (1, FolderRemovals(1, ("rb1", "rb2"), ((D1, 2), (D2, 0)), 1, 1)),
                ]
            ),
        )


def test_lineage_is_read_in_batches_of_three_columns(tmp_path, monkeypatch):
    from transforms.deletions import join as join_module

    monkeypatch.setattr(join_module, "BATCH_ROWS", 2)
    rows = [(f"r{i}", f"c{i}", None if i % 2 else f"u{i}") for i in range(5)]
    path = _lineage_shard(tmp_path / "l.parquet", rows)
    assert list(lineage_rows(path)) == rows

"""The policy stage as a Beam composite: the join, deduplication and decisions."""

import apache_beam as beam
from apache_beam.testing.util import assert_that, equal_to

from schemas import reasons
from schemas.records import ConsentEvent, Conversation, DeletionRequest, Message, SharingEvent
from schemas.timestamps import DAY, parse_instant
from tests.beam_options import offline_pipeline
from transforms.policy.apply import ApplyPolicy
from transforms.policy.config import load_policy
from transforms.policy.rules import RunContext

AS_OF = parse_instant("2026-11-24T00:00:00Z")
T = parse_instant("2026-11-01T00:00:00Z")
CONTEXT = RunContext(AS_OF, load_policy())


def conv(cid, user="u1", source="chatgpt_free", created_at=T, text="hi", location="f1", **kw):
    return Conversation(
        cid, source, created_at, (Message("user", text),), user_id=user, location=location, **kw
    )


def outcomes(conversations, events, expected_eligible, expected_excluded, expected_dead):
    with offline_pipeline() as p:
        result = (
            p | "Convs" >> beam.Create(conversations),
            p | "Events" >> beam.Create(events),
        ) | ApplyPolicy(CONTEXT)
        assert_that(
            result.eligible | "E" >> beam.Map(lambda e: e.conversation.conversation_id),
            equal_to(expected_eligible),
            label="eligible",
        )
        assert_that(
            result.excluded | "X" >> beam.Map(lambda x: (x.conversation_id, x.reason)),
            equal_to(expected_excluded),
            label="excluded",
        )
        assert_that(
            result.dead_letter | "D" >> beam.Map(lambda d: (d.conversation_id, d.stage)),
            equal_to(expected_dead),
            label="dead",
        )


def test_facts_reach_every_conversation_of_a_subject_and_only_those():
    many = [conv(f"u1-{i}", created_at=T + i * DAY) for i in range(20)]
    others = [
        conv("u2-a", user="u2"),
        conv("team-1", user="u3", source="chatgpt_team", workspace_id="w1"),
        conv("team-2", user="u3", source="chatgpt_team", workspace_id="w2"),
    ]
    events = [
        ConsentEvent("u1", False, T + 10 * DAY),  # u1 opts out from day 10
        SharingEvent("workspace", "w1", True, T - DAY),
        DeletionRequest("conversation", "u2-a", T + DAY),
        ConsentEvent("nobody", False, T),  # a subject without conversations
    ]
    expected_eligible = [f"u1-{i}" for i in range(10)] + ["team-1"]
    expected_excluded = [(f"u1-{i}", reasons.USER_OPTED_OUT) for i in range(10, 20)] + [
        ("u2-a", reasons.CONVERSATION_DELETED),
        ("team-2", reasons.TEAM_NOT_OPTED_IN),
    ]
    expected_dead = []
    outcomes(many + others, events, expected_eligible, expected_excluded, expected_dead)


def test_identical_copies_are_written_once_and_conflicting_copies_dead_lettered():
    copies = [conv("dup", location="f1"), conv("dup", location="f2"), conv("dup", location="f3")]
    conflict = [conv("clash", text="one"), conv("clash", text="two", location="f2")]
    expected_eligible = ["dup"]
    expected_excluded = [("dup", reasons.DUPLICATE_RECORD)] * 2
    expected_dead = [("clash", reasons.STAGE_DEDUPLICATE)] * 2
    outcomes(copies + conflict, [], expected_eligible, expected_excluded, expected_dead)


def test_duplicates_are_decided_before_deletion():
    copies = [conv("dup", location="f1"), conv("dup", location="f2")]
    expected_eligible = []
    expected_excluded = [("dup", reasons.DUPLICATE_RECORD), ("dup", reasons.ACCOUNT_DELETED)]
    expected_dead = []
    outcomes(
        copies,
        [DeletionRequest("account", "u1", T)],
        expected_eligible,
        expected_excluded,
        expected_dead,
    )


def test_a_user_with_100000_conversations_is_joined_without_grouping_their_content():
    """Only ids are grouped per user; each conversation's own group stays small."""
    n = 100_000
    opt_out_at = T + (n // 2) * 1_000_000
    context = RunContext(T + n * 1_000_000, load_policy())

    def make(i):
        return conv(f"c{i}", user="heavy", created_at=T + i * 1_000_000)

    with offline_pipeline() as p:
        conversations = p | "Ids" >> beam.Create(range(n)) | "Make" >> beam.Map(make)
        events = p | "Events" >> beam.Create([ConsentEvent("heavy", False, opt_out_at)])
        result = (conversations, events) | ApplyPolicy(context)
        assert_that(
            result.eligible | "CountE" >> beam.combiners.Count.Globally(),
            equal_to([n // 2]),
            label="eligible",
        )
        assert_that(
            result.excluded
            | "Reasons" >> beam.Map(lambda x: x.reason)
            | "CountX" >> beam.combiners.Count.PerElement(),
            equal_to([(reasons.USER_OPTED_OUT, n // 2)]),
            label="excluded",
        )

"""The Beam side of the policy stage: join each conversation to the facts about
its subjects, then deduplicate and decide.

The join scales with the number of subjects, not with their activity: only
conversation *ids* are grouped per subject (a user with 100,000 conversations
groups 100,000 short strings, never their messages), and conversation contents
are grouped only per conversation id. No side input holds all timelines.

    conversations ──ids per subject──┐
    control events ─── fragments ────┴─ GroupBySubject ─ facts per conversation ─┐
    conversations ───────────────────────────────────────── GroupByConversation ─┴─ Decide
"""

from __future__ import annotations

from dataclasses import asdict

import apache_beam as beam

from schemas import reasons
from schemas.records import Eligible
from transforms.outcomes import DEAD_LETTER, EXCLUDED, dead_letter, excluded
from transforms.policy.duplicates import deduplicate
from transforms.policy.facts import fold_facts, fragment, subject_keys
from transforms.policy.rules import RunContext, decide
from transforms.policy.timeline import ConversationFacts


def _facts_per_conversation(subject_group, as_of: int):
    """One subject's facts, fanned out to every conversation that asked for them."""
    (kind, _), grouped = subject_group
    fragments = list(grouped["fragments"])
    if not fragments:  # no events: the policy defaults apply
        return []
    facts = fold_facts(fragments, as_of)
    return [(conversation_id, (kind, facts)) for conversation_id in set(grouped["requests"])]


class DecideEligibility(beam.DoFn):
    """Deduplicate the copies of one conversation id and apply the rules.

    Main output: ``Eligible``; ``excluded``: ``Exclusion``; ``dead_letter``:
    conflicting copies.
    """

    def __init__(self, context: RunContext):
        self._context = context

    def process(self, conversation_group):
        conversation_id, grouped = conversation_group
        copies = list(grouped["copies"])
        if not copies:
            return
        result = deduplicate(copies)
        if result.kept is None:
            for copy in result.conflicting:
                yield dead_letter(
                    reasons.STAGE_DEDUPLICATE,
                    reasons.CONFLICTING_DUPLICATE,
                    f"{len(copies)} copies of this conversation_id differ in content",
                    copy.location,
                    conversation_id,
                    asdict(copy),
                )
            return
        kept = result.kept
        for _ in range(result.duplicates):
            yield excluded(reasons.DUPLICATE_RECORD, kept.source, conversation_id)
        facts = ConversationFacts(**dict(grouped["facts"]))
        outcome = decide(kept, facts, self._context)
        if isinstance(outcome, Eligible):
            yield outcome
        else:
            yield beam.pvalue.TaggedOutput(EXCLUDED, outcome)


class ApplyPolicy(beam.PTransform):
    """(conversations, control events) → eligible, excluded, dead letters."""

    def __init__(self, context: RunContext):
        super().__init__()
        self._context = context

    def expand(self, inputs):
        conversations, control_events = inputs
        fragments = control_events | "FactFragments" >> beam.Map(fragment)
        requests = conversations | "SubjectsOfConversation" >> beam.FlatMap(
            lambda conv: [(key, conv.conversation_id) for key in subject_keys(conv)]
        )
        facts = (
            {"fragments": fragments, "requests": requests}
            | "GroupBySubject" >> beam.CoGroupByKey()
            | "FactsPerConversation" >> beam.FlatMap(_facts_per_conversation, self._context.as_of)
        )
        copies = conversations | "KeyByConversationId" >> beam.Map(lambda c: (c.conversation_id, c))
        return (
            {"copies": copies, "facts": facts}
            | "GroupByConversation" >> beam.CoGroupByKey()
            | "Decide"
            >> beam.ParDo(DecideEligibility(self._context)).with_outputs(
                EXCLUDED, DEAD_LETTER, main="eligible"
            )
        )

"""Audit counts (pure functions, no Beam).

Every outcome of the pipeline contributes ``(path, n)`` pairs; the pairs are
summed per path by a combiner and folded into the nested ``counts`` object of
``audit.json``. The counts hold reason codes, the policy's source names and entity
types, never message text, identifiers or any other value read from the input.
"""

from __future__ import annotations

from typing import Iterable, Mapping

from schemas import reasons
from schemas.records import DeadLetter, Exclusion, RedactedConversation

Count = tuple[tuple[str, ...], int]

UNRECOGNISED = "(unrecognised value)"


def audit_source(source: str, known_sources: frozenset) -> str:
    """A source value as it may appear in the audit: one the policy names, or
    else the single bucket ``(unrecognised value)``. The audit never holds a
    value copied from the input that the pipeline does not know in advance (an
    unknown source could be a phone number or a key)."""
    return source if source in known_sources else UNRECOGNISED


def exclusion_counts(exclusion: Exclusion, known_sources: frozenset) -> list[Count]:
    counts = [
        (("excluded", exclusion.reason), 1),
        (
            ("excluded_by_source", audit_source(exclusion.source, known_sources), exclusion.reason),
            1,
        ),
    ]
    if exclusion.api_past_retention:
        counts.append((("api_past_retention",), 1))
    return counts


def dead_letter_counts(dead_letter: DeadLetter) -> list[Count]:
    code = dead_letter.error.split(":", 1)[0]
    return [(("dead_lettered",), 1), (("dead_lettered_by_stage", dead_letter.stage, code), 1)]


def control_read_counts(input_read: tuple[str, int]) -> list[Count]:
    input_name, n = input_read
    return [(("control_events_read", input_name), n)]


def control_dead_letter_counts(dead_letter: DeadLetter) -> list[Count]:
    """A control input's dead letters carry the input's name as their stage."""
    return [(("control_events_dead_lettered", dead_letter.stage), 1)]


def written_counts(record: RedactedConversation, known_sources: frozenset) -> list[Count]:
    eligible = record.eligible
    counts = [
        (("records_written",), 1),
        (("written_by_source", audit_source(eligible.conversation.source, known_sources)), 1),
        (("messages_written",), len(record.messages)),
        ((reasons.MESSAGES_TRIMMED_AFTER_OPT_OUT,), eligible.messages_trimmed_after_opt_out),
        ((reasons.MESSAGES_TRIMMED_AFTER_AS_OF,), eligible.messages_trimmed_after_as_of),
        (("non_text_parts_dropped",), eligible.conversation.non_text_parts_dropped),
    ]
    counts.extend(
        (("content_dropped", kind), n) for kind, n in eligible.conversation.content_dropped
    )
    counts.extend((("pii_entities_redacted", entity), n) for entity, n in record.entity_counts)
    return counts


ZERO_COUNTS = {
    "records_read": 0,
    "records_written": 0,
    "dead_lettered": 0,
    "excluded": {},
    "excluded_by_source": {},
    "written_by_source": {},
    "dead_lettered_by_stage": {},
    reasons.MESSAGES_TRIMMED_AFTER_OPT_OUT: 0,
    reasons.MESSAGES_TRIMMED_AFTER_AS_OF: 0,
    "messages_written": 0,
    "non_text_parts_dropped": 0,
    "content_dropped": {},
    "pii_entities_redacted": {},
    "api_past_retention": 0,
    "control_events_read": {name: 0 for name in reasons.CONTROL_INPUTS},
    "control_events_dead_lettered": {name: 0 for name in reasons.CONTROL_INPUTS},
}


def nest(totals: Iterable[Count]) -> dict:
    """Fold summed ``(path, n)`` pairs into the nested counts object, keys sorted."""
    counts = _deep_copy(ZERO_COUNTS)
    for path, n in sorted(totals):
        node = counts
        for key in path[:-1]:
            node = node.setdefault(key, {})
        node[path[-1]] = node.get(path[-1], 0) + n
    return _sorted(counts)


def reconciliation(counts: Mapping) -> dict:
    """``records_read == records_written + dead_lettered + sum(excluded)``."""
    accounted = (
        counts["records_written"] + counts["dead_lettered"] + sum(counts["excluded"].values())
    )
    return {
        "equation": "records_read == records_written + dead_lettered + sum(excluded.values())",
        "records_read": counts["records_read"],
        "accounted_for": accounted,
        "reconciles": counts["records_read"] == accounted,
    }


def dead_letter_output(counts: Mapping) -> dict:
    """What ``dead_letter/`` holds, in one place: conversation records (counted
    in ``dead_lettered`` and in the reconciliation) and control-event lines
    (``control_events_dead_lettered``: not conversations, so outside it)."""
    control = sum(counts["control_events_dead_lettered"].values())
    return {
        "rows": counts["dead_lettered"] + control,
        "conversation_records": counts["dead_lettered"],
        "control_events": control,
        "control_events_by_input": dict(counts["control_events_dead_lettered"]),
        "note": "dead_letter/ holds both kinds (column stage: a conversation stage such "
        "as validate, deduplicate or pii, or a control input's name). Conversation "
        "records count in dead_lettered and the reconciliation; control-event lines are "
        "not conversations: each failed closed for the subject it names.",
    }


def _deep_copy(value):
    return {k: _deep_copy(v) for k, v in value.items()} if isinstance(value, dict) else value


def _sorted(value):
    return {k: _sorted(value[k]) for k in sorted(value)} if isinstance(value, dict) else value

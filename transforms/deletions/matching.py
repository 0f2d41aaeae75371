"""Which records of earlier runs a set of deletion requests removes (Beam-free).

A deletion request names a *subject*: an account (``user_id``, rule D1) or a
conversation (``conversation_id``, rule D2). It is in force when its
``requested_at`` is at or before as-of; a subject read by the forgiving scan
from a malformed deletion line (a ``FailClosed`` record) is in force whatever
the time (POLICY.md, Clarifications: fail closed). A lineage row names the
subjects its record belongs to: its user and its conversation. A record is
removed when one of them is in force; when both are, it counts under D1 (the
policy's precedence).

The SLA (the published promise): deleted data leaves the systems within 30
days. A request older than that at as-of which still removes records means an
earlier application was missed; such removals are counted as overdue.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Optional, Union

from schemas.records import DeletionRequest, FailClosed, FolderRemovals

USER = "user"  # the subject kind of an account deletion (FailClosed.kind too)
CONVERSATION = "conversation"
D1 = "D1"  # account deleted
D2 = "D2"  # conversation deleted
RULES = {USER: D1, CONVERSATION: D2}
KINDS = {"account": USER, "conversation": CONVERSATION}
SLA_DAYS = 30
SLA_MICROS = SLA_DAYS * 86_400 * 1_000_000

SubjectKey = tuple[str, str]  # (USER | CONVERSATION, id)


@dataclass(frozen=True, slots=True)
class Subject:
    """A deleted subject: its rule and its earliest in-force request (None: only
    known from a malformed line, so failed closed without a time)."""

    rule: str
    requested_at: Optional[int]


@dataclass(frozen=True, slots=True)
class Match:
    """A record of a run folder that belongs to a deleted subject."""

    folder: int
    record_id: str
    subject: SubjectKey
    rule: str
    requested_at: Optional[int]


def subject_in_force(
    event: Union[DeletionRequest, FailClosed], as_of: int
) -> Optional[tuple[SubjectKey, Subject]]:
    """The subject an event deletes as of ``as_of``, or None (a request after as-of)."""
    if isinstance(event, FailClosed):
        return (event.kind, event.subject_id), Subject(RULES[event.kind], None)
    if event.requested_at > as_of:
        return None
    kind = KINDS[event.kind]
    return (kind, event.subject_id), Subject(RULES[kind], event.requested_at)


def merge_subjects(subjects: Iterable[Subject]) -> Subject:
    """Several requests for one subject: the earliest known request time counts."""
    subjects = list(subjects)
    times = [s.requested_at for s in subjects if s.requested_at is not None]
    return Subject(subjects[0].rule, min(times) if times else None)


def lineage_subjects(user_id: Optional[str], conversation_id: str) -> list[SubjectKey]:
    """The subjects a lineage row belongs to (an API record may have no user)."""
    keys = [(CONVERSATION, conversation_id)]
    if user_id:
        keys.append((USER, user_id))
    return keys


def match(folder: int, record_id: str, key: SubjectKey, subject: Subject) -> Match:
    return Match(folder, record_id, key, subject.rule, subject.requested_at)


def is_overdue(requested_at: Optional[int], as_of: int) -> bool:
    return requested_at is not None and requested_at < as_of - SLA_MICROS


def folder_removals(folder: int, matches: Iterable[Match], as_of: int) -> FolderRemovals:
    """Every match of one folder → the records to remove, counted per rule (D1
    wins over D2 for a record of a deleted account in a deleted conversation)."""
    rule_of: dict[str, str] = {}
    overdue_records: set[str] = set()
    overdue_subjects: set[SubjectKey] = set()
    for m in matches:
        if rule_of.get(m.record_id) != D1:
            rule_of[m.record_id] = m.rule
        if is_overdue(m.requested_at, as_of):
            overdue_records.add(m.record_id)
            overdue_subjects.add(m.subject)
    by_rule = Counter(rule_of.values())
    return FolderRemovals(
        folder=folder,
        record_ids=tuple(sorted(rule_of)),
        removed_by_rule=tuple((rule, by_rule[rule]) for rule in (D1, D2)),
        overdue_requests=len(overdue_subjects),
        overdue_records=len(overdue_records),
    )


def event_counts(event: Union[DeletionRequest, FailClosed], as_of: int) -> dict[str, int]:
    """What one accepted event contributes to the command's counts."""
    if isinstance(event, FailClosed):
        return {"fail_closed_subjects": 1}
    if event.requested_at > as_of:
        return {"requests_after_as_of": 1}
    return {"requests_in_force": 1}


def sum_counts(parts: Iterable[dict[str, int]]) -> dict[str, int]:
    total: Counter = Counter()
    for part in parts:
        total.update(part)
    return dict(total)

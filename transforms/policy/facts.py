"""Control events as facts about subjects (pure functions, no Beam).

Each control event becomes one ``(subject_key, fragment)`` pair; the fragments
of one subject are folded into its ``SubjectFacts``. A subject key is ``(kind,
id)`` with kind ``user``, ``workspace``, ``org`` or ``conversation``. Fail closed
(POLICY.md clarifications): a ``FailClosed`` subject (named by an event that
could not be accepted) is opted out, not sharing, or deleted for the whole run.
"""

from __future__ import annotations

from typing import Any, Iterable, Optional

from schemas import reasons
from schemas.records import (
    ConsentEvent,
    ControlEvent,
    Conversation,
    DeletionRequest,
    SharingEvent,
)
from transforms.policy.timeline import SubjectFacts, SubjectKey, Timeline

SETTING = "setting"  # (changed_at, enabled)
DELETED = "deleted"  # requested_at
SETTING_POISONED = "setting_poisoned"
DELETION_POISONED = "deletion_poisoned"

SUBJECT_KINDS = ("user", "workspace", "org", "conversation")


def fragment(event: ControlEvent) -> tuple[SubjectKey, tuple]:
    """The subject a control event is about, and what it says of it."""
    if isinstance(event, ConsentEvent):
        return ("user", event.user_id), (SETTING, (event.changed_at, event.training_enabled))
    if isinstance(event, SharingEvent):
        return (event.scope, event.subject_id), (SETTING, (event.changed_at, event.sharing_enabled))
    if isinstance(event, DeletionRequest):
        kind = "user" if event.kind == "account" else "conversation"
        return (kind, event.subject_id), (DELETED, event.requested_at)
    poisoned = DELETION_POISONED if event.input_name == reasons.DELETIONS else SETTING_POISONED
    return (event.kind, event.subject_id), (poisoned, None)


def fold_facts(fragments: Iterable[tuple[str, Any]], as_of: int) -> SubjectFacts:
    """One subject's facts from its fragments; events after as-of are ignored."""
    changes, deletions = [], []
    setting_poisoned = deletion_poisoned = False
    for tag, value in fragments:
        if tag == SETTING and value[0] <= as_of:
            changes.append(value)
        elif tag == DELETED and value <= as_of:
            deletions.append(value)
        elif tag == SETTING_POISONED:
            setting_poisoned = True
        elif tag == DELETION_POISONED:
            deletion_poisoned = True
    return SubjectFacts(
        setting=Timeline.of(changes, poisoned=setting_poisoned),
        deleted_at=min(deletions) if deletions else None,
        deletion_poisoned=deletion_poisoned,
    )


def subject_keys(conv: Conversation) -> list[tuple[str, str]]:
    """The subjects whose facts a conversation's decision may need."""
    ids: tuple[Optional[str], ...] = (
        conv.user_id,
        conv.workspace_id,
        conv.org_id,
        conv.conversation_id,
    )
    return [
        (kind, subject_id)
        for kind, subject_id in zip(SUBJECT_KINDS, ids, strict=True)
        if subject_id
    ]

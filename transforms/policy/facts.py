"""Control events as facts about subjects (pure functions, no Beam).

Each valid or invalid control event becomes one ``(subject_key, fragment)``
pair; the fragments of one subject are folded into its ``SubjectFacts``. A
subject key is ``(kind, id)`` with kind ``user``, ``workspace``, ``org`` or
``conversation``. Fail closed (POLICY.md clarifications): an invalid event
whose subject id can still be read from its raw bytes (the forgiving scan of
:mod:`transforms.read.forgiving`) marks that subject as opted out, not sharing,
or deleted for the whole run.
"""
from __future__ import annotations

from typing import Any, Iterable, Optional

from schemas.records import ConsentEvent, Conversation, DeletionRequest, SharingEvent
from transforms.policy.timeline import SubjectFacts, Timeline
from transforms.read.forgiving import readable_values, subject_ids
from transforms.read.validation import (
    to_consent_event,
    to_deletion_request,
    to_sharing_event,
)

SETTING = "setting"  # (changed_at, enabled)
DELETED = "deleted"  # requested_at
SETTING_POISONED = "setting_poisoned"
DELETION_POISONED = "deletion_poisoned"

SUBJECT_KINDS = ("user", "workspace", "org", "conversation")


def consent_fragment(record: dict, location: str = "") -> tuple:
    event: ConsentEvent = to_consent_event(record)
    return ("user", event.user_id), (SETTING, (event.changed_at, event.training_enabled))


def sharing_fragment(record: dict, location: str = "") -> tuple:
    event: SharingEvent = to_sharing_event(record)
    return (event.scope, event.subject_id), (SETTING, (event.changed_at, event.sharing_enabled))


def deletion_fragment(record: dict, location: str = "") -> tuple:
    request: DeletionRequest = to_deletion_request(record)
    kind = "user" if request.kind == "account" else "conversation"
    return (kind, request.subject_id), (DELETED, request.requested_at)


def poisoned_consent(raw: Any) -> Iterable[tuple]:
    """Fail closed for every user a rejected consent line names: opted out."""
    for user_id in _readable_ids(raw, "user_id"):
        yield ("user", user_id), (SETTING_POISONED, None)


def poisoned_sharing(raw: Any) -> Iterable[tuple]:
    """Fail closed for every org/workspace a rejected sharing line names: not
    sharing; both scopes when the line's scope cannot be read."""
    scopes = _readable_choice(raw, "scope", ("org", "workspace"))
    for subject_id in _readable_ids(raw, "id"):
        for scope in scopes:
            yield (scope, subject_id), (SETTING_POISONED, None)


def poisoned_deletion(raw: Any) -> Iterable[tuple]:
    """Fail closed for every account or conversation a rejected deletion line
    names: deleted; both kinds when the line's kind cannot be read."""
    kinds = _readable_choice(raw, "kind", ("account", "conversation"))
    if "account" in kinds:
        for user_id in _readable_ids(raw, "user_id"):
            yield ("user", user_id), (DELETION_POISONED, None)
    if "conversation" in kinds:
        for conversation_id in _readable_ids(raw, "conversation_id"):
            yield ("conversation", conversation_id), (DELETION_POISONED, None)


def _readable_ids(raw: Any, name: str) -> list[str]:
    """The ids a rejected line names under ``name`` (the forgiving scan), each
    with its whitespace-trimmed form."""
    return sorted({i for value in readable_values(raw, [name])[name] for i in subject_ids(value)})


def _readable_choice(raw: Any, name: str, choices: tuple[str, ...]) -> tuple[str, ...]:
    readable = [v for v in readable_values(raw, [name])[name] if v in choices]
    return tuple(c for c in choices if c in readable) or choices


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
    ids: tuple[Optional[str], ...] = (conv.user_id, conv.workspace_id, conv.org_id, conv.conversation_id)
    return [(kind, subject_id) for kind, subject_id in zip(SUBJECT_KINDS, ids) if subject_id]

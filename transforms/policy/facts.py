"""Control events as facts about subjects (pure functions, no Beam).

Each valid or invalid control event becomes one ``(subject_key, fragment)``
pair; the fragments of one subject are folded into its ``SubjectFacts``. A
subject key is ``(kind, id)`` with kind ``user``, ``workspace``, ``org`` or
``conversation``. Fail closed (POLICY.md clarifications): an invalid event
whose subject id can still be read marks that subject as opted out, not
sharing, or deleted for the whole run.
"""
from __future__ import annotations

from typing import Any, Iterable, Optional

from schemas.records import ConsentEvent, Conversation, DeletionRequest, SharingEvent
from transforms.policy.timeline import SubjectFacts, Timeline
from transforms.read.validation import (
    readable_id,
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


def poisoned_consent(record: Any) -> Iterable[tuple]:
    user_id = readable_id(record, "user_id")
    if user_id:
        yield ("user", user_id), (SETTING_POISONED, None)


def poisoned_sharing(record: Any) -> Iterable[tuple]:
    subject_id = readable_id(record, "id")
    if not subject_id:
        return
    scope = record.get("scope")
    for kind in (scope,) if scope in ("org", "workspace") else ("org", "workspace"):
        yield (kind, subject_id), (SETTING_POISONED, None)


def poisoned_deletion(record: Any) -> Iterable[tuple]:
    kind = record.get("kind") if isinstance(record, dict) else None
    kinds = (kind,) if kind in ("account", "conversation") else ("account", "conversation")
    user_id = readable_id(record, "user_id")
    if "account" in kinds and user_id:
        yield ("user", user_id), (DELETION_POISONED, None)
    conversation_id = readable_id(record, "conversation_id")
    if "conversation" in kinds and conversation_id:
        yield ("conversation", conversation_id), (DELETION_POISONED, None)


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

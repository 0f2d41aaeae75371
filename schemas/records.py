"""Typed records passed between pipeline stages.

Instants are integers: microseconds since the Unix epoch, UTC. They compare,
hash and pickle cheaply and identically on every worker, which keeps decisions
deterministic. ``schemas.timestamps`` converts them to and from the wire forms.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Union

Instant = int  # microseconds since 1970-01-01T00:00:00Z

ROLES = ("user", "assistant", "system", "tool")


@dataclass(frozen=True, slots=True)
class Message:
    role: str
    content: str  # textual parts joined with a newline
    created_at: Optional[Instant] = None  # None: the conversation's created_at
    message_id: Optional[str] = None


@dataclass(frozen=True, slots=True)
class Conversation:
    """A conversation that passed V1 validation (DATA.md contract)."""

    conversation_id: str
    source: str
    created_at: Instant
    messages: tuple[Message, ...]
    user_id: Optional[str] = None
    workspace_id: Optional[str] = None
    org_id: Optional[str] = None
    is_temporary: bool = False
    updated_at: Optional[Instant] = None
    deleted_at: Optional[Instant] = None
    location: str = ""  # where in the input (schemas/locations.py): dead letters, lineage
    non_text_parts_dropped: int = 0
    # what was left out of the training text, by kind (transforms/read/dropped.py)
    content_dropped: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True, slots=True)
class ConsentEvent:
    user_id: str
    training_enabled: bool
    changed_at: Instant


@dataclass(frozen=True, slots=True)
class SharingEvent:
    scope: str  # "org" | "workspace"
    subject_id: str
    sharing_enabled: bool
    changed_at: Instant


@dataclass(frozen=True, slots=True)
class DeletionRequest:
    kind: str  # "account" | "conversation"
    subject_id: str  # user_id or conversation_id
    requested_at: Instant


@dataclass(frozen=True, slots=True)
class FailClosed:
    """A subject named by a control event that could not be accepted (POLICY.md,
    Clarifications): for the whole run a user is opted out, a workspace or org is
    not sharing, a user or conversation is deleted (by ``input_name``)."""

    input_name: str  # consent_events | sharing_events | deletions
    kind: str  # user | workspace | org | conversation
    subject_id: str


ControlEvent = Union[ConsentEvent, SharingEvent, DeletionRequest, FailClosed]


@dataclass(frozen=True, slots=True)
class DeadLetter:
    """A record that could not be processed. ``error`` never quotes content."""

    stage: str
    error: str
    location: str = ""
    conversation_id: Optional[str] = None
    raw: Optional[str] = None  # the original record, for repair and replay


@dataclass(frozen=True, slots=True)
class Exclusion:
    """A conversation excluded by a policy rule (no content is kept)."""

    reason: str
    source: str
    conversation_id: str
    api_past_retention: bool = False


@dataclass(frozen=True, slots=True)
class Eligible:
    """A conversation that every rule admits, already trimmed by C2."""

    conversation: Conversation
    messages_trimmed_after_opt_out: int = 0
    messages_trimmed_after_as_of: int = 0


@dataclass(frozen=True, slots=True)
class RedactedMessage:
    role: str
    content: str


@dataclass(frozen=True, slots=True)
class Redaction:
    """One replacement in a redacted message, for the redaction sidecar:
    ``start``/``end`` locate the replacement in the *redacted* text. The
    original value is never kept."""

    message_index: int
    entity_type: str
    start: int
    end: int
    score: float
    recognizer: str
    operator: str


@dataclass(frozen=True, slots=True)
class RedactedConversation:
    """What the dataset, lineage and redaction outputs are made from."""

    eligible: Eligible
    messages: tuple[RedactedMessage, ...]
    entity_counts: tuple[tuple[str, int], ...] = field(default=())
    redactions: tuple[Redaction, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class FolderRemovals:
    """What ``apply_deletions`` removes from one earlier run folder (``folder``:
    its index among the command's run folders): the ``record_id`` of every record
    of a deleted account (D1) or conversation (D2), and counts that hold no id."""

    folder: int
    record_ids: tuple[str, ...]  # sorted, distinct
    removed_by_rule: tuple[tuple[str, int], ...]  # (("D1", n), ("D2", m)); D1 wins a tie
    overdue_requests: int = 0  # in-force requests older than the SLA that remove records here
    overdue_records: int = 0  # records removed by such a request

"""Consent, sharing and deletion timelines of one subject (POLICY.md, "Consent timelines").

A subject is a user, a workspace, an organisation or a conversation. Its facts
are built from the control events about it that happened at or before as-of;
later events are ignored so that re-runs with the same as-of agree.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Iterable, Optional

SubjectKey = tuple  # (kind, id): ("user" | "workspace" | "org" | "conversation", str)


@dataclass(frozen=True, slots=True)
class Timeline:
    """Setting changes ``(changed_at, enabled)`` sorted by time, off before on at a tie."""

    changes: tuple[tuple[int, bool], ...] = ()
    poisoned: bool = False  # a malformed event about this subject: treat as off throughout

    @classmethod
    def of(cls, changes: Iterable[tuple[int, bool]], poisoned: bool = False) -> "Timeline":
        return cls(tuple(sorted(set(changes))), poisoned)

    def enabled_at(self, instant: int, default: bool) -> bool:
        """The setting in force at ``instant``: the latest change at or before it.

        Two changes at the same instant: the more restrictive one (off) wins.
        With no change at or before ``instant`` the ``default`` applies.
        """
        if self.poisoned:
            return False
        position = bisect.bisect_right(self.changes, (instant, True))
        if position == 0:
            return default
        changed_at, enabled = self.changes[position - 1]
        if enabled and position >= 2 and self.changes[position - 2] == (changed_at, False):
            return False
        return enabled


@dataclass(frozen=True, slots=True)
class SubjectFacts:
    """What the control events say about one subject, as of the run's as-of."""

    setting: Timeline = Timeline()  # user consent, or workspace/org data sharing
    deleted_at: Optional[int] = None  # earliest deletion request at or before as-of
    deletion_poisoned: bool = False  # a malformed deletion request about this subject

    @property
    def deleted(self) -> bool:
        return self.deletion_poisoned or self.deleted_at is not None


NO_FACTS = SubjectFacts()


@dataclass(frozen=True, slots=True)
class ConversationFacts:
    """The facts a conversation's decision needs: its user, its sharing subject
    (workspace or organisation) and the conversation itself."""

    user: SubjectFacts = NO_FACTS
    workspace: SubjectFacts = NO_FACTS
    org: SubjectFacts = NO_FACTS
    conversation: SubjectFacts = NO_FACTS

    def of(self, subject: str) -> SubjectFacts:
        return getattr(self, subject)

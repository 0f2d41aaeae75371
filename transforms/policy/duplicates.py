"""Duplicate conversation ids (POLICY.md clarifications), decided right after V1.

Copies with identical content are written once and each extra copy is a
``duplicate_record``; copies that differ cannot be decided and all go to the
dead-letter output.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Optional, Sequence

from schemas.locations import location_order
from schemas.records import Conversation


@dataclass(frozen=True)
class Deduplicated:
    kept: Optional[Conversation]  # None when the copies conflict
    duplicates: int  # identical extra copies
    conflicting: tuple[Conversation, ...] = ()


def deduplicate(copies: Sequence[Conversation]) -> Deduplicated:
    """Keep one of identical copies (the first by input location, for determinism)."""
    ordered = sorted(copies, key=lambda c: location_order(c.location))
    content = {replace(c, location="") for c in ordered}
    if len(content) > 1:
        return Deduplicated(kept=None, duplicates=0, conflicting=tuple(ordered))
    return Deduplicated(kept=ordered[0], duplicates=len(ordered) - 1)

"""The P1 review of a redacted conversation, before it may be written.

In order: the independent residual check (:mod:`transforms.pii.residual`: an
identifier still found after redaction dead-letters the conversation as
``residual_pii``, so a detector bug fails closed), then the optional
exclusions ``unsupported_language`` (:mod:`transforms.pii.language`) and
``pii_density_exceeded`` (``language_filter`` and ``pii_density`` in
``config/pii.yaml``, off by default). A conversation that passes is returned as
it is; one that does not becomes a :class:`PiiRejection`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Optional, Sequence, Union

from schemas import reasons
from schemas.records import RedactedConversation
from transforms.pii.config import PiiConfig
from transforms.pii.language import LanguageDetector
from transforms.pii.residual import CHECKS, residual_findings
from transforms.pii.spans import Span


@dataclass(frozen=True)
class PiiRejection:
    """A redacted conversation the P1 review does not let through: a dead
    letter (``residual_pii``) or an exclusion (``pii_density_exceeded``,
    ``unsupported_language``). ``detail`` names entity types and message
    indexes, never values."""

    conversation: RedactedConversation
    code: str
    detail: str
    dead_letter: bool


class Reviewer:
    """The P1 policies of one config. Refuses residual kinds it does not know.
    The language identifier is loaded on first use, if the policy is on."""

    def __init__(self, config: PiiConfig):
        unknown = set(config.residual_check.entities) - set(CHECKS)
        if unknown:
            raise ValueError(
                f"residual_check: unknown kinds {sorted(unknown)}; use {sorted(CHECKS)}"
            )
        self.config = config
        self._language_detector: Optional[LanguageDetector] = None

    def review(self, redacted: RedactedConversation) -> Union[RedactedConversation, PiiRejection]:
        """The P1 policies, in order: residual identifiers (dead letter), then
        the optional language and density exclusions."""
        residual = self.config.residual_check
        if residual.enabled:
            findings = residual_findings(
                without_replacements(redacted), residual.entities, self.config.allow_list
            )
            if findings:
                detail = ", ".join(
                    f"{kind} in message {index}" for index, kind in sorted(set(findings))
                )
                return PiiRejection(
                    redacted,
                    reasons.RESIDUAL_PII,
                    f"still found after redaction: {detail}",
                    dead_letter=True,
                )
        language = self._unsupported_language(redacted)
        if language:
            return PiiRejection(
                redacted,
                reasons.UNSUPPORTED_LANGUAGE,
                f"user text identified as {language}",
                dead_letter=False,
            )
        if self._too_dense(redacted):
            return PiiRejection(
                redacted,
                reasons.PII_DENSITY_EXCEEDED,
                f"{len(redacted.redactions)} redactions",
                dead_letter=False,
            )
        return redacted

    def _too_dense(self, redacted: RedactedConversation) -> bool:
        density = self.config.density
        if not density.enabled or len(redacted.redactions) < density.min_entities:
            return False
        chars = sum(len(m.content) for m in redacted.eligible.conversation.messages)
        return len(redacted.redactions) * 1000 > density.max_entities_per_1000_chars * max(chars, 1)

    def _unsupported_language(self, redacted: RedactedConversation) -> Optional[str]:
        settings = self.config.language_filter
        if not settings.enabled:
            return None
        if self._language_detector is None:
            self._language_detector = LanguageDetector(settings)
        user_text = "\n".join(
            m.content for m in redacted.eligible.conversation.messages if m.role == "user"
        )
        return self._language_detector.unsupported(user_text)


def without_replacements(redacted: RedactedConversation) -> list[str]:
    """The redacted messages with every replacement masked, so that the residual
    check looks only at text the redaction left as it was (a surrogate is
    realistic on purpose and must not count as a leftover)."""
    texts = [m.content for m in redacted.messages]
    replaced: dict[int, list[Span]] = defaultdict(list)
    for r in redacted.redactions:
        replaced[r.message_index].append((r.start, r.end))
    for index, spans in replaced.items():
        texts[index] = masked(texts[index], spans)
    return texts


def masked(text: str, spans: Sequence[Span]) -> str:
    """``text`` with the characters of ``spans`` replaced by ``#``, in one pass."""
    pieces, cursor = [], 0
    for start, end in sorted(spans):
        start = max(start, cursor)
        pieces += [text[cursor:start], "#" * max(0, end - start)]
        cursor = max(cursor, end)
    pieces.append(text[cursor:])
    return "".join(pieces)

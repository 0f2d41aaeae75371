"""Replacement: a conversation's detections turned into redacted messages and
the redaction sidecar's records.

The replacement text of each value comes from :mod:`transforms.pii.operators`:
typed placeholders numbered by first appearance in the conversation, or keyed
pseudonyms or surrogates per entity type. Output depends only on the
conversation, config and key, never on batch composition or order. Each
replacement is recorded (entity type, message, position in the redacted text,
score, recognizer, operator) for the sidecar; the original value never is.

The keyed operators' key is derived from the record-id key, which the config
holds only by reference: :func:`pseudonym_key` resolves it on the worker.
"""

from __future__ import annotations

from collections import Counter
from typing import Callable, Sequence

from presidio_analyzer import RecognizerResult

from schemas.records import Eligible, RedactedConversation, RedactedMessage, Redaction
from transforms.keys import MIN_KEY_BYTES
from transforms.pii.config import PiiConfig
from transforms.pii.detection import recognizer_of
from transforms.pii.operators import PlaceholderBook, derive_key


def pseudonym_key(config: PiiConfig) -> bytes:
    """The key of the keyed operators (``hmac``, ``surrogate``), derived from
    the record-id key that ``config.pseudonym_key_ref`` names; empty when
    every configured operator is ``placeholder``, which needs no key. Raises
    ValueError when a keyed operator has no usable key."""
    keyed = sorted({config.operator(e) for e in config.entities} - {"placeholder"})
    if not keyed:
        return b""
    key = config.pseudonym_key_ref.resolve() if config.pseudonym_key_ref else b""
    if len(key) < MIN_KEY_BYTES:
        raise ValueError(f"operators {keyed} need the record-id key")
    return derive_key(key)


def redact(
    eligible: Eligible,
    detections: Sequence[Sequence[RecognizerResult]],
    operator: Callable[[str], str],
    key: bytes,
) -> RedactedConversation:
    """The conversation with each detection (per message, non-overlapping)
    replaced by what ``operator`` names for its entity type. Every value is
    registered before any is replaced, so identities are decided on the
    whole conversation (:class:`~transforms.pii.operators.PlaceholderBook`)."""
    messages = eligible.conversation.messages
    book = PlaceholderBook(operator, key)
    for message, results in zip(messages, detections, strict=True):
        for r in results:
            book.register(r.entity_type, message.content[r.start : r.end])
    redacted, redactions = [], []
    for index, (message, results) in enumerate(zip(messages, detections, strict=True)):
        content, replaced = replace(message.content, results, book, index)
        redacted.append(RedactedMessage(message.role, content))
        redactions.extend(replaced)
    counts = Counter(r.entity_type for r in redactions)
    return RedactedConversation(
        eligible, tuple(redacted), tuple(sorted(counts.items())), tuple(redactions)
    )


def replace(
    text: str, results: Sequence[RecognizerResult], book: PlaceholderBook, index: int
) -> tuple[str, list[Redaction]]:
    """The redacted text of message ``index`` and the record of each
    replacement in it, at its position in the redacted text."""
    pieces, redactions, cursor, length = [], [], 0, 0
    for r in results:
        replacement, operator = book.replace(r.entity_type, text[r.start : r.end])
        pieces.append(text[cursor : r.start])
        length += r.start - cursor
        redactions.append(
            Redaction(
                index,
                r.entity_type,
                length,
                length + len(replacement),
                round(r.score, 4),
                recognizer_of(r),
                operator,
            )
        )
        pieces.append(replacement)
        length += len(replacement)
        cursor = r.end
    pieces.append(text[cursor:])
    return "".join(pieces), redactions

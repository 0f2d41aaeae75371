"""V1: parse and validate input records against the DATA.md contract.

Pure functions, no Beam. Each ``to_*`` function turns one decoded record into a
typed record or raises ``InvalidRecord`` whose message names fields and types,
never values: a record may hold personal data and error texts reach logs and
the dead-letter output's ``error`` column.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from typing import Any, Optional

from schemas.records import (
    ROLES,
    ConsentEvent,
    Conversation,
    DeletionRequest,
    Message,
    SharingEvent,
)
from schemas.timestamps import TimestampError, parse_instant
from transforms.read.dropped import CITATION_MARKER, is_part_kind, part_kind
from transforms.read.forgiving import is_invisible
from transforms.read.safe_io import DEFAULT_MAX_RECORD_BYTES
from transforms.read.strict_json import DEFAULT_MAX_DEPTH, JsonRejected, loads_strict

TEXT_PART_TYPES = ("text", "code")
CITATION_MARKERS = ("drop", "keep")
_PRIVATE_USE_BLOCK = re.compile("[\ue200-\ue2ff]")
# a whole marker (start U+E200, references, end U+E201), else one character of the block
_CITATION_MARKER = re.compile("[ \t]*\ue200[^\ue200\ue201\n]{0,512}\ue201|[\ue200-\ue2ff]")
_BOM = b"\xef\xbb\xbf"


class InvalidRecord(ValueError):
    """The record breaks the input contract; the message quotes no content."""


def decode_json_line(
    line: bytes, max_bytes: int = DEFAULT_MAX_RECORD_BYTES, max_depth: int = DEFAULT_MAX_DEPTH
) -> dict:
    """One JSON Lines record to a dict, strictly (DATA.md, "What makes a record valid").

    Accepts a leading byte-order mark and a trailing carriage return. Rejects
    records over ``max_bytes``, invalid UTF-8, lone surrogates, duplicate keys,
    ``NaN``/``Infinity`` literals, nesting deeper than ``max_depth`` and anything
    but one JSON object.
    """
    if line.startswith(_BOM):
        line = line[len(_BOM) :]
    line = line.rstrip(b"\r")
    if len(line) > max_bytes:
        raise InvalidRecord(f"record is {len(line)} bytes, over the limit of {max_bytes}")
    try:
        value = loads_strict(line, max_depth)
    except JsonRejected as exc:
        raise InvalidRecord(str(exc)) from None
    if not isinstance(value, dict):
        raise InvalidRecord(f"a record must be a JSON object, not {_kind(value)}")
    return value


def _kind(value: Any) -> str:
    return {
        dict: "an object",
        list: "a list",
        str: "a string",
        bool: "a boolean",
        type(None): "null",
    }.get(type(value), "a number")


# --- field readers ---------------------------------------------------------


def _required_string(record: dict, name: str) -> str:
    value = record.get(name)
    if not isinstance(value, str) or not value:
        raise InvalidRecord(f"{name} must be a non-empty string, got {_kind(value)}")
    return value


def _optional_string(record: dict, name: str) -> Optional[str]:
    """An optional id: a string or null; an empty string counts as missing."""
    value = record.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidRecord(f"{name} must be a string or null, got {_kind(value)}")
    return _clean_id(value, name) or None


def _required_id(record: dict, name: str) -> str:
    return _clean_id(_required_string(record, name), name)


def _clean_id(value: str, name: str) -> str:
    """Ids are compared exactly, so a stray space would make another subject
    ("u4 " is not u4): an id with leading or trailing whitespace, or with a
    control or format character anywhere, is invalid (POLICY.md)."""
    if value != value.strip() or any(is_invisible(c) for c in value):
        raise InvalidRecord(
            f"{name} has leading or trailing whitespace or an invisible "
            "(control or format) character"
        )
    return value


def _instant(record: dict, name: str) -> int:
    """A required timestamp."""
    value = _optional_instant(record, name)
    if value is None:
        raise InvalidRecord(f"{name} is required")
    return value


def _optional_instant(record: dict, name: str) -> Optional[int]:
    value = record.get(name)
    if value is None:
        return None
    try:
        return parse_instant(value)
    except TimestampError as exc:
        raise InvalidRecord(f"{name}: {exc}") from None


def _boolean(record: dict, name: str, nullable_default: Optional[bool] = None) -> bool:
    value = record.get(name)
    if value is None and nullable_default is not None:
        return nullable_default
    if not isinstance(value, bool):
        raise InvalidRecord(f"{name} must be a boolean, got {_kind(value)}")
    return value


# --- conversations ---------------------------------------------------------


def to_conversation(
    record: dict,
    location: str = "",
    user_id_required_for: frozenset = frozenset(),
    citation_markers: str = "keep",
) -> Conversation:
    """Validate a conversation record (V1).

    ``user_id_required_for`` is the set of sources whose records need a user id
    (consumer, Team and Enterprise sources, from the policy file).
    ``citation_markers``: ``drop`` removes private-use citation markers from
    the text (:func:`without_citation_markers`), counted by kind.
    """
    conversation_id = _required_id(record, "conversation_id")
    source = _required_string(record, "source")
    user_id = _optional_string(record, "user_id")
    if user_id is None and source in user_id_required_for:
        raise InvalidRecord("user_id is required for consumer, Team and Enterprise sources")
    messages_value = record.get("messages")
    if not isinstance(messages_value, list):
        raise InvalidRecord(f"messages must be a list, got {_kind(messages_value)}")
    messages = []
    dropped: Counter = Counter()
    for index, item in enumerate(messages_value):
        message, parts = _to_message(item, index)
        if citation_markers == "drop":
            text, markers = without_citation_markers(message.content)
            message = replace(message, content=text) if markers else message
            dropped[CITATION_MARKER] += markers
        messages.append(message)
        dropped.update(parts)
    return Conversation(
        conversation_id=conversation_id,
        source=source,
        created_at=_instant(record, "created_at"),
        messages=tuple(messages),
        user_id=user_id,
        workspace_id=_optional_string(record, "workspace_id"),
        org_id=_optional_string(record, "org_id"),
        is_temporary=_boolean(record, "is_temporary", nullable_default=False),
        updated_at=_optional_instant(record, "updated_at"),
        deleted_at=_optional_instant(record, "deleted_at"),
        location=location,
        non_text_parts_dropped=sum(n for kind, n in dropped.items() if is_part_kind(kind)),
        content_dropped=tuple(sorted((k, n) for k, n in dropped.items() if n)),
    )


def without_citation_markers(text: str) -> tuple[str, int]:
    """``text`` without private-use citation markers (U+E200-U+E2FF): a whole
    marker ``\\ue200cite\\ue202turn0search3\\ue201`` with the blanks before it (its
    references are not words of the conversation), and any other character of
    that block (the wrappers around cited words, whose words stay); and how many
    were removed."""
    if not _PRIVATE_USE_BLOCK.search(text):
        return text, 0
    return _CITATION_MARKER.subn("", text)


def _to_message(item: Any, index: int) -> tuple[Message, Counter]:
    where = f"messages[{index}]"
    if not isinstance(item, dict):
        raise InvalidRecord(f"{where} must be an object, got {_kind(item)}")
    role = item.get("role")
    if role not in ROLES:
        raise InvalidRecord(f"{where}.role must be one of {', '.join(ROLES)}")
    message_id = item.get("message_id")
    if message_id is not None and not isinstance(message_id, str):
        raise InvalidRecord(f"{where}.message_id must be a string or null")
    try:
        created_at = _optional_instant(item, "created_at")
    except InvalidRecord as exc:
        raise InvalidRecord(f"{where}.{exc}") from None
    content, dropped = _content_text(item.get("content"), where)
    message = Message(role=role, content=content, created_at=created_at, message_id=message_id)
    return message, dropped


def _content_text(content: Any, where: str) -> tuple[str, Counter]:
    """The training text of a message content and the non-text parts dropped, by kind."""
    dropped: Counter = Counter()
    if isinstance(content, str):
        return content, dropped
    if not isinstance(content, list):
        raise InvalidRecord(
            f"{where}.content must be a string or a list of parts, got {_kind(content)}"
        )
    texts = []
    for index, part in enumerate(content):
        if isinstance(part, str):
            texts.append(part)
            continue
        if not isinstance(part, dict) or not isinstance(part.get("type"), str):
            raise InvalidRecord(
                f"{where}.content[{index}] must be a string or an object with a string type"
            )
        if part["type"] in TEXT_PART_TYPES:
            if not isinstance(part.get("text"), str):
                raise InvalidRecord(
                    f"{where}.content[{index}] of type {part['type']} needs a string text"
                )
            texts.append(part["text"])
        else:
            dropped[part_kind(part["type"])] += 1
    return "\n".join(texts), dropped


# --- control events --------------------------------------------------------


def to_consent_event(record: dict) -> ConsentEvent:
    return ConsentEvent(
        user_id=_required_id(record, "user_id"),
        training_enabled=_boolean(record, "training_enabled"),
        changed_at=_instant(record, "changed_at"),
    )


def to_sharing_event(record: dict) -> SharingEvent:
    scope = record.get("scope")
    if scope not in ("org", "workspace"):
        raise InvalidRecord("scope must be 'org' or 'workspace'")
    return SharingEvent(
        scope=scope,
        subject_id=_required_id(record, "id"),
        sharing_enabled=_boolean(record, "sharing_enabled"),
        changed_at=_instant(record, "changed_at"),
    )


def to_deletion_request(record: dict) -> DeletionRequest:
    kind = record.get("kind")
    if kind == "account":
        subject_id = _required_id(record, "user_id")
    elif kind == "conversation":
        subject_id = _required_id(record, "conversation_id")
    else:
        raise InvalidRecord("kind must be 'account' or 'conversation'")
    return DeletionRequest(
        kind=kind, subject_id=subject_id, requested_at=_instant(record, "requested_at")
    )

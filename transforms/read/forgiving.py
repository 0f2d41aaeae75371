"""The forgiving scan: which ids a rejected line still names (Beam-free).

A consent, sharing or deletion line that cannot be accepted (a duplicate key,
``NaN``, invalid UTF-8, a lone surrogate, a truncated line, the event wrapped in
an array, an oversized line...) must still fail closed for the subject it names
(POLICY.md, Clarifications). The strict parser cannot read such a line, so this
scan reads its raw bytes instead: every JSON string literal followed by a colon
is a key, and the string (or integer) right after the colon is its value. A
key may occur several times (every value counts), an unterminated value at the
end of a truncated line counts as it stands, and escapes are decoded where they
can be.

:func:`fail_closed` turns the candidates into :class:`FailClosed` subjects, and
the policy treats each as opted out, not sharing or deleted. Over-reading only
excludes more; under-reading would let an opted-out user through.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from typing import Any, Iterable, Iterator, Mapping

from schemas import reasons
from schemas.records import FailClosed

# A JSON string literal (possibly cut off by the end of the line), scanned from
# the start so that quotes inside strings are never taken for token starts.
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)("?)', re.DOTALL)
_COLON = re.compile(r"\s*:\s*")
_INTEGER = re.compile(r"-?\d+")
_LENIENT = json.JSONDecoder(strict=False)  # control characters inside strings allowed


def readable_values(raw: Any, names: Iterable[str]) -> dict[str, list[str]]:
    """Every value of the keys ``names`` readable in ``raw`` (the bytes of a
    line, or an already decoded record), in order of appearance."""
    wanted = set(names)
    text = _text_of(raw)
    found: dict[str, list[str]] = defaultdict(list)
    strings = list(_STRING.finditer(text))
    for i, token in enumerate(strings):
        colon = _COLON.match(text, token.end())
        if not token.group(2) or colon is None:
            continue
        key = _decode(token.group(1))
        if key not in wanted:
            continue
        value_at = colon.end()
        if i + 1 < len(strings) and strings[i + 1].start() == value_at:
            found[key].append(_decode(strings[i + 1].group(1)))
        elif (number := _INTEGER.match(text, value_at)) is not None:
            found[key].append(number.group())
    return {name: [v for v in found[name] if v] for name in wanted}


def fail_closed(input_name: str, raw: Any) -> Iterator[FailClosed]:
    """Every subject a rejected line of a control input names (a consent line: its
    users; a sharing line: its orgs/workspaces, both scopes when its scope cannot
    be read; a deletion line: its accounts and conversations, both kinds when its
    kind cannot be read)."""
    if input_name == reasons.CONSENT_EVENTS:
        subjects = [("user", "user_id")]
    elif input_name == reasons.SHARING_EVENTS:
        subjects = [(scope, "id") for scope in _choices(raw, "scope", ("org", "workspace"))]
    else:
        kinds = _choices(raw, "kind", ("account", "conversation"))
        subjects = [("user", "user_id")] * ("account" in kinds) + [
            ("conversation", "conversation_id")
        ] * ("conversation" in kinds)
    for kind, key in subjects:
        ids = {i for value in readable_values(raw, [key])[key] for i in subject_ids(value)}
        yield from (FailClosed(input_name, kind, subject_id) for subject_id in sorted(ids))


def _choices(raw: Any, key: str, choices: tuple[str, ...]) -> tuple[str, ...]:
    """The values of ``key`` among ``choices`` that ``raw`` names; all of them if none."""
    named = readable_values(raw, [key])[key]
    return tuple(c for c in choices if c in named) or choices


def subject_ids(value: str) -> set[str]:
    """The ids a readable value may stand for: itself and, when it carries
    whitespace or invisible characters, the id without them (POLICY.md: a
    control event with ``"u4 "`` fails closed for ``u4``)."""
    ids = {value, value.strip(), "".join(c for c in value if not is_invisible(c)).strip()}
    return {i for i in ids if i}


def is_invisible(char: str) -> bool:
    """A control or format character (``\\x00``, ``\\u200b``, ``\\ufeff``, ...)."""
    return unicodedata.category(char) in ("Cc", "Cf")


def _text_of(raw: Any) -> str:
    if isinstance(raw, (bytes, bytearray)):
        return bytes(raw).decode("utf-8", errors="replace")
    if isinstance(raw, str):
        return raw
    if isinstance(raw, (Mapping, list)):
        return json.dumps(raw, default=str, ensure_ascii=False)
    return ""


def _decode(literal: str) -> str:
    """A string literal's content with its escapes decoded where they are valid."""
    try:
        return _LENIENT.decode(f'"{literal}"')
    except ValueError:
        return literal

"""OpenAI Chat Completions messages → canonical messages (Beam-free).

Shared by the fine-tuning adapter (``finetune``: a line's ``messages``) and the
API-log adapter (``openai_api_log``: a request's ``messages`` and a response's
chosen ``message``); the decisions are described in ``finetune``'s docstring.
"""

from __future__ import annotations

import json
from typing import Any, Optional

from .base import (
    Malformed,
    Stats,
    check_text,
    kept_message,
    kind,
    make_content,
    mapped_role,
    require_list,
    require_object,
    require_string,
)

CHAT_ROLES = {
    "system": "system",
    "developer": "system",
    "user": "user",
    "assistant": "assistant",
    "tool": "tool",
    "function": "tool",
}
_TEXT_PART_TYPES = ("text", "input_text", "output_text")


def chat_messages(values: list, where: str, stats: Stats) -> list:
    """A list of Chat Completions messages → the canonical messages left of them."""
    messages = []
    for i, value in enumerate(values):
        message = convert_chat_message(value, f"{where}[{i}]", stats, message_id=None)
        if message is not None:
            messages.append(message)
    return messages


def convert_chat_message(
    m: Any, where: str, stats: Stats, *, message_id: Optional[str], created_at: Any = None
) -> Optional[dict]:
    """A Chat Completions message → a canonical message, or None if nothing is left."""
    require_object(m, where)
    role = mapped_role(m.get("role"), CHAT_ROLES, f"{where}.role")
    pieces = content_pieces(m.get("content"), f"{where}.content", stats)
    refusal = m.get("refusal")
    if refusal is not None:
        pieces.append(("text", require_string(refusal, f"{where}.refusal")))
    calls = tool_call_pieces(m, where)
    pieces.extend(stats.tool_call_pieces(calls))
    if calls and make_content(pieces) is None:
        return None  # nothing but tool calls, dropped and counted as such
    return kept_message(pieces, role, stats, message_id=message_id, created_at=created_at)


def content_pieces(content: Any, where: str, stats: Stats) -> list:
    """String or list-of-parts content → [("text", str)]; non-text parts counted."""
    if content is None:
        return []
    if isinstance(content, str):
        return [("text", check_text(content, where))]
    if not isinstance(content, list):
        raise Malformed(f"{where} is {kind(content)}, expected a string, a list or null")
    pieces = []
    for i, part in enumerate(content):
        piece = _part_piece(part, f"{where}[{i}]", stats)
        if piece is not None:
            pieces.append(piece)
    return pieces


def _part_piece(part: Any, where: str, stats: Stats) -> Optional[tuple]:
    """One content part → ("text", str), or None for a non-text part (counted)."""
    if isinstance(part, str):
        return ("text", check_text(part, where))
    require_object(part, where)
    ptype = part.get("type")
    if not isinstance(ptype, str):
        raise Malformed(f"{where}.type is {kind(ptype)}, expected a string")
    if ptype in _TEXT_PART_TYPES:
        return ("text", require_string(part.get("text"), f"{where}.text"))
    if ptype == "refusal":
        return ("text", require_string(part.get("refusal"), f"{where}.refusal"))
    stats.parts[_part_type_label(ptype)] += 1
    return None


def _part_type_label(ptype: str) -> str:
    return ptype if ptype.replace("_", "").isalnum() and len(ptype) <= 64 else "other"


def tool_call_pieces(m: dict, where: str) -> list:
    """Assistant ``tool_calls`` / ``function_call`` → [("code", json)] (kept or
    dropped by the caller, ``Stats.tool_call_pieces``)."""
    pieces = []
    calls = m.get("tool_calls")
    if calls is not None:
        require_list(calls, f"{where}.tool_calls")
        for i, call in enumerate(calls):
            require_object(call, f"{where}.tool_calls[{i}]")
            fn = call.get("function", call.get("custom"))
            if fn is None:
                continue
            pieces.append(("code", function_call_text(fn, f"{where}.tool_calls[{i}]")))
    legacy = m.get("function_call")
    if legacy is not None:
        pieces.append(("code", function_call_text(legacy, f"{where}.function_call")))
    return pieces


def function_call_text(fn: Any, where: str) -> str:
    """A function call → ``{"name", "arguments"}`` as JSON. Both are type-checked
    before either is checked for lone surrogates."""
    require_object(fn, where)
    name = fn.get("name")
    args = fn.get("arguments", fn.get("input"))
    if not isinstance(name, str):
        raise Malformed(f"{where}.name is {kind(name)}, expected a string")
    if args is not None and not isinstance(args, str):
        raise Malformed(f"{where}.arguments is {kind(args)}, expected a string")
    check_text(name, f"{where}.name")
    if args is not None:
        check_text(args, f"{where}.arguments")
    return json.dumps({"name": name, "arguments": args}, ensure_ascii=False)

"""OpenAI fine-tuning chat JSONL → canonical records (format ``openai_finetune``).

One example per line: ``{"messages": [...], "tools"?: [...], "parallel_tool_calls"?: bool}``
(``functions`` accepted too). Plain or gzip-compressed JSON Lines; blank lines skipped;
a BOM and CRLF accepted; each line parsed strictly (UTF-8, no duplicate keys, no
NaN/Infinity), a bad line is an AdapterError and reading goes on.

Decisions:

* **Ids.** A string ``conversation_id`` or ``id`` on the line is used; otherwise
  ``ft:<sha256(name)[:16]>:L<line number>`` (physical, 1-based line number; ``name``
  is the ``name`` argument or the path), so re-reading the same file gives the same ids.
* **Times.** The format has none: ``created_at`` = ``default_created_at``; without it
  every line is an AdapterError saying so. Message times are None.
* **Messages** (shared with the API-log adapter, :func:`convert_chat_message`): roles
  system/developer → system, user, assistant, tool/function → tool; other roles are an
  AdapterError. ``content`` a string or parts: ``text`` parts and ``refusal`` parts
  kept as text; ``image_url``, ``input_audio``, ``file`` ... dropped and counted.
  Assistant ``tool_calls`` / ``function_call`` become ``code`` parts holding
  ``{"name": ..., "arguments": ...}`` as JSON. ``name`` and ``weight`` are not carried
  (``name`` can be a person's name; ``weight`` is a training knob, not eligibility).
  Messages with no non-blank text are dropped and counted as ``empty``.
* ``user_id``/``org_id``/``workspace_id``/``source`` come from the options only.
"""
from __future__ import annotations

import json
from typing import Any, Iterator, Optional, Union

from .base import (
    AdapterError,
    AdapterOptions,
    Malformed,
    Source,
    Stats,
    check_text,
    conversation_record,
    derived_id,
    id_string,
    read_jsonl_entries,
    kind,
    make_content,
    resolve_created_at,
)

FORMAT = "openai_finetune"

CHAT_ROLES = {
    "system": "system", "developer": "system",
    "user": "user",
    "assistant": "assistant",
    "tool": "tool", "function": "tool",
}
_TEXT_PART_TYPES = ("text", "input_text", "output_text")


def read_openai_finetune(src: Source, options: AdapterOptions, *,
                         name: Optional[str] = None) -> Iterator[Union[dict, AdapterError]]:
    """Stream canonical records (and AdapterErrors) from a fine-tuning JSONL file."""
    return read_jsonl_entries(src, options, name, convert_example)


def convert_example(example: Any, options: AdapterOptions, *, source: str, name: str,
                    lineno: int, raw: Optional[bytes] = None) -> Union[dict, AdapterError]:
    location = f"{name}:{lineno}"
    cid = None
    try:
        if not isinstance(example, dict):
            raise Malformed(f"line is {kind(example)}, expected an object")
        cid = (id_string(example.get("conversation_id"), "conversation_id")
               or id_string(example.get("id"), "id"))
        derived = cid is None
        if derived:
            cid = derived_id("ft", name, lineno)
        messages_value = example.get("messages")
        if not isinstance(messages_value, list):
            raise Malformed(f"messages is {kind(messages_value)}, expected a list")
        created_at, defaulted = resolve_created_at(None, options, "created_at")
        stats = Stats()
        messages = []
        for i, m in enumerate(messages_value):
            converted = convert_chat_message(m, f"messages[{i}]", stats, message_id=None)
            if converted is not None:
                messages.append(converted)
    except Malformed as exc:
        return AdapterError(location, str(exc), conversation_id=cid, raw=raw)
    info = {"format": FORMAT, "location": location, **stats.as_dict(),
            "conversation_id_derived": derived, "created_at_defaulted": defaulted}
    return conversation_record(
        conversation_id=cid, options=options, source=source, user_id=options.user_id,
        created_at=created_at, updated_at=None, messages=messages, adapter_info=info)


# --- Chat Completions messages (shared with openai_api_log) ----------------------------


def convert_chat_message(m: Any, where: str, stats: Stats, *, message_id: Optional[str],
                         created_at: Any = None) -> Optional[dict]:
    """A Chat Completions message → a canonical message, or None if nothing is left."""
    if not isinstance(m, dict):
        raise Malformed(f"{where} is {kind(m)}, expected an object")
    raw_role = m.get("role")
    if not isinstance(raw_role, str):
        raise Malformed(f"{where}.role is {kind(raw_role)}, expected a string")
    role = CHAT_ROLES.get(raw_role)
    if role is None:
        raise Malformed(f"{where}.role is not a known role")
    pieces = content_pieces(m.get("content"), f"{where}.content", stats)
    refusal = m.get("refusal")
    if refusal is not None:
        if not isinstance(refusal, str):
            raise Malformed(f"{where}.refusal is {kind(refusal)}, expected a string")
        pieces.append(("text", check_text(refusal, f"{where}.refusal")))
    pieces.extend(tool_call_pieces(m, where))
    content = make_content(pieces)
    if content is None:
        stats.messages["empty"] += 1
        return None
    return {"message_id": message_id, "role": role, "created_at": created_at, "content": content}


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
        pw = f"{where}[{i}]"
        if isinstance(part, str):
            pieces.append(("text", check_text(part, pw)))
            continue
        if not isinstance(part, dict):
            raise Malformed(f"{pw} is {kind(part)}, expected an object")
        ptype = part.get("type")
        if not isinstance(ptype, str):
            raise Malformed(f"{pw}.type is {kind(ptype)}, expected a string")
        if ptype in _TEXT_PART_TYPES:
            text = part.get("text")
            if not isinstance(text, str):
                raise Malformed(f"{pw}.text is {kind(text)}, expected a string")
            pieces.append(("text", check_text(text, f"{pw}.text")))
        elif ptype == "refusal":
            text = part.get("refusal")
            if not isinstance(text, str):
                raise Malformed(f"{pw}.refusal is {kind(text)}, expected a string")
            pieces.append(("text", check_text(text, f"{pw}.refusal")))
        else:
            stats.parts[ptype if ptype.replace("_", "").isalnum() and len(ptype) <= 64
                        else "other"] += 1
    return pieces


def tool_call_pieces(m: dict, where: str) -> list:
    """Assistant ``tool_calls`` / ``function_call`` → [("code", json)]."""
    pieces = []
    calls = m.get("tool_calls")
    if calls is not None:
        if not isinstance(calls, list):
            raise Malformed(f"{where}.tool_calls is {kind(calls)}, expected a list")
        for i, call in enumerate(calls):
            if not isinstance(call, dict):
                raise Malformed(f"{where}.tool_calls[{i}] is {kind(call)}, expected an object")
            fn = call.get("function", call.get("custom"))
            if fn is None:
                continue
            pieces.append(("code", function_call_text(fn, f"{where}.tool_calls[{i}]")))
    legacy = m.get("function_call")
    if legacy is not None:
        pieces.append(("code", function_call_text(legacy, f"{where}.function_call")))
    return pieces


def function_call_text(fn: Any, where: str) -> str:
    if not isinstance(fn, dict):
        raise Malformed(f"{where} is {kind(fn)}, expected an object")
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

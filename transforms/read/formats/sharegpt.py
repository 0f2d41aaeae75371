"""ShareGPT JSON → canonical records (format ``sharegpt``).

Accepted: a JSON array of ``{"id"?, "conversations": [{"from", "value"}], "system"?}``
(checked whole first: a truncated or broken document is refused as a whole; then
read one entry at a time), or the same objects as JSON Lines (the file's first
significant byte is ``{``).

Decisions:

* **Roles** (``from``, case-insensitive): human/user → user; gpt/assistant/chatgpt/
  bing/bard/model → assistant; system → system; function_call → assistant (a tool
  call the model made: dropped and counted as ``tool_call``, or with
  ``tool_calls=keep`` its ``value`` kept as a ``code`` part); observation/
  function/tool → tool. Any other speaker is an AdapterError for that conversation
  (we cannot tell whether it is user-authored).
* A top-level ``system`` string becomes a leading system message.
* ``value`` must be a string (null is treated as empty); empty/blank turns are
  dropped and counted as ``empty``. ``<image>`` placeholders stay as text.
* **Ids.** ``id`` (a string, or an integer turned into a string) as is; otherwise
  ``sharegpt:<sha256(name)[:16]>:I<index>`` (array index) or ``:L<line>`` (JSONL).
* **Times.** None in the format: ``created_at`` = ``default_created_at``, else an
  AdapterError per conversation.
"""

from __future__ import annotations

from typing import Any, BinaryIO, Iterator, Optional, Union

from transforms.read.safe_io import replay

from .base import (
    AdapterError,
    AdapterOptions,
    AdapterOutput,
    RecordDraft,
    Source,
    Stats,
    can_reopen,
    convert_entry,
    derived_id,
    id_string,
    iter_json_entries,
    iter_jsonl,
    kept_message,
    mapped_role,
    open_input,
    require_list,
    require_object,
    require_options,
    require_string,
    source_name,
    verify_file,
)

FORMAT = "sharegpt"

SPEAKERS = {
    "human": "user",
    "user": "user",
    "gpt": "assistant",
    "assistant": "assistant",
    "chatgpt": "assistant",
    "bing": "assistant",
    "bard": "assistant",
    "model": "assistant",
    "function_call": "assistant",
    "system": "system",
    "observation": "tool",
    "function": "tool",
    "tool": "tool",
}


def read_sharegpt(
    src: Source, options: AdapterOptions, *, name: Optional[str] = None
) -> AdapterOutput:
    """Stream canonical records (and AdapterErrors) from a ShareGPT file."""
    require_options(options)
    where = source_name(src, name)
    source = options.resolve_source(options.user_id)
    return _generate(src, where, options, source)


def _generate(src: Source, where: str, options: AdapterOptions, source: str) -> AdapterOutput:
    limits = options.limits
    with open_input(src, limits) as f:
        head = f.read(4096)
        json_lines = head.removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n")[:1] == b"{"
        if not can_reopen(src):  # a stream is read once, checked while it is read
            yield from _entries(replay(head, f), where, options, source, json_lines)
            return
    verify_file(src, limits, json_document=not json_lines)
    with open_input(src, limits) as f:
        yield from _entries(f, where, options, source, json_lines)


def _entries(
    f: BinaryIO, where: str, options: AdapterOptions, source: str, json_lines: bool
) -> AdapterOutput:
    """Each entry converted: JSON Lines numbered by line (``:L``), an array by index (``[I]``)."""
    numbered: Iterator[tuple[str, str, Any, Optional[AdapterError], Optional[bytes]]]
    if json_lines:
        numbered = (
            (f"{where}:{lineno}", derived_id("sharegpt", where, lineno, "L"), value, error, raw)
            for lineno, raw, value, error in iter_jsonl(f, where, options.limits)
        )
    else:
        numbered = (
            (f"{where}[{index}]", derived_id("sharegpt", where, index, "I"), value, error, None)
            for index, value, error in iter_json_entries(f, where, options.limits)
        )
    for location, fallback_id, value, error, raw in numbered:
        if error is not None:
            yield error
        else:
            yield convert_sharegpt(
                value, options, source=source, location=location, fallback_id=fallback_id, raw=raw
            )


def convert_sharegpt(
    item: Any,
    options: AdapterOptions,
    *,
    source: str,
    location: str,
    fallback_id: str,
    raw: Optional[bytes] = None,
) -> Union[dict, AdapterError]:
    """One ShareGPT conversation → a canonical record or an AdapterError."""
    return convert_entry(
        _read_conversation,
        item,
        RecordDraft(FORMAT, location, fallback_id),
        options,
        noun="entry",
        source=source,
        user_id=options.user_id,
        raw=raw,
    )


def _read_conversation(item: dict, options: AdapterOptions, draft: RecordDraft) -> None:
    """A conversation's fields into the draft, in the order they are checked."""
    draft.take_id(id_string(item.get("id"), "id", allow_int=True))
    turns = require_list(item.get("conversations"), "conversations")
    draft.resolve_created_at(None, options, "created_at")
    draft.messages = _system_message(item.get("system"), draft.stats)
    for i, turn in enumerate(turns):
        message = _turn_message(turn, f"conversations[{i}]", draft.stats)
        if message is not None:
            draft.messages.append(message)


def _system_message(system: Any, stats: Stats) -> list:
    """A top-level ``system`` string → a leading system message (none if empty)."""
    if system is None:
        return []
    message = kept_message([("text", require_string(system, "system"))], "system", stats)
    return [] if message is None else [message]


def _turn_message(turn: Any, where: str, stats: Stats) -> Optional[dict]:
    """One ``{from, value}`` turn → a canonical message, or None if it is empty."""
    require_object(turn, where)
    speaker = turn.get("from")
    role = mapped_role(speaker, SPEAKERS, f"{where}.from", ignore_case=True, noun="speaker")
    value = turn.get("value")
    if value is None:
        value = ""
    require_string(value, f"{where}.value")
    if speaker.lower() != "function_call":
        return kept_message([("text", value)], role, stats)
    pieces = stats.tool_call_pieces([("code", value)])
    return kept_message(pieces, role, stats) if pieces else None

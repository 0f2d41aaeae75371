"""ShareGPT JSON → canonical records (format ``sharegpt``).

Accepted: a JSON array of ``{"id"?, "conversations": [{"from", "value"}], "system"?}``
(checked whole first: a truncated or broken document is refused as a whole; then
read one entry at a time), or the same objects as JSON Lines (the file's first
significant byte is ``{``).

Decisions:

* **Roles** (``from``, case-insensitive): human/user → user; gpt/assistant/chatgpt/
  bing/bard/model → assistant; system → system; function_call → assistant (a tool
  call the model made; its ``value`` is kept as a ``code`` part); observation/
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

from .base import (
    AdapterConfigError,
    AdapterError,
    AdapterOptions,
    Malformed,
    Source,
    Stats,
    check_text,
    conversation_record,
    derived_id,
    id_string,
    can_reopen,
    iter_json_entries,
    iter_jsonl,
    kind,
    make_content,
    open_input,
    raw_of,
    resolve_created_at,
    source_name,
    verify_file,
)
from transforms.read.safe_io import replay

FORMAT = "sharegpt"

SPEAKERS = {
    "human": "user", "user": "user",
    "gpt": "assistant", "assistant": "assistant", "chatgpt": "assistant",
    "bing": "assistant", "bard": "assistant", "model": "assistant",
    "function_call": "assistant",
    "system": "system",
    "observation": "tool", "function": "tool", "tool": "tool",
}


def read_sharegpt(src: Source, options: AdapterOptions, *,
                  name: Optional[str] = None) -> Iterator[Union[dict, AdapterError]]:
    """Stream canonical records (and AdapterErrors) from a ShareGPT file."""
    if not isinstance(options, AdapterOptions):
        raise AdapterConfigError("options must be an AdapterOptions")
    where = source_name(src, name)
    source = options.resolve_source(options.user_id)
    return _generate(src, where, options, source)


def _generate(src: Source, where: str, options: AdapterOptions,
              source: str) -> Iterator[Union[dict, AdapterError]]:
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


def _entries(f: BinaryIO, where: str, options: AdapterOptions, source: str,
             json_lines: bool) -> Iterator[Union[dict, AdapterError]]:
    if json_lines:
        for lineno, raw, value, error in iter_jsonl(f, where, options.limits):
            yield error if error is not None else convert_sharegpt(
                value, options, source=source, location=f"{where}:{lineno}",
                fallback_id=derived_id("sharegpt", where, lineno, "L"), raw=raw)
        return
    for index, value, error in iter_json_entries(f, where, options.limits):
        yield error if error is not None else convert_sharegpt(
            value, options, source=source, location=f"{where}[{index}]",
            fallback_id=derived_id("sharegpt", where, index, "I"))


def convert_sharegpt(item: Any, options: AdapterOptions, *, source: str, location: str,
                     fallback_id: str, raw: Optional[bytes] = None) -> Union[dict, AdapterError]:
    cid = None
    try:
        if not isinstance(item, dict):
            raise Malformed(f"entry is {kind(item)}, expected an object")
        cid = id_string(item.get("id"), "id", allow_int=True)
        derived = cid is None
        if derived:
            cid = fallback_id
        turns = item.get("conversations")
        if not isinstance(turns, list):
            raise Malformed(f"conversations is {kind(turns)}, expected a list")
        created_at, defaulted = resolve_created_at(None, options, "created_at")
        stats = Stats()
        messages = []
        system = item.get("system")
        if system is not None:
            if not isinstance(system, str):
                raise Malformed(f"system is {kind(system)}, expected a string")
            content = make_content([("text", check_text(system, "system"))])
            if content is None:
                stats.messages["empty"] += 1
            else:
                messages.append({"message_id": None, "role": "system", "created_at": None,
                                 "content": content})
        for i, turn in enumerate(turns):
            where = f"conversations[{i}]"
            if not isinstance(turn, dict):
                raise Malformed(f"{where} is {kind(turn)}, expected an object")
            speaker = turn.get("from")
            if not isinstance(speaker, str):
                raise Malformed(f"{where}.from is {kind(speaker)}, expected a string")
            role = SPEAKERS.get(speaker.lower())
            if role is None:
                raise Malformed(f"{where}.from is not a known speaker")
            value = turn.get("value")
            if value is None:
                value = ""
            if not isinstance(value, str):
                raise Malformed(f"{where}.value is {kind(value)}, expected a string")
            check_text(value, f"{where}.value")
            piece_type = "code" if speaker.lower() == "function_call" else "text"
            content = make_content([(piece_type, value)])
            if content is None:
                stats.messages["empty"] += 1
                continue
            messages.append({"message_id": None, "role": role, "created_at": None,
                             "content": content})
    except Malformed as exc:
        return AdapterError(location, str(exc), conversation_id=cid,
                            raw=raw if raw is not None else raw_of(item))
    info = {"format": FORMAT, "location": location, **stats.as_dict(),
            "conversation_id_derived": derived, "created_at_defaulted": defaulted}
    return conversation_record(
        conversation_id=cid, options=options, source=source, user_id=options.user_id,
        created_at=created_at, updated_at=None, messages=messages, adapter_info=info)

"""ShareGPT JSON → canonical records (format ``sharegpt``).

Accepted: a JSON array of ``{"id"?, "conversations": [{"from", "value"}], "system"?}``
(streamed with ijson; a break in the JSON is reported with its byte position and
stops that file, keeping everything before it), or the same objects as JSON Lines
(the file's first significant byte is ``{``).

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

from typing import Any, Iterator, Optional, Union

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
    iter_json_entries,
    iter_jsonl,
    kind,
    make_content,
    open_input,
    raw_of,
    resolve_created_at,
    source_name,
)

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


class _Replay:
    """A reader that replays a consumed prefix before the rest of the file."""

    def __init__(self, prefix: bytes, f: Any):
        self._prefix, self._f = prefix, f

    def read(self, n: int = -1) -> bytes:
        if self._prefix:
            if n is None or n < 0:
                data, self._prefix = self._prefix + self._f.read(), b""
            else:
                data, self._prefix = self._prefix[:n], self._prefix[n:]
            return data
        return self._f.read(n)

    def readline(self, limit: int = -1) -> bytes:
        if self._prefix:
            cut = self._prefix.find(b"\n")
            if cut >= 0 and (limit is None or limit < 0 or cut + 1 <= limit):
                line, self._prefix = self._prefix[:cut + 1], self._prefix[cut + 1:]
                return line
            if limit is not None and 0 <= limit <= len(self._prefix):
                line, self._prefix = self._prefix[:limit], self._prefix[limit:]
                return line
            head, self._prefix = self._prefix, b""
            rest_limit = -1 if limit is None or limit < 0 else limit - len(head)
            return head + self._f.readline(rest_limit)
        return self._f.readline(limit)


def _generate(src: Source, where: str, options: AdapterOptions,
              source: str) -> Iterator[Union[dict, AdapterError]]:
    with open_input(src) as f:
        head = f.read(4096)
        first = head[3:] if head.startswith(b"\xef\xbb\xbf") else head
        first = first.lstrip(b" \t\r\n")[:1]
        stream = _Replay(head, f)
        if first == b"{":
            for lineno, raw, value, error in iter_jsonl(stream, where, options.max_entry_bytes):
                if error is not None:
                    yield error
                    continue
                yield convert_sharegpt(value, options, source=source,
                                       location=f"{where}:{lineno}",
                                       fallback_id=derived_id("sharegpt", where, lineno, "L"),
                                       raw=raw)
            return
        for index, value, error in iter_json_entries(stream, where):
            if error is not None:
                yield error
                continue
            yield convert_sharegpt(value, options, source=source,
                                   location=f"{where}[{index}]",
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

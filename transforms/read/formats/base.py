"""The input-adapter contract: real export formats to canonical conversation records.

Beam-free. An *adapter* is a function

    adapter(src, options: AdapterOptions, *, name: str | None = None)
        -> Iterator[dict | AdapterError]

``src`` is a readable **binary** file object or a path (``str`` / ``os.PathLike``;
archives and folders need a path or, for ZIPs, a seekable file object). ``name`` is
the stable name of the input used in locations and in derived conversation ids; it
defaults to the path or the file object's ``name``. Adapters stream: they hold one
entry (one conversation, one line) in memory at a time, never the whole file.

Each yielded item is either

* a canonical conversation dict, exactly the DATA.md shape::

      {"conversation_id", "user_id", "workspace_id", "org_id", "source",
       "is_temporary", "created_at", "updated_at", "deleted_at",
       "messages": [{"message_id", "role", "created_at", "content"}],
       "_adapter": {...}}

  ``content`` is a string, or a list of parts ``{"type": "text"|"code", "text": str}``
  when a message holds code. Timestamps are passed through as epoch seconds (int or
  float) or RFC 3339 strings exactly as the input (or ``default_created_at``) gave
  them; ``None`` where unknown. The record still goes through the pipeline's own V1
  validation.

  ``_adapter`` is a side field the pipeline ignores (unknown fields are ignored). It
  never holds text, only: ``format``; ``location``; ``dropped_parts`` {part type:
  count} (images, audio, files: non-text parts removed from kept messages);
  ``dropped_messages`` {reason: count} (reasons: ``hidden``, ``reasoning``,
  ``empty``, ``browsing``, ``system_error``, ``custom_instructions``,
  ``content_type:<type>`` for unknown content types, ``other_choices``, ...);
  ``conversation_id_derived`` and ``created_at_defaulted`` (bools); format-specific
  flags (e.g. ``thread`` for ChatGPT: how the thread was chosen).

* or an :class:`AdapterError` for one malformed entry (dead-lettered by the caller),
  after which the adapter carries on with the next entry where the format allows it.

Configuration problems (no ``source``, an account missing from ``source_map``, bad
option values) raise :class:`AdapterConfigError` *before* anything is read: a source
is never guessed, and a run must not half-read an input it cannot attribute.

No error text ever quotes message text, titles or other content (personal data):
reasons name fields, types, indices and byte offsets only.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import math
import os
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any, BinaryIO, Callable, Iterator, Mapping, Optional, Union

try:  # prefer the C backend, fall back to pure Python
    import ijson.backends.yajl2_c as ijson
except ImportError:  # pragma: no cover - depends on the installed wheel
    import ijson.backends.python as ijson  # type: ignore[no-redef]

from ijson.common import JSONError

IJSON_BACKEND = ijson.backend if hasattr(ijson, "backend") else ijson.__name__.rsplit(".", 1)[-1]

ROLES = ("user", "assistant", "system", "tool")
BRANCH_POLICIES = ("current", "longest")
CUSTOM_INSTRUCTIONS = ("keep", "drop")
DEFAULT_MAX_ENTRY_BYTES = 64 * 1024 * 1024

Source = Union[str, "os.PathLike[str]", BinaryIO]


class AdapterConfigError(ValueError):
    """The adapter cannot run with these options or this input; raised before reading."""


@dataclass(frozen=True)
class AdapterError:
    """One malformed entry. ``reason`` names fields and types, never content."""

    location: str
    reason: str
    conversation_id: Optional[str] = None
    raw: Optional[bytes] = None  # the entry's bytes (or a re-serialisation), or None


_RFC3339 = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$"
)


def is_timestamp(value: Any) -> bool:
    """A DATA.md timestamp: finite epoch seconds (not bool) or RFC 3339 with offset."""
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return math.isfinite(value) and -62135596800 <= value < 253402300800
    if isinstance(value, str):
        return bool(_RFC3339.match(value))
    return False


@dataclass(frozen=True)
class AdapterOptions:
    """Options for every non-canonical adapter.

    source: the policy source value (``chatgpt_plus``, ``api``, ...) for every record;
        required unless ``source_map`` covers the input's account. Never guessed.
    source_map: {account id: source}; the account id is ``user.json``'s ``id`` in a
        ChatGPT export, else ``user_id``. An entry overrides ``source``, which stays
        the default for accounts not in the map.
    user_id: the user id put on every record; overrides ``user.json``'s ``id`` (but
        ``source_map`` is still looked up by the export's own account id).
    org_id, workspace_id: copied onto every record.
    default_created_at: the ``created_at`` of records whose format carries no time
        (fine-tuning JSONL, ShareGPT, API logs without ``created``) and of ChatGPT
        conversations without ``create_time``. Epoch seconds or RFC 3339 with offset.
    branch_policy: ChatGPT trees: ``current`` (default) = the path from
        ``current_node`` to the root, i.e. the thread the user last saw; ``longest``
        = the path to the deepest node. One record per conversation either way (one
        record per branch would need branch-suffixed ids that deletion requests,
        keyed by conversation id, would not match).
    custom_instructions: ``keep`` (default) emits ChatGPT custom instructions
        (``user_editable_context``) as a ``user`` message; ``drop`` removes them.
    include_hidden: keep ChatGPT messages flagged
        ``metadata.is_visually_hidden_from_conversation`` (default False).
    max_entry_bytes: JSON Lines lines longer than this are dead-lettered unread.
    """

    source: Optional[str] = None
    source_map: Optional[Mapping[str, str]] = None
    user_id: Optional[str] = None
    org_id: Optional[str] = None
    workspace_id: Optional[str] = None
    default_created_at: Optional[Union[int, float, str]] = None
    branch_policy: str = "current"
    custom_instructions: str = "keep"
    include_hidden: bool = False
    max_entry_bytes: int = DEFAULT_MAX_ENTRY_BYTES

    def __post_init__(self) -> None:
        for name in ("source", "user_id", "org_id", "workspace_id"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, str) or not value):
                raise AdapterConfigError(f"{name} must be a non-empty string or None")
        if self.source_map is not None:
            if not isinstance(self.source_map, Mapping):
                raise AdapterConfigError("source_map must be a mapping {account id: source}")
            for key, value in self.source_map.items():
                if not isinstance(key, str) or not key or not isinstance(value, str) or not value:
                    raise AdapterConfigError("source_map keys and values must be non-empty strings")
            object.__setattr__(self, "source_map", dict(self.source_map))
        if self.default_created_at is not None and not is_timestamp(self.default_created_at):
            raise AdapterConfigError(
                "default_created_at must be epoch seconds or an RFC 3339 string with an offset"
            )
        if self.branch_policy not in BRANCH_POLICIES:
            raise AdapterConfigError(f"branch_policy must be one of {', '.join(BRANCH_POLICIES)}")
        if self.custom_instructions not in CUSTOM_INSTRUCTIONS:
            raise AdapterConfigError("custom_instructions must be 'keep' or 'drop'")
        if not isinstance(self.include_hidden, bool):
            raise AdapterConfigError("include_hidden must be a boolean")
        if isinstance(self.max_entry_bytes, bool) or not isinstance(self.max_entry_bytes, int) \
                or self.max_entry_bytes < 1:
            raise AdapterConfigError("max_entry_bytes must be a positive integer")

    def resolve_source(self, account_id: Optional[str]) -> str:
        """The source for an account, from ``source_map`` then ``source``; never guessed."""
        if self.source_map and account_id is not None and account_id in self.source_map:
            return self.source_map[account_id]
        if self.source is not None:
            return self.source
        if self.source_map:
            raise AdapterConfigError(
                "the input's account is not in source_map and no default source was given"
                if account_id is not None else
                "the input has no account id (no user.json, no user_id) to look up in "
                "source_map, and no default source was given"
            )
        raise AdapterConfigError("a source is required (option source or source_map); "
                                 "it is never guessed")


Adapter = Callable[..., Iterator[Union[dict, AdapterError]]]


# --- small helpers shared by the adapters -----------------------------------


class Malformed(Exception):
    """Internal: the current entry is malformed; the message quotes no content."""


def kind(value: Any) -> str:
    """A JSON type name for error messages (never the value)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def check_text(value: str, where: str) -> str:
    """Reject strings that are not valid UTF-8 (lone surrogates)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise Malformed(f"{where} holds a lone surrogate (not UTF-8)") from None
    return value


def derived_id(prefix: str, name: str, index: int, unit: str = "L") -> str:
    """A deterministic id from the input's name and the entry's position.

    The name is hashed (paths can hold user names); the position is kept readable.
    """
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return f"{prefix}:{digest}:{unit}{index}"


def optional_time(value: Any, where: str) -> Any:
    if value is None:
        return None
    if not is_timestamp(value):
        raise Malformed(f"{where} must be a timestamp or null, got {kind(value)}"
                        + (" out of range" if isinstance(value, (int, float))
                           and not isinstance(value, bool) else ""))
    return value


def id_string(value: Any, where: str, allow_int: bool = False) -> Optional[str]:
    """An optional id: a non-empty string (or an integer if allowed); None if absent."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return check_text(value, where)
    if allow_int and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise Malformed(f"{where} must be a string, got {kind(value)}")


def raw_of(item: Any) -> Optional[bytes]:
    """A re-serialisation of a parsed entry for the dead letter (ASCII-safe)."""
    try:
        return json.dumps(item, ensure_ascii=True, default=str).encode("ascii")
    except (TypeError, ValueError, RecursionError):
        return None


class Stats:
    """Per-record counters for the ``_adapter`` side field."""

    __slots__ = ("parts", "messages")

    def __init__(self) -> None:
        self.parts: Counter = Counter()
        self.messages: Counter = Counter()

    def as_dict(self) -> dict:
        return {"dropped_parts": dict(sorted(self.parts.items())),
                "dropped_messages": dict(sorted(self.messages.items()))}


def make_content(texts_and_codes: list) -> Union[str, list, None]:
    """Build canonical content from [("text"|"code", str)]; None if nothing is left.

    Text-only content is joined with a newline into one string (what V1 would do);
    content with code stays a list of ``{type, text}`` parts. Empty strings are
    skipped; content whose text is all blank counts as empty.
    """
    kept = [(t, s) for t, s in texts_and_codes if s != ""]
    if not kept or all(not s.strip() for _, s in kept):
        return None
    if all(t == "text" for t, _ in kept):
        return "\n".join(s for _, s in kept)
    return [{"type": t, "text": s} for t, s in kept]


def conversation_record(
    *,
    conversation_id: str,
    options: AdapterOptions,
    source: str,
    user_id: Optional[str],
    created_at: Any,
    updated_at: Any,
    messages: list,
    adapter_info: dict,
    is_temporary: bool = False,
    deleted_at: Any = None,
) -> dict:
    return {
        "conversation_id": conversation_id,
        "user_id": user_id,
        "workspace_id": options.workspace_id,
        "org_id": options.org_id,
        "source": source,
        "is_temporary": is_temporary,
        "created_at": created_at,
        "updated_at": updated_at,
        "deleted_at": deleted_at,
        "messages": messages,
        "_adapter": adapter_info,
    }


def resolve_created_at(value: Any, options: AdapterOptions, where: str) -> tuple[Any, bool]:
    """(created_at, defaulted) from the entry's own time or ``default_created_at``."""
    if value is not None:
        if not is_timestamp(value):
            raise Malformed(f"{where} must be a timestamp, got {kind(value)}"
                            + (" out of range" if isinstance(value, (int, float))
                               and not isinstance(value, bool) else ""))
        return value, False
    if options.default_created_at is None:
        raise Malformed(f"{where} is missing and no default_created_at was supplied "
                        "(the adapter never invents times)")
    return options.default_created_at, True


# --- opening inputs and streaming JSON ---------------------------------------


_GZIP_MAGIC = b"\x1f\x8b"
_ZIP_MAGIC = b"PK\x03\x04"
_BOM = b"\xef\xbb\xbf"
_WS = b" \t\r\n"


def source_name(src: Source, name: Optional[str]) -> str:
    if name:
        return name
    if isinstance(src, (str, os.PathLike)):
        return os.fspath(src)
    return str(getattr(src, "name", "") or "<stream>")


class open_input:
    """Context manager: a binary file object for a path (gzip detected) or a file object.

    File objects passed in are not closed.
    """

    def __init__(self, src: Source):
        self._src = src
        self._owned: list = []

    def __enter__(self) -> BinaryIO:
        if isinstance(self._src, (str, os.PathLike)):
            f = open(self._src, "rb")
            self._owned.append(f)
            if f.read(2) == _GZIP_MAGIC:
                f.seek(0)
                g = gzip.GzipFile(fileobj=f, mode="rb")
                self._owned.append(g)
                return g  # type: ignore[return-value]
            f.seek(0)
            return f
        if not hasattr(self._src, "read"):
            raise AdapterConfigError("src must be a path or a readable binary file object")
        return self._src

    def __exit__(self, *exc: Any) -> None:
        for f in reversed(self._owned):
            f.close()


class CountingReader:
    """Wraps a binary file: counts bytes handed out, can peek the first JSON byte."""

    def __init__(self, raw: BinaryIO):
        self._raw = raw
        self._pending = b""
        self.position = 0  # bytes handed to the consumer so far

    def read(self, n: int = -1) -> bytes:
        if self._pending:
            if n is None or n < 0:
                data = self._pending + self._raw.read()
                self._pending = b""
            else:
                data, self._pending = self._pending[:n], self._pending[n:]
        else:
            data = self._raw.read(n)
        if isinstance(data, str):
            raise AdapterConfigError("the input must be opened in binary mode")
        self.position += len(data)
        return data

    def first_byte(self) -> Optional[bytes]:
        """Skip a BOM and whitespace; return the first significant byte (not consumed)."""
        buf = self._raw.read(4096)
        if isinstance(buf, str):
            raise AdapterConfigError("the input must be opened in binary mode")
        skipped = 0
        if buf.startswith(_BOM):
            buf, skipped = buf[3:], 3
        while True:
            stripped = buf.lstrip(_WS)
            skipped += len(buf) - len(stripped)
            if stripped:
                self._pending = stripped
                self.position = skipped
                return stripped[:1]
            buf = self._raw.read(4096)
            if not buf:
                self.position = skipped
                return None


def _safe_parser_message(exc: BaseException) -> str:
    """The category of a parser error, without the quoted input yajl appends."""
    first = str(exc).split("\n", 1)[0].strip()
    if first.startswith(("b'", 'b"')):
        first = first[2:]
    m = re.match(r"((?:parse|lexical) error: [A-Za-z0-9 ().,'-]{1,80}?)\.?$", first)
    if m:
        return m.group(1)
    return type(exc).__name__


def _dup_counting_dict() -> type:
    """A fresh map_type for ijson that counts duplicate keys (yajl keeps the last one
    silently). One class per stream, so interleaved streams never share a counter."""

    class DupCountingDict(dict):
        __slots__ = ()
        duplicates = 0

        def __setitem__(self, key: Any, value: Any) -> None:
            if key in self:
                DupCountingDict.duplicates += 1
            dict.__setitem__(self, key, value)

    return DupCountingDict


def iter_json_entries(f: BinaryIO, where: str) -> Iterator[tuple[int, Any, Optional[AdapterError]]]:
    """Stream the entries of a JSON file: an array's items, or one top-level object.

    Yields ``(index, value, None)`` per entry, and ``(index, None, AdapterError)`` for
    an entry with duplicate keys or when the JSON breaks (then stops: everything
    before the break has been yielded; the error gives the byte position reached).
    """
    reader = CountingReader(f)
    first = reader.first_byte()
    if first is None:
        yield 0, None, AdapterError(where, "file is empty: expected a JSON array or object")
        return
    if first == b"[":
        prefix, shape = "item", "array"
    elif first == b"{":
        prefix, shape = "", "object"
    else:
        yield 0, None, AdapterError(where, "file is not a JSON array or object")
        return
    index = 0
    map_type = _dup_counting_dict()
    try:
        for value in ijson.items(reader, prefix, map_type=map_type, use_float=True):
            if map_type.duplicates:
                map_type.duplicates = 0
                yield index, None, AdapterError(
                    f"{where}[{index}]" if shape == "array" else where,
                    "duplicate key in a JSON object", raw=raw_of(value))
            else:
                yield index, value, None
            index += 1
    except JSONError as exc:
        yield index, None, AdapterError(
            where,
            f"invalid JSON ({_safe_parser_message(exc)}) after {index} complete "
            f"{'item' if index == 1 else 'items'}, parser stopped within the first "
            f"{reader.position} bytes; the rest of the file was not read",
        )
    except RecursionError:
        yield index, None, AdapterError(where, f"JSON nested too deeply at entry {index}; "
                                               "the rest of the file was not read")


def _no_duplicate_keys(pairs: list) -> dict:
    result: dict = {}
    for key, value in pairs:
        if key in result:
            raise Malformed("duplicate key in a JSON object")
        result[key] = value
    return result


def _no_constants(name: str) -> Any:
    raise Malformed(f"{name} is not allowed in JSON")


def loads_strict(data: bytes) -> Any:
    """Strict JSON: UTF-8, no duplicate keys, no NaN/Infinity. Raises Malformed."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Malformed(f"not UTF-8 (byte offset {exc.start})") from None
    try:
        return json.loads(text, object_pairs_hook=_no_duplicate_keys, parse_constant=_no_constants)
    except json.JSONDecodeError as exc:
        raise Malformed(f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    except RecursionError:
        raise Malformed("JSON nested too deeply") from None


def iter_jsonl(f: BinaryIO, where: str, max_bytes: int) -> Iterator[tuple[int, bytes, Any, Optional[AdapterError]]]:
    """Stream JSON Lines: ``(line number, raw line, value, None)`` or an AdapterError.

    Blank lines are skipped (numbers still count them); a BOM and CRLF are accepted;
    lines over ``max_bytes`` are skipped unread and dead-lettered.
    """
    lineno = 0
    while True:
        line = f.readline(max_bytes + 1)
        if not line:
            return
        lineno += 1
        if lineno == 1 and line.startswith(_BOM):
            line = line[3:]
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while True:  # skip the rest of the oversized line
                rest = f.readline(1 << 20)
                if not rest or rest.endswith(b"\n"):
                    break
            yield lineno, b"", None, AdapterError(
                f"{where}:{lineno}", f"line longer than max_entry_bytes ({max_bytes})")
            continue
        body = line.rstrip(b"\r\n")
        if not body.strip(_WS):
            continue
        try:
            value = loads_strict(body)
        except Malformed as exc:
            yield lineno, body, None, AdapterError(f"{where}:{lineno}", str(exc), raw=body)
            continue
        yield lineno, body, value, None


def read_jsonl_entries(src: Source, options: AdapterOptions, name: Optional[str],
                       convert: Callable[..., Union[dict, AdapterError]]
                       ) -> Iterator[Union[dict, AdapterError]]:
    """The JSON Lines adapters' shared body: check the options and resolve the
    source now (a configuration error is raised before anything is read), then
    stream ``convert(value, options, source=, name=, lineno=, raw=)`` per line,
    with malformed lines as AdapterErrors."""
    if not isinstance(options, AdapterOptions):
        raise AdapterConfigError("options must be an AdapterOptions")
    where = source_name(src, name)
    source = options.resolve_source(options.user_id)

    def entries() -> Iterator[Union[dict, AdapterError]]:
        with open_input(src) as f:
            for lineno, raw, value, error in iter_jsonl(f, where, options.max_entry_bytes):
                if error is not None:
                    yield error
                else:
                    yield convert(value, options, source=source, name=where, lineno=lineno,
                                  raw=raw)

    return entries()

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
  ``empty``, ``browsing``, ``tool_call``, ``system_error``, ``custom_instructions``,
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

import hashlib
import json
import math
import os
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any, BinaryIO, Callable, Iterator, Mapping, Optional, TypeGuard, Union, cast

from transforms.read.safe_io import (
    DEFAULT_READ_LIMITS,
    ReadLimits,
    UnsafeInput,
    compression_of,
    drain,
    local_size,
    open_bounded,
    read_line,
    refuse_symlink,
)
from transforms.read.strict_json import (
    DocumentProblem,
    EntryTooLarge,
    JsonRejected,
    check_document,
    loads_strict,
    split_document,
)

BRANCH_POLICIES = ("current", "longest")
CUSTOM_INSTRUCTIONS = ("keep", "drop")
TOOL_CALLS = ("drop", "keep")

# A path, a binary file object, or an opener: a function returning a fresh binary
# file object (a remote file), which lets an adapter check a file before using it.
Source = Union[str, "os.PathLike[str]", BinaryIO, Callable[[], BinaryIO]]


class AdapterConfigError(ValueError):
    """The adapter cannot run with these options or this input; raised before reading."""


@dataclass(frozen=True)
class AdapterError:
    """One malformed entry. ``reason`` names fields and types, never content."""

    location: str
    reason: str
    conversation_id: Optional[str] = None
    raw: Optional[bytes] = None  # the entry's bytes (or a re-serialisation), or None


_RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$")


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
    tool_calls: ``drop`` (default) leaves the assistant's tool calls out of the
        text and counts them (``dropped_messages.tool_call``): a ChatGPT message
        addressed to a tool (``recipient`` other than ``all``: ``search("...")``,
        ``mclick([...])``, code for the python tool), Chat Completions
        ``tool_calls`` / ``function_call``, Responses API ``function_call`` /
        ``custom_tool_call`` items, ShareGPT ``function_call`` turns; ``keep``
        keeps them as ``code`` parts. Tool *results* are kept as ``tool`` text.
    limits: the bounds of reading (:class:`~transforms.read.safe_io.ReadLimits`):
        an entry over ``max_record_bytes`` is dead-lettered unread; a file over the
        decompression or nesting caps is refused as a whole.
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
    tool_calls: str = "drop"
    limits: ReadLimits = DEFAULT_READ_LIMITS

    def __post_init__(self) -> None:
        """Every option is checked here, so that a bad value is a configuration
        error before anything is read (always in this order: the first bad option
        is the one reported)."""
        for name in _NAME_OPTIONS:
            if not _is_optional_name(getattr(self, name)):
                raise AdapterConfigError(f"{name} must be a non-empty string or None")
        if self.source_map is not None:
            object.__setattr__(self, "source_map", _checked_source_map(self.source_map))
        for name, accepts, error in _OPTION_CHECKS:
            if not accepts(getattr(self, name)):
                raise AdapterConfigError(error)

    def resolve_source(self, account_id: Optional[str]) -> str:
        """The source for an account, from ``source_map`` then ``source``; never guessed."""
        if self.source_map and account_id is not None and account_id in self.source_map:
            return self.source_map[account_id]
        if self.source is not None:
            return self.source
        if self.source_map:
            raise AdapterConfigError(
                "the input's account is not in source_map and no default source was given"
                if account_id is not None
                else "the input has no account id (no user.json, no user_id) to look up in "
                "source_map, and no default source was given"
            )
        raise AdapterConfigError(
            "a source is required (option source or source_map); it is never guessed"
        )


# The options that name something (an account, an organisation): a string or None.
_NAME_OPTIONS = ("source", "user_id", "org_id", "workspace_id")


def _is_name(value: Any) -> bool:
    return isinstance(value, str) and value != ""


def _is_optional_name(value: Any) -> bool:
    return value is None or _is_name(value)


def _checked_source_map(source_map: Any) -> dict:
    """A copy of ``source_map`` (so that a caller's later change cannot reach it)."""
    if not isinstance(source_map, Mapping):
        raise AdapterConfigError("source_map must be a mapping {account id: source}")
    for key, value in source_map.items():
        if not (_is_name(key) and _is_name(value)):
            raise AdapterConfigError("source_map keys and values must be non-empty strings")
    return dict(source_map)


# The other options: (field, what it accepts, the error when it does not).
_OPTION_CHECKS: tuple[tuple[str, Callable[[Any], bool], str], ...] = (
    (
        "default_created_at",
        lambda value: value is None or is_timestamp(value),
        "default_created_at must be epoch seconds or an RFC 3339 string with an offset",
    ),
    (
        "branch_policy",
        lambda value: value in BRANCH_POLICIES,
        f"branch_policy must be one of {', '.join(BRANCH_POLICIES)}",
    ),
    (
        "custom_instructions",
        lambda value: value in CUSTOM_INSTRUCTIONS,
        "custom_instructions must be 'keep' or 'drop'",
    ),
    ("include_hidden", lambda value: isinstance(value, bool), "include_hidden must be a boolean"),
    (
        "tool_calls",
        lambda value: value in TOOL_CALLS,
        f"tool_calls must be one of {', '.join(TOOL_CALLS)}",
    ),
    ("limits", lambda value: isinstance(value, ReadLimits), "limits must be a ReadLimits"),
)


def require_options(options: Any) -> AdapterOptions:
    """``options``, checked to be AdapterOptions (whose fields are checked when it is made)."""
    if not isinstance(options, AdapterOptions):
        raise AdapterConfigError("options must be an AdapterOptions")
    return options


# What an adapter returns: canonical records, and an AdapterError per malformed entry.
AdapterOutput = Iterator[Union[dict, AdapterError]]
Adapter = Callable[..., AdapterOutput]


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


def require_object(value: Any, where: str) -> dict:
    if not isinstance(value, dict):
        raise Malformed(f"{where} is {kind(value)}, expected an object")
    return value


def require_list(value: Any, where: str) -> list:
    if not isinstance(value, list):
        raise Malformed(f"{where} is {kind(value)}, expected a list")
    return value


def require_string(value: Any, where: str) -> str:
    """A string that is valid UTF-8."""
    if not isinstance(value, str):
        raise Malformed(f"{where} is {kind(value)}, expected a string")
    return check_text(value, where)


def mapped_role(
    value: Any,
    roles: Mapping[str, str],
    where: str,
    *,
    ignore_case: bool = False,
    noun: str = "role",
) -> str:
    """The canonical role of a format's role name (``roles``: name → role).

    A name the format is not known to use is Malformed, not guessed: we cannot
    tell whether its text is user-authored.
    """
    if not isinstance(value, str):
        raise Malformed(f"{where} is {kind(value)}, expected a string")
    role = roles.get(value.lower() if ignore_case else value)
    if role is None:
        raise Malformed(f"{where} is not a known {noun}")
    return role


def type_label(value: str) -> str:
    """A content or item type as a counter key: the type if it is a plain short
    name, else ``other`` (a type name is data from the input)."""
    return value if re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", value) else "other"


def derived_id(prefix: str, name: str, index: int, unit: str = "L") -> str:
    """A deterministic id from the input's name and the entry's position.

    The name is hashed (paths can hold user names); the position is kept readable.
    """
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return f"{prefix}:{digest}:{unit}{index}"


def optional_time(value: Any, where: str) -> Any:
    if value is not None and not is_timestamp(value):
        raise _not_a_timestamp(value, where, "a timestamp or null")
    return value


def _not_a_timestamp(value: Any, where: str, expected: str) -> Malformed:
    """The error for a time that is not a DATA.md timestamp (a number: out of range)."""
    out_of_range = isinstance(value, (int, float)) and not isinstance(value, bool)
    return Malformed(
        f"{where} must be {expected}, got {kind(value)}" + (" out of range" if out_of_range else "")
    )


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
    """Per-record counters for the ``_adapter`` side field, and how the record's
    tool calls are treated (``keep_tool_calls``, from ``AdapterOptions.tool_calls``)."""

    __slots__ = ("parts", "messages", "keep_tool_calls")

    def __init__(self, keep_tool_calls: bool = False) -> None:
        self.parts: Counter = Counter()
        self.messages: Counter = Counter()
        self.keep_tool_calls = keep_tool_calls

    def tool_call_pieces(self, pieces: list) -> list:
        """``pieces`` (a tool call's ``code`` pieces) when tool calls are kept;
        else none, each counted as a dropped ``tool_call``."""
        if self.keep_tool_calls or not pieces:
            return pieces
        self.messages["tool_call"] += len(pieces)
        return []

    def as_dict(self) -> dict:
        return {
            "dropped_parts": dict(sorted(self.parts.items())),
            "dropped_messages": dict(sorted(self.messages.items())),
        }


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


def new_message(
    role: str,
    content: Union[str, list],
    *,
    message_id: Optional[str] = None,
    created_at: Any = None,
) -> dict:
    """A canonical message."""
    return {"message_id": message_id, "role": role, "created_at": created_at, "content": content}


def kept_message(
    pieces: list,
    role: str,
    stats: Stats,
    *,
    message_id: Optional[str] = None,
    created_at: Any = None,
) -> Optional[dict]:
    """A canonical message from its pieces (see :func:`make_content`), or None,
    counted as ``empty``, when no text is left."""
    content = make_content(pieces)
    if content is None:
        stats.messages["empty"] += 1
        return None
    return new_message(role, content, message_id=message_id, created_at=created_at)


def conversation_record(
    *,
    conversation_id: Optional[str],
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
            raise _not_a_timestamp(value, where, "a timestamp")
        return value, False
    if options.default_created_at is None:
        raise Malformed(
            f"{where} is missing and no default_created_at was supplied "
            "(the adapter never invents times)"
        )
    return options.default_created_at, True


class RecordDraft:
    """One entry on its way to a canonical record: what has been read of it so far.

    An adapter fills it in while it checks the entry; the id is kept as soon as it
    is known, so that an entry found malformed later is dead-lettered under it.
    """

    def __init__(self, format_name: str, location: str, fallback_id: Optional[str] = None) -> None:
        self.format = format_name
        self.location = location
        self.fallback_id = fallback_id  # derived from the entry's place in its input
        self.conversation_id: Optional[str] = None
        self.id_derived = False
        self.created_at: Any = None
        self.created_at_defaulted = False
        self.updated_at: Any = None
        self.is_temporary = False
        self.messages: list = []
        self.stats = Stats()
        self.flags: dict = {}  # format-specific ``_adapter`` flags

    def take_id(self, own_id: Optional[str]) -> None:
        """The entry's own id, else the fallback id."""
        self.conversation_id = own_id
        if own_id is None:
            self.derive_id(self.fallback_id)

    def derive_id(self, conversation_id: Optional[str]) -> None:
        """The entry has no id of its own: use this one, and say so."""
        self.conversation_id = conversation_id
        self.id_derived = True

    def resolve_created_at(self, value: Any, options: AdapterOptions, where: str) -> None:
        """See :func:`resolve_created_at`."""
        self.created_at, self.created_at_defaulted = resolve_created_at(value, options, where)

    def error(self, exc: Malformed, raw: Optional[bytes]) -> AdapterError:
        """The entry is malformed: its dead letter, under the id known so far."""
        return AdapterError(self.location, str(exc), conversation_id=self.conversation_id, raw=raw)

    def record(self, options: AdapterOptions, *, source: str, user_id: Optional[str]) -> dict:
        """The canonical record, its ``_adapter`` side field counting what was dropped."""
        info = {
            "format": self.format,
            "location": self.location,
            **self.stats.as_dict(),
            "conversation_id_derived": self.id_derived,
            "created_at_defaulted": self.created_at_defaulted,
            **self.flags,
        }
        return conversation_record(
            conversation_id=self.conversation_id,
            options=options,
            source=source,
            user_id=user_id,
            created_at=self.created_at,
            updated_at=self.updated_at,
            messages=self.messages,
            adapter_info=info,
            is_temporary=self.is_temporary,
        )


# How an adapter reads one entry's object into a draft, raising Malformed.
EntryReader = Callable[[dict, AdapterOptions, RecordDraft], None]


def convert_entry(
    read: EntryReader,
    value: Any,
    draft: RecordDraft,
    options: AdapterOptions,
    *,
    noun: str,
    source: str,
    user_id: Optional[str],
    raw: Optional[bytes] = None,
) -> Union[dict, AdapterError]:
    """One entry (``noun``: what the format calls it) → its canonical record, or an
    AdapterError carrying ``raw`` (the entry's bytes; else a re-serialisation of the
    entry, made only then)."""
    draft.stats.keep_tool_calls = options.tool_calls == "keep"
    try:
        read(require_object(value, noun), options, draft)
    except Malformed as exc:
        return draft.error(exc, raw if raw is not None else raw_of(value))
    return draft.record(options, source=source, user_id=user_id)


# --- opening inputs and streaming JSON ---------------------------------------


_BOM = b"\xef\xbb\xbf"
_WS = b" \t\r\n"


def source_name(src: Source, name: Optional[str]) -> str:
    if name:
        return name
    if isinstance(src, (str, os.PathLike)):
        return os.fspath(src)
    return str(getattr(src, "name", "") or "<stream>")


def is_path(src: Source) -> TypeGuard[Union[str, "os.PathLike[str]"]]:
    return isinstance(src, (str, os.PathLike))


def can_reopen(src: Source) -> bool:
    """A path, or an opener (a function returning a fresh binary file object,
    e.g. for a remote file): the input can be checked whole before it is used."""
    return is_path(src) or callable(src)


def open_raw(src: Source) -> BinaryIO:
    """A fresh binary file object for a path or an opener (a link is refused)."""
    if is_path(src):
        refuse_symlink(src)
        return cast(BinaryIO, open(src, "rb"))
    if not callable(src):
        raise AdapterConfigError("src must be a path or an opener to be opened again")
    return src()


class open_input:
    """Context manager: a bounded binary stream of a path, an opener or a file
    object (its compression detected by magic bytes, see
    :mod:`transforms.read.safe_io`).

    A path that is a symbolic link is refused. File objects passed in are not
    closed.
    """

    def __init__(self, src: Source, limits: ReadLimits):
        self._src = src
        self._limits = limits
        self._owned: list = []

    def __enter__(self) -> BinaryIO:
        src = self._src
        size: Optional[int] = None
        if is_path(src):
            size = local_size(src)
        if can_reopen(src):
            f = open_raw(src)
            self._owned.append(f)
        elif hasattr(src, "read"):
            f = cast(BinaryIO, src)
        else:
            raise AdapterConfigError("src must be a path or a readable binary file object")
        stream = open_bounded(f, size, self._limits)
        self._owned.append(stream)
        return stream

    def __exit__(self, *exc: Any) -> None:
        for f in reversed(self._owned):
            f.close()


def check_json_document(f: BinaryIO, where: str, limits: ReadLimits) -> None:
    """Read a whole JSON document once, keeping nothing, and raise UnsafeInput
    if it cannot be read safely (truncated, too deep, not JSON, corrupt)."""
    problem = check_document(f, limits.max_record_bytes, limits.max_json_depth)
    if problem is not None:
        raise UnsafeInput(f"{problem.reason} (byte {problem.offset})", location=where)


def iter_json_entries(
    f: BinaryIO, where: str, limits: ReadLimits
) -> Iterator[tuple[int, Any, Optional[AdapterError]]]:
    """Stream the entries of a JSON document: an array's elements, or one
    top-level object, each parsed strictly on its own.

    Yields ``(index, value, None)`` per entry and ``(index, None, AdapterError)``
    for an entry that is invalid JSON (duplicate keys, NaN, ...) or larger than
    ``max_record_bytes``. A problem of the document as a whole (truncated, too
    deep, trailing data) raises UnsafeInput; check the document first
    (:func:`check_json_document`) so that none of its entries is used then.
    """
    for item in split_document(f, limits.max_record_bytes, limits.max_json_depth):
        if isinstance(item, DocumentProblem):
            raise UnsafeInput(f"{item.reason} (byte {item.offset})", location=where)
        location = f"{where}[{item.index}]"
        if isinstance(item, EntryTooLarge):
            yield (
                item.index,
                None,
                AdapterError(
                    location,
                    f"entry is {item.size} bytes, over max_record_bytes "
                    f"({limits.max_record_bytes})",
                ),
            )
            continue
        try:
            value = loads_strict(item.data, max_depth=None)  # the split checked the depth
        except JsonRejected as exc:
            yield item.index, None, AdapterError(location, str(exc), raw=item.data)
            continue
        yield item.index, value, None


def iter_jsonl(
    f: BinaryIO, where: str, limits: ReadLimits
) -> Iterator[tuple[int, bytes, Any, Optional[AdapterError]]]:
    """Stream JSON Lines: ``(line number, raw line, value, None)`` or an AdapterError.

    Blank lines are skipped (numbers still count them); a BOM and CRLF are accepted;
    lines over ``max_record_bytes`` are skipped unread and dead-lettered.
    """
    max_bytes = limits.max_record_bytes
    lineno = 0
    while True:
        line, size = read_line(f, max_bytes)
        if not line:
            return
        lineno += 1
        if size > len(line):
            yield (
                lineno,
                b"",
                None,
                AdapterError(
                    f"{where}:{lineno}",
                    f"line is {size} bytes, over max_record_bytes ({max_bytes})",
                ),
            )
            continue
        if lineno == 1 and line.startswith(_BOM):
            line = line[3:]
        body = line.rstrip(b"\r\n")
        if not body.strip(_WS):
            continue
        try:
            value = loads_strict(body, limits.max_json_depth)
        except JsonRejected as exc:
            yield lineno, body, None, AdapterError(f"{where}:{lineno}", str(exc), raw=body)
            continue
        yield lineno, body, value, None


def verify_file(src: Source, limits: ReadLimits, json_document: bool) -> None:
    """Read a file once before its records are used, so that a corrupt,
    truncated or over-the-cap file is refused as a whole (UnsafeInput): a JSON
    document always, JSON Lines when compressed. Only a path or an opener can
    be read twice: a stream is checked while it is read."""
    if not can_reopen(src):
        return
    if not json_document:
        with open_raw(src) as raw:
            if compression_of(raw.read(8)) is None:
                return
    with open_input(src, limits) as f:
        if json_document:
            check_json_document(f, source_name(src, None), limits)
        else:
            drain(f)


def read_jsonl_entries(
    src: Source,
    options: AdapterOptions,
    name: Optional[str],
    format_name: str,
    id_prefix: str,
    read_line: EntryReader,
) -> AdapterOutput:
    """The JSON Lines adapters' shared body: check the options and resolve the
    source now (a configuration error is raised before anything is read), then
    stream one record per line (see :func:`convert_entry`), or an AdapterError for
    a malformed line. A line without an id of its own gets
    ``<id_prefix>:<sha256(name)[:16]>:L<line number>``."""
    require_options(options)
    where = source_name(src, name)
    source = options.resolve_source(options.user_id)

    def entries() -> AdapterOutput:
        verify_file(src, options.limits, json_document=False)
        with open_input(src, options.limits) as f:
            for lineno, raw, value, error in iter_jsonl(f, where, options.limits):
                if error is not None:
                    yield error
                    continue
                draft = RecordDraft(
                    format_name, f"{where}:{lineno}", derived_id(id_prefix, where, lineno)
                )
                yield convert_entry(
                    read_line,
                    value,
                    draft,
                    options,
                    noun="line",
                    source=source,
                    user_id=options.user_id,
                    raw=raw,
                )

    return entries()

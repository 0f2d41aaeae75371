"""Input adapters: real export formats → canonical conversation records (Beam-free).

``FORMATS`` maps a format name to its adapter (see ``base.py`` for the contract)::

    from transforms.read.formats import FORMATS, AdapterOptions, AdapterError
    for item in FORMATS["chatgpt_export"]("export.zip", AdapterOptions(source="chatgpt_plus")):
        if isinstance(item, AdapterError): ...dead-letter...
        else: ...a canonical conversation dict, to be validated by V1...

``canonical`` (the DATA.md JSONL/Parquet contract) is read by the pipeline's own reader
and has no entry here, but :func:`detect_format` may answer ``"canonical"``.

Adapters read through :mod:`transforms.read.safe_io` (bounded decompression, no
symbolic links) and :mod:`transforms.read.strict_json` (strict, bounded JSON).
Format detection inspects a file's first 8 MiB with ``ijson`` events (C backend
``yajl2_c`` when its wheel has it), which decide on a truncated prefix.
"""

from __future__ import annotations

import bz2
import io
import lzma
import os
import re
import zipfile
import zlib
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterator, Optional, Union, cast

try:  # prefer the C backend, fall back to pure Python
    import ijson.backends.yajl2_c as ijson
except ImportError:  # pragma: no cover - depends on the installed wheel
    import ijson.backends.python as ijson
from ijson.common import JSONError

from transforms.read.safe_io import (
    DEFAULT_READ_LIMITS,
    ReadLimits,
    UnsafeInput,
    compression_of,
    open_zip,
)
from transforms.read.strict_json import BOM as _BOM
from transforms.read.strict_json import nesting_depth

from .base import TOOL_CALLS, Adapter, AdapterConfigError, AdapterError, AdapterOptions
from .chatgpt import read_chatgpt_export
from .finetune import read_openai_finetune
from .openai_api_log import read_openai_api_log
from .sharegpt import read_sharegpt

FORMATS: dict[str, Adapter] = {
    "chatgpt_export": read_chatgpt_export,
    "openai_finetune": read_openai_finetune,
    "sharegpt": read_sharegpt,
    "openai_api_log": read_openai_api_log,
}

__all__ = [
    "FORMATS",
    "TOOL_CALLS",
    "AdapterOptions",
    "AdapterError",
    "AdapterConfigError",
    "FormatDetectionError",
    "detect_format",
]

_CONV_FILE = re.compile(r"^conversations(?:-\d+)?\.json$")
_PROBE_BYTES = 8 * 1024 * 1024  # read at most this much of a file when detecting
_PROBE_EVENTS = 200_000
_ZIP_MAGIC = b"PK\x03\x04"
_FINETUNE_KEYS = {"messages", "tools", "parallel_tool_calls"}
_CANONICAL_KEYS = {"conversation_id", "source", "messages"}


class FormatDetectionError(ValueError):
    """The input's format cannot be decided without guessing; name it explicitly."""


def detect_format(
    src: Union[str, "os.PathLike[str]", bytes, BinaryIO], limits: ReadLimits = DEFAULT_READ_LIMITS
) -> str:
    """The format of an input, where that is unambiguous; else FormatDetectionError.

    ``src`` may be a local path (a folder, a ZIP, or an optionally compressed
    JSON/JSONL file), the first bytes of a file (a truncated prefix is fine as long
    as it holds what the decision needs), or a seekable binary file object (a remote
    file opened by the caller). At most 8 MiB is inspected, and only after a scan
    has checked that its nesting stays within ``limits.max_json_depth``. Rules:

    * a folder holding ``conversations.json`` / ``conversations-NNN.json`` (top level
      or one folder down), or a ZIP holding one → ``chatgpt_export``;
    * a JSON array whose first element has ``mapping`` → ``chatgpt_export``; whose
      first element has a ``conversations`` list of ``{from, value}`` → ``sharegpt``;
    * a first JSON object (single object file or JSON Lines) with ``mapping`` →
      ``chatgpt_export``; with ``conversations`` of ``{from, value}`` → ``sharegpt``;
      with only ``messages`` (+ ``tools``, ``parallel_tool_calls``) →
      ``openai_finetune``; with ``request``, or ``body`` + ``url`` (Batch API), or
      ``model`` + ``messages``/``input`` → ``openai_api_log``; with
      ``conversation_id``, ``source`` and ``messages`` → ``canonical`` (whatever
      else the object holds).

    Anything else, several matches, an empty array, or a prefix too short to decide
    is refused.
    """
    if isinstance(src, (bytes, bytearray, memoryview)):
        return _format_of_prefix(bytes(src), limits)
    if hasattr(src, "read"):
        return _format_of_file(cast(BinaryIO, src), limits)
    if not isinstance(src, (str, os.PathLike)):
        raise FormatDetectionError("detect_format takes a path, a file or its first bytes")
    return _format_at_path(Path(src), limits)


def _format_of_prefix(data: bytes, limits: ReadLimits) -> str:
    """The format of a file from its first bytes."""
    if not data.startswith(_ZIP_MAGIC):
        return _json_format(_inflated_prefix(data), limits)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return _zip_format(zf)
    except zipfile.BadZipFile:
        raise FormatDetectionError(
            "a ZIP archive: pass its path to check it holds a ChatGPT export"
        ) from None


def _format_of_file(f: BinaryIO, limits: ReadLimits) -> str:
    """The format of a seekable binary file: a ZIP is checked from its directory,
    anything else from its first bytes."""
    head = f.read(len(_ZIP_MAGIC))
    f.seek(0)
    if head == _ZIP_MAGIC:
        return _zip_format(_checked_zip(f))
    return detect_format(f.read(_PROBE_BYTES), limits)


def _format_at_path(path: Path, limits: ReadLimits) -> str:
    """The format of a local file or folder (links are not followed)."""
    if path.is_symlink():
        raise FormatDetectionError("a symbolic link: links are not followed")
    if path.is_dir():
        if any(_CONV_FILE.match(f) for names in _file_names_two_levels(path) for f in names):
            return "chatgpt_export"
        raise FormatDetectionError("a folder without conversations.json: not a ChatGPT export")
    if not path.is_file():
        raise FormatDetectionError("no such file or folder")
    with open(path, "rb") as f:
        return _format_of_file(f, limits)


def _checked_zip(f: BinaryIO) -> zipfile.ZipFile:
    try:
        return open_zip(f, "the archive")
    except UnsafeInput as exc:
        raise FormatDetectionError(exc.reason) from None


def _inflated_prefix(data: bytes) -> bytes:
    """The first bytes of a compressed prefix, inflated as far as they go."""
    inflaters: dict[str, Callable[[], Any]] = {
        "gzip": lambda: zlib.decompressobj(31),
        "bzip2": bz2.BZ2Decompressor,
        "xz": lzma.LZMADecompressor,
    }
    inflater = inflaters.get(compression_of(data) or "")
    if inflater is None:
        return data
    try:
        return inflater().decompress(data, _PROBE_BYTES)
    except (zlib.error, OSError, EOFError, lzma.LZMAError):
        raise FormatDetectionError("a compressed file that cannot be decompressed") from None


def _file_names_two_levels(path: Path) -> Iterator[list[str]]:
    """The names of the files in a folder, then in each of its folders (lazily)."""
    yield [p.name for p in path.iterdir() if p.is_file()]
    for sub in sorted(p for p in path.iterdir() if p.is_dir()):
        yield [p.name for p in sub.iterdir() if p.is_file()]


def _zip_format(zf: zipfile.ZipFile) -> str:
    for name in zf.namelist():
        if not name.startswith("__MACOSX") and _CONV_FILE.match(name.rsplit("/", 1)[-1]):
            return "chatgpt_export"
    raise FormatDetectionError("a ZIP without conversations.json: not a ChatGPT export")


def _json_format(probe: bytes, limits: ReadLimits) -> str:
    """Inspect the first JSON value's shape with ijson events, stopping early. The
    probe's nesting is checked first: ijson's cost grows with the square of it."""
    if nesting_depth(probe) > limits.max_json_depth:
        raise FormatDetectionError(f"JSON nested more than {limits.max_json_depth} levels deep")
    entry = _first_entry(probe)
    if entry.top is None:
        raise FormatDetectionError("no JSON array or object found at the start")
    if entry.empty_array:
        raise FormatDetectionError("an empty JSON array: nothing to tell the format by")
    return _format_of_entry(entry)


class _FirstEntry:
    """What the ijson events of a probe show of its first entry: the first element
    of a top-level array, or the top-level object (of a JSON or JSON Lines file)."""

    def __init__(self) -> None:
        self.top: Optional[str] = None  # "array" or "object"
        self.keys: set = set()  # the entry's own keys
        self.conversations_is_list = False  # its "conversations" is a list
        self.turn_keys: set = set()  # the keys of that list's objects
        self.complete = False  # the entry's end was seen
        self.empty_array = False  # the top-level array ended with no object entry
        self._base = ""  # the ijson prefix of the entry
        self._conversations = "conversations"  # ... of its "conversations" list

    def start(self, event: str) -> None:
        """The first event: the document opens an array or an object."""
        if event == "start_array":
            self.top, self._base = "array", "item"
            self._conversations = "item.conversations"
        elif event == "start_map":
            self.top = "object"
        else:
            raise FormatDetectionError("the file does not start with a JSON array or object")

    def see(self, prefix: str, event: str, value: Any) -> bool:
        """Note one later event; False when the entry (or the array) has ended."""
        if self.top == "array" and prefix == "" and event == "end_array":
            self.empty_array = True
            return False
        if event == "map_key":
            self._see_key(prefix, value)
        elif event == "start_array" and prefix == self._conversations:
            self.conversations_is_list = True
        elif event == "end_map" and prefix == self._base:
            self.complete = True
            return False
        return True

    def _see_key(self, prefix: str, key: str) -> None:
        if prefix == self._base:
            self.keys.add(key)
        elif prefix == f"{self._conversations}.item":
            self.turn_keys.add(key)


def _first_entry(probe: bytes) -> _FirstEntry:
    """Read the probe's events until its first entry has ended, or the probe or
    the event budget runs out; a truncated prefix is decided on what was seen."""
    entry = _FirstEntry()
    f: Any = io.BytesIO(probe.removeprefix(_BOM))
    try:
        for n, (prefix, event, value) in enumerate(ijson.parse(f, multiple_values=True)):
            if entry.top is None:
                entry.start(event)
            elif not entry.see(prefix, event, value) or n >= _PROBE_EVENTS:
                break
    except JSONError:
        pass  # a truncated prefix or a break later on: decide on what was seen
    return entry


# One rule per format: does the first entry have that format's shape?


def _looks_like_chatgpt_export(entry: _FirstEntry) -> bool:
    return "mapping" in entry.keys


def _looks_like_sharegpt(entry: _FirstEntry) -> bool:
    return (
        "conversations" in entry.keys
        and entry.conversations_is_list
        and {"from", "value"} <= entry.turn_keys
    )


def _looks_like_openai_finetune(entry: _FirstEntry) -> bool:
    """Only ``messages`` (and the optional tool fields), seen whole."""
    return (
        entry.top == "object"
        and "messages" in entry.keys
        and entry.complete
        and entry.keys <= _FINETUNE_KEYS
    )


def _looks_like_openai_api_log(entry: _FirstEntry) -> bool:
    """A logged exchange, a Batch API input line, or a bare request."""
    keys = entry.keys
    return entry.top == "object" and (
        "request" in keys
        or {"body", "url"} <= keys
        or ("model" in keys and ("messages" in keys or "input" in keys))
    )


def _looks_like_canonical(entry: _FirstEntry) -> bool:
    """The DATA.md contract allows extra fields (a canonical record may carry
    ``model``, say): its required keys decide, whatever else matches."""
    return entry.top == "object" and _CANONICAL_KEYS <= entry.keys


_RULES = (
    ("chatgpt_export", _looks_like_chatgpt_export),
    ("sharegpt", _looks_like_sharegpt),
    ("openai_finetune", _looks_like_openai_finetune),
    ("openai_api_log", _looks_like_openai_api_log),
)


def _format_of_entry(entry: _FirstEntry) -> str:
    """The one format whose rule the entry matches; else FormatDetectionError."""
    if _looks_like_canonical(entry):
        return "canonical"
    candidates = sorted(name for name, matches in _RULES if matches(entry))
    if len(candidates) == 1:
        return candidates[0]
    if candidates:
        raise FormatDetectionError(f"ambiguous: could be {', '.join(candidates)}")
    if not entry.complete:
        raise FormatDetectionError(
            "the first entry was cut off before its shape was clear; name the format explicitly"
        )
    raise FormatDetectionError("unrecognised shape; name the format explicitly")

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
from typing import Any, BinaryIO, Optional, Union

try:  # prefer the C backend, fall back to pure Python
    import ijson.backends.yajl2_c as ijson
except ImportError:  # pragma: no cover - depends on the installed wheel
    import ijson.backends.python as ijson  # type: ignore[no-redef]
from ijson.common import JSONError

from transforms.read.safe_io import ReadLimits, UnsafeInput, compression_of, open_zip
from transforms.read.strict_json import BOM as _BOM
from transforms.read.strict_json import nesting_depth

from .base import Adapter, AdapterConfigError, AdapterError, AdapterOptions
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

__all__ = ["FORMATS", "AdapterOptions", "AdapterError", "AdapterConfigError",
           "FormatDetectionError", "detect_format"]

_CONV_FILE = re.compile(r"^conversations(?:-\d+)?\.json$")
_PROBE_BYTES = 8 * 1024 * 1024  # read at most this much of a file when detecting
_PROBE_EVENTS = 200_000
_ZIP_MAGIC = b"PK\x03\x04"
_FINETUNE_KEYS = {"messages", "tools", "parallel_tool_calls"}
_CANONICAL_KEYS = {"conversation_id", "source", "messages"}


class FormatDetectionError(ValueError):
    """The input's format cannot be decided without guessing; name it explicitly."""


def detect_format(src: Union[str, "os.PathLike[str]", bytes, BinaryIO],
                  limits: ReadLimits = ReadLimits()) -> str:
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
        data = bytes(src)
        if data.startswith(_ZIP_MAGIC):
            try:
                with zipfile.ZipFile(io.BytesIO(data)) as zf:
                    return _zip_format(zf)
            except zipfile.BadZipFile:
                raise FormatDetectionError(
                    "a ZIP archive: pass its path to check it holds a ChatGPT export") from None
        return _json_format(_inflated_prefix(data), limits)
    if hasattr(src, "read"):
        head = src.read(len(_ZIP_MAGIC))
        src.seek(0)
        if head == _ZIP_MAGIC:
            return _zip_format(_checked_zip(src))
        return detect_format(src.read(_PROBE_BYTES), limits)
    if not isinstance(src, (str, os.PathLike)):
        raise FormatDetectionError("detect_format takes a path, a file or its first bytes")
    path = Path(src)
    if path.is_symlink():
        raise FormatDetectionError("a symbolic link: links are not followed")
    if path.is_dir():
        for dirpath, _dirs, files in _walk_two_levels(path):
            if any(_CONV_FILE.match(f) for f in files):
                return "chatgpt_export"
        raise FormatDetectionError("a folder without conversations.json: not a ChatGPT export")
    if not path.is_file():
        raise FormatDetectionError("no such file or folder")
    with open(path, "rb") as f:
        return detect_format(f, limits)


def _checked_zip(f: BinaryIO) -> zipfile.ZipFile:
    try:
        return open_zip(f, "the archive")
    except UnsafeInput as exc:
        raise FormatDetectionError(exc.reason) from None


def _inflated_prefix(data: bytes) -> bytes:
    """The first bytes of a compressed prefix, inflated as far as they go."""
    inflater = {"gzip": lambda: zlib.decompressobj(31), "bzip2": bz2.BZ2Decompressor,
                "xz": lzma.LZMADecompressor}.get(compression_of(data) or "")
    if inflater is None:
        return data
    try:
        return inflater().decompress(data, _PROBE_BYTES)
    except (zlib.error, OSError, EOFError, lzma.LZMAError):
        raise FormatDetectionError("a compressed file that cannot be decompressed") from None


def _walk_two_levels(path: Path):
    yield str(path), [], [p.name for p in path.iterdir() if p.is_file()]
    for sub in sorted(p for p in path.iterdir() if p.is_dir()):
        yield str(sub), [], [p.name for p in sub.iterdir() if p.is_file()]


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
    f: Any = io.BytesIO(probe.removeprefix(_BOM))
    top: Optional[str] = None
    keys: set = set()
    conv_keys: set = set()
    conversations_is_list = False
    complete = False
    empty_array = False
    base = ""
    try:
        for n, (prefix, event, value) in enumerate(ijson.parse(f, multiple_values=True)):
            if top is None:
                if event == "start_array":
                    top, base = "array", "item"
                    continue
                if event == "start_map":
                    top, base = "object", ""
                    continue
                raise FormatDetectionError("the file does not start with a JSON array or object")
            if top == "array" and prefix == "" and event == "end_array":
                empty_array = True
                break
            if prefix == base and event == "map_key":
                keys.add(value)
            elif prefix == (f"{base}.conversations" if base else "conversations") \
                    and event == "start_array":
                conversations_is_list = True
            elif prefix == (f"{base}.conversations.item" if base else "conversations.item") \
                    and event == "map_key":
                conv_keys.add(value)
            elif prefix == base and event == "end_map":
                complete = True
                break
            if n >= _PROBE_EVENTS:
                break
    except JSONError:
        pass  # a truncated prefix or a break later on: decide on what was seen
    if top is None:
        raise FormatDetectionError("no JSON array or object found at the start")
    if empty_array:
        raise FormatDetectionError("an empty JSON array: nothing to tell the format by")
    candidates = set()
    if "mapping" in keys:
        candidates.add("chatgpt_export")
    if "conversations" in keys and conversations_is_list and {"from", "value"} <= conv_keys:
        candidates.add("sharegpt")
    if top == "object":
        if "messages" in keys and complete and keys <= _FINETUNE_KEYS:
            candidates.add("openai_finetune")
        if "request" in keys or {"body", "url"} <= keys or (
                "model" in keys and ("messages" in keys or "input" in keys)):
            candidates.add("openai_api_log")
        if _CANONICAL_KEYS <= keys:
            # The DATA.md contract allows extra fields (a canonical record may carry
            # `model`, say); its required keys decide.
            return "canonical"
    if len(candidates) == 1:
        return candidates.pop()
    if len(candidates) > 1:
        raise FormatDetectionError(f"ambiguous: could be {', '.join(sorted(candidates))}")
    if not complete:
        raise FormatDetectionError("the first entry was cut off before its shape was clear; "
                                   "name the format explicitly")
    raise FormatDetectionError("unrecognised shape; name the format explicitly")

"""Input adapters: real export formats → canonical conversation records (Beam-free).

``FORMATS`` maps a format name to its adapter (see ``base.py`` for the contract)::

    from transforms.read.formats import FORMATS, AdapterOptions, AdapterError
    for item in FORMATS["chatgpt_export"]("export.zip", AdapterOptions(source="chatgpt_plus")):
        if isinstance(item, AdapterError): ...dead-letter...
        else: ...a canonical conversation dict, to be validated by V1...

``canonical`` (the DATA.md JSONL/Parquet contract) is read by the pipeline's own reader
and has no entry here, but :func:`detect_format` may answer ``"canonical"``.

Dependency: ``ijson`` (C backend ``yajl2_c`` when its wheel has it, else pure Python).
"""
from __future__ import annotations

import io
import os
import re
import zipfile
from pathlib import Path
from typing import Any, Optional, Union

from ijson.common import JSONError

from .base import (
    IJSON_BACKEND,
    Adapter,
    AdapterConfigError,
    AdapterError,
    AdapterOptions,
    ijson,
)
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
           "FormatDetectionError", "detect_format", "IJSON_BACKEND"]

_CONV_FILE = re.compile(r"^conversations(?:-\d+)?\.json$")
_PROBE_BYTES = 8 * 1024 * 1024  # read at most this much of a file when detecting
_PROBE_EVENTS = 200_000
_FINETUNE_KEYS = {"messages", "tools", "parallel_tool_calls"}
_CANONICAL_KEYS = {"conversation_id", "source", "messages"}


class FormatDetectionError(ValueError):
    """The input's format cannot be decided without guessing; name it explicitly."""


def detect_format(path_or_first_bytes: Union[str, "os.PathLike[str]", bytes]) -> str:
    """The format of an input, where that is unambiguous; else FormatDetectionError.

    A path may name a folder, a ZIP, or a (optionally gzip-compressed) JSON/JSONL file;
    bytes are the first bytes of a file (a truncated prefix is fine as long as it
    holds what the decision needs). Rules:

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
    if isinstance(path_or_first_bytes, (bytes, bytearray, memoryview)):
        data = bytes(path_or_first_bytes)
        if data.startswith(b"PK\x03\x04"):
            try:
                with zipfile.ZipFile(io.BytesIO(data)) as zf:
                    return _zip_format(zf)
            except zipfile.BadZipFile:
                raise FormatDetectionError(
                    "a ZIP archive: pass its path to check it holds a ChatGPT export") from None
        if data.startswith(b"\x1f\x8b"):
            import gzip
            try:
                data = gzip.GzipFile(fileobj=io.BytesIO(data)).read(_PROBE_BYTES)
            except (OSError, EOFError):
                # a truncated gzip prefix: decompress what there is
                import zlib
                data = zlib.decompressobj(31).decompress(bytes(path_or_first_bytes))
        return _json_format(io.BytesIO(data), truncated=True)
    if not isinstance(path_or_first_bytes, (str, os.PathLike)):
        raise FormatDetectionError("detect_format takes a path or the first bytes of a file")
    path = Path(path_or_first_bytes)
    if path.is_dir():
        for dirpath, _dirs, files in _walk_two_levels(path):
            if any(_CONV_FILE.match(f) for f in files):
                return "chatgpt_export"
        raise FormatDetectionError("a folder without conversations.json: not a ChatGPT export")
    if not path.is_file():
        raise FormatDetectionError("no such file or folder")
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as zf:
            return _zip_format(zf)
    from .base import open_input
    with open_input(path) as f:
        return _json_format(_Limited(f, _PROBE_BYTES), truncated=False)


def _walk_two_levels(path: Path):
    yield str(path), [], [p.name for p in path.iterdir() if p.is_file()]
    for sub in sorted(p for p in path.iterdir() if p.is_dir()):
        yield str(sub), [], [p.name for p in sub.iterdir() if p.is_file()]


def _zip_format(zf: zipfile.ZipFile) -> str:
    for name in zf.namelist():
        if not name.startswith("__MACOSX") and _CONV_FILE.match(name.rsplit("/", 1)[-1]):
            return "chatgpt_export"
    raise FormatDetectionError("a ZIP without conversations.json: not a ChatGPT export")


class _Limited:
    def __init__(self, f: Any, limit: int):
        self._f, self._left = f, limit

    def read(self, n: int = -1) -> bytes:
        if self._left <= 0:
            return b""
        n = self._left if n is None or n < 0 else min(n, self._left)
        data = self._f.read(n)
        self._left -= len(data)
        return data


def _json_format(f: Any, truncated: bool) -> str:
    """Inspect the first JSON value's shape with ijson events, stopping early."""
    top: Optional[str] = None
    keys: set = set()
    conv_keys: set = set()
    conversations_is_list = False
    complete = False
    empty_array = False
    base = ""
    head = f.read(3)
    if head != b"\xef\xbb\xbf":
        f = _Prefixed(head, f)
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


class _Prefixed:
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

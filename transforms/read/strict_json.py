"""Strict, bounded JSON for every reader (Beam-free).

One loader and one splitter serve the canonical JSON Lines reader, the control
events and every export adapter:

* :func:`loads_strict` parses one record's bytes: UTF-8, no duplicate keys, no
  ``NaN``/``Infinity`` (nor numbers that overflow to it), no integers too long to
  convert, no lone surrogates, nesting at most ``max_depth`` deep.
  The depth is checked by a byte scan before any Python object is built.
* :func:`split_document` streams a JSON document (an array of entries, or one
  object) and cuts it into each entry's bytes without parsing them: an entry
  larger than ``max_entry_bytes`` is scanned past, never held, and the whole
  document's nesting depth, truncation and trailing data are reported.

The scan (:class:`StructureScanner`) finds the structural characters of a
chunk (brackets and commas outside strings, with backslash escapes honoured
across chunk boundaries) with a few vectorised passes, so its cost does not
depend on how the document is nested. Error messages name positions and
limits, never content.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any, BinaryIO, Iterator, Union

import numpy as np

DEFAULT_MAX_DEPTH = 128
CHUNK_BYTES = 1 << 20
BOM = b"\xef\xbb\xbf"
WHITESPACE = b" \t\r\n"

_QUOTE, _BACKSLASH = ord('"'), ord("\\")
_OPEN, _CLOSE, _COMMA = 1, 2, 3
_KIND = np.zeros(256, dtype=np.int8)
_KIND[[ord("["), ord("{")]] = _OPEN
_KIND[[ord("]"), ord("}")]] = _CLOSE
_KIND[ord(",")] = _COMMA
_STEP = np.array([0, 1, -1, 0], dtype=np.int64)  # depth change per kind
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


class JsonRejected(ValueError):
    """The bytes are not acceptable strict JSON; the message quotes no content."""


# --- one value ---------------------------------------------------------------


def loads_strict(data: bytes, max_depth: int | None = DEFAULT_MAX_DEPTH) -> Any:
    """Parse one JSON value strictly (see module docstring); raises JsonRejected.

    ``max_depth=None`` skips the depth scan, for bytes that :func:`split_document`
    has already scanned.
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise JsonRejected(f"not UTF-8 (byte offset {exc.start})") from None
    if max_depth is not None and _brackets(data) > max_depth:
        depth = nesting_depth(data)
        if depth > max_depth:
            raise JsonRejected(f"JSON nested {depth} levels deep, over the limit of {max_depth}")
    try:
        value = json.loads(
            text,
            object_pairs_hook=_unique_keys,
            parse_constant=_no_constant,
            parse_float=_finite_float,
        )
    except JsonRejected:
        raise
    except json.JSONDecodeError as exc:
        raise JsonRejected(f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    except ValueError:  # an integer longer than Python converts (4,300 digits)
        raise JsonRejected("a number too long to convert") from None
    except RecursionError:  # the scan and the parser disagree only on broken JSON
        raise JsonRejected("JSON nested too deeply") from None
    if _SURROGATE_ESCAPE.search(data):  # the only way a lone surrogate gets in
        _reject_lone_surrogates(value)
    return value


def _brackets(data: bytes) -> int:
    """An upper bound of the nesting depth, counted at C speed."""
    return data.count(b"[") + data.count(b"{")


def nesting_depth(data: bytes) -> int:
    """The deepest nesting of arrays and objects in ``data`` (0 for a scalar)."""
    scanner = StructureScanner()
    deepest = 0
    for start in range(0, len(data), CHUNK_BYTES):
        _, _, depth_after = scanner.scan(data[start : start + CHUNK_BYTES])
        if depth_after.size:
            deepest = max(deepest, int(depth_after.max()))
    return deepest


def _unique_keys(pairs: list) -> dict:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise JsonRejected("duplicate key in a JSON object")
    return result


def _no_constant(name: str) -> Any:
    raise JsonRejected(f"{name} is not allowed in JSON")


def _finite_float(literal: str) -> float:
    value = float(literal)
    if not math.isfinite(value):  # 1e999 would be Infinity by another name
        raise JsonRejected("a number out of the range of a double")
    return value


def _reject_lone_surrogates(value: Any) -> None:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                raise JsonRejected("a string holds a lone surrogate (not UTF-8)") from None
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


# --- the structure of a byte stream ------------------------------------------


class StructureScanner:
    """Incremental scan of a JSON byte stream, one chunk at a time.

    :meth:`scan` returns the positions of the chunk's structural characters
    (brackets and commas outside strings), their kinds and the nesting depth
    after each. State carried between chunks: whether the stream is inside a
    string, whether the next byte is escaped, and the current depth.
    """

    def __init__(self) -> None:
        self.in_string = False
        self.escaped = False  # the next byte is escaped by a backslash
        self.depth = 0

    def scan(self, chunk: bytes) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        data = np.frombuffer(chunk, dtype=np.uint8)
        quotes = self._real_quotes(data)
        positions = np.flatnonzero(_KIND[data])
        # a character is inside a string when an odd number of quotes precede it
        # (counting from a chunk that starts inside a string as one more)
        before = np.searchsorted(quotes, positions) + int(self.in_string)
        positions = positions[before % 2 == 0]
        kinds = _KIND[data[positions]]
        depth_after = self.depth + np.cumsum(_STEP[kinds])
        if depth_after.size:
            self.depth = int(depth_after[-1])
        self.in_string = (int(self.in_string) + quotes.size) % 2 == 1
        self.escaped = self.in_string and self._ends_in_escape(data)
        return positions, kinds, depth_after

    def _real_quotes(self, data: np.ndarray) -> np.ndarray:
        """Positions of the quotes that are not escaped by an odd backslash run."""
        quotes = np.flatnonzero(data == _QUOTE)
        if not quotes.size:
            return quotes
        runs = self._backslash_runs(data, quotes)
        return quotes[runs % 2 == 0]

    def _backslash_runs(self, data: np.ndarray, ends: np.ndarray) -> np.ndarray:
        """Length of the backslash run just before each position in ``ends``
        (a run reaching the chunk start continues the previous chunk's)."""
        runs = np.zeros(ends.size, dtype=np.int64)
        preceded = ends > 0
        preceded[preceded] = data[ends[preceded] - 1] == _BACKSLASH
        if self.escaped:
            preceded |= ends == 0
        if not preceded.any():
            return runs
        is_backslash = data == _BACKSLASH
        last_other = np.maximum.accumulate(
            np.where(is_backslash, -1, np.arange(data.size, dtype=np.int64))
        )
        at = ends[preceded]
        previous = np.where(at > 0, last_other[np.maximum(at - 1, 0)], -1)
        lengths = at - 1 - previous
        reaches_start = previous < 0
        lengths[reaches_start] += int(self.escaped)
        runs[preceded] = lengths
        return runs

    def _ends_in_escape(self, data: np.ndarray) -> bool:
        if not data.size:
            return self.escaped
        if data[-1] != _BACKSLASH:
            return False
        run = self._backslash_runs(data, np.array([data.size], dtype=np.int64))
        return bool(run[0] % 2)


# --- a document of entries ----------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One entry's bytes: an element of a top-level array, or the one object."""

    index: int
    offset: int  # byte offset of the entry's first byte in the document
    data: bytes


@dataclass(frozen=True)
class EntryTooLarge:
    """An entry over ``max_entry_bytes``: scanned past, not kept."""

    index: int
    offset: int
    size: int


@dataclass(frozen=True)
class DocumentProblem:
    """The document as a whole cannot be read safely (truncated, too deep, not
    JSON, data after its end). Entries yielded before it may be incomplete
    evidence: a careful caller checks the document first (:func:`check_document`)."""

    reason: str
    offset: int


DocumentItem = Union[Entry, EntryTooLarge, DocumentProblem]


def split_document(
    f: BinaryIO,
    max_entry_bytes: int,
    max_depth: int = DEFAULT_MAX_DEPTH,
    keep_entries: bool = True,
    chunk_bytes: int = CHUNK_BYTES,
) -> Iterator[DocumentItem]:
    """Stream a JSON document and yield its entries' bytes in order.

    A document is one top-level array (its elements are the entries) or one
    top-level object (the entry), after an optional byte-order mark. At most
    one :class:`DocumentProblem` is yielded, last. With ``keep_entries=False``
    nothing is kept: only oversized entries and the problem are reported (a
    check of the whole document before any entry is used).
    """
    splitter = _Splitter(max_entry_bytes, max_depth, keep_entries)
    offset = 0
    first = True
    while True:
        chunk = f.read(chunk_bytes)
        if isinstance(chunk, str):
            raise TypeError("the input must be opened in binary mode")
        if not chunk:
            break
        if first and chunk.startswith(BOM):
            chunk, offset = chunk[len(BOM) :], len(BOM)
        first = False
        yield from splitter.feed(chunk, offset)
        offset += len(chunk)
        if splitter.problem is not None:
            return
    yield from splitter.finish(offset)


def check_document(
    f: BinaryIO, max_entry_bytes: int, max_depth: int = DEFAULT_MAX_DEPTH
) -> DocumentProblem | None:
    """The document's problem, if any, from one pass that keeps nothing."""
    for item in split_document(f, max_entry_bytes, max_depth, keep_entries=False):
        if isinstance(item, DocumentProblem):
            return item
    return None


class _Splitter:
    """The state of :func:`split_document` between chunks."""

    def __init__(self, max_entry_bytes: int, max_depth: int, keep_entries: bool):
        self._max_entry_bytes = max_entry_bytes
        self._max_depth = max_depth
        self._keep = keep_entries
        self._scanner = StructureScanner()
        self._shape = ""  # "array" or "object" once the first byte is seen
        self._ended = False  # the top-level value is closed
        self._index = 0
        self._entry_offset = 0
        self._entry_size = 0
        self._entry_blank = True
        self._pieces: list[bytes] = []
        self.problem: DocumentProblem | None = None

    def feed(self, chunk: bytes, offset: int) -> Iterator[DocumentItem]:
        """The items that end in this chunk (``offset``: its place in the document);
        the bytes of the entry left open are kept for the next chunk."""
        cursor = 0  # where the open entry's bytes continue in this chunk
        if not self._shape:
            stripped = chunk.lstrip(WHITESPACE)
            if not stripped:
                return
            cursor = len(chunk) - len(stripped)
            if stripped[:1] not in (b"[", b"{"):
                yield self._fail("the document is not a JSON array or object", offset + cursor)
                return
            cursor = self._start(stripped[:1], cursor, offset)
        if self._ended:
            yield from self._after_end(chunk, 0, offset)
            return
        yield from self._cut_entries(chunk, cursor, offset)

    def _start(self, first_byte: bytes, cursor: int, offset: int) -> int:
        """Note the document's shape from its first byte and open the first entry;
        the chunk position where that entry starts."""
        self._shape = "array" if first_byte == b"[" else "object"
        if self._shape == "array":
            cursor += 1  # the bracket is not part of the first element
        self._open_entry(offset + cursor)
        return cursor

    def _cut_entries(self, chunk: bytes, cursor: int, offset: int) -> Iterator[DocumentItem]:
        """Cut the chunk at its entry boundaries, ``cursor`` being where the open
        entry continues; a nesting over the limit is the document's problem."""
        positions, kinds, depth_after = self._scanner.scan(chunk)
        if depth_after.size and int(depth_after.max()) > self._max_depth:
            at = int(np.argmax(depth_after > self._max_depth))
            yield self._fail(
                f"JSON nested more than {self._max_depth} levels deep", offset + int(positions[at])
            )
            return
        for cut, end_of_document in self._boundaries(positions, kinds, depth_after):
            if self._shape == "object":
                cut += 1  # the closing brace belongs to the entry
            item = self._close_entry(chunk[cursor:cut], offset + cut, end_of_document)
            if item is not None:
                yield item
            if self.problem is not None:
                return
            cursor = cut if self._shape == "object" else cut + 1
            if end_of_document:
                self._ended = True
                yield from self._after_end(chunk, cursor, offset)
                return
            self._open_entry(offset + cursor)
        self._grow(chunk[cursor:])

    def _boundaries(self, positions, kinds, depth_after) -> Iterator[tuple[int, bool]]:
        """(chunk position, closes the document) of each entry boundary: a comma
        between array elements, or the bracket that closes the top-level value."""
        if self._shape == "array":
            depth_before = depth_after - _STEP[kinds]
            marks = ((kinds == _COMMA) & (depth_before == 1)) | (depth_after == 0)
        else:
            marks = depth_after == 0
        for at in np.flatnonzero(marks):
            yield int(positions[at]), bool(depth_after[at] == 0)

    def _open_entry(self, offset: int) -> None:
        self._entry_offset = offset
        self._entry_size = 0
        self._entry_blank = True
        self._pieces = []

    def _grow(self, piece: bytes) -> None:
        self._entry_size += len(piece)
        if self._entry_blank and piece.strip(WHITESPACE):
            self._entry_blank = False
        if self._entry_size > self._max_entry_bytes:
            self._pieces = []
        elif self._keep:
            self._pieces.append(piece)

    def _close_entry(self, piece: bytes, end: int, end_of_document: bool) -> DocumentItem | None:
        self._grow(piece)
        data = b"".join(self._pieces)
        entry_offset, size = self._entry_offset, self._entry_size
        self._pieces = []
        if self._shape == "array" and self._entry_blank:
            if end_of_document and self._index == 0:
                return None  # an empty array
            return self._fail("an empty element in the JSON array", end)
        index = self._index
        self._index += 1
        if size > self._max_entry_bytes:
            return EntryTooLarge(index, entry_offset, size)
        return Entry(index, entry_offset, data) if self._keep else None

    def _after_end(self, chunk: bytes, cursor: int, offset: int) -> Iterator[DocumentItem]:
        rest = chunk[cursor:]
        if rest.strip(WHITESPACE):
            yield self._fail(
                "data after the end of the top-level JSON value",
                offset + cursor + len(rest) - len(rest.lstrip(WHITESPACE)),
            )

    def _fail(self, reason: str, offset: int) -> DocumentProblem:
        self.problem = DocumentProblem(reason, offset)
        return self.problem

    def finish(self, offset: int) -> Iterator[DocumentItem]:
        if self.problem is not None:
            return
        if not self._shape:
            yield self._fail("the document is empty: expected a JSON array or object", offset)
        elif not self._ended:
            where = "inside a string" if self._scanner.in_string else "before its end"
            yield self._fail(
                f"the document is truncated: it stops {where} (entry {self._index})", offset
            )

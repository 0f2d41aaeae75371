"""Beam transforms of the read stage: file patterns to typed records.

Canonical inputs are JSON Lines (``.jsonl``, optionally compressed with gzip,
bzip2, xz or zstd) or Parquet (a pattern ending in ``.parquet``). Other export
formats (ChatGPT export, fine-tuning JSONL, ShareGPT, API logs) are read file
by file through their streaming adapter (``transforms.read.formats``) into
canonical records, which then pass the same V1 validation. Every record
carries where it was as ``location`` (``schemas/locations.py``): file and line
for JSON Lines, row group and row for Parquet, the adapter's own location
(line, array index, archive member and index) for export formats. The line
numbers of a JSON Lines file read in parallel ranges come from one sequential
count of its newlines while it is planned (compressed files are read whole,
in one range, and numbered as they are read).

Reading is bounded whatever the input (:class:`ReadLimits`): a line or row
over ``max_record_bytes`` is skipped in bounded pieces and dead-lettered as
invalid (V1); a file that cannot be read safely (a symbolic link, corrupt or
truncated compression, over the decompression caps, an unreadable Parquet
footer, an export over its caps) is dead-lettered as a whole, counted as one
record read, and every other input is still read. A record that breaks the
contract goes to the ``dead_letter`` output with the stage and a clear error,
and the run goes on.
"""

from __future__ import annotations

import glob
import logging
import os
import re
from dataclasses import dataclass
from typing import Any, BinaryIO, Callable, Iterable, Iterator, Optional

import apache_beam as beam
import pyarrow.parquet as pq
from apache_beam.io.filesystem import CompressionTypes, FileMetadata
from apache_beam.io.filesystems import FileSystems

from schemas import reasons
from schemas.locations import line_location, row_location
from transforms.outcomes import DEAD_LETTER, dead_letter, printable, raw_text
from transforms.read.dropped import adapter_drops, with_dropped
from transforms.read.formats import (
    FORMATS,
    AdapterConfigError,
    AdapterError,
    AdapterOptions,
    FormatDetectionError,
    detect_format,
)
from transforms.read.safe_io import (
    DEFAULT_READ_LIMITS,
    READ_BYTES,
    ReadLimits,
    UnsafeInput,
    compression_of,
    drain,
    open_bounded,
    read_line,
    refuse_symlink,
)
from transforms.read.validation import InvalidRecord, decode_json_line

CANONICAL = "canonical"
logger = logging.getLogger(__name__)

# JSON Lines files are read in ranges of about this size, spread over the
# workers, so one large file is parsed and validated in parallel.
SPLIT_BYTES = 4 << 20
# How much of an oversized record the dead letter keeps (for the forgiving
# scan of control events and for a human to recognise the record).
OVERSIZED_KEPT_BYTES = 64 * 1024
# A Parquet row group is read whole into memory: larger ones are refused.
MAX_ROW_GROUP_BYTES = 1 << 30


def is_parquet(pattern: str) -> bool:
    return pattern.lower().endswith(".parquet")


def matched_inputs(pattern: str, folders: bool = False) -> list[FileMetadata]:
    """The files a pattern matches (Beam's matching: any filesystem), and with
    ``folders`` also the local folders it matches (unpacked ChatGPT exports),
    sorted by path."""
    matched = list(FileSystems.match([pattern])[0].metadata_list)
    if folders and FileSystems.get_scheme(pattern) is None:
        files = {m.path for m in matched}
        candidates = glob.glob(pattern) if glob.has_magic(pattern) else [pattern]
        matched += [FileMetadata(p, 0) for p in candidates if os.path.isdir(p) and p not in files]
    return sorted(matched, key=lambda m: m.path)


def detect_input_format(pattern: str, limits: ReadLimits = DEFAULT_READ_LIMITS) -> str:
    """The format of an input pattern, decided from its first matched file where
    that is unambiguous (:func:`transforms.read.formats.detect_format`); else
    FormatDetectionError.

    Parquet and JSON Lines that no rule recognises stay the canonical contract:
    their invalid records are dead-lettered one by one, not guessed about.
    """
    first = matched_inputs(pattern, folders=True)[0].path
    if is_parquet(first):
        return CANONICAL
    try:
        if FileSystems.get_scheme(first) is None:
            return detect_format(first, limits)
        with _open_raw(first) as handle:
            return detect_format(handle, limits)
    except (FormatDetectionError, OSError) as exc:
        if re.search(r"\.jsonl(\.\w+)?$", first, re.IGNORECASE):
            return CANONICAL
        if isinstance(exc, OSError):
            raise FormatDetectionError(
                f"cannot read the first file ({type(exc).__name__})"
            ) from None
        raise


# --- what a reader yields besides records ------------------------------------------


@dataclass(frozen=True)
class UnreadableFile:
    """A whole input that cannot be read safely: one dead letter, one record read."""

    reason: str
    location: Optional[str] = None  # an archive member, when not the file itself


@dataclass(frozen=True)
class OversizedRecord:
    """A line or row over ``max_record_bytes``; only its first bytes are kept."""

    size: int
    head: bytes


@dataclass(frozen=True)
class Adapted:
    """A canonical record made by an export adapter, with where the adapter found
    it and what it left out of the text (by kind, ``dropped.py``): only an
    adapter's own record is trusted for these, never a field of the input."""

    record: dict
    location: str
    dropped: tuple[tuple[str, int], ...]


def adapted(record: dict) -> Adapted:
    info = record.get("_adapter")
    info = info if isinstance(info, dict) else {}
    location = info.get("location")
    return Adapted(
        {k: v for k, v in record.items() if k != "_adapter"},
        printable(location) if isinstance(location, str) else "",
        adapter_drops(info),
    )


@dataclass(frozen=True)
class UntrustedLine:
    """A line of a control-event file that cannot be read safely as a whole:
    never accepted, only scanned so that the subject it names fails closed."""

    line: bytes


# --- planning: files to units of work -------------------------------------------------


@dataclass(frozen=True)
class _TextRange:
    path: str
    start: int
    end: int
    compressed_size: Optional[int] = None  # set: a compressed file, read whole
    newlines_before: int = 0  # newlines in the file before ``start``: line numbers


@dataclass(frozen=True)
class _Refused:
    path: str
    reason: str
    salvage_lines: bool = False  # control events: scan what can be read, fail closed


@dataclass(frozen=True)
class _RowGroup:
    path: str
    index: int


def _is_link(path: str) -> bool:
    """A local path that is a symbolic link (or a FIFO, a device): never opened."""
    if FileSystems.get_scheme(path) is not None:
        return False
    try:
        refuse_symlink(path)
    except UnsafeInput:
        return True
    return False


def _open_raw(path: str) -> BinaryIO:
    return FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED)


def plan_text(metadata, limits: ReadLimits, salvage_lines: bool = False) -> Iterator[Any]:
    """A JSON Lines file → byte ranges to read in parallel; a compressed file is
    checked whole first (integrity, caps) and read as one range."""
    path, size = metadata.path, metadata.size_in_bytes
    if _is_link(path):
        yield _Refused(path, "a symbolic link or not a regular file; not followed")
        return
    try:
        with _open_raw(path) as raw:
            compressed = compression_of(raw.read(8)) is not None
            if compressed:
                raw.seek(0)
                drain(open_bounded(raw, size, limits))
    except UnsafeInput as exc:
        yield _Refused(path, exc.reason, salvage_lines)
        return
    except OSError as exc:
        yield _Refused(path, f"cannot be read ({type(exc).__name__})")
        return
    if compressed:
        yield _TextRange(path, 0, size, compressed_size=size)
        return
    try:
        newlines = _newlines_per_range(path, size)
    except OSError as exc:
        yield _Refused(path, f"cannot be read ({type(exc).__name__})")
        return
    for start, before in zip(range(0, size, SPLIT_BYTES), newlines, strict=True):
        yield _TextRange(path, start, min(start + SPLIT_BYTES, size), newlines_before=before)


def _newlines_per_range(path: str, size: int) -> list[int]:
    """For each range of ``SPLIT_BYTES``, the newlines in the file before it: one
    sequential read of the file while it is planned, so that the ranges read in
    parallel still give every line its number."""
    before, seen = [], 0
    with _open_raw(path) as raw:
        for _ in range(0, size, SPLIT_BYTES):
            before.append(seen)
            seen += _count_newlines(raw, SPLIT_BYTES)
    return before


def _count_newlines(raw: BinaryIO, length: int) -> int:
    count = 0
    while length > 0:
        chunk = raw.read(min(READ_BYTES, length))
        if not chunk:
            break
        count += chunk.count(b"\n")
        length -= len(chunk)
    return count


def read_text(unit: Any, limits: ReadLimits) -> Iterator[tuple[str, Any]]:
    """One unit of a JSON Lines file → ``(path:line, line bytes | OversizedRecord |
    UntrustedLine)`` or ``(path, UnreadableFile)``; blank lines are not records
    (but are counted in the line numbers)."""
    location = printable(unit.path)
    if isinstance(unit, _Refused):
        if unit.salvage_lines:
            yield from (
                (line_location(location, number), UntrustedLine(line))
                for number, line in _salvage_lines(unit.path, limits)
            )
        yield location, UnreadableFile(unit.reason)
        return
    try:
        with _open_raw(unit.path) as raw:
            if unit.compressed_size is not None:
                stream = open_bounded(raw, unit.compressed_size, limits)
                lines = _lines(stream, 0, None, limits, 0)
            else:
                lines = _lines(raw, unit.start, unit.end, limits, unit.newlines_before)
            for number, line in lines:
                yield line_location(location, number), line
    except UnsafeInput as exc:  # changed since it was checked
        yield location, UnreadableFile(exc.reason)


def _lines(
    f: BinaryIO, start: int, end: Optional[int], limits: ReadLimits, newlines_before: int
) -> Iterator[tuple[int, Any]]:
    """The lines that start in ``[start, end)`` (to the end when ``end`` is None),
    numbered from ``newlines_before`` (the newlines before ``start``), each read
    in bounded pieces; a line over the limit is skipped, not held."""
    position, number = start, newlines_before + 1  # the line that holds ``position``
    if start > 0:
        f.seek(start - 1)
        if f.read(1) != b"\n":  # the line under way belongs to the previous range
            position += read_line(f, 0)[1]
            number += 1
    while end is None or position < end:
        line, size = read_line(f, limits.max_record_bytes)
        if not line:
            return
        position += size
        if size > len(line):
            yield number, OversizedRecord(size, line[:OVERSIZED_KEPT_BYTES])
        elif line.strip():
            yield number, line.rstrip(b"\n")
        number += 1


def _salvage_lines(path: str, limits: ReadLimits) -> Iterator[tuple[int, bytes]]:
    """The lines of a refused control-event file that can still be read safely
    (up to the corruption or the cap, the cut last line included), each cut to
    the record limit, with their line numbers."""
    pending, number = b"", 0
    try:
        with _open_raw(path) as raw:
            size = FileSystems.match([path])[0].metadata_list[0].size_in_bytes
            stream = open_bounded(raw, size, limits)
            while chunk := stream.read1(READ_BYTES):
                *lines, pending = (pending + chunk).split(b"\n")
                for line in lines:
                    number += 1
                    if line.strip():
                        yield number, line[: limits.max_record_bytes]
                pending = pending[: limits.max_record_bytes + 1]
    except (UnsafeInput, OSError, IndexError):
        pass  # what could be read has been read
    if pending.strip():
        yield number + 1, pending[: limits.max_record_bytes]


def plan_parquet(metadata, limits: ReadLimits) -> Iterator[Any]:
    """A Parquet file → its row groups, after its footer has been read."""
    path = metadata.path
    if _is_link(path):
        yield _Refused(path, "a symbolic link or not a regular file; not followed")
        return
    try:
        with _open_raw(path) as raw:
            meta = pq.ParquetFile(raw).metadata
            sizes = [meta.row_group(i).total_byte_size for i in range(meta.num_row_groups)]
    except Exception as exc:  # noqa: BLE001 - pyarrow raises many kinds; the file is refused
        yield _Refused(path, f"not a readable Parquet file ({type(exc).__name__})")
        return
    too_big = [i for i, size in enumerate(sizes) if size > MAX_ROW_GROUP_BYTES]
    if too_big:
        yield _Refused(
            path, f"row group {too_big[0]} holds more than {MAX_ROW_GROUP_BYTES} bytes uncompressed"
        )
        return
    for index in range(len(sizes)):
        yield _RowGroup(path, index)


def read_parquet(unit: Any, limits: ReadLimits) -> Iterator[tuple[str, Any]]:
    """One row group → ``(path[row group G, row R], row dict | OversizedRecord)``;
    a row group that cannot be decoded is one unreadable record (at its path)."""
    location = printable(unit.path)
    if isinstance(unit, _Refused):
        yield location, UnreadableFile(unit.reason)
        return
    try:
        with _open_raw(unit.path) as raw:
            batches = pq.ParquetFile(raw).iter_batches(row_groups=[unit.index], batch_size=1024)
            rows = (row for batch in batches for row in batch.to_pylist())
            for number, row in enumerate(rows):
                where = row_location(location, unit.index, number)
                text = raw_text(row).encode("utf-8")
                if len(text) > limits.max_record_bytes:
                    yield where, OversizedRecord(len(text), text[:OVERSIZED_KEPT_BYTES])
                else:
                    yield where, row
    except Exception as exc:  # noqa: BLE001 - a corrupt page; the rest of the file is read
        yield (
            location,
            UnreadableFile(f"row group {unit.index} cannot be decoded ({type(exc).__name__})"),
        )


def read_export_file(
    metadata, input_format: str, options: AdapterOptions
) -> Iterator[tuple[str, Any]]:
    """Stream one export file through its adapter: ``(location, dict | AdapterError
    | UnreadableFile)``. A file the adapter cannot read safely or attribute is one
    unreadable record; the run goes on."""
    path = metadata.path
    location = printable(path)
    adapter = FORMATS[input_format]
    if _is_link(path):
        yield location, UnreadableFile("a symbolic link or not a regular file; not followed")
        return
    # a local path lets the adapter find user.json beside it; a remote file is
    # handed over as a way to open it, so that it can be checked before it is used
    src: Any = path if FileSystems.get_scheme(path) is None else (lambda: _open_raw(path))
    try:
        for item in adapter(src, options, name=location):
            yield location, (adapted(item) if isinstance(item, dict) else item)
    except (UnsafeInput, AdapterConfigError) as exc:
        member = getattr(exc, "location", None)
        yield location, UnreadableFile(getattr(exc, "reason", str(exc)), member)
    except OSError as exc:
        yield location, UnreadableFile(f"cannot be read ({type(exc).__name__})")


class ReadRawRecords(beam.PTransform):
    """A file pattern to ``(location, record)`` pairs: bytes of one JSON line, a
    Parquet row or an adapter's canonical dict; or an ``AdapterError``,
    ``OversizedRecord``, ``UnreadableFile`` or ``UntrustedLine`` for what
    cannot be a record. Blank lines are not records."""

    def __init__(
        self,
        pattern: str,
        input_format: str = CANONICAL,
        adapter_options: AdapterOptions | None = None,
        limits: ReadLimits = DEFAULT_READ_LIMITS,
        salvage_lines: bool = False,
    ):
        super().__init__()
        self._pattern = pattern
        self._format = input_format
        self._options = adapter_options
        self._limits = limits
        self._salvage = salvage_lines

    def expand(self, pbegin):
        files = (
            pbegin
            | "Pattern" >> beam.Create([self._pattern])
            | "MatchFiles" >> beam.FlatMap(matched_inputs, folders=self._format != CANONICAL)
        )
        if self._format != CANONICAL:
            return (
                files
                | "SpreadFiles" >> beam.Reshuffle()
                | "Convert" >> beam.FlatMap(read_export_file, self._format, self._options)
            )
        if is_parquet(self._pattern):
            plan, read = beam.FlatMap(plan_parquet, self._limits), read_parquet
        else:
            plan, read = beam.FlatMap(plan_text, self._limits, self._salvage), read_text
        return (
            files
            | "Plan" >> plan
            | "SpreadWork" >> beam.Reshuffle()
            | "Read" >> beam.FlatMap(read, self._limits)
        )


@beam.typehints.with_output_types(Any)
class ParseRecords(beam.DoFn):
    """Decode and validate ``(location, record)`` pairs with ``to_record``.

    Main output: the typed records. ``dead_letter``: a ``DeadLetter`` per record
    that fails (stage ``stage``; ``read_stage`` for a file that cannot be read
    and an export's malformed entry). ``on_invalid(raw)`` may add main outputs
    for an invalid record, from its raw bytes (or row): control events use it to
    fail closed on every id the line still names.
    """

    def __init__(
        self,
        stage: str,
        to_record: Callable[[dict, str], Any],
        limits: ReadLimits = DEFAULT_READ_LIMITS,
        on_invalid: Callable[[Any], Iterable[Any]] = lambda raw: (),
        read_stage: str = reasons.STAGE_READ,
    ):
        self._stage = stage
        self._read_stage = read_stage
        self._to_record = to_record
        self._limits = limits
        self._on_invalid = on_invalid

    def process(self, pair):
        location, record = pair
        if isinstance(record, AdapterError):
            yield dead_letter(
                self._read_stage,
                reasons.INVALID_RECORD,
                record.reason,
                record.location or location,
                record.conversation_id,
                record.raw,
            )
        elif isinstance(record, UnreadableFile):
            logger.warning(
                "input dead-lettered as a whole: %s: %s",
                printable(record.location or location),
                record.reason,
            )
            yield dead_letter(
                self._read_stage,
                reasons.UNREADABLE_INPUT,
                record.reason,
                record.location or location,
            )
        elif isinstance(record, OversizedRecord):
            yield dead_letter(
                self._stage,
                reasons.INVALID_RECORD,
                f"record is {record.size} bytes, over the limit of "
                f"{self._limits.max_record_bytes} (only its first bytes are kept)",
                location,
                raw=record.head,
            )
            yield from self._on_invalid(record.head)
        elif isinstance(record, UntrustedLine):
            yield dead_letter(
                self._stage,
                reasons.INVALID_RECORD,
                "a line of an input that cannot be read safely",
                location,
                raw=record.line,
            )
            yield from self._on_invalid(record.line)
        else:
            yield from self._validate(location, record)

    def _validate(self, location: str, record: Any):
        decoded = None
        dropped: tuple[tuple[str, int], ...] = ()
        if isinstance(record, Adapted):
            location, dropped, record = record.location or location, record.dropped, record.record
        try:
            decoded = (
                decode_json_line(record, self._limits.max_record_bytes, self._limits.max_json_depth)
                if isinstance(record, bytes)
                else record
            )
            typed = self._to_record(decoded, location)
            yield with_dropped(typed, dropped) if dropped else typed
        except Exception as exc:  # noqa: BLE001 - any record that cannot be validated
            reason = (
                str(exc)
                if isinstance(exc, InvalidRecord)  # names no content
                else f"cannot be validated ({type(exc).__name__})"
            )
            conversation_id = decoded.get("conversation_id") if isinstance(decoded, dict) else None
            yield dead_letter(
                self._stage,
                reasons.INVALID_RECORD,
                reason,
                location,
                conversation_id if isinstance(conversation_id, str) else None,
                record,
            )
            yield from self._on_invalid(record)


class ReadAndValidate(beam.PTransform):
    """Read one input and validate every record.

    Returns a ``DoOutputsTuple`` with the typed records as the main output,
    ``dead_letter``, and ``records_read`` (one ``1`` per record read, counted
    before validation so the audit can reconcile independently; a file
    dead-lettered as a whole counts as one).
    """

    def __init__(
        self,
        pattern: str,
        stage: str,
        to_record: Callable[[dict, str], Any],
        limits: ReadLimits = DEFAULT_READ_LIMITS,
        on_invalid: Callable[[Any], Iterable[Any]] = lambda raw: (),
        input_format: str = CANONICAL,
        adapter_options: AdapterOptions | None = None,
        salvage_lines: bool = False,
        read_stage: str = reasons.STAGE_READ,
    ):
        super().__init__()
        self._read = ReadRawRecords(pattern, input_format, adapter_options, limits, salvage_lines)
        self._parse = ParseRecords(stage, to_record, limits, on_invalid, read_stage)

    def expand(self, pbegin):
        raw = pbegin | "Read" >> self._read
        validate = beam.ParDo(self._parse).with_outputs(DEAD_LETTER, main="records")
        parsed = raw | "Validate" >> validate
        read_count = raw | "CountRead" >> beam.combiners.Count.Globally()
        return parsed.records, parsed[DEAD_LETTER], read_count

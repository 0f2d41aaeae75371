"""Beam transforms of the read stage: file patterns to typed records.

Canonical inputs are JSON Lines (``.jsonl``, optionally compressed, e.g.
``.gz``) or Parquet (a pattern ending in ``.parquet``), read splittably. Other
export formats (ChatGPT export, fine-tuning JSONL, ShareGPT, API logs) are read
file by file through their streaming adapter (``transforms.read.formats``) into
canonical records, which then pass the same V1 validation. Every record carries
its file as ``location``. A record that breaks the contract goes to the
``dead_letter`` output with the stage and a clear error, and the run goes on.
"""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Callable, Iterable

import apache_beam as beam
from apache_beam import coders
from apache_beam.io import fileio
from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems
from apache_beam.io.parquetio import ReadAllFromParquet
from apache_beam.io.textio import ReadAllFromText

from schemas import reasons
from schemas.records import DeadLetter
from transforms.read.formats import FORMATS, AdapterError, AdapterOptions
from transforms.read.validation import (
    DEFAULT_MAX_RECORD_BYTES,
    InvalidRecord,
    decode_json_line,
)

DEAD_LETTER = "dead_letter"
CANONICAL = "canonical"


def is_parquet(pattern: str) -> bool:
    return pattern.lower().endswith(".parquet")


# JSON Lines files are read in ranges of about this size, spread over the
# workers, so one large file is parsed and validated in parallel (Beam's
# default, 64 MiB, leaves a file of that size to a single worker).
SPLIT_BYTES = 4 << 20


class ReadRawRecords(beam.PTransform):
    """A file pattern to ``(location, record)`` pairs: bytes of one JSON line, a
    Parquet row or an adapter's canonical dict, or an ``AdapterError`` for a
    malformed entry of an export. Blank lines are not records."""

    def __init__(self, pattern: str, input_format: str = CANONICAL,
                 adapter_options: AdapterOptions | None = None):
        super().__init__()
        self._pattern = pattern
        self._format = input_format
        self._options = adapter_options

    def expand(self, pbegin):
        patterns = pbegin | "Pattern" >> beam.Create([self._pattern])
        if self._format != CANONICAL:
            return (
                patterns
                | "MatchFiles" >> fileio.MatchAll()
                | "SpreadFiles" >> beam.Reshuffle()
                | "Convert" >> beam.FlatMap(read_export_file, self._format, self._options)
            )
        if is_parquet(self._pattern):
            return patterns | "ReadParquet" >> ReadAllFromParquet(with_filename=True)
        return (
            patterns
            | "ReadLines" >> ReadAllFromText(coder=coders.BytesCoder(), with_filename=True,
                                             desired_bundle_size=SPLIT_BYTES)
            | "SkipBlankLines" >> beam.Filter(lambda pair: pair[1].strip() != b"")
        )


def read_export_file(metadata, input_format: str, options: AdapterOptions):
    """Stream one export file through its adapter: ``(location, dict | AdapterError)``."""
    path = metadata.path
    adapter = FORMATS[input_format]
    if FileSystems.get_scheme(path) is None:  # local: the adapter finds user.json beside it
        items = adapter(path, options, name=path)
        yield from ((path, item) for item in items)
        return
    with FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED) as handle:
        for item in adapter(handle, options, name=path):
            yield path, item


def raw_text(record: Any) -> str:
    """The original record as text, for the dead-letter output (access-restricted)."""
    if isinstance(record, bytes):
        return record.decode("utf-8", errors="replace")
    return json.dumps(record, default=_jsonable, ensure_ascii=False, sort_keys=True)


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


@beam.typehints.with_output_types(Any)
class ParseRecords(beam.DoFn):
    """Decode and validate ``(location, record)`` pairs with ``to_record``.

    Main output: the typed records. ``dead_letter``: a ``DeadLetter`` per record
    that fails. ``on_invalid(decoded_or_None)`` may add main outputs for an
    invalid record (control events use it to fail closed on a readable id).
    """

    def __init__(self, stage: str, to_record: Callable[[dict, str], Any],
                 max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES,
                 on_invalid: Callable[[Any], Iterable[Any]] = lambda record: ()):
        self._stage = stage
        self._to_record = to_record
        self._max_record_bytes = max_record_bytes
        self._on_invalid = on_invalid

    def process(self, pair):
        location, record = pair
        if isinstance(record, AdapterError):
            yield beam.pvalue.TaggedOutput(DEAD_LETTER, DeadLetter(
                stage=reasons.STAGE_READ,
                error=f"{reasons.INVALID_RECORD}: {record.reason}",
                location=record.location or location,
                conversation_id=record.conversation_id,
                raw=raw_text(record.raw) if record.raw is not None else None,
            ))
            return
        decoded = None
        try:
            decoded = decode_json_line(record, self._max_record_bytes) if isinstance(record, bytes) else record
            yield self._to_record(decoded, location)
        except InvalidRecord as exc:
            conversation_id = decoded.get("conversation_id") if isinstance(decoded, dict) else None
            yield beam.pvalue.TaggedOutput(DEAD_LETTER, DeadLetter(
                stage=self._stage,
                error=f"{reasons.INVALID_RECORD}: {exc}",
                location=location,
                conversation_id=conversation_id if isinstance(conversation_id, str) else None,
                raw=raw_text(record),
            ))
            yield from self._on_invalid(decoded)


class ReadAndValidate(beam.PTransform):
    """Read one input and validate every record.

    Returns a ``DoOutputsTuple`` with the typed records as the main output,
    ``dead_letter``, and ``records_read`` (one ``1`` per record read, counted
    before validation so the audit can reconcile independently).
    """

    def __init__(self, pattern: str, stage: str, to_record: Callable[[dict, str], Any],
                 max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES,
                 on_invalid: Callable[[Any], Iterable[Any]] = lambda record: (),
                 input_format: str = CANONICAL, adapter_options: AdapterOptions | None = None):
        super().__init__()
        self._read = ReadRawRecords(pattern, input_format, adapter_options)
        self._parse = ParseRecords(stage, to_record, max_record_bytes, on_invalid)

    def expand(self, pbegin):
        raw = pbegin | "Read" >> self._read
        parsed = raw | "Validate" >> beam.ParDo(self._parse).with_outputs(DEAD_LETTER, main="records")
        read_count = raw | "CountRead" >> beam.combiners.Count.Globally()
        return parsed.records, parsed[DEAD_LETTER], read_count

"""Rows of the four Parquet outputs, and the composite that writes them.

``record_id`` is HMAC-SHA256 of the conversation id under a secret key: stable
across runs with the same key (so deletions can be propagated through
lineage), irreversible without it.
"""

from __future__ import annotations

from datetime import date
from typing import Callable, Mapping, Optional

import apache_beam as beam

from schemas import parquet
from schemas.records import DeadLetter, RedactedConversation
from schemas.timestamps import DAY, to_datetime
from transforms.keys import KeyRef, record_id
from transforms.write.parquet import WriteDeterministicParquet
from transforms.write.paths import join

DATASET_DIR = "dataset"
LINEAGE_DIR = "lineage"
DEAD_LETTER_DIR = "dead_letter"
REDACTIONS_DIR = "redactions"
AUDIT_FILE = "audit.json"
OUTPUT_NAMES = (DATASET_DIR, LINEAGE_DIR, DEAD_LETTER_DIR, REDACTIONS_DIR, AUDIT_FILE)
# Names reserved for the pipeline's later outputs: --overwrite replaces them too.
REPORT_FILE = "report.html"
DELETIONS_APPLIED_FILE = "deletions_applied.json"
SUCCESS_FILE = "_SUCCESS"


def dataset_row(record: RedactedConversation, key: bytes) -> dict:
    conv = record.eligible.conversation
    return {
        "record_id": record_id(key, conv.conversation_id),
        "source": conv.source,
        "created_date": date.fromordinal(date(1970, 1, 1).toordinal() + conv.created_at // DAY),
        "messages": [{"role": m.role, "content": m.content} for m in record.messages],
    }


def lineage_row(record: RedactedConversation, key: bytes) -> dict:
    conv = record.eligible.conversation
    return {
        "record_id": record_id(key, conv.conversation_id),
        "conversation_id": conv.conversation_id,
        "user_id": conv.user_id,
        "org_id": conv.org_id,
        "workspace_id": conv.workspace_id,
        "source": conv.source,
        "created_at": to_datetime(conv.created_at),
        "input_location": conv.location,
    }


def redactions_row(record: RedactedConversation, key: bytes) -> dict:
    """The redaction sidecar of one dataset record (positions in its redacted text)."""
    return {
        "record_id": record_id(key, record.eligible.conversation.conversation_id),
        "redactions": [
            {
                "message_index": r.message_index,
                "entity_type": r.entity_type,
                "start": r.start,
                "end": r.end,
                "score": r.score,
                "recognizer": r.recognizer,
                "operator": r.operator,
            }
            for r in record.redactions
        ],
    }


def dead_letter_row(dead_letter: DeadLetter) -> dict:
    return {
        "stage": dead_letter.stage,
        "error": dead_letter.error,
        "input_location": dead_letter.location,
        "conversation_id": dead_letter.conversation_id,
        "raw": dead_letter.raw,
    }


def _dead_letter_sort_key(row: dict) -> str:
    return "\x1f".join(
        str(row[k] or "") for k in ("stage", "input_location", "conversation_id", "error", "raw")
    )


def _by_record_id(row: dict) -> str:
    return row["record_id"]


class KeyedRows(beam.DoFn):
    """``to_row(record, key)`` with the record-id key, which each worker process
    reads from its reference at set-up: the job graph carries only the reference."""

    def __init__(self, to_row: Callable[[RedactedConversation, bytes], dict], key_ref: KeyRef):
        self._to_row = to_row
        self._key_ref = key_ref
        self._key = b""

    def setup(self):
        self._key = self._key_ref.resolve()

    def process(self, record: RedactedConversation):
        yield self._to_row(record, self._key)


class WriteOutputs(beam.PTransform):
    """(redacted conversations, dead letters) → dataset/, lineage/, redactions/,
    dead_letter/ in ``output_dir``; ``key_ref`` names the record-id key;
    ``metadata`` is every file's Parquet key-value metadata (the run's settings).

    Returns the PCollection of every written file path.
    """

    def __init__(
        self,
        output_dir: str,
        key_ref: KeyRef,
        num_shards: int = 0,
        metadata: Optional[Mapping[str, str]] = None,
    ):
        super().__init__()
        self._output_dir = output_dir
        self._key_ref = key_ref
        self._num_shards = num_shards
        self._metadata = metadata

    def expand(self, inputs):
        redacted, dead_letters = inputs
        written = [
            redacted
            | f"{name}_rows" >> beam.ParDo(KeyedRows(to_row, self._key_ref))
            | f"Write_{name}"
            >> WriteDeterministicParquet(
                join(self._output_dir, name),
                schema,
                _by_record_id,
                self._num_shards,
                metadata=self._metadata,
            )
            for name, to_row, schema in (
                (DATASET_DIR, dataset_row, parquet.DATASET),
                (LINEAGE_DIR, lineage_row, parquet.LINEAGE),
                (REDACTIONS_DIR, redactions_row, parquet.REDACTIONS),
            )
        ]
        written.append(
            dead_letters
            | "WriteDeadLetters"
            >> WriteDeadLetters(join(self._output_dir, DEAD_LETTER_DIR), self._metadata)
        )
        return written | "AllWrittenFiles" >> beam.Flatten()


class WriteDeadLetters(beam.PTransform):
    """DeadLetter records → deterministic Parquet shards (``parquet.DEAD_LETTER``)
    in ``directory``; returns the PCollection of written file paths."""

    def __init__(self, directory: str, metadata: Optional[Mapping[str, str]] = None):
        super().__init__()
        self._directory = directory
        self._metadata = metadata

    def expand(self, dead_letters):
        return (
            dead_letters
            | "DeadLetterRows" >> beam.Map(dead_letter_row)
            | "Write"
            >> WriteDeterministicParquet(
                self._directory,
                parquet.DEAD_LETTER,
                _dead_letter_sort_key,
                metadata=self._metadata,
            )
        )

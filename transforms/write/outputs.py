"""Rows of the four Parquet outputs, and the composite that writes them.

``record_id`` is HMAC-SHA256 of the conversation id under a secret key: stable
across runs with the same key (so deletions can be propagated through
lineage), irreversible without it.
"""
from __future__ import annotations

import hashlib
import hmac
from datetime import date

import apache_beam as beam

from schemas import parquet
from schemas.records import DeadLetter, RedactedConversation
from schemas.timestamps import DAY, to_datetime
from transforms.write.parquet import WriteDeterministicParquet

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


def record_id(key: bytes, conversation_id: str) -> str:
    return hmac.new(key, conversation_id.encode("utf-8"), hashlib.sha256).hexdigest()


def key_fingerprint(key: bytes) -> str:
    """Names the key in the audit without revealing it."""
    return hmac.new(key, b"eligibility-record-id-key-fingerprint", hashlib.sha256).hexdigest()[:16]


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
        "redactions": [{"message_index": r.message_index, "entity_type": r.entity_type,
                        "start": r.start, "end": r.end, "score": r.score,
                        "recognizer": r.recognizer, "operator": r.operator}
                       for r in record.redactions],
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
    return "\x1f".join(str(row[k] or "") for k in
                       ("stage", "input_location", "conversation_id", "error", "raw"))


def _by_record_id(row: dict) -> str:
    return row["record_id"]


class WriteOutputs(beam.PTransform):
    """(redacted conversations, dead letters) → dataset/, lineage/, redactions/,
    dead_letter/.

    Returns the PCollection of every written file path.
    """

    def __init__(self, output_dir: str, key: bytes, num_shards: int = 0):
        super().__init__()
        self._output_dir = output_dir
        self._key = key
        self._num_shards = num_shards

    def _directory(self, name: str) -> str:
        return beam.io.filesystems.FileSystems.join(self._output_dir, name)

    def expand(self, inputs):
        redacted, dead_letters = inputs
        key = self._key
        dataset = (
            redacted
            | "DatasetRows" >> beam.Map(dataset_row, key)
            | "WriteDataset" >> WriteDeterministicParquet(
                self._directory(DATASET_DIR), parquet.DATASET, _by_record_id, self._num_shards))
        lineage = (
            redacted
            | "LineageRows" >> beam.Map(lineage_row, key)
            | "WriteLineage" >> WriteDeterministicParquet(
                self._directory(LINEAGE_DIR), parquet.LINEAGE, _by_record_id, self._num_shards))
        sidecar = (
            redacted
            | "RedactionRows" >> beam.Map(redactions_row, key)
            | "WriteRedactions" >> WriteDeterministicParquet(
                self._directory(REDACTIONS_DIR), parquet.REDACTIONS, _by_record_id,
                self._num_shards))
        dead = (
            dead_letters
            | "DeadLetterRows" >> beam.Map(dead_letter_row)
            | "WriteDeadLetters" >> WriteDeterministicParquet(
                self._directory(DEAD_LETTER_DIR), parquet.DEAD_LETTER, _dead_letter_sort_key))
        return (dataset, lineage, sidecar, dead) | "AllWrittenFiles" >> beam.Flatten()

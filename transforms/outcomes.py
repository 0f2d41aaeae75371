"""Run outcomes shared by every stage: where a record that does not go on ends up.

Every conversation record ends in exactly one place: the dataset, one exclusion
reason, or the dead-letter output. A stage's DoFn emits its main output for
records that go on, and these tagged outputs for the others; the pipeline
(``pipelines/eligibility.py``) gathers them for the writers and the audit. No
stage imports another: they share only ``schemas/`` and this module.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Optional

import apache_beam as beam

from schemas.records import DeadLetter, Exclusion

DEAD_LETTER = "dead_letter"
EXCLUDED = "excluded"


def dead_letter(
    stage: str,
    code: str,
    detail: str,
    location: str = "",
    conversation_id: Optional[str] = None,
    raw: Any = None,
) -> beam.pvalue.TaggedOutput:
    """A record that could not be processed, on the ``dead_letter`` output.
    ``detail`` names fields, types and limits, never content; ``raw`` (bytes, a
    row or a record) is kept as text for repair and replay (access-restricted)."""
    return beam.pvalue.TaggedOutput(
        DEAD_LETTER,
        DeadLetter(
            stage=stage,
            error=f"{code}: {detail}",
            location=printable(location),
            conversation_id=conversation_id,
            raw=None if raw is None else raw_text(raw),
        ),
    )


def excluded(reason: str, source: str, conversation_id: str) -> beam.pvalue.TaggedOutput:
    """A conversation a rule excludes, on the ``excluded`` output (no content kept)."""
    return beam.pvalue.TaggedOutput(EXCLUDED, Exclusion(reason, source, conversation_id))


def raw_text(record: Any) -> str:
    """The original record as text, for the dead-letter output (access-restricted)."""
    if isinstance(record, (bytes, bytearray)):
        return bytes(record).decode("utf-8", errors="replace")
    return json.dumps(record, default=_jsonable, ensure_ascii=False, sort_keys=True)


def printable(location: str) -> str:
    """A file name as text that any coder and Parquet accept: bytes that are not
    UTF-8 (a local name with ``\\xff``, kept by Python as a lone surrogate) are
    shown as ``\\xff``."""
    return location.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)

"""Read the consent, sharing and deletion inputs as typed control events.

Each valid line becomes a ``ConsentEvent``, ``SharingEvent`` or
``DeletionRequest``. A line that cannot be accepted is dead-lettered (stage =
the input's name) and, through the forgiving scan of its raw bytes
(:mod:`transforms.read.forgiving`), becomes a ``FailClosed`` record for every
subject it still names; so does every line that can still be read from a
compressed event file that cannot be read safely as a whole.
"""

from __future__ import annotations

from functools import partial
from typing import Any, Callable, Optional

import apache_beam as beam

from schemas import reasons
from transforms.read.forgiving import fail_closed
from transforms.read.inputs import ReadAndValidate
from transforms.read.safe_io import DEFAULT_READ_LIMITS, ReadLimits
from transforms.read.validation import to_consent_event, to_deletion_request, to_sharing_event

VALIDATORS: dict[str, Callable[[dict], Any]] = {
    reasons.CONSENT_EVENTS: to_consent_event,
    reasons.SHARING_EVENTS: to_sharing_event,
    reasons.DELETIONS: to_deletion_request,
}


class _Validator:
    """One input's V1 check, in the ``to_record(record, location)`` shape (picklable)."""

    def __init__(self, input_name: str):
        self._validate = VALIDATORS[input_name]

    def __call__(self, record: dict, location: str) -> Any:
        return self._validate(record)


class ReadControlEvents(beam.PTransform):
    """{input name: pattern or None} → (control events, dead letters, records read
    as ``(input name, n)``). An absent input contributes nothing: the policy
    defaults apply."""

    def __init__(
        self, patterns: dict[str, Optional[str]], limits: ReadLimits = DEFAULT_READ_LIMITS
    ):
        super().__init__()
        self._patterns = patterns
        self._limits = limits

    def expand(self, pbegin):
        events, dead_letters, read_counts = [], [], []
        for name, pattern in sorted(self._patterns.items()):
            if not pattern:
                continue
            valid, dead, read = pbegin | f"Read_{name}" >> ReadAndValidate(
                pattern,
                name,
                _Validator(name),
                self._limits,
                on_invalid=partial(fail_closed, name),
                salvage_lines=True,
                read_stage=name,
            )
            events.append(valid)
            dead_letters.append(dead)
            read_counts.append(read | f"Count_{name}" >> beam.Map(lambda n, name=name: (name, n)))
        pipeline = pbegin.pipeline
        return tuple(
            parts | f"Flatten_{label}" >> beam.Flatten(pipeline=pipeline)
            for label, parts in (
                ("events", events),
                ("dead_letters", dead_letters),
                ("read", read_counts),
            )
        )

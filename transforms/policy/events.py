"""Read the consent, sharing and deletion inputs as subject-fact fragments."""
from __future__ import annotations

from typing import Optional

import apache_beam as beam

from schemas import reasons
from transforms.audit.counts import control_dead_letter_counts
from transforms.policy.facts import (
    consent_fragment,
    deletion_fragment,
    poisoned_consent,
    poisoned_deletion,
    poisoned_sharing,
    sharing_fragment,
)
from transforms.read.inputs import ReadAndValidate
from transforms.read.safe_io import ReadLimits

CONTROL_READERS = {
    reasons.CONSENT_EVENTS: (consent_fragment, poisoned_consent),
    reasons.SHARING_EVENTS: (sharing_fragment, poisoned_sharing),
    reasons.DELETIONS: (deletion_fragment, poisoned_deletion),
}


class ReadControlEvents(beam.PTransform):
    """{input name: pattern or None} → (fragments, dead letters, audit count pairs).

    An absent input contributes nothing: the policy defaults apply. A line that
    cannot be accepted, and every line that can still be read of a file that
    cannot be read safely, fails closed for the subjects it names.
    """

    def __init__(self, patterns: dict[str, Optional[str]], limits: ReadLimits = ReadLimits()):
        super().__init__()
        self._patterns = patterns
        self._limits = limits

    def expand(self, pbegin):
        fragments, dead_letters, counts = [], [], []
        for name, pattern in sorted(self._patterns.items()):
            if not pattern:
                continue
            to_fragment, poisoned = CONTROL_READERS[name]
            valid, dead, read = pbegin | f"Read_{name}" >> ReadAndValidate(
                pattern, name, to_fragment, self._limits, on_invalid=poisoned,
                salvage_lines=True)
            fragments.append(valid)
            dead_letters.append(dead)
            counts.append(read | f"CountRead_{name}" >> beam.Map(
                lambda n, name=name: (("control_events_read", name), n)))
            counts.append(dead | f"CountDeadLetters_{name}" >> beam.FlatMap(
                lambda _, name=name: control_dead_letter_counts(name)))
        pipeline = pbegin.pipeline
        return tuple(
            parts | f"Flatten_{label}" >> beam.Flatten(pipeline=pipeline)
            for label, parts in (("fragments", fragments), ("dead_letters", dead_letters),
                                 ("counts", counts)))

"""Scoring of detections against labelled spans: precision, recall, F2.

A labelled case is ``{"messages": [text, ...], "spans": [{"message", "start",
"end", "entity_type"}]}`` with entity types already mapped to ours.

Span-matching rule (character coverage, 50%):

- a gold span is **found** (a true positive for recall) when predicted spans
  of a matching type together cover at least half of its characters;
- a predicted span is **correct** (a true positive for precision) when gold
  spans of a matching type together cover at least half of its characters.

Coverage rather than exact boundaries because what matters for redaction is
which characters are hidden, and because data sets cut the same address or
name differently (one labelled span per address line, or one for the whole
block); each side is judged by its own spans, so neither merging nor
splitting is rewarded twice. Types match within families: ``STREET_ADDRESS``
and ``LOCATION`` are one family (an address's city line is both), and so
are ``DATE_OF_BIRTH`` and ``DATE_TIME`` (a date of birth is a date); every
other type matches only itself. Precision counts every prediction; recall
counts gold spans of the types in scope. F2 weighs recall twice as much as
precision: ``F2 = 5PR / (4P + R)``.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable, Sequence

MIN_COVERAGE = 0.5
# A date of birth is a date: where a data set labels it DATE_TIME (out of
# scope there), our DATE_OF_BIRTH over it is right.
FAMILIES = ({"STREET_ADDRESS", "LOCATION"}, {"DATE_OF_BIRTH", "DATE_TIME"})


def same_family(a: str, b: str) -> bool:
    return a == b or any(a in family and b in family for family in FAMILIES)


def coverage(span: tuple[int, int], others: Iterable[tuple[int, int]]) -> float:
    """Share of ``span``'s characters covered by the union of ``others``."""
    start, end = span
    covered = set()
    for s, e in others:
        covered.update(range(max(start, s), min(end, e)))
    return len(covered) / max(1, end - start)


def f_beta(precision: float, recall: float, beta: float = 2.0) -> float:
    if not precision and not recall:
        return 0.0
    b2 = beta * beta
    return (1 + b2) * precision * recall / (b2 * precision + recall)


def _ratio(numerator: int, denominator: int):
    return round(numerator / denominator, 4) if denominator else None


class Tally:
    """Counts per entity type: predictions, correct predictions, gold, found."""

    def __init__(self):
        self.counts = defaultdict(lambda: {"predicted": 0, "correct": 0, "gold": 0, "found": 0})

    def add_case(self, gold: Sequence[dict], predicted: Sequence[dict], in_scope: set) -> None:
        """Score one message: ``gold`` and ``predicted`` hold ``start``, ``end``,
        ``entity_type``."""
        for p in predicted:
            row = self.counts[p["entity_type"]]
            row["predicted"] += 1
            spans = [
                (g["start"], g["end"])
                for g in gold
                if same_family(g["entity_type"], p["entity_type"])
            ]
            row["correct"] += coverage((p["start"], p["end"]), spans) >= MIN_COVERAGE
        for g in gold:
            if g["entity_type"] not in in_scope:
                continue
            row = self.counts[g["entity_type"]]
            row["gold"] += 1
            spans = [
                (p["start"], p["end"])
                for p in predicted
                if same_family(g["entity_type"], p["entity_type"])
            ]
            row["found"] += coverage((g["start"], g["end"]), spans) >= MIN_COVERAGE

    def report(self) -> dict:
        """Per-entity and overall precision, recall and F2, with the counts."""
        rows = {entity: self._scores(c) for entity, c in sorted(self.counts.items())}
        total = {
            k: sum(c[k] for c in self.counts.values())
            for k in ("predicted", "correct", "gold", "found")
        }
        return {"per_entity": rows, "overall": self._scores(total)}

    @staticmethod
    def _scores(c: dict) -> dict:
        precision, recall = _ratio(c["correct"], c["predicted"]), _ratio(c["found"], c["gold"])
        f2 = (
            round(f_beta(precision, recall), 4)
            if precision is not None and recall is not None
            else None
        )
        return {**c, "precision": precision, "recall": recall, "f2": f2}

"""Overlap tests against many spans at once, in logarithmic time.

A message can be megabytes long, with thousands of detections and code
regions; testing each span against every other one is quadratic. Two spans
``(s, e)`` and ``(start, end)`` overlap when ``s < end and start < e``
(touching is not overlapping), as in :func:`transforms.pii.chat.overlaps`.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from typing import Iterable

Span = tuple[int, int]


class SpanSet:
    """Spans that do not overlap one another, kept sorted. Sorted by start,
    such spans also have non-decreasing ends, so of the spans that start
    before ``end`` the last one is the one that reaches furthest."""

    def __init__(self, spans: Iterable[Span] = ()):
        self._spans: list[Span] = sorted(spans)

    def add(self, start: int, end: int) -> None:
        insort(self._spans, (start, end))

    def overlaps(self, start: int, end: int) -> bool:
        before = bisect_left(self._spans, (end,))  # the spans that start before ``end``
        return before > 0 and self._spans[before - 1][1] > start


def inside_longer(spans: Iterable[Span]) -> set[Span]:
    """The spans that lie inside a longer one of ``spans``."""
    inside: set[Span] = set()
    reach = -1  # the furthest end of the spans seen so far
    for start, end in sorted(set(spans), key=lambda s: (s[0], -s[1])):
        if reach >= end:
            inside.add((start, end))
        reach = max(reach, end)
    return inside

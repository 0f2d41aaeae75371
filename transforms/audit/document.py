"""The audit: every outcome counted as pipeline data, and the document built last.

The summed counts and the list of written files arrive as side inputs of one
final step, so the audit is built only after every output file exists. It
holds the run metadata, the nested counts and their reconciliation
(``records_read == records_written + dead_lettered + sum(excluded)``); the
write stage writes it and fails the run if it does not reconcile.
"""

from __future__ import annotations

import time

import apache_beam as beam
from apache_beam.metrics import Metrics

from schemas.timestamps import format_instant
from transforms.audit.counts import (
    Count,
    control_dead_letter_counts,
    control_read_counts,
    dead_letter_counts,
    dead_letter_output,
    exclusion_counts,
    nest,
    reconciliation,
    written_counts,
)


def audit_document(totals: list[Count], files_written: int, run: dict, end_time: int) -> dict:
    counts = nest(totals)
    return {
        "run": {**run, "end_time": format_instant(end_time)},
        "counts": counts,
        "reconciliation": reconciliation(counts),
        "dead_letter_output": dead_letter_output(counts),
        "outputs": {"files_written": files_written},
    }


def _report_metric(pair: Count) -> Count:
    path, n = pair
    Metrics.counter("eligibility", ".".join(path)).inc(n)
    return pair


class CountOutcomes(beam.PTransform):
    """Every outcome of the run → ``(path, n)`` count pairs. Takes a dict of
    PCollections: ``records_read`` (the one count of conversation records read),
    ``control_read`` (``(input name, n)``), ``control_dead_letters``,
    ``excluded`` (exclusions), ``dead_lettered`` (conversation dead letters) and
    ``written`` (redacted conversations). ``known_sources`` are the policy's:
    no other source value reaches the audit."""

    def __init__(self, known_sources: frozenset):
        super().__init__()
        self._known = known_sources

    def expand(self, outcomes: dict):
        known = self._known
        return (
            outcomes["records_read"] | "RecordsRead" >> beam.Map(lambda n: (("records_read",), n)),
            outcomes["control_read"] | "ControlRead" >> beam.FlatMap(control_read_counts),
            outcomes["control_dead_letters"]
            | "ControlDeadLetters" >> beam.FlatMap(control_dead_letter_counts),
            outcomes["excluded"] | "Excluded" >> beam.FlatMap(exclusion_counts, known),
            outcomes["dead_lettered"] | "DeadLettered" >> beam.FlatMap(dead_letter_counts),
            outcomes["written"] | "Written" >> beam.FlatMap(written_counts, known),
        ) | "AllCounts" >> beam.Flatten()


class BuildAudit(beam.PTransform):
    """(count pairs, written file paths) → the one audit document (``run`` is run
    metadata); the counts are also reported as Beam metrics."""

    def __init__(self, run: dict):
        super().__init__()
        self._run = run

    def expand(self, inputs):
        count_pairs, written_files = inputs
        totals = (
            count_pairs
            | "ReportMetrics" >> beam.Map(_report_metric)
            | "SumPerKey" >> beam.CombinePerKey(sum)
        )
        return (
            count_pairs.pipeline
            | "Once" >> beam.Create([None])
            | "Build"
            >> beam.Map(
                lambda _, totals, files, run: audit_document(
                    totals, len(files), run, time.time_ns() // 1000
                ),
                beam.pvalue.AsList(totals),
                beam.pvalue.AsList(written_files),
                self._run,
            )
        )

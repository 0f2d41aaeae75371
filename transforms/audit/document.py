"""The audit document, built last from counts that are pipeline data.

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
from transforms.audit.counts import Count, nest, reconciliation


def audit_document(totals: list[Count], files_written: int, run: dict, end_time: int) -> dict:
    counts = nest(totals)
    return {
        "run": {**run, "end_time": format_instant(end_time)},
        "counts": counts,
        "reconciliation": reconciliation(counts),
        "outputs": {"files_written": files_written},
    }


def _report_metric(pair: Count) -> Count:
    path, n = pair
    Metrics.counter("eligibility", ".".join(path)).inc(n)
    return pair


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
            | "Build" >> beam.Map(
                lambda _, totals, files, run: audit_document(
                    totals, len(files), run, time.time_ns() // 1000),
                beam.pvalue.AsList(totals), beam.pvalue.AsList(written_files), self._run)
        )

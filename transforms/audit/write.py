"""Write ``audit.json`` last, from counts that are pipeline data.

The summed counts and the list of written files arrive as side inputs of one
final step, so the audit is written only after every output file exists. The
step checks the reconciliation and fails the run (after writing the audit)
if it does not hold: a mismatch means a record was lost or counted twice.
The file is written to a temporary name and renamed, so it is never seen half
written.
"""
from __future__ import annotations

import json
import time

import apache_beam as beam
from apache_beam.metrics import Metrics

from schemas.timestamps import format_instant
from transforms.audit.counts import nest, reconciliation
from transforms.write.paths import write_atomically


class AuditDoesNotReconcile(RuntimeError):
    pass


def _report_metric(pair):
    path, n = pair
    Metrics.counter("eligibility", ".".join(path)).inc(n)
    return pair


def _write_audit(_, totals, written_files, path: str, run: dict):
    counts = nest(totals)
    check = reconciliation(counts)
    audit = {
        "run": {**run, "end_time": format_instant(time.time_ns() // 1000)},
        "counts": counts,
        "reconciliation": check,
        "outputs": {"files_written": len(written_files)},
    }
    write_atomically(path, json.dumps(audit, indent=2, sort_keys=True).encode("utf-8") + b"\n")
    if not check["reconciles"]:
        raise AuditDoesNotReconcile(
            f"records_read={check['records_read']} but accounted_for={check['accounted_for']}")
    yield path


class WriteAudit(beam.PTransform):
    """(count pairs, written file paths) → ``audit.json`` (``run`` is run metadata)."""

    def __init__(self, path: str, run: dict):
        super().__init__()
        self._path = path
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
            | "Write" >> beam.FlatMap(
                _write_audit, beam.pvalue.AsList(totals), beam.pvalue.AsList(written_files),
                self._path, self._run)
        )

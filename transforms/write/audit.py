"""Write ``audit.json``: atomically (a temporary file, then a rename, so it is
never seen half written), and fail the run after writing it if it does not
reconcile (a mismatch means a record was lost or counted twice)."""

from __future__ import annotations

import json

import apache_beam as beam

from transforms.write.paths import write_atomically


class AuditDoesNotReconcile(RuntimeError):
    pass


def write_audit(audit: dict, path: str) -> str:
    write_atomically(path, json.dumps(audit, indent=2, sort_keys=True).encode("utf-8") + b"\n")
    check = audit["reconciliation"]
    if not check["reconciles"]:
        raise AuditDoesNotReconcile(
            f"records_read={check['records_read']} but accounted_for={check['accounted_for']}"
        )
    return path


class WriteAudit(beam.PTransform):
    """The audit document → ``path``; returns the written path."""

    def __init__(self, path: str):
        super().__init__()
        self._path = path

    def expand(self, audit):
        return audit | "Write" >> beam.Map(write_audit, self._path)

"""Regenerate a run folder's ``report.html`` from its ``audit.json``:
``python -m pipelines.report DIR``.

Every run of ``pipelines.eligibility`` writes the report itself (staged with the
other outputs, swapped in before ``_SUCCESS``); this command rewrites it, e.g.
after a change of the page's layout, for folders written before reports existed,
or after ``apply_deletions`` (the report shows what the run did, as ``audit.json``
does). It reads only ``audit.json`` and writes only ``report.html`` (atomically).
Exit status: 0 written, 2 no readable audit in DIR.
"""

from __future__ import annotations

import json
import sys
from typing import Optional

from pipelines.flags import Parser
from transforms.audit.report import render_report
from transforms.write.outputs import AUDIT_FILE, REPORT_FILE
from transforms.write.paths import FILE, join, kind, read_bytes, write_atomically


def write_report(folder: str) -> str:
    """Render ``folder``'s audit.json into ``folder``/report.html; returns its path."""
    audit = json.loads(read_bytes(join(folder, AUDIT_FILE)))
    path = join(folder, REPORT_FILE)
    write_atomically(path, render_report(audit).encode("utf-8"))
    return path


def main(argv: Optional[list[str]] = None) -> int:
    parser = Parser(
        prog="python -m pipelines.report",
        description="Write DIR/report.html (one self-contained page) from DIR/audit.json.",
    )
    parser.add_argument("folder", metavar="DIR", help="a run folder (--output of a run)")
    args = parser.parse_args(argv)
    if kind(join(args.folder, AUDIT_FILE)) != FILE:
        parser.error(f"{join(args.folder, AUDIT_FILE)} does not exist")
    try:
        path = write_report(args.folder)
    except (ValueError, KeyError) as exc:
        parser.error(f"{join(args.folder, AUDIT_FILE)} is not a run's audit ({exc!r})")
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Check a finished run folder for a scheduler: ``python -m pipelines.check_run DIR
[--max-dead-letter-rate R]``.

Exit 0 when DIR holds a complete run (``_SUCCESS``) whose audit reconciles and
whose dead-lettered records are at most R of the records read; else exit 1 with
a one-line reason. A high dead-letter rate means a broken export (a changed
format, a truncated file) that the run itself survives by design, so the
scheduler has to be told. Prints counts only, never content.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Optional

from pipelines.flags import Parser
from transforms.write.outputs import AUDIT_FILE, SUCCESS_FILE


def problem(folder: str, max_rate: float) -> Optional[str]:
    """Why the run in ``folder`` is not acceptable, or None."""
    if not os.path.isfile(os.path.join(folder, SUCCESS_FILE)):
        return f"{folder} has no {SUCCESS_FILE}: the run did not complete"
    with open(os.path.join(folder, AUDIT_FILE), encoding="utf-8") as handle:
        audit = json.load(handle)
    if not audit["reconciliation"]["reconciles"]:
        return f"{folder}: the audit does not reconcile"
    counts = audit["counts"]
    rate = counts["dead_lettered"] / max(counts["records_read"], 1)
    if rate > max_rate:
        return (
            f"{folder}: {counts['dead_lettered']} of {counts['records_read']} records "
            f"dead-lettered ({rate:.2%}), over the threshold of {max_rate:.2%}"
        )
    return None


def main(argv: Optional[list[str]] = None) -> int:
    parser = Parser(prog="python -m pipelines.check_run", description=__doc__)
    parser.add_argument("folder", metavar="DIR", help="a run folder (--output of a run)")
    parser.add_argument(
        "--max-dead-letter-rate",
        type=float,
        default=0.02,
        metavar="R",
        help="largest acceptable share of dead-lettered records among the records read",
    )
    args = parser.parse_args(argv)
    found = problem(args.folder, args.max_dead_letter_rate)
    print(found or f"{args.folder}: complete, dead-letter rate within {args.max_dead_letter_rate}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())

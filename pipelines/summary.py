"""Print a readable summary of an ``audit.json``: ``python -m pipelines.summary PATH``."""

from __future__ import annotations

import json
import sys


def summarise(audit: dict) -> str:
    counts, run, check = audit["counts"], audit["run"], audit["reconciliation"]
    lines = [
        f"Policy {run['policy']['id']} {run['policy']['version']}, as of {run['as_of']}",
        f"records read        {counts['records_read']:>8}",
        f"  written           {counts['records_written']:>8}",
        f"  dead-lettered     {counts['dead_lettered']:>8}",
        f"  excluded          {sum(counts['excluded'].values()):>8}",
    ]
    lines += [
        f"    {reason:<28}{n:>8}"
        for reason, n in sorted(counts["excluded"].items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    lines.append(
        f"reconciles: {'yes' if check['reconciles'] else 'NO'} "
        f"({check['records_read']} read, {check['accounted_for']} accounted for)"
    )
    lines.append(
        f"messages trimmed: {counts['messages_trimmed_after_opt_out']} after opt-out, "
        f"{counts['messages_trimmed_after_as_of']} after as-of"
    )
    lines.append(f"API records past retention (signal): {counts['api_past_retention']}")
    redacted = counts["pii_entities_redacted"]
    lines.append(
        "PII redacted: " + (", ".join(f"{k} {v}" for k, v in sorted(redacted.items())) or "none")
    )
    dead_control = counts["control_events_dead_lettered"]
    lines.append(
        "control events dead-lettered: "
        + ", ".join(f"{k} {v}" for k, v in sorted(dead_control.items()))
    )
    return "\n".join(lines)


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    with open(argv[0], encoding="utf-8") as handle:
        print(summarise(json.load(handle)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Readable summaries: of a run folder (``python -m pipelines.summary PATH``,
where PATH is the run's ``audit.json``: what the run did, then every later
application of deletions recorded beside it in ``deletions_applied.json``), and
of one ``apply_deletions`` command. They hold counts and folder paths, never an
id or any text from the data."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from typing import Optional


def summarise(audit: dict) -> str:
    """What a run did, from its audit: counts, reasons, reconciliation, what
    ``dead_letter/`` holds, what was left out of the training text, settings."""
    counts, run, check = audit["counts"], audit["run"], audit["reconciliation"]
    lines = [
        f"Policy {run['policy']['id']} {run['policy']['version']}, as of {run['as_of']}",
        f"{'records read':<38}{counts['records_read']:>6}",
        f"{'  written':<38}{counts['records_written']:>6}",
        f"{'  excluded':<38}{sum(counts['excluded'].values()):>6}",
    ]
    lines += [f"    {reason:<34}{n:>6}" for reason, n in _largest_first(counts["excluded"])]
    lines.append(f"{'  dead-lettered':<38}{counts['dead_lettered']:>6}")
    lines += [
        f"    {stage + ': ' + code:<34}{n:>6}"
        for stage, codes in sorted(counts["dead_lettered_by_stage"].items())
        for code, n in _largest_first(codes)
    ]
    lines.append(
        f"reconciles: {'yes' if check['reconciles'] else 'NO'} "
        f"({check['records_read']} read = {counts['records_written']} written + "
        f"{sum(counts['excluded'].values())} excluded + {counts['dead_lettered']} "
        f"dead-lettered; {check['accounted_for']} accounted for)"
    )
    lines += _dead_letter_lines(counts)
    lines.append(
        f"messages trimmed: {counts['messages_trimmed_after_opt_out']} after opt-out, "
        f"{counts['messages_trimmed_after_as_of']} after as-of"
    )
    lines.append(f"API records past retention (signal): {counts['api_past_retention']}")
    lines.append("PII redacted: " + (_pairs(counts["pii_entities_redacted"]) or "none"))
    dropped = counts.get("content_dropped", {})
    lines.append("left out of the training text: " + (_pairs(dropped) or "nothing"))
    lines += _settings_lines(run)
    return "\n".join(lines)


def _dead_letter_lines(counts: dict) -> list[str]:
    """``dead_letter/`` holds conversation records and control-event lines: say so."""
    control = counts["control_events_dead_lettered"]
    return [
        f"dead_letter/ rows: {counts['dead_lettered'] + sum(control.values())} = "
        f"{counts['dead_lettered']} conversation records (above) + "
        f"{sum(control.values())} control-event lines ({_pairs(control) or 'none'}; not "
        "conversations: each failed closed for its subject)"
    ]


def _settings_lines(run: dict) -> list[str]:
    policy, pii = run["policy"], run["pii"]
    lines = []
    if "sha256" in policy:
        lines.append(f"policy file sha256 {policy['sha256'][:12]}")
    if "version" in pii:
        lines.append(f"PII config {pii['version']}, sha256 {pii['sha256'][:12]}")
    return lines


def _largest_first(counts: dict) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def _pairs(counts: dict) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))


def dead_letter_share(counts: dict) -> float:
    """The share of the records read that was dead-lettered (invalid ones included)."""
    return counts["dead_lettered"] / max(counts["records_read"], 1)


def run_summary(audit: dict, output: str, elapsed: float, outputs: list[str]) -> str:
    """The end of a run on stderr: time and throughput, the counts, the outputs."""
    read = audit["counts"]["records_read"]
    runner = audit["run"].get("runner", "")
    lines = [
        f"Run complete in {elapsed:.1f} s: {read} records read, "
        f"{read / max(elapsed, 1e-9):.1f} records/s" + (f" ({runner})" if runner else ""),
        summarise(audit),
        f"outputs in {output}: " + ", ".join(outputs),
    ]
    return "\n".join(lines)


def rate_warning(counts: dict, threshold: float, flag: str) -> Optional[str]:
    """A warning line when more than ``threshold`` of the records was dead-lettered."""
    share = dead_letter_share(counts)
    if share <= threshold:
        return None
    return (
        f"WARNING: {counts['dead_lettered']} of {counts['records_read']} records "
        f"({share:.1%}) were dead-lettered, over {threshold:.1%} ({flag}); "
        "see dead_letter/ and report.html"
    )


def summarise_applications(document: dict) -> str:
    """A folder's ``deletions_applied.json``: one line per application."""
    lines = ["deletions applied after the run:"]
    for entry in document["applications"]:
        removed = entry["records_removed"]
        shards = sum(len(names) for names in entry["shards_rewritten"].values())
        lines.append(
            f"  as of {entry['as_of']}: removed {sum(removed.values())} "
            f"({_by_rule(removed)}), {shards} shards rewritten, "
            f"{entry['deletion_input']['lines_dead_lettered']} malformed deletion lines"
        )
    return "\n".join(lines)


def _by_rule(removed: dict) -> str:
    return ", ".join(f"{rule} {n}" for rule, n in sorted(removed.items()))


@dataclass
class DeletionsReport:
    """What one ``apply_deletions`` command did to each run folder."""

    as_of: str
    fail_on_overdue: bool = False
    updated: list[tuple[str, dict]] = field(default_factory=list)  # (folder, entry)
    unchanged: list[str] = field(default_factory=list)  # nothing to remove
    refused: list[tuple[str, str]] = field(default_factory=list)  # (folder, reason)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (folder, reason)
    resumed: list[str] = field(default_factory=list)  # interrupted swaps completed
    deletion_input: dict = field(default_factory=dict)

    def records_removed(self) -> dict[str, int]:
        total: dict[str, int] = {}
        for _, entry in self.updated:
            for rule, n in entry["records_removed"].items():
                total[rule] = total.get(rule, 0) + n
        return total

    def overdue_records(self) -> int:
        return sum(entry["overdue"]["records"] for _, entry in self.updated)


def summarise_report(report: DeletionsReport) -> str:
    removed = report.records_removed()
    lines = [f"Deletions applied as of {report.as_of}"]
    lines += [
        f"  resumed    {path} (an interrupted application completed)" for path in report.resumed
    ]
    for path, entry in report.updated:
        shards = sum(len(names) for names in entry["shards_rewritten"].values())
        lines.append(
            f"  updated    {path}: removed {sum(entry['records_removed'].values())} "
            f"({_by_rule(entry['records_removed'])}), {shards} shards rewritten"
        )
    lines += [f"  unchanged  {path}: nothing to remove" for path in report.unchanged]
    lines += [f"  REFUSED    {path}: {reason}" for path, reason in report.refused]
    lines += [f"  FAILED     {path}: {reason}" for path, reason in report.failed]
    source = report.deletion_input
    lines += [
        f"folders: {len(report.updated)} updated, {len(report.unchanged)} unchanged, "
        f"{len(report.refused)} refused, {len(report.failed)} failed",
        f"records removed: {sum(removed.values())} ({_by_rule(removed) or 'none'})",
        f"deletion lines read {source.get('lines_read', 0)}, malformed (dead-lettered) "
        f"{source.get('lines_dead_lettered', 0)}, failed closed for "
        f"{source.get('fail_closed_subjects', 0)} subjects; requests in force "
        f"{source.get('requests_in_force', 0)}, after as-of "
        f"{source.get('requests_after_as_of', 0)}",
    ]
    overdue = report.overdue_records()
    if overdue:
        lines.append(
            f"WARNING: {overdue} records were removed by requests older than 30 days at "
            "as-of (an earlier application was missed)"
        )
    return "\n".join(lines)


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] in ("-h", "--help"):
        print("usage: python -m pipelines.summary DIR/audit.json")
        return 0 if argv else 2
    with open(argv[0], encoding="utf-8") as handle:
        print(summarise(json.load(handle)))
    applied = os.path.join(os.path.dirname(argv[0]), "deletions_applied.json")
    if os.path.exists(applied):
        with open(applied, encoding="utf-8") as handle:
            print(summarise_applications(json.load(handle)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

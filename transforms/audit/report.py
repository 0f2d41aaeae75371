"""``report.html``: a run's audit as one page a person can read (pure, no Beam).

One self-contained HTML file: inline CSS and inline SVG charts drawn here, no
script, no font, no image, no link to anything on the network, so it opens the
same anywhere, offline and years later. Everything on it comes from
``audit.json`` (counts, reason codes, the policy's source names, entity types,
settings; never a value from the records) and every text is HTML-escaped.

Sections: the four totals, the funnel read → excluded → dead-lettered →
written, exclusions by reason, the per-source breakdown, PII entities redacted
by type, dead letters by stage and reason (conversation records and
control-event lines apart), what was left out of the training text, control
events, and the run (policy id and version, configuration versions and hashes,
as-of, runner, timings, inputs). Each chart is an ``<svg class="chart"
data-chart="NAME">`` whose bars are ``<rect class="bar" data-label data-value>``.
"""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import Iterable, Optional, Sequence

PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
)
WRITTEN, EXCLUDED, DEAD, READ = "#59a14f", "#f28e2b", "#e15759", "#4e79a7"
WIDTH, LABEL_WIDTH, BAR_HEIGHT, GAP = 820, 290, 22, 8

STYLE = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;
background:#f6f7f9;color:#1f2430}
main{max-width:900px;margin:0 auto;padding:24px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:0 0 12px}
section{background:#fff;border:1px solid #dde1e7;border-radius:8px;padding:16px 20px;
margin:16px 0}
.sub{color:#5b6475;margin:0}.ok{color:#2e7d32;font-weight:600}.bad{color:#c62828;font-weight:600}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #eceff3;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
code{font-size:13px;word-break:break-all}
svg.chart{display:block;max-width:100%;height:auto;margin:4px 0 8px}
svg text{font:13px system-ui,sans-serif;fill:#1f2430}
.legend span{display:inline-block;margin:0 14px 4px 0;font-size:13px}
.legend i{display:inline-block;width:11px;height:11px;margin-right:5px;border-radius:2px}
.none{color:#5b6475;font-style:italic}
.cards{display:flex;gap:12px;margin:14px 0 0}
.card{flex:1;background:#fff;border:1px solid #dde1e7;border-top:4px solid;border-radius:8px;
padding:10px 14px}.card b{display:block;font-size:26px;font-variant-numeric:tabular-nums}
.card span{color:#5b6475}
"""


def render_report(audit: dict) -> str:
    """The whole page for one ``audit.json`` document."""
    counts, run = audit["counts"], audit["run"]
    body = "".join(
        (
            _header(audit),
            _section("Funnel: read → excluded → dead-lettered → written", _funnel(counts)),
            _section("Excluded, by reason", _bars("excluded", _largest(counts["excluded"]))),
            _section("Per source", _per_source(counts)),
            _section(
                "PII entities redacted, by type",
                _bars("pii", _largest(counts["pii_entities_redacted"])),
            ),
            _section("Dead letters, by stage and reason", _dead_letters(audit)),
            _section(
                "Left out of the training text",
                _bars("content-dropped", _largest(counts.get("content_dropped", {})))
                + _other_counts(counts),
            ),
            _section("Control events", _control_events(counts)),
            _section("The run: policy, configuration, timings", _run_table(run)),
        )
    )
    title = f"Training-eligibility run as of {run['as_of']}"
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head>"
        f"<body><main>{body}</main></body></html>\n"
    )


# --- page parts ------------------------------------------------------------------


def _header(audit: dict) -> str:
    run, check = audit["run"], audit["reconciliation"]
    verdict = (
        '<span class="ok" id="reconciles">reconciles</span>'
        if check["reconciles"]
        else '<span class="bad" id="reconciles">DOES NOT RECONCILE</span>'
    )
    policy, counts = run["policy"], audit["counts"]
    figures = (
        ("read", counts["records_read"], READ),
        ("written", counts["records_written"], WRITTEN),
        ("excluded", sum(counts["excluded"].values()), EXCLUDED),
        ("dead-lettered", counts["dead_lettered"], DEAD),
    )
    cards = "".join(
        f'<div class="card" id="card-{name}" style="border-top-color:{colour}">'
        f"<b>{n:,}</b><span>{escape(name)}</span></div>"
        for name, n, colour in figures
    )
    return (
        "<header><h1>Training-eligibility run</h1>"
        f'<p class="sub">policy {escape(policy["id"])} {escape(policy["version"])} · '
        f"as of {escape(run['as_of'])} · {check['records_read']:,} records read, "
        f"{check['accounted_for']:,} accounted for: {verdict}</p>"
        f'<div class="cards">{cards}</div></header>'
    )


def _section(title: str, content: str) -> str:
    return f"<section><h2>{escape(title)}</h2>{content}</section>"


def _run_table(run: dict) -> str:
    policy, pii = run["policy"], run.get("pii", {})
    rows = [
        ("policy", f"{policy['id']} {policy['version']}"),
        ("policy file", policy.get("file")),
        ("policy sha256", policy.get("sha256")),
        ("PII config", pii.get("version")),
        ("PII config file", pii.get("file")),
        ("PII config sha256", pii.get("sha256")),
        ("NER model", pii.get("model")),
        ("as of", run["as_of"]),
        ("runner", run.get("runner")),
        ("started", run.get("start_time")),
        ("ended", run.get("end_time")),
        ("duration", _duration(run.get("start_time"), run.get("end_time"))),
        ("pipeline version", run.get("pipeline_version")),
        ("record-id key fingerprint", run.get("record_id_key_fingerprint")),
    ]
    rows += [(f"input: {name}", value) for name, value in run.get("inputs", {}).items()]
    rows += [(f"training text: {name}", value) for name, value in run.get("text", {}).items()]
    cells = "".join(
        f"<tr><th>{escape(name)}</th><td><code>{escape(str(value))}</code></td></tr>"
        for name, value in rows
        if value is not None
    )
    return f'<table id="run">{cells}</table>'


def _duration(start: Optional[str], end: Optional[str]) -> Optional[str]:
    try:
        seconds = (_instant(end) - _instant(start)).total_seconds()
    except (TypeError, ValueError):
        return None
    return f"{seconds:,.1f} s"


def _instant(text: Optional[str]) -> datetime:
    if text is None:
        raise ValueError("no time")
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _funnel(counts: dict) -> str:
    """A waterfall: read; excluded by reason and dead-lettered by stage taken off
    the right; written is what remains."""
    read = counts["records_read"]
    excluded = _largest(counts["excluded"])
    dead = _largest(
        {
            f"dead-lettered at {stage}": sum(codes.values())
            for stage, codes in counts["dead_lettered_by_stage"].items()
        }
    )
    excluded_total, dead_total = sum(n for _, n in excluded), sum(n for _, n in dead)
    rows = [
        ("read", [("read", read, READ)], 0),
        ("excluded", _coloured(excluded), read - excluded_total),
        ("dead-lettered", _coloured(dead, offset=5), read - excluded_total - dead_total),
        ("written", [("written", counts["records_written"], WRITTEN)], 0),
    ]
    totals = {"read": read, "excluded": excluded_total, "dead-lettered": dead_total}
    totals["written"] = counts["records_written"]
    svg = _svg("funnel", [(name, segments, start, totals[name]) for name, segments, start in rows])
    legend = _legend(_coloured(excluded) + _coloured(dead, offset=5))
    return svg + legend


def _coloured(items: Sequence[tuple[str, int]], offset: int = 0) -> list[tuple[str, int, str]]:
    return [(label, n, PALETTE[(i + offset) % len(PALETTE)]) for i, (label, n) in enumerate(items)]


def _bars(name: str, items: Sequence[tuple[str, int]], colour: str = READ) -> str:
    if not items:
        return '<p class="none">none</p>'
    return _svg(name, [(label, [(label, n, colour)], 0, n) for label, n in items])


def _per_source(counts: dict) -> str:
    sources = sorted(set(counts["written_by_source"]) | set(counts["excluded_by_source"]))
    if not sources:
        return '<p class="none">none</p>'
    rows = []
    for source in sources:
        written = counts["written_by_source"].get(source, 0)
        excluded = counts["excluded_by_source"].get(source, {})
        segments = [("written", written, WRITTEN)] + [
            (reason, n, EXCLUDED) for reason, n in _largest(excluded)
        ]
        rows.append((source, segments, 0, written + sum(excluded.values())))
    table = "".join(
        f"<tr><td>{escape(source)}</td>"
        f'<td class="n">{counts["written_by_source"].get(source, 0):,}</td>'
        f"<td>{escape(_listed(counts['excluded_by_source'].get(source, {})))}</td></tr>"
        for source in sources
    )
    return (
        _svg("per-source", rows)
        + _legend([("written", 0, WRITTEN), ("excluded", 0, EXCLUDED)])
        + '<table id="per-source"><tr><th>source</th><th class="n">written</th>'
        f"<th>excluded, by reason</th></tr>{table}</table>"
        '<p class="sub">Dead letters are not counted per source: an invalid record\'s '
        "source may be unreadable.</p>"
    )


def _dead_letters(audit: dict) -> str:
    counts = audit["counts"]
    items = [
        (f"{stage}: {code}", n)
        for stage, codes in sorted(counts["dead_lettered_by_stage"].items())
        for code, n in _largest(codes)
    ]
    control = counts["control_events_dead_lettered"]
    output = audit.get("dead_letter_output") or {}
    table = (
        '<table id="dead-letter-output">'
        f"<tr><th>conversation records (counted in the reconciliation)</th>"
        f'<td class="n">{counts["dead_lettered"]:,}</td></tr>'
        f"<tr><th>control-event lines (not conversations; each failed closed for "
        f'its subject)</th><td class="n">{sum(control.values()):,}</td></tr>'
        f'<tr><th>rows in dead_letter/</th><td class="n">'
        f"{output.get('rows', counts['dead_lettered'] + sum(control.values())):,}</td></tr>"
        "</table>"
    )
    return _bars("dead-letters", items, DEAD) + table


def _other_counts(counts: dict) -> str:
    rows = [
        ("messages trimmed after an opt-out (C2)", counts["messages_trimmed_after_opt_out"]),
        ("messages trimmed after as-of", counts["messages_trimmed_after_as_of"]),
        ("non-text parts dropped", counts["non_text_parts_dropped"]),
        ("messages written", counts["messages_written"]),
        ("API records past retention (signal)", counts["api_past_retention"]),
    ]
    return _count_table("other-counts", rows)


def _control_events(counts: dict) -> str:
    names = sorted(counts["control_events_read"])
    rows = "".join(
        f"<tr><td>{escape(name)}</td>"
        f'<td class="n">{counts["control_events_read"].get(name, 0):,}</td>'
        f'<td class="n">{counts["control_events_dead_lettered"].get(name, 0):,}</td></tr>'
        for name in names
    )
    return (
        '<table id="control-events"><tr><th>input</th><th class="n">lines read</th>'
        f'<th class="n">dead-lettered</th></tr>{rows}</table>'
    )


def _count_table(name: str, rows: Iterable[tuple[str, int]]) -> str:
    cells = "".join(
        f'<tr><th>{escape(label)}</th><td class="n">{n:,}</td></tr>' for label, n in rows
    )
    return f'<table id="{name}">{cells}</table>'


# --- SVG -------------------------------------------------------------------------------

Segment = tuple[str, int, str]  # label, value, colour


def _svg(name: str, rows: Sequence[tuple[str, Sequence[Segment], int, int]]) -> str:
    """Horizontal bars, one row each: (label, segments, start value, total shown)."""
    top = max([start + sum(n for _, n, _ in segs) for _, segs, start, _ in rows] + [1])
    scale = (WIDTH - LABEL_WIDTH - 70) / top
    height = len(rows) * (BAR_HEIGHT + GAP) + GAP
    parts = [
        f'<svg class="chart" data-chart="{escape(name)}" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" '
        f'aria-label="{escape(name)} chart">'
    ]
    for index, (label, segments, start, total) in enumerate(rows):
        y = GAP + index * (BAR_HEIGHT + GAP)
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + BAR_HEIGHT - 6}" '
            f'text-anchor="end">{escape(_short(label))}</text>'
        )
        x = LABEL_WIDTH + start * scale
        for segment_label, n, colour in segments:
            parts.append(_rect(segment_label, n, colour, x, y, n * scale))
            x += n * scale
        parts.append(f'<text x="{x + 6:.1f}" y="{y + BAR_HEIGHT - 6}">{total:,}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _rect(label: str, n: int, colour: str, x: float, y: int, width: float) -> str:
    return (
        f'<rect class="bar" data-label="{escape(label)}" data-value="{n}" x="{x:.1f}" '
        f'y="{y}" width="{max(width, 0.0):.1f}" height="{BAR_HEIGHT}" fill="{colour}">'
        f"<title>{escape(label)}: {n:,}</title></rect>"
    )


def _legend(segments: Sequence[Segment]) -> str:
    items = "".join(
        f'<span><i style="background:{colour}"></i>{escape(label)}</span>'
        for label, _, colour in segments
    )
    return f'<div class="legend">{items}</div>'


# --- small helpers -----------------------------------------------------------------


def _largest(counts: dict) -> list[tuple[str, int]]:
    return sorted(((k, v) for k, v in counts.items() if v), key=lambda kv: (-kv[1], kv[0]))


def _listed(counts: dict) -> str:
    return ", ".join(f"{k} {v:,}" for k, v in _largest(counts)) or "-"


def _short(label: str, limit: int = 40) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"

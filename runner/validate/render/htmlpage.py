"""The HTML report: one self-contained file (inline CSS and SVG, nothing fetched), viewable offline.

A coverage heatmap (tables x months, coloured by coverage %), the feature drift heatmap
(features x months, render/feature_charts.py), the failing checks and the information notes,
every section, the readiness verdict and the features' small multiples. Every value from the
report goes through ``esc``.
"""
from __future__ import annotations

import calendar
import dataclasses
import html
import itertools
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from runner.validate.render import feature_charts, summary
from runner.validate.report import CoverageCell, Report, Section

# The colour scale follows the gates of decisions.md: below the 90 % per-date gate is red,
# the 90-95 % warning band amber to yellow, 95-100 % light to full green.
GATE_PCT = 90.0
WARN_PCT = 95.0
COLOUR_STOPS: tuple[tuple[float, str], ...] = (
    (0.0, "#7f1d1d"),
    (50.0, "#dc2626"),
    (GATE_PCT, "#f97316"),
    (WARN_PCT, "#facc15"),
    (100.0, "#15803d"),
)
NO_DATA_COLOUR = "#e5e7eb"


def coverage_colour(pct: float | None) -> str:
    """The heatmap colour of a coverage %: linear between the stops, clamped to 0-100."""
    if pct is None:
        return NO_DATA_COLOUR
    pct = min(max(pct, 0.0), 100.0)
    for (lo, lo_hex), (hi, hi_hex) in itertools.pairwise(COLOUR_STOPS):
        if pct <= hi:
            t = (pct - lo) / (hi - lo)
            a, b = _rgb(lo_hex), _rgb(hi_hex)
            return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(a, b))
    return COLOUR_STOPS[-1][1]


def text_colour(background: str) -> str:
    r, g, b = _rgb(background)
    return "#111827" if 0.299 * r + 0.587 * g + 0.114 * b > 150 else "#ffffff"


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    h = hex_colour.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def esc(value: Any) -> str:
    return html.escape(value if isinstance(value, str) else summary.fmt_value(value), quote=True)


def to_html(report: Report) -> str:
    mark, line = summary.verdict(report)
    readiness = summary.readiness_line(report)
    meta = [f"target {report.target}", f"generated {report.generated_at}", f"schema v{report.version}"]
    if report.seconds is not None:
        meta.insert(1, f"computed in {report.seconds:.1f}s")
    if report.select:
        meta.insert(1, "select " + " ".join(report.select))
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Validation {esc(summary.period(report))}</title>",
        f"<style>{_CSS}{feature_charts.CSS}</style></head><body>",
        f"<header><h1>Validation {esc(summary.period(report))}</h1>",
        f'<p class="meta">{" · ".join(esc(m) for m in meta)}</p>',
        f'<p class="verdict {mark}" id="verdict">{esc(line)}</p>',
    ]
    if readiness is not None:
        parts.append(f'<p class="verdict {readiness[0]}" id="readiness">{esc(readiness[1])}</p>')
    parts += ["</header>", _heatmap(report.coverage)]
    if report.feature_health is not None:
        parts.append(feature_charts.drift_heatmap(report.feature_health, esc))
    parts += [_failing(report), _info(report), _summary(report)]
    if report.readiness is not None and report.readiness.thresholds:
        parts.append(_readiness(report))
    parts += [_section(s) for s in report.sections]
    parts.append(feature_charts.feature_details(report.feature_health, esc))
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _failing(report: Report) -> str:
    failing = summary.failing_checks(report)
    head = f'<section id="failing"><h2>Failing checks ({len(failing)})</h2>'
    if not failing:
        return head + '<p class="ok">None: no warn or error check fails.</p></section>'
    rows = [
        [_badge(c.severity), f"<code>{esc(c.name)}</code>", esc(c.message or c.title),
         esc(c.observed), esc(c.threshold), esc(summary.fmt_examples(c.examples))]
        for c in failing
    ]
    return head + _table(["severity", "check", "message", "observed", "threshold", "examples"], rows) + "</section>"


def _info(report: Report) -> str:
    notes = summary.info_notes(report)
    if not notes:
        return ""
    items = "".join(f"<li><code>{esc(name)}</code> {esc(text)}</li>" for name, text in notes)
    return f'<section id="information"><h2>Information ({len(notes)})</h2><ul class="notes">{items}</ul></section>'


def _heatmap(cells: Sequence[CoverageCell]) -> str:
    head = '<section id="coverage-heatmap"><h2>Coverage by table and month</h2>'
    if not cells:
        return head + "<p>No coverage cells in this report.</p></section>"
    merged = _merge(cells)
    tables = list(dict.fromkeys(c.table for c in cells))
    months = sorted({c.month for c in cells})
    season_of = {c.month: c.season for c in cells}
    seasons: dict[int, int] = defaultdict(int)
    for m in months:
        seasons[season_of[m]] += 1
    out = [head, _legend(), '<div class="scroll"><table class="heatmap">',
           '<thead><tr><th rowspan="2">table</th>']
    out += [f'<th colspan="{n}" class="season">{esc(f"{s}-{(s + 1) % 100:02d}")}</th>' for s, n in seasons.items()]
    out.append("</tr><tr>")
    out += [f'<th class="month" title="{esc(m)}">{esc(_month_label(m))}</th>' for m in months]
    out.append("</tr></thead><tbody>")
    for table in tables:
        out.append(f'<tr><th class="table">{esc(table)}</th>')
        for month in months:
            out.append(_heat_cell(table, month, merged.get((table, month))))
        out.append("</tr>")
    out.append("</tbody></table></div></section>")
    return "".join(out)


def _month_label(month: str) -> str:
    """'2024-11' -> 'Nov' (the season row above gives the year)."""
    try:
        return calendar.month_abbr[int(month[5:7])]
    except (ValueError, IndexError):
        return month


def _merge(cells: Iterable[CoverageCell]) -> dict[tuple[str, str], CoverageCell]:
    """One cell per (table, month); repeated cells are summed."""
    merged: dict[tuple[str, str], CoverageCell] = {}
    for c in cells:
        m = merged.get((c.table, c.month))
        merged[(c.table, c.month)] = dataclasses.replace(c) if m is None else dataclasses.replace(
            m,
            dates_with_rows=m.dates_with_rows + c.dates_with_rows,
            expected_dates=m.expected_dates + c.expected_dates,
            rows=_add(m.rows, c.rows),
            expected_rows=_add(m.expected_rows, c.expected_rows),
        )
    return merged


def _add(a: int | None, b: int | None) -> int | None:
    return None if a is None and b is None else (a or 0) + (b or 0)


def _heat_cell(table: str, month: str, cell: CoverageCell | None) -> str:
    where = f'data-table="{esc(table)}" data-month="{esc(month)}"'
    if cell is None:
        return f'<td class="cell none" {where} data-pct="" title="{esc(f"{table} · {month}: no expected game dates")}"></td>'
    pct = summary.cell_pct(cell)
    colour = coverage_colour(pct)
    tip = f"{table} · {month}: {cell.dates_with_rows}/{cell.expected_dates} game dates ({summary.fmt_value(cell.date_pct)} %)"
    if cell.expected_rows is not None:
        tip += f", {summary.fmt_value(cell.rows)}/{summary.fmt_value(cell.expected_rows)} rows ({summary.fmt_value(cell.row_pct)} %)"
    label = "" if pct is None else f"{pct:.0f}" if pct < 99.95 else "100"
    data_pct = "" if pct is None else f"{pct:.1f}"
    style = f"background:{colour};color:{text_colour(colour)}"
    return f'<td class="cell" {where} data-pct="{data_pct}" title="{esc(tip)}" style="{style}">{esc(label)}</td>'


def _legend() -> str:
    """The scale drawn piecewise: each stop-to-stop band gets the same width, so 90-100 % is legible."""
    step = 100 / (len(COLOUR_STOPS) - 1)
    stops = "".join(
        f'<stop offset="{i * step:g}%" stop-color="{hex_}"/>' for i, (_, hex_) in enumerate(COLOUR_STOPS)
    )
    ticks = "".join(
        f'<text x="{10 + 3 * i * step:g}" y="34" text-anchor="middle">{pct:g} %</text>'
        for i, (pct, _) in enumerate(COLOUR_STOPS)
    )
    return (
        '<div class="legend"><svg width="330" height="40" role="img" aria-label="coverage colour scale">'
        f'<defs><linearGradient id="scale">{stops}</linearGradient></defs>'
        f'<rect x="10" y="4" width="300" height="16" fill="url(#scale)" stroke="#9ca3af"/>{ticks}</svg>'
        f'<span>coverage: the worse of game dates and rows vs expected; gate {GATE_PCT:g} %, '
        f'warning below {WARN_PCT:g} %; <span class="swatch" style="background:{NO_DATA_COLOUR}"></span> '
        "no expected games</span></div>"
    )


def _summary(report: Report) -> str:
    rows = [
        [_mark(s.mark, _SYMBOL[s.mark]), f'<a href="#section-{esc(s.id)}">{esc(s.title)}</a>',
         esc(s.checks), esc(s.failed), esc(s.line)]
        for s in map(summary.section_status, report.sections)
    ]
    table = _table(["", "section", "checks", "failing", "status"], rows)
    return f'<section id="summary"><h2>Sections</h2>{table}</section>'


def _readiness(report: Report) -> str:
    assert report.readiness is not None
    rows = [
        [esc(t.name), esc(t.observed), esc(t.target), esc(t.minimum), _pass_fail(t.passed, "fail"),
         esc(", ".join(t.months))]
        for t in report.readiness.thresholds
    ]
    table = _table(["threshold", "observed", "target", "minimum", "result", "months responsible"], rows)
    return (f'<section id="readiness-thresholds"><h2>ML training readiness: {esc(report.readiness.verdict)}</h2>'
            f"{table}</section>")


def _section(section: Section) -> str:
    status = summary.section_status(section)
    out = [f'<section class="report-section" id="section-{esc(section.id)}">',
           f"<h2>{_mark(status.mark, _SYMBOL[status.mark])} {esc(section.title)} "
           f"<small>{esc(section.id)}</small></h2>"]
    if section.checks:
        rows = [
            [_pass_fail(c.passed, _MARK[c.severity]), esc(c.title), _badge(c.severity), esc(c.observed), esc(c.threshold), esc(c.message)]
            for c in section.checks
        ]
        out.append(_table(["", "check", "severity", "observed", "threshold", "message"], rows))
    if section.columns:
        out.append(f"<details><summary>{esc(len(section.rows))} detail rows</summary>")
        out.append(_table([esc(c) for c in section.columns], [[esc(v) for v in r] for r in section.rows]))
        out.append("</details>")
    out.append("</section>")
    return "".join(out)


def _table(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A table from cells that are already escaped HTML (no dates inside their tags' attributes)."""
    head = "".join(f"<th>{c}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{_whole_dates(v)}</td>" for v in r) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


_ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def _whole_dates(cell: str) -> str:
    """Dates never wrap at their hyphens."""
    return _ISO_DATE.sub(lambda m: f'<span class="nw">{m.group(0)}</span>', cell)


def _mark(mark: str, text: str) -> str:
    return f'<span class="mark {mark}">{esc(text)}</span>'


def _pass_fail(passed: bool, failed_mark: str) -> str:
    return _mark("ok", "pass") if passed else _mark(failed_mark, "fail")


def _badge(severity: str) -> str:
    return f'<span class="badge {esc(severity)}">{esc(severity)}</span>'


_MARK = {"error": "fail", "warn": "warn", "info": "info"}
_SYMBOL = {"ok": "✔", "info": "•", "warn": "!", "fail": "✘"}

_CSS = """
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#111827;margin:24px;background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}h2 small{color:#6b7280;font-weight:normal;font-size:12px}
.meta{color:#4b5563;margin:0 0 10px}
.verdict{font-weight:600;padding:8px 12px;border-radius:6px;margin:6px 0;border-left:6px solid}
.verdict.ok{background:#ecfdf5;border-color:#16a34a}.verdict.fail{background:#fef2f2;border-color:#dc2626}
.verdict.warn{background:#fffbeb;border-color:#f59e0b}.verdict.info{background:#eff6ff;border-color:#3b82f6}
table{border-collapse:collapse;margin:4px 0}th,td{border:1px solid #e5e7eb;padding:3px 8px;text-align:left;vertical-align:top}
thead th{background:#f3f4f6}
.badge{display:inline-block;padding:0 6px;border-radius:4px;font-size:12px;font-weight:600;color:#fff}
.badge.error{background:#dc2626}.badge.warn{background:#d97706}.badge.info{background:#2563eb}
.mark{font-weight:700}.mark.ok{color:#16a34a}.mark.fail{color:#dc2626}.mark.warn{color:#d97706}.mark.info{color:#2563eb}
.ok{color:#166534}
.scroll{overflow-x:auto}
table.heatmap td.cell{width:28px;min-width:28px;height:22px;padding:0;text-align:center;font-size:10px;border:1px solid #fff}
table.heatmap td.none{background:#e5e7eb}
table.heatmap th.table{white-space:nowrap;font-weight:normal;font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:12px}
table.heatmap th.month{font-size:11px;font-weight:normal;padding:2px}
table.heatmap th.season{text-align:center;font-size:12px}
.legend{display:flex;align-items:center;gap:12px;color:#4b5563;font-size:12px;margin-bottom:6px}
.legend text{font-size:10px;fill:#374151}
.swatch{display:inline-block;width:12px;height:12px;vertical-align:middle;border:1px solid #9ca3af}
details summary{cursor:pointer;color:#374151;margin:4px 0}
ul.notes{margin:4px 0 0 18px;padding:0;color:#1e3a8a}
code{font-size:12px}
td code{display:inline-block;min-width:18em;max-width:30em;word-break:break-all}
table:not(.heatmap){width:100%}
table:not(.heatmap) td{overflow-wrap:anywhere}
.nw,.mark,.badge{white-space:nowrap;overflow-wrap:normal}
"""

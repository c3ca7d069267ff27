"""The markdown report, for a pull request: summary table, failing checks, per-section tables."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from runner.validate.feature_health import KIND_LABEL, PHASE_LABEL
from runner.validate.render import summary
from runner.validate.report import Report, Section

# A section's detail table can hold hundreds of rows (tables x months over five seasons);
# a pull request shows the first ones and says how many were left out.
MAX_DETAIL_ROWS = 60
_ICON = {"ok": "✅", "info": "ℹ️", "warn": "⚠️", "fail": "❌"}


def to_markdown(report: Report) -> str:
    mark, line = summary.verdict(report)
    out = [f"## Validation {summary.period(report)} on `{cell(report.target)}`", ""]
    out.append(f"**{_ICON[mark]} {cell(line)}**")
    readiness = summary.readiness_line(report)
    if readiness is not None:
        out += ["", f"**{_ICON[readiness[0]]} {cell(readiness[1])}**"]
    meta = [f"generated {report.generated_at}", f"schema v{report.version}"]
    if report.seconds is not None:
        meta.insert(1, f"{report.seconds:.1f}s")
    if report.select:
        meta.insert(0, "select " + " ".join(report.select))
    out += ["", "_" + " · ".join(cell(m) for m in meta) + "_", ""]

    out += ["### Summary", ""]
    out += table(
        ["", "section", "checks", "failing", "status"],
        [[_ICON[s.mark], s.title, s.checks, s.failed, s.line]
         for s in map(summary.section_status, report.sections)],
    )

    failing = summary.failing_checks(report)
    out += ["", f"### Failing checks ({len(failing)})", ""]
    if failing:
        out += table(
            ["severity", "check", "message", "observed", "threshold", "examples"],
            [[c.severity, f"`{c.name}`", c.message or c.title, c.observed, c.threshold, summary.fmt_examples(c.examples)]
             for c in failing],
        )
    else:
        out.append("None.")
    notes = summary.info_notes(report)
    if notes:
        out += ["", f"### Information ({len(notes)})", ""]
        out += [f"- `{cell(name)}` {cell(text)}" for name, text in notes]

    if report.readiness is not None and report.readiness.thresholds:
        out += ["", "### ML training readiness", ""]
        out += table(
            ["threshold", "observed", "target", "minimum", "passed", "months responsible"],
            [[t.name, t.observed, t.target, t.minimum, "yes" if t.passed else "**no**", ", ".join(t.months)]
             for t in report.readiness.thresholds],
        )

    for section in report.sections:
        out += ["", *section_markdown(section)]
        if section.id == "feature_health":
            out += drift_markdown(report)
    return "\n".join(out) + "\n"


def drift_markdown(report: Report) -> list[str]:
    """The feature-months that reached info or warn, worst first (the HTML heatmap's flagged cells)."""
    health = report.feature_health
    flagged = [(m, f) for m in (health.months if health else []) for f in m.flags]
    if not flagged:
        return []
    flagged.sort(key=lambda mf: (mf[1].severity != "warn", mf[0].index, mf[0].month))
    shown = flagged[:MAX_DETAIL_ROWS]
    out = ["", f"<details><summary>Feature drift: {len(flagged)} flagged feature-month checks</summary>", ""]
    out += table(["severity", "feature", "month", "phase", "check", "observed", "baseline", "threshold",
                  "baseline months"],
                 [[f.severity, f"{m.feature} (#{m.index})", m.month, PHASE_LABEL.get(m.phase, m.phase),
                   KIND_LABEL[f.kind], f.observed, f.baseline, f.threshold, ", ".join(m.baseline_months)]
                  for m, f in shown])
    if len(flagged) > len(shown):
        out += ["", f"_… {len(flagged) - len(shown)} more in the JSON or HTML report._"]
    return out + ["", "</details>"]


def section_markdown(section: Section) -> list[str]:
    status = summary.section_status(section)
    out = [f"### {_ICON[status.mark]} {cell(section.title)} (`{section.id}`)", ""]
    if section.checks:
        out += table(
            ["", "check", "severity", "observed", "threshold", "message"],
            [[_ICON["ok"] if c.passed else _ICON["fail"], c.title, c.severity, c.observed, c.threshold, c.message]
             for c in section.checks],
        )
    if section.columns:
        shown = section.rows[:MAX_DETAIL_ROWS]
        out += ["", f"<details><summary>{cell(section.title)}: {len(section.rows)} rows</summary>", ""]
        out += table(section.columns, shown)
        if len(section.rows) > len(shown):
            out += ["", f"_… {len(section.rows) - len(shown)} more rows in the JSON or HTML report._"]
        out += ["", "</details>"]
    return out


def table(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[str]:
    lines = ["| " + " | ".join(cell(c) for c in columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return lines


def cell(value: Any) -> str:
    """A value safe inside a markdown table cell: no pipes, no line breaks, no raw HTML."""
    text = value if isinstance(value, str) else summary.fmt_value(value)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("|", "\\|").replace("\r", " ").replace("\n", "<br>")

"""TEMPORARY STAND-IN (validate branch only): the render helper owns the real
``runner.validate.render`` (terminal, JSON, markdown, HTML with the heatmap);
the lead takes theirs at merge. This keeps the one entry point the validate
command and the demo call, ``render_report(report, fmt, console, output)``,
with a minimal rendering per format.
"""
from __future__ import annotations

import html
import json
from pathlib import Path

from runner.console import Console
from runner.validate.report import Report


def render(report: Report, fmt: str) -> str:
    """The report as text in a format (json, markdown, html); table goes to the console."""
    if fmt == "json":
        return json.dumps(report.to_dict(), indent=2, default=str)
    lines = [f"# Validation {report.start_date}..{report.end_date}", ""]
    if report.readiness is not None:
        lines += [f"**{report.readiness.line}**", ""]
    for check in report.failing():
        lines.append(f"- {check.severity.upper()} `{check.name}`: {check.message or check.title}")
    text = "\n".join(lines) + "\n"
    if fmt == "html":
        return f"<!doctype html><html><body><pre>{html.escape(text)}</pre></body></html>\n"
    return text


def render_report(report: Report, fmt: str, console: Console, output: Path | None = None) -> None:
    if fmt != "table":
        text = render(report, fmt)
        if output is None:
            console.json(text.rstrip("\n"))
        else:
            output.parent.mkdir(parents=True, exist_ok=True)
            output.write_text(text)
            console.info(f"report written to {output}")
        return
    print_summary(report, console)


def print_summary(report: Report, console: Console) -> None:
    """Terminal summary: what is wrong first, then each section's table, the verdict last."""
    failing = report.failing()
    if failing:
        console.table("Failing checks (most severe first)", ["severity", "check", "observed", "threshold", "message"],
                      [[c.severity, c.name, c.observed, c.threshold, c.message] for c in failing])
    for section in report.sections:
        if section.rows and section.id != "readiness":
            console.table(section.title, section.columns, section.rows[:40])
    passed = sum(1 for c in report.checks() if c.passed)
    console.info(f"{passed} of {len(report.checks())} checks passed over {report.start_date}..{report.end_date}"
                 f" ({report.seconds or 0:.1f} s)")
    if report.readiness is not None:
        console.table("ML-training readiness", ["threshold", "observed", "target", "minimum", "passed", "months"],
                      [[t.name, t.observed, t.target, t.minimum, t.passed, ", ".join(t.months)]
                       for t in report.readiness.thresholds])
        console.info(f"Training readiness: {report.readiness.line}")

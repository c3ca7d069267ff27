"""The terminal summary: what is wrong first, then one line per section, the verdict last."""
from __future__ import annotations

from runner.console import Console
from runner.validate.report import Check, Report
from runner.validate.render.summary import (
    fmt_examples,
    fmt_value,
    period,
    readiness_line,
    section_status,
    verdict,
)


def render_table(report: Report, console: Console) -> None:
    console.rule(f"Validation {period(report)} on {report.target}")
    failing = report.failing()
    if failing:
        rows = [[c.severity.upper(), _message(c), fmt_value(c.observed), c.threshold or "—"] for c in failing]
        console.table(f"Failing checks ({len(failing)})", ["severity", "check", "observed", "threshold"], rows, left=2)
    else:
        console.mark("ok", "no failing checks")
    console.rule("Sections")
    for section in report.sections:
        status = section_status(section)
        console.mark(status.mark, f"{status.id}: {status.line}")
    timing = "" if report.seconds is None else f" in {report.seconds:.1f}s"
    console.rule(f"Verdict{timing}")
    console.mark(*verdict(report))
    readiness = readiness_line(report)
    if readiness is not None:
        console.mark(*readiness)


def _message(check: Check) -> str:
    """The check's id, then what is wrong, then example rows: long ids wrap instead of being cut."""
    text = f"{check.name}\n{check.message or check.title}"
    return text + (f"\ne.g. {fmt_examples(check.examples, limit=1)}" if check.examples else "")

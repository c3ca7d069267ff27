"""The terminal summary: what is wrong first, then one line per section, the verdict last."""
from __future__ import annotations

from runner.console import Console
from runner.validate.feature_health import PHASE_LABEL, flag_detail
from runner.validate.render import summary
from runner.validate.report import Check, Report


def render_table(report: Report, console: Console) -> None:
    console.rule(f"Validation {summary.period(report)} on {report.target}")
    failing = summary.failing_checks(report)
    if failing:
        rows = [[c.severity.upper(), _message(c), summary.fmt_value(c.observed), c.threshold or "—"] for c in failing]
        console.table(f"Failing checks ({len(failing)})", ["severity", "check", "observed", "threshold"], rows, left=2)
    else:
        console.mark("ok", "no failing checks")
    notes = summary.info_notes(report)
    if notes:
        console.rule(f"Information ({len(notes)})")
        for name, text in notes:
            console.mark("info", f"{name}: {text}")
    _drift(report, console)
    console.rule("Sections")
    for section in report.sections:
        status = summary.section_status(section)
        console.mark(status.mark, f"{status.id}: {status.line}")
    timing = "" if report.seconds is None else f" in {report.seconds:.1f}s"
    console.rule(f"Verdict{timing}")
    console.mark(*summary.verdict(report))
    readiness = summary.readiness_line(report)
    if readiness is not None:
        console.mark(*readiness)


def _message(check: Check) -> str:
    """The check's id, then what is wrong, then example rows: long ids wrap instead of being cut."""
    text = f"{check.name}\n{check.message or check.title}"
    return text + (f"\ne.g. {summary.fmt_examples(check.examples, limit=1)}" if check.examples else "")


def _drift(report: Report, console: Console, limit: int = 12) -> None:
    """The feature_health section's flagged months, worst first (the HTML heatmap's flagged cells)."""
    health = report.feature_health
    months = sorted((m for m in (health.months if health else []) if m.flags),
                    key=lambda m: (-(m.score or 0.0), m.index, m.month))
    if not months:
        return
    rows = [["WARN" if any(f.severity == "warn" for f in m.flags) else "INFO", f"{m.feature} (#{m.index})",
             f"{m.month} {PHASE_LABEL.get(m.phase, m.phase)}", "; ".join(flag_detail(m, f) for f in m.flags)]
            for m in months[:limit]]
    if len(months) > limit:
        rows.append(["", f"+{len(months) - limit} more", "", "--format html or json"])
    console.table(f"Feature drift: flagged months ({len(months)})", ["severity", "feature", "month", "checks"],
                  rows, left=2)

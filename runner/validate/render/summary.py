"""What every format shows the same way: value formatting, per-section status, the verdict."""
from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from runner.console import Mark
from runner.validate.report import SEVERITY_RANK, Check, CoverageCell, Report, Section

# A failed check's severity decides the status mark of its section and of the report.
_MARK_OF_SEVERITY: dict[str, Mark] = {"error": "fail", "warn": "warn", "info": "info"}
_SEVERITIES = sorted(SEVERITY_RANK, key=lambda s: -SEVERITY_RANK[s])  # error, warn, info


def fmt_value(value: Any) -> str:
    """One cell as text: '—' for missing, thousands separators, short floats."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, (float, Decimal)):
        value = float(value)
        if abs(value) >= 1 or value == 0:
            return f"{value:,.2f}".rstrip("0").rstrip(".")
        return f"{value:.4g}"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def fmt_examples(examples: list[dict[str, Any]], limit: int = 3) -> str:
    """A check's example rows on one line: 'game_date=2024-11-03, player_lookup=x; ...'."""
    shown = "; ".join(", ".join(f"{k}={fmt_value(v)}" for k, v in ex.items()) for ex in examples[:limit])
    more = len(examples) - limit
    return shown + (f" (+{more} more)" if more > 0 else "")


def failing_checks(report: Report) -> list[Check]:
    """What the "Failing checks" lists show: the failed warn and error checks, most severe first.
    A failed info check is a note (info_notes), never a failure."""
    return report.failing("warn")


def info_notes(report: Report) -> list[tuple[str, str]]:
    """The failed info checks as (check or section id, one line): one line per check, except two
    sections that collapse into one line each: freshness (on the simulator every source is old by
    design) and feature_health (its flagged months have their own table and heatmap)."""
    notes: list[tuple[str, str]] = []
    for section in report.sections:
        infos = [c for c in section.checks if not c.passed and c.severity == "info"]
        if section.id == "freshness" and len(infos) > 1:
            notes.append((section.id, _freshness_line(infos)))
        elif section.id == "feature_health" and len(infos) > 1:
            months = sum(int(c.observed or 0) for c in infos)
            names = ", ".join(c.name.removeprefix("feature_health.") for c in infos)
            notes.append((section.id, f"{len(infos)} features with info-level drift ({months} feature-months): {names}"))
        else:
            notes += [(c.name, c.message or c.title) for c in infos]
    return notes


def _freshness_line(checks: list[Check]) -> str:
    hours = sorted(float(c.observed) for c in checks if isinstance(c.observed, (int, float)))
    ages = f"newest rows {fmt_value(hours[0])}-{fmt_value(hours[-1])} h old" if hours else "ages unknown"
    simulated = all("simulated history" in c.message for c in checks)
    why = "simulated history, old by design" if simulated else "past dbt's freshness thresholds"
    return f"{len(checks)} raw sources: {ages} ({why})"


def failing_counts(report: Report) -> Counter[str]:
    return Counter(c.severity for c in report.failing())


def counts_text(counts: Counter[str]) -> str:
    """'2 error, 1 warn' (most severe first); '' when nothing failed."""
    return ", ".join(f"{counts[s]} {s}" for s in _SEVERITIES if counts[s])


@dataclass(frozen=True)
class SectionStatus:
    id: str
    title: str
    mark: Mark
    checks: int
    failed: int
    line: str       # one-line summary: what fails first, else how many checks pass


def section_status(section: Section) -> SectionStatus:
    failed = sorted((c for c in section.checks if not c.passed), key=lambda c: -SEVERITY_RANK[c.severity])
    if not failed:
        n = len(section.checks)
        line = f"{n} check{'s' if n != 1 else ''} pass{'es' if n == 1 else ''}" if n else "no checks"
        return SectionStatus(section.id, section.title, "ok", len(section.checks), 0, line)
    counts = counts_text(Counter(c.severity for c in failed))
    worst = failed[0]
    line = f"{len(failed)}/{len(section.checks)} failing ({counts}): {worst.message or worst.title}"
    mark = _MARK_OF_SEVERITY[worst.severity]
    return SectionStatus(section.id, section.title, mark, len(section.checks), len(failed), line)


def verdict(report: Report) -> tuple[Mark, str]:
    """The report's overall line: PASS, or FAIL/WARN with the failing counts."""
    total = len(report.checks())
    counts = failing_counts(report)
    if not counts:
        return "ok", f"PASS: all {total} checks pass"
    worst = next(s for s in _SEVERITIES if counts[s])
    if worst == "info":
        return "info", f"PASS: no warn or error check fails; {counts['info']} of {total} checks flagged (info)"
    word = {"error": "FAIL", "warn": "WARN"}[worst]
    info = counts.pop("info", 0)
    flagged = f"; {info} flagged (info)" if info else ""
    return (_MARK_OF_SEVERITY[worst],
            f"{word}: {sum(counts.values())} of {total} checks failing ({counts_text(counts)}){flagged}")


def readiness_line(report: Report) -> tuple[Mark, str] | None:
    if report.readiness is None:
        return None
    ready = report.readiness.verdict == "READY"
    return ("ok" if ready else "fail"), f"ML training readiness: {report.readiness.line}"


def cell_pct(cell: CoverageCell) -> float | None:
    """A heatmap cell's coverage: the worse of game dates and rows vs expected (what is wrong shows)."""
    known = [p for p in (cell.date_pct, cell.row_pct) if p is not None]
    return min(known) if known else None


def period(report: Report) -> str:
    return f"{report.start_date.isoformat()} .. {report.end_date.isoformat()}"

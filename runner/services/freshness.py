"""The `freshness` section of the validation report: `dbt source freshness` over the raw sources.

The thresholds live in one place, the sources' yml (models/staging/nba_raw/_nba_raw__sources.yml:
``loaded_at_field: processed_at``, warn after 36 h, error after 84 h). dbt computes each source's
age; this module turns dbt's verdicts into report checks.

Severity: on a production target (BigQuery) a stale source is what dbt says it is, a warning or an
error. On the embedded simulator the raw tables hold simulated history: their newest
``processed_at`` is the simulated scrape of the last simulated game day, months or years ago, so
every source is stale by design and dbt says error. There the checks are ``info``: the report
shows the ages (so the section is never empty) and a stale simulated source never fails
`validate` or the demo.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from runner.config import Settings
from runner.validate.report import Check, Section

SECTION_ID = "freshness"
COLUMNS = ["source", "newest processed_at", "age (hours)", "dbt status", "warn after", "error after"]


def freshness_section(settings: Settings, dbt: Any | None = None) -> Section:
    """Run `dbt source freshness` on the settings' target and report one check per source table."""
    from runner.dbt import Dbt

    dbt = dbt or Dbt(settings)
    outcome, results = dbt.source_freshness()
    section = section_from_results(results, embedded=settings.is_embedded)
    if outcome.error and not results:
        section.checks.append(Check(
            SECTION_ID, "freshness.dbt", "dbt source freshness ran", "error", False,
            message=f"dbt source freshness could not run: {outcome.error}"))
    return section


def section_from_results(results: Iterable[Any], embedded: bool) -> Section:
    """One check per source table from dbt's freshness results (pure: fast-testable)."""
    section = Section(SECTION_ID, "Source freshness (dbt source freshness, loaded_at_field processed_at)",
                      columns=list(COLUMNS))
    for r in sorted(results, key=lambda r: _source_name(r)):
        name = _source_name(r)
        status = str(getattr(getattr(r, "status", None), "value", getattr(r, "status", "")) or "")
        warn, error = _thresholds(r)
        age = getattr(r, "age", None)
        hours = None if age is None else round(float(age) / 3600.0, 1)
        newest = getattr(r, "max_loaded_at", None)
        passed, severity = verdict(status, embedded)
        if status == "pass":
            message = f"{name}: newest row {hours} h old"
        elif status in ("warn", "error"):
            message = (f"{name}: newest row loaded {_when(newest)}, {hours} h old (dbt: {status}; "
                       f"warn after {warn}, error after {error})")
            if embedded:
                message += "; simulated history is old by design, so this is information only"
        else:
            message = f"{name}: freshness could not be checked ({status}): {getattr(r, 'message', '')}"
        section.checks.append(Check(
            SECTION_ID, f"freshness.{name}", f"{name}: newest row loaded within the thresholds",
            severity, passed, observed=hours, threshold=f"warn > {warn}, error > {error}", message=message,
        ))
        section.rows.append([name, _when(newest), hours, status, warn, error])
    return section


def verdict(status: str, embedded: bool) -> tuple[bool, str]:
    """(passed, severity) of a source from dbt's freshness status on this kind of target."""
    passed = status == "pass"
    if embedded and status in ("pass", "warn", "error"):
        return passed, "info"
    if status == "warn":
        return False, "warn"
    return passed, "error" if not passed else "warn"


def _source_name(r: Any) -> str:
    node = getattr(r, "node", None)
    if node is None:
        return "?"
    return f"{getattr(node, 'source_name', '?')}.{getattr(node, 'name', '?')}"


def _thresholds(r: Any) -> tuple[str | None, str | None]:
    node = getattr(r, "node", None)
    freshness = getattr(node, "freshness", None) or getattr(getattr(node, "config", None), "freshness", None)
    return _period(getattr(freshness, "warn_after", None)), _period(getattr(freshness, "error_after", None))


def _period(t: Any) -> str | None:
    if t is None or getattr(t, "count", None) is None:
        return None
    period = str(getattr(getattr(t, "period", None), "value", getattr(t, "period", "")))
    return f"{t.count} {period}{'s' if t.count != 1 else ''}"


def _when(value: Any) -> str | None:
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0).isoformat(sep=" ")
    return None if value is None else str(value)

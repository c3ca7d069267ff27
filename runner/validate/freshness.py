"""The `freshness` section of the validation report: `dbt source freshness`, computed in one query.

The thresholds live in one place, the sources' yml (models/staging/nba_raw/_nba_raw__sources.yml:
``loaded_at_field: processed_at``, warn after 36 h, error after 84 h). The macro
``validation_source_freshness`` (macros/validation/run_checks.sql) reads, per source table, the newest
``loaded_at_field``, the warehouse's current timestamp and those thresholds, inside validate's one
batch of queries; this module applies dbt's rule to the age (``status``: error past error_after,
else warn past warn_after, else pass; an empty table is dbt's runtime error), so validate needs no
dbt invocation. ``runner/tests/validate/test_validate_cache.py`` checks the verdicts against
``dbt source freshness`` itself.

Severity: on a production target (BigQuery) a stale source is what dbt says it is, a warning or an
error. On the embedded simulator the raw tables hold simulated history: their newest
``processed_at`` is the simulated scrape of the last simulated game day, months or years ago, so
every source is stale by design and dbt says error. There the checks are ``info``: the report
shows the ages (so the section is never empty) and a stale simulated source never fails
`validate` or the demo.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from types import SimpleNamespace
from typing import Any

from runner.validate.report import Check, Section

SECTION_ID = "freshness"
COLUMNS = ["source", "newest processed_at", "age (hours)", "dbt status", "warn after", "error after"]
PERIOD_SECONDS = {"minute": 60, "hour": 3600, "day": 86400}


def freshness_section(rows: Iterable[Mapping[str, Any]], embedded: bool) -> Section:
    """The section from the rows of ``validation_source_freshness``: one check per source table."""
    return section_from_results([result_from_row(r) for r in rows], embedded)


def result_from_row(row: Mapping[str, Any]) -> Any:
    """One source's freshness as dbt reports it (status, age in seconds, max_loaded_at, the node's
    thresholds), from a row of ``validation_source_freshness``."""
    warn = SimpleNamespace(count=row.get("warn_count"), period=row.get("warn_period"))
    error = SimpleNamespace(count=row.get("error_count"), period=row.get("error_period"))
    node = SimpleNamespace(source_name=row["source_name"], name=row["table_name"],
                           freshness=SimpleNamespace(warn_after=warn, error_after=error))
    newest = _utc(row.get("max_loaded_at"))
    if newest is None:  # dbt: UnexpectedNullError on an empty table (or a NULL loaded_at_field)
        return SimpleNamespace(node=node, status="runtime error", age=None, max_loaded_at=None,
                               message="no row has a loaded_at_field value (empty table?)")
    age = (_utc(row["snapshotted_at"]) - newest).total_seconds()
    return SimpleNamespace(node=node, status=freshness_status(age, warn, error), age=age, max_loaded_at=newest, message=None)


def freshness_status(age_seconds: float, warn_after: Any, error_after: Any) -> str:
    """dbt's FreshnessThreshold.status: error past error_after, else warn past warn_after, else pass."""
    if _exceeded(error_after, age_seconds):
        return "error"
    if _exceeded(warn_after, age_seconds):
        return "warn"
    return "pass"


def _exceeded(threshold: Any, age_seconds: float) -> bool:
    count, period = getattr(threshold, "count", None), getattr(threshold, "period", None)
    if count is None or period is None:
        return False
    return age_seconds > int(count) * PERIOD_SECONDS[str(period)]


def _utc(value: Any) -> dt.datetime | None:
    """dbt's rule: a naive timestamp is UTC; an aware one is converted to UTC."""
    if value is None:
        return None
    if not isinstance(value, dt.datetime):
        value = dt.datetime.fromisoformat(str(value))
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


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

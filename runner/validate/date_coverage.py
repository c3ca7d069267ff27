"""Coverage of the date models that declare no expected row count, for the coverage heatmap.

A model's heatmap cells come from its coverage_vs_expected gate test (rows vs expected rows).
The Phase 4 tables dated by analysis_date or cache_date (team_defense_zone_analysis,
player_shot_zone_analysis, player_daily_cache) have no such test: their players or teams are
not the day's players. Their cells say how many of the month's expected game dates (the
schedule's final-game dates, bootstrap days left out for the models that skip them, the rule of
the gaps section) have rows, with the rows found and no expected row count
(``validation_date_coverage``, macros/validation/coverage.sql).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from runner.validate.report import CoverageCell, Report, Section

QUERY_ID = "coverage_dates"


def tables_without_gate(tables: Iterable[Any]) -> list[Any]:
    """The date models (validate's TableSpec) whose yml declares no coverage gate test."""
    return [t for t in tables if not any(test["is_gate"] for test in t.coverage_tests)]


def query(tables: Sequence[Any]) -> str:
    """The Jinja SQL of their per-month date coverage (one query for all of them)."""
    entries = ", ".join(
        f"{{'name': '{t.name}', 'relation': {t.relation}, 'date_column': '{t.date_column}', "
        f"'skip_bootstrap': {t.bootstrap == 'skip'}}}" for t in tables)
    return f"{{{{ validation_date_coverage([{entries}]) }}}}"


def add_cells(rows: Iterable[Mapping[str, Any]] | None, section: Section, report: Report, table: str) -> None:
    """The table's heatmap cells and coverage detail rows, one per month (no expected rows)."""
    for r in sorted((r for r in rows or () if r["table_name"] == table), key=lambda r: r["month"]):
        cell = CoverageCell(r["table_name"], r["month"], int(r["season_year"]), int(r["dates_with_rows"]),
                            int(r["expected_dates"]), int(r["rows_found"]), None)
        report.coverage.append(cell)
        section.rows.append([cell.table, str(cell.season), cell.month, cell.dates_with_rows, cell.expected_dates,
                             cell.rows, None, None, None])

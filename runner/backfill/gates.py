"""Gates of a chunk: which dates of one model's dbt build failed, and why.

The model's data tests ran on the chunk (its audit twin): in the model's dbt build, those that
failed or warned again with --store-failures (execute.build_with_failures), or as SQL compiled
once with their rows stored the same way (gate_sql.py); so their rows can be read. A failing
test whose stored rows have a ``test_date`` (coverage_vs_expected, no_missing_game_dates, ...), or else
the model's date column (singular tests returning the offending rows), fails
exactly those dates, with the numbers it stored (rows_found, rows_expected,
coverage_pct, min_pct) in the reason; any other failing test, or a SQL
error of the model, fails every date of the chunk. A gate cannot pass
silently: a failing test whose rows name no date of the chunk (they are
undated, or dated outside it) fails every date of the chunk, and undated
rows beside dated ones do too. Tests of severity warn add warnings to their
dates the same way.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from runner.dbt import DbtOutcome, NodeResult
from runner.warehouse import as_date

FailureReader = Callable[[str], list[dict[str, Any]]]


@dataclass
class ChunkVerdict:
    failed: dict[dt.date, str] = field(default_factory=dict)
    warnings: dict[dt.date, list[str]] = field(default_factory=dict)
    # numbers of a failing coverage test on its dates: (rows_expected, coverage_pct)
    coverage: dict[dt.date, tuple[int, float | None]] = field(default_factory=dict)


def judge_chunk(
    outcome: DbtOutcome,
    model_name: str,
    dates: Sequence[dt.date],
    read_failures: FailureReader,
    date_column: str = "game_date",
) -> ChunkVerdict:
    verdict = ChunkVerdict()
    in_chunk = set(dates)
    reasons: dict[dt.date, list[tuple[int, str]]] = {}  # (0 = has coverage numbers, reason)

    def fail_all(reason: str) -> None:
        for day in dates:
            verdict.failed.setdefault(day, reason)

    if outcome.error:
        fail_all(f"dbt could not run: {_short(outcome.error)}")
        return verdict
    model_nodes = [n for n in outcome.nodes if n.resource_type == "model" and n.name == model_name]
    if not model_nodes:
        fail_all("dbt did not build the model (see the run log)")
        return verdict
    model_node = model_nodes[0]
    if model_node.status not in ("success", "pass"):
        fail_all(f"SQL {model_node.status}: {_short(model_node.message or 'see the dbt log')}")
        return verdict

    for node in outcome.nodes:
        if node.resource_type != "test" or node.status in ("pass", "success", "skipped"):
            continue
        warn = node.status == "warn"
        rows = read_failures(node.relation_name) if node.relation_name else []
        key = "test_date" if any("test_date" in r for r in rows) else date_column
        per_day: dict[dt.date, list[dict[str, Any]]] = {}
        undated = outside = 0
        for row in rows:
            if row.get(key) is None:
                undated += 1
                continue
            day = as_date(row[key])
            if day in in_chunk:
                per_day.setdefault(day, []).append(row)
            else:
                outside += 1
        for day, day_rows in sorted(per_day.items()):
            reason = f"{node.name}: {describe_failure(day_rows[0])}"
            if len(day_rows) > 1:
                reason += f" (+{len(day_rows) - 1} more failing rows)"
            if warn:
                verdict.warnings.setdefault(day, []).append(reason)
            else:
                row = day_rows[0]
                has_numbers = "rows_expected" in row
                reasons.setdefault(day, []).append((0 if has_numbers else 1, reason))
                if has_numbers and day not in verdict.coverage:
                    pct = row.get("coverage_pct")
                    verdict.coverage[day] = (int(row["rows_expected"]), None if pct is None else float(pct))
        if per_day and not undated:
            continue
        # nothing (or not everything) it found can be put on a date of the chunk: the whole chunk
        reason = _test_reason(node, undated=undated, outside=outside)
        for day in dates:
            if warn:
                verdict.warnings.setdefault(day, []).append(reason)
            else:
                reasons.setdefault(day, []).append((2, reason))
    for day, found in reasons.items():
        verdict.failed[day] = "; ".join(reason for _, reason in sorted(found))
    return verdict


def describe_failure(row: dict[str, Any]) -> str:
    """The numbers a stored failure gives, in one phrase."""
    if "rows_checked" in row and "null_rows" in row:  # null_rate_below
        column = row.get("column_checked") or "the column"
        if not row["rows_checked"]:
            return f"no row to judge {column} on (0 rows match the test's filter)"
        text = f"{column} NULL on {row['null_rows']} of {row['rows_checked']} rows"
        if row.get("null_pct") is not None and row.get("max_null_pct") is not None:
            text += f" ({float(row['null_pct']):.1f} % > {float(row['max_null_pct']):g} %)"
        return text
    if "rows_found" in row and "rows_expected" in row:
        text = f"{row['rows_found']} rows of {row['rows_expected']} expected"
        if row.get("coverage_pct") is not None:
            text += f" ({float(row['coverage_pct']):.1f} %"
            text += f" < {float(row['min_pct']):g} %)" if row.get("min_pct") is not None else ")"
        return text
    others = {k: v for k, v in row.items() if k != "test_date" and not isinstance(v, (dt.date, dt.datetime))}
    return ", ".join(f"{k}={v}" for k, v in list(others.items())[:4]) or "date failed"


def _test_reason(node: NodeResult, undated: int = 0, outside: int = 0) -> str:
    if node.status == "error":
        return f"test {node.name} errored: {_short(node.message or '')}"
    where = []
    if undated:
        where.append(f"{undated} without a date")
    if outside:
        where.append(f"{outside} dated outside the chunk")
    verb = "warned" if node.status == "warn" else "failed"
    return f"test {node.name} {verb} ({node.failures or '?'} failing rows{': ' + ', '.join(where) if where else ''})"


def _short(text: str, limit: int = 300) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"

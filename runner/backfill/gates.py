"""Gates of a chunk: which dates of one model's dbt build failed, and why.

The model's dbt tests ran in the same invocation, scoped to the chunk by the
vars, with --store-failures. A failing test whose stored rows have a
``test_date`` (coverage_vs_expected, no_missing_game_dates, ...) fails
exactly those dates, with the numbers it stored (rows_found, rows_expected,
coverage_pct, min_pct) in the reason; any other failing test, or a SQL
error of the model, fails every date of the chunk. Tests of severity warn
add warnings to their dates.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from runner.dbt import DbtOutcome, NodeResult

FailureReader = Callable[[str], list[dict[str, Any]]]


@dataclass
class ChunkVerdict:
    failed: dict[dt.date, str] = field(default_factory=dict)
    warnings: dict[dt.date, list[str]] = field(default_factory=dict)


def judge_chunk(
    outcome: DbtOutcome, model_name: str, dates: Sequence[dt.date], read_failures: FailureReader
) -> ChunkVerdict:
    verdict = ChunkVerdict()
    in_chunk = set(dates)

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
        dated = [r for r in rows if r.get("test_date") is not None]
        if dated:
            for row in dated:
                day = _as_date(row["test_date"])
                if day not in in_chunk:
                    continue
                reason = f"{node.name}: {describe_failure(row)}"
                if warn:
                    verdict.warnings.setdefault(day, []).append(reason)
                else:
                    verdict.failed.setdefault(day, reason)
        elif warn:
            for day in dates:
                verdict.warnings.setdefault(day, []).append(f"{node.name}: {node.failures or '?'} failing rows")
        else:
            fail_all(_test_reason(node))
    return verdict


def describe_failure(row: dict[str, Any]) -> str:
    """The numbers a stored failure gives, in one phrase."""
    if "rows_found" in row and "rows_expected" in row:
        text = f"{row['rows_found']} rows of {row['rows_expected']} expected"
        if row.get("coverage_pct") is not None:
            text += f" ({float(row['coverage_pct']):.1f} %"
            text += f" < {float(row['min_pct']):g} %)" if row.get("min_pct") is not None else ")"
        return text
    others = {k: v for k, v in row.items() if k != "test_date"}
    return ", ".join(f"{k}={v}" for k, v in list(others.items())[:4]) or "date failed"


def _test_reason(node: NodeResult) -> str:
    if node.status == "error":
        return f"test {node.name} errored: {_short(node.message or '')}"
    return f"test {node.name} failed ({node.failures or '?'} failing rows)"


def _short(text: str, limit: int = 300) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])

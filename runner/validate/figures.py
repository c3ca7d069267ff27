"""What the validate sections and the readiness verdict share: shares in percent, dates listed in a
message, the feature store's totals (over the rows of ``validation_feature_store_health``), and the
thresholds row (``validation_thresholds``: the dbt vars, their one home; no default is repeated here)."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from runner.errors import UsageError


def threshold(row: dict[str, Any], column: str) -> float:
    """A column of the thresholds row (macros/validation/checks.sql validation_thresholds, the dbt vars)."""
    value = row.get(column)
    if value is None:
        raise UsageError(f"the thresholds row (validation_thresholds) has no {column}: set its dbt var in "
                         "dbt_project.yml")
    return float(value)


def pct(part: float | int | None, whole: float | int | None) -> float | None:
    return None if not whole else round(100.0 * (part or 0) / whole, 2)


def fmt_pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f} %"


def fs_totals(rows: Iterable[dict[str, Any]]) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for r in rows:
        for k, v in r.items():
            if k not in ("game_date", "month"):
                out[k] += int(v or 0)
    out["real_rows"] = out["total_rows"] - out["placeholder_rows"]
    return out


def dates_text(days: Sequence[Any], limit: int = 8) -> str:
    """The first ``limit`` dates (or any items) of a message, and how many more."""
    shown = ", ".join(str(d) for d in days[:limit])
    return shown + (f" (+{len(days) - limit} more)" if len(days) > limit else "")


def runs(days: Sequence[dt.date]) -> list[str]:
    """Consecutive calendar dates collapsed: 2024-11-05..2024-11-07, 2024-11-20."""
    out: list[list[dt.date]] = []
    for day in sorted(days):
        if out and (day - out[-1][-1]).days == 1:
            out[-1].append(day)
        else:
            out.append([day])
    return [str(r[0]) if len(r) == 1 else f"{r[0]}..{r[-1]}" for r in out]

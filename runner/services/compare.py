"""Cross-engine equality: the same range built on DuckDB and on BigQuery holds the same rows.

For every date model of the project (Phase 3, Phase 4, feature store; the list and
each model's key come from the project model, runner/project.py: its date column and its
``unique_combination_of_columns`` test), the rows dated in the range are read
from both warehouses and matched on the key: the same keys, the same columns,
numbers equal within 1e-9 (absolute or relative), NaN equal to NaN, arrays and
structs equal element by element. Timestamps compare in UTC, decimals as floats.

    python -m runner.services.compare --duckdb PATH --target emulator --start-date D --end-date D
exits 1 and lists the differences when the engines disagree.
"""
from __future__ import annotations

import argparse
import datetime as dt
import decimal
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from runner.project import DateModel, load_project

TOLERANCE = 1e-9
MAX_LISTED = 5  # differences listed per table


def tables_of(manifest: Any) -> list[DateModel]:
    """The project's date models, each with its table, date column and key (``runner.project``)."""
    return list(load_project(manifest).models.values())


def compare_tables(left: Any, right: Any, tables: Sequence[DateModel], start: dt.date, end: dt.date,
                   ) -> tuple[dict[str, int], list[str]]:
    """(rows compared per table, differences) between two warehouses (``runner.warehouse``)."""
    counts: dict[str, int] = {}
    problems: list[str] = []
    for t in tables:
        exists = [w.relation_exists(t.schema, t.identifier) for w in (left, right)]
        if exists != [True, True]:
            if any(exists):
                problems.append(f"{t.name}: the table exists on the {'left' if exists[0] else 'right'} only")
            counts[t.name] = 0
            continue
        sql = f"select * from {t.schema}.{t.identifier} where {t.date_column} between ? and ?"
        a, b = (_keyed(w.dicts(sql, [start, end]), t) for w in (left, right))
        found = compare_rows(t.name, a, b)
        counts[t.name] = len(a)
        problems += found
    return counts, problems


def compare_rows(name: str, left: dict[tuple, dict], right: dict[tuple, dict]) -> list[str]:
    out: list[str] = []
    only_left, only_right = sorted(left.keys() - right.keys()), sorted(right.keys() - left.keys())
    if only_left:
        out.append(f"{name}: {len(only_left)} key(s) only on the left, e.g. {only_left[0]}")
    if only_right:
        out.append(f"{name}: {len(only_right)} key(s) only on the right, e.g. {only_right[0]}")
    listed = 0
    columns_reported = False
    for key in sorted(left.keys() & right.keys()):
        a, b = left[key], right[key]
        if a.keys() != b.keys() and not columns_reported:
            columns_reported = True
            out.append(f"{name}: columns differ: left only {sorted(a.keys() - b.keys())}, "
                       f"right only {sorted(b.keys() - a.keys())}")
        for column in sorted(a.keys() & b.keys()):
            if not same(a[column], b[column]):
                listed += 1
                if listed <= MAX_LISTED:
                    out.append(f"{name} {key} {column}: {a[column]!r} != {b[column]!r}")
    if listed > MAX_LISTED:
        out.append(f"{name}: … {listed - MAX_LISTED} more differing values")
    return out


def same(a: Any, b: Any) -> bool:
    a, b = _plain(a), _plain(b)
    if isinstance(a, float) or isinstance(b, float):
        if not isinstance(a, (int, float)) or not isinstance(b, (int, float)):
            return False
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return math.isclose(a, b, rel_tol=TOLERANCE, abs_tol=TOLERANCE)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return a == b


def compare_validations(left: dict, right: dict) -> list[str]:
    """Differences between two `validate --format json` reports of the same range: which checks
    pass (and the readiness verdict). Observed values may differ in time-dependent checks
    (freshness hours), so only each check's outcome is compared."""
    def outcomes(report: dict) -> dict[str, bool]:
        return {c["name"]: c["passed"] for s in report["sections"] for c in s["checks"]}

    a, b = outcomes(left), outcomes(right)
    out = [f"validate: check {name} only on the {'left' if name in a else 'right'}"
           for name in sorted(a.keys() ^ b.keys())]
    out += [f"validate: check {name} {'passes' if a[name] else 'fails'} on the left, "
            f"{'passes' if b[name] else 'fails'} on the right"
            for name in sorted(a.keys() & b.keys()) if a[name] != b[name]]
    verdicts = [(r.get("readiness") or {}).get("verdict") for r in (left, right)]
    if verdicts[0] != verdicts[1]:
        out.append(f"validate: readiness {verdicts[0]!r} != {verdicts[1]!r}")
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    if isinstance(value, tuple):
        return list(value)
    return value


def _keyed(rows: list[dict], table: DateModel) -> dict[tuple, dict]:
    out: dict[tuple, dict] = {}
    for row in rows:
        key = tuple(_plain(row[k]) for k in table.key_columns)
        if key in out:
            raise ValueError(f"{table.name}: key {table.key_columns} = {key} is not unique")
        out[key] = row
    return out


def main(argv: Sequence[str] | None = None) -> int:
    from runner.config import Settings
    from runner.dbt import Dbt
    from runner.warehouse import open_warehouse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duckdb", required=True, type=Path, help="the DuckDB file built over the range")
    parser.add_argument("--target", default="emulator", help="the BigQuery target built over the range")
    parser.add_argument("--start-date", required=True, type=dt.date.fromisoformat)
    parser.add_argument("--end-date", required=True, type=dt.date.fromisoformat)
    parser.add_argument("--validate-reports", nargs=2, type=Path, metavar=("DUCKDB_JSON", "OTHER_JSON"),
                        help="also compare the outcomes of two `validate --format json` reports")
    args = parser.parse_args(argv)
    duck = Settings.load(target="duckdb", duckdb_path=args.duckdb)
    tables = tables_of(Dbt(duck).manifest)
    with open_warehouse(duck) as left, open_warehouse(Settings.load(target=args.target)) as right:
        counts, problems = compare_tables(left, right, tables, args.start_date, args.end_date)
    for name, n in counts.items():
        print(f"  {name:<34}{n:>8} rows")
    if args.validate_reports:
        import json

        reports = [json.loads(p.read_text()) for p in args.validate_reports]
        problems += compare_validations(*reports)
        print(f"  validate: {sum(len(s['checks']) for s in reports[0]['sections'])} check outcomes compared")
    if problems:
        print(f"DuckDB and {args.target} differ:")
        print("\n".join(f"  {p}" for p in problems))
        return 1
    if not any(counts.values()):
        print("no rows compared: nothing was built in the range")
        return 1
    print(f"DuckDB = {args.target}: {sum(counts.values())} rows in {len(counts)} tables, "
          f"{args.start_date}..{args.end_date}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""What the harness runs in a fresh process when no CLI command does the same work.

    python -m bench.child parse [microbatch]    parse the project (the untimed warm-up before a measurement)
    python -m bench.child floor                 one in-process `dbt build --full-refresh` of every
                                                model and data test (no runner: the floor)
    python -m bench.child prepare               the non-date nodes the date models read (what the
                                                backfill builds first), without tests
    python -m bench.child microbatch START END  `dbt run` of the date models with dbt's microbatch
                                                strategy (var bench_strategy), daily batches START..END

Exit 0 when dbt succeeded, 1 otherwise; dbt's status counts go to stdout (the harness log).
"""
from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterable
from typing import Any

UNIT_TESTS = "resource_type:unit_test"
# `begin` only matters without --event-time-start/--event-time-end, which the harness always gives
MICROBATCH_VARS = {"bench_strategy": "microbatch", "bench_begin": "2000-01-01"}


SQL_MARK = "bench-sql: "


def sql_seconds(nodes: Iterable[Any]) -> dict[str, float]:
    """Summed execution seconds of the models (their building statements) and of the data tests,
    and the largest model's, from dbt's node results."""
    models = [n for n in nodes if n.resource_type == "model"]
    largest = max(models, key=lambda n: n.execution_time, default=None)
    return {
        "SQL of the models": round(sum(n.execution_time for n in models), 2),
        "SQL of the data tests": round(sum(n.execution_time for n in nodes if n.resource_type == "test"), 2),
        f"largest model ({largest.name if largest else '-'})": round(largest.execution_time if largest else 0.0, 2),
    }


def main(argv: list[str]) -> int:
    from runner.config import Settings
    from runner.dbt import Dbt
    from runner.project import load_project

    settings = Settings.load()
    dbt = Dbt(settings)
    command = argv[0] if argv else ""
    if command == "parse":  # the harness's untimed warm-up: dbt's partial parse is then current
        dbt.parse(vars=MICROBATCH_VARS if argv[1:] == ["microbatch"] else None)
        print("parse: ok")
        return 0
    if command == "floor":
        outcome = dbt.build(full_refresh=True, exclude=[UNIT_TESTS], log_level="none")
    elif command == "prepare":
        models = list(load_project(dbt.manifest).models)
        outcome = dbt.build(select=[f"+{m}" for m in models],
                            exclude=[*models, "resource_type:test", UNIT_TESTS], log_level="none")
    elif command == "microbatch" and len(argv) == 3:
        start, end = dt.date.fromisoformat(argv[1]), dt.date.fromisoformat(argv[2])
        bench_vars = dict(MICROBATCH_VARS)
        dbt.parse(vars=bench_vars)  # the strategy is a config: rendered when dbt parses
        models = list(load_project(dbt.manifest).models)
        # models only: the data tests judge the whole table, which holds only the batches run here
        outcome = dbt.invoke("run", "--quiet", "--log-level", "none", "--select", *models,
                             "--event-time-start", start.isoformat(),
                             "--event-time-end", (end + dt.timedelta(days=1)).isoformat(), vars=bench_vars)
    else:
        print(__doc__, file=sys.stderr)
        return 2
    print(f"{command}: exit {outcome.exit_code}, {outcome.status_counts}, error {outcome.error}")
    if command == "floor":  # the models' SQL time, as dbt times its nodes (the harness reads this line)
        print(SQL_MARK + json.dumps(sql_seconds(outcome.nodes)))
    for node in outcome.failed_nodes[:20]:
        print(f"  {node.name}: {node.status} {node.message}")
    return outcome.exit_code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

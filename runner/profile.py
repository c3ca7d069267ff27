"""Where a run's wall time goes (`nba-pipeline backfill --profile`, and the bench).

A low module (standard library only): the dbt wrapper adds what its invocations spent, the
backfill wraps its ledger store so that each call is timed by kind, and `split` turns the totals
and the run's wall time into the parts the speed work is judged by:

- process start: the Python process until the backfill service began (interpreter, imports, CLI);
- manifest: dbt parsing the project (once per run);
- compile: dbt compiling nodes (Jinja) inside invocations, as dbt times its nodes;
- SQL models / SQL gates: dbt executing the models' statements (materialization included) and
  the tests', as dbt times its nodes; SQL gates also holds the runner's own gate queries (the
  tests compiled once, runner/backfill/gate_sql.py);
- dbt other: the rest of the invocations' wall time (selection, graph, adapter, events);
- ledger, publish, queries: the runner's own statements on the warehouse (ledger and run rows,
  publishing audited dates, pre-flight and gate numbers);
- other: what remains of the wall time (planning, progress, Python).

With more than one dbt thread the nodes' own times overlap and can exceed the invocations' wall
time: compile and SQL are then scaled down in proportion to fill it, and "dbt other" is zero.
"""
from __future__ import annotations

import os
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

PARTS = ("process start", "manifest", "compile", "SQL models", "SQL gates", "dbt other",
         "ledger", "publish", "queries", "other")
DBT_INVOCATIONS = "dbt invocations"  # wall time of the invocations, split by split()
GATE_QUERIES = "gate queries"  # the runner's gate statements: shown in SQL gates, outside dbt's time


class Timings:
    """Seconds and counts per part, accumulated over a run."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.counts: dict[str, int] = defaultdict(int)

    def add(self, part: str, seconds: float, count: int = 1) -> None:
        self.seconds[part] += max(seconds, 0.0)
        self.counts[part] += count

    @contextmanager
    def span(self, part: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.add(part, time.perf_counter() - started)


class Timed:
    """An object whose named methods are timed into parts (the rest pass through untimed):
    Timed(store, timings, {"write_ledger": "ledger", "publish": "publish", "query": "queries"})."""

    def __init__(self, inner: Any, timings: Timings, parts: Mapping[str, str]) -> None:
        self._inner = inner
        self._timings = timings
        self._parts = dict(parts)

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._inner, name)
        part = self._parts.get(name)
        if part is None or not callable(value):
            return value

        def timed(*args: Any, **kwargs: Any) -> Any:
            with self._timings.span(part):
                return value(*args, **kwargs)

        return timed

    def timed_as(self, part: str) -> Timed:
        """The same object with each of its timed methods counted as `part` instead."""
        return Timed(self._inner, self._timings, dict.fromkeys(self._parts, part))


def process_age(clock: Callable[[], float] = time.time) -> float | None:
    """Seconds since this process started (Linux /proc), or None where that is not known."""
    try:
        with open("/proc/self/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        with open("/proc/stat") as f:
            boot = next(float(line.split()[1]) for line in f if line.startswith("btime "))
        started = boot + float(fields[19]) / os.sysconf("SC_CLK_TCK")  # field 22: starttime
    except (OSError, ValueError, IndexError, StopIteration):
        return None
    return max(clock() - started, 0.0)


def split(wall: float, timings: Timings, process_start: float | None = None) -> list[tuple[str, float]]:
    """(part, seconds) in PARTS order: process start (when known), then the run's wall time split
    into the rest. The parts add up to process start + wall."""
    s = timings.seconds
    inside = s["compile"] + s["SQL models"] + s["SQL gates"]
    invocations = s[DBT_INVOCATIONS]
    # with dbt threads the nodes' times overlap: shared out over the invocations' wall time
    scale = invocations / inside if inside > invocations else 1.0
    parts = {
        "process start": process_start or 0.0,
        "manifest": s["manifest"],
        "compile": s["compile"] * scale,
        "SQL models": s["SQL models"] * scale,
        "SQL gates": s["SQL gates"] * scale + s[GATE_QUERIES],
        "dbt other": max(invocations - inside, 0.0),
        "ledger": s["ledger"],
        "publish": s["publish"],
        "queries": s["queries"],
    }
    runner_own = s["manifest"] + invocations + s["ledger"] + s["publish"] + s["queries"] + s[GATE_QUERIES]
    parts["other"] = max(wall - runner_own, 0.0)
    return [(part, parts[part]) for part in PARTS]

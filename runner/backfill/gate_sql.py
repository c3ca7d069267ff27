"""Gates as SQL compiled once: a model's data tests judged by one query per chunk, not by dbt.

`dbt build --select <model>` runs the model's data tests one node at a time, compiling each
(Jinja) in every invocation: on a daily run, ~300 tests cost more than the models. On DuckDB the
backfill instead builds the model with `dbt run` and judges the chunk with the same tests' SQL:

- compiled once per project fingerprint (runner/dbt_cache.py) in one dbt compile of every
  selected model's tests, with the run window set to sentinel dates (``SENTINEL_START`` ..
  ``SENTINEL_END``); ``bind`` puts the chunk's dates in (a window widened back by N days
  renders the start sentinel minus N days, so it becomes the chunk's start minus N days);
- each test reads the model's audit twin in place of its public table (the write-audit-publish
  relation, as under dbt with var wap_audit);
- one statement per chunk computes every test's failures with dbt's own test wrapper
  (fail_calc, warn_if, error_if, limit, severity: ``runner.project_tests.GateTest``); the failing and
  warning tests' rows are then read as dbt's --store-failures would have stored them, so the
  verdict (runner/backfill/gates.py) is the one dbt's tests give.

A test the binding cannot place (a date literal in the sentinels' range that is neither), or a
model whose tests did not all compile, keeps dbt's tests. BigQuery keeps dbt's tests.
``NBA_GATES=dbt`` keeps them everywhere (the comparison in runner/tests/backfill/test_gate_sql.py).
"""
from __future__ import annotations

import datetime as dt
import os
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass

from runner.backfill.run import RunState
from runner.dbt import DbtOutcome, NodeResult
from runner.dbt_cache import Cache
from runner.errors import UsageError
from runner.profile import GATE_QUERIES, Timed
from runner.project import DateModel
from runner.project_tests import GateTest

SENTINEL_START = dt.date(2200, 1, 1)
SENTINEL_END = dt.date(2300, 1, 1)
_SENTINEL_SPAN = (dt.date(2100, 1, 1), dt.date(2400, 1, 1))  # a literal in here must be a sentinel's
_DATE_LITERAL = re.compile(r"'(\d{4})-(\d{2})-(\d{2})'")
ENV = "NBA_GATES"
CACHE_KIND = "gates"


class BindError(ValueError):
    """A compiled test holds a date the sentinels cannot account for."""


def bind(sql: str, start: dt.date, end: dt.date) -> str:
    """The sentinel-compiled SQL with the chunk's window: start - N days for the start sentinel
    minus N days, end + N days for the end sentinel plus N days."""

    def swap(match: re.Match[str]) -> str:
        day = dt.date(*(int(g) for g in match.groups()))
        if not _SENTINEL_SPAN[0] <= day <= _SENTINEL_SPAN[1]:
            return match.group(0)
        if day <= SENTINEL_START:
            return f"'{(start - (SENTINEL_START - day)).isoformat()}'"
        if day >= SENTINEL_END:
            return f"'{(end + (day - SENTINEL_END)).isoformat()}'"
        raise BindError(f"date {day} lies between the gate sentinels {SENTINEL_START} and {SENTINEL_END}")

    return _DATE_LITERAL.sub(swap, sql)


@dataclass(frozen=True)
class ModelGates:
    """A model's tests as sentinel-compiled SQL, by GateTest."""

    tests: tuple[tuple[GateTest, str], ...]


def enabled(run: RunState) -> bool:
    return run.settings.is_embedded and os.environ.get(ENV, "sql").strip().lower() != "dbt"


def for_model(run: RunState, model: DateModel) -> ModelGates | None:
    """The model's gates as SQL, or None: judge it with dbt's tests."""
    if not enabled(run) or not model.gate_tests:
        return None
    if "gates" not in run.gate_sql:
        run.gate_sql["gates"] = _bindable(_load(run))
    compiled: dict[str, str] = run.gate_sql["gates"]
    if any(t.unique_id not in compiled for t in model.gate_tests):
        return None
    return ModelGates(tuple((t, compiled[t.unique_id]) for t in model.gate_tests))


def _bindable(compiled: dict[str, str]) -> dict[str, str]:
    """The compiled tests the binding can place, checked once per run: a test left out keeps its
    model on dbt's tests."""
    out = {}
    for uid, sql in compiled.items():
        try:
            bind(sql, SENTINEL_START, SENTINEL_END)
        except BindError:
            continue
        out[uid] = sql
    return out


def compile_once(run: RunState, queries: dict[str, str]) -> dict[str, str]:
    """The runner's Jinja queries without vars (the calendar, the coverage gates), compiled by
    dbt in one inline compile, or taken from the cache under the project's fingerprint."""
    cache = _cache(run)
    key = [type(run.dbt).__qualname__, sorted(queries.items())]  # a test's fake dbt answers otherwise
    hit = cache.get("inline", key)
    if isinstance(hit, dict) and set(hit) == set(queries):
        return hit
    compiled = run.dbt.compile_inline_many(queries)
    cache.put("inline", key, compiled)
    return compiled


def _cache(run: RunState) -> Cache:
    if "cache" not in run.gate_sql:  # the fingerprint reads the project's files: once per run
        run.gate_sql["cache"] = Cache(run.settings)
    return run.gate_sql["cache"]


def _load(run: RunState) -> dict[str, str]:
    """Every selected model's tests, sentinel-compiled: from the cache, else one dbt compile."""
    vars = {"start_date": SENTINEL_START.isoformat(), "end_date": SENTINEL_END.isoformat(),
            "include_bootstrap": run.request.include_bootstrap}
    tests = sorted({t for m in run.selected for t in m.gate_tests}, key=lambda t: t.unique_id)
    if not tests:
        return {}
    cache = _cache(run)
    key = [type(run.dbt).__qualname__, vars, [t.unique_id for t in tests]]
    hit = cache.get(CACHE_KIND, key)
    if isinstance(hit, dict):
        return hit
    try:
        compiled = run.dbt.compile_tests([t.name for t in tests], vars=vars)
    except UsageError as exc:  # a test that does not compile: dbt's builds name it, model by model
        if run.progress is not None:
            run.progress.message("warn", f"the gates' SQL did not compile, dbt's tests judge instead: {exc}")
        return {}
    if compiled:
        cache.put(CACHE_KIND, key, compiled)
    return compiled


def judge_outcome(run: RunState, model: DateModel, gates: ModelGates, built: DbtOutcome,
                  start: dt.date, end: dt.date, audit: str) -> DbtOutcome:
    """The model's `dbt run` outcome with a node per test, as `dbt build --store-failures` would
    have given it: the failing and warning tests' rows stored in their tables, for the verdict.
    Nothing runs when the model did not build (dbt skips the tests of a failed model)."""
    model_ok = not built.error and any(n.resource_type == "model" and n.name == model.name
                                       and n.status in ("success", "pass") for n in built.nodes)
    if not model_ok:
        skipped = [NodeResult(t.unique_id, t.name, "test", "skipped", None, 0.0) for t, _ in gates.tests]
        _report(run, skipped)
        return DbtOutcome(built.args, built.exit_code, [*built.nodes, *skipped], built.error)
    store = run.store.timed_as(GATE_QUERIES) if isinstance(run.store, Timed) else run.store
    queries = [bind(sql, start, end).replace(model.relation_name, audit) for _, sql in gates.tests]
    started = time.perf_counter()
    try:
        rows = {int(r[0]): r[1:] for r in store.query(_all_tests_sql(gates, queries))}
        errors: dict[int, str] = {}
    except Exception:  # one test's SQL failed: each alone says which
        rows, errors = {}, {}
        for i, query in enumerate(queries):
            try:
                rows[i] = store.query(_test_sql(gates.tests[i][0], query, 0))[0][1:]
            except Exception as exc:
                errors[i] = f"{type(exc).__name__}: {exc}"
    each = (time.perf_counter() - started) / max(len(queries), 1)
    nodes = list(built.nodes)
    for i, (test, _) in enumerate(gates.tests):
        if i in errors:
            nodes.append(NodeResult(test.unique_id, test.name, "test", "error", errors[i], each))
            continue
        failures, should_warn, should_error = rows[i]
        status = ("fail" if test.severity == "error" and should_error else "warn" if should_warn else "pass")
        relation = None
        if status != "pass":  # its rows kept where dbt's --store-failures keeps them, for the verdict
            relation = test.store_relation
            store.query(f"create schema if not exists {relation.rsplit('.', 1)[0]}")
            store.query(f"create or replace table {relation} as select * from (\n{queries[i]}\n) as failing_rows")
        nodes.append(NodeResult(test.unique_id, test.name, "test", status, None if status == "pass" else
                                f"Got {failures} results, configured to {status} if "
                                f"{test.error_if if status == 'fail' else test.warn_if}",
                                each, failures=None if failures is None else int(failures), relation_name=relation))
    _report(run, nodes[len(built.nodes):])
    failed = any(n.status in ("fail", "error") for n in nodes)
    return DbtOutcome(built.args, 1 if failed else built.exit_code, nodes)


def _report(run: RunState, nodes: Sequence[NodeResult]) -> None:
    """The gate nodes to whoever follows dbt's nodes (the dbt wrapper's on_node), as dbt's would be."""
    on_node = getattr(run.dbt, "on_node", None)
    for node in nodes if callable(on_node) else ():
        on_node(node)


def _test_sql(test: GateTest, query: str, index: int) -> str:
    """dbt's test wrapper (default__get_test_sql) around one test's query, with its index."""
    limit = f"\nlimit {test.limit}" if test.limit is not None else ""
    return (f"select {index} as gate, {test.fail_calc} as failures, {test.fail_calc} {test.warn_if} as should_warn, "
            f"{test.fail_calc} {test.error_if} as should_error\nfrom (\n{query}\n{limit}\n) as dbt_internal_test")


def _all_tests_sql(gates: ModelGates, queries: Sequence[str]) -> str:
    return "\nunion all\n".join(f"select * from ({_test_sql(test, q, i)}) as gate_{i}"
                                for i, ((test, _), q) in enumerate(zip(gates.tests, queries, strict=True)))

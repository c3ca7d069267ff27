"""backfill --profile: the split of a run's wall time (runner/profile.py)."""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from runner.dbt import _add_node_timings
from runner.profile import DBT_INVOCATIONS, PARTS, Timed, Timings, process_age, split
from runner.tests.backfill.fakes import FakeDbt
from runner.tests.backfill.test_service import env, run  # noqa: F401  (fixture)

T0 = dt.datetime(2026, 1, 1, 12, 0, 0)


def _step(name, seconds):
    return SimpleNamespace(name=name, started_at=T0, completed_at=T0 + dt.timedelta(seconds=seconds))


def _result(resource_type, compile_s, execute_s):
    return SimpleNamespace(node=SimpleNamespace(resource_type=resource_type),
                           timing=[_step("compile", compile_s), _step("execute", execute_s)])


def test_dbt_node_timings_go_to_compile_models_and_gates():
    timings = Timings()
    _add_node_timings(timings, SimpleNamespace(results=[
        _result("model", 0.5, 3.0), _result("test", 0.25, 1.0), _result("unit_test", 0.25, 0.5)]), compiling=False)
    assert timings.seconds["compile"] == 1.0
    assert timings.seconds["SQL models"] == 3.0
    assert timings.seconds["SQL gates"] == 1.5
    _add_node_timings(timings, SimpleNamespace(results=[_result("sql_operation", 0.5, 0.5)]), compiling=True)
    assert timings.seconds["compile"] == 2.0  # a compile command's execute step is compiling too


@given(
    wall=st.floats(0, 1e4), invocations=st.floats(0, 1e3), manifest=st.floats(0, 100),
    inside=st.lists(st.floats(0, 1e3), min_size=3, max_size=3), store=st.lists(st.floats(0, 100), min_size=3, max_size=3),
    start=st.none() | st.floats(0, 10),
)
def test_the_parts_add_up_to_the_wall_time_whatever_the_threads_overlap(wall, invocations, manifest, inside, store, start):
    timings = Timings()
    timings.add(DBT_INVOCATIONS, invocations)
    timings.add("manifest", manifest)
    for part, seconds in zip(("compile", "SQL models", "SQL gates"), inside):
        timings.add(part, seconds)
    for part, seconds in zip(("ledger", "publish", "queries"), store):
        timings.add(part, seconds)
    parts = split(wall, timings, start)
    assert [p for p, _ in parts] == list(PARTS)
    assert all(seconds >= 0 for _, seconds in parts)
    # dbt's share never exceeds the invocations' wall time, however much the nodes overlap
    dbt_share = sum(s for p, s in parts if p in ("compile", "SQL models", "SQL gates", "dbt other"))
    assert abs(dbt_share - invocations) <= 1e-6 * max(1.0, invocations)
    own = manifest + invocations + sum(store)
    total = sum(s for _, s in parts)
    assert abs(total - ((start or 0) + max(wall, own))) <= 1e-6 * max(1.0, total)


def test_timed_times_the_named_methods_and_passes_the_rest_through():
    class Store:
        marker = 7

        def write_ledger(self, rows):
            return len(rows)

        def close(self):
            return "closed"

    timings = Timings()
    store = Timed(Store(), timings, {"write_ledger": "ledger"})
    assert store.write_ledger([1, 2]) == 2 and store.write_ledger([]) == 0
    assert store.close() == "closed" and store.marker == 7
    assert timings.counts["ledger"] == 2 and "close" not in timings.counts


def test_process_age_is_this_process_age():
    age = process_age()
    assert age is None or 0 <= age < 24 * 3600


def test_a_run_with_profile_prints_the_split_and_the_outcome_carries_it(env):
    settings, db = env
    outcome, console, code = run(settings, FakeDbt(db), profile=True)
    assert code == 0
    assert [p for p, _ in outcome.profile] == list(PARTS)
    assert dict(outcome.profile)["ledger"] > 0  # the fake dbt is not timed, the real ledger is
    [(title, columns, rows)] = [t for t in console.tables if t[0].startswith("Where the time went")]
    assert columns == ["part", "seconds", "share"]
    assert [r[0] for r in rows] == [*PARTS, "total"]
    assert abs(sum(float(r[1]) for r in rows[:-1]) - float(rows[-1][1])) < 0.05
    outcome, console, code = run(settings, FakeDbt(db))
    # measured on every run, printed on request
    assert outcome.profile and not [t for t in console.tables if t[0].startswith("Where the time went")]

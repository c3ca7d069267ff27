"""Gates as SQL compiled once (runner/backfill/gate_sql.py) give dbt's verdicts.

- ``bind`` puts a chunk's window into sentinel-compiled SQL, and refuses a date it cannot place;
- on a copy of the shared faulty world, every date model's tests compiled with sentinel dates
  and bound to a chunk are the very SQL dbt compiles for that chunk;
- for each date model, one chunk is built by `dbt build` with the model's tests (dbt's
  statuses, failure counts and stored rows), and then judged by the gate queries on the same
  audit twin: the same status, count and rows for every test, with fails and warns among them.
"""
from __future__ import annotations

import datetime as dt

import pytest

from runner.backfill import gate_sql
from runner.backfill.gate_sql import SENTINEL_END, SENTINEL_START, BindError, bind
from runner.backfill.run import UNIT_TESTS, BackfillRequest, RunState
from runner.backfill.store import open_store
from runner.console import CaptureConsole
from runner.dbt import DbtOutcome
from runner.project import audit_relation, load_project
from runner.tests.worlds import FAULTY_END, FAULTY_START

D = dt.date


def test_bind_moves_each_sentinel_with_its_offset_and_leaves_other_dates():
    sql = ("where d >= cast('2200-01-01' as date) and d <= cast('2300-01-01' as date) "
           "and e >= cast('2198-11-27' as date) and f > '2024-10-22'")
    assert bind(sql, D(2025, 3, 1), D(2025, 3, 7)) == (
        "where d >= cast('2025-03-01' as date) and d <= cast('2025-03-07' as date) "
        "and e >= cast('2024-01-26' as date) and f > '2024-10-22'")


def test_bind_refuses_a_date_between_the_sentinels():
    with pytest.raises(BindError, match="2250-06-01"):
        bind("select '2250-06-01'", D(2025, 3, 1), D(2025, 3, 7))


@pytest.fixture(scope="module")
def faulty_dbt(faulty_world, tmp_path_factory):
    db, dbt = faulty_world.copy_with_dbt(tmp_path_factory.mktemp("gate_sql"))
    return db, dbt, load_project(dbt.manifest, dbt.settings.project_dir)


@pytest.mark.slow
def test_sentinel_compiled_tests_bound_to_a_chunk_are_the_sql_dbt_compiles_for_it(faulty_dbt):
    _, dbt, project = faulty_dbt
    tests = sorted({t for m in project.models.values() for t in m.gate_tests}, key=lambda t: t.unique_id)
    assert len(tests) > 100
    names = [t.name for t in tests]
    sentinel = dbt.compile_tests(names, vars={"start_date": str(SENTINEL_START), "end_date": str(SENTINEL_END),
                                              "include_bootstrap": False})
    real = dbt.compile_tests(names, vars={"start_date": str(FAULTY_START), "end_date": str(FAULTY_END),
                                          "include_bootstrap": False})
    assert set(sentinel) == set(real) == {t.unique_id for t in tests}
    differ = [uid for uid in real if bind(sentinel[uid], FAULTY_START, FAULTY_END) != real[uid]]
    assert differ == []
    assert sum(sentinel[uid] != real[uid] for uid in real) > 50  # most tests read the window


def _stored(store, relation) -> list[tuple]:
    return sorted(store.query(f"select * from {relation}"), key=repr)


@pytest.mark.slow
def test_the_gate_queries_judge_every_test_as_dbt_does(faulty_dbt):
    _, dbt, project = faulty_dbt
    store = open_store(dbt.settings)
    run = RunState(dbt.settings, CaptureConsole(), BackfillRequest(start_date=FAULTY_START, end_date=FAULTY_END),
                   [FAULTY_START], dbt, project, list(project.models.values()), store, "test", None)
    try:
        seen = _judge_each_model_both_ways(run, dbt, project, store)
    finally:
        store.close()
    assert seen.get("fail") and seen.get("warn") and seen.get("pass"), seen


def _judge_each_model_both_ways(run, dbt, project, store) -> dict[str, int]:
    seen: dict[str, int] = {}
    for model in project.models.values():
        chunk_vars = {"start_date": str(FAULTY_START), "end_date": str(FAULTY_END), "include_bootstrap": False,
                      "wap_audit": model.name}
        by_dbt = dbt.build(select=[model.name], vars=chunk_vars, store_failures=True, exclude=[UNIT_TESTS],
                           log_level="none")
        expected = {n.unique_id: (n.status, n.failures) for n in by_dbt.nodes if n.resource_type == "test"}
        stored = {n.unique_id: _stored(store, n.relation_name) for n in by_dbt.nodes
                  if n.resource_type == "test" and n.status in ("fail", "warn")}
        model_node = [n for n in by_dbt.nodes if n.resource_type == "model"]
        assert expected and {t.unique_id for t in model.gate_tests} == set(expected), model.name
        gates = gate_sql.for_model(run, model)
        assert gates is not None, model.name
        outcome = gate_sql.judge_outcome(run, model, gates, DbtOutcome([], 0, model_node), FAULTY_START,
                                         FAULTY_END, audit_relation(model.relation_name, "nba_audit"))
        got = {n.unique_id: (n.status, n.failures) for n in outcome.nodes if n.resource_type == "test"}
        assert got == expected, model.name
        for n in outcome.nodes:
            if n.resource_type == "test" and n.status in ("fail", "warn"):
                assert _stored(store, n.relation_name) == stored[n.unique_id], n.name
        for status, _ in got.values():
            seen[status] = seen.get(status, 0) + 1
    return seen


def test_the_runners_inline_queries_are_compiled_once_per_project_fingerprint(tmp_path, monkeypatch):
    """The calendar and the coverage gates (no vars): a second run asks dbt nothing; without the
    cache (NBA_DBT_CACHE=0) every run compiles them."""
    from runner.config import Settings
    from runner.services.backfill import backfill
    from runner.tests.backfill.fakes import FakeDbt, make_schedule

    monkeypatch.setenv("DBT_TARGET_PATH", str(tmp_path / "target"))
    db = tmp_path / "fake.duckdb"
    days = [D(2024, 11, 1) + dt.timedelta(days=i) for i in range(4)]
    make_schedule(db, days)
    settings = Settings.load(duckdb_path=db)
    compiled: list[list[str]] = []

    class Counting(FakeDbt):
        def compile_inline_many(self, queries, vars=None):
            compiled.append(sorted(queries))
            return super().compile_inline_many(queries, vars)

    def run_once() -> int:
        before = len(compiled)
        backfill(settings, CaptureConsole(), BackfillRequest(start_date=days[0], end_date=days[-1], resume=False),
                 dbt_factory=lambda s: Counting(db))
        return len(compiled) - before

    assert run_once() >= 2  # the calendar, then the coverage gates
    assert run_once() == 0
    monkeypatch.setenv("NBA_DBT_CACHE", "0")
    assert run_once() >= 2


def test_each_test_gets_dbts_status_its_failing_rows_are_stored_and_a_broken_one_errors_alone():
    """pass / fail / warn by severity and thresholds, the rows of the failing and warning tests in
    their store relations, and a test whose SQL breaks errors without hiding the others' verdicts."""
    from types import SimpleNamespace as NS

    import duckdb

    from runner.backfill.gate_sql import ModelGates, judge_outcome
    from runner.dbt import NodeResult
    from runner.project_tests import GateTest

    con = duckdb.connect()
    con.execute("create schema a; create table a.m as select * from range(5) as t(k)")
    store = NS(query=lambda sql, params=(): con.execute(sql, list(params)).fetchall())
    reported: list = []
    run = NS(store=store, dbt=NS(on_node=reported.append))
    model = NS(name="m", relation_name='"memory"."p"."m"')

    def test(name, severity="error", **kw):
        return GateTest(f"test.x.{name}", name, severity, store_relation=f'"memory"."st"."{name}"', **kw)

    select = 'select k from "memory"."p"."m"'
    gates = ModelGates((
        (test("passes"), f"{select} where k > 10"),
        (test("fails"), f"{select} where k >= 3"),
        (test("warns", severity="warn"), f"{select} where k = 0"),
        (test("under_threshold", error_if="> 5", warn_if="> 1"), f"{select} where k < 3"),
        (test("breaks"), f"select no_such_column from {model.relation_name}"),
    ))
    built = DbtOutcome(["run"], 0, [NodeResult("model.x.m", "m", "model", "success", None, 0.1)])
    outcome = judge_outcome(run, model, gates, built, D(2025, 1, 1), D(2025, 1, 2), '"memory"."a"."m"')
    got = {n.name: (n.status, n.failures) for n in outcome.nodes if n.resource_type == "test"}
    assert got == {"passes": ("pass", 0), "fails": ("fail", 2), "warns": ("warn", 1),
                   "under_threshold": ("warn", 3), "breaks": ("error", None)}
    assert outcome.exit_code == 1 and [n.name for n in reported] == list(got)
    assert sorted(con.execute('select k from "memory"."st"."fails"').fetchall()) == [(3,), (4,)]
    assert con.execute('select k from "memory"."st"."warns"').fetchall() == [(0,)]
    # the model did not build: every test is skipped, nothing runs
    failed = DbtOutcome(["run"], 1, [NodeResult("model.x.m", "m", "model", "error", "boom", 0.1)])
    skipped = judge_outcome(run, model, gates, failed, D(2025, 1, 1), D(2025, 1, 2), '"memory"."a"."m"')
    assert {n.status for n in skipped.nodes if n.resource_type == "test"} == {"skipped"}


def test_tests_that_do_not_compile_leave_the_judging_to_dbts_builds(tmp_path, monkeypatch):
    """A test with a compile error must not stop the run: every model falls back to its dbt build
    (which names the broken test on that model's dates only), and the run says why."""
    from types import SimpleNamespace as NS

    from runner.errors import UsageError
    from runner.project_tests import GateTest

    monkeypatch.setenv("DBT_TARGET_PATH", str(tmp_path / "target"))

    class Broken:
        def compile_tests(self, names, vars=None):
            raise UsageError("dbt could not compile the tests t1…: Compilation Error in test t1")

    notes: list = []
    model = NS(gate_tests=(GateTest("test.x.t1", "t1", "error"),))
    run = NS(settings=NS(is_embedded=True, project_dir=tmp_path, profiles_dir=tmp_path, target="duckdb",
                         export_env=lambda: None),
             request=NS(include_bootstrap=False), selected=[model], dbt=Broken(), gate_sql={},
             progress=NS(message=lambda level, text: notes.append((level, text))))
    assert gate_sql.for_model(run, model) is None
    assert notes and notes[0][0] == "warn" and "t1" in notes[0][1]


def test_a_model_with_a_test_the_binding_cannot_place_keeps_dbts_tests(tmp_path, monkeypatch):
    from types import SimpleNamespace as NS

    from runner.project_tests import GateTest

    monkeypatch.setenv("DBT_TARGET_PATH", str(tmp_path / "target"))
    placed, odd = GateTest("test.x.ok", "ok", "error"), GateTest("test.x.odd", "odd", "error")

    class Compiles:
        def compile_tests(self, names, vars=None):
            return {"test.x.ok": "select 1 where d >= '2200-01-01'", "test.x.odd": "select '2250-06-01'"}

    run = NS(settings=NS(is_embedded=True, project_dir=tmp_path, profiles_dir=tmp_path, target="duckdb",
                         export_env=lambda: None),
             request=NS(include_bootstrap=False), dbt=Compiles(), gate_sql={}, progress=None,
             selected=[NS(gate_tests=(placed,)), NS(gate_tests=(placed, odd))])
    assert gate_sql.for_model(run, run.selected[0]) is not None
    assert gate_sql.for_model(run, run.selected[1]) is None

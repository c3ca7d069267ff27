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

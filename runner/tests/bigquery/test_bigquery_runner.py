"""The BigQuery pieces that need no emulator: literal binding, the ledger's MERGE and lock,
the cross-engine comparison. The emulator run itself is test_emulator_end_to_end.py."""
from __future__ import annotations

import datetime as dt
import math
import os
import socket

import pytest

from runner.backfill.store import BackfillLocked, BigQueryStore, LedgerRow, LockHolder
from runner.project import DateModel
from runner.services.compare import compare_rows, compare_tables, same
from runner.warehouse import DuckDBWarehouse, bind, split_relation, sql_literal


def test_values_are_bound_as_bigquery_literals_outside_quotes():
    sql = bind("select '?' as q, ? as a, ? as b, ? as c, ? as d where x = ?",
               [dt.date(2024, 11, 5), "it's \\ a\nb", None, 1.5, True])
    assert sql == ("select '?' as q, date '2024-11-05' as a, 'it\\'s \\\\ a\\nb' as b, null as c, "
                   "1.5 as d where x = true")
    assert sql_literal(dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.UTC)) == "timestamp '2024-01-02 03:04:05'"
    assert sql_literal(float("nan")) == "cast('nan' as float64)"
    with pytest.raises(ValueError, match="more"):
        bind("? ?", [1])
    with pytest.raises(ValueError, match="fewer"):
        bind("?", [1, 2])


def test_relation_names_split_like_dbt_renders_them():
    assert split_relation("`nba-emulator`.`nba_analytics`.`player_game_summary`") == ("nba_analytics", "player_game_summary")
    assert split_relation('"db"."nba_raw"."x"') == ("nba_raw", "x")
    assert split_relation("nba_orchestration.backfill_ledger") == ("nba_orchestration", "backfill_ledger")


class FakeWarehouse:
    """Records statements; the lock table 'exists' once created."""

    def __init__(self, holder: dict | None = None) -> None:
        self.sql: list[str] = []
        self.lock = holder
        self.client = type("Client", (), {"project": "p", "close": lambda self: None})()

    def execute(self, sql, params=None):
        from google.api_core.exceptions import Conflict

        sql = bind(sql, params or ())
        self.sql.append(sql)
        if sql.startswith("create table nba_orchestration.backfill_lock"):
            if self.lock is not None:
                raise Conflict("Already Exists: Table backfill_lock")
            self.lock = {"run_id": "new"}
        if sql.startswith("drop table"):
            self.lock = None

    def ensure_dataset(self, name):
        pass

    def relation_exists(self, schema, name):
        return name == "backfill_lock" and self.lock is not None

    def dicts(self, sql, params=None):
        return [self.lock]


def test_ledger_rows_are_merged_on_model_and_date():
    wh = FakeWarehouse()
    store = BigQueryStore(None, warehouse=wh)
    store.write_ledger([LedgerRow("pgs", dt.date(2024, 11, 5), "succeeded", "r1", 10, None, 99.5, "it's ok")])
    (sql,) = wh.sql
    assert sql.startswith("merge nba_orchestration.backfill_ledger t using")
    assert "on t.model_name = s.model_name and t.ledger_date = s.ledger_date" in sql
    assert "cast(date '2024-11-05' as date) as ledger_date" in sql
    assert "cast(null as int64) as rows_expected" in sql and "'it\\'s ok'" in sql
    assert "when not matched then insert" in sql


def test_a_live_holder_keeps_the_lock_and_a_dead_one_is_taken_over():
    me = LockHolder("r2", socket.gethostname(), os.getpid(), "now")
    alive = {"run_id": "r1", "host": socket.gethostname(), "pid": os.getpid(), "started_at": "t"}
    with pytest.raises(BackfillLocked, match="run r1"):
        BigQueryStore(None, warehouse=FakeWarehouse(alive)).acquire_lock(me)
    dead = {**alive, "pid": 2**22 + 12345}  # above pid_max: no such process
    wh = FakeWarehouse(dead)
    previous = BigQueryStore(None, warehouse=wh).acquire_lock(me)
    assert previous is not None and previous.run_id == "r1"
    assert any(s.startswith("drop table") for s in wh.sql) and wh.lock == {"run_id": "new"}


def test_numbers_match_within_1e_9_and_nan_arrays_structs_compare_by_value():
    assert same(1.0, 1.0 + 1e-12) and not same(1.0, 1.0 + 1e-6)
    assert same(float("nan"), float("nan")) and not same(float("nan"), 0.0)
    assert same([1.0, float("nan")], (1.0, math.nan)) and not same([1.0], [1.0, 2.0])
    assert same({"games": 3, "dates": [dt.date(2024, 1, 1)]}, {"games": 3, "dates": [dt.date(2024, 1, 1)]})
    assert not same({"games": 3}, {"games": 4})
    assert same(dt.datetime(2024, 1, 1, 12, tzinfo=dt.UTC), dt.datetime(2024, 1, 1, 12))


def test_two_warehouses_that_differ_are_reported(tmp_path):
    import duckdb

    def warehouse(name, rows):
        con = duckdb.connect(str(tmp_path / name))
        con.execute("create schema s")
        con.execute("create table s.t (d date, k varchar, x double, f double[])")
        con.executemany("insert into s.t values (?, ?, ?, ?)", rows)
        return DuckDBWarehouse(con)

    day = dt.date(2024, 11, 5)
    left = warehouse("l.duckdb", [(day, "a", 1.0, [1.0]), (day, "b", 2.0, [2.0])])
    same_right = warehouse("r1.duckdb", [(day, "b", 2.0 + 1e-12, [2.0]), (day, "a", 1.0, [1.0])])
    other = warehouse("r2.duckdb", [(day, "a", 1.5, [1.0]), (day, "c", 2.0, [2.0])])
    table = date_table("d", "k")
    counts, problems = compare_tables(left, same_right, [table], day, day)
    assert counts == {"t": 2} and problems == []
    _, problems = compare_tables(left, other, [table], day, day)
    assert any("only on the left" in p for p in problems)
    assert any("only on the right" in p for p in problems)
    assert any("x: 1.0 != 1.5" in p for p in problems)
    assert compare_rows("t", {}, {}) == []


def test_a_raw_date_range_keeps_only_the_rows_dated_inside_it(tmp_path):
    import duckdb

    from runner.services.raw import keep_range
    from runner.simulator.frame import create_tables
    from runner.simulator.schema import TABLES

    con = duckdb.connect(str(tmp_path / "raw.duckdb"))
    create_tables(con, list(TABLES.values()))
    for day in ("2024-10-21", "2024-10-22", "2024-10-23"):
        con.execute("insert into nba_raw.nbac_injury_report (report_date) values (cast(? as date))", [day])
        con.execute("insert into nba_raw.espn_team_rosters (roster_date) values (cast(? as date))", [day])
    counts = keep_range(con, dt.date(2024, 10, 22), None)
    assert counts["nbac_injury_report"] == 2 and counts["espn_team_rosters"] == 2
    counts = keep_range(con, None, dt.date(2024, 10, 22))
    assert counts["nbac_injury_report"] == 1 and counts["nbac_schedule"] == 0


def test_a_table_built_on_one_engine_only_is_a_difference(tmp_path):
    import duckdb

    built, empty = (DuckDBWarehouse(duckdb.connect(str(tmp_path / n))) for n in ("a.duckdb", "b.duckdb"))
    built.con.execute("create schema s; create table s.t (d date)")
    day = dt.date(2024, 11, 5)
    _, problems = compare_tables(built, empty, [date_table("d")], day, day)
    assert problems == ["t: the table exists on the left only"]
    counts, problems = compare_tables(empty, empty, [date_table("d")], day, day)
    assert counts == {"t": 0} and problems == []


def test_validate_reports_differ_when_a_check_or_the_verdict_does():
    from runner.services.compare import compare_validations

    def report(passed: bool, verdict: str, extra: bool = False) -> dict:
        checks = [{"name": "gaps.pgs", "passed": True, "observed": 1.0},
                  {"name": "freshness.raw", "passed": passed, "observed": 17547.0 if passed else 17548.0}]
        if extra:
            checks.append({"name": "ledger.failed", "passed": True})
        return {"sections": [{"id": "x", "checks": checks}], "readiness": {"verdict": verdict}}

    assert compare_validations(report(True, "READY"), report(True, "READY")) == []
    assert compare_validations(report(True, "READY"), report(False, "NOT READY", extra=True)) == [
        "validate: check ledger.failed only on the right",
        "validate: check freshness.raw passes on the left, fails on the right",
        "validate: readiness 'READY' != 'NOT READY'",
    ]


def date_table(*key: str) -> DateModel:
    """Table s.t, dated by column d, with this key (the project model's shape of a date model)."""
    return DateModel("t", "model.nba_pipeline.t", "phase3", "d", "none", 0, '"db"."s"."t"', schema="s",
                     identifier="t", key_columns=key)

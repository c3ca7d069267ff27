"""Fakes for the fast backfill tests: a manifest of SimpleNamespaces and a dbt wrapper that writes rows itself."""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace as NS

import duckdb

from runner.dbt import DbtOutcome, NodeResult

PKG = "model.nba_pipeline."


def model_node(name, tags=("phase3",), deps=(), backfill=None, relation=None):
    meta = {"date_column": "game_date"}
    if backfill is not None:
        meta["backfill"] = {"date_column": "game_date", "bootstrap": "none", "window_days": 0, **backfill}
    return NS(
        unique_id=PKG + name, name=name, resource_type="model", tags=list(tags),
        config=NS(meta=meta, severity="ERROR"), depends_on=NS(nodes=list(deps)),
        relation_name=relation or f'"fake"."nba_analytics"."{name}"',
    )


def coverage_test(name, model, severity="ERROR", **kwargs):
    kw = {"date_column": "game_date", "expected_relation": "ref('stg_schedule')", "expected_date_column": "game_date",
          "model": "{{ get_where_subquery(ref('" + model + "')) }}", **kwargs}
    return NS(
        unique_id=f"test.nba_pipeline.{name}", name=name, resource_type="test", tags=[],
        config=NS(meta={}, severity=severity), depends_on=NS(nodes=[PKG + model]),
        test_metadata=NS(name="coverage_vs_expected", kwargs=kw), attached_node=PKG + model,
        relation_name=f'"fake"."nba_orchestration"."{name}"',
    )


def phase3_manifest(upcg_window=30):
    """TOGS, TDGS (reads TOGS), PGS (reads TOGS through an ephemeral), UPCG (reads PGS), UTGC; staging."""
    nodes = {}
    for n in (
        model_node("stg_schedule", tags=(), deps=["source.nba_pipeline.nba_raw.schedule"]),
        model_node("int_shots", tags=(), deps=[PKG + "stg_schedule", PKG + "team_offense_game_summary"]),
        model_node("team_offense_game_summary", deps=[PKG + "stg_schedule"], backfill={}),
        model_node("team_defense_game_summary", deps=[PKG + "team_offense_game_summary"], backfill={}),
        model_node("player_game_summary", deps=[PKG + "int_shots"], backfill={}),
        model_node("upcoming_player_game_context", deps=[PKG + "player_game_summary"],
                   backfill={"window_days": upcg_window}),
        model_node("upcoming_team_game_context", deps=[PKG + "stg_schedule"], backfill={}),
        model_node("pgs_training_view", deps=[PKG + "player_game_summary"]),  # a phase view without a date
        model_node("raw_row_accounting", tags=(), deps=[PKG + "stg_schedule"],
                   relation='"fake"."nba_orchestration"."raw_row_accounting"'),
        coverage_test("pgs_gate", "player_game_summary"),
        coverage_test("pgs_warn", "player_game_summary", severity="warn", min_pct="{{ var('coverage_warn_pct') }}"),
    ):
        nodes[n.unique_id] = n
    sources = {"source.nba_pipeline.nba_raw.schedule": NS(relation_name='"fake"."nba_raw"."schedule"')}
    return NS(nodes=nodes, sources=sources)


class FakeDbt:
    """Writes `rows_per_date` rows per date into the model's table; fails the dates in `fail`.

    fail: {model: {date: rows_found}} -> the model's coverage test fails those dates.
    It implements runner.dbt.DbtRunner (runner/tests/backfill/test_dbt_seam.py).
    """

    def __init__(self, db_path, manifest=None, fail=None, rows_per_date=10, unbalanced=()):
        self.db_path = str(db_path)
        self.unbalanced = list(unbalanced)  # (table, date, raw rows, unaccounted rows) the accounting reports
        self.manifest = manifest or phase3_manifest()
        self.fail = fail or {}
        self.rows_per_date = rows_per_date
        self.builds: list[tuple[str, str | None, str | None]] = []
        self.views_outcome = DbtOutcome(["build"], 0, [])
        self.parses: list[dict | None] = []  # the vars of each re-parse (BigQuery renders partitions at parse)

    def parse(self, vars=None) -> None:
        self.parses.append(vars)

    def compile_models(self, names, vars=None) -> dict[str, str]:
        """Each model's rows of the range, as the SQL a BigQuery dry run would be asked to cost."""
        vars = vars or {}
        return {name: f"select * from \"fake\".\"nba_analytics\".\"{name}\" where game_date between "
                      f"'{vars.get('start_date')}' and '{vars.get('end_date')}'" for name in names}

    def compile_tests(self, names, vars=None) -> dict[str, str]:
        """None: the fake's tests exist only as its build's outcome (the runner then judges by it)."""
        return {}

    def compile_inline(self, sql: str, vars=None) -> str:
        if "int_season_calendar" in sql:
            return "select game_date, is_bootstrap from nba_raw.schedule"
        # coverage_comparison(model=ref('x'), ...): expected rows_per_date on every schedule date
        model = sql.split("ref('")[1].split("'")[0]
        return (f"select s.game_date as test_date, coalesce(m.n, 0) as rows_found, {self.rows_per_date} "
                f"as rows_expected, round(100.0 * coalesce(m.n, 0) / {self.rows_per_date}, 2) as coverage_pct "
                f"from nba_raw.schedule s left join (select game_date, count(*) n from "
                f"\"fake\".\"nba_analytics\".\"{model}\" group by 1) m on m.game_date = s.game_date")

    def compile_inline_many(self, queries: dict[str, str], vars=None) -> dict[str, str]:
        return {qid: self.compile_inline(sql) for qid, sql in queries.items()}

    def build(self, select=(), vars=None, store_failures=False, exclude=(), log_level=None, full_refresh=False):
        if select and select[0].startswith("+"):  # staging and the raw-row accounting for the run
            self.builds.append(("prepare", (vars or {}).get("start_date"), (vars or {}).get("end_date")))
            with duckdb.connect(self.db_path) as con:
                con.execute("create schema if not exists nba_orchestration")
                con.execute("create or replace table nba_orchestration.raw_row_accounting (source_table varchar, "
                            "accounting_date date, raw_rows int, staged_rows int, excluded_rows int, "
                            "quarantined_rows int, superseded_rows int, unaccounted_rows int, is_balanced boolean)")
                for table, day, raw, unaccounted in self.unbalanced:
                    con.execute("insert into nba_orchestration.raw_row_accounting "
                                "values (?, ?, ?, ?, 0, 0, 0, ?, false)", [table, day, raw, raw - unaccounted,
                                                                            unaccounted])
            return DbtOutcome(["build"], 0, [])
        if select and select[0].endswith("_view"):  # the phases' views, after the date models
            self.builds.append(("views", ",".join(select), None))
            return self.views_outcome
        if select and select[0] == "pgs_gate":  # the failing gate's rows, stored by a second invocation
            assert store_failures, "a failing test's rows are read from --store-failures"
            self.builds.append(("store failures", "pgs_gate", None))
            return DbtOutcome(["build"], 1, [NodeResult("test.nba_pipeline.pgs_gate", "pgs_gate", "test", "fail",
                                                        "Got rows", 0.1, relation_name='"nba_orchestration"."pgs_gate"')])
        model = select[0]
        start, end = dt.date.fromisoformat(vars["start_date"]), dt.date.fromisoformat(vars["end_date"])
        self.builds.append((model, vars["start_date"], vars["end_date"]))
        failing = {d: n for d, n in self.fail.get(model, {}).items() if start <= d <= end}
        # write-audit-publish: the chunk's rows go to the audit twin (the runner publishes them)
        schema = "nba_audit" if vars.get("wap_audit") == model else "nba_analytics"
        with duckdb.connect(self.db_path) as con:
            con.execute(f"create schema if not exists {schema}")
            if schema == "nba_audit":
                con.execute(f"create or replace table nba_audit.{model} (game_date date, k integer, season_year integer)")
            else:
                con.execute(f"create table if not exists nba_analytics.{model} "
                            "(game_date date, k integer, season_year integer)")
                con.execute(f"delete from nba_analytics.{model} where game_date between ? and ?", [start, end])
            days = [r[0] for r in con.execute(
                "select game_date from nba_raw.schedule where game_date between ? and ?", [start, end]).fetchall()]
            for d in days:
                n = failing.get(d, self.rows_per_date)
                if n:
                    rows = [(d, i, d.year if d.month >= 10 else d.year - 1) for i in range(n)]
                    con.executemany(f"insert into {schema}.{model} values (?, ?, ?)", rows)
            con.execute("create schema if not exists nba_orchestration")
            con.execute("create or replace table nba_orchestration.pgs_gate (test_date date, rows_found int, "
                        "rows_expected int, coverage_pct double, min_pct int)")
            for d, n in failing.items():
                con.execute("insert into nba_orchestration.pgs_gate values (?, ?, ?, ?, 90)",
                            [d, n, self.rows_per_date, 100.0 * n / self.rows_per_date])
        nodes = [NodeResult(PKG + model, model, "model", "success", None, 0.1)]
        if failing:
            nodes.append(NodeResult("test.nba_pipeline.pgs_gate", "pgs_gate", "test", "fail", "Got rows", 0.1,
                                    failures=len(failing),
                                    relation_name='"nba_orchestration"."pgs_gate"' if store_failures else None))
        return DbtOutcome(["build"], 1 if failing else 0, nodes)


    def run(self, select=(), vars=None, empty=False, log_level=None):
        """`dbt run --empty` of a model before its first publish: its public table, no rows."""
        assert empty, "the runner runs models only to create their empty public table"
        self.builds.append(("create empty", ",".join(select), None))
        with duckdb.connect(self.db_path) as con:
            con.execute("create schema if not exists nba_analytics")
            for name in select:
                con.execute(f"create table if not exists nba_analytics.{name} "
                            "(game_date date, k integer, season_year integer)")
        return DbtOutcome(["run"], 0, [NodeResult(PKG + name, name, "model", "success", None, 0.1) for name in select])


def make_schedule(db_path, game_dates, bootstrap=()):
    with duckdb.connect(str(db_path)) as con:
        con.execute("create schema if not exists nba_raw")
        con.execute("create or replace table nba_raw.schedule (game_date date, is_bootstrap boolean)")
        con.executemany("insert into nba_raw.schedule values (?, ?)", [(d, d in bootstrap) for d in game_dates])

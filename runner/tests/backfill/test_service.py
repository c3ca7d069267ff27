"""The backfill service end to end with a fake dbt (it writes rows itself) and the real DuckDB ledger."""
from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from runner.backfill.store import DuckDBStore, LockHolder
from runner.config import Settings
from runner.console import CaptureConsole
from runner.dbt import DbtOutcome, NodeResult
from runner.errors import PipelineError, UsageError
from runner.services.backfill import BackfillRequest, backfill, validate_request
from runner.tests.backfill.fakes import FakeDbt, make_schedule

START = dt.date(2024, 11, 1)
DAYS = [START + dt.timedelta(days=i) for i in range(10)]
GAME_DATES = [d for d in DAYS if d.day != 5]  # 2024-11-05: no game
BAD = dt.date(2024, 11, 3)


# builds that are not one model × chunk: staging before, the phase views after
NOT_CHUNKS = ("prepare", "views", "store failures", "create empty")


@pytest.fixture
def env(tmp_path):
    db = tmp_path / "fake.duckdb"
    make_schedule(db, GAME_DATES)
    return Settings.load(duckdb_path=db), db


def run(settings, fake, **kw):
    console = CaptureConsole()
    request = BackfillRequest(start_date=DAYS[0], end_date=DAYS[-1], chunk_days=4, **kw)
    try:
        outcome = backfill(settings, console, request, dbt_factory=lambda s: fake)
        return outcome, console, 0
    except PipelineError as exc:
        return exc, console, exc.exit_code


def ledger(db):
    with duckdb.connect(str(db)) as con:
        return {(m, d): (s, r) for m, d, s, r in con.execute(
            "select model_name, ledger_date, status, reason from nba_orchestration.backfill_ledger").fetchall()}


def test_full_run_then_resume_does_nothing(env):
    settings, db = env
    fake = FakeDbt(db)
    outcome, _, code = run(settings, fake)
    assert code == 0
    rows = ledger(db)
    assert len(rows) == 5 * len(DAYS)
    assert {s for (m, d), (s, _) in rows.items() if d in GAME_DATES} == {"succeeded"}
    assert {s for (m, d), (s, _) in rows.items() if d not in GAME_DATES} == {"skipped_no_games"}
    # one dbt build per model and chunk, never per date
    assert len([b for b in fake.builds if b[0] not in NOT_CHUNKS]) == 5 * 3
    again = FakeDbt(db)
    outcome, _, code = run(settings, again)
    assert code == 0 and outcome.chunks_run == 0
    assert [b for b in again.builds if b[0] not in NOT_CHUNKS] == []


def test_a_run_from_empty_creates_every_public_table_in_one_dbt_invocation(env):
    settings, db = env
    fake = FakeDbt(db)
    with duckdb.connect(str(db)) as con:  # one model already has its public table
        con.execute("create schema if not exists nba_analytics")
        con.execute("create table nba_analytics.team_offense_game_summary (game_date date, k integer, season_year integer)")
    _, _, code = run(settings, fake)
    assert code == 0
    created = [b[1].split(",") for b in fake.builds if b[0] == "create empty"]
    assert len(created) == 1
    assert sorted(created[0]) == ["player_game_summary", "team_defense_game_summary",
                                  "upcoming_player_game_context", "upcoming_team_game_context"]


def test_a_model_the_one_invocation_left_without_a_table_creates_its_own(env):
    settings, db = env

    class Partial(FakeDbt):  # the batch creates its first model only (the others' upstream failed)
        def run(self, select=(), vars=None, empty=False, log_level=None):
            self.asked = [*getattr(self, "asked", []), list(select)]
            return super().run(select[:1], vars, empty, log_level)

    fake = Partial(db)
    _, _, code = run(settings, fake)
    assert code == 0
    assert len(fake.asked[0]) == 5  # the one invocation for all, then each missing model alone
    assert [len(a) for a in fake.asked[1:]] == [1, 1, 1, 1]
    assert sorted(sum(fake.asked[1:], [fake.asked[0][0]])) == sorted(fake.asked[0])
    assert {m for (m, _), (s, _) in ledger(db).items() if s == "succeeded"} == {
        "team_offense_game_summary", "team_defense_game_summary", "player_game_summary",
        "upcoming_player_game_context", "upcoming_team_game_context"}


def test_a_failed_date_blocks_its_same_date_dependants_flags_the_later_ones_and_resume_repairs_them(env):
    settings, db = env
    exc, console, code = run(settings, FakeDbt(db, fail={"player_game_summary": {BAD: 2}}))
    assert code == 1
    rows = ledger(db)
    assert rows[("player_game_summary", BAD)] == ("failed", "pgs_gate: 2 rows of 10 expected (20.0 % < 90 %)")
    blocked = sorted((m, d) for (m, d), (s, _) in rows.items() if s == "blocked")
    assert blocked == [("upcoming_player_game_context", BAD)]  # the same date only, never an earlier one
    assert rows[("upcoming_player_game_context", BAD)][1].startswith(f"upstream player_game_summary {BAD}: pgs_gate")
    # the later dates whose 30-day window reads BAD are built and say what their window misses
    flagged = {d: r for (m, d), (s, r) in rows.items() if m == "upcoming_player_game_context" and s == "succeeded"
               and r and r.startswith("incomplete window")}
    assert sorted(flagged) == [d for d in GAME_DATES if d > BAD]
    assert set(flagged.values()) == {
        f"incomplete window: player_game_summary {BAD} failed (no published rows, read without them)"}
    assert all(r is None for (m, d), (s, r) in rows.items() if s == "succeeded" and d not in flagged)
    assert any("player_game_summary: 1 date(s) failed" in m for _, m in console.messages)
    assert any("upcoming_player_game_context: 6 date(s) built on an incomplete window" in m
               for _, m in console.messages)

    fixed = FakeDbt(db)
    _, _, code = run(settings, fixed)
    assert code == 0
    redone = {(m, s, e) for m, s, e in fixed.builds if m not in NOT_CHUNKS}
    assert redone == {("player_game_summary", str(BAD), str(BAD)),
                      ("upcoming_player_game_context", str(BAD), "2024-11-06"),
                      ("upcoming_player_game_context", "2024-11-07", "2024-11-10")}
    assert {s for (m, d), (s, _) in ledger(db).items()} == {"succeeded", "skipped_no_games"}
    assert {r for (m, d), (s, r) in ledger(db).items()} == {None, "no final game on this date"}


def test_every_run_builds_staging_and_the_accounting_for_its_own_range_first(env):
    settings, db = env
    fake = FakeDbt(db)
    _, _, code = run(settings, fake)
    assert code == 0
    assert fake.builds[0] == ("prepare", str(DAYS[0]), str(DAYS[-1]))
    again = FakeDbt(db)
    console = CaptureConsole()
    backfill(settings, console, BackfillRequest(dates=(BAD,), resume=False), dbt_factory=lambda s: again)
    assert again.builds[0] == ("prepare", str(BAD), str(BAD))  # a one-date run counts that date only


def test_an_accounting_that_does_not_balance_stops_the_run_before_any_phase(env):
    settings, db = env
    fake = FakeDbt(db, unbalanced=[("nbac_gamebook_player_stats", BAD, 240, 3)])
    exc, _, code = run(settings, fake)
    assert code == 1
    assert "nbac_gamebook_player_stats 2024-11-03: 3 of 240 raw rows unaccounted" in str(exc)
    assert [b[0] for b in fake.builds] == ["prepare"]


def test_fail_fast_stops_at_the_first_failure(env):
    settings, db = env
    fake = FakeDbt(db, fail={"player_game_summary": {BAD: 0}})
    _, _, code = run(settings, fake, fail_fast=True)
    assert code == 1
    assert "upcoming_player_game_context" not in {b[0] for b in fake.builds}


def test_dry_run_writes_nothing_and_prints_the_plan(env):
    settings, db = env
    _, console, code = run(settings, FakeDbt(db), dry_run=True)
    assert code == 0
    assert console.tables[-1][0].startswith("Backfill plan 2024-11-01..2024-11-10 (dry run)")
    with duckdb.connect(str(db)) as con:
        assert con.execute("select count(*) from information_schema.tables "
                           "where table_schema in ('nba_orchestration', 'nba_analytics')").fetchone()[0] == 0


def test_a_missing_upstream_not_in_the_selection_blocks_and_is_listed(env):
    settings, db = env
    exc, console, code = run(settings, FakeDbt(db), select=("upcoming_player_game_context",))
    assert code == 1
    preflight = next(t for t in console.tables if t[0].startswith("Pre-flight"))
    assert ["phase3", "player_game_summary", 9, 0, 9, "2024-11-01, 2024-11-02, 2024-11-03 …"] in preflight[2]
    assert {s for (m, d), (s, _) in ledger(db).items() if d in GAME_DATES} == {"blocked"}


def test_a_live_lock_is_refused_naming_its_holder_and_a_dead_one_is_taken_over(env, tmp_path):
    import subprocess

    settings, db = env
    store = DuckDBStore(settings)
    sleeper = subprocess.Popen(["sleep", "30"])
    try:
        holder = LockHolder("other-run", LockHolder.current("x").host, sleeper.pid, "2024-11-01 00:00:00 UTC")
        assert store.acquire_lock(holder) is None
        exc, _, code = run(settings, FakeDbt(db))
        assert code == 2
        assert f"PID {sleeper.pid}" in str(exc) and "other-run" in str(exc)
    finally:
        sleeper.kill()
        sleeper.wait()
    _, console, code = run(settings, FakeDbt(db))  # the holder is gone: taken over
    assert code == 0
    assert "took over the lock" in console.text()
    assert not store.lock_path.exists()


@pytest.mark.parametrize("kw, message", [
    (dict(start_date=dt.date(2024, 11, 2), end_date=dt.date(2024, 11, 1)), "before --start-date"),
    (dict(start_date=dt.date(2024, 11, 1), end_date=dt.date.today() + dt.timedelta(days=1)), "in the future"),
    (dict(start_date=dt.date(2024, 11, 1)), "give --start-date and --end-date"),
    (dict(dates=(dt.date(2024, 11, 1),), start_date=dt.date(2024, 11, 2)), "outside"),
    (dict(start_date=dt.date(2024, 11, 1), end_date=dt.date(2024, 11, 2), chunk_days=0), "--chunk-days"),
])
def test_validation(kw, message):
    with pytest.raises(UsageError, match=message):
        validate_request(BackfillRequest(**kw))


def test_dates_runs_exactly_those_dates_and_chunks_never_span_the_others(env):
    settings, db = env
    fake = FakeDbt(db)
    console = CaptureConsole()
    picked = (dt.date(2024, 11, 2), dt.date(2024, 11, 4), dt.date(2024, 11, 5))
    backfill(settings, console, BackfillRequest(dates=picked, select=("team_offense_game_summary",)),
             dbt_factory=lambda s: fake)
    assert [b for b in fake.builds if b[0] not in NOT_CHUNKS] == [
        ("team_offense_game_summary", "2024-11-02", "2024-11-02"),
        ("team_offense_game_summary", "2024-11-04", "2024-11-04")]
    assert {d: s for (m, d), (s, _) in ledger(db).items()} == {
        picked[0]: "succeeded", picked[1]: "succeeded", picked[2]: "skipped_no_games"}


def _with_phase4(fake):
    from runner.tests.backfill.fakes import PKG, model_node

    tdza = model_node("team_defense_zone_analysis", tags=("phase4",), deps=[PKG + "team_defense_game_summary"],
                      backfill={"bootstrap": "skip", "window_days": 3})
    fake.manifest.nodes[tdza.unique_id] = tdza
    return fake


def test_phase4_skips_bootstrap_days_unless_asked_and_waits_for_phase3_readiness(tmp_path):
    db = tmp_path / "fake.duckdb"
    make_schedule(db, GAME_DATES, bootstrap=GAME_DATES[:2])
    settings = Settings.load(duckdb_path=db)
    _, _, code = run(settings, _with_phase4(FakeDbt(db)))
    assert code == 0
    rows = ledger(db)
    assert [rows[("team_defense_zone_analysis", d)][0] for d in GAME_DATES[:3]] == [
        "skipped_bootstrap", "skipped_bootstrap", "succeeded"]
    assert rows[("player_game_summary", GAME_DATES[0])][0] == "succeeded"  # bootstrap: none

    # Phase 3 loses most of team_offense_game_summary: each Phase 4 date is judged on its own
    # window (3 days): the dates whose windows lack it are blocked, naming it; the earlier ones run
    with duckdb.connect(str(db)) as con:
        con.execute("delete from nba_analytics.team_offense_game_summary where game_date > ?", [GAME_DATES[2]])
    exc, _, code = run(settings, _with_phase4(FakeDbt(db)), select=("phase4",), resume=False,
                       include_bootstrap=True)
    assert code == 1
    rows = ledger(db)
    assert [rows[("team_defense_zone_analysis", d)][0] for d in GAME_DATES[:3]] == ["succeeded"] * 3
    for d in GAME_DATES[3:]:
        status, reason = rows[("team_defense_zone_analysis", d)]
        assert status == "blocked" and "Phase 3 not ready in this date's window" in reason
        assert "team_offense_game_summary" in reason
    # the bootstrap days (11-01, 11-02) are not expected, as in production's pre-flight
    assert "2024-11-01..2024-11-04: 1 of 2 game dates (50.0 % < 95 %), missing 2024-11-04" in \
        rows[("team_defense_zone_analysis", GAME_DATES[3])][1]
    # the dry run shows the same per-date judgement before anything runs
    _, console, code = run(settings, _with_phase4(FakeDbt(db)), select=("phase4",), resume=False,
                           include_bootstrap=True, dry_run=True)
    title, _, table = next(t for t in console.tables if t[0].startswith("Readiness per date"))
    assert [list(r[:5]) for r in table] == [["phase4", "team_defense_zone_analysis", 9, 3, 6]]
    assert str(table[0][5]).startswith("2024-11-04: Phase 3 not ready in this date's window")
    _, _, code = run(settings, _with_phase4(FakeDbt(db)), select=("phase4",), include_bootstrap=True, force=True)
    assert code == 0
    assert ledger(db)[("team_defense_zone_analysis", GAME_DATES[0])][0] == "succeeded"


def test_the_phase_views_are_built_after_the_date_models_and_a_failure_there_fails_the_run(env):
    settings, db = env
    fake = FakeDbt(db)
    _, _, code = run(settings, fake)
    assert code == 0
    assert fake.builds[-1] == ("views", "pgs_training_view", None)  # once, after every chunk
    assert [b[0] for b in fake.builds].count("views") == 1

    broken = FakeDbt(db)
    broken.views_outcome = DbtOutcome(["build"], 1, [NodeResult(
        "model.p.ml_training_set", "ml_training_set", "model", "error", "boom", 0.1)])
    exc, console, code = run(settings, broken, resume=False)
    assert code == 1
    assert any("ml_training_set (error)" in m for _, m in console.messages)


def test_a_view_over_a_date_model_without_a_table_is_left_alone_without_an_error(env):
    # every date of player_game_summary blocked (its upstream missing): the view over it would only
    # fail for a cause the run already names, so it is not built and says why, as information
    settings, db = env
    fake = FakeDbt(db)
    fake.views_outcome = DbtOutcome(["build"], 1, [NodeResult(
        "model.p.pgs_training_view", "pgs_training_view", "model", "error", "table does not exist", 0.1)])
    exc, console, code = run(settings, fake, select=("upcoming_team_game_context", "upcoming_player_game_context"))
    assert code == 1  # the context's dates are blocked: player_game_summary has no rows
    assert "views" not in [b[0] for b in fake.builds]
    assert not any("did not build" in m for _, m in console.messages)
    assert any("pgs_training_view not built: player_game_summary has no table yet" in m for _, m in console.messages)


def test_an_upstream_that_skips_bootstrap_days_is_not_missing_there(tmp_path):
    from runner.tests.backfill.fakes import PKG, model_node

    db = tmp_path / "fake.duckdb"
    make_schedule(db, GAME_DATES, bootstrap=GAME_DATES[:2])
    settings = Settings.load(duckdb_path=db)
    _, _, code = run(settings, _with_phase4(FakeDbt(db)))  # TDZA: no rows on the bootstrap days
    assert code == 0

    # the feature store alone (placeholder rows on bootstrap days) reads TDZA, not built by this run
    fake = _with_phase4(FakeDbt(db))
    mlfs = model_node("ml_feature_store_v2", tags=("features",), deps=[PKG + "team_defense_zone_analysis"],
                      backfill={"bootstrap": "placeholder", "window_days": 30})
    fake.manifest.nodes[mlfs.unique_id] = mlfs
    _, _, code = run(settings, fake, select=("features",))
    assert code == 0
    rows = ledger(db)
    assert {rows[("ml_feature_store_v2", d)][0] for d in GAME_DATES} == {"succeeded"}

    # a real gap in TDZA after the bootstrap days still blocks the features of that date
    with duckdb.connect(str(db)) as con:
        con.execute("delete from nba_analytics.team_defense_zone_analysis where game_date = ?", [GAME_DATES[3]])
    _, _, code = run(settings, fake, select=("features",), resume=False)
    assert code == 1
    status, reason = ledger(db)[("ml_feature_store_v2", GAME_DATES[3])]
    assert status == "blocked" and "team_defense_zone_analysis" in reason
    assert ledger(db)[("ml_feature_store_v2", GAME_DATES[1])][0] == "succeeded"


def test_a_relation_is_shortened_alike_on_both_engines():
    """The failed-date note looks up the model's raw tables by name in raw_quarantine: BigQuery's
    backtick quoting must give the same name as DuckDB's double quotes."""
    from runner.services.backfill import _short_relation

    assert _short_relation('"nba"."nba_raw"."nbac_gamebook_player_stats"') == "nba_raw.nbac_gamebook_player_stats"
    assert _short_relation("`proj`.`nba_raw`.`nbac_gamebook_player_stats`") == "nba_raw.nbac_gamebook_player_stats"


def test_the_ledger_is_written_in_batches_and_the_later_row_of_a_key_wins(env, monkeypatch):
    import runner.backfill.store as store_module
    from runner.backfill.store_base import LedgerRow

    settings, db = env
    monkeypatch.setattr(store_module, "LEDGER_BATCH", 7)  # several statements, the last one partial
    store = DuckDBStore(settings)
    store.ensure_tables()
    first = dt.date(2024, 1, 1)
    rows = [LedgerRow("m", first + dt.timedelta(days=i), "running", "r1") for i in range(30)]
    rows += [LedgerRow("m", first + dt.timedelta(days=i), "succeeded", "r1", rows_written=i, coverage_pct=99.5,
                       reason=None, finished_at=dt.datetime(2024, 2, 1, 12)) for i in range(0, 30, 3)]
    store.write_ledger(rows)
    store.write_ledger([LedgerRow("m", first, "failed", "r2", reason="coverage")])
    got = {(r.date, r.status, r.run_id, r.rows_written) for r in store.read_ledger(["m"], None, None)}
    store.close()
    expected = {(first + dt.timedelta(days=i), "running", "r1", None) for i in range(30) if i % 3}
    expected |= {(first + dt.timedelta(days=i), "succeeded", "r1", i) for i in range(3, 30, 3)}
    expected |= {(first, "failed", "r2", None)}
    assert got == expected

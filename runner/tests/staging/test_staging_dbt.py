"""Staging layer end to end: a faulted simulated season through `dbt build --select staging orchestration`.

The simulator writes one faulted season to a temporary DuckDB file; to keep the build short, every
table is then cut down to the dates that a fault touched (a few dozen). One dbt invocation (in
process, through runner.dbt like the runner), then checks with plain SQL:
- the build succeeds (models, unit tests, data tests, the accounting singular test);
- raw_row_accounting balances exactly, and its raw_rows equal the simulator's own row counts;
- every row that the simulator reports as made unusable by a fault is in raw_quarantine with the
  expected reason, and raw_quarantine holds nothing else but Ball Don't Lie's own inconsistent rows
  (the simulator's 2 % of BDL rows whose points disagree with their shots, or whose minutes run past
  the game: impossible rows the row rules rightly keep out), each checked against its raw values;
- late corrections leave the old row superseded and the corrected row staged;
- null_stats rows are staged (kept, stats NULL).
"""
from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from runner.config import Settings
from runner.dbt import Dbt
from runner.simulator import FAULTS, TABLES, generate

pytestmark = pytest.mark.slow

SEASON = 2023

# fault → quarantine reason of the rows it reports (None: the rows are not quarantined)
EXPECTED_REASON = {
    "duplicate_rows": "duplicate_row",
    "malformed_minutes": "malformed_minutes",
    "unknown_team": "unknown_team",
    "unresolvable_player": "unresolvable_player",
}


def _effect_date(key: dict) -> str:
    """The date of a fault effect: its game_date, else the YYYYMMDD of its standard game id."""
    if key.get("game_date"):
        return str(key["game_date"])[:10]
    g = str(key["game_id"])
    return f"{g[:4]}-{g[4:6]}-{g[6:8]}"


def _keep_only_dates(db: Path, dates: set[str]) -> dict[str, int]:
    """Delete every raw row dated outside `dates`; return the row counts left per table."""
    con = duckdb.connect(str(db))
    try:
        days = ", ".join(f"date '{d}'" for d in sorted(dates))
        counts = {}
        for t in TABLES.values():
            con.execute(f"delete from nba_raw.{t.name} where {t.date_column} not in ({days})")
            counts[t.name] = con.execute(f"select count(*) from nba_raw.{t.name}").fetchone()[0]
        return counts
    finally:
        con.close()


def _natural_key_text(key: dict) -> str:
    """The readable natural_key of raw_quarantine: `col=value|...`, NULL spelled NULL."""
    return "|".join(f"{k}={'NULL' if v is None else v}" for k, v in key.items())


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("staging")
    db = tmp / "raw.duckdb"
    report = generate(str(db), SEASON, SEASON, faults=list(FAULTS))
    raw_counts = _keep_only_dates(db, {_effect_date(e.key) for e in report.fault_effects})

    mp = pytest.MonkeyPatch()
    mp.setenv("NBA_THREADS", "4")  # dbt nodes mostly wait on Python, not on DuckDB
    try:
        # the runner's own wrapper: in process, tests selected 'buildable' (no
        # Phase 3 test that also reads the schedule runs with staging)
        outcome = Dbt(Settings.load(duckdb_path=db)).build(select=["staging", "orchestration"])
    finally:
        mp.undo()
    failures = [f"{n.unique_id}: {n.status} {n.message}" for n in outcome.failed_nodes]
    con = duckdb.connect(str(db))  # same process as dbt-duckdb: same (default) config
    yield report, raw_counts, outcome, failures, con
    con.close()


def test_build_succeeds(built):
    _, _, outcome, failures, _ = built
    assert outcome.error is None, outcome.error
    assert outcome.success, failures
    assert {n.name for n in outcome.nodes if n.resource_type == "model"} >= {"raw_quarantine", "raw_row_accounting"}


def test_accounting_is_exact(built):
    _, raw_counts, _, _, con = built
    rows = con.execute(
        "select source_table, sum(raw_rows), sum(staged_rows), sum(excluded_rows), sum(quarantined_rows),"
        " sum(superseded_rows), bool_and(is_balanced)"
        " from nba_orchestration.raw_row_accounting group by source_table").fetchall()
    assert {r[0] for r in rows} == {t for t, n in raw_counts.items() if n}
    for table, raw, staged, excluded, quarantined, superseded, balanced in rows:
        assert raw == raw_counts[table], table
        assert raw == staged + excluded + quarantined + superseded, table
        assert balanced, table
    states = con.execute("select distinct accounting_state from nba_orchestration.raw_accounting_freshness").fetchall()
    assert states == [("current",)]


def test_fault_rows_land_in_quarantine_with_their_reason(built):
    report, _, _, _, con = built
    expected = Counter()
    for e in report.fault_effects:
        if e.fault in EXPECTED_REASON and not _missing_minutes(e):
            expected[(e.table, EXPECTED_REASON[e.fault], _natural_key_text(e.key))] += 1
    assert expected, "the faulted run reported no row-level effect"
    actual = Counter(con.execute(
        "select source_table, reason, natural_key from nba_orchestration.raw_quarantine").fetchall())
    assert expected - actual == Counter(), "fault rows not quarantined with their reason"
    extra = actual - expected
    assert {(t, r) for t, r, _ in extra} <= {("bdl_player_boxscores", "points_mismatch"),
                                             ("bdl_player_boxscores", "minutes_above_game_length")}, extra
    # each is what its raw values say: points unequal to the shots, or minutes past the game's length
    broken = {(r, k) for r, k in con.execute(
        """
        select 'points_mismatch', 'game_id=' || game_id || '|player_lookup=' || player_lookup
        from nba_raw.bdl_player_boxscores
        where points <> 2 * field_goals_made + three_pointers_made + free_throws_made
        union all
        select 'minutes_above_game_length', 'game_id=' || b.game_id || '|player_lookup=' || b.player_lookup
        from nba_raw.bdl_player_boxscores as b
        join nba_raw.nbac_team_boxscore as t on t.game_id = b.game_id
        where b.minutes like '%:%'
            and 60 * cast(split_part(b.minutes, ':', 1) as int) + cast(split_part(b.minutes, ':', 2) as int)
                > 60 * cast(split_part(t.minutes, ':', 1) as int) / 5
        """).fetchall()}
    assert {(r, k) for _, r, k in extra} <= broken


def _missing_minutes(effect) -> bool:
    """A malformed_minutes effect that writes '-' or '': minutes missing, not malformed."""
    return effect.fault == "malformed_minutes" and (effect.new or {}).get("minutes") in ("-", "")


def test_missing_minutes_are_staged_as_null_for_the_null_rate_gates(built):
    report, _, _, _, con = built
    effects = [e for e in report.fault_effects if _missing_minutes(e)]
    assert effects
    for e in effects:
        got = con.execute(
            "select minutes_played, is_active from nba_raw.stg_nba_raw__nbac_gamebook_player_stats"
            " where game_id = ? and player_lookup = ?", [e.key["game_id"], e.key["player_lookup"]]).fetchall()
        assert got == [(None, True)], e


def test_late_corrections_supersede_the_old_row(built):
    report, _, _, _, con = built
    effects = [e for e in report.fault_effects if e.fault == "late_correction"]
    assert effects
    for e in effects:
        key = {k: v for k, v in e.key.items() if k != "processed_at"}
        where = " and ".join(f"{k} = ?" for k in key)
        rows = con.execute(
            f"select row_disposition, cast(processed_at as varchar) from nba_raw.base_nba_raw__{e.table}"
            f" where {where} order by processed_at", list(key.values())).fetchall()
        assert [d for d, _ in rows] == ["superseded", "staged"], (e, rows)
        assert rows[-1][1].startswith(str(e.key["processed_at"])[:19]), (e, rows)


def test_null_stats_rows_are_staged_with_null_points(built):
    report, _, _, _, con = built
    effects = [e for e in report.fault_effects if e.fault == "null_stats"]
    assert effects
    for e in effects:
        got = con.execute(
            "select points from nba_raw.stg_nba_raw__nbac_gamebook_player_stats"
            " where game_id = ? and player_lookup = ?", [e.key["game_id"], e.key["player_lookup"]]).fetchall()
        assert got == [(None,)], e


# -- staging kept by date (staging_incremental_config, macros/staging/raw_accounting.sql) ----------

def _stage(db: Path, vars: dict | None = None) -> None:
    outcome = Dbt(Settings.load(duckdb_path=db)).build(
        select=["staging"], vars=vars, exclude=["resource_type:test", "resource_type:unit_test"])
    assert outcome.success, [f"{n.unique_id}: {n.message}" for n in outcome.failed_nodes] or outcome.error


def _copy_db(src: Path, dst: Path) -> None:
    """A copy of a DuckDB file that dbt's in-process instance may still hold: checkpointed first
    (its last writes may be in the write-ahead log only)."""
    con = duckdb.connect(str(src))
    con.execute("checkpoint")
    con.close()
    shutil.copy(src, dst)


def _base_tables(con) -> list[str]:
    return [r[0] for r in con.execute(
        "select table_name from information_schema.tables where table_schema = 'nba_raw'"
        " and table_name like 'base_nba_raw__%' and table_type = 'BASE TABLE' and table_catalog = current_database()"
        " order by 1").fetchall()]


def _differences(con, table: str, left: str, right: str, where: str = "true") -> tuple[int, int]:
    """Rows of `table` in catalog `left` not in `right`, and the other way (EXCEPT ALL)."""
    def one(a, b):
        return con.execute(f"select count(*) from (select * from {a}.nba_raw.{table} where {where}"
                           f" except all select * from {b}.nba_raw.{table} where {where})").fetchone()[0]
    return one(left, right), one(right, left)


@pytest.fixture(scope="module")
def split_staged(built, tmp_path_factory):
    """A copy of the raw rows staged by runs over three ranges (one a single date) after a first
    build on empty raw tables, as daily and weekly runs would; with the catalog `full` attached,
    the build of the fixture (every raw row at once)."""
    report, _, _, _, full_con = built
    full_con.execute("checkpoint")
    full_db = Path(full_con.execute("select path from duckdb_databases() where database_name = current_database()"
                                    ).fetchone()[0])
    tmp = tmp_path_factory.mktemp("staging_split")
    db, full_copy = tmp / "split.duckdb", tmp / "full_build.duckdb"
    shutil.copy(full_db, db)
    shutil.copy(full_db, full_copy)  # the fixture's file is open in this process: attach a copy
    con = duckdb.connect(str(db))
    con.execute("create schema hold")
    for t in TABLES.values():
        con.execute(f"create table hold.{t.name} as select * from nba_raw.{t.name}")
        con.execute(f"delete from nba_raw.{t.name}")
    con.close()
    _stage(db, vars=None)  # the base tables exist, empty
    con = duckdb.connect(str(db))
    for t in TABLES.values():
        con.execute(f"insert into nba_raw.{t.name} select * from hold.{t.name}")
    days = sorted({_effect_date(e.key) for e in report.fault_effects})
    con.close()
    middle = days[len(days) // 2]
    ranges = [("1900-01-02", days[len(days) // 2 - 1]), (middle, middle), (days[len(days) // 2 + 1], "2099-12-31")]
    for start, end in ranges:
        _stage(db, vars={"start_date": start, "end_date": end})
    con = duckdb.connect(str(db))
    con.execute(f"attach '{full_copy}' as full_build (read_only)")
    yield db, con, days
    con.close()


def test_any_split_of_runs_stages_the_same_rows_as_one_build(split_staged):
    _, con, _ = split_staged
    tables = _base_tables(con)
    assert len(tables) == 13, tables
    assert {t: _differences(con, t, "split", "full_build") for t in tables} == dict.fromkeys(tables, (0, 0))
    assert con.execute("select count(*) from nba_raw.stg_nba_raw__nbac_gamebook_player_stats").fetchone()[0] > 0


def test_a_run_restages_its_own_dates_and_leaves_the_others_as_their_last_run_staged_them(split_staged, tmp_path):
    db, con, days = split_staged
    day, other = days[0], days[-1]
    gamebook = "nba_raw.nbac_gamebook_player_stats"
    full_db = con.execute("select path from duckdb_databases() where database_name = 'full_build'").fetchone()[0]
    before_other = con.execute(f"select count(*) from nba_raw.base_nba_raw__nbac_gamebook_player_stats"
                               f" where game_date = date '{other}'").fetchone()[0]
    # on both dates: one row deleted, one re-sent later with another plus-minus
    for d in (day, other):
        game, player = con.execute(f"select game_id, player_lookup from {gamebook} where game_date = date '{d}'"
                                   " and lower(player_status) = 'active' order by 1, 2 limit 1").fetchone()
        con.execute(f"insert into {gamebook} select * replace (plus_minus + 1 as plus_minus,"
                    " processed_at + interval 1 hour as processed_at)"
                    f" from {gamebook} where game_id = ? and player_lookup = ?", [game, player])
        con.execute(f"delete from {gamebook} where game_date = date '{d}' and (game_id, player_lookup) in"
                    f" (select game_id, player_lookup from {gamebook} where game_date = date '{d}'"
                    "   and lower(player_status) <> 'active' order by 1, 2 limit 1)")
    con.execute("checkpoint")
    con.close()
    try:
        _stage(db, vars={"start_date": day, "end_date": day})
        reference = tmp_path / "reference.duckdb"
        _copy_db(db, reference)
        _stage(reference, vars=None)  # every raw row classified again
        _copy_db(reference, tmp_path / "rebuilt.duckdb")  # dbt's instance still holds the file
    finally:
        con = duckdb.connect(str(db))
        con.execute(f"attach '{full_db}' as full_build (read_only)")
    con.execute(f"attach '{tmp_path / 'rebuilt.duckdb'}' as reference (read_only)")
    table = "base_nba_raw__nbac_gamebook_player_stats"
    assert _differences(con, table, "split", "reference", f"game_date = date '{day}'") == (0, 0)
    assert con.execute(f"select count(*) from nba_raw.{table} where game_date = date '{day}'"
                       " and row_disposition = 'superseded'").fetchone()[0] >= 1
    # the other date keeps what its last run staged: its raw rows changed after that run
    assert _differences(con, table, "split", "full_build", f"game_date = date '{other}'") == (0, 0)
    assert _differences(con, table, "split", "reference", f"game_date = date '{other}'") != (0, 0)
    assert before_other == con.execute(f"select count(*) from nba_raw.{table}"
                                       f" where game_date = date '{other}'").fetchone()[0]

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

"""Phase 4 (the four precompute tables) on one simulated season, through the runner's dbt wrapper.

- the shared clean world's build (the runner, every phase) ran every Phase 4 model and test, all
  passing; no Phase 4 rows on bootstrap days;
- the seeds' 2026-01-06 incident replayed: with UPCG reduced to one player for a date, composite
  factors and the daily cache fall back to a context from player_game_summary, keep ≥ 90 % coverage
  and say so in context_source;
- a one-week run rewrites exactly that week; the same range twice gives identical tables;
- point in time: changing or deleting Phase 3 rows dated on or after D leaves every Phase 4 row of D
  unchanged, while changing a game before D inside a window changes them.

The tests share one copy of the clean world (module fixture) and run in file order: the last one damages every date
after its D.
"""
from __future__ import annotations

import duckdb
import pytest

from runner.checksums import table_checksum
from runner.dbt import Dbt

pytestmark = pytest.mark.slow

# table -> its date column
PHASE4 = {
    "team_defense_zone_analysis": "analysis_date",
    "player_shot_zone_analysis": "analysis_date",
    "player_composite_factors": "game_date",
    "player_daily_cache": "cache_date",
}
BOOTSTRAP = ("2024-10-22", "2024-11-04")  # season 2024 opens 2024-10-22; days 0-13
WEEK = {"start_date": "2024-11-25", "end_date": "2024-12-01"}
OUTSIDE_DATE = "2024-12-03"  # after the week: the week never reads it
INCIDENT_DATE = "2024-12-05"
PIT_DATE = "2024-12-10"
FALLBACK = "player_game_summary_fallback"
UPCG_SOURCE = "upcoming_player_game_context"
# the fallback context's fatigue fields by their definition (every earlier played game of the
# season ranked), against player_composite_factors' rows of the date ($1): rows compared, mismatches
FALLBACK_REFERENCE_SQL = """
    with pcf as (
        select *
        from nba_precompute.player_composite_factors
        where game_date = cast($1 as date) and context_source = 'player_game_summary_fallback'
    ),
    history as (
        select
            pcf.player_lookup,
            pgs.game_date,
            pgs.minutes_played,
            pgs.usage_rate,
            row_number() over (partition by pcf.player_lookup order by pgs.game_date desc) as game_rank
        from pcf
        inner join nba_analytics.player_game_summary as pgs
            on pgs.player_lookup = pcf.player_lookup
            and pgs.season_year = pcf.season_year
            and pgs.game_date < pcf.game_date
        where pgs.is_active and not coalesce(pgs.is_dnp, false) and pgs.points is not null
            and (pgs.points > 0 or pgs.minutes_played > 0)
    ),
    reference as (
        select
            player_lookup,
            date_diff('day', max(game_date), cast($1 as date)) as days_rest,
            count(*) filter (where game_date > cast($1 as date) - 7) as games_7,
            sum(cast(round(minutes_played * 10) as bigint)) filter (where game_date > cast($1 as date) - 7)
                / 10.0 as minutes_7,
            sum(cast(round(usage_rate * 1e6) as bigint)) filter (where game_rank <= 7)
                / count(usage_rate) filter (where game_rank <= 7) / 1e6 as usage_7
        from history
        group by 1
    ),
    compared as (
        select
            pcf.player_lookup,
            (pcf.days_rest, pcf.games_in_last_7_days, pcf.minutes_in_last_7_days,
             pcf.avg_minutes_per_game_last_7, pcf.avg_usage_rate_last_7_games) as got,
            (ref.days_rest, coalesce(ref.games_7, 0), round(coalesce(ref.minutes_7, 0), 0),
             case when ref.games_7 > 0 then round(ref.minutes_7 / ref.games_7, 1) end,
             round(ref.usage_7, 2)) as expected
        from pcf
        left join reference as ref
            on ref.player_lookup = pcf.player_lookup
    )
    select
        count(*),
        coalesce(list((player_lookup, got, expected)) filter (where got is distinct from expected), [])
    from compared
"""


def _checksums(con, where_for) -> dict[str, str]:
    return {t: table_checksum(con, f"nba_precompute.{t}", "hash", where=where_for(c)) for t, c in PHASE4.items()}


def _between(start: str, end: str):
    return lambda c: f"{c} between date '{start}' and date '{end}'"


def _run_phase4(dbt: Dbt, start: str, end: str):
    outcome = dbt.invoke("run", "--quiet", "--select", "tag:phase4", vars={"start_date": start, "end_date": end})
    assert outcome.success, [(n.name, n.message) for n in outcome.failed_nodes]
    return outcome


def _coverage(con, table: str, date_col: str, day: str) -> float:
    found, expected = con.execute(
        f"""
        select count(distinct p4.player_lookup), count(distinct pgs.player_lookup)
        from nba_analytics.player_game_summary as pgs
        left join nba_precompute.{table} as p4
            on p4.{date_col} = pgs.game_date and p4.player_lookup = pgs.player_lookup
        where pgs.game_date = date '{day}'
        """
    ).fetchone()
    assert expected > 0, f"no player_game_summary rows on {day}: pick another date"
    return 100.0 * found / expected


@pytest.fixture(scope="module")
def built(clean_copy):
    """This module's copy of the clean world: (db, dbt, world)."""
    return clean_copy


def test_a_range_build_passes_every_test_with_no_rows_on_bootstrap_days(built):
    db, dbt, world = built
    # every Phase 4 model built, and every data test of theirs ran in the world's build and passed (or warned)
    tests = world.assert_built(dbt.manifest, {f"model.nba_pipeline.{t}" for t in PHASE4})
    assert any("pcf_coverage_vs_pgs_players_gate" in t for t in tests)
    with duckdb.connect(str(db)) as con:
        for table, col in PHASE4.items():
            in_bootstrap = con.execute(
                f"select count(*) from nba_precompute.{table} "
                f"where {col} between date '{BOOTSTRAP[0]}' and date '{BOOTSTRAP[1]}'"
            ).fetchone()[0]
            assert in_bootstrap == 0, table
            n, first, last, days = con.execute(
                f"select count(*), min({col}), max({col}), count(distinct {col}) from nba_precompute.{table}"
            ).fetchone()
            assert n > 0 and str(first) == "2024-11-05" and last <= world.end, (table, first, last)
            assert days >= 35, (table, days)
        # magnitudes: ~30 teams, several hundred players in PSZA, PCF ~ the players of the date
        teams = con.execute(
            "select min(n), max(n) from (select analysis_date, count(*) as n "
            "from nba_precompute.team_defense_zone_analysis group by 1)"
        ).fetchone()
        assert teams == (30, 30)
        assert con.execute(
            "select count(*) from nba_precompute.player_composite_factors where context_source <> ?", [UPCG_SOURCE]
        ).fetchone()[0] == 0


def test_incident_replay_falls_back_to_player_game_summary(built):
    db, dbt, _ = built
    with duckdb.connect(str(db)) as con:
        before = con.execute(
            "select count(*) from nba_analytics.upcoming_player_game_context where game_date = ?", [INCIDENT_DATE]
        ).fetchone()[0]
        assert before > 100
        # the seeds' incident: UPCG held 1 player of the date
        con.execute(
            """
            delete from nba_analytics.upcoming_player_game_context
            where game_date = ? and player_lookup <> (
                select min(player_lookup) from nba_analytics.upcoming_player_game_context where game_date = ?)
            """,
            [INCIDENT_DATE, INCIDENT_DATE],
        )
        assert con.execute(
            "select count(*) from nba_analytics.upcoming_player_game_context where game_date = ?", [INCIDENT_DATE]
        ).fetchone()[0] == 1

    outcome = dbt.invoke(
        "build", "--quiet", "--select", "tag:phase4", "--indirect-selection", "buildable",
        vars={"start_date": INCIDENT_DATE, "end_date": INCIDENT_DATE},
    )
    assert outcome.success, [(n.name, n.status, n.message) for n in outcome.failed_nodes]

    with duckdb.connect(str(db)) as con:
        for table, col in (("player_composite_factors", "game_date"), ("player_daily_cache", "cache_date")):
            assert _coverage(con, table, col, INCIDENT_DATE) >= 90.0, table
            sources = dict(con.execute(
                f"select {col} = date '{INCIDENT_DATE}', string_agg(distinct context_source, ',') "
                f"from nba_precompute.{table} group by 1"
            ).fetchall())
            assert sources[True] == FALLBACK, (table, sources)
            assert sources[False] == UPCG_SOURCE, (table, sources)
        # the fallback context is history strictly before D: rest and recent games are filled
        filled = con.execute(
            "select avg(case when days_rest is not null then 1.0 else 0 end), max(games_in_last_7_days) "
            "from nba_precompute.player_composite_factors where game_date = ?", [INCIDENT_DATE]
        ).fetchone()
        assert filled[0] > 0.8 and filled[1] >= 2, filled
        # ... and each fallback row holds its definition: the player's played games of the season
        # before D ranked newest first (rest from the first, average usage over the first 7), the
        # games and whole-tenth minutes of the 7 days before D
        compared, mismatches = con.execute(FALLBACK_REFERENCE_SQL, [INCIDENT_DATE]).fetchone()
        assert compared > 100 and mismatches == [], (compared, mismatches)


def test_a_week_run_rewrites_exactly_that_week_and_twice_is_identical(built):
    db, dbt, _ = built
    week = _between(WEEK["start_date"], WEEK["end_date"])
    outside = lambda c: f"not ({week(c)})"  # noqa: E731
    with duckdb.connect(str(db)) as con:
        inside_before = _checksums(con, week)
        for table, col in PHASE4.items():
            had = con.execute(
                f"select count(*) from nba_precompute.{table} where {col} = date '{OUTSIDE_DATE}'"
            ).fetchone()[0]
            assert had > 0, f"{table} has no rows on {OUTSIDE_DATE}: pick another game date"
            con.execute(f"delete from nba_precompute.{table} where {week(col)} or {col} = date '{OUTSIDE_DATE}'")
        outside_damaged = _checksums(con, outside)

    _run_phase4(dbt, WEEK["start_date"], WEEK["end_date"])
    with duckdb.connect(str(db)) as con:
        assert _checksums(con, week) == inside_before  # the week is back, identical
        assert _checksums(con, outside) == outside_damaged  # nothing outside was touched
        everything = _checksums(con, lambda c: "true")

    _run_phase4(dbt, WEEK["start_date"], WEEK["end_date"])
    with duckdb.connect(str(db)) as con:
        assert _checksums(con, lambda c: "true") == everything


def _paint_rate_and_points_avg(con, player: str) -> tuple:
    """The player's paint_rate_last_10 (player_shot_zone_analysis) and points_avg_last_5
    (player_daily_cache) on PIT_DATE."""
    return con.execute(
        "select psza.paint_rate_last_10, pdc.points_avg_last_5 "
        "from nba_precompute.player_shot_zone_analysis as psza "
        "inner join nba_precompute.player_daily_cache as pdc "
        "on pdc.cache_date = psza.analysis_date and pdc.player_lookup = psza.player_lookup "
        f"where psza.analysis_date = date '{PIT_DATE}' and psza.player_lookup = ?", [player]
    ).fetchone()


def test_point_in_time_only_history_before_the_date_counts(built):
    db, dbt, _ = built
    on_date = lambda c: f"{c} = date '{PIT_DATE}'"  # noqa: E731
    _run_phase4(dbt, PIT_DATE, PIT_DATE)
    with duckdb.connect(str(db)) as con:
        before = _checksums(con, on_date)
        assert all(v != "empty" for v in before.values()), before
        # change every stat the windows read on D and after, delete everything after D
        con.execute(f"""
            update nba_analytics.player_game_summary
            set points = points + 7, minutes_played = minutes_played + 3, usage_rate = usage_rate + 5,
                paint_attempts = paint_attempts + 4, three_pt_attempts = three_pt_attempts + 2,
                fg_makes = fg_makes + 2, assisted_fg_makes = assisted_fg_makes + 1
            where game_date >= date '{PIT_DATE}'
        """)
        con.execute(f"""
            update nba_analytics.team_defense_game_summary
            set opp_paint_makes = opp_paint_makes + 5, opp_paint_attempts = opp_paint_attempts + 6,
                defensive_rating = defensive_rating + 9, opponent_pace = opponent_pace + 4,
                points_allowed = points_allowed + 12
            where game_date >= date '{PIT_DATE}'
        """)
        con.execute(f"""
            update nba_analytics.team_offense_game_summary
            set pace = pace + 6, offensive_rating = offensive_rating + 8
            where game_date >= date '{PIT_DATE}'
        """)
        for table in ("player_game_summary", "team_defense_game_summary", "team_offense_game_summary",
                      "upcoming_player_game_context", "upcoming_team_game_context"):
            con.execute(f"delete from nba_analytics.{table} where game_date > date '{PIT_DATE}'")

    _run_phase4(dbt, PIT_DATE, PIT_DATE)
    with duckdb.connect(str(db)) as con:
        assert _checksums(con, on_date) == before

        # a game before D inside the windows does count: the player's latest qualifying game
        player, last_game = con.execute(f"""
            select psza.player_lookup, max(pgs.game_date)
            from nba_precompute.player_shot_zone_analysis as psza
            inner join nba_precompute.player_daily_cache as pdc
                on pdc.cache_date = psza.analysis_date and pdc.player_lookup = psza.player_lookup
            inner join nba_analytics.player_game_summary as pgs
                on pgs.player_lookup = psza.player_lookup and pgs.game_date < psza.analysis_date
                and pgs.is_active and pgs.minutes_played > 0 and pgs.points > 0
            where psza.analysis_date = date '{PIT_DATE}' and psza.paint_rate_last_10 between 10 and 90
            group by 1
            order by 1
            limit 1
        """).fetchone()
        old = _paint_rate_and_points_avg(con, player)
        con.execute(
            "update nba_analytics.player_game_summary set points = points + 10, paint_attempts = paint_attempts + 6 "
            "where player_lookup = ? and game_date = ?", [player, last_game]
        )

    _run_phase4(dbt, PIT_DATE, PIT_DATE)
    with duckdb.connect(str(db)) as con:
        new = _paint_rate_and_points_avg(con, player)
        assert new[0] > old[0] and new[1] == pytest.approx(old[1] + 2.0, abs=0.011), (player, old, new)

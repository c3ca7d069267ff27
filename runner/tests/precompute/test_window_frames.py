"""The Phase 4 windows at the cost of a scan, against their definition (hypothesis, on DuckDB).

A Phase 4 table reads, for each date D, an aggregate over an entity's games of D's season strictly
before D: the last N of them newest first, or all of them. The models compute it in one pass over
each entity's games (exact_avg / exact_stddev_samp / sum_tenths with `over`, a window frame ending
at each game) and fetch, for D, the row of the entity's last game before D (macro
last_game_before: the game whose next one is on or after D, or has none). The definition is the
grouped form: every date joined with every earlier game, ranked newest first, the rank filtered.
On random seasons (gaps, NULL values, dates before the first game, on a game day, after the last
one) both must give the same rows, bit for bit.

The two forms are compiled once through runner.dbt (one inline compile over tables named
``given_*``); each example runs them in an in-memory DuckDB.
"""
from __future__ import annotations

import datetime as dt
import math

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from runner.config import Settings
from runner.dbt import Dbt

pytestmark = pytest.mark.slow

N = 5
SEQUENCE = "partition by entity, season_year order by game_date"
FRAME_N = f"{SEQUENCE} rows between {N - 1} preceding and current row"
FRAME_ALL = f"{SEQUENCE} rows between unbounded preceding and current row"
AGGREGATES = ["games_n", "games_all", "avg_n", "avg_all", "std_n", "tenths_n"]

QUERIES = {
    "scan": f"""
        with sequence as (
            select
                entity,
                season_year,
                game_date,
                count(*) over ({FRAME_N}) as games_n,
                count(*) over ({FRAME_ALL}) as games_all,
                {{{{ exact_avg('x', 2, over="{FRAME_N}") }}}} as avg_n,
                {{{{ exact_avg('x', 2, over="{FRAME_ALL}") }}}} as avg_all,
                {{{{ exact_stddev_samp('k', over="{FRAME_N}") }}}} as std_n,
                {{{{ sum_tenths('m', over="{FRAME_N}") }}}} as tenths_n,
                lead(game_date) over ({SEQUENCE}) as next_game_date
            from given_games
        )
        select dates.analysis_date, games.entity, {", ".join("games." + a for a in AGGREGATES)}
        from given_dates as dates
        inner join sequence as games
            on games.season_year = dates.season_year
            and {{{{ last_game_before('games', 'dates.analysis_date') }}}}
    """,
    "ranked": f"""
        with history as (
            select
                dates.analysis_date,
                games.*,
                row_number() over (
                    partition by dates.analysis_date, games.entity order by games.game_date desc
                ) as game_rank
            from given_dates as dates
            inner join given_games as games
                on games.season_year = dates.season_year
                and games.game_date < dates.analysis_date
        )
        select
            analysis_date,
            entity,
            sum(case when game_rank <= {N} then 1 else 0 end) as games_n,
            count(*) as games_all,
            {{{{ exact_avg('case when game_rank <= {N} then x end', 2) }}}} as avg_n,
            {{{{ exact_avg('x', 2) }}}} as avg_all,
            {{{{ exact_stddev_samp('case when game_rank <= {N} then k end') }}}} as std_n,
            {{{{ sum_tenths('case when game_rank <= {N} then m end') }}}} as tenths_n
        from history
        group by 1, 2
    """,
}


@pytest.fixture(scope="module")
def sql(tmp_path_factory) -> dict[str, str]:
    path = tmp_path_factory.mktemp("window_frames") / "empty.duckdb"
    return Dbt(Settings.load(duckdb_path=path)).compile_inline_many(QUERIES)


DAY0 = dt.date(2024, 10, 22)


def _run(sql: dict[str, str], games: list[tuple], dates: list[tuple]) -> tuple[list[tuple], list[tuple]]:
    con = duckdb.connect()
    con.execute("create table given_games (entity varchar, season_year bigint, game_date date, "
                "x double, k bigint, m double)")
    con.execute("create table given_dates (analysis_date date, season_year bigint)")
    if games:
        con.executemany("insert into given_games values (?, ?, ?, ?, ?, ?)", games)
    con.executemany("insert into given_dates values (?, ?)", dates)
    return sorted(con.execute(sql["scan"]).fetchall()), sorted(con.execute(sql["ranked"]).fetchall())


values = st.one_of(st.none(), st.floats(0, 60, allow_nan=False, allow_infinity=False))
counts = st.one_of(st.none(), st.integers(0, 70))
minutes = st.one_of(st.none(), st.integers(0, 480).map(lambda t: t / 10))
# one entity's season: distinct game days (offsets from DAY0), each with its values
season = st.dictionaries(st.integers(0, 80), st.tuples(values, counts, minutes), max_size=25)


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(st.tuples(st.sampled_from(["pa", "pb", "pc"]), st.sampled_from([2024, 2025])),
                    season, max_size=5),
    # the dates, each of one season (as int_phase4_analysis_dates)
    st.dictionaries(st.integers(0, 90), st.sampled_from([2024, 2025]), min_size=1, max_size=12),
)
def test_the_scan_gives_the_ranked_rows_bit_for_bit(sql, seasons, days):
    games = [(entity, year, DAY0 + dt.timedelta(days=day), x, k, m)
             for (entity, year), played in seasons.items() for day, (x, k, m) in played.items()]
    dates = [(DAY0 + dt.timedelta(days=day), year) for day, year in days.items()]
    scan, ranked = _run(sql, games, dates)
    assert scan == ranked


def test_given_expect(sql):
    # pa: 7 games, the 7th on D (not read); the last 5 before D are games 2-6
    games = [("pa", 2024, DAY0 + dt.timedelta(days=2 * i), float(10 * i), i, 30.5 if i % 2 else None)
             for i in range(7)]
    games.append(("pa", 2025, DAY0 - dt.timedelta(days=200), 99.0, 99, 48.0))  # another season
    d = DAY0 + dt.timedelta(days=12)
    scan, ranked = _run(sql, games, [(d, 2024), (DAY0, 2024)])
    # games 1-5 before D (points 10..50): avg 30, all 6 games (0..50): avg 25; k 1..5: sd 1.58;
    # minutes 30.5 on games 1, 3, 5 → 91.5; nothing before opening night → no row
    assert scan == ranked == [(d, "pa", 5, 6, 30.0, 25.0, math.sqrt(2.5), 91.5)]

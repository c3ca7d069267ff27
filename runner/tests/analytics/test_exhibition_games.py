"""Preseason and All-Star games change no Phase 3 window, no Phase 4 row and no feature.

The simulator writes them into every raw source that has them in real data (NBA ids 001… and
003…, runner/simulator/exhibitions.py); staging keeps their rows out of the staged views, so no
model, window, season calendar or coverage expectation sees them. The shared clean world (season
2024 with its 60 preseason games and its All-Star game in nba_raw, every phase built over
2024-10-22..2024-12-10) is the "with" side:

1. no staged view holds a row of an exhibition game;
2. the backfill's calendar (the game dates it runs) holds no exhibition date, and the season
   opens on opening night;
3. a copy with the exhibition rows deleted from nba_raw, every date model rebuilt from opening
   night through the first Phase 4 date (the span a leaked preseason game would reach first:
   rest, the first windows, every player's last-10 window), holds exactly the clean world's
   Phase 3, Phase 4 and feature rows of that span.

Their raw rows' accounting (excluded as preseason_game / all_star_game, never quarantined) is the
bad-input catalogue's (runner/tests/reliability/test_bad_input.py). Cost: one dbt run of the date
models over 15 dates on a copy of the world (about 25 s), plus the copies and the comparison.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from runner.dbt import Dbt
from runner.services.backfill import CALENDAR_SQL
from runner.services.compare import compare_tables, tables_of
from runner.simulator.calendar import all_star_sunday, opening_night
from runner.simulator.schema import TABLES as RAW_TABLES
from runner.warehouse import open_warehouse

pytestmark = pytest.mark.slow

SEASON = 2024
EXHIBITION = "substr(game_id, 3, 1) in ('1', '3')"
# staged views with the game's standard id (YYYYMMDD_AWAY_HOME), and the one keyed by date only
STAGED_BY_GAME = ("stg_nba_raw__nbac_gamebook_player_stats", "stg_nba_raw__bdl_player_boxscores",
                  "stg_nba_raw__nbac_team_boxscore", "stg_nba_raw__bigdataball_play_by_play",
                  "stg_nba_raw__nbac_play_by_play", "stg_nba_raw__odds_api_player_points_props",
                  "stg_nba_raw__odds_api_game_lines")


def _exhibitions(con) -> tuple[list[str], list[str], list[dt.date]]:
    """(NBA ids, standard ids, dates) of the season's exhibition games in nba_raw."""
    got = con.execute(f"""select distinct game_id,
                                 strftime(game_date, '%Y%m%d') || '_' || away_team_tricode || '_' || home_team_tricode,
                                 game_date
                          from nba_raw.nbac_schedule where {EXHIBITION}""").fetchall()
    return [g[0] for g in got], [g[1] for g in got], sorted({g[2] for g in got})


def test_exhibition_games_change_no_phase3_window_no_phase4_row_and_no_feature(clean_world, tmp_path):
    path = clean_world.copy_to(tmp_path / "with")
    with duckdb.connect(str(path)) as con:
        nba_ids, std_ids, dates = _exhibitions(con)
        assert len(nba_ids) == 61 and all_star_sunday(SEASON) in dates  # the simulator wrote them

        # 1. staging excludes their rows
        assert con.execute("select count(*) from nba_raw.stg_nba_raw__nbac_schedule where list_contains(?, game_id)",
                           [nba_ids]).fetchone()[0] == 0
        for view in STAGED_BY_GAME:
            n = con.execute(f"select count(*) from nba_raw.{view} where list_contains(?, game_id)", [std_ids]).fetchone()[0]
            assert n == 0, f"{view}: {n} rows of exhibition games"
        n = con.execute("select count(*) from nba_raw.stg_nba_raw__bettingpros_player_points_props "
                        "where list_contains(?, game_date)", [dates]).fetchone()[0]
        assert n == 0, f"stg_nba_raw__bettingpros_player_points_props: {n} rows on exhibition dates"
        # the season still opens on opening night
        first = con.execute("select min(game_date) from nba_raw.stg_nba_raw__nbac_schedule "
                            "where season_year = ?", [SEASON]).fetchone()[0]
        assert first == opening_night(SEASON)

    # 2. the backfill's calendar holds no exhibition date; the season opens on opening night
    bare = clean_world.copy_to(tmp_path / "without")
    dbt = Dbt(clean_world.settings(bare))
    calendar = dbt.compile_inline(CALENDAR_SQL)  # the same relations in both copies
    with duckdb.connect(str(path)) as con:
        game_dates = {r[0] for r in con.execute(f"select game_date from ({calendar}) as c").fetchall()}
        assert game_dates and not game_dates & set(dates), sorted(game_dates & set(dates))
        assert min(game_dates) == opening_night(SEASON)  # the world holds season 2024 only
        first_phase4 = con.execute("select min(cache_date) from nba_precompute.player_daily_cache").fetchone()[0]

    # 3. rebuilt without the exhibition rows: the same Phase 3 / Phase 4 / feature rows
    with duckdb.connect(str(bare)) as con:
        for table in RAW_TABLES:  # the raw tables only: the run below rebuilds staging from them
            cols = {c[0] for c in con.execute(f"describe nba_raw.{table}").fetchall()}
            if table == "nbac_schedule":
                con.execute(f"delete from nba_raw.{table} where {EXHIBITION}")
            elif "game_id" in cols:
                con.execute(f"delete from nba_raw.{table} where list_contains(?, game_id)", [std_ids])
            elif "game_date" in cols:
                con.execute(f"delete from nba_raw.{table} where list_contains(?, game_date)", [dates])
    span = (opening_night(SEASON), first_phase4)
    tables = tables_of(dbt.manifest)
    # one run of every date model over the span, in dependency order, as a backfill chunk does
    outcome = dbt.invoke("run", "--quiet", "--select", "staging", "tag:phase3", "tag:phase4", "tag:features",
                         vars={"start_date": span[0].isoformat(), "end_date": span[1].isoformat()})
    assert outcome.success, outcome.error or outcome.failed_nodes
    assert {n.name for n in outcome.nodes if n.status == "success"} >= {t.name for t in tables}
    with open_warehouse(clean_world.settings(path)) as left, open_warehouse(clean_world.settings(bare)) as right:
        counts, problems = compare_tables(left, right, tables, *span)
    assert problems == [], problems
    assert all(counts.values()), counts  # every table has rows in the span (Phase 4 from its first date)

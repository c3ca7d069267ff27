"""Exhibition games of a season: the preseason (NBA game ids ``001YY…``) and the All-Star game (``003YY…``).

Real schedules, gamebooks, box scores, play-by-play and game lines carry them, so the simulator
writes them too; the analytics layers must keep them out of every window (staging excludes them).

- Preseason: every team plays ``PRESEASON_GAMES_PER_TEAM`` games in the ~2 weeks before opening
  night (four rounds of 15 games, a team at most once a date), franchise against franchise.
- All-Star game: All-Star Sunday (the third Sunday of February, inside the regular season's
  break), East against West, two non-franchise teams (``EST`` / ``WST``, NBA team ids
  1610616833 / 1610616834) of the 12 best healthy players of each conference, in a host arena.

They are simulated apart from the season's real games, from their own random stream, and their
tables are appended to the season's: the regular-season, play-in and playoff rows of a season are
the same whether the exhibitions exist or not.
"""
from __future__ import annotations

import dataclasses
from datetime import datetime, time, timedelta

import numpy as np

from .calendar import all_star_sunday, opening_night
from .games import Batch, BoxScoreSimulator, ReasonBook
from .players import SeasonLeague
from .schedule import tipoff
from .season import ALL_STAR, PRESEASON, SeasonGames, _concat_rows
from .teams import Team

PRESEASON_GAMES_PER_TEAM = 4
PRESEASON_FIRST_DAY = -18  # days before opening night; the last round ends 3 days before it
ALL_STAR_PLAYERS = 12
ALL_STAR_IDX = (30, 31)  # team indexes of the two All-Star teams (after the 30 franchises)


def all_star_teams(teams: tuple[Team, ...], season: int) -> tuple[Team, Team]:
    """East (the home side) and West, hosted by a franchise's arena that changes every season."""
    host = teams[(season * 7) % len(teams)]
    return tuple(  # type: ignore[return-value]
        Team(idx=idx, abbr=abbr, team_id=team_id, city=conf, name="All-Stars", conference=conf,
             division="", espn_code=abbr, br_code=abbr, arena_name=host.arena_name,
             arena_timezone=host.arena_timezone)
        for idx, abbr, team_id, conf in ((ALL_STAR_IDX[0], "EST", 1610616833, "East"),
                                         (ALL_STAR_IDX[1], "WST", 1610616834, "West")))


def exhibition_league(league: SeasonLeague) -> SeasonLeague:
    """The season's league with a (neutral) rating for the two All-Star teams."""
    return dataclasses.replace(league, team_rating=np.append(league.team_rating, [0.0, 0.0]))


def simulate_exhibitions(season: int, league: SeasonLeague, teams: tuple[Team, ...],
                         ss: np.random.SeedSequence) -> SeasonGames:
    """The season's preseason games and All-Star game (``teams`` = the 30 franchises and the two
    All-Star teams, ``league`` = ``exhibition_league``)."""
    s_sched, s_box = ss.spawn(2)
    rng = np.random.Generator(np.random.PCG64(s_sched))
    sim = BoxScoreSimulator(league, np.random.Generator(np.random.PCG64(s_box)), ReasonBook())
    opener = opening_night(season)
    yy = f"{season % 100:02d}"

    # --- preseason: rounds of a random pairing of the 30 teams, each round over 4 dates -------------
    home, away, day = [], [], []
    for rnd in range(PRESEASON_GAMES_PER_TEAM):
        order = rng.permutation(30)
        pairs = order.reshape(15, 2)
        flip = rng.random(15) < 0.5
        home += [int(b if f else a) for (a, b), f in zip(pairs, flip)]
        away += [int(a if f else b) for (a, b), f in zip(pairs, flip)]
        day += [PRESEASON_FIRST_DAY + 4 * rnd + int(x) for x in rng.integers(0, 4, 15)]
    n_pre = len(home)
    order = np.lexsort((np.asarray(home), np.asarray(day)))
    home = np.asarray(home)[order]
    away = np.asarray(away)[order]
    day = np.asarray(day, dtype=np.int64)[order]
    pre = sim.simulate(Batch(game=np.arange(n_pre), day=day, home=home, away=away,
                             postseason=np.zeros(n_pre, dtype=bool), home_prev=np.full(n_pre, -100),
                             away_prev=np.full(n_pre, -100)))
    pre_dates = [opener + timedelta(days=int(d)) for d in day]
    tips = [tipoff(d, teams[h], False, rng) for d, h in zip(pre_dates, home)]

    # --- All-Star game: the 12 best healthy players of each conference -------------------------------
    asg = all_star_sunday(season)
    asg_day = (asg - opener).days
    allstar = sim.simulate(Batch(game=np.array([n_pre]), day=np.array([asg_day]),
                                 home=np.array([ALL_STAR_IDX[0]]), away=np.array([ALL_STAR_IDX[1]]),
                                 postseason=np.zeros(1, dtype=bool), home_prev=np.array([-100]),
                                 away_prev=np.array([-100])),
                           rosters=_all_star_rosters(sim, league, teams, asg_day))

    rows = _concat_rows([pre, allstar])
    return SeasonGames(
        season=season,
        date=pre_dates + [asg],
        day=np.append(day, asg_day),
        home=np.append(home, ALL_STAR_IDX[0]),
        away=np.append(away, ALL_STAR_IDX[1]),
        kind=np.array([PRESEASON] * n_pre + [ALL_STAR], dtype=np.int64),
        round_name=[None] * (n_pre + 1),
        nba_game_id=[f"001{yy}{k + 1:05d}" for k in range(n_pre)] + [f"003{yy}00001"],
        tip=tips + [datetime.combine(asg, time(20, 0))],
        national=np.array([False] * n_pre + [True]),
        cup=np.zeros(n_pre + 1, dtype=bool),
        n_ot=np.concatenate([pre.n_ot, allstar.n_ot]),
        home_pts=np.concatenate([pre.home_pts, allstar.home_pts]),
        away_pts=np.concatenate([pre.away_pts, allstar.away_pts]),
        rows=rows,
        reasons=sim.reasons,
    )


def _all_star_rosters(sim: BoxScoreSimulator, league: SeasonLeague, teams: tuple[Team, ...], day: int):
    """(game, side, team, pid) rows of the All-Star game: per conference, the players on one of its
    franchises that day and not injured, best first, 12 of them; side 0 East (home), 1 West."""
    L = league
    g, s, t, p = [], [], [], []
    on_day = (L.stint_start <= day) & (day < L.stint_end)
    pid, team = L.stint_pid[on_day], L.stint_team[on_day]
    healthy = sim.injured(pid, np.full(pid.size, day)) < 0
    pid, team = pid[healthy], team[healthy]
    for side, conf in enumerate(("East", "West")):
        members = pid[np.isin(team, [x.idx for x in teams[:30] if x.conference == conf])]
        members = members[np.argsort(-L.t_eff[members], kind="stable")][:ALL_STAR_PLAYERS]
        g.append(np.zeros(members.size, dtype=np.int64))
        s.append(np.full(members.size, side))
        t.append(np.full(members.size, ALL_STAR_IDX[side]))
        p.append(members)
    cat = lambda xs: np.concatenate(xs).astype(np.int64)  # noqa: E731
    return cat(g), cat(s), cat(t), cat(p)  # game: the batch's index 0

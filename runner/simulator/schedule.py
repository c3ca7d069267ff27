"""Regular-season schedule: 82 games per team (41 home / 41 away) spread over ≈ 165 game dates."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

import numpy as np

from .calendar import opening_night, regular_season_calendar
from .teams import TZ_OFFSET_FROM_ET, Team

# relative number of games on each weekday (Mon..Sun)
WEEKDAY_WEIGHT = np.array([0.95, 0.85, 1.2, 0.65, 1.1, 1.0, 0.85])


def regular_season_matchups(teams: tuple[Team, ...], rng: np.random.Generator) -> np.ndarray:
    """(home, away) pairs: 4 games against division rivals, 4 or 3 against the other ten teams of
    the conference (the 3-game series arranged on a cycle of divisions so that every team has two
    series with 2 home games and two with 1), 2 against the other conference."""
    games: list[tuple[int, int]] = []
    by_conf: dict[str, dict[str, list[int]]] = {}
    for t in teams:
        by_conf.setdefault(t.conference, {}).setdefault(t.division, []).append(t.idx)
    conf_grid: dict[str, list[list[int]]] = {}
    for conf, divs in sorted(by_conf.items()):
        names = sorted(divs)
        names = [names[i] for i in rng.permutation(len(names))]
        conf_grid[conf] = [[divs[n][i] for i in rng.permutation(len(divs[n]))] for n in names]
    three: dict[frozenset, int] = {}  # pair -> team with 2 home games
    for grid in conf_grid.values():
        for d in range(3):
            for i in range(5):
                a = grid[d][i]
                for b in (grid[(d + 1) % 3][i], grid[(d + 1) % 3][(i + 1) % 5]):
                    three[frozenset((a, b))] = a
    n = len(teams)
    for i in range(n):
        for j in range(i + 1, n):
            ti, tj = teams[i], teams[j]
            if ti.conference != tj.conference:
                games += [(i, j), (j, i)]
            elif ti.division == tj.division:
                games += [(i, j), (j, i)] * 2
            elif frozenset((i, j)) in three:
                h = three[frozenset((i, j))]
                a = j if h == i else i
                games += [(h, a), (h, a), (a, h)]
            else:
                games += [(i, j), (j, i)] * 2
    arr = np.asarray(games, dtype=np.int64)
    return arr[rng.permutation(len(arr))]


def assign_dates(season: int, matchups: np.ndarray, rng: np.random.Generator):
    """Greedy day-by-day placement. Returns (dates list, game date index per game)."""
    dates = regular_season_calendar(season, rng)
    opener = opening_night(season)
    G = len(matchups)
    home, away = matchups[:, 0], matchups[:, 1]
    remaining = np.ones(G, dtype=bool)
    date_of = np.full(G, -1, dtype=np.int64)
    last_day = np.full(30, -100, dtype=np.int64)
    prev_day = np.full(30, -100, dtype=np.int64)
    b2b = np.zeros(30, dtype=np.int64)
    team_rem = np.full(30, 82.0)
    weights = np.array([WEEKDAY_WEIGHT[d.weekday()] for d in dates])
    k = 0
    while remaining.any():
        if k >= len(dates):  # rare: a few leftover games get extra dates
            dates.append(dates[-1] + timedelta(days=1))
            weights = np.append(weights, 1.0)
        d = dates[k]
        day = (d - opener).days
        cand = np.flatnonzero(remaining)
        rem_dates = max(len(dates) - k, 1)
        if k == 0:
            target = 2
        elif k == 1:
            target = int(rng.integers(9, 12))
        elif d.month == 12 and d.day == 25:
            target = 5
        else:
            target = cand.size * weights[k] / weights[k:].sum() + rng.normal(0, 1.4)
            target = int(np.clip(round(target), 2, 10))
        h, a = home[cand], away[cand]
        played_y = last_day == day - 1
        three_in_three = played_y & (prev_day == day - 2)
        ok = ~three_in_three[h] & ~three_in_three[a]
        urg = team_rem / rem_dates
        pen = np.where(played_y, 0.12 + 0.25 * np.maximum(b2b - 15, 0) - 0.1 * (b2b < 12 * k / len(dates)), 0.0)
        score = urg[h] + urg[a] - pen[h] - pen[a] + rng.random(cand.size) * 0.25
        score[~ok] = -1e9
        order = np.argsort(-score, kind="stable")
        busy = np.zeros(30, dtype=bool)
        picked = []
        for gi in order:
            if score[gi] < -1e8:
                break
            g = cand[gi]
            if busy[home[g]] or busy[away[g]]:
                continue
            if len(picked) >= target:
                break
            busy[home[g]] = busy[away[g]] = True
            picked.append(g)
        for g in picked:
            for t in (home[g], away[g]):
                if last_day[t] == day - 1:
                    b2b[t] += 1
                prev_day[t] = last_day[t]
                last_day[t] = day
                team_rem[t] -= 1
            remaining[g] = False
            date_of[g] = k
        k += 1
    dates = dates[:k]
    used = sorted(set(date_of.tolist()))
    remap = {old: new for new, old in enumerate(used)}
    return [dates[i] for i in used], np.array([remap[int(x)] for x in date_of], dtype=np.int64)


def tipoff(d: date, home: Team, national: bool, rng: np.random.Generator, christmas_slot: int = -1) -> datetime:
    """Tip-off on the US/Eastern wall clock."""
    off = TZ_OFFSET_FROM_ET.get(home.arena_timezone, 0)
    if christmas_slot >= 0:
        return datetime.combine(d, time(12, 0)) + timedelta(hours=2.5 * christmas_slot)
    if d.weekday() >= 5 and rng.random() < 0.25:
        local = time(15, 0) if rng.random() < 0.5 else time(13, 0)
    elif national and rng.random() < 0.5:
        local = time(19, 30) if off == 0 else time(19, 0)
    else:
        local = time(19, 0) if rng.random() < 0.55 else time(19, 30)
    dt = datetime.combine(d, local) + timedelta(hours=off)
    return dt

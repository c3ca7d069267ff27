"""The simulated league: players, their latent skills, rosters, trades and injuries (the data it
evolves, ``PlayerPool`` and ``SeasonLeague``, is in ``runner.simulator.players``).

The league always evolves from the first allowed season (2000) up to the last season asked for, on
its own random stream, so that a season's players do not depend on ``first_season``: generating
2024 alone gives the same 2024 as generating 2021–2025.
"""
from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from .calendar import MIN_SEASON, opening_night
from .names import NameFactory
from .players import (
    BENCH,
    DEEP,
    POS_P,
    ROLE_FGA_PER_MIN,
    ROLE_MIN_SD,
    ROLE_MINUTES,
    ROTATION,
    SEASON_DAYS,
    STAR,
    STARTER,
    PlayerPool,
    SeasonLeague,
)
from .teams import Team

BODY_PARTS = (
    "Left Ankle", "Right Ankle", "Left Knee", "Right Knee", "Left Hamstring", "Right Hamstring",
    "Lower Back", "Left Calf", "Right Calf", "Left Foot", "Right Foot", "Right Wrist",
    "Left Shoulder", "Right Hip", "Left Groin", "Right Thumb", "Left Achilles", "Right Quadriceps",
)
INJURY_TYPES = ("Sprain", "Strain", "Soreness", "Contusion", "Tendinopathy", "Fracture",
                "Bone Bruise", "Inflammation")
ILLNESSES = ("Illness", "Non-COVID Illness", "Gastroenteritis", "Upper Respiratory Infection")


def _clip(x: float, lo: float, hi: float) -> float:
    return float(min(max(x, lo), hi))


_EPOCH = date(1970, 1, 1).toordinal()


def _birth_days(p: PlayerPool) -> np.ndarray:
    """Birth dates as datetime64[D] (cached: the list only grows)."""
    cache = getattr(p, "_birth_cache", None)
    if cache is None or cache.size != len(p.birth):
        cache = (np.fromiter((b.toordinal() for b in p.birth), dtype=np.int64, count=len(p.birth))
                 - _EPOCH).astype("datetime64[D]")
        object.__setattr__(p, "_birth_cache", cache)
    return cache


def age_curve(age: np.ndarray) -> np.ndarray:
    return -0.016 * (age - 27.0) ** 2


class League:
    def __init__(self, teams: tuple[Team, ...], seed: int):
        self.teams = teams
        self.seed = seed
        self.pool = PlayerPool()
        self.names = NameFactory()
        self.team_of: dict[int, int] = {}  # active pid -> team at the end of the last season
        self.seasons: dict[int, SeasonLeague] = {}
        self.entry_order = 0
        self.style_home: dict[str, list[float]] = {d[0]: [] for d in self._DRIFT}
        self._last = MIN_SEASON - 1

    # -- players -------------------------------------------------------------------------------
    def _rng(self, season: int, purpose: int) -> np.random.Generator:
        ss = np.random.SeedSequence([self.seed, 0x1EA6, season, purpose])
        return np.random.Generator(np.random.PCG64(ss))

    def _new_player(self, rng: np.random.Generator, season: int, age: float, talent: float) -> int:
        p = self.pool
        full, first, last, lookup = self.names.make(rng)
        pid = p.n
        p.full_name.append(full)
        p.first.append(first)
        p.last.append(last)
        p.lookup.append(lookup)
        opener = opening_night(season)
        p.birth.append(opener - timedelta(days=int(age * 365.25 + rng.integers(0, 365))))
        self.entry_order += 1
        p.nba_id.append(1_600_000 + self.entry_order * 23 + int(rng.integers(0, 20)))
        p.espn_id.append(3_000_000 + self.entry_order * 31 + int(rng.integers(0, 30)))
        p.bdl_id.append(100 + self.entry_order * 7 + int(rng.integers(0, 7)))
        pos = int(rng.choice(5, p=POS_P))
        p.position.append(pos)
        p.t_base.append(talent)
        big = pos == 4
        fwd = pos in (2, 3)
        p.usage.append(float(np.exp(rng.normal(0, 0.08))))
        base3 = 0.10 if big else (0.36 if fwd else 0.44)
        p.three_share.append(_clip(rng.normal(base3, 0.09), 0.0, 0.72))
        basepaint = 0.80 if big else (0.56 if fwd else 0.42)
        p.paint_share.append(_clip(rng.normal(basepaint, 0.10), 0.15, 0.96))
        p.fg_paint.append(_clip(rng.normal(0.63 if big else 0.59, 0.035), 0.48, 0.75))
        p.fg_mid.append(_clip(rng.normal(0.42, 0.035), 0.3, 0.52))
        p.fg3.append(_clip(rng.normal(0.32 if big else 0.362, 0.03), 0.22, 0.45))
        p.ft_pct.append(_clip(rng.normal(0.70 if big else 0.79, 0.07), 0.45, 0.94))
        p.fta_rate.append(_clip(rng.normal(0.245, 0.06), 0.08, 0.5))
        p.ast.append(float(np.exp(rng.normal(0, 0.3)) * (1.7 if pos == 0 else 1.0 if pos == 1 else
                                                         0.75 if fwd else 0.55)))
        p.oreb.append(float(np.exp(rng.normal(0, 0.2)) * (0.085 if big else 0.042 if fwd else 0.02)))
        p.dreb.append(float(np.exp(rng.normal(0, 0.2)) * (0.21 if big else 0.15 if fwd else 0.105)))
        p.stl.append(float(np.exp(rng.normal(0, 0.25)) * (0.032 if not big else 0.022)))
        p.blk.append(float(np.exp(rng.normal(0, 0.35)) * (0.05 if big else 0.018 if fwd else 0.008)))
        p.tov.append(float(np.exp(rng.normal(0, 0.2)) * (0.06 if pos == 0 else 0.045)))
        p.pf.append(float(np.exp(rng.normal(0, 0.2)) * (0.075 if big else 0.058)))
        p.jersey.append(int(rng.integers(0, 100)))
        for d in self._DRIFT:
            self.style_home[d[0]].append(getattr(p, d[0])[pid])
        return pid

    _DRIFT = (("usage", 0.03, 0.7, 1.4), ("three_share", 0.02, 0.0, 0.75), ("paint_share", 0.02, 0.12, 0.97),
              ("fg3", 0.008, 0.2, 0.46), ("fta_rate", 0.015, 0.06, 0.55), ("ast", 0.04, 0.1, 4.0))

    def _evolve_skills(self, rng: np.random.Generator) -> None:
        """Talent follows a random walk; style parameters drift slowly around each player's own
        long-run value (AR(1), rho 0.8), so they persist across seasons without exploding."""
        p = self.pool
        n = p.n
        p.t_base = list(np.asarray(p.t_base) + rng.normal(0, 0.14, n))
        for name, sd, lo, hi in self._DRIFT:
            v = np.asarray(getattr(p, name))
            home = np.asarray(self.style_home[name])
            setattr(p, name, list(np.clip(home + 0.8 * (v - home) + rng.normal(0, sd, n), lo, hi)))

    # -- seasons -------------------------------------------------------------------------------
    def season(self, season: int) -> SeasonLeague:
        """The league of ``season``; seasons must be asked for in increasing order."""
        while self._last < season:
            self._advance(self._last + 1, full=self._last + 1 == season)
        if season not in self.seasons:
            raise ValueError(f"season {season} was already passed; ask for seasons in order")
        return self.seasons[season]

    def _advance(self, season: int, full: bool = True) -> None:
        rng = self._rng(season, 1)
        opener = opening_night(season)
        sizes = rng.choice(np.arange(13, 18), size=30, p=[0.05, 0.15, 0.3, 0.35, 0.15])
        if season == MIN_SEASON:
            for t in range(30):
                for _ in range(int(sizes[t])):
                    age = _clip(rng.normal(26.5, 4.0), 19, 37)
                    pid = self._new_player(rng, season, age, float(rng.normal(0.4, 0.85)))
                    self.team_of[pid] = t
        else:
            self._offseason(season, rng, sizes, opener)
        # only the newest season's arrays are kept; the end-of-season rosters carry over
        self.seasons = {season: self._build_season(season, opener, full)}
        self._last = season

    def _offseason(self, season: int, rng, sizes, opener) -> None:
        self._evolve_skills(rng)
        p = self.pool
        active = np.array(sorted(self.team_of), dtype=np.int64)
        birth = _birth_days(p)[active]
        age = (np.datetime64(opener, "D") - birth).astype(np.int64) / 365.25
        t_eff = np.asarray(p.t_base)[active] + age_curve(age)
        p_ret = 0.015 + np.where(age >= 36, 0.6, np.where(age >= 34, 0.3, np.where(age >= 32, 0.1, 0)))
        low = t_eff < np.quantile(t_eff, 0.12)
        p_ret = p_ret + np.where(low, 0.18, 0)
        retire = rng.random(active.size) < p_ret
        for pid in active[retire]:
            del self.team_of[int(pid)]
        # free agency: a share of the remaining players changes team
        remaining = np.array(sorted(self.team_of), dtype=np.int64)
        movers = remaining[rng.random(remaining.size) < 0.13]
        for pid in movers:
            del self.team_of[int(pid)]
        rosters: list[list[int]] = [[] for _ in range(30)]
        for pid, t in self.team_of.items():
            rosters[t].append(pid)
        tb = np.asarray(p.t_base)
        pool_fa = [int(x) for x in movers]
        for t in range(30):  # too many players: release the weakest
            rosters[t].sort(key=lambda q: -tb[q])
            while len(rosters[t]) > sizes[t]:
                pool_fa.append(rosters[t].pop())
        order = rng.permutation(len(pool_fa))
        pool_fa = [pool_fa[i] for i in order]
        needs = [t for t in range(30) for _ in range(int(sizes[t]) - len(rosters[t]))]
        needs = [needs[i] for i in rng.permutation(len(needs))]
        n_fa = min(len(pool_fa), int(len(needs) * 0.55))
        for k in range(n_fa):
            rosters[needs[k]].append(pool_fa[k])
            p.jersey[pool_fa[k]] = int(rng.integers(0, 100))
        for t in needs[n_fa:]:  # rookies
            age = _clip(rng.normal(20.8, 1.3), 19, 24)
            pid = self._new_player(rng, season, age, float(rng.normal(0.25, 0.75)))
            rosters[t].append(pid)
        self.team_of = {pid: t for t in range(30) for pid in rosters[t]}

    def _build_season(self, season: int, opener: date, full: bool = True) -> SeasonLeague:
        """Roles, trades and (when ``full``) injuries and form for the season. Seasons before the
        ones being generated are built light: only what the next offseason needs."""
        p = self.pool
        n = p.n
        rng = self._rng(season, 2)
        start_team = np.full(n, -1, dtype=np.int64)
        for pid, t in self.team_of.items():
            start_team[pid] = t
        pids = np.flatnonzero(start_team >= 0)
        birth = _birth_days(p)
        age = (np.datetime64(opener, "D") - birth).astype(np.int64) / 365.25
        t_eff = np.asarray(p.t_base) + age_curve(age)
        role = np.full(n, DEEP, dtype=np.int64)
        for t in range(30):
            members = pids[start_team[pids] == t]
            ranked = members[np.argsort(-t_eff[members], kind="stable")]
            second_star = (t_eff[ranked[0]] - t_eff[ranked[1]] < 0.25) or rng.random() < 0.35
            for r, pid in enumerate(ranked):
                if r == 0 or (r == 1 and second_star):
                    role[pid] = STAR
                elif r < 5:
                    role[pid] = STARTER
                elif r < 9:
                    role[pid] = ROTATION
                elif r < 12:
                    role[pid] = BENCH
                else:
                    role[pid] = DEEP
        two_way = (role == DEEP) & (rng.random(n) < 0.55)
        min_target = np.clip(ROLE_MINUTES[role] + rng.normal(0, 1, n) * ROLE_MIN_SD[role], 2.0, 38.5)
        fga_rate = np.minimum(ROLE_FGA_PER_MIN[role] * np.asarray(p.usage), 0.66)
        # team strength: minutes-weighted talent, scaled to points per game
        strength = np.zeros(30)
        for t in range(30):
            m = pids[start_team[pids] == t]
            strength[t] = np.sum(t_eff[m] * min_target[m]) / max(np.sum(min_target[m]), 1)
        z = (strength - strength.mean()) / max(strength.std(), 1e-9)
        team_rating = z * 4.5 + rng.normal(0, 1.5, 30)

        trades, stints = self._trades(season, rng, pids, start_team, role)
        if not full:
            return None  # type: ignore[return-value]
        inj = self._injuries(rng, pids, age, role)
        walk = np.ones((n, SEASON_DAYS))
        steps = rng.normal(0, 0.011, (pids.size, SEASON_DAYS))
        w = np.clip(np.cumsum(steps, axis=1), -0.22, 0.22)
        walk[pids] = np.exp(w)
        sp, st, ss, se = stints
        P = {name: np.asarray(getattr(p, name)) for name in (
            "position", "t_base", "usage", "three_share", "paint_share", "fg_paint", "fg_mid", "fg3", "ft_pct",
            "fta_rate", "ast", "oreb", "dreb", "stl", "blk", "tov", "pf", "jersey", "nba_id", "espn_id", "bdl_id")}
        P["birth"] = _birth_days(p).copy()
        return SeasonLeague(
            season=season, opener=opener, pool=p, pids=pids, start_team=start_team, role=role,
            two_way=two_way, t_eff=t_eff, min_target=min_target, fga_rate=fga_rate,
            team_rating=team_rating, stint_pid=sp, stint_team=st, stint_start=ss, stint_end=se,
            trades=trades, inj_pid=inj[0], inj_start=inj[1], inj_end=inj[2], inj_reason=inj[3],
            inj_kind=inj[4], walk=walk, P=P,
        )

    def _trades(self, season, rng, pids, start_team, role):
        """Mid-season trades between the 55th and 105th day (≈ mid-December to early February)."""
        team_of = {int(pid): int(start_team[pid]) for pid in pids}
        size = np.bincount(start_team[pids], minlength=30).astype(int)
        n_trades = int(rng.integers(6, 11))
        days = np.sort(rng.integers(55, 106, n_trades))
        moves = []  # (pid, from, to, day)
        traded: set[int] = set()
        trades = []
        for day in days:
            a, b = (int(x) for x in rng.choice(30, 2, replace=False))
            kind = rng.choice(3, p=[0.55, 0.25, 0.20])  # 1-for-1, 2-for-2, 2-for-1
            na, nb = ((1, 1), (2, 2), (2, 1))[kind]
            if size[a] - na + nb < 13 or size[b] - nb + na > 17 or size[b] - nb + na < 13 or size[a] - na + nb > 17:
                na, nb = 1, 1

            def pick(team, k):
                cand = [q for q, t in team_of.items() if t == team and q not in traded
                        and (role[q] != 0 or rng.random() < 0.1)]
                if len(cand) < k:
                    return None
                return [cand[i] for i in rng.choice(len(cand), k, replace=False)]

            pa, pb = pick(a, na), pick(b, nb)
            if pa is None or pb is None:
                continue
            for q in pa:
                moves.append((q, a, b, int(day)))
                team_of[q] = b
            for q in pb:
                moves.append((q, b, a, int(day)))
                team_of[q] = a
            traded.update(pa + pb)
            size[a] += nb - na
            size[b] += na - nb
            trades.append({"day": int(day), "teams": (a, b), "players": (tuple(pa), tuple(pb))})
        sp, st, ss, se = [], [], [], []
        moved = {m[0]: m for m in moves}
        for pid in pids:
            pid = int(pid)
            if pid in moved:
                _, fr, to, day = moved[pid]
                sp += [pid, pid]
                st += [fr, to]
                ss += [-1000, day]
                se += [day, 1000]
            else:
                sp.append(pid)
                st.append(int(start_team[pid]))
                ss.append(-1000)
                se.append(1000)
        for pid, t in team_of.items():
            self.team_of[pid] = t
            if pid in moved:
                self.pool.jersey[pid] = int(rng.integers(0, 100))
        return trades, tuple(np.asarray(x, dtype=np.int64) for x in (sp, st, ss, se))

    def _injuries(self, rng, pids, age, role):
        out_pid, out_s, out_e, out_r, out_k = [], [], [], [], []
        lam = 0.55 + 0.04 * np.clip(age[pids] - 27, 0, None)
        counts = rng.poisson(lam)
        for pid, c in zip(pids, counts):
            spells = []
            for _ in range(int(c)):
                start = int(rng.integers(-25, 245))
                u = rng.random()
                if u < 0.6:
                    length = int(rng.integers(2, 7))
                elif u < 0.88:
                    length = int(rng.integers(7, 22))
                elif u < 0.97:
                    length = int(rng.integers(22, 60))
                else:
                    length = int(rng.integers(80, 200))
                illness = length < 7 and rng.random() < 0.3
                spells.append((start, start + length, illness))
            spells.sort()
            merged = []
            for s, e, ill in spells:
                if merged and s <= merged[-1][1]:
                    merged[-1][1] = max(merged[-1][1], e)
                    merged[-1][2] = merged[-1][2] and ill
                else:
                    merged.append([s, e, ill])
            for s, e, ill in merged:
                out_pid.append(int(pid))
                out_s.append(s)
                out_e.append(e)
                out_k.append(1 if ill else 0)
                if ill:
                    out_r.append("Injury/Illness - " + ILLNESSES[int(rng.integers(len(ILLNESSES)))])
                else:
                    out_r.append(f"Injury/Illness - {BODY_PARTS[int(rng.integers(len(BODY_PARTS)))]}; "
                                 f"{INJURY_TYPES[int(rng.integers(len(INJURY_TYPES)))]}")
        return (np.asarray(out_pid, dtype=np.int64), np.asarray(out_s, dtype=np.int64),
                np.asarray(out_e, dtype=np.int64), out_r, np.asarray(out_k, dtype=np.int64))

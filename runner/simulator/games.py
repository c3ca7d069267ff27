"""Box scores: who is available, who plays, minutes, shots, free throws, overtime, plus-minus.

Everything works on flat numpy arrays over a batch of games (the whole regular season at once, one
postseason date at a time). Player rows of a batch are grouped by team-game (game, side).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .allocation import allocate, cap_at_game_length, group_ranks, round_to_total
from .players import BENCH, ROLE_ELASTICITY, ROTATION, STAR, STARTER, SeasonLeague

ACTIVE, DNP, INACTIVE = 0, 1, 2
REG_SECONDS = 240 * 60  # team player-seconds in regulation
OT_SECONDS = 25 * 60


class ReasonBook:
    """Texts of gamebook ``dnp_reason`` and the injury-report category of each."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.category: list[str] = []
        self._ids: dict[str, int] = {}

    def id(self, text: str, category: str) -> int:
        if text not in self._ids:
            self._ids[text] = len(self.texts)
            self.texts.append(text)
            self.category.append(category)
        return self._ids[text]


@dataclass
class Batch:
    game: np.ndarray  # season game index
    day: np.ndarray  # day index (0 = opening night)
    home: np.ndarray
    away: np.ndarray
    postseason: np.ndarray  # bool
    home_prev: np.ndarray  # day index of the team's previous game (-100 if none)
    away_prev: np.ndarray


@dataclass
class Rows:
    """Player rows (one per rostered player per game) and their shot segments."""

    game: np.ndarray
    side: np.ndarray  # 0 home, 1 away
    team: np.ndarray
    pid: np.ndarray
    status: np.ndarray
    reason: np.ndarray  # -1 for active players
    seconds: np.ndarray
    stats: dict[str, np.ndarray] = field(default_factory=dict)
    # shot segments: regulation (k=0) and each overtime (k>=1)
    seg_row: np.ndarray | None = None
    seg_k: np.ndarray | None = None
    seg: dict[str, np.ndarray] = field(default_factory=dict)
    # per game of the batch
    n_ot: np.ndarray | None = None
    home_pts: np.ndarray | None = None
    away_pts: np.ndarray | None = None


class BoxScoreSimulator:
    def __init__(self, league: SeasonLeague, rng: np.random.Generator, reasons: ReasonBook):
        self.L = league
        self.rng = rng
        self.reasons = reasons
        self.team_stints = {}
        for t in range(30):
            m = league.stint_team == t
            self.team_stints[t] = (league.stint_pid[m], league.stint_start[m], league.stint_end[m])
        inj_key_s = league.inj_pid * 4096 + league.inj_start + 1024
        order = np.argsort(inj_key_s, kind="stable")
        self.inj_order = order
        self.inj_key_s = inj_key_s[order]
        self.inj_key_e = (league.inj_pid * 4096 + league.inj_end + 1024)[order]
        self.inj_pid = league.inj_pid[order]
        self.inj_reason_id = np.array(
            [reasons.id(league.inj_reason[i], "illness" if league.inj_kind[i] else "injury") for i in order],
            dtype=np.int64)
        R = reasons
        self.R_CD = R.id("Coach's Decision", "coach_decision")
        self.R_REST = R.id("Rest", "rest")
        self.R_PERSONAL = R.id("Personal Reasons", "personal")
        self.R_NWT = R.id("Not With Team", "personal")
        self.R_GL = R.id("G League - Two-Way", "g_league")
        self.R_GL2 = R.id("G League - On Assignment", "g_league")
        self.R_SUSP = R.id("Suspension - League", "suspension")
        self.R_SUSP2 = R.id("Suspension - Team", "suspension")
        self.R_DND = [R.id(f"Injury/Illness - {p}; Soreness", "injury")
                      for p in ("Left Knee", "Right Ankle", "Lower Back", "Left Hamstring")]

    # ------------------------------------------------------------------------------------------
    def injured(self, pid: np.ndarray, day: np.ndarray) -> np.ndarray:
        """Reason id of the injury spell covering (pid, day), or -1."""
        if self.inj_pid.size == 0:
            return np.full(pid.size, -1, dtype=np.int64)
        key = pid * 4096 + day + 1024  # spells are merged per player, so at most one can cover a day
        i = np.searchsorted(self.inj_key_s, key, side="right") - 1
        ic = np.clip(i, 0, None)
        ok = (i >= 0) & (self.inj_pid[ic] == pid) & (key < self.inj_key_e[ic])
        return np.where(ok, self.inj_reason_id[ic], -1)

    def rosters(self, b: Batch):
        """Player rows of the batch, grouped by (game, side), best players first: the players whose
        stint on the team covers the game's day (so traded players switch teams on the trade day)."""
        g, s, t, p = [], [], [], []
        L = self.L
        for i in range(b.game.size):
            for side, team in ((0, int(b.home[i])), (1, int(b.away[i]))):
                sp, ss, se = self.team_stints[team]
                d = int(b.day[i])
                members = sp[(ss <= d) & (d < se)]
                members = members[np.argsort(-L.t_eff[members], kind="stable")]
                n = members.size
                g.append(np.full(n, i))
                s.append(np.full(n, side))
                t.append(np.full(n, team))
                p.append(members)
        cat = lambda xs: np.concatenate(xs).astype(np.int64)  # noqa: E731
        return cat(g), cat(s), cat(t), cat(p)

    # ------------------------------------------------------------------------------------------
    def simulate(self, b: Batch, rosters: tuple[np.ndarray, ...] | None = None) -> Rows:
        """Box scores of the batch's games; ``rosters`` (batch game, side, team, pid rows, as
        ``rosters()`` returns them) replaces the franchises' rosters (the All-Star game)."""
        L, rng = self.L, self.rng
        bg, side, team, pid = self.rosters(b) if rosters is None else rosters
        n = pid.size
        day = b.day[bg]
        post = b.postseason[bg]
        role = L.role[pid]
        tg = bg * 2 + side  # team-game group
        ntg = b.game.size * 2

        # --- availability ----------------------------------------------------------------------
        status = np.full(n, ACTIVE, dtype=np.int64)
        reason = np.full(n, -1, dtype=np.int64)
        inj = self.injured(pid, day)
        status[inj >= 0] = INACTIVE
        reason[inj >= 0] = inj[inj >= 0]
        u = rng.random((6, n))
        free = status == ACTIVE
        gl = free & L.two_way[pid] & ((u[0] < 0.3) | post)
        status[gl], reason[gl] = INACTIVE, np.where(u[1][gl] < 0.8, self.R_GL, self.R_GL2)
        free &= ~gl
        prev = np.where(side == 0, b.home_prev[bg], b.away_prev[bg])
        b2b = (day - prev == 1) & ~post
        age = L.age_on(pid, L.opener)
        p_rest = np.where(role == STAR, 0.12 + 0.18 * (age >= 31), np.where(role == STARTER, 0.03, 0.0))
        rest = free & b2b & (u[2] < p_rest)
        status[rest], reason[rest] = INACTIVE, self.R_REST
        free &= ~rest
        misc = free & (u[3] < 0.0065)
        kind = (u[4] * 6.5).astype(np.int64)
        misc_reason = np.select([kind < 3, kind < 5, kind < 6], [self.R_PERSONAL, self.R_NWT, self.R_SUSP],
                                self.R_SUSP2)
        status[misc], reason[misc] = INACTIVE, misc_reason[misc]
        free &= ~misc
        dnd = free & (u[5] < 0.004) & (role >= ROTATION)
        status[dnd] = DNP
        reason[dnd] = np.asarray(self.R_DND)[(u[4][dnd] * 4).astype(np.int64)]
        free &= ~dnd
        p_cd = np.where(post, np.array([0, 0, 0.05, 0.45, 0.9])[role], np.array([0, 0.001, 0.006, 0.04, 0.18])[role])
        cd = free & (rng.random(n) < p_cd)
        status[cd], reason[cd] = DNP, self.R_CD
        # at least 8 players must dress and play: bring back coach's decisions, then two-ways
        active = status == ACTIVE
        n_act = np.bincount(tg, weights=active, minlength=ntg)
        for grp in np.flatnonzero(n_act < 8):
            rows = np.flatnonzero(tg == grp)
            need = 8 - int(n_act[grp])
            for pool_reason in (self.R_CD, self.R_GL, self.R_GL2, self.R_REST):
                for r in rows:
                    if need and reason[r] == pool_reason:
                        status[r], reason[r] = ACTIVE, -1
                        need -= 1
        active = status == ACTIVE

        # --- minutes -------------------------------------------------------------------------------
        walk = L.walk[pid, np.clip(day, 0, L.walk.shape[1] - 1)]
        base = np.minimum(L.min_target[pid] * walk ** 0.5, 38.5) * np.exp(rng.normal(0, 0.13, n))
        base *= np.where(post & (role <= STARTER), 1.07, 1.0)
        zero = active & (role >= BENCH) & (rng.random(n) < 0.004)
        w = np.where(active & ~zero, base, 0.0)
        alpha = ROLE_ELASTICITY[role]
        lo, hi = np.full(ntg, -4.0), np.full(ntg, 4.0)
        target = REG_SECONDS / 60.0
        for _ in range(45):
            mid = (lo + hi) / 2
            tot = np.bincount(tg, weights=w * np.exp(alpha * mid[tg]), minlength=ntg)
            too_much = tot > target
            hi = np.where(too_much, mid, hi)
            lo = np.where(too_much, lo, mid)
        f = (lo + hi) / 2
        mins = w * np.exp(alpha * f[tg])
        mins = np.minimum(mins, 46.5)
        tot = np.bincount(tg, weights=mins, minlength=ntg)
        mins = mins * (target / np.maximum(tot, 1e-9))[tg]
        mins = cap_at_game_length(mins, tg, ntg, target)
        reg_sec = round_to_total(mins * 60.0, tg, np.full(ntg, float(REG_SECONDS)))

        # --- team factors -----------------------------------------------------------------------
        rating = L.team_rating
        own = np.where(side == 0, b.home[bg], b.away[bg])
        opp = np.where(side == 0, b.away[bg], b.home[bg])
        pace = np.exp(rng.normal(0, 0.035, b.game.size))
        shoot = 1 + (rating[own] - rating[opp]) / 200.0 + np.where(side == 0, 0.0085, -0.0085)
        self._ctx = dict(pid=pid, day=day, walk=walk, pace_tg=np.repeat(pace, 2), shoot=shoot, side=side,
                         tg=tg, ntg=ntg)

        seg_rows = [np.flatnonzero(reg_sec > 0)]
        seg_k = [np.zeros(seg_rows[0].size, dtype=np.int64)]
        seg_sec = [reg_sec[seg_rows[0]]]
        seg_stats = [self.shots(seg_rows[0], seg_sec[0], 48.0)]
        pts_row = self._points(seg_stats[0], seg_rows[0], n)
        team_pts = np.bincount(tg, weights=pts_row, minlength=ntg).astype(np.int64)
        home_pts, away_pts = team_pts[0::2].copy(), team_pts[1::2].copy()

        # late-game drama: some close games are tied at the buzzer by the trailing team
        diff = home_pts - away_pts
        tie_it = (np.abs(diff) >= 1) & (np.abs(diff) <= 3) & (rng.random(diff.size) < 0.33)
        sec_total = reg_sec.copy()
        for gi in np.flatnonzero(tie_it):
            trailing = 0 if diff[gi] < 0 else 1
            gap = abs(int(diff[gi]))
            rows = np.flatnonzero((bg == gi) & (side == trailing) & (reg_sec > 0))
            shooter = rows[np.argmax(L.fga_rate[pid[rows]] * reg_sec[rows])]
            j = np.flatnonzero(seg_rows[0] == shooter)[0]
            st = seg_stats[0]
            if gap == 1:
                st["fta"][j] += 1
                st["ftm"][j] += 1
            elif gap == 2:
                st["fg2a"][j] += 1
                st["fg2m"][j] += 1
            else:
                st["fg3a"][j] += 1
                st["fg3m"][j] += 1
            if trailing == 0:
                home_pts[gi] += gap
            else:
                away_pts[gi] += gap

        # overtime until the tie is broken
        n_ot = np.zeros(b.game.size, dtype=np.int64)
        k = 0
        while True:
            tied = np.flatnonzero(home_pts == away_pts)
            if tied.size == 0:
                break
            k += 1
            n_ot[tied] += 1
            in_ot = np.isin(bg, tied) & (reg_sec > 0)
            rows = np.flatnonzero(in_ot)
            rank = group_ranks(tg[rows], reg_sec[rows] + rng.random(rows.size))
            sec = np.where(rank < 5, 300, 0).astype(np.int64)
            # sometimes the sixth man plays part of the period
            grp = tg[rows]
            swap_grp = rng.random(ntg) < 0.5
            part = rng.integers(60, 241, ntg)
            out_rank = rng.integers(0, 5, ntg)
            sixth = (rank == 5) & swap_grp[grp]
            has6 = np.bincount(grp, weights=sixth, minlength=ntg) > 0
            reduce = (rank == out_rank[grp]) & swap_grp[grp] & has6[grp]
            sec = np.where(reduce, part[grp], sec)
            sec = np.where(sixth, 300 - part[grp], sec)
            keep = sec > 0
            rows, sec = rows[keep], sec[keep]
            st = self.shots(rows, sec, 5.0)
            seg_rows.append(rows)
            seg_k.append(np.full(rows.size, k, dtype=np.int64))
            seg_sec.append(sec)
            seg_stats.append(st)
            sec_total[rows] += sec
            p = self._points(st, rows, n)
            tp = np.bincount(tg, weights=p, minlength=ntg).astype(np.int64)
            home_pts += tp[0::2]
            away_pts += tp[1::2]
            if k >= 5:  # no sixth overtime: a made free throw by the home team's busiest player
                still = np.flatnonzero(home_pts == away_pts)
                for gi in still:
                    m = np.flatnonzero((bg[rows] == gi) & (side[rows] == 0))
                    j = m[np.argmax(sec[m])]
                    st["fta"][j] += 1
                    st["ftm"][j] += 1
                    home_pts[gi] += 1
                break

        seg_row = np.concatenate(seg_rows)
        seg = {key: np.concatenate([s[key] for s in seg_stats]) for key in seg_stats[0]}
        seg["sec"] = np.concatenate(seg_sec)
        agg = {key: np.bincount(seg_row, weights=seg[key], minlength=n).astype(np.int64) for key in seg}
        fga = agg["fg2a"] + agg["fg3a"]
        fgm = agg["fg2m"] + agg["fg3m"]
        pts = 2 * fgm + agg["fg3m"] + agg["ftm"]
        mins_total = sec_total / 60.0
        P = L.P
        oreb = rng.poisson(P["oreb"][pid] * mins_total)
        dreb = rng.poisson(P["dreb"][pid] * mins_total * 0.97)
        stl = rng.poisson(P["stl"][pid] * mins_total)
        tov = rng.poisson(P["tov"][pid] * mins_total * np.sqrt(P["usage"][pid]) * 1.2)
        pf = np.minimum(rng.poisson(P["pf"][pid] * mins_total), 6)

        # plus-minus: each player's share of the margin by time on court, plus zero-sum noise
        margin_tg = np.empty(ntg)
        margin_tg[0::2] = home_pts - away_pts
        margin_tg[1::2] = away_pts - home_pts
        tsec = np.bincount(tg, weights=sec_total, minlength=ntg)
        share = sec_total / tsec[tg]
        noise = rng.normal(0, 5.5, n) * np.sqrt(sec_total / 2160.0)
        noise -= np.bincount(tg, weights=noise, minlength=ntg)[tg] * share
        pm_float = margin_tg[tg] * 5 * share + noise
        pm = round_to_total(pm_float, tg, margin_tg * 5)
        played = sec_total > 0
        pm = np.where(active, pm, 0)

        rows = Rows(game=b.game[bg], side=side, team=team, pid=pid, status=status, reason=reason,
                    seconds=np.where(active, sec_total, 0))
        rows.stats = dict(fgm=fgm, fga=fga, fg3m=agg["fg3m"], fg3a=agg["fg3a"], ftm=agg["ftm"],
                          fta=agg["fta"], pts=pts, oreb=np.where(played, oreb, 0),
                          dreb=np.where(played, dreb, 0), stl=np.where(played, stl, 0),
                          tov=np.where(played, tov, 0), pf=np.where(played, pf, 0), pm=pm)
        rows.seg_row, rows.seg_k, rows.seg = seg_row, np.concatenate(seg_k), seg
        rows.n_ot, rows.home_pts, rows.away_pts = n_ot, home_pts, away_pts
        return rows

    # ------------------------------------------------------------------------------------------
    def shots(self, rows: np.ndarray, sec: np.ndarray, period_minutes: float) -> dict[str, np.ndarray]:
        """Shots and free throws of one segment (regulation or one overtime).

        Team volume comes from the game (pace, ≈ 88 FGA and 22 FTA per 48 minutes); players share
        it by usage × minutes, so rosters change who shoots rather than how much a team shoots."""
        c = self._ctx
        rng = self.rng
        P = self.L.P
        pid = c["pid"][rows]
        tg = c["tg"][rows]
        ntg = c["ntg"]
        mins = sec / 60.0
        scale = period_minutes / 48.0
        pace = c["pace_tg"]
        fga_t = np.maximum(np.rint(rng.normal(88.5 * pace * scale, 4.8 * np.sqrt(scale))), 1)
        home_ft = np.where(np.arange(ntg) % 2 == 0, 1.04, 0.96)
        fta_t = np.maximum(np.rint(rng.normal(22.0 * pace * scale * home_ft, 4.0 * np.sqrt(scale))), 0)
        rate = self.L.fga_rate[pid] * c["walk"][rows] ** 0.4
        fga = allocate(rate * mins, tg, fga_t, rng)
        fg3a = rng.binomial(fga, P["three_share"][pid])
        fg2a = fga - fg3a
        shoot = c["shoot"][rows]
        paint = P["paint_share"][pid]
        p2 = (paint * P["fg_paint"][pid] + (1 - paint) * P["fg_mid"][pid]) * shoot
        fg2m = rng.binomial(fg2a, np.clip(p2, 0.05, 0.95))
        fg3m = rng.binomial(fg3a, np.clip(P["fg3"][pid] * shoot, 0.02, 0.9))
        ft_role = np.array([1.35, 1.0, 0.9, 0.9, 0.9])[self.L.role[pid]]
        fta = allocate(P["fta_rate"][pid] * ft_role * rate * mins, tg, fta_t, rng)
        ftm = rng.binomial(fta, P["ft_pct"][pid])
        return dict(fg2a=fg2a, fg2m=fg2m, fg3a=fg3a, fg3m=fg3m, fta=fta, ftm=ftm)

    @staticmethod
    def _points(st: dict[str, np.ndarray], rows: np.ndarray, n: int) -> np.ndarray:
        p = 2 * st["fg2m"] + 3 * st["fg3m"] + st["ftm"]
        return np.bincount(rows, weights=p, minlength=n)

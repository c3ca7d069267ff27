"""The league's people as the season builders read them: the player pool (identities and latent
skills, ``PlayerPool``), one season's league (rosters, stints, injury spells, ``SeasonLeague``), the
roles and positions, and the per-player names of the raw tables (``pid_names``). The league that
evolves them is ``runner.simulator.league``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np

from .names import ascii_name, normalize_name_for_lookup

# roles, by rank of effective talent inside the team at season start
STAR, STARTER, ROTATION, BENCH, DEEP = 0, 1, 2, 3, 4
ROLE_NAMES = ("star", "starter", "rotation", "bench", "deep")
# target minutes, minutes elasticity (how much a role absorbs extra/missing minutes), shots per minute
ROLE_MINUTES = np.array([35.5, 30.0, 20.0, 11.0, 5.5])
ROLE_MIN_SD = np.array([1.5, 2.5, 3.0, 3.0, 2.0])
ROLE_ELASTICITY = np.array([0.15, 0.45, 0.9, 1.4, 1.8])
ROLE_FGA_PER_MIN = np.array([0.60, 0.335, 0.29, 0.28, 0.27])

POSITIONS = ("PG", "SG", "SF", "PF", "C")
POS_P = np.array([0.2, 0.2, 0.2, 0.2, 0.2])

SEASON_DAYS = 270  # day index 0 = opening night; covers the postseason


@dataclass
class PlayerPool:
    """Struct of lists, one entry per player the league ever had (index = pid)."""

    full_name: list[str] = field(default_factory=list)
    first: list[str] = field(default_factory=list)
    last: list[str] = field(default_factory=list)
    lookup: list[str] = field(default_factory=list)
    birth: list[date] = field(default_factory=list)
    nba_id: list[int] = field(default_factory=list)
    espn_id: list[int] = field(default_factory=list)
    bdl_id: list[int] = field(default_factory=list)
    position: list[int] = field(default_factory=list)
    # latent skills (drift between seasons)
    t_base: list[float] = field(default_factory=list)
    usage: list[float] = field(default_factory=list)
    three_share: list[float] = field(default_factory=list)
    paint_share: list[float] = field(default_factory=list)
    fg_paint: list[float] = field(default_factory=list)
    fg_mid: list[float] = field(default_factory=list)
    fg3: list[float] = field(default_factory=list)
    ft_pct: list[float] = field(default_factory=list)
    fta_rate: list[float] = field(default_factory=list)
    ast: list[float] = field(default_factory=list)
    oreb: list[float] = field(default_factory=list)
    dreb: list[float] = field(default_factory=list)
    stl: list[float] = field(default_factory=list)
    blk: list[float] = field(default_factory=list)
    tov: list[float] = field(default_factory=list)
    pf: list[float] = field(default_factory=list)
    jersey: list[int] = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(self.full_name)

    def arr(self, name: str) -> np.ndarray:
        return np.asarray(getattr(self, name))


@dataclass
class SeasonLeague:
    """Everything about the league that a season's games need, as arrays indexed by pid."""

    season: int
    opener: date
    pool: PlayerPool
    pids: np.ndarray  # players in the league this season
    start_team: np.ndarray  # pid -> team idx at season start (-1 if not in league)
    role: np.ndarray  # pid -> role
    two_way: np.ndarray  # pid -> bool
    t_eff: np.ndarray  # pid -> effective talent
    min_target: np.ndarray  # pid -> target minutes
    fga_rate: np.ndarray  # pid -> shots per minute
    team_rating: np.ndarray  # team -> points per game above average (for lines and strength)
    # stints: a player is on ``team`` for day indexes [start, end)
    stint_pid: np.ndarray
    stint_team: np.ndarray
    stint_start: np.ndarray
    stint_end: np.ndarray
    trades: list[dict]
    # injuries: merged spells per player, [start, end) day indexes, with a reason
    inj_pid: np.ndarray
    inj_start: np.ndarray
    inj_end: np.ndarray
    inj_reason: list[str]
    inj_kind: np.ndarray  # 0 injury, 1 illness
    walk: np.ndarray  # (n_pool, SEASON_DAYS) multiplicative form on minutes/usage
    P: dict[str, np.ndarray]  # numpy snapshot of the pool's per-player attributes for this season

    def day_index(self, d: date) -> int:
        return (d - self.opener).days

    def age_on(self, pids: np.ndarray, d: date) -> np.ndarray:
        birth = self.P["birth"][pids]
        days = (np.datetime64(d, "D") - birth).astype(np.int64)
        return (days // 365.25).astype(np.int64)


def pid_names(pool: PlayerPool):
    """Per-pid display name, ASCII name and lookup (numpy object arrays for fast take)."""
    full = np.asarray(pool.full_name, dtype=object)
    asc = np.asarray([ascii_name(x) for x in pool.full_name], dtype=object)
    look = np.asarray(pool.lookup, dtype=object)
    assert all(normalize_name_for_lookup(a) == lk for a, lk in zip(asc[-5:], look[-5:]))
    return full, asc, look

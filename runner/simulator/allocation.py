"""Sharing a team's totals among its players, on flat numpy arrays grouped by team-game: ranks inside
a group, integer shares that sum exactly to the total, and the cap of one player's minutes at the
game's length (``runner.simulator.games`` uses them for minutes, shots and points).
"""
from __future__ import annotations

import numpy as np


def group_ranks(grp: np.ndarray, key: np.ndarray) -> np.ndarray:
    """Rank (0 = largest key) of each element inside its group."""
    order = np.lexsort((-key, grp))
    gs = grp[order]
    first = np.searchsorted(gs, gs, side="left")
    rank = np.empty(grp.size, dtype=np.int64)
    rank[order] = np.arange(grp.size) - first
    return rank


def allocate(weight: np.ndarray, grp: np.ndarray, totals: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Share integer ``totals[grp]`` among the members of each group in proportion to ``weight``,
    with roughly multinomial noise (normal approximation, then exact largest-remainder rounding)."""
    wsum = np.bincount(grp, weights=weight, minlength=totals.size)
    lam = weight * (totals / np.maximum(wsum, 1e-12))[grp]
    y = np.maximum(lam + np.sqrt(lam) * rng.standard_normal(lam.size), 0.0)
    y = np.where(weight > 0, y, 0.0)
    ysum = np.bincount(grp, weights=y, minlength=totals.size)
    has = np.bincount(grp, weights=weight > 0, minlength=totals.size) > 0
    tot = np.where(has, totals, 0.0)
    y = np.where(ysum[grp] > 0, y * (tot / np.maximum(ysum, 1e-12))[grp], lam)
    return round_to_total(y, grp, tot)


def round_to_total(x: np.ndarray, grp: np.ndarray, totals: np.ndarray) -> np.ndarray:
    """Integers per element, summing exactly to ``totals[grp]`` (largest remainder)."""
    fl = np.floor(x)
    frac = x - fl
    deficit = np.rint(totals - np.bincount(grp, weights=fl, minlength=totals.size)).astype(np.int64)
    rank = group_ranks(grp, frac)
    return (fl + (rank < deficit[grp])).astype(np.int64)


REG_MINUTES_CAP = 47.9  # one player's regulation minutes at most, leaving room for rounding to seconds


def cap_at_game_length(mins: np.ndarray, grp: np.ndarray, n_grp: int, target: float) -> np.ndarray:
    """No player above the game's 48 minutes: the rescale to the team's 240 minutes can lift a short
    rotation's minutes past it (a row staging rightly quarantines); the excess goes to the teammates
    below the cap, in proportion to their minutes. Rows already below it everywhere are unchanged."""
    for _ in range(20):
        over = mins > REG_MINUTES_CAP
        if not over.any():
            return mins
        mins = np.minimum(mins, REG_MINUTES_CAP)
        short = target - np.bincount(grp, weights=mins, minlength=n_grp)
        free = (mins > 0) & (mins < REG_MINUTES_CAP)
        free_tot = np.bincount(grp, weights=np.where(free, mins, 0.0), minlength=n_grp)
        mins = np.where(free, mins * (1 + short / np.maximum(free_tot, 1e-9))[grp], mins)
    return np.minimum(mins, REG_MINUTES_CAP)

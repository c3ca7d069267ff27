"""Season conventions (domain.md §0): opening nights, season year, the regular-season calendar."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np

MIN_SEASON = 2000
MAX_SEASON = 2025

OPENING_NIGHTS = {
    2021: date(2021, 10, 19),
    2022: date(2022, 10, 18),
    2023: date(2023, 10, 24),
    2024: date(2024, 10, 22),
    2025: date(2025, 10, 21),
}


def opening_night(season: int) -> date:
    """Known openers; otherwise the Tuesday closest to Oct 22."""
    if season in OPENING_NIGHTS:
        return OPENING_NIGHTS[season]
    oct22 = date(season, 10, 22)
    delta = (1 - oct22.weekday()) % 7  # days forward to the next Tuesday (weekday 1)
    if delta > 3:
        delta -= 7
    return oct22 + timedelta(days=delta)


def season_year_of(d: date) -> int:
    """Oct–Dec → that year; Jan–Sep → year − 1."""
    return d.year if d.month >= 10 else d.year - 1


def season_nba_format(season: int) -> str:
    return f"{season}-{(season + 1) % 100:02d}"


def nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    d = date(year, month, 1)
    d += timedelta(days=(weekday - d.weekday()) % 7)
    return d + timedelta(weeks=n - 1)


def thanksgiving(year: int) -> date:
    return nth_weekday(year, 11, 3, 4)


def all_star_sunday(season: int) -> date:
    return nth_weekday(season + 1, 2, 6, 3)


def regular_season_calendar(season: int, rng: np.random.Generator) -> list[date]:
    """Game dates of the regular season (≈ 164): opener to a mid-April Sunday, minus
    Thanksgiving, Christmas Eve, the All-Star break (Fri–Wed around the third Sunday of
    February) and three random off days."""
    start = opening_night(season)
    end = start + timedelta(days=170)
    while end.weekday() != 6:
        end += timedelta(days=1)
    asg = all_star_sunday(season)
    off = {thanksgiving(season), date(season, 12, 24)}
    off |= {asg + timedelta(days=k) for k in range(-2, 4)}
    days = [start + timedelta(days=k) for k in range((end - start).days + 1)]
    candidates = [d for d in days[3:-3] if d not in off and d != date(season, 12, 25)
                  and abs((d - asg).days) > 4]
    for i in rng.choice(len(candidates), size=3, replace=False):
        off.add(candidates[int(i)])
    return [d for d in days if d not in off]


def et_to_utc_offset_hours(d: date) -> int:
    """US Eastern → UTC offset for a wall-clock date (DST: 2nd Sunday of March → 1st Sunday of November)."""
    dst_start = nth_weekday(d.year, 3, 6, 2)
    dst_end = nth_weekday(d.year, 11, 6, 1)
    return 4 if dst_start <= d < dst_end else 5


def to_datetime64(d: date | datetime) -> np.datetime64:
    return np.datetime64(d)

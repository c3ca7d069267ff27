"""The 30 teams, read at run time from ``seeds/nba_teams.csv`` (never duplicated in code)."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

SEED_PATH = Path(__file__).resolve().parents[2] / "seeds" / "nba_teams.csv"


@dataclass(frozen=True)
class Team:
    idx: int
    abbr: str
    team_id: int
    city: str
    name: str
    conference: str
    division: str
    espn_code: str
    br_code: str
    arena_name: str
    arena_timezone: str

    @property
    def full_name(self) -> str:
        return f"{self.city} {self.name}"


@lru_cache(maxsize=4)
def load_teams(path: str | None = None) -> tuple[Team, ...]:
    p = Path(path) if path else SEED_PATH
    with p.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    rows.sort(key=lambda r: r["team_abbr"])
    teams = tuple(
        Team(
            idx=i,
            abbr=r["team_abbr"],
            team_id=int(r["team_id"]),
            city=r["team_city"],
            name=r["team_name"],
            conference=r["conference"],
            division=r["division"],
            espn_code=r["espn_code"],
            br_code=r["br_code"],
            arena_name=r["arena_name"],
            arena_timezone=r["arena_timezone"],
        )
        for i, r in enumerate(rows)
    )
    if len(teams) != 30:
        raise ValueError(f"{p} must list 30 teams, found {len(teams)}")
    return teams


# Eastern-time offset of each arena's local 7 pm tip, in hours (a 7:30 pm local tip in Denver is 9:30 pm ET).
TZ_OFFSET_FROM_ET = {
    "America/New_York": 0,
    "America/Detroit": 0,
    "America/Toronto": 0,
    "America/Indiana/Indianapolis": 0,
    "America/Chicago": 1,
    "America/Denver": 2,
    "America/Phoenix": 2,
    "America/Los_Angeles": 3,
}

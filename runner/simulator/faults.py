"""Deterministic data faults, each applied to a small subset of a season and reported row by row.

Every fault draws its targets from its own slot of game dates (date index modulo the number of
faults) and from its own random stream, so faults never touch the same rows and a fault's targets
do not depend on which other faults are enabled. Rows that a fault does not report are identical to
a clean run with the same seed.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

FAULTS: dict[str, str] = {
    "missing_dates": "no gamebook rows at all on a few game dates (every other source untouched)",
    "partial_dates": "only 5-40 % of the gamebook players kept on a few game dates",
    "duplicate_rows": "exact duplicate rows (same processed_at) in the gamebook, BDL and Odds API props",
    "malformed_minutes": "active gamebook rows whose minutes read '4O:12', '61:75', '-' or ''",
    "null_stats": "active gamebook rows with NULL points, shooting and rebound stats (minutes kept)",
    "unknown_team": "gamebook rows whose team_abbr is not an NBA team ('XYZ', 'SEA')",
    "unresolvable_player": "gamebook rows with a NULL player_lookup and a name that normalises to '' ('???', '#—')",
    "late_correction": "a later gamebook row (changed points, consistent FG) and corrected team box scores for a few old games",
}
_SLOT = {name: i for i, name in enumerate(FAULTS)}

GAMEBOOK = "nbac_gamebook_player_stats"
TEAM_BOX = "nbac_team_boxscore"


@dataclass(frozen=True)
class FaultEffect:
    """One row (or one date) changed by a fault. ``key`` holds the natural-key values of the affected
    row as it is in the faulty table (or ``game_date`` for date-level faults); ``old``/``new`` hold the
    changed values where that makes sense."""

    fault: str
    table: str
    key: dict[str, Any]
    detail: str
    old: dict[str, Any] | None = None
    new: dict[str, Any] | None = None


def _jsonable(v: Any) -> Any:
    if isinstance(v, (datetime, date)):
        return v.isoformat(sep=" ") if isinstance(v, datetime) else v.isoformat()
    if isinstance(v, float) and np.isnan(v):
        return None
    return v


def decode(t: pa.Table) -> pa.Table:
    """Plain string columns instead of dictionary-encoded ones (easier to edit)."""
    cols = []
    for f, col in zip(t.schema, t.columns):
        cols.append(col.cast(f.type.value_type) if pa.types.is_dictionary(f.type) else col)
    return pa.table(cols, names=t.column_names)


class FaultInjector:
    def __init__(self, seed: int, season: int, tables: dict[str, pa.Table], natural_keys: dict[str, tuple[str, ...]],
                 regular_dates: list[date]):
        self.seed = seed
        self.season = season
        self.t = tables
        self.keys = natural_keys
        self.dates = regular_dates
        self.effects: list[FaultEffect] = []

    def rng(self, fault: str) -> np.random.Generator:
        h = int(hashlib.sha256(fault.encode()).hexdigest()[:8], 16)
        return np.random.Generator(np.random.PCG64(np.random.SeedSequence([self.seed, 0xFA017, self.season, h])))

    def slot_dates(self, fault: str, lo: float = 0.0, hi: float = 1.0) -> list[date]:
        n = len(self.dates)
        return [d for i, d in enumerate(self.dates)
                if i % len(FAULTS) == _SLOT[fault] and lo * n <= i < hi * n and i >= 3]

    def apply(self, faults: list[str]) -> list[FaultEffect]:
        touched = {GAMEBOOK} | ({"bdl_player_boxscores", "odds_api_player_points_props"} if "duplicate_rows" in faults
                                else set()) | ({TEAM_BOX} if "late_correction" in faults else set())
        for name in touched:
            self.t[name] = decode(self.t[name])
        for name in FAULTS:  # canonical order
            if name in faults:
                getattr(self, name)()
        return self.effects

    # -- helpers ---------------------------------------------------------------------------------
    def _key(self, table: str, row: dict) -> dict[str, Any]:
        return {k: _jsonable(row[k]) for k in self.keys[table]}

    def _date_mask(self, table: str, days: list[date]) -> np.ndarray:
        col = self.t[table].column("game_date").to_numpy(zero_copy_only=False).astype("datetime64[D]")
        return np.isin(col, np.array(days, dtype="datetime64[D]"))

    def _pick_rows(self, fault: str, table: str, k: int, where: np.ndarray, one_per_game: bool = True,
                   lo: float = 0.0, hi: float = 1.0) -> np.ndarray:
        rng = self.rng(fault + ":" + table)
        days = self.slot_dates(fault, lo, hi)
        cand = np.flatnonzero(where & self._date_mask(table, days))
        cand = cand[rng.permutation(cand.size)]
        if not one_per_game:
            return np.sort(cand[:k])
        games = self.t[table].column("game_id").to_numpy(zero_copy_only=False)
        out, seen = [], set()
        for i in cand:
            if games[i] not in seen:
                seen.add(games[i])
                out.append(i)
            if len(out) == k:
                break
        return np.sort(np.asarray(out, dtype=np.int64))

    def _replace_rows(self, table: str, idx: np.ndarray, rows: list[dict], extra: list[dict] | None = None) -> None:
        t = decode(self.t[table])
        keep = np.ones(t.num_rows, dtype=bool)
        keep[idx] = False
        parts = [t.filter(pa.array(keep))]
        if rows:
            parts.append(pa.Table.from_pylist(rows, schema=t.schema))
        if extra:
            parts.append(pa.Table.from_pylist(extra, schema=t.schema))
        self.t[table] = pa.concat_tables(parts)

    def _status(self, table: str) -> np.ndarray:
        return self.t[table].column("player_status").to_numpy(zero_copy_only=False).astype(str)

    def _played(self) -> np.ndarray:
        t = self.t[GAMEBOOK]
        act = self._status(GAMEBOOK) == "active"
        md = t.column("minutes_decimal").to_numpy(zero_copy_only=False)
        return act & (np.nan_to_num(md.astype(float)) > 0)

    # -- faults ----------------------------------------------------------------------------------
    def missing_dates(self) -> None:
        rng = self.rng("missing_dates")
        slots = self.slot_dates("missing_dates")
        days = sorted(slots[i] for i in rng.choice(len(slots), 2, replace=False))
        for d in days:
            m = self._date_mask(GAMEBOOK, [d])
            games = pc.count_distinct(self.t[GAMEBOOK].filter(pa.array(m)).column("game_id")).as_py()
            self.t[GAMEBOOK] = self.t[GAMEBOOK].filter(pa.array(~m))
            self.effects.append(FaultEffect("missing_dates", GAMEBOOK, {"game_date": d.isoformat()},
                                            f"removed all {int(m.sum())} gamebook rows of {games} games"))

    def partial_dates(self) -> None:
        rng = self.rng("partial_dates")
        slots = self.slot_dates("partial_dates")
        days = sorted(slots[i] for i in rng.choice(len(slots), 2, replace=False))
        for d in days:
            m = self._date_mask(GAMEBOOK, [d])
            idx = np.flatnonzero(m)
            share = float(rng.uniform(0.05, 0.40))
            k = max(1, round(share * idx.size))
            kept = set(rng.choice(idx, k, replace=False).tolist())
            keep = ~m
            keep[list(kept)] = True
            self.t[GAMEBOOK] = self.t[GAMEBOOK].filter(pa.array(keep))
            self.effects.append(FaultEffect("partial_dates", GAMEBOOK, {"game_date": d.isoformat()},
                                            f"kept {k} of {idx.size} gamebook rows ({k / idx.size:.0%})"))

    def duplicate_rows(self) -> None:
        for table, k in ((GAMEBOOK, 4), ("bdl_player_boxscores", 2), ("odds_api_player_points_props", 2)):
            t = self.t[table]
            where = self._played() if table == GAMEBOOK else np.ones(t.num_rows, dtype=bool)
            idx = self._pick_rows("duplicate_rows", table, k, where)
            rows = decode(t).take(pa.array(idx)).to_pylist()
            self._replace_rows(table, np.array([], dtype=np.int64), [], extra=rows)
            for row in rows:
                self.effects.append(FaultEffect("duplicate_rows", table, self._key(table, row),
                                                "row duplicated: 2 identical copies (same processed_at)"))

    def malformed_minutes(self) -> None:
        bad = ["4O:12", "61:75", "-", ""]
        idx = self._pick_rows("malformed_minutes", GAMEBOOK, 4, self._played())
        rows = decode(self.t[GAMEBOOK]).take(pa.array(idx)).to_pylist()
        for i, row in enumerate(rows):
            old = {"minutes": row["minutes"], "minutes_decimal": row["minutes_decimal"]}
            row["minutes"], row["minutes_decimal"] = bad[i % len(bad)], None
            self.effects.append(FaultEffect("malformed_minutes", GAMEBOOK, self._key(GAMEBOOK, row),
                                            f"minutes {old['minutes']!r} -> {row['minutes']!r}, minutes_decimal NULL",
                                            old, {"minutes": row["minutes"], "minutes_decimal": None}))
        self._replace_rows(GAMEBOOK, idx, rows)

    NULLED = ("points", "field_goals_made", "field_goals_attempted", "three_pointers_made",
              "three_pointers_attempted", "free_throws_made", "free_throws_attempted", "offensive_rebounds",
              "defensive_rebounds", "total_rebounds", "field_goal_percentage", "three_point_percentage",
              "free_throw_percentage")

    def null_stats(self) -> None:
        idx = self._pick_rows("null_stats", GAMEBOOK, 4, self._played())
        rows = decode(self.t[GAMEBOOK]).take(pa.array(idx)).to_pylist()
        for row in rows:
            old = {c: _jsonable(row[c]) for c in self.NULLED}
            for c in self.NULLED:
                row[c] = None
            self.effects.append(FaultEffect("null_stats", GAMEBOOK, self._key(GAMEBOOK, row),
                                            f"points/shooting/rebound stats set to NULL (points were {old['points']})",
                                            old, dict.fromkeys(self.NULLED)))
        self._replace_rows(GAMEBOOK, idx, rows)

    def unknown_team(self) -> None:
        codes = ["XYZ", "SEA"]
        idx = self._pick_rows("unknown_team", GAMEBOOK, 4, self._status(GAMEBOOK) == "active")
        rows = decode(self.t[GAMEBOOK]).take(pa.array(idx)).to_pylist()
        for i, row in enumerate(rows):
            old = row["team_abbr"]
            row["team_abbr"] = codes[i % 2]
            self.effects.append(FaultEffect("unknown_team", GAMEBOOK, self._key(GAMEBOOK, row),
                                            f"team_abbr {old} -> {row['team_abbr']}",
                                            {"team_abbr": old}, {"team_abbr": row["team_abbr"]}))
        self._replace_rows(GAMEBOOK, idx, rows)

    def unresolvable_player(self) -> None:
        names = ["???", "#—"]
        idx = self._pick_rows("unresolvable_player", GAMEBOOK, 4, self._status(GAMEBOOK) == "active")
        rows = decode(self.t[GAMEBOOK]).take(pa.array(idx)).to_pylist()
        for i, row in enumerate(rows):
            old = {k: row[k] for k in ("player_name", "player_name_original", "player_lookup", "name_resolution_status")}
            row["player_name"] = row["player_name_original"] = names[i % 2]
            row["player_lookup"] = None
            row["name_resolution_status"] = "not_found"
            new = {k: row[k] for k in old}
            self.effects.append(FaultEffect("unresolvable_player", GAMEBOOK, self._key(GAMEBOOK, row),
                                            f"{old['player_name']!r} ({old['player_lookup']}) -> {row['player_name']!r}, "
                                            "player_lookup NULL, not_found", old, new))
        self._replace_rows(GAMEBOOK, idx, rows)

    def late_correction(self) -> None:
        """A scorer's correction published weeks later: one missed two becomes a make (+2 points)."""
        gb = decode(self.t[GAMEBOOK])
        fga = np.nan_to_num(gb.column("field_goals_attempted").to_numpy(zero_copy_only=False).astype(float))
        fgm = np.nan_to_num(gb.column("field_goals_made").to_numpy(zero_copy_only=False).astype(float))
        a3 = np.nan_to_num(gb.column("three_pointers_attempted").to_numpy(zero_copy_only=False).astype(float))
        m3 = np.nan_to_num(gb.column("three_pointers_made").to_numpy(zero_copy_only=False).astype(float))
        missed_two = (fga - a3) - (fgm - m3) > 0
        box = decode(self.t[TEAM_BOX])
        box_rows = box.to_pylist()
        by_key = {(r["game_id"], r["team_abbr"]): i for i, r in enumerate(box_rows)}
        gids = gb.column("game_id").to_pylist()
        teams = gb.column("team_abbr").to_pylist()
        margin_ok = np.array([
            (g, t) in by_key and abs(box_rows[by_key[(g, t)]]["plus_minus"]) > 3 for g, t in zip(gids, teams)])
        idx = self._pick_rows("late_correction", GAMEBOOK, 3, self._played() & missed_two & margin_ok,
                              hi=0.5)
        new_rows, extra_box = [], []
        for row in gb.take(pa.array(idx)).to_pylist():
            new = dict(row)
            new["points"] += 2
            new["field_goals_made"] += 1
            new["field_goal_percentage"] = round(new["field_goals_made"] / new["field_goals_attempted"], 3)
            new["processed_at"] = row["processed_at"] + (np.timedelta64(21, "D") + np.timedelta64(3, "h")).item()
            new["source_file_path"] = row["source_file_path"].replace(".json", "_corrected.json")
            new_rows.append(new)
            changed = ("points", "field_goals_made", "field_goal_percentage")
            self.effects.append(FaultEffect(
                "late_correction", GAMEBOOK, self._key(GAMEBOOK, new) | {"processed_at": _jsonable(new["processed_at"])},
                f"correction row: points {row['points']} -> {new['points']}, FGM {row['field_goals_made']} -> "
                f"{new['field_goals_made']}", {c: row[c] for c in changed}, {c: new[c] for c in changed}))
            own = box_rows[by_key[(row["game_id"], row["team_abbr"])]]
            opp = next(r for r in box_rows if r["game_id"] == row["game_id"] and r["team_abbr"] != row["team_abbr"])
            for team_row, own_team in ((own, True), (opp, False)):
                b = dict(team_row)
                if own_team:
                    b["points"] += 2
                    b["fg_made"] += 1
                    b["fg_percentage"] = round(b["fg_made"] / b["fg_attempted"], 3)
                    b["plus_minus"] += 2
                    cols = ("points", "fg_made", "fg_percentage", "plus_minus")
                else:
                    b["plus_minus"] -= 2
                    cols = ("plus_minus",)
                b["processed_at"] = new["processed_at"]
                b["source_file_path"] = team_row["source_file_path"].replace(".json", "_corrected.json")
                extra_box.append(b)
                self.effects.append(FaultEffect(
                    "late_correction", TEAM_BOX, self._key(TEAM_BOX, b) | {"processed_at": _jsonable(b["processed_at"])},
                    "corrected team row: " + ", ".join(f"{c} {team_row[c]} -> {b[c]}" for c in cols),
                    {c: team_row[c] for c in cols}, {c: b[c] for c in cols}))
        self._replace_rows(GAMEBOOK, np.array([], dtype=np.int64), [], extra=new_rows)
        self._replace_rows(TEAM_BOX, np.array([], dtype=np.int64), [], extra=extra_box)

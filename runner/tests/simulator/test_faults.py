"""Each fault changes exactly the rows it reports, and does what its description says.

The faulted database (season 2024, seed 7, every fault) is compared with the clean one (same seed):
rows present in one and not the other (EXCEPT ALL, so duplicates count) must all be explained by a
reported FaultEffect, and every FaultEffect must explain at least one such row.
"""
from __future__ import annotations

from collections import Counter
from datetime import date, datetime

import pytest

from runner.simulator import FAULTS, TABLES, normalize_name_for_lookup

from .conftest import one, rows

GB = "nba_raw.nbac_gamebook_player_stats"


def _diff(fcon, table: str) -> tuple[list[dict], list[dict]]:
    cols = TABLES[table].column_names
    added = fcon.execute(f"select * from nba_raw.{table} except all select * from clean.nba_raw.{table}").fetchall()
    removed = fcon.execute(f"select * from clean.nba_raw.{table} except all select * from nba_raw.{table}").fetchall()
    return [dict(zip(cols, r)) for r in added], [dict(zip(cols, r)) for r in removed]


def _norm(v):
    if isinstance(v, datetime):
        return v.isoformat(sep=" ")
    if isinstance(v, date):
        return v.isoformat()
    return v


def _effects(faulted, fault=None, table=None):
    return [e for e in faulted[1].fault_effects
            if (fault is None or e.fault == fault) and (table is None or e.table == table)]


def _explains(effect, row: dict, side: str) -> bool:
    key = effect.key
    if set(key) == {"game_date"}:
        return _norm(row["game_date"]) == key["game_date"]
    if effect.fault == "unresolvable_player" and side == "removed":
        return row["game_id"] == key["game_id"] and row["player_lookup"] == effect.old["player_lookup"]
    return all(_norm(row[k]) == v for k, v in key.items())


def test_every_fault_reports_effects_in_every_table_it_touches(faulted):
    seen = Counter((e.fault, e.table) for e in faulted[1].fault_effects)
    assert {f for f, _ in seen} == set(FAULTS)
    assert seen[("duplicate_rows", "bdl_player_boxscores")] >= 1
    assert seen[("duplicate_rows", "odds_api_player_points_props")] >= 1
    assert seen[("late_correction", "nbac_team_boxscore")] == 2 * seen[("late_correction", "nbac_gamebook_player_stats")]


@pytest.mark.parametrize("table", sorted(TABLES))
def test_only_the_reported_rows_differ_from_a_clean_run(fcon, faulted, table):
    added, removed = _diff(fcon, table)
    effects = _effects(faulted, table=table)
    for side, diff_rows in (("added", added), ("removed", removed)):
        for row in diff_rows:
            assert any(_explains(e, row, side) for e in effects), (table, side, row)
    for e in effects:
        assert any(_explains(e, r, "added") for r in added) or any(_explains(e, r, "removed") for r in removed), e
    if not effects:
        assert not added and not removed


def test_missing_dates(fcon, faulted):
    for e in _effects(faulted, "missing_dates"):
        d = date.fromisoformat(e.key["game_date"])
        assert one(fcon, f"select count(*) from {GB} where game_date = ?", d) == (0,)
        n_clean = one(fcon, f"select count(*) from clean.{GB} where game_date = ?", d)[0]
        assert n_clean > 0 and f"all {n_clean} gamebook rows" in e.detail
        # the other sources still have that date
        assert one(fcon, "select count(*) from nba_raw.nbac_team_boxscore where game_date = ?", d)[0] > 0


def test_partial_dates(fcon, faulted):
    for e in _effects(faulted, "partial_dates"):
        d = date.fromisoformat(e.key["game_date"])
        kept = one(fcon, f"select count(*) from {GB} where game_date = ?", d)[0]
        total = one(fcon, f"select count(*) from clean.{GB} where game_date = ?", d)[0]
        assert 0.04 <= kept / total <= 0.41 and f"kept {kept} of {total}" in e.detail
        # the kept rows are untouched
        assert one(fcon, f"select count(*) from (select * from {GB} where game_date = ? except all "
                         f"select * from clean.{GB} where game_date = ?)", d, d) == (0,)


def test_duplicate_rows(fcon, faulted):
    effects = _effects(faulted, "duplicate_rows")
    assert {e.table for e in effects} == {"nbac_gamebook_player_stats", "bdl_player_boxscores",
                                          "odds_api_player_points_props"}
    for e in effects:
        where = " and ".join(f"cast({k} as varchar) = ?" for k in e.key)
        n, distinct = one(fcon, f"select count(*), count(distinct t) from nba_raw.{e.table} t where {where}", *e.key.values())
        assert (n, distinct) == (2, 1), e


def test_malformed_minutes(fcon, faulted):
    effects = _effects(faulted, "malformed_minutes")
    assert len(effects) >= 4
    assert {e.new["minutes"] for e in effects} == {"4O:12", "61:75", "-", ""}
    for e in effects:
        minutes, decimal, status = one(fcon, f"select minutes, minutes_decimal, player_status from {GB} "
                                             "where game_id = ? and player_lookup = ?", e.key["game_id"], e.key["player_lookup"])
        assert (minutes, decimal, status) == (e.new["minutes"], None, "active")
        assert e.old["minutes"] and e.old["minutes_decimal"] > 0


def test_null_stats(fcon, faulted):
    for e in _effects(faulted, "null_stats"):
        got = one(fcon, f"select points, field_goals_attempted, free_throws_made, total_rebounds, minutes, assists "
                        f"from {GB} where game_id = ? and player_lookup = ?", e.key["game_id"], e.key["player_lookup"])
        assert got[:4] == (None, None, None, None) and got[4] and got[5] is not None
        assert e.old["points"] is not None


def test_unknown_team(fcon, faulted):
    for e in _effects(faulted, "unknown_team"):
        team = one(fcon, f"select team_abbr from {GB} where game_id = ? and player_lookup = ?",
                   e.key["game_id"], e.key["player_lookup"])[0]
        assert team in ("XYZ", "SEA") and team == e.new["team_abbr"]
        assert team not in {r[0] for r in rows(fcon, "select distinct team_abbr from nba_raw.nbac_team_boxscore")}


def test_unresolvable_player(fcon, faulted):
    effects = _effects(faulted, "unresolvable_player")
    got = rows(fcon, f"select game_id, player_name, player_name_original, name_resolution_status from {GB} "
                     "where player_lookup is null")
    assert len(got) == len(effects) >= 4
    for _game_id, name, original, status in got:
        assert normalize_name_for_lookup(name) == "" and normalize_name_for_lookup(original) == ""
        assert status == "not_found"
    assert {g for g, *_ in got} == {e.key["game_id"] for e in effects}


def test_late_correction_keeps_team_equal_to_players_on_latest_rows(fcon, faulted):
    effects = _effects(faulted, "late_correction", "nbac_gamebook_player_stats")
    assert len(effects) >= 2
    for e in effects:
        versions = rows(fcon, f"select processed_at, points, field_goals_made, field_goals_attempted, three_pointers_made, "
                              f"free_throws_made from {GB} where game_id = ? and player_lookup = ? order by processed_at",
                        e.key["game_id"], e.key["player_lookup"])
        assert len(versions) == 2
        (t0, p0, *_), (t1, p1, fgm, fga, m3, ftm) = versions
        assert t1 > t0 and _norm(t1) == e.key["processed_at"]
        assert p1 == p0 + 2 == e.new["points"] and p1 == 2 * fgm + m3 + ftm and fgm <= fga
        assert t1.date() > date.fromisoformat(e.key["game_id"][:4] + "-" + e.key["game_id"][4:6] + "-" + e.key["game_id"][6:8])
    # on the latest versions of every row, team box scores still equal the sum of their players
    bad = one(fcon, f"""
        with gb as (select * from {GB} qualify row_number() over (partition by game_id, player_lookup order by processed_at desc) = 1),
             tb as (select * from nba_raw.nbac_team_boxscore
                    qualify row_number() over (partition by game_id, team_abbr order by processed_at desc) = 1),
             p as (select game_id, team_abbr, sum(points) pts, sum(field_goals_made) fgm from gb where player_status = 'active'
                   group by all)
        select count(*) filter (where (p.pts, p.fgm) <> (tb.points, tb.fg_made)),
               count(*) filter (where tb.plus_minus <> -o.plus_minus)
        from tb join p using (game_id, team_abbr)
        join tb o on o.game_id = tb.game_id and o.team_abbr <> tb.team_abbr
        where tb.game_id in ({",".join("?" * len(effects))})""", *[e.key["game_id"] for e in effects])
    assert bad == (0, 0)

"""Argument validation: SimulatorInputError names the bad value and what is allowed."""
from __future__ import annotations

import duckdb
import pytest

from runner.simulator import FAULTS, SimulatorInputError, generate


@pytest.mark.parametrize(
    ("kwargs", "fragments"),
    [
        ({"first_season": 1999, "last_season": 2000}, ["first_season=1999", "2000", "2025"]),
        ({"first_season": 2024, "last_season": 2026}, ["last_season=2026", "2000", "2025"]),
        ({"first_season": 2025, "last_season": 2024}, ["first_season=2025", "last_season=2024"]),
        ({"first_season": "2024", "last_season": 2024}, ["first_season='2024'"]),
        ({"faults": ["missing_dates", "bogus_fault"]}, ["'bogus_fault'", *FAULTS]),
        ({"faults": "nope"}, ["'nope'"]),
        ({"seed": -1}, ["seed=-1"]),
    ],
)
def test_bad_input_raises_with_a_clear_message(tmp_path, kwargs, fragments):
    path = tmp_path / "never.duckdb"
    with pytest.raises(SimulatorInputError) as err:
        generate(path, **kwargs)
    for fragment in fragments:
        assert fragment in str(err.value)
    assert isinstance(err.value, ValueError)
    assert not path.exists()  # validation happens before anything is written


def test_faults_are_documented_one_line_each():
    assert set(FAULTS) == {
        "missing_dates", "partial_dates", "duplicate_rows", "malformed_minutes", "null_stats",
        "unknown_team", "unresolvable_player", "late_correction",
    }
    for name, description in FAULTS.items():
        assert description and "\n" not in description and len(description) < 120, name


def test_generate_accepts_an_open_connection_and_leaves_it_open():
    # an existing connection is used as is (and left open); stale tables of the schema are replaced
    con = duckdb.connect()
    con.execute("create schema nba_raw")
    con.execute("create table nba_raw.nbac_schedule (x int)")
    report = generate(con, 2003, 2003, seed=1)
    assert report.db_path is None and report.seasons == [2003]
    cols = [r[0] for r in con.execute("describe nba_raw.nbac_schedule").fetchall()]
    assert cols[0] == "game_id"
    assert con.execute("select count(*) from nba_raw.nbac_schedule").fetchall()[0][0] == report.row_counts["nbac_schedule"]
    # no play-in before 2020-21: 16 playoff teams only
    kinds = dict(con.execute("select playoff_round, count(distinct game_id) from nba_raw.nbac_schedule "
                             "where is_regular_season or is_playoffs group by 1").fetchall())
    assert "play_in" not in kinds and kinds[None] == 1230
    con.close()

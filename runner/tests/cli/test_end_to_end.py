"""The demo path through the real CLI: simulate (with faults), build staging, report.

One season keeps it fast; every raw row must be accounted for and the injected
faults must show up in the quarantine under their reasons.
"""
from __future__ import annotations

import duckdb
from typer.testing import CliRunner

from runner.cli import app


def test_generate_build_status_on_a_faulted_season(tmp_path):
    db = tmp_path / "e2e.duckdb"
    cli = CliRunner()
    base = ["--duckdb-path", str(db)]

    gen = cli.invoke(
        app,
        [*base, "raw", "generate", "--first-season", "2024", "--last-season", "2024",
         "--faults", "malformed_minutes,unknown_team,unresolvable_player,duplicate_rows,late_correction"],
    )
    assert gen.exit_code == 0, gen.output
    assert "nbac_gamebook_player_stats" in gen.output

    build = cli.invoke(app, [*base, "build", "--select", "staging", "-s", "orchestration"])
    assert build.exit_code == 0, build.output

    status = cli.invoke(app, [*base, "status"])
    assert status.exit_code == 0, status.output
    for reason in ("malformed_minutes", "unknown_team", "unresolvable_player", "duplicate_row"):
        assert reason in status.output

    with duckdb.connect(str(db)) as con:  # same config as dbt-duckdb's open connection
        unaccounted = con.execute(
            "select count(*) from nba_orchestration.raw_row_accounting "
            "where raw_rows <> staged_rows + excluded_rows + quarantined_rows + superseded_rows"
        ).fetchone()[0]
        superseded, excluded = con.execute(
            "select sum(superseded_rows), sum(excluded_rows) from nba_orchestration.raw_row_accounting"
        ).fetchone()
    assert unaccounted == 0
    assert superseded > 0  # late corrections and the schedule's earlier snapshots
    assert excluded > 0  # the simulated preseason and All-Star games


def test_build_failure_exits_1_and_names_the_failed_test(tmp_path):
    """A dbt test that fails makes `build` exit 1 and name the failing test."""
    db = tmp_path / "broken.duckdb"
    cli = CliRunner()
    base = ["--duckdb-path", str(db)]
    assert cli.invoke(app, [*base, "raw", "generate", "--first-season", "2024", "--last-season", "2024"]).exit_code == 0
    with duckdb.connect(str(db)) as con:
        # an active-looking row with a status outside the domain's vocabulary
        con.execute(
            """
            insert into nba_raw.nbac_gamebook_player_stats
            select * replace ('benched' as player_status, 'zzzbenchtest' as player_lookup)
            from nba_raw.nbac_gamebook_player_stats
            where player_status = 'active'
            limit 1
            """
        )
    build = cli.invoke(app, [*base, "build", "--select", "stg_nba_raw__nbac_gamebook_player_stats"])
    assert build.exit_code == 1, build.output
    assert "accepted_values" in build.output and "player_status" in build.output

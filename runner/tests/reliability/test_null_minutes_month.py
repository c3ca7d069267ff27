"""The seeds' incident replayed end to end: 99 % of a month's minutes NULL must fail loudly.

In production, 99.5 % NULL minutes went unnoticed for weeks. Here, on a copy of the shared clean
world, the raw gamebook loses its minutes for 99 % of the active rows of November 2024 (the
other 1 % keep theirs), then a user re-backfills player_game_summary for the month and runs
`validate`: missing minutes are staged as NULL (they are not impossible), so the backfill exits 1
with every game date of the month failed (none marked done) on player_game_summary's null-rate
gate, each reason giving its numbers. Nothing of the month is published: the table keeps the
rows it had (what a training query reads), and `validate` over the month fails (exit 1) on the
ledger's failed dates, whose reasons give the NULL shares.
"""
from __future__ import annotations

import datetime as dt

import duckdb
import pytest
from typer.testing import CliRunner

from runner.cli import app
from runner.config import Settings
from runner.console import CaptureConsole
from runner.services.validate import ValidateRequest, validate

pytestmark = pytest.mark.slow

START, END = dt.date(2024, 11, 1), dt.date(2024, 11, 30)
GAMEBOOK = "nbac_gamebook_player_stats"


def test_a_month_of_null_minutes_fails_every_date_and_validate(clean_world, tmp_path):
    db = clean_world.copy_to(tmp_path)
    with duckdb.connect(str(db)) as con:
        con.execute(
            f"update nba_raw.{GAMEBOOK} set minutes = null, minutes_decimal = null "
            "where game_date between ? and ? and player_status = 'active' and hash(player_lookup) % 100 <> 0",
            [START, END])
        active, with_minutes = con.execute(
            f"select count(*), count(minutes) from nba_raw.{GAMEBOOK} "
            "where game_date between ? and ? and player_status = 'active'", [START, END]).fetchone()
        game_dates = {d for (d,) in con.execute(
            "select distinct game_date from nba_raw.stg_nba_raw__nbac_schedule "
            "where is_final and game_date between ? and ?", [START, END]).fetchall()}
    assert with_minutes / active < 0.03 and len(game_dates) >= 25  # ~99 % NULL over a month

    result = CliRunner().invoke(app, [
        "--duckdb-path", str(db), "backfill", "--start-date", str(START), "--end-date", str(END),
        "--select", "player_game_summary", "--no-resume"], env={"COLUMNS": "250"})

    assert result.exit_code == 1, result.output
    with duckdb.connect(str(db)) as con:
        ledger = {d: (status, reason) for d, status, reason in con.execute(
            "select ledger_date, status, reason from nba_orchestration.backfill_ledger "
            "where model_name = 'player_game_summary' and ledger_date between ? and ?", [START, END]).fetchall()}
    assert {d for d, (status, _) in ledger.items() if status == "failed"} == game_dates
    assert not [d for d, (status, _) in ledger.items() if status == "succeeded"]
    assert all("minutes_played NULL on" in ledger[d][1] and "% > 1 %)" in ledger[d][1] for d in game_dates), \
        [ledger[d][1] for d in sorted(game_dates)[:2]]

    # nothing of the month was published: the table still holds the clean world's rows (what a
    # training query reads), and validate fails on the ledger's failed dates, not on the table
    with duckdb.connect(str(db)) as con, duckdb.connect(str(clean_world.path), read_only=True) as clean:
        sql = ("select count(*), count(minutes_played) from nba_analytics.player_game_summary "
               "where game_date between ? and ?")
        assert con.execute(sql, [START, END]).fetchone() == clean.execute(sql, [START, END]).fetchone()
    report = validate(Settings.load(duckdb_path=db), CaptureConsole(),
                      ValidateRequest(START, END, select=("ledger", "null_rates"))).report
    assert report.exit_code("error") == 1
    failed = next(c for c in report.failing("error") if c.name == "ledger.failed")
    assert failed.observed == len(game_dates) and "minutes_played NULL on" in failed.message, failed.message
    assert "null_rates.player_game_summary.minutes_played" not in {c.name for c in report.failing("error")}

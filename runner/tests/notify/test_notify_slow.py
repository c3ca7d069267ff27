"""Alerts on a real warehouse: a copy of the shared clean world, one date made to fail, the real CLI and dbt.

One backfill of one date (`--dates`) of player_game_summary and the context
model that reads it, the date's gamebook rows deleted first: the gamebook gate
fails the date, the context model's date is blocked, and the local webhook
receives one message naming both. Two models only: each costs a dbt build.
"""
from __future__ import annotations

import datetime as dt

import duckdb
import pytest
from typer.testing import CliRunner

from runner.cli import app
from runner.tests.webhook import TOKEN

pytestmark = pytest.mark.slow

DAY = dt.date(2024, 11, 20)  # a game date after the season's bootstrap days


def test_a_failed_date_is_alerted_once_without_leaking_the_url(clean_world, tmp_path, webhook, monkeypatch):
    db = clean_world.copy_to(tmp_path)
    with duckdb.connect(str(db)) as con:
        con.execute("delete from nba_raw.nbac_gamebook_player_stats where game_date = ?", [DAY])
    argv = ["--duckdb-path", str(db), "backfill", "--dates", DAY.isoformat(), "--select", "player_game_summary,upcoming_player_game_context",
            "--no-resume", "--notify", webhook.url]
    monkeypatch.setattr("sys.argv", ["nba-pipeline", *argv])
    result = CliRunner().invoke(app, argv, env={"COLUMNS": "200"})

    assert result.exit_code == 1, result.output  # the alert does not change the run's outcome
    assert len(webhook.received) == 1
    body = webhook.received[0].body
    assert (body["kind"], body["status"], body["exit_code"]) == ("backfill", "failed", 1)
    assert (body["start_date"], body["end_date"]) == (DAY.isoformat(), DAY.isoformat())
    failed = [i for i in body["items"] if i["status"] == "failed"]
    assert [(i["what"], i["date"]) for i in failed] == [("player_game_summary", DAY.isoformat())]
    assert "player_game_summary_gamebook_coverage" in failed[0]["reason"]
    blocked = [(i["what"], i["date"]) for i in body["items"] if i["status"] == "blocked"]
    assert blocked == [("upcoming_player_game_context", DAY.isoformat())]
    assert body["counts"] == {"blocked": 1, "failed": 1}
    assert f"--notify http://127.0.0.1:{webhook.port}/…" in body["command"]

    with duckdb.connect(str(db)) as con:
        run = con.execute("select run_id, notify_status, notify_host, command_line, log_path "
                          "from nba_orchestration.backfill_runs order by started_at desc limit 1").fetchone()
        stored = str(con.execute("select * from nba_orchestration.backfill_ledger").fetchall()) + str(
            con.execute("select * from nba_orchestration.backfill_runs").fetchall())
    assert run[0] == body["run_id"] and run[1:3] == ("sent", f"127.0.0.1:{webhook.port}")
    log = open(run[4]).read()
    for secret in TOKEN.split("/"):
        assert secret not in result.output and secret not in stored and secret not in log
    print("received alert body:", body)  # shown with -s: the closing note of issue 10 quotes it

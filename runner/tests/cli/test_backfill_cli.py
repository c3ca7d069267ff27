"""`nba-pipeline backfill` and `status`: argument validation and exit codes, dbt faked."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from runner.cli import app
from runner.tests.backfill.fakes import FakeDbt, make_schedule

runner = CliRunner()
GAME_DATES = [dt.date(2024, 11, d) for d in range(1, 11) if d != 5]


@pytest.fixture
def fake(tmp_path, monkeypatch):
    db = tmp_path / "fake.duckdb"
    make_schedule(db, GAME_DATES)
    dbt = FakeDbt(db)
    monkeypatch.setattr("runner.services.backfill.make_dbt", lambda settings: dbt)
    return db, dbt


def invoke(db, *args):
    return runner.invoke(app, ["--duckdb-path", str(db), "backfill", *args])


RANGE = ("--start-date", "2024-11-01", "--end-date", "2024-11-10")


@pytest.mark.parametrize("args, message", [
    (("--start-date", "2024-13-01", "--end-date", "2024-11-10"), "not a date"),
    (("--dates", "2024-11-01,nope"), "not a date"),
    (("--start-date", "2024-11-10", "--end-date", "2024-11-01"), "before --start-date"),
    (("--start-date", "2024-11-01", "--end-date", (dt.date.today() + dt.timedelta(days=3)).isoformat()), "future"),
    ((*RANGE, "--select", "no_such_model"), "unknown phase or model"),
    ((*RANGE, "--select", "phase4"), "no model of this project is tagged phase4"),
    (("--start-date", "2024-11-01"), "give --start-date and --end-date"),
])
def test_bad_arguments_exit_2_before_anything_runs(fake, args, message):
    db, dbt = fake
    result = invoke(db, *args)
    assert result.exit_code == 2, result.output
    assert message in " ".join(result.output.split())
    assert dbt.builds == []


def test_success_exits_0_and_failure_exits_1(fake):
    db, dbt = fake
    result = invoke(db, *RANGE, "--select", "phase3")
    assert result.exit_code == 0, result.output
    dbt.fail = {"team_offense_game_summary": {dt.date(2024, 11, 2): 0}}
    dbt.manifest.nodes["test.nba_pipeline.pgs_gate"].attached_node = "model.nba_pipeline.team_offense_game_summary"
    result = invoke(db, *RANGE, "--no-resume", "--select", "team_offense_game_summary,player_game_summary")
    assert result.exit_code == 1, result.output
    assert "team_offense_game_summary: 1 date(s) failed (2024-11-02)" in result.output


def test_json_prints_one_event_per_line(fake):
    db, _ = fake
    result = invoke(db, *RANGE, "--json", "--select", "team_offense_game_summary")
    assert result.exit_code == 0, result.output
    events = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    names = [e["event"] for e in events]
    assert "chunk_finished" in names and names[-1] in ("run_finished", "success")


def test_status_shows_the_ledger_with_failed_dates(fake):
    db, dbt = fake
    dbt.fail = {"player_game_summary": {dt.date(2024, 11, 3): 1}}
    assert invoke(db, *RANGE).exit_code == 1
    result = runner.invoke(app, ["--duckdb-path", str(db), "status", "--start-date", "2024-11-01"],
                           env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert "Backfill ledger 2024-11-01..2024-11-10" in result.output
    assert "pgs_gate: 1 rows of 10 expected (10.0 % < 90 %)" in result.output
    assert "blocked" in result.output


def test_backfill_help_lists_the_options():
    result = runner.invoke(app, ["backfill", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    for option in ("--start-date", "--dates", "--select", "--dry-run", "--no-resume", "--force",
                   "--include-bootstrap", "--chunk-days", "--threads", "--fail-fast", "--json"):
        assert option in result.output

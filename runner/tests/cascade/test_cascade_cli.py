"""`nba-pipeline cascade`: parsing and exit codes, the service patched (no dbt, no warehouse)."""
from __future__ import annotations

import datetime as dt

from typer.testing import CliRunner

from runner.cli import app
from runner.services import cascade as service

runner = CliRunner()


def test_cascade_passes_the_dates_and_dry_run_to_the_service(monkeypatch):
    seen = {}

    def fake(settings, console, request):
        seen["request"] = request
        return service.CascadeOutcome(list(request.dates), [])

    monkeypatch.setattr(service, "cascade", fake)
    result = runner.invoke(app, ["cascade", "--dates", "2024-11-22, 2024-12-09", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert seen["request"].dates == (dt.date(2024, 11, 22), dt.date(2024, 12, 9))
    assert seen["request"].dry_run is True


def test_cascade_exit_codes(monkeypatch):
    monkeypatch.setattr(service, "cascade", lambda s, c, r: service.CascadeOutcome([], [], exit_code=1))
    assert runner.invoke(app, ["cascade", "--dates", "2024-11-22"]).exit_code == 1
    assert runner.invoke(app, ["cascade", "--dates", "2024-13-01"]).exit_code == 2  # not a date
    assert runner.invoke(app, ["cascade"]).exit_code == 2  # --dates is required

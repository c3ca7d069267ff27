"""Every command returns its service's Outcome and `cli._run` maps it: exit code 0 returns, any
other exits with that code after printing the outcome's failure (runner/outcome.py)."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pytest
import typer
from typer.testing import CliRunner

from runner.cli import app
from runner.outcome import Done, Outcome
from runner.services import backfill, build, cascade, demo, raw, status, validate

runner = CliRunner()


@dataclass(frozen=True)
class FakeOutcome:
    exit_code: int
    failure: str | None = None


# each command: its arguments, and the service function that its action returns the outcome of
COMMANDS = {
    "raw generate": (["raw", "generate", "--first-season", "2024", "--last-season", "2024"], raw, "generate"),
    "raw faults": (["raw", "faults"], raw, "describe_faults"),
    "build": (["build", "--select", "staging"], build, "build"),
    "backfill": (["backfill", "--start-date", "2024-11-01", "--end-date", "2024-11-02"], backfill, "backfill"),
    "cascade": (["cascade", "--dates", "2024-11-22"], cascade, "cascade"),
    "status": (["status"], status, "status"),
    "validate": (["validate"], validate, "validate"),
    "demo": (["demo"], demo, "demo"),
}


def command_names() -> set[str]:
    group = typer.main.get_command(app)
    names = set()
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        if hasattr(command, "commands"):  # a group (raw)
            names |= {f"{name} {sub}" for sub in command.commands}
        else:
            names.add(name)
    return names


def test_every_command_is_checked_here():
    assert command_names() == set(COMMANDS)


@pytest.mark.parametrize("code", [0, 1, 2])
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_the_exit_code_is_the_outcomes(command, code, monkeypatch, tmp_path):
    args, module, function = COMMANDS[command]
    outcome = FakeOutcome(code, None if code == 0 else f"{command} did not succeed (fake {code})")
    monkeypatch.setattr(module, function, lambda *a, **kw: outcome)
    result = runner.invoke(app, ["--duckdb-path", str(tmp_path / "x.duckdb"), *args])
    assert result.exit_code == code, result.output
    assert (f"fake {code}" in result.output) == (code != 0)


def test_a_command_that_returns_no_outcome_is_a_bug_not_a_success(monkeypatch):
    monkeypatch.setattr(status, "status", lambda *a, **kw: None)
    result = runner.invoke(app, ["status"])
    assert result.exit_code == 1
    assert "not an Outcome" in result.output


@pytest.mark.parametrize("module, function", sorted({(m, f) for _, m, f in COMMANDS.values()},
                                                     key=lambda mf: (mf[0].__name__, mf[1])))
def test_each_service_declares_an_outcome_it_returns(module, function):
    """The annotated return type has the Outcome's members (a field or a property each)."""
    annotation = getattr(module, function).__annotations__["return"]
    returned = eval(annotation, vars(module)) if isinstance(annotation, str) else annotation
    fields = {f.name for f in dataclasses.fields(returned)} if dataclasses.is_dataclass(returned) else set()
    for member in ("exit_code", "failure"):
        assert member in fields or isinstance(getattr(returned, member, None), property), (returned, member)


def test_the_outcomes_say_why_when_they_fail():
    assert isinstance(Done(), Outcome) and Done().failure is None
    failed = cascade.CascadeOutcome([], [], exit_code=1)
    assert isinstance(failed, Outcome) and "backfill run failed" in failed.failure
    assert cascade.CascadeOutcome([], []).failure is None

"""Every command's --help reads like the ecosystem's tools (dbt, git): a flag shows no value, an
option names its value (dates as YYYY-MM-DD), defaults are shown as the project paths, not as
typer's <str>/<bool> types or a path resolved on the machine that rendered them."""
from __future__ import annotations

import re

import pytest
import typer.main
from typer.testing import CliRunner

from runner.cli import app
from runner.tests.conftest import PROJECT_DIR

# what typer and click print for an option that gives no metavar
TYPE_LABELS = re.compile(r"<(bool|str|int|float|path|file|dir|list\[[^\]]*\]|uuid|datetime)>|\bTEXT\b|\bBOOLEAN\b")


def commands(command=None, path=()):
    """(path, click command) for the app and every subcommand, depth first."""
    command = command or typer.main.get_command(app)
    yield path, command
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        yield from commands(sub, (*path, name))


COMMANDS = dict(commands())


def render(path) -> str:
    result = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    return result.output


def option_rows(path) -> dict[str, str]:
    """Each option's --help row (its first line), by the option's first long name."""
    rows = {}
    for line in render(path).splitlines():
        found = re.match(r"[│|\s*]+(--[a-z-]+)", line)
        if found:
            rows.setdefault(found.group(1), line)
    return rows


def test_every_command_is_covered():
    assert {("backfill",), ("cascade",), ("validate",), ("status",), ("build",), ("demo",),
            ("raw", "generate"), ("raw", "faults")} <= set(COMMANDS)


@pytest.mark.parametrize("path", list(COMMANDS), ids=lambda p: " ".join(p) or "nba-pipeline")
def test_help_names_values_not_types(path):
    command = COMMANDS[path]
    ctx = typer.Context(command, info_name="nba-pipeline")
    text = render(path)
    rows = option_rows(path)
    assert not TYPE_LABELS.search(text), TYPE_LABELS.search(text).group(0)
    assert str(PROJECT_DIR) not in text and "default: /" not in text  # no path of this machine
    params = [p for p in command.get_params(ctx) if p.param_type_name == "option"]
    assert any(p.name == "help" for p in params)
    for param in params:
        long_name = next(o for o in param.opts if o.startswith("--"))
        shown = param.display_type_rich(ctx)
        if param.is_flag:
            assert not shown, f"{' '.join(path)} {long_name} is a flag but shows {shown!r}"
        else:
            assert shown and shown in rows[long_name], f"{' '.join(path)} {long_name} names no value"
        if "date" in param.name:
            assert "YYYY-MM-DD" in rows[long_name], rows[long_name]


def test_default_paths_are_shown_relative_to_the_project():
    rows = option_rows(())
    assert "<project>/profiles" in rows["--profiles-dir"]
    assert "<project>/nba.duckdb" in rows["--duckdb-path"]

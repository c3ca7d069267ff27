"""The CLI's contract: help without dbt, clear errors, exit codes 0/1/2."""
from __future__ import annotations

import pytest
import yaml
from typer.testing import CliRunner

from runner.cli import app
from runner.config import Settings
from runner.errors import UsageError
from runner.tests.conftest import PROJECT_DIR

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args))


def test_help_lists_commands_and_does_not_need_a_warehouse():
    result = invoke("--help")
    assert result.exit_code == 0
    for command in ("raw", "build", "status"):
        assert command in result.output


def test_raw_generate_help_documents_every_fault():
    from runner.simulator import FAULTS

    result = runner.invoke(app, ["raw", "generate", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    for name in FAULTS:
        assert name in result.output


def test_version():
    result = invoke("--version")
    assert result.exit_code == 0 and "nba-pipeline" in result.output


@pytest.mark.parametrize(
    "args, needle",
    [
        (["--first-season", "2025", "--last-season", "2021"], "2025"),
        (["--first-season", "1990", "--last-season", "1991"], "1990"),
        (["--last-season", "2031"], "2031"),
    ],
)
def test_raw_generate_refuses_bad_season_range_with_exit_2(args, needle):
    result = invoke("raw", "generate", *args)
    assert result.exit_code == 2, result.output
    assert needle in result.output
    assert "Error" in result.output


def test_raw_generate_refuses_unknown_fault_with_exit_2():
    result = invoke("raw", "generate", "--first-season", "2024", "--last-season", "2024", "--faults", "missing_dates,nope")
    assert result.exit_code == 2
    assert "nope" in result.output and "missing_dates" in result.output


def test_raw_generate_refuses_non_embedded_target(tmp_path):
    result = invoke("--target", "bigquery", "raw", "generate")
    assert result.exit_code == 2
    assert "bigquery" in result.output


def test_status_without_a_warehouse_file_is_a_usage_error(tmp_path):
    result = invoke("--duckdb-path", str(tmp_path / "missing.duckdb"), "status")
    assert result.exit_code == 2
    assert "missing.duckdb" in result.output


def test_settings_resolve_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("NBA_DUCKDB_PATH", "rel/x.duckdb")
    monkeypatch.setenv("NBA_TARGET", "bigquery")
    s = Settings.load(project_dir=PROJECT_DIR)
    assert s.duckdb_path == PROJECT_DIR / "rel" / "x.duckdb"
    assert s.target == "bigquery" and not s.is_embedded
    assert (s.profiles_dir / "profiles.yml").is_file()


def test_settings_refuse_a_directory_without_a_dbt_project(tmp_path):
    with pytest.raises(UsageError, match=str(tmp_path)):
        Settings.load(project_dir=tmp_path)


def test_team_code_variants_agree_with_the_teams_seed():
    import csv

    project = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())
    variants = project["vars"]["team_code_variants"]
    tricodes = project["vars"]["nba_tricodes"]
    with open(PROJECT_DIR / "seeds" / "nba_teams.csv") as f:
        teams = list(csv.DictReader(f))
    assert sorted(tricodes) == sorted(t["team_abbr"] for t in teams)
    expected = {}
    for t in teams:
        for code in (t["espn_code"], t["br_code"]):
            if code != t["team_abbr"]:
                expected[code] = t["team_abbr"]
    assert variants == expected


def test_build_with_a_selection_that_matches_nothing_is_a_usage_error(tmp_path):
    """A typo in --select must not look like a successful build."""
    import duckdb

    db = tmp_path / "empty.duckdb"
    duckdb.connect(str(db)).close()
    result = invoke("--duckdb-path", str(db), "build", "--select", "no_such_model_xyz")
    assert result.exit_code == 2, result.output
    assert "no_such_model_xyz" in result.output and "matched no" in result.output

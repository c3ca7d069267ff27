"""`nba-pipeline validate` on real warehouses: the shared clean world, and ONE faulty world.

- clean world: every check passes but training readiness (its November, see below), every section in
  the JSON;
- the shared faulty world (missing_dates, partial_dates, duplicate_rows, malformed_minutes,
  unknown_team) built over 2025-03-27..2025-04-03 only, which holds the partial
  date, the missing date and an unknown-team row of season 2024: coverage and
  the ledger name the two dates, NOT READY names phase3_coverage. The raw-row
  faults (duplicates, malformed minutes, unknown teams) are spread over the
  season: the quarantine section over the whole season names each of them
  (quarantine reads staging, built for every date).
"""
from __future__ import annotations

import datetime as dt
import json

import pytest

from runner.config import Settings
from runner.console import CaptureConsole
from runner.dbt import Dbt
from runner.services.validate import ValidateRequest, validate
from runner.tests.worlds import FAULTY_END as END
from runner.tests.worlds import FAULTY_START as START
from runner.validate.report import SCHEMA_VERSION, SECTIONS

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def clean(clean_world, tmp_path_factory):
    path = clean_world.copy_to(tmp_path_factory.mktemp("validate_clean"))
    settings = Settings.load(duckdb_path=path)
    out = tmp_path_factory.mktemp("validate_clean_out") / "report.json"
    report = validate(settings, CaptureConsole(), ValidateRequest(fmt="json", output=out)).report
    return clean_world, report, json.loads(out.read_text())


def test_clean_world_validates_every_section_and_only_its_november_is_not_training_ready(clean):
    """Every check passes but training readiness. Features 13-14 follow production (domain.md §3.5:
    the opponent's team_defense_zone_analysis, else the default): until a team has the 15 games
    TDZA needs (late November), its opponents' feature rows carry required defaults and are not
    training-ready, so this world of the season's first seven weeks is NOT READY, November only."""
    world, report, payload = clean
    assert [c.name for c in report.failing("error")] == ["readiness.training_ready"]
    assert (report.start_date, report.end_date) == (world.start, world.end)  # default: what is built
    assert [s["id"] for s in payload["sections"]] == list(SECTIONS)
    assert all(s["checks"] for s in payload["sections"]), [s["id"] for s in payload["sections"] if not s["checks"]]
    assert payload["version"] == SCHEMA_VERSION
    training = {t["name"]: t for t in payload["readiness"]["thresholds"]}["training_ready"]
    assert payload["readiness"]["verdict"] == "NOT READY" and training["months"] == ["2024-11"]
    assert all(t["passed"] for t in payload["readiness"]["thresholds"] if t["name"] != "training_ready")
    assert payload["coverage"] and all(c["date_pct"] == 100.0 for c in payload["coverage"])


def test_the_real_json_output_round_trips_through_its_schema(clean):
    import jsonschema

    from runner.validate.render.jsonout import SCHEMA_PATH

    _, _, payload = clean
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text()),
                                                format_checker=jsonschema.FormatChecker())
    assert [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(payload)] == []


@pytest.fixture(scope="module")
def faulty_copy(faulty_world, tmp_path_factory):
    return faulty_world.copy_to(tmp_path_factory.mktemp("validate_faulty"))


@pytest.fixture(scope="module")
def faulty(faulty_world, faulty_copy):
    world = faulty_world
    settings = Settings.load(duckdb_path=faulty_copy)
    dbt = Dbt(settings)  # parsed once, for both reports
    report = validate(settings, CaptureConsole(), ValidateRequest(), dbt=dbt).report
    # the world's backfill counted its own range: the season's raw rows are counted by a full
    # build of the accounting (what a user runs to count the whole history)
    outcome = dbt.build(select=["orchestration"], exclude=["resource_type:test", "resource_type:unit_test"])
    assert outcome.success, outcome.failed_nodes
    season = validate(settings, CaptureConsole(), ValidateRequest(
        dt.date(2024, 10, 22), dt.date(2025, 6, 30), select=("quarantine",)), dbt=dbt).report
    return world, report, season


def _effects(world, fault):
    return [e for e in world.fault_effects if e.fault == fault]


def _failed(report, section):
    return [c for c in report.checks() if c.section == section and not c.passed]


def test_missing_and_partial_dates_fail_coverage_naming_the_dates(faulty):
    world, report, _ = faulty
    days = [e.key["game_date"] for f in ("missing_dates", "partial_dates") for e in _effects(world, f)]
    in_range = [d for d in days if START.isoformat() <= d <= END.isoformat()]
    assert len(in_range) == 2  # one missing and one partial date: the range was chosen for that
    # the failed dates were never published (write-audit-publish): every coverage check of the
    # table fails there, the error ones name each date
    pgs = [c for c in _failed(report, "coverage") if c.name.startswith("coverage.player_game_summary.")
           and c.severity == "error"]
    assert pgs
    for day in in_range:
        assert any(day in c.message for c in pgs), (day, [c.message for c in pgs])
    assert report.exit_code("error") == 1


def test_failed_dates_reach_the_ledger_section_with_reasons(faulty):
    world, report, _ = faulty
    failed = next(c for c in report.checks() if c.name == "ledger.failed")
    assert not failed.passed and "player_game_summary" in failed.message
    assert {e["date"] for e in failed.examples} >= {e.key["game_date"] for e in _effects(world, "missing_dates")
                                                  if START.isoformat() <= e.key["game_date"] <= END.isoformat()}
    # the later dates whose windows read a failed date were built and flagged, never an earlier one
    incomplete = next(c for c in report.checks() if c.name == "ledger.incomplete_window")
    assert not incomplete.passed and incomplete.severity == "warn", incomplete
    first = min(e["date"] for e in failed.examples)
    assert incomplete.examples and all(e["date"] > first and e["reason"].startswith("incomplete window: ")
                                       for e in incomplete.examples)


@pytest.mark.parametrize("fault,reason", [
    ("unknown_team", "unknown_team"), ("duplicate_rows", "duplicate_row"), ("malformed_minutes", "malformed_minutes")])
def test_raw_row_faults_fail_the_quarantine_section_naming_table_and_dates(faulty, fault, reason):
    world, _, season = faulty
    assert [s.id for s in season.sections] == ["quarantine"]
    checks = {c.name: c for c in _failed(season, "quarantine")}
    # minutes '-' or '' are missing, not malformed: staged as NULL for the null-rate gates
    effects = [e for e in _effects(world, fault) if (e.new or {}).get("minutes") not in ("-", "")]
    assert effects
    for table in {e.table for e in effects}:
        check = checks[f"quarantine.{table}.{reason}"]
        mine = [e for e in effects if e.table == table]
        assert check.severity == "warn" and check.observed == len(mine)
        assert all(_date(e) in check.message for e in mine), check.message


def test_the_unknown_team_row_of_the_range_is_in_the_range_report(faulty):
    world, report, _ = faulty
    days = [_date(e) for e in _effects(world, "unknown_team") if START.isoformat() <= _date(e) <= END.isoformat()]
    check = next(c for c in report.checks() if c.name == "quarantine.nbac_gamebook_player_stats.unknown_team")
    assert days and not check.passed and all(d in check.message for d in days)


def test_faulty_range_is_not_ready_and_names_phase3_coverage_and_its_months(faulty):
    _, report, _ = faulty
    r = report.readiness
    assert r.verdict == "NOT READY" and "phase3_coverage" in r.line
    cov = next(t for t in r.thresholds if t.name == "phase3_coverage")
    assert not cov.passed and cov.observed < 85 and set(cov.months) == {"2025-03", "2025-04"}
    check = next(c for c in report.checks() if c.name == "readiness.phase3_coverage")
    assert check.severity == "error" and "2025-03" in check.message


def _date(effect) -> str:
    """The game date of a row-level fault effect (analytics game_id YYYYMMDD_AWAY_HOME)."""
    gid = effect.key["game_id"]
    return f"{gid[:4]}-{gid[4:6]}-{gid[6:8]}"


def test_failing_checks_post_one_alert_and_keep_exit_1(faulty_copy, webhook):
    from runner.errors import PipelineError
    from runner.tests.webhook import TOKEN

    console = CaptureConsole()
    with pytest.raises(PipelineError):  # exit 1: the ledger's failed dates
        validate(Settings.load(duckdb_path=faulty_copy), console, ValidateRequest(
            START, END, select=("ledger",), notify_url=webhook.url, notify_on="failure",
            command_line="nba-pipeline validate --select ledger --notify http://127.0.0.1/…")).raise_for_failing()
    assert len(webhook.received) == 1
    body = webhook.received[0].body
    assert body["kind"] == "validate" and body["exit_code"] == 1
    assert any(item["what"].startswith("ledger.") for item in body["items"])
    assert TOKEN.split("/")[-1] not in console.text() + json.dumps(body)

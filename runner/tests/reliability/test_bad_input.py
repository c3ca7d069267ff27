"""The bad-raw-input catalogue (24 kinds), the row accounting, two of the seeds' incidents, and
secrets, on ONE faulty world: a copy of the clean world with every kind injected at once by
direct SQL (runner/tests/reliability/badinput.py), then, as a user would, in subprocesses:
`build --select staging orchestration`, a Phase 3 backfill of the three fault dates, a Phase 4
backfill of them (its pre-flight must refuse), and `validate`. Each kind is its own test and
asserts its outcome: quarantined with its reason, superseded, staged correctly, or a named
test failing on its date with the offending value; never a silent change.

The runs carry a fake key file (path and content) and webhook token in their environment and
arguments: none of them may appear in the logs, dbt's target/, the ledger, the run history or
the report.
"""
from __future__ import annotations

import datetime as dt
import json
import shutil

import duckdb
import pytest

from runner.tests.reliability import badinput
from runner.tests.reliability.badinput import D1, D2, D3, FUTURE
from runner.tests.reliability.conftest import PROJECT_DIR, cli_env, run_cli

pytestmark = pytest.mark.slow

TOKEN = "xoxb-SECRET-TOKEN-9f8e7d6c5b4a"
KEY_MATERIAL = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC-SECRET-KEY-MATERIAL"
DAYS = (D1, D2, D3)
DATES = ",".join(str(d) for d in DAYS)


@pytest.fixture(scope="module")
def faulty(clean_world, tmp_path_factory):
    work = tmp_path_factory.mktemp("faulty")
    db = work / "faulty.duckdb"
    shutil.copyfile(clean_world.path, db)
    with duckdb.connect(str(db)) as con:
        injected = badinput.inject(con)
    key_dir = work / "secret-keys-dir-7c1d"
    key_dir.mkdir()
    keyfile = key_dir / "service-account-3a9b.json"
    keyfile.write_text(json.dumps({"type": "service_account", "private_key": KEY_MATERIAL, "token": TOKEN}))
    env = cli_env(db, NBA_BQ_KEYFILE=str(keyfile), GOOGLE_APPLICATION_CREDENTIALS=str(keyfile),
                  NBA_NOTIFY_URL=f"http://127.0.0.1:9/hooks/{TOKEN}")
    url = f"http://127.0.0.1:9/services/{TOKEN}?token={TOKEN}"
    runs = {
        "staging": run_cli(db, "build", "--select", "staging orchestration", env=env),
        "phase3": run_cli(db, "backfill", "--dates", DATES, "--select", "phase3", "--no-resume", "--json",
                          "--notify", url, "--notify-on", "always", env=env),
        "phase4": run_cli(db, "backfill", "--dates", DATES, "--select", "phase4", "--no-resume", "--json", env=env),
        "validate": run_cli(db, "validate", "--start-date", str(min(DAYS)), "--end-date", str(max(DAYS)),
                            "--format", "json", "--output", str(work / "report.json"), "--notify", url, env=env),
    }
    with duckdb.connect(str(db)) as con:
        tables = {t for (t,) in con.execute("select table_name from information_schema.tables "
                                            "where table_schema = 'nba_orchestration'").fetchall()}
    return {"db": db, "injected": injected.kinds, "runs": runs, "tables": tables,
            "report": json.loads((work / "report.json").read_text()), "keyfile": keyfile}


def q(faulty, sql, params=()):
    with duckdb.connect(str(faulty["db"])) as con:
        return con.execute(sql, list(params)).fetchall()


def failures(faulty, test_name: str) -> list[tuple]:
    """The rows a test stored (dbt --store-failures) on its last run, or [] when it passed."""
    return q(faulty, f"select * from nba_orchestration.{test_name}") if test_name in faulty["tables"] else []


def ledger(faulty, model: str, day: dt.date) -> tuple[str, str]:
    return q(faulty, "select status, coalesce(reason, '') from nba_orchestration.backfill_ledger "
                     "where model_name = ? and ledger_date = ?", [model, day])[0]


def quarantined(faulty, kind: str) -> list[tuple]:
    k = faulty["injected"][kind]
    return q(faulty, "select reason, natural_key, raw_row from nba_orchestration.raw_quarantine "
                     "where source_table = ? and game_date = ?", [k["table"], k["date"]])


QUARANTINE = {  # kind -> the reason its row must carry
    "malformed_minutes": "malformed_minutes",
    "null_key": "null_key",
    "exact_duplicate": "duplicate_row",
    "unknown_team": "unknown_team",
    "unresolvable_player": "unresolvable_player",
}


@pytest.mark.parametrize("kind", sorted(QUARANTINE))
def test_unusable_rows_are_quarantined_with_their_reason(faulty, kind):
    k = faulty["injected"][kind]
    rows = [(reason, key, raw) for reason, key, raw in quarantined(faulty, kind) if reason == QUARANTINE[kind]]
    assert len(rows) == 1, quarantined(faulty, kind)
    reason, key, raw = rows[0]
    assert k["key"] in key or (k.get("value") and str(k["value"]) in raw), (key, raw)


@pytest.mark.parametrize("kind", ["near_duplicate", "late_correction"])
def test_a_newer_version_of_a_row_supersedes_the_older_one(faulty, kind):
    k = faulty["injected"][kind]
    staged = q(faulty, "select source_file_path, points, processed_at from "
                       "nba_raw.base_nba_raw__nbac_gamebook_player_stats where player_lookup = ? and game_date = ? "
                       "order by row_disposition", [k["key"], k["date"]])
    dispositions = q(faulty, "select row_disposition from nba_raw.base_nba_raw__nbac_gamebook_player_stats "
                             "where player_lookup = ? and game_date = ? order by 1", [k["key"], k["date"]])
    assert [d for (d,) in dispositions] == ["staged", "superseded"], staged
    kept = q(faulty, "select points from nba_raw.stg_nba_raw__nbac_gamebook_player_stats "
                     "where player_lookup = ? and game_date = ?", [k["key"], k["date"]])
    if kind == "late_correction":
        assert kept == [(k["value"],)]
        # D2 is blocked by its team-level kinds: its player rows are not rewritten, and the
        # ledger says so (nobody reads them as done)
        assert q(faulty, "select status from nba_orchestration.backfill_ledger where model_name = "
                         "'player_game_summary' and ledger_date = ?", [k["date"]]) == [("blocked",)]


def test_a_schedule_status_going_backwards_does_not_unfinish_the_game(faulty):
    k = faulty["injected"]["schedule_status_backwards"]
    assert q(faulty, "select game_status, is_final from nba_raw.stg_nba_raw__nbac_schedule where game_id = ?",
             [k["key"]]) == [(3, True)]
    later = q(faulty, "select row_disposition, game_status from nba_raw.base_nba_raw__nbac_schedule "
                      "where game_id = ? order by processed_at desc limit 1", [k["key"]])
    assert later == [("superseded", 1)]  # the newest snapshot, going backwards, lost to the final one


@pytest.mark.parametrize("kind, column, expected", [
    ("overtime_minutes", "minutes_played", 53.1),      # '53:07' is a real overtime night, not a bad string
    ("unicode_name", "player_lookup", None),           # 'ÁLÉC CÓÓK' + zero-width space → the same lookup
    ("team_code_variant", "team_abbr", None),          # an ESPN code in any case → the NBA.com tricode
])
def test_unusual_but_valid_values_are_staged_and_mapped(faulty, kind, column, expected):
    k = faulty["injected"][kind]
    want = expected if expected is not None else (k.get("expected") or k["key"])
    rows = q(faulty, f"select {column} from nba_analytics.player_game_summary where player_lookup = ? "
                     "and game_date = ?", [k["key"], k["date"]])
    assert rows == [(want,)]


@pytest.mark.parametrize("kind, test_name, column", [
    ("fgm_above_fga", "player_game_summary_made_le_attempted", "fg_makes"),
    ("negative_stat", "player_game_summary_counting_stats_possible", "assists"),
    ("extreme_value", "player_game_summary_counting_stats_possible", "points"),
    ("player_on_two_teams", None, "player_lookup"),
    ("box_score_without_schedule_game", "assert_pgs_games_are_schedule_games", "game_id"),
])
def test_impossible_player_rows_fail_a_named_test_on_their_date_naming_the_player(faulty, kind, test_name, column):
    k = faulty["injected"][kind]
    if test_name is None:  # the primary-key test's generated name: find it by its stored rows
        test_name = next(t for t in faulty["tables"] if t.startswith("unique_combination_of_columns")
                         and any(k["key"] in map(str, r) for r in failures(faulty, t)))
    rows = failures(faulty, test_name)
    assert any(k["key"] in map(str, r) and k["date"] in r for r in rows), rows
    status, reason = ledger(faulty, "player_game_summary", k["date"])
    assert status == "failed"
    if test_name != "assert_pgs_games_are_schedule_games":
        assert test_name.split("__")[0] in reason or "unique_combination_of_columns" in reason, reason


def test_a_zero_and_a_negative_line_fail_the_line_range_test_naming_both_players(faulty):
    k = faulty["injected"]["zero_or_negative_line"]
    rows = failures(faulty, "player_game_summary_points_line_range")
    for player in k["keys"]:
        assert any(player in r and k["date"] in r for r in rows), (player, rows)


def test_props_for_an_unknown_player_create_no_player_row(faulty):
    k = faulty["injected"]["props_unknown_player"]
    assert q(faulty, "select count(*) from nba_raw.stg_nba_raw__odds_api_player_points_props "
                     "where player_lookup = ?", [k["key"]]) == [(1,)]  # a valid prop row: kept, counted
    for table in ("nba_analytics.player_game_summary", "nba_analytics.upcoming_player_game_context"):
        assert q(faulty, f"select count(*) from {table} where player_lookup = ?", [k["key"]]) == [(0,)]


def test_a_team_box_score_that_disagrees_with_its_players_fails_its_date(faulty):
    k = faulty["injected"]["team_box_disagrees_with_players"]
    rows = failures(faulty, "togs_box_score_identities")
    assert any(k["key"] in r and k["date"] in r for r in rows), rows
    assert ledger(faulty, "team_offense_game_summary", k["date"])[0] == "failed"


def test_a_schedule_game_without_box_scores_fails_the_team_coverage_gate(faulty):
    k = faulty["injected"]["schedule_game_without_box_scores"]
    status, reason = ledger(faulty, "team_offense_game_summary", k["date"])
    assert status == "failed" and "togs_coverage_vs_schedule_gate" in reason and "16 rows of 18" in reason


def test_a_whole_missing_date_fails_the_gamebook_coverage_gate_and_blocks_its_dependants(faulty):
    k = faulty["injected"]["missing_date"]
    status, reason = ledger(faulty, "player_game_summary", k["date"])
    assert status == "failed" and "player_game_summary_gamebook_coverage" in reason
    assert ledger(faulty, "upcoming_player_game_context", k["date"])[0] == "blocked"


def test_a_game_in_the_future_fails_the_staging_test_named_for_its_table(faulty):
    run = faulty["runs"]["staging"]
    assert run.returncode == 0, run.stdout[-2000:]  # a warning: the quarantine and accounting still build
    name = "nbac_gamebook_player_stats_not_in_the_future"
    line = next(x for x in (run.stdout + run.stderr).splitlines() if name in x)
    assert "warn" in line and "1 failing rows" in line
    k = faulty["injected"]["game_in_the_future"]
    assert q(faulty, "select count(*) from nba_raw.stg_nba_raw__nbac_gamebook_player_stats "
                     "where game_date = ? and player_lookup = ?", [FUTURE, k["key"]]) == [(1,)]


def test_an_empty_raw_table_is_listed_by_the_pre_flight_with_no_date_present(faulty):
    tables = [e for e in faulty["runs"]["phase3"].events("table") if e["title"].startswith("Pre-flight")]
    rows = {r[1]: r for r in tables[0]["rows"]}
    assert rows["nba_raw.bettingpros_player_points_props"][3:5] == [0, 3]
    accounting = q(faulty, "select raw_rows, is_balanced from nba_orchestration.raw_row_accounting "
                           "where source_table = 'bettingpros_player_points_props'")
    assert accounting == [(0, True)]


def test_the_catalogue_holds_at_least_20_kinds_each_asserted_above(faulty):
    assert set(faulty["injected"]) == KINDS and len(KINDS) >= 20


KINDS = {"malformed_minutes", "overtime_minutes", "null_key", "exact_duplicate", "near_duplicate", "unknown_team",
         "unresolvable_player", "team_code_variant", "unicode_name", "fgm_above_fga", "negative_stat",
         "extreme_value", "player_on_two_teams", "box_score_without_schedule_game", "props_unknown_player",
         "zero_or_negative_line", "team_box_disagrees_with_players", "schedule_game_without_box_scores",
         "schedule_status_backwards", "late_correction", "game_in_the_future", "missing_date", "empty_table"}


# -- row accounting ----------------------------------------------------------------------------
def test_every_raw_row_is_staged_quarantined_or_superseded_exactly(faulty):
    rows = q(faulty, "select source_table, raw_rows, staged_rows, quarantined_rows, superseded_rows "
                     "from nba_orchestration.raw_row_accounting")
    assert len(rows) == 11
    for table, raw, staged, quarantined_rows, superseded in rows:
        fresh = q(faulty, f"select count(*) from nba_raw.{table}")[0][0]
        assert raw == fresh == staged + quarantined_rows + superseded, table
    gamebook = {r[0]: r for r in rows}["nbac_gamebook_player_stats"]
    assert gamebook[3] == 5 and gamebook[4] == 2  # the 5 quarantine kinds, the 2 newer versions


def test_validate_reports_the_same_accounting_and_the_quarantine(faulty):
    report = faulty["report"]
    assert faulty["runs"]["validate"].returncode == 1
    quarantine = next(s for s in report["sections"] if s["id"] == "quarantine")
    row = {r[0]: r for r in quarantine["rows"]}["nbac_gamebook_player_stats"]
    raw = q(faulty, "select count(*) from nba_raw.nbac_gamebook_player_stats")[0][0]
    assert row[1] == raw == row[2] + row[3] + row[4] and row[5] == 0
    checks = {c["name"]: c for c in quarantine["checks"]}
    assert checks["quarantine.accounting"]["passed"]
    named = [c["message"] for c in quarantine["checks"] if not c["passed"]]
    assert any("unknown_team" in m and str(D1) in m for m in named), named


# -- the seeds' incidents ----------------------------------------------------------------------
def test_phase3_dates_missing_make_the_phase4_preflight_refuse_and_list_them(faulty):
    run = faulty["runs"]["phase4"]
    assert run.returncode == 1
    blocked = q(faulty, "select model_name, ledger_date, reason from nba_orchestration.backfill_ledger "
                        "where status = 'blocked' and model_name in ('player_shot_zone_analysis', "
                        "'player_composite_factors') and ledger_date between ? and ?", [min(DAYS), max(DAYS)])
    days = {d for _, d, _ in blocked}
    assert days == {D1, D2, D3}, blocked
    assert all("upstream" in reason for _, _, reason in blocked)


# -- secrets -----------------------------------------------------------------------------------
def test_no_secret_reaches_logs_target_ledger_runs_or_reports(faulty):
    secrets = [TOKEN, KEY_MATERIAL, faulty["keyfile"].name, faulty["keyfile"].parent.name]
    found = []
    for folder in (PROJECT_DIR / "logs", PROJECT_DIR / "target"):
        for path in folder.rglob("*"):
            if path.is_file() and path.stat().st_size < 50_000_000:
                text = path.read_text(errors="ignore")
                found += [f"{path}: {s}" for s in secrets if s in text]
    for table in ("backfill_ledger", "backfill_runs"):
        dump = repr(q(faulty, f"select * from nba_orchestration.{table}"))
        found += [f"{table}: {s}" for s in secrets if s in dump]
    report = json.dumps(faulty["report"])
    found += [f"report: {s}" for s in secrets if s in report]
    for name, run in faulty["runs"].items():
        found += [f"{name} output: {s}" for s in secrets if s in run.stdout + run.stderr]
    assert found == []
    hosts = q(faulty, "select notify_host from nba_orchestration.backfill_runs where notify_host is not null")
    assert hosts and all(h.split(":")[0] == "127.0.0.1" for (h,) in hosts)

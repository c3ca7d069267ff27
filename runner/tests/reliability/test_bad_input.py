"""The bad-raw-input catalogue of issue 18 ("Every raw row accounted for on every backfill"), run
through the plain backfill: ONE world for the module, a copy of the clean world stripped to its
11 raw tables (no staging, no accounting, no Phase 3/4, no ledger), every kind injected by direct
SQL on its own date (runner/tests/reliability/badinput.py), then, as a user would, in
subprocesses: `nba-pipeline backfill` over the clean world's range (no `build` before it),
`nba-pipeline status` and `nba-pipeline validate`.

For each kind, three things: its raw rows have their disposition in their base model, found by
natural key (quarantined rows in nba_orchestration.raw_quarantine with their reason); the
accounting of its table and date balances against a fresh count of the raw table and is current;
no injected value reaches a public table, and a player or team it touched holds valid values.
The last game date of the range has ~5 % of its active players' minutes blank: that date alone
fails, on player_game_summary's null-rate gate, and blocks only its own dependants.

The runs carry a fake key file (path and content) and a webhook token in their environment and
arguments: none of them may appear in the logs, dbt's target/, the ledger, the run history, the
report, the outputs or the alert.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import time

import duckdb
import pytest
import yaml

from runner.simulator.schema import TABLES
from runner.tests.reliability import badinput
from runner.tests.reliability.badinput import END, NULL_RATE_DAY, START
from runner.tests.reliability.badinput_world import (
    World,
    appearances,
    by_table,
    classified,
    pgs_row,
    public_columns,
    quarantined,
    raw_count,
    receiver,
)
from runner.tests.reliability.conftest import PROJECT_DIR, cli_env, date_tables, duplicate_keys, run_cli

pytestmark = pytest.mark.slow

TOKEN = "xoxb-SECRET-TOKEN-9f8e7d6c5b4a"
KEY_MATERIAL = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC-SECRET-KEY-MATERIAL"
KINDS = ("null_key", "unresolvable_player", "unknown_team", "malformed_minutes", "minutes_above_game_length",
         "negative_stat", "made_above_attempted", "points_mismatch", "nonpositive_line_odds_api", "all_star_game",
         "nonpositive_line_bettingpros", "date_outside_season", "game_not_on_schedule", "player_on_two_teams",
         "duplicate_row", "late_correction", "schedule_snapshot_backwards", "zero_width_space_name", "emoji_name",
         "fullwidth_name", "overtime_minutes", "team_code_variant", "preseason_game", "future_date")
QUARANTINE_KINDS = ("null_key", "unresolvable_player", "unknown_team", "malformed_minutes", "minutes_above_game_length",
                    "negative_stat", "made_above_attempted", "points_mismatch", "nonpositive_line_odds_api",
                    "nonpositive_line_bettingpros", "date_outside_season", "game_not_on_schedule",
                    "player_on_two_teams", "duplicate_row", "future_date")
# player_game_summary column -> staged BDL column (the fallback's box score)
BDL_COLUMNS = {"minutes_played": "minutes_played", "points": "points", "assists": "assists",
               "offensive_rebounds": "offensive_rebounds", "defensive_rebounds": "defensive_rebounds",
               "steals": "steals", "blocks": "blocks", "turnovers": "turnovers", "personal_fouls": "personal_fouls",
               "fg_attempts": "field_goals_attempted", "fg_makes": "field_goals_made",
               "ft_attempts": "free_throws_attempted", "ft_makes": "free_throws_made"}
TEAM_COLUMNS = ("team_abbr", "opponent_team_abbr", "points_scored", "fg_attempts", "fg_makes", "three_pt_attempts",
                "ft_attempts", "rebounds", "assists", "turnovers", "game_minutes", "primary_source_used")
DEPENDANTS = ("upcoming_player_game_context", "player_shot_zone_analysis", "player_composite_factors",
              "player_daily_cache", "ml_feature_store_v2")

@pytest.fixture(scope="module")
def faulty(clean_world, tmp_path_factory):
    started = time.monotonic()
    seconds: dict[str, float] = {}
    work = tmp_path_factory.mktemp("bad_input")
    db = clean_world.copy_to(work)
    badinput.strip_to_raw_tables(db)
    with duckdb.connect(str(db)) as con:
        kinds = badinput.inject(con)
        blanked = badinput.blank_minutes(con)
    key_dir = work / "secret-keys-dir-7c1d"
    key_dir.mkdir()
    keyfile = key_dir / "service-account-3a9b.json"
    keyfile.write_text(json.dumps({"type": "service_account", "private_key": KEY_MATERIAL, "token": TOKEN}))
    env = cli_env(db, NBA_BQ_KEYFILE=str(keyfile), GOOGLE_APPLICATION_CREDENTIALS=str(keyfile),
                  NBA_NOTIFY_URL=f"http://127.0.0.1:9/hooks/{TOKEN}", COLUMNS="200")
    server, alerts = receiver()
    url = f"http://127.0.0.1:{server.server_address[1]}/services/{TOKEN}?token={TOKEN}"
    commands = {
        "backfill": ("backfill", "--start-date", str(START), "--end-date", str(END), "--json",
                     "--notify", url, "--notify-on", "always"),
        "status": ("status", "--start-date", str(START), "--end-date", str(END)),
        "validate": ("validate", "--format", "json", "--output", str(work / "report.json"), "--notify", url),
    }
    seconds["copy, strip and inject"] = time.monotonic() - started
    runs = {}
    try:
        for name, args in commands.items():
            step = time.monotonic()
            runs[name] = run_cli(db, *args, env=env)
            seconds[name] = time.monotonic() - step
    finally:
        server.shutdown()
        server.server_close()
    report = json.loads((work / "report.json").read_text())
    seconds["total"] = time.monotonic() - started
    world = World(db, clean_world.path, kinds, blanked, runs, report, keyfile, alerts, seconds)
    yield world
    world.close()


# -- 1. each kind's rows, by natural key --------------------------------------------------------
@pytest.mark.parametrize("name", KINDS)
def test_each_kinds_rows_have_their_disposition_found_by_natural_key(faulty, name):
    kind = faulty.kinds[name]
    for row in kind.rows:
        found = classified(faulty, row.table, kind.day, row.natural_key)
        if row.processed_at is not None:
            found = [f for f in found if f[2] == row.processed_at]
        assert (row.disposition, row.reason) in [(d, r) for d, r, _ in found], (row, found)
        if row.disposition == "quarantined":
            assert quarantined(faulty, row.table, kind.accounting_date, row.natural_key, row.reason), row


@pytest.mark.parametrize("name", QUARANTINE_KINDS)
def test_the_natural_key_lookup_finds_nothing_on_another_kinds_date(faulty, name):
    ordered = sorted(faulty.kinds.values(), key=lambda k: k.day)
    kind = faulty.kinds[name]
    other = ordered[(ordered.index(kind) + 1) % len(ordered)]
    row = next(r for r in kind.rows if r.disposition == "quarantined")
    assert quarantined(faulty, row.table, kind.accounting_date, row.natural_key, row.reason)
    assert quarantined(faulty, row.table, other.accounting_date, row.natural_key, row.reason) == []
    assert classified(faulty, row.table, other.day, row.natural_key) == []
    other_row = other.rows[0]
    assert quarantined(faulty, row.table, kind.accounting_date, other_row.natural_key, row.reason) == []


# -- 2. the accounting of each kind's table and date ----------------------------------------------
@pytest.mark.parametrize("name", KINDS)
def test_the_accounting_of_each_kinds_tables_balances_on_its_date_and_is_current(faulty, name):
    kind = faulty.kinds[name]
    for table in kind.tables:
        fresh = raw_count(faulty, table, kind)
        accounted = faulty.q(
            "select raw_rows, staged_rows + excluded_rows + quarantined_rows + superseded_rows, is_balanced "
            "from nba_orchestration.raw_row_accounting where source_table = ? and accounting_date = ?",
            [table, kind.accounting_date])
        assert accounted == [(fresh, fresh, True)], (table, kind.accounting_date, fresh)
        state = faulty.q("select accounting_state from nba_orchestration.raw_accounting_freshness "
                         "where source_table = ? and accounting_date = ?", [table, kind.accounting_date])
        assert state == [("current",)], (table, kind.accounting_date)


# -- 3. nothing invalid downstream ----------------------------------------------------------------
@pytest.mark.parametrize("name", KINDS)
def test_no_injected_value_reaches_a_public_table_and_touched_rows_hold_valid_values(faulty, name):
    kind = faulty.kinds[name]
    for text in kind.absent_text:
        assert appearances(faulty, text=text) == [], text
    for code in kind.absent_codes:
        assert appearances(faulty, code=code) == [], code
    for day in kind.absent_dates:
        assert appearances(faulty, day=day) == [], day
    for check in kind.players:
        got = pgs_row(faulty.q, check.player_lookup, check.game_date)
        assert got is not None, check
        if check.source == "clean":
            want = pgs_row(faulty.clean_q, check.player_lookup, check.game_date)
        else:
            bdl = faulty.q(f"select {', '.join(BDL_COLUMNS.values())} from nba_raw.stg_nba_raw__bdl_player_boxscores "
                           "where player_lookup = ? and game_date = ?", [check.player_lookup, check.game_date])
            assert len(bdl) == 1, check
            want = dict(zip(BDL_COLUMNS, bdl[0]))
        want = {**{c: want[c] for c in want if c in got}, **check.values}
        assert {c: got[c] for c in want} == want, check
    for game, day in kind.teams:
        sql = (f"select {', '.join(TEAM_COLUMNS)} from nba_analytics.team_offense_game_summary "
               "where game_id = ? and game_date = ? order by team_abbr")
        got = faulty.q(sql, [game, day])
        assert len(got) == 2 and got == faulty.clean_q(sql, [game, day]), game
    for player, day in kind.lines:
        for sql in ("select points_line, opening_line from nba_analytics.player_game_summary",
                    "select current_points_line, opening_points_line, current_points_line_source "
                    "from nba_analytics.upcoming_player_game_context"):
            sql += " where player_lookup = ? and game_date = ?"
            assert faulty.q(sql, [player, day]) == faulty.clean_q(sql, [player, day]), (player, sql)
    for player, day in kind.no_rows:
        assert pgs_row(faulty.q, player, day) is None, (player, day)


def test_public_tables_hold_only_possible_values(faulty):
    """Over every public table: no negative counting stat, made <= attempted, minutes within the
    game, no date after today, team codes among the 30 tricodes, no props line <= 0, no
    duplicated primary key."""
    tricodes = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())["vars"]["nba_tricodes"]
    counting = re.compile(r"(^|_)(points|assists|steals|blocks|turnovers|fouls|rebounds|makes|attempts|made|"
                          r"attempted|minutes)(_|$)")
    signed = re.compile(r"movement|change|_move|diff|margin|plus_minus|delta|adjust")
    line = re.compile(r"(^|_)(points_line|opening_line|prop_line|vegas_points_line|vegas_opening_line|"
                      r"current_points_line|opening_points_line)$")
    numeric = ("BIGINT", "INTEGER", "HUGEINT", "DOUBLE", "FLOAT", "DECIMAL")
    checks: list[tuple[str, str, str]] = []  # (table, what is wrong, rows where it is)
    for table, columns in by_table(public_columns(faulty)).items():
        names = {c for c, _ in columns}
        for column, kind in columns:
            ref = f'"{column}"'
            if kind.startswith(numeric) and counting.search(column) and not signed.search(column) \
                    and not column.startswith("has_"):
                checks.append((table, f"{column} < 0", f"{ref} < 0"))
            if kind.startswith(numeric) and line.search(column):
                checks.append((table, f"{column} <= 0", f"{ref} <= 0"))
            for made, attempted in (("makes", "attempts"), ("made", "attempted")):
                other = column.replace(made, attempted)
                if made in column and other != column and other in names:
                    checks.append((table, f"{column} > {other}", f'{ref} > "{other}"'))
            if kind == "DATE":
                checks.append((table, f"{column} after today", f"{ref} > current_date"))
            if kind.startswith("STRUCT") and "contributing_game_dates" in kind:
                checks.append((table, f"{column}.contributing_game_dates after today",
                               f"list_max({ref}.contributing_game_dates) > current_date"))
            if column in ("team_abbr", "opponent_team_abbr"):
                checks.append((table, f"{column} not a tricode", f"{ref} is not null and {ref} not in "
                               f"({', '.join(repr(t) for t in tricodes)})"))
    checks.append(("nba_analytics.player_game_summary as p join nba_analytics.team_offense_game_summary as t "
                   "on t.game_date = p.game_date and t.team_abbr = p.team_abbr",
                   "player_game_summary.minutes_played above the game's length", "p.minutes_played > t.game_minutes"))
    bad = []
    for table in dict.fromkeys(t for t, _, _ in checks):
        mine = [(what, where) for t, what, where in checks if t == table]
        counts = faulty.q(f"select {', '.join(f'count(*) filter (where {w})' for _, w in mine)} from {table}")[0]
        bad += [f"{table.split(' ')[0]}: {what} ({n} rows)" for (what, _), n in zip(mine, counts) if n]
    assert len(checks) > 100
    assert bad == []
    assert duplicate_keys(faulty.db) == {}


# -- the null-rate date, the ledger, status, validate ---------------------------------------------
def test_the_null_rate_date_fails_on_the_minutes_null_rate_gate_with_its_numbers(faulty):
    blanked = len(faulty.blanked.players)
    # the failed build is in the audit twin (the run's one chunk); nothing of it was published
    active = faulty.q("select count(*) from nba_audit.player_game_summary where game_date = ? and is_active",
                      [NULL_RATE_DAY])[0][0]
    assert 0.04 <= blanked / active <= 0.07 and active == faulty.blanked.active
    assert faulty.q("select count(*) from nba_analytics.player_game_summary where game_date = ?",
                    [NULL_RATE_DAY])[0][0] == 0
    status, reason = faulty.q("select status, reason from nba_orchestration.backfill_ledger "
                              "where model_name = 'player_game_summary' and ledger_date = ?", [NULL_RATE_DAY])[0]
    assert status == "failed"
    assert "null_rate_below_player_game_summary_minutes_played" in reason
    pct = round(100 * blanked / active, 2)  # the test's null_pct, printed with one decimal
    assert f"minutes_played NULL on {blanked} of {active} rows ({pct:.1f} % > 1 %)" in reason
    coverage = faulty.q("select count(*) from nba_audit.player_game_summary where game_date = ? "
                        "and primary_source_used = 'nbac_gamebook'", [NULL_RATE_DAY])[0][0]
    assert coverage >= 0.9 * active


def test_the_null_rate_date_fails_on_no_other_test(faulty):
    reason = faulty.q("select reason from nba_orchestration.backfill_ledger "
                      "where model_name = 'player_game_summary' and ledger_date = ?", [NULL_RATE_DAY])[0][0]
    failing = [part.split(":")[0] for part in reason.split("; ")
               if not part.startswith("quarantined raw rows on this date")]
    assert failing == ["null_rate_below_player_game_summary_minutes_played__game_date__1"], reason


def test_every_model_and_date_succeeded_or_was_rightly_skipped_but_the_null_rate_date(faulty):
    assert faulty.runs["backfill"].returncode == 1, faulty.runs["backfill"].stderr[-2000:]
    models = sorted(date_tables())
    ledger = faulty.q("select model_name, ledger_date, status, coalesce(reason, '') "
                      "from nba_orchestration.backfill_ledger where ledger_date between ? and ?", [START, END])
    assert {(m, d) for m, d, _, _ in ledger} == {(m, START + dt.timedelta(days=i)) for m in models
                                                for i in range((END - START).days + 1)}
    not_done = {(m, d): (s, r) for m, d, s, r in ledger
                if s not in ("succeeded", "skipped_no_games", "skipped_bootstrap")}
    assert {k: s for k, (s, _) in not_done.items()} == {
        ("player_game_summary", NULL_RATE_DAY): "failed", **{(m, NULL_RATE_DAY): "blocked" for m in DEPENDANTS}}
    assert all(r.startswith("upstream ") for (s, r) in not_done.values() if s == "blocked")
    alert = [a for a in faulty.alerts if a.get("kind") == "backfill"]
    assert len(alert) == 1 and alert[0]["status"] == "failed" and alert[0]["counts"]["failed"] == 1
    assert {(i["what"], i["date"]) for i in alert[0]["items"]} == {(m, str(NULL_RATE_DAY)) for m in
                                                                  ("player_game_summary", *DEPENDANTS)}


def test_status_shows_the_accounting_of_the_range_current_and_the_quarantine(faulty):
    run = faulty.runs["status"]
    assert run.returncode == 0, run.stderr[-2000:]
    out = run.stdout
    assert "used (staged), excluded, quarantined, superseded" in out
    assert "Raw-row accounting: current" in out and "stale" not in out
    sums = faulty.q("select source_table, sum(raw_rows), sum(staged_rows), sum(excluded_rows), "
                    "sum(quarantined_rows), sum(superseded_rows), sum(unaccounted_rows) "
                    "from nba_orchestration.raw_row_accounting where accounting_date between ? and ? group by 1",
                    [START, END])
    assert len(sums) == 11
    for table, *numbers in sums:
        fresh = faulty.q(f"select count(*) from nba_raw.{table} where {TABLES[table].date_column} between ? and ?",
                         [START, END])[0][0]
        assert numbers[0] == fresh == sum(numbers[1:5]) and numbers[5] == 0, table
        line = next(x for x in out.splitlines() if f" {table} " in x)
        assert [int(n.replace(",", "")) for n in re.findall(r"[\d,]+", line)] == numbers, line
    quarantine = out[out.index("Quarantined raw rows"):]
    for name in QUARANTINE_KINDS:
        kind = faulty.kinds[name]
        if START <= kind.day <= END:
            assert re.search(rf"{kind.rows[0].table}\s+│\s+{kind.reason}\s+│", quarantine), name


@pytest.mark.parametrize("name", QUARANTINE_KINDS)
def test_validate_names_each_quarantined_kinds_table_and_reason_on_its_date(faulty, name):
    kind = faulty.kinds[name]
    assert faulty.runs["validate"].returncode == 1  # the null-rate date failed: an error-severity check
    section = next(s for s in faulty.report["sections"] if s["id"] == "quarantine")
    checks = {c["name"]: c for c in section["checks"]}
    assert checks["quarantine.accounting"]["passed"] and checks["quarantine.fresh"]["passed"]
    for table in {r.table for r in kind.rows if r.disposition == "quarantined"}:
        check = checks.get(f"quarantine.{table}.{kind.reason}")
        assert check is not None, sorted(checks)
        assert str(kind.day) in check["message"], check["message"]


def test_the_catalogue_holds_at_least_20_kinds_each_on_its_own_date_each_asserted(faulty, record_property):
    record_property("summary:bad-input world, setup seconds (clean world copied, not built)",
                    ", ".join(f"{k} {v:.1f}" for k, v in faulty.seconds.items()))
    kinds = faulty.kinds
    assert tuple(kinds) == KINDS and len(KINDS) >= 20
    days = [k.day for k in kinds.values()]
    assert len(set(days)) == len(days) and NULL_RATE_DAY not in days
    assert all(dt.date(2024, 11, 5) <= k.day <= dt.date(2024, 12, 9)
               for k in kinds.values() if k.name not in ("preseason_game", "future_date"))
    assert set(QUARANTINE_KINDS) == {k.name for k in kinds.values() if k.outcome == "quarantined"}
    for kind in kinds.values():
        assert kind.rows and (kind.absent_text or kind.absent_codes or kind.absent_dates or kind.players
                              or kind.teams or kind.lines or kind.no_rows), kind.name
    reasons = {r.reason for k in kinds.values() for r in k.rows if r.reason}
    expected = {"null_key", "unresolvable_player", "unknown_team", "malformed_minutes", "minutes_above_game_length",
                "negative_stat", "made_above_attempted", "points_mismatch", "nonpositive_line", "future_date",
                "date_outside_season", "game_not_on_schedule", "player_on_two_teams", "duplicate_row",
                "preseason_game", "all_star_game"}
    assert reasons == expected
    tables = {r.table for k in kinds.values() for r in k.rows}
    assert {"nbac_gamebook_player_stats", "bdl_player_boxscores", "nbac_team_boxscore", "bigdataball_play_by_play",
            "nbac_play_by_play", "odds_api_player_points_props", "bettingpros_player_points_props"} <= tables


# -- secrets --------------------------------------------------------------------------------------
def test_no_secret_reaches_logs_target_ledger_runs_report_outputs_or_the_alert(faulty):
    secrets = [TOKEN, KEY_MATERIAL, faulty.keyfile.name, faulty.keyfile.parent.name]
    found = []
    for folder in (PROJECT_DIR / "logs", PROJECT_DIR / "target"):
        for path in folder.rglob("*"):
            if path.is_file() and path.stat().st_size < 50_000_000:
                text = path.read_text(errors="ignore")
                found += [f"{path}: {s}" for s in secrets if s in text]
    for table in ("backfill_ledger", "backfill_runs"):
        dump = repr(faulty.q(f"select * from nba_orchestration.{table}"))
        found += [f"{table}: {s}" for s in secrets if s in dump]
    found += [f"report: {s}" for s in secrets if s in json.dumps(faulty.report)]
    found += [f"alert: {s}" for s in secrets if s in json.dumps(faulty.alerts)]
    for name, run in faulty.runs.items():
        found += [f"{name} output: {s}" for s in secrets if s in run.stdout + run.stderr]
    assert found == []
    assert {a["kind"] for a in faulty.alerts} == {"backfill", "validate"}
    hosts = faulty.q("select notify_host, notify_status from nba_orchestration.backfill_runs")
    assert hosts and all(h.split(":")[0] == "127.0.0.1" and s == "sent" for h, s in hosts)

"""The backfill with the real dbt on a short simulated range (season 2024, about two weeks).

In order, on one DuckDB file:
- a full backfill succeeds and the ledger says so for every model × date;
- a second run does nothing: no chunk, the ledger and every table unchanged;
- a dry run writes nothing and lists the upstream dates missing;
- with the simulator's partial_dates fault, exactly those dates fail (coverage
  numbers in the reason), their dependants' same dates are blocked and the later dates whose
  windows read them are flagged `incomplete window`, exit code 1, and the public rows of
  every table are exactly the clean run's (write-audit-publish: a failed date is not published);
- after the raw data is fixed, a plain re-run completes exactly those dates (the flagged ones
  through the cascade), and every table is again exactly what the clean run built;
- a second backfill while one holds the lock is refused.

Each step that changes the file is a module fixture that asks for the step before it, and
returns what later steps compare with: a test reads only its fixtures, never another test's
leftovers, and `-k` on any one test runs the steps it needs.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import subprocess

import duckdb
import pytest
from typer.testing import CliRunner

from runner.backfill.store import LockHolder
from runner.cli import app
from runner.simulator import generate

pytestmark = pytest.mark.slow

PHASE3 = ("team_offense_game_summary", "team_defense_game_summary", "player_game_summary",
          "upcoming_player_game_context", "upcoming_team_game_context")
cli = CliRunner()


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    db = tmp_path_factory.mktemp("backfill") / "backfill.duckdb"
    report = generate(db, 2024, 2024, faults=["partial_dates"])
    partial = sorted(dt.date.fromisoformat(e.key["game_date"]) for e in report.fault_effects
                     if e.fault == "partial_dates")
    first = partial[0]
    start, end = first - dt.timedelta(days=6), first + dt.timedelta(days=8)
    generate(db, 2024, 2024)  # the clean data first
    return {"db": db, "start": start, "end": end, "partial": [d for d in partial if start <= d <= end]}


def backfill(world, *args):
    # Phase 3 only: the range has no history before it, and Phase 4 / the feature store need
    # weeks of it (the feature store drops players without a game in the 60 days before D);
    # the whole chain runs in runner/tests/features and in the demo.
    result = cli.invoke(app, ["--duckdb-path", str(world["db"]), "backfill", "--start-date", str(world["start"]),
                              "--end-date", str(world["end"]), "--select", "phase3", "--json", *args])
    events = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    return result, events


def ledger(world):
    with duckdb.connect(str(world["db"])) as con:
        return {(m, d): (s, rows, expected, reason, pct) for m, d, s, rows, expected, reason, pct in con.execute(
            "select model_name, ledger_date, status, rows_written, rows_expected, reason, coverage_pct "
            "from nba_orchestration.backfill_ledger where ledger_date between ? and ?",
            [world["start"], world["end"]]).fetchall()}


def chunk_dates(events):
    """(model, date) pairs the run's chunks covered."""
    out = set()
    for e in events:
        if e["event"] == "chunk_started":
            first, last = (dt.date.fromisoformat(x) for x in e["chunk"].split(".."))
            out |= {(e["model"], first + dt.timedelta(days=i)) for i in range((last - first).days + 1)}
    return out


def public_rows(world) -> dict[str, dict[dt.date, list[tuple]]]:
    """Every Phase 3 table's rows in the range by date, sorted (the tables hold no run timestamps)."""
    out: dict[str, dict[dt.date, list[tuple]]] = {}
    with duckdb.connect(str(world["db"])) as con:
        for m in PHASE3:
            cur = con.execute(f"select * from nba_analytics.{m} where game_date between ? and ? order by all",
                              [world["start"], world["end"]])
            at = [c[0] for c in cur.description].index("game_date")
            by_date = out[m] = {}
            for row in cur.fetchall():
                by_date.setdefault(row[at], []).append(row)
    return out


@pytest.fixture(scope="module")
def first_run(world):
    """The clean backfill of the range, and the tables it built."""
    result, events = backfill(world)
    return {"result": result, "events": events, "clean": public_rows(world)}


@pytest.fixture(scope="module")
def second_run(world, first_run):
    """A plain re-run right after the clean one, with the ledger and tables before it."""
    before = {"ledger": ledger(world), "rows": public_rows(world)}
    result, events = backfill(world)
    return {"result": result, "events": events, **before}


@pytest.fixture(scope="module")
def partial_run(world, second_run):
    """The raw data with the partial_dates fault, backfilled again (--no-resume)."""
    generate(world["db"], 2024, 2024, faults=["partial_dates"])
    result, events = backfill(world, "--no-resume")
    return {"result": result, "events": events, "ledger": ledger(world)}


@pytest.fixture(scope="module")
def fixed_run(world, partial_run):
    """The raw data fixed, and a plain re-run."""
    generate(world["db"], 2024, 2024)
    result, events = backfill(world)
    return {"result": result, "events": events}


def test_a_full_backfill_succeeds_for_every_model_and_date(world, first_run):
    result = first_run["result"]
    assert result.exit_code == 0, result.output
    rows = ledger(world)
    days = (world["end"] - world["start"]).days + 1
    assert len(rows) == len(PHASE3) * days
    assert {s for s, *_ in rows.values()} <= {"succeeded", "skipped_no_games"}
    succeeded = [(n, e) for s, n, e, *_ in rows.values() if s == "succeeded"]
    assert succeeded and all(n > 0 for n, _ in succeeded)
    pgs = [v for (m, _), v in rows.items() if m == "player_game_summary" and v[0] == "succeeded"]
    assert all(expected and rows_ >= 0.9 * expected for _, rows_, expected, *_ in pgs)
    # a test that passes stores no failure table: only the rows of a test that warned (named in
    # the ledger's warnings) or failed are stored, for the gates to read
    warned = {name for *_, reason, _ in rows.values() if reason
              for name in re.findall(r"(?:warning: |; )(\w+): ", reason)}
    assert warned and stored_tables(world) == warned


def stored_tables(world) -> set[str]:
    """Tables of nba_orchestration other than the runner's own: dbt's stored test failures."""
    with duckdb.connect(str(world["db"])) as con:
        names = {r[0] for r in con.execute("select table_name from information_schema.tables "
                                           "where table_schema = 'nba_orchestration'").fetchall()}
    return names - {"backfill_ledger", "backfill_runs", "backfill_lock",  # the runner's own
                    "raw_quarantine", "raw_row_accounting", "raw_accounting_freshness"}  # the staging step's


def test_a_second_run_does_nothing(world, second_run):
    assert second_run["result"].exit_code == 0, second_run["result"].output
    assert chunk_dates(second_run["events"]) == set()
    assert ledger(world) == second_run["ledger"]
    assert public_rows(world) == second_run["rows"]


def test_the_dry_run_writes_nothing_and_lists_missing_upstream_dates(world, first_run):
    before = ledger(world)
    runs_before = run_count(world)
    earlier = world["start"] - dt.timedelta(days=5)
    result = cli.invoke(app, ["--duckdb-path", str(world["db"]), "backfill", "--dry-run",
                              "--start-date", str(earlier), "--end-date", str(world["end"]),
                              "--select", "upcoming_player_game_context"], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert "Pre-flight" in result.output and "player_game_summary" in result.output
    with duckdb.connect(str(world["db"])) as con:
        missing = con.execute(
            "select count(distinct game_date) from nba_raw.stg_nba_raw__nbac_schedule where is_final "
            "and game_date between ? and ?", [earlier, world["start"] - dt.timedelta(days=1)]).fetchone()[0]
    assert missing > 0
    row = next(line for line in result.output.splitlines() if "player_game_summary" in line and "phase3" in line)
    assert f" {missing} " in row  # the missing count of player_game_summary's dates
    assert ledger(world) == before and run_count(world) == runs_before


def run_count(world) -> int:
    with duckdb.connect(str(world["db"])) as con:
        return con.execute("select count(*) from nba_orchestration.backfill_runs").fetchone()[0]


def not_done(rows) -> set[tuple[str, dt.date]]:
    """(model, date) a run left failed, blocked or flagged `incomplete window` in the ledger rows."""
    return {(m, d) for (m, d), (s, _, _, reason, _) in rows.items()
            if s in ("failed", "blocked") or (s == "succeeded" and reason and reason.startswith("incomplete window: "))}


def test_partial_dates_fail_exactly_those_dates_and_block_their_dependants(world, first_run, partial_run):
    result = partial_run["result"]
    assert result.exit_code == 1, result.output
    rows = partial_run["ledger"]
    failed = {(m, d) for (m, d), (s, *_) in rows.items() if s == "failed"}
    assert failed == {("player_game_summary", d) for d in world["partial"]}
    for d in world["partial"]:
        _, _, expected, reason, pct = rows[("player_game_summary", d)]
        assert "player_game_summary_gamebook_coverage:" in reason and "rows of" in reason and "% < 90 %" in reason
        assert f"of {expected} expected ({pct:.1f} %" in reason and pct < 90  # the ledger keeps those numbers
    # a failure blocks the same date of what reads it, never an earlier one; the later dates whose
    # 30-day windows read it are built from its last published rows and flagged
    blocked = {(m, d) for (m, d), (s, *_) in rows.items() if s == "blocked"}
    assert blocked == {("upcoming_player_game_context", d) for d in world["partial"]}
    flagged = {(m, d): reason for (m, d), (s, _, _, reason, _) in rows.items()
               if s == "succeeded" and reason and reason.startswith("incomplete window: ")}
    first = world["partial"][0]
    assert {d for _, d in flagged} == {d for (m, d), (s, *_) in rows.items()
                                       if m == "upcoming_player_game_context" and d > first
                                       and s not in ("skipped_no_games", "blocked")}
    assert {m for m, _ in flagged} == {"upcoming_player_game_context"}
    assert all("failed (its last published rows read)" in r and any(f"player_game_summary {p} " in r
                                                                     for p in world["partial"])
               for r in flagged.values())
    assert not_done(rows) == failed | blocked | set(flagged)
    assert "player_game_summary_gamebook_coverage" in stored_tables(world)  # the gate read its rows there
    # write-audit-publish: the failed dates' rows were built (into the audit twin) but not
    # published: the failed and the blocked dates hold exactly the clean run's rows (the other
    # models' rows of those dates passed their gates on the faulty feed, and were published)
    with duckdb.connect(str(world["db"])) as con:
        audited = dict(con.execute("select game_date, count(*) from nba_audit.player_game_summary "
                                   "group by 1").fetchall())
    assert all(audited.get(d, 0) for d in world["partial"])  # the failed build is kept for inspection
    now = public_rows(world)
    for model, day in failed | blocked:
        assert now[model].get(day) == first_run["clean"][model].get(day), (model, day)


def test_after_the_raw_data_is_fixed_a_plain_rerun_completes_exactly_those_dates(world, first_run, partial_run,
                                                                                 fixed_run):
    result, events = fixed_run["result"], fixed_run["events"]
    assert result.exit_code == 0, result.output
    # the failed, blocked and flagged dates, and every Phase 3 model on the dates whose raw rows
    # changed since they were counted (the repaired dates: the models that passed on the faulty
    # feed are rebuilt too)
    repaired = {(m, d) for m in PHASE3 for d in world["partial"]}
    assert "raw rows changed after they were counted on" in result.output
    assert chunk_dates(events) - {(m, d) for (m, d), (s, *_) in ledger(world).items()
                                  if s == "skipped_no_games"} == not_done(partial_run["ledger"]) | repaired
    assert {s for s, *_ in ledger(world).values()} <= {"succeeded", "skipped_no_games"}
    assert not [r for _, _, _, r, _ in ledger(world).values() if r and r.startswith("incomplete window")]
    assert public_rows(world) == first_run["clean"]  # exactly what the clean build gave


def test_a_second_concurrent_backfill_is_refused(world):
    sleeper = subprocess.Popen(["sleep", "60"])
    lock = world["db"].parent / f"{world['db'].name}.backfill.lock"
    try:
        holder = LockHolder("20241101T000000-1", LockHolder.current("x").host, sleeper.pid, "2024-11-01 00:00:00 UTC")
        lock.write_text(json.dumps(holder.__dict__))
        result, _ = backfill(world)
        assert result.exit_code == 2
        assert f"PID {sleeper.pid}" in result.output and "another backfill holds" in result.output
    finally:
        sleeper.kill()
        sleeper.wait()
        lock.unlink(missing_ok=True)

"""`status` and `validate` never present a raw-row accounting older than the raw rows as true.

On a copy of the clean world (its accounting built by its backfill): a raw gamebook row is added
and another edited in place after the accounting was built. `status` must then say which table
and date changed, and `validate` must fail its quarantine.fresh check naming them; the numbers
they show are still the old ones, so saying so is the point. A backfill of that date counts the
raw rows again: then both say current, and the added row is counted.
"""
from __future__ import annotations

import datetime as dt
import json

import duckdb
import pytest

from runner.tests.reliability.conftest import cli_env, run_cli

pytestmark = pytest.mark.slow

DAY = dt.date(2024, 11, 14)
GB = "nba_raw.nbac_gamebook_player_stats"


@pytest.fixture(scope="module")
def changed(clean_world, tmp_path_factory):
    work = tmp_path_factory.mktemp("freshness")
    db = clean_world.copy_to(work)
    wide = cli_env(db, COLUMNS="250")  # table cells wide enough not to break a state or a name

    def status():
        return run_cli(db, "status", "--start-date", str(DAY), "--end-date", str(DAY), env=wide)

    before = {"status": status()}
    with duckdb.connect(str(db)) as con:
        cols = [c for (c,) in con.execute(
            "select column_name from information_schema.columns where table_schema = 'nba_raw' "
            "and table_name = 'nbac_gamebook_player_stats' order by ordinal_position").fetchall()]
        select = ", ".join("'freshplayer' as player_lookup" if c == "player_lookup" else c for c in cols)
        con.execute(f"insert into {GB} select {select} from {GB} where game_date = ? and player_status = 'active' "
                    "order by player_lookup limit 1", [DAY])
        # an edit in place changes no count: only the content fingerprint can see it
        con.execute(f"update {GB} set assists = assists + 1 where game_date = ? and player_lookup = "
                    f"(select min(player_lookup) from {GB} where game_date = ? and player_status = 'active')",
                    [DAY, DAY])
        raw_now = con.execute(f"select count(*) from {GB} where game_date = ?", [DAY]).fetchone()[0]
    report = work / "report.json"
    after = {
        "status": status(),
        "validate": run_cli(db, "validate", "--start-date", str(DAY), "--end-date", str(DAY), "--select",
                            "quarantine", "--format", "json", "--output", str(report)),
    }
    report_after = json.loads(report.read_text())
    again = {"backfill": run_cli(db, "backfill", "--dates", str(DAY), "--select", "phase3", "--no-resume"),
             "status": status()}
    with duckdb.connect(str(db)) as con:
        counted = con.execute("select raw_rows, is_balanced from nba_orchestration.raw_row_accounting "
                              "where source_table = 'nbac_gamebook_player_stats' and accounting_date = ?",
                              [DAY]).fetchone()
    return {"before": before, "after": after, "report": report_after, "again": again, "counted": counted,
            "raw_now": raw_now}


def _text(run) -> str:
    return " ".join((run.stdout + run.stderr).split())


def test_status_says_current_while_the_raw_rows_are_those_counted(changed):
    assert changed["before"]["status"].returncode == 0
    assert "Raw-row accounting: current" in _text(changed["before"]["status"])


def test_status_names_the_table_and_date_whose_raw_rows_changed(changed):
    run = changed["after"]["status"]
    text = _text(run)
    assert "raw_rows_changed" in text and "nbac_gamebook_player_stats" in text and str(DAY) in text, text
    assert "Raw-row accounting: current" not in text


def test_validate_fails_its_freshness_check_naming_them(changed):
    assert changed["after"]["validate"].returncode == 1
    section = next(s for s in changed["report"]["sections"] if s["id"] == "quarantine")
    check = next(c for c in section["checks"] if c["name"] == "quarantine.fresh")
    assert not check["passed"] and check["severity"] == "error"
    assert "nbac_gamebook_player_stats raw_rows_changed" in check["message"] and str(DAY) in check["message"]


def test_a_backfill_of_the_date_counts_it_again(changed):
    assert changed["again"]["backfill"].returncode == 0, changed["again"]["backfill"].stdout[-3000:]
    assert "Raw-row accounting: current" in _text(changed["again"]["status"])
    assert changed["counted"] == (changed["raw_now"], True)

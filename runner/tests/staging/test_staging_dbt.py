"""Staging layer end to end: a faulted simulated season through `dbt build --select staging orchestration`.

The simulator writes one faulted season to a temporary DuckDB file; to keep the build short, every
table is then cut down to the dates that a fault touched (a few dozen). One dbt invocation (in
process, through runner.dbt like the runner), then checks with plain SQL:
- the build succeeds (models, unit tests, data tests, the accounting singular test);
- raw_row_accounting balances exactly, and its raw_rows equal the simulator's own row counts;
- every row that the simulator reports as made unusable by a fault is in raw_quarantine with the
  expected reason, and raw_quarantine holds nothing else (the clean rows are all staged);
- late corrections leave the old row superseded and the corrected row staged;
- null_stats rows are staged (kept, stats NULL).
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import duckdb
import pytest

from runner.config import Settings
from runner.dbt import Dbt
from runner.simulator import FAULTS, TABLES, generate

pytestmark = pytest.mark.slow

SEASON = 2023

# fault → quarantine reason of the rows it reports (None: the rows are not quarantined)
EXPECTED_REASON = {
    "duplicate_rows": "duplicate_row",
    "malformed_minutes": "malformed_minutes",
    "unknown_team": "unknown_team",
    "unresolvable_player": "unresolvable_player",
}


def _effect_date(key: dict) -> str:
    """The date of a fault effect: its game_date, else the YYYYMMDD of its standard game id."""
    if key.get("game_date"):
        return str(key["game_date"])[:10]
    g = str(key["game_id"])
    return f"{g[:4]}-{g[4:6]}-{g[6:8]}"


def _keep_only_dates(db: Path, dates: set[str]) -> dict[str, int]:
    """Delete every raw row dated outside `dates`; return the row counts left per table."""
    con = duckdb.connect(str(db))
    try:
        days = ", ".join(f"date '{d}'" for d in sorted(dates))
        counts = {}
        for t in TABLES.values():
            con.execute(f"delete from nba_raw.{t.name} where {t.date_column} not in ({days})")
            counts[t.name] = con.execute(f"select count(*) from nba_raw.{t.name}").fetchone()[0]
        return counts
    finally:
        con.close()


def _natural_key_text(key: dict) -> str:
    """The readable natural_key of raw_quarantine: `col=value|...`, NULL spelled NULL."""
    return "|".join(f"{k}={'NULL' if v is None else v}" for k, v in key.items())


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("staging")
    db = tmp / "raw.duckdb"
    report = generate(str(db), SEASON, SEASON, faults=list(FAULTS))
    raw_counts = _keep_only_dates(db, {_effect_date(e.key) for e in report.fault_effects})

    mp = pytest.MonkeyPatch()
    mp.setenv("NBA_THREADS", "4")  # dbt nodes mostly wait on Python, not on DuckDB
    try:
        # the runner's own wrapper: in process, tests selected 'buildable' (no
        # Phase 3 test that also reads the schedule runs with staging)
        outcome = Dbt(Settings.load(duckdb_path=db)).build(select=["staging", "orchestration"])
    finally:
        mp.undo()
    failures = [f"{n.unique_id}: {n.status} {n.message}" for n in outcome.failed_nodes]
    con = duckdb.connect(str(db))  # same process as dbt-duckdb: same (default) config
    yield report, raw_counts, outcome, failures, con
    con.close()


def test_build_succeeds(built):
    _, _, outcome, failures, _ = built
    assert outcome.error is None, outcome.error
    assert outcome.success, failures
    assert {n.name for n in outcome.nodes if n.resource_type == "model"} >= {"raw_quarantine", "raw_row_accounting"}


def test_accounting_is_exact(built):
    _, raw_counts, _, _, con = built
    rows = con.execute(
        "select source_table, raw_rows, staged_rows, quarantined_rows, superseded_rows, is_balanced"
        " from nba_orchestration.raw_row_accounting").fetchall()
    assert {r[0] for r in rows} == set(raw_counts)
    for table, raw, staged, quarantined, superseded, balanced in rows:
        assert raw == raw_counts[table], table
        assert raw == staged + quarantined + superseded, table
        assert balanced, table


def test_fault_rows_land_in_quarantine_with_their_reason(built):
    report, _, _, _, con = built
    expected = Counter()
    for e in report.fault_effects:
        if e.fault in EXPECTED_REASON:
            expected[(e.table, EXPECTED_REASON[e.fault], _natural_key_text(e.key))] += 1
    assert expected, "the faulted run reported no row-level effect"
    actual = Counter(con.execute(
        "select source_table, reason, natural_key from nba_orchestration.raw_quarantine").fetchall())
    assert actual == expected


def test_late_corrections_supersede_the_old_row(built):
    report, _, _, _, con = built
    effects = [e for e in report.fault_effects if e.fault == "late_correction"]
    assert effects
    for e in effects:
        key = {k: v for k, v in e.key.items() if k != "processed_at"}
        where = " and ".join(f"{k} = ?" for k in key)
        rows = con.execute(
            f"select row_disposition, cast(processed_at as varchar) from nba_raw.base_nba_raw__{e.table}"
            f" where {where} order by processed_at", list(key.values())).fetchall()
        assert [d for d, _ in rows] == ["superseded", "staged"], (e, rows)
        assert rows[-1][1].startswith(str(e.key["processed_at"])[:19]), (e, rows)


def test_null_stats_rows_are_staged_with_null_points(built):
    report, _, _, _, con = built
    effects = [e for e in report.fault_effects if e.fault == "null_stats"]
    assert effects
    for e in effects:
        got = con.execute(
            "select points from nba_raw.stg_nba_raw__nbac_gamebook_player_stats"
            " where game_id = ? and player_lookup = ?", [e.key["game_id"], e.key["player_lookup"]]).fetchall()
        assert got == [(None,)], e

"""Crash safety: SIGKILL the backfill at 12 points spread over one backfill, resume each time.

One chain of processes on one copy of the raw data (season 2024, 2024-10-22..2024-11-10: the
bootstrap days and the first Phase 4 dates; every phase, one chunk per model): each process
resumes the previous one's work and is killed at its own point, between chunks, inside ledger
writes, inside dbt invocations (exact statements and timed kills), after dbt wrote the rows but
before the ledger knew, inside the publish of a chunk's passing dates, and at the run's end. After every kill the ledger must not claim a date
it does not hold; the last, uninterrupted resume must leave tables identical, row for row, to the
session's clean world (an uninterrupted backfill of a longer range) on the same dates.

Then, on that result: the replacement of a date range is atomic (a kill inside the publish of a
chunk's dates, before its commit, leaves the old public rows). That `--no-resume` over an
overlapping, already done range gives identical tables is one of the run shapes of
runner/tests/backfill/test_run_shapes.py.
"""
from __future__ import annotations

import datetime as dt

import pytest

from runner.tests.reliability.conftest import CRASH_END, CRASH_START, checksums, duplicate_keys, ledger_lies, ledger_statuses, run_cli

pytestmark = pytest.mark.slow

RANGE = ["--start-date", str(CRASH_START), "--end-date", str(CRASH_END)]
BACKFILL = ["backfill", *RANGE, "--chunk-days", "366", "--json"]

# (label, NBA_CRASH_AT, timed kill): one process each, in this order; each resumes the last.
# The chunks, in order: 5 Phase 3 models, 4 Phase 4 models, the feature store (10 in all).
KILLS = [
    ("inside dbt: the staging build before any chunk (3rd statement)", "dbt_sql:3", None),
    ("between chunks: the 2nd chunk about to start", "chunk:2", None),
    ("inside a ledger write: a chunk's verdict inserted, not committed", "ledger_write:2", None),
    ("after dbt wrote a chunk's rows, before the ledger records them", "built:2", None),
    ("inside dbt: 1.5 s into the run's first chunk (timed)", None, ("chunk_started", 1, 1.5)),
    ("inside the staging step: the raw accounting's replacement about to commit", "dbt_commit:2", None),
    # the staging step commits the quarantine and the accounting first: the 3rd commit is a model's
    ("inside dbt: just before a model's delete + insert commits", "dbt_commit:3", None),
    ("inside a ledger write: the 4th of the run", "ledger_write:4", None),
    ("inside the publish of a chunk's passing dates, before its commit", "publish:2", None),
    ("inside dbt: 2.5 s into the run's second chunk (timed)", None, ("chunk_started", 2, 2.5)),
    ("after dbt wrote a chunk's rows, before the ledger records them (Phase 4)", "built:2", None),
    ("all chunks done, the run row not yet finished", "run_finish:1", None),
]


@pytest.fixture(scope="module")
def chain(raw_only):
    db = raw_only
    runs = []
    for label, crash_at, timed in KILLS:
        run = run_cli(db, *BACKFILL, crash_at=crash_at, kill_after_event=timed)
        runs.append((label, run, ledger_lies(db)))
    final = run_cli(db, *BACKFILL)
    return {"db": db, "runs": runs, "final": final}


def test_every_kill_point_killed_its_process(chain):
    survivors = [(label, run.returncode, run.stderr[-500:]) for label, run, _ in chain["runs"] if not run.killed]
    assert not survivors, survivors
    assert len(chain["runs"]) >= 10


def test_after_each_kill_the_ledger_claims_no_date_it_does_not_hold(chain):
    assert {label: lies for label, _, lies in chain["runs"] if lies} == {}


def test_each_resume_takes_over_the_lock_of_the_killed_process(chain):
    # every kill happens after the lock was taken: the next process finds it and takes it over
    after_kill = [run for _, run, _ in chain["runs"][1:]] + [chain["final"]]
    took_over = ["took over the lock left by a process that is gone" in r.stdout + r.stderr for r in after_kill]
    assert all(took_over), took_over


def test_the_final_resume_completes_every_date(chain):
    final = chain["final"]
    assert final.returncode == 0, final.stderr[-2000:]
    statuses = ledger_statuses(chain["db"])
    assert set(statuses) <= {"succeeded", "skipped_bootstrap", "skipped_no_games"}, statuses


def test_tables_equal_an_uninterrupted_backfill_row_for_row(chain, clean_world):
    got = checksums(chain["db"], CRASH_END)
    want = checksums(clean_world.path, CRASH_END)
    assert {m: got[m] for m in got if got[m] != want[m]} == {}
    assert all(n > 0 for n, _ in got.values()), got
    assert duplicate_keys(chain["db"]) == {}


def test_a_kill_before_the_commit_of_a_replacement_leaves_the_old_rows(chain, tmp_path):
    """Atomic replacement: a chunk is written to the model's audit twin, then its passing dates
    replace the public rows in one transaction; a SIGKILL inside that transaction, the rows of 6
    dates deleted and re-inserted, uncommitted, leaves the committed public rows, and the ledger
    does not mark the dates succeeded by the killed run. (A kill before dbt commits the audit
    twin is the chain's 8th.)"""
    import shutil

    db = tmp_path / "atomic.duckdb"
    shutil.copyfile(chain["db"], db)
    before = checksums(db, CRASH_END)
    start = dt.date(2024, 11, 5)
    run = run_cli(db, "backfill", "--start-date", str(start), "--end-date", str(CRASH_END), "--no-resume",
                  "--select", "player_game_summary", "--json", crash_at="publish:1")
    assert run.killed, run.stderr[-1000:]
    assert checksums(db, CRASH_END) == before
    assert ledger_lies(db) == []
    assert ledger_statuses(db).get("running", 0) > 0  # the killed run's dates say so: resume redoes them

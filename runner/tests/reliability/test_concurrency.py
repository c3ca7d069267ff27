"""Concurrency: a second backfill on a target another backfill holds is refused (exit 2, naming
the holder); two backfills on two different targets run side by side and both succeed, each
leaving its own ledger and tables. (A lock left by a killed process is taken over: see
test_crash_resume.py, where every resume after a SIGKILL does it.)"""
from __future__ import annotations

import json
import subprocess

import pytest

from runner.tests.reliability.conftest import CLI, PROJECT_DIR, checksums, cli_env, ledger_statuses

pytestmark = pytest.mark.slow

DATES = ["--dates", "2024-11-05,2024-11-06", "--no-resume", "--json"]
LONG = ["backfill", *DATES, "--select", "phase3"]  # 5 chunks: long enough to be caught holding the lock
SHORT = ["backfill", *DATES, "--select", "upcoming_team_game_context"]


def running(db) -> list[tuple]:
    """Ledger rows left 'running', with the run that wrote them (diagnostics of a failure)."""
    import duckdb

    with duckdb.connect(str(db)) as con:
        return con.execute("select l.model_name, l.ledger_date, l.run_id, r.command_line, r.status "
                           "from nba_orchestration.backfill_ledger l left join nba_orchestration.backfill_runs r "
                           "using (run_id) where l.status = 'running' limit 20").fetchall()


def start(db, args):
    return subprocess.Popen([CLI, *args], cwd=PROJECT_DIR, env=cli_env(db), text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_same_target_refused_other_target_side_by_side(clean_world, tmp_path):
    a = clean_world.copy_to(tmp_path / "a")
    b = clean_world.copy_to(tmp_path / "b")
    before = checksums(a, clean_world.end)
    first = start(a, LONG)
    first_line = first.stdout.readline()  # the first event comes after the lock is taken
    assert first_line.startswith("{"), first.stderr.read()
    second = start(b, SHORT)                     # another target, at the same time
    intruder = subprocess.run([CLI, *SHORT], cwd=PROJECT_DIR, env=cli_env(a), text=True, capture_output=True,
                              timeout=300)
    out_first, err_first = first.communicate(timeout=600)
    out_second, err_second = second.communicate(timeout=600)

    assert intruder.returncode == 2, intruder.stdout[-1000:] + intruder.stderr[-1000:]
    assert "another backfill holds" in intruder.stdout + intruder.stderr
    assert first.returncode == 0, err_first[-2000:]
    assert second.returncode == 0, err_second[-2000:]
    for db in (a, b):  # each redid its own dates: same content as before, ledger complete
        assert checksums(db, clean_world.end) == before
        statuses = ledger_statuses(db)
        assert set(statuses) <= {"succeeded", "skipped_bootstrap", "skipped_no_games"}, (db.parent.name, running(db))
    runs = [json.loads(line) for line in (first_line + out_first).splitlines() if line.startswith("{")]
    assert any(e["event"] == "run_finished" and e["exit_code"] == 0 for e in runs)

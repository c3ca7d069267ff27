"""Shared fixtures: every test runs against its own DuckDB file, never ./nba.duckdb.

Under pytest-xdist (CI runs `pytest -n 2`), each worker gets its own dbt target and log folders
(two dbt processes writing one partial-parse file would corrupt it), and the session worlds are
built once for all workers: the first worker that needs one builds it under a file lock, the
others wait and read it.
"""
from __future__ import annotations

import fcntl
import os
import pickle
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]
WORKER = os.environ.get("PYTEST_XDIST_WORKER")  # gw0, gw1, ... under xdist; None otherwise


def pytest_configure(config):
    if WORKER:
        os.environ["DBT_TARGET_PATH"] = str(PROJECT_DIR / "target" / f"pytest-{WORKER}")
        os.environ["DBT_LOG_PATH"] = str(PROJECT_DIR / "logs" / f"pytest-{WORKER}")


def pytest_terminal_summary(terminalreporter):
    """A test's `record_property("summary:<title>", text)` is printed at the end of the run (the
    BigQuery emulator run's steps and rows); under xdist it travels in the test's report."""
    for report in terminalreporter.stats.get("passed", []) + terminalreporter.stats.get("failed", []):
        for name, value in getattr(report, "user_properties", ()):
            if report.when == "call" and str(name).startswith("summary:"):
                terminalreporter.write_sep("-", str(name).removeprefix("summary:"))
                terminalreporter.write_line(str(value))


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch, tmp_path):
    monkeypatch.setenv("NBA_DUCKDB_PATH", str(tmp_path / "test.duckdb"))
    monkeypatch.setenv("DBT_PROFILES_DIR", str(PROJECT_DIR / "profiles"))
    monkeypatch.delenv("NBA_TARGET", raising=False)
    monkeypatch.delenv("NBA_PROJECT_DIR", raising=False)


@pytest.fixture(scope="session")
def clean_world(tmp_path_factory):
    """Season 2024, 2024-10-22..2024-12-10, every phase backfilled by the runner; no faults.

    Session-scoped and read-only: copy it (``clean_world.copy_to(tmp_path)``) before writing.
    """
    from runner.tests.worlds import build_world

    return shared_world(tmp_path_factory, "clean_world", lambda d: build_world(d / "clean.duckdb"))


@pytest.fixture(scope="module")
def clean_copy(clean_world, tmp_path_factory, request):
    """(db, dbt, world): a private copy of the clean world for one test module, a dbt wrapper on it,
    and the world (what its build ran)."""
    directory = tmp_path_factory.mktemp(request.module.__name__.rpartition(".")[2])
    return (*clean_world.copy_with_dbt(directory), clean_world)


@pytest.fixture(scope="session")
def faulty_world(tmp_path_factory):
    """Season 2024 with the faults of ``worlds.FAULTY``, backfilled over FAULTY_START..FAULTY_END
    (the missing and the partial date fail, their dependants are blocked). Read-only: copy it."""
    from runner.tests.worlds import FAULTY, FAULTY_END, FAULTY_START, build_world

    return shared_world(tmp_path_factory, "faulty_world", lambda d: build_world(
        d / "faulty.duckdb", faults=FAULTY, start=FAULTY_START, end=FAULTY_END))


def shared_world(tmp_path_factory, name: str, build):
    """``build(directory)`` once per test session, whatever the number of xdist workers.

    Without xdist, a plain session-scoped build. Under xdist, in the session's shared base
    temp folder, under an exclusive lock: the first worker builds and pickles the World, the
    others wait for the lock and unpickle it. The environment the build sets is restored.
    """
    saved = {k: os.environ.get(k) for k in ("NBA_DUCKDB_PATH", "DBT_PROFILES_DIR", "NBA_TARGET")}
    try:
        if not WORKER:
            return build(tmp_path_factory.mktemp(name))
        root = tmp_path_factory.getbasetemp().parent  # shared by this session's workers
        directory, done = root / name, root / f"{name}.pickle"
        with open(root / f"{name}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if done.exists():
                return pickle.loads(done.read_bytes())
            directory.mkdir(exist_ok=True)
            world = build(directory)
            done.write_bytes(pickle.dumps(world))
            return world
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


# The local webhook (a threaded HTTP server on 127.0.0.1) for the alert tests of any command.
from runner.tests.webhook import closed_url, webhook  # noqa: E402,F401  (fixtures)

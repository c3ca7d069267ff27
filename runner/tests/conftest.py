"""Shared fixtures: every test runs against its own DuckDB file, never ./nba.duckdb."""
from __future__ import annotations

from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]


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
    import os

    from runner.tests.worlds import build_world

    saved = {k: os.environ.get(k) for k in ("NBA_DUCKDB_PATH", "DBT_PROFILES_DIR", "NBA_TARGET")}
    try:
        return build_world(tmp_path_factory.mktemp("clean_world") / "clean.duckdb")
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


# The local webhook (a threaded HTTP server on 127.0.0.1) for the alert tests of any command.
from runner.tests.webhook import closed_url, webhook  # noqa: E402,F401  (fixtures)

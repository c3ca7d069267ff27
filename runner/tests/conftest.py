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

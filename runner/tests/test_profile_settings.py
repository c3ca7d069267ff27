"""The embedded profile's DuckDB settings reach the connection dbt runs the models on."""
from __future__ import annotations

import pytest

from runner.config import Settings
from runner.dbt import Dbt


def _setting(dbt: Dbt, name: str) -> str:
    outcome, result = dbt._invoke("show", "--inline", f"select current_setting('{name}') as value",
                                  "--log-level", "none")
    assert outcome.success, outcome.error
    return str(result.results[0].agate_table.rows[0][0])


@pytest.fixture(scope="module")
def dbt(tmp_path_factory):
    return Dbt(Settings.load(duckdb_path=tmp_path_factory.mktemp("profile") / "p.duckdb"))


def test_duckdb_memory_limit_defaults_to_1gb_and_follows_the_env(dbt, monkeypatch):
    monkeypatch.delenv("NBA_DUCKDB_MEMORY_LIMIT", raising=False)
    assert _setting(dbt, "memory_limit") == "953.6 MiB"  # 1GB = 10^9 bytes
    monkeypatch.setenv("NBA_DUCKDB_MEMORY_LIMIT", "2GB")
    assert _setting(dbt, "memory_limit") == "1.8 GiB"

"""Fixtures for the simulator tests: one clean season and the same season with every fault.

Generating a season takes a few seconds, so the databases are built once per test session (once
for all pytest-xdist workers: ``shared_world``) and opened read-only by the tests. Multi-season checks are marked ``slow``.
"""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from runner.simulator import FAULTS, generate
from runner.tests.conftest import shared_world

SEASON = 2024
SEED = 7
# A season's real games: regular season, play-in and playoffs (NBA ids 002, 005, 004), not its
# exhibition games (preseason 001, the All-Star game 003: test_exhibitions.py). A date has either
# kind only, so a date filter separates them in the tables without a game id.
REAL_GAME = "substr(game_id, 3, 1) in ('2', '4', '5')"
EXHIBITION = "substr(game_id, 3, 1) in ('1', '3')"
NOT_EXHIBITION_DATE = f"game_date not in (select game_date from nba_raw.nbac_schedule where {EXHIBITION})"


def pytest_configure(config):
    # the project's pyproject registers the marker; registering it twice is harmless
    config.addinivalue_line("markers", "slow: multi-season or full-pipeline tests")


@pytest.fixture(scope="session")
def clean(tmp_path_factory) -> tuple[Path, object]:
    """(path, report) of season 2024, seed 7, no faults."""
    def build(directory: Path):
        return directory / "clean.duckdb", generate(directory / "clean.duckdb", SEASON, SEASON, seed=SEED)

    return shared_world(tmp_path_factory, "sim_clean", build)


@pytest.fixture(scope="session")
def faulted(tmp_path_factory) -> tuple[Path, object]:
    """(path, report) of the same season with every fault enabled."""
    def build(directory: Path):
        path = directory / "faulted.duckdb"
        return path, generate(path, SEASON, SEASON, seed=SEED, faults=list(FAULTS))

    return shared_world(tmp_path_factory, "sim_faulted", build)


@pytest.fixture(scope="session")
def con(clean):
    c = duckdb.connect(str(clean[0]), read_only=True)
    yield c
    c.close()


@pytest.fixture(scope="session")
def fcon(faulted, clean):
    """A connection to the faulted database with the clean one attached as ``clean``."""
    c = duckdb.connect(str(faulted[0]), read_only=True)
    c.execute(f"attach '{clean[0]}' as clean (read_only)")
    yield c
    c.close()


def rows(c, sql, *params):
    return c.execute(sql, list(params)).fetchall()


def one(c, sql, *params):
    return c.execute(sql, list(params)).fetchall()[0]

"""The crash points inside dbt reach the dbt wrapper as a callback the backfill passes in (the
wrapper imports nothing of runner/backfill); the crash-safety harness itself is
runner/tests/reliability/test_crash_resume.py (slow). Here, without dbt: the events the wrapper
hands on, and which statements count for which point."""
from __future__ import annotations

from collections import Counter
from types import SimpleNamespace

import pytest

from runner.backfill import crashpoints
from runner.config import Settings
from runner.dbt import Dbt
from runner.services.backfill import make_dbt


@pytest.fixture
def kills(monkeypatch):
    """The (pid, signal) crashpoints would send, instead of sending them; hit counts start at 0."""
    sent: list[tuple[int, int]] = []
    monkeypatch.setattr(crashpoints, "_hits", Counter())
    monkeypatch.setattr(crashpoints.os, "kill", lambda pid, sig: sent.append((pid, sig)))
    return sent


def sql_event(materialized: str, sql: str):
    return SimpleNamespace(info=SimpleNamespace(name="SQLQuery"),
                           data=SimpleNamespace(node_info=SimpleNamespace(materialized=materialized), sql=sql))


def statements(dbt: Dbt, *events) -> None:
    for event in events:
        dbt._on_event(event)


def test_the_backfill_dbt_counts_every_statement_for_dbt_sql(monkeypatch, kills):
    monkeypatch.setenv(crashpoints.ENV, "dbt_sql:3")
    dbt = make_dbt(Settings.load())
    statements(dbt, sql_event("view", "create view x"), sql_event("table", "select 1"))
    assert kills == []
    statements(dbt, sql_event("incremental", "COMMIT"))
    assert len(kills) == 1


def test_dbt_commit_is_an_incremental_models_commit_only(monkeypatch, kills):
    monkeypatch.setenv(crashpoints.ENV, "dbt_commit:2")
    dbt = make_dbt(Settings.load())
    statements(dbt, sql_event("table", "COMMIT"), sql_event("incremental", "delete from x"),
               sql_event("incremental", " commit\n"))
    assert kills == []  # one incremental COMMIT so far
    statements(dbt, sql_event("incremental", "COMMIT"))
    assert len(kills) == 1


def test_a_dbt_wrapper_without_the_callback_reaches_no_crash_point(monkeypatch, kills):
    monkeypatch.setenv(crashpoints.ENV, "dbt_sql:1")
    statements(Dbt(Settings.load()), sql_event("incremental", "COMMIT"))
    assert kills == [] and crashpoints._hits == Counter()

"""The pre-flight cost estimate (`backfill --dry-run` on BigQuery) with a fake BigQuery client.

The CI emulator may not answer dry-run query jobs, and nothing here reaches Google, so the code
path is checked with a client that records the jobs it is given and answers like BigQuery
(total_bytes_processed), like an endpoint without dry runs, or with a refused query.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from types import SimpleNamespace as NS

import pytest
from google.api_core import exceptions as gexc

from runner.backfill import cost
from runner.backfill.planner import Chunk
from runner.backfill.store import DuckDBStore
from runner.config import Settings
from runner.console import CaptureConsole
from runner.services.backfill import BackfillRequest, backfill
from runner.tests.backfill.fakes import FakeDbt, make_schedule

D = dt.date(2024, 11, 1)


def _days(first: int, last: int) -> tuple[dt.date, ...]:
    return tuple(D + dt.timedelta(days=i) for i in range(first, last + 1))


class FakeClient:
    """Answers each dry-run job with 1 MiB per day of the range in its SQL, or as told."""

    def __init__(self, fail_with: Exception | None = None, no_bytes: bool = False, refuse: str | None = None):
        self.jobs: list[tuple[str, object]] = []
        self.fail_with, self.no_bytes, self.refuse = fail_with, no_bytes, refuse

    def query(self, sql, job_config=None):
        self.jobs.append((sql, job_config))
        if self.fail_with is not None:
            raise self.fail_with
        if self.refuse and self.refuse in sql:
            raise gexc.BadRequest(f"Correlated subqueries over {self.refuse} are not supported\n\nLocation: US")
        if self.no_bytes:
            return NS(total_bytes_processed=None)
        start, end = (dt.date.fromisoformat(x) for x in sql.split("|")[1:3])
        return NS(total_bytes_processed=((end - start).days + 1) * 2**20)


class FakeCompiler:
    def __init__(self):
        self.calls: list[tuple[tuple[str, ...], dict]] = []

    def __call__(self, names, vars):
        self.calls.append((tuple(names), dict(vars)))
        return {n: f"select 1 from {n} |{vars['start_date']}|{vars['end_date']}|" for n in names}


CHUNKS = [Chunk("team_offense_game_summary", _days(0, 3)), Chunk("team_offense_game_summary", _days(4, 9)),
          Chunk("player_game_summary", _days(0, 3)), Chunk("player_game_summary", _days(4, 9)),
          Chunk("upcoming_player_game_context", _days(2, 9))]


def test_each_chunk_is_a_dry_run_job_of_its_compiled_sql_and_the_total_adds_them_up():
    client, compiler = FakeClient(), FakeCompiler()
    result = cost.estimate(CHUNKS, compiler, client)
    # one compilation per distinct date range, every model of that range at once
    assert compiler.calls == [
        (("player_game_summary", "team_offense_game_summary"), {"start_date": "2024-11-01", "end_date": "2024-11-04"}),
        (("player_game_summary", "team_offense_game_summary"), {"start_date": "2024-11-05", "end_date": "2024-11-10"}),
        (("upcoming_player_game_context",), {"start_date": "2024-11-03", "end_date": "2024-11-10"}),
    ]
    assert len(client.jobs) == 5
    for _sql, config in client.jobs:
        assert config.dry_run is True and config.use_query_cache is False
    assert [(c.model, c.chunk, c.days, c.bytes) for c in result.chunks] == [
        ("team_offense_game_summary", "2024-11-01..2024-11-04", 4, 4 * 2**20),
        ("team_offense_game_summary", "2024-11-05..2024-11-10", 6, 6 * 2**20),
        ("player_game_summary", "2024-11-01..2024-11-04", 4, 4 * 2**20),
        ("player_game_summary", "2024-11-05..2024-11-10", 6, 6 * 2**20),
        ("upcoming_player_game_context", "2024-11-03..2024-11-10", 8, 8 * 2**20),
    ]
    assert result.total_bytes == 28 * 2**20 and result.complete
    console = CaptureConsole()
    cost.report(console, result)
    title, columns, rows = console.tables[-1]
    assert "dry run" in title and columns[:4] == ["model", "chunk", "dates", "bytes"]
    assert rows[-1][:5] == ["upcoming_player_game_context", "2024-11-03..2024-11-10", 8, 8 * 2**20, "8.00 MiB"]
    assert ("info", "estimated total: 28.00 MiB (29360128 bytes) over 5 chunk(s)") in console.messages


@pytest.mark.parametrize("client, why", [
    (FakeClient(fail_with=gexc.MethodNotImplemented("jobs.insert")), "MethodNotImplemented"),
    # what crucible-emulator 0.1.0a2 (the CI emulator) answers, checked on it
    (FakeClient(fail_with=gexc.BadRequest("POST http://127.0.0.1:9051/bigquery/v2/projects/p/jobs: "
                                          "Not supported by Crucible: dry-run jobs\n\nLocation: None")),
     "Not supported by Crucible: dry-run jobs"),
    (FakeClient(no_bytes=True), "without total_bytes_processed"),
    (None, "no BigQuery client"),
])
def test_an_endpoint_without_dry_runs_is_said_plainly_and_gives_no_figure(client, why):
    result = cost.estimate(CHUNKS, FakeCompiler(), client)
    assert result.chunks == [] and not result.complete and why in result.unsupported
    if client is not None:
        assert len(client.jobs) == 1  # stops at the first sign
    console = CaptureConsole()
    cost.report(console, result)
    assert console.tables == []
    [(level, message)] = console.messages
    assert level == "warn" and message.startswith("no cost estimate: ") and why in message
    assert "\n" not in message


def test_a_refused_query_is_named_on_its_chunk_and_the_others_are_still_estimated():
    # "not supported" about the SQL is that query's error, not an endpoint without dry runs
    result = cost.estimate(CHUNKS, FakeCompiler(), FakeClient(refuse="upcoming_player_game_context"))
    bad = [c for c in result.chunks if c.bytes is None]
    assert [(c.model, c.error) for c in bad] == [
        ("upcoming_player_game_context",
         "BadRequest: 400 Correlated subqueries over upcoming_player_game_context are not supported")]
    assert result.total_bytes == 20 * 2**20 and not result.complete
    console = CaptureConsole()
    cost.report(console, result)
    assert any("1 chunk(s) could not be estimated" in m for _, m in console.messages)


def test_a_client_that_cannot_be_made_leaves_the_dry_run_standing():
    def no_credentials(settings):
        raise RuntimeError("no default credentials")
    console = CaptureConsole()
    result = cost.preflight(console, NS(target="bigquery"), CHUNKS, FakeCompiler(), no_credentials)
    assert "no default credentials" in result.unsupported
    assert console.messages[-1][0] == "warn"


def test_backfill_dry_run_on_bigquery_reports_the_cost_of_the_plans_chunks(tmp_path, monkeypatch):
    db = tmp_path / "fake.duckdb"
    game_dates = [d for d in _days(0, 9) if d.day != 5]
    make_schedule(db, game_dates)
    duck = Settings.load(duckdb_path=db)
    settings = dataclasses.replace(duck, target="bigquery")
    fake = FakeDbt(db)
    fake.compile_models = FakeCompiler()
    client = FakeClient()
    monkeypatch.setattr(cost, "client_for", lambda s: client)
    console = CaptureConsole()
    request = BackfillRequest(start_date=D, end_date=D + dt.timedelta(days=9), chunk_days=4, dry_run=True,
                              select=("player_game_summary",))
    outcome = backfill(settings, console, request, dbt_factory=lambda s: fake,
                       store_factory=lambda s: DuckDBStore(duck))
    assert outcome.dry_run and outcome.exit_code == 0
    title, _, rows = console.tables[-1]
    assert "dry run" in title
    # the plan's chunks of at most 4 days, game dates only (2024-11-05 has no game)
    assert [r[1] for r in rows] == ["2024-11-01..2024-11-04", "2024-11-06..2024-11-09", "2024-11-10..2024-11-10"]
    assert all(config.dry_run for _, config in client.jobs) and len(client.jobs) == 3
    assert console.messages[-1] == ("success", "dry run: nothing was written")
    assert fake.builds == []  # nothing built


def test_an_embedded_dry_run_asks_no_client_for_a_cost(tmp_path, monkeypatch):
    db = tmp_path / "fake.duckdb"
    make_schedule(db, list(_days(0, 3)))
    monkeypatch.setattr(cost, "client_for", lambda s: pytest.fail("DuckDB has no dry-run jobs"))
    console = CaptureConsole()
    backfill(Settings.load(duckdb_path=db), console,
             BackfillRequest(start_date=D, end_date=D + dt.timedelta(days=3), dry_run=True),
             dbt_factory=lambda s: FakeDbt(db))
    assert not any("cost" in t[0] for t in console.tables)

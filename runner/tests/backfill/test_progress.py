"""Progress goes through the console: a backfill run with the capture console records its progress
and its events in order; --json prints the events as JSON lines; the terminal draws bars."""
from __future__ import annotations

import io
import json

from rich.console import Console as RichOut

from runner.console import CaptureConsole, JsonConsole, RichConsole
from runner.services.backfill import BackfillRequest, backfill
from runner.tests.backfill.fakes import FakeDbt
from runner.tests.backfill.test_service import DAYS, env  # noqa: F401  (fixture)

MODELS = ("team_offense_game_summary", "player_game_summary")


def test_a_run_reports_each_models_progress_in_order(env):
    settings, db = env
    console = CaptureConsole()
    request = BackfillRequest(start_date=DAYS[0], end_date=DAYS[-1], chunk_days=4, select=MODELS)
    outcome = backfill(settings, console, request, dbt_factory=lambda s: FakeDbt(db))
    names = [e["event"] for e in console.events]
    assert names[-1] == "run_finished" and console.events[-1]["exit_code"] == 0
    # per model, in the run's order: started, its chunks (started, finished), finished
    for model in MODELS:
        own = [e["event"] for e in console.events if e.get("model") == model]
        chunks = (len(own) - 2) // 2
        assert own == ["model_started", *["chunk_started", "chunk_finished"] * chunks, "model_finished"], own
        assert chunks >= 2  # 9 game dates in chunks of at most 4
    assert [e["model"] for e in console.events if e["event"] == "model_started"] == list(MODELS)
    # the bars: one task per model, advanced to its total, finished, and the display ended last
    tasks = [(task, total) for kind, task, total in console.progress if kind == "start"]
    assert [t.split()[-1] for t, _ in tasks] == list(MODELS)
    for task, total in tasks:
        done = sum(n for kind, t, n in console.progress if kind == "advance" and t == task)
        assert done == total == 9, (task, done, total)
        kinds = [kind for kind, t, _ in console.progress if t == task]
        assert kinds[0] == "start" and kinds[-1] == "finish"
    assert console.progress[-1] == ("end", "", None)
    assert outcome.counts["succeeded"] == 2 * 9


def test_json_prints_every_event_as_one_line(env, capsys):
    settings, db = env
    console = JsonConsole(RichConsole())
    backfill(settings, console, BackfillRequest(start_date=DAYS[0], end_date=DAYS[-1], select=MODELS[:1]),
             dbt_factory=lambda s: FakeDbt(db))
    events = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]
    names = [e["event"] for e in events]
    assert names.index("model_started") < names.index("chunk_finished") < names.index("model_finished")
    assert "run_finished" in names and all("at" in e for e in events if e["event"].endswith("_finished"))


def test_the_terminal_draws_bars_unless_quiet():
    for quiet, drawn in ((False, True), (True, False)):
        console = RichConsole(quiet=quiet)
        console.out = RichOut(file=io.StringIO(), force_terminal=False, width=120)
        console.progress_start("phase3 player_game_summary", 9, unit="dates")
        console.progress_advance("phase3 player_game_summary", 4, note="2024-11-01..2024-11-04")
        console.progress_finish("phase3 player_game_summary")
        console.progress_end()
        text = console.out.file.getvalue()
        assert ("player_game_summary" in text and "4/9" in text) == drawn, text

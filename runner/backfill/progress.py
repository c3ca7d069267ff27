"""What a backfill reports while it runs: events, which the console renders.

Every event goes to the run's log file (one JSON object per line), so a failure printed in one
line can point at the full story, and to the console (runner/console.py): the terminal draws a
progress bar per model, `--json` prints the events as JSON lines, a test's capture records them.
"""
from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path
from typing import Any, Literal

from runner.console import Console


class RunLog:
    """The per-run log file under the project's log folder (JSON lines)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._handle = path.open("a", encoding="utf-8")

    def write(self, event: dict[str, Any]) -> None:
        self._handle.write(json.dumps(event, default=str) + "\n")
        self._handle.flush()

    def close(self) -> None:
        self._handle.close()


class Progress:
    """The events of a run, each written to the run's log and handed to the console."""

    def __init__(self, console: Console, log: RunLog | None) -> None:
        self.console = console
        self.log = log
        self._started = time.monotonic()
        self._tasks: dict[str, str] = {}  # model -> its progress task

    # -- lifecycle ------------------------------------------------------------------
    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.console.progress_end()

    # -- events -----------------------------------------------------------------------
    def event(self, name: str, **fields: Any) -> None:
        payload = {"event": name, "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                   "elapsed_s": round(time.monotonic() - self._started, 2), **fields}
        if self.log is not None:
            self.log.write(payload)
        self.console.event(payload)

    def model_started(self, phase: str, model: str, total: int) -> None:
        self.event("model_started", phase=phase, model=model, dates=total)
        self._tasks[model] = f"{phase} {model}"
        self.console.progress_start(self._tasks[model], total, unit="dates")

    def model_finished(self, model: str, seconds: float) -> None:
        self.event("model_finished", model=model, seconds=round(seconds, 2))
        self.console.progress_finish(self._tasks.pop(model, model), "" if seconds else "nothing to do")

    def chunk_started(self, model: str, label: str, dates: int) -> None:
        self.event("chunk_started", model=model, chunk=label, dates=dates)
        self.console.progress_advance(self._tasks.get(model, model), 0, note=label)

    def chunk_finished(self, model: str, label: str, counts: dict[str, int], seconds: float) -> None:
        self.event("chunk_finished", model=model, chunk=label, seconds=round(seconds, 2), **counts)
        self.console.progress_advance(self._tasks.get(model, model), sum(counts.values()))

    def message(self, level: Literal["info", "warn", "error"], text: str) -> None:
        """A warning or note during the run (printed above the display)."""
        self.event("message", level=level, text=text)
        self.console.progress_note(level, text)

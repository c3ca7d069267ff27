"""What a backfill reports while it runs: a rich progress display, or JSON events.

Every event also goes to the run's log file (one JSON object per line), so a
failure printed in one line can point at the full story.
"""
from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path
from typing import Any

from runner.console import Console, RichConsole


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
    """Events of a run: shown as a rich display (terminal), lines (tests) or JSON (--json)."""

    def __init__(self, console: Console, log: RunLog | None, as_json: bool = False) -> None:
        self.console = console
        self.log = log
        self.as_json = as_json
        self._rich: Any = None
        self._tasks: dict[str, Any] = {}
        self._started = time.monotonic()
        if not as_json and isinstance(console, RichConsole) and not console.quiet:
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn
            from rich.progress import Progress as RichProgress

            self._rich = RichProgress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("dates"),
                TimeElapsedColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                TextColumn("{task.fields[chunk]}"),
                console=console.out,
                transient=False,
            )

    # -- lifecycle ------------------------------------------------------------------
    def __enter__(self) -> Progress:
        if self._rich is not None:
            self._rich.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._rich is not None:
            self._rich.stop()

    # -- events -----------------------------------------------------------------------
    def event(self, name: str, **fields: Any) -> None:
        payload = {"event": name, "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                   "elapsed_s": round(time.monotonic() - self._started, 2), **fields}
        if self.log is not None:
            self.log.write(payload)
        if self.as_json:
            self.console.json(json.dumps(payload, default=str))

    def model_started(self, phase: str, model: str, total: int) -> None:
        self.event("model_started", phase=phase, model=model, dates=total)
        if self._rich is not None:
            self._tasks[model] = self._rich.add_task(f"{phase} {model}", total=total, chunk="")
        elif not self.as_json:
            self.console.info(f"{phase} {model}: {total} dates to do")

    def model_finished(self, model: str, seconds: float) -> None:
        self.event("model_finished", model=model, seconds=round(seconds, 2))
        if model in self._tasks:
            self._rich.update(self._tasks[model], chunk="" if seconds else "nothing to do")
            self._rich.stop_task(self._tasks[model])

    def chunk_started(self, model: str, label: str, dates: int) -> None:
        self.event("chunk_started", model=model, chunk=label, dates=dates)
        if model in self._tasks:
            self._rich.update(self._tasks[model], chunk=label)

    def chunk_finished(self, model: str, label: str, counts: dict[str, int], seconds: float) -> None:
        self.event("chunk_finished", model=model, chunk=label, seconds=round(seconds, 2), **counts)
        done = sum(counts.values())
        if model in self._tasks:
            self._rich.update(self._tasks[model], advance=done, chunk="")
        elif not self.as_json:
            summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
            self.console.info(f"  {model} {label}: {summary} ({seconds:.1f}s)")

    def message(self, level: str, text: str) -> None:
        """A warning or note during the run (printed above the display)."""
        self.event("message", level=level, text=text)
        if self.as_json:
            return
        getattr(self.console, level)(text)


class JsonConsole:
    """--json: what a run would print as text goes out as JSON events too (errors stay on stderr)."""

    def __init__(self, inner: Console) -> None:
        self.inner = inner

    def _emit(self, event: str, **fields: Any) -> None:
        self.inner.json(json.dumps({"event": event, **fields}, default=str))

    def info(self, message: str) -> None:
        self._emit("info", text=message)

    def success(self, message: str) -> None:
        self._emit("success", text=message)

    def warn(self, message: str) -> None:
        self.inner.warn(message)

    def error(self, message: str) -> None:
        self.inner.error(message)

    def table(self, title: str, columns: Any, rows: Any, left: int = 1) -> None:
        self._emit("table", title=title, columns=list(columns), rows=[list(r) for r in rows])

    def json(self, payload: str) -> None:
        self.inner.json(payload)

    def rule(self, title: str) -> None:
        self._emit("rule", title=title)

    def mark(self, status: str, message: str) -> None:
        self._emit("mark", status=status, text=message)

    def raw(self, payload: str) -> None:
        self.inner.raw(payload)

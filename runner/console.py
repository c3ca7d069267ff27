"""One console abstraction for everything the runner prints.

``RichConsole`` writes to the terminal (results on stdout, problems on stderr) and draws the
progress of a long run as rich bars; ``CaptureConsole`` records messages, progress and events for
tests; ``JsonConsole`` (`backfill --json`) prints everything as JSON lines, progress as the run's
events. Services receive a console and never print directly.
"""
from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from rich.console import Console as _RichConsole
from rich.markup import escape
from rich.table import Table

Mark = Literal["ok", "info", "warn", "fail"]
_MARKS = {"ok": "[green]✔[/green]", "info": "[blue]•[/blue]", "warn": "[yellow]![/yellow]", "fail": "[red]✘[/red]"}


class Console(Protocol):
    def info(self, message: str) -> None: ...
    def success(self, message: str) -> None: ...
    def warn(self, message: str) -> None: ...
    def error(self, message: str) -> None: ...
    def table(
        self, title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], left: int = 1
    ) -> None: ...
    def json(self, payload: str) -> None: ...
    # Reports (validate): a heading, a status line and verbatim text, all on stdout.
    def rule(self, title: str) -> None: ...
    def mark(self, status: Mark, message: str) -> None: ...
    def raw(self, payload: str) -> None: ...
    # Progress of a long run (a backfill): a task per unit of work (a model) with a total of items
    # (dates), advanced as they are done; notes printed above the display; and the run's events
    # (one JSON-able dict each: {"event": name, ...}), which only the JSON console prints.
    def progress_start(self, task: str, total: int, unit: str = "") -> None: ...
    def progress_advance(self, task: str, done: int = 0, note: str = "") -> None: ...
    def progress_finish(self, task: str, note: str = "") -> None: ...
    def progress_end(self) -> None: ...
    def progress_note(self, level: Literal["info", "warn", "error"], message: str) -> None: ...
    def event(self, payload: dict[str, Any]) -> None: ...


class RichConsole:
    def __init__(self, quiet: bool = False) -> None:
        # Piped output (CI logs, `| tee`) gets 120 columns instead of rich's 80,
        # so tables keep their table names; COLUMNS still wins when set.
        width = None if sys.stdout.isatty() or os.environ.get("COLUMNS") else 120
        self.out = _RichConsole(highlight=False, soft_wrap=True, width=width)
        self.err = _RichConsole(stderr=True, highlight=False, soft_wrap=True, width=width)
        self.quiet = quiet
        self._bars: Any = None  # rich.progress.Progress, started by the first progress_start
        self._tasks: dict[str, Any] = {}

    # Messages are plain text: square brackets and the like are printed as
    # they are, never read as rich markup.
    def info(self, message: str) -> None:
        if not self.quiet:
            self.out.print(escape(message))

    def success(self, message: str) -> None:
        self.out.print(f"[green]✔[/green] {escape(message)}")

    def warn(self, message: str) -> None:
        self.err.print(f"[yellow]Warning:[/yellow] {escape(message)}")

    def error(self, message: str) -> None:
        self.err.print(f"[red]Error:[/red] {escape(message)}")

    def table(
        self, title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], left: int = 1
    ) -> None:
        """The first ``left`` columns are left-aligned (names, messages), the others right-aligned.

        A word wider than its column (a long id) folds onto the next line instead of being cut.
        """
        t = Table(title=title, title_justify="left")
        for i, c in enumerate(columns):
            t.add_column(c, justify="left" if i < left else "right", overflow="fold")
        for r in rows:
            t.add_row(*(escape(_fmt(v)) for v in r))
        self.out.print(t)

    def json(self, payload: str) -> None:
        sys.stdout.write(payload + "\n")

    def rule(self, title: str) -> None:
        self.out.rule(f"[bold]{escape(title)}[/bold]", align="left")

    def mark(self, status: Mark, message: str) -> None:
        self.out.print(f"{_MARKS[status]} {escape(message)}")

    def raw(self, payload: str) -> None:
        sys.stdout.write(payload if payload.endswith("\n") else payload + "\n")

    # --quiet draws no bars: the run's summary table and its warnings and errors say what happened
    def progress_start(self, task: str, total: int, unit: str = "") -> None:
        if self.quiet:
            return
        if self._bars is None:
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn
            from rich.progress import Progress as RichProgress

            self._bars = RichProgress(
                TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[unit]}"),
                TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(), TextColumn("{task.fields[note]}"),
                console=self.out, transient=False,
            )
            self._bars.start()
        self._tasks[task] = self._bars.add_task(task, total=total, unit=unit, note="")

    def progress_advance(self, task: str, done: int = 0, note: str = "") -> None:
        if task in self._tasks:
            self._bars.update(self._tasks[task], advance=done, note=note)

    def progress_finish(self, task: str, note: str = "") -> None:
        if task in self._tasks:
            self._bars.update(self._tasks[task], note=note)
            self._bars.stop_task(self._tasks[task])

    def progress_end(self) -> None:
        if self._bars is not None:
            self._bars.stop()
        self._bars, self._tasks = None, {}

    def progress_note(self, level: Literal["info", "warn", "error"], message: str) -> None:
        getattr(self, level)(message)  # printed above the bars (rich keeps them at the bottom)

    def event(self, payload: dict[str, Any]) -> None:
        pass  # the bars and the notes show the run; its events go to the run's log (backfill/progress.py)


@dataclass
class CaptureConsole:
    """Records what would have been printed (for tests)."""

    messages: list[tuple[str, str]] = field(default_factory=list)
    tables: list[tuple[str, list[str], list[list[Any]]]] = field(default_factory=list)
    # ("start", task, total) / ("advance", task, done) / ("finish", task, note) / ("end", "", None)
    progress: list[tuple[str, str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)

    def info(self, message: str) -> None:
        self.messages.append(("info", message))

    def success(self, message: str) -> None:
        self.messages.append(("success", message))

    def warn(self, message: str) -> None:
        self.messages.append(("warn", message))

    def error(self, message: str) -> None:
        self.messages.append(("error", message))

    def table(
        self, title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], left: int = 1
    ) -> None:
        self.tables.append((title, list(columns), [list(r) for r in rows]))

    def json(self, payload: str) -> None:
        self.messages.append(("json", payload))

    def rule(self, title: str) -> None:
        self.messages.append(("rule", title))

    def mark(self, status: Mark, message: str) -> None:
        self.messages.append((f"mark.{status}", message))

    def raw(self, payload: str) -> None:
        self.messages.append(("raw", payload))

    def progress_start(self, task: str, total: int, unit: str = "") -> None:
        self.progress.append(("start", task, total))

    def progress_advance(self, task: str, done: int = 0, note: str = "") -> None:
        self.progress.append(("advance", task, done))

    def progress_finish(self, task: str, note: str = "") -> None:
        self.progress.append(("finish", task, note))

    def progress_end(self) -> None:
        self.progress.append(("end", "", None))

    def progress_note(self, level: Literal["info", "warn", "error"], message: str) -> None:
        getattr(self, level)(message)

    def event(self, payload: dict[str, Any]) -> None:
        self.events.append(payload)

    def text(self) -> str:
        return "\n".join(m for _, m in self.messages)


class JsonConsole:
    """--json: one JSON object per line on stdout. The run's events are printed as they are, and
    what a run would print as text (info, tables, ...) becomes an event too; warnings and errors
    also stay on stderr. Progress bars have no JSON form: the events carry the same facts."""

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

    def table(self, title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], left: int = 1) -> None:
        self._emit("table", title=title, columns=list(columns), rows=[list(r) for r in rows])

    def json(self, payload: str) -> None:
        self.inner.json(payload)

    def rule(self, title: str) -> None:
        self._emit("rule", title=title)

    def mark(self, status: Mark, message: str) -> None:
        self._emit("mark", status=status, text=message)

    def raw(self, payload: str) -> None:
        self.inner.raw(payload)

    def progress_start(self, task: str, total: int, unit: str = "") -> None:
        pass  # the run's events (model_started, chunk_finished, ...) say it

    def progress_advance(self, task: str, done: int = 0, note: str = "") -> None:
        pass

    def progress_finish(self, task: str, note: str = "") -> None:
        pass

    def progress_end(self) -> None:
        pass

    def progress_note(self, level: Literal["info", "warn", "error"], message: str) -> None:
        pass  # the note's own event ("message") is printed

    def event(self, payload: dict[str, Any]) -> None:
        self.inner.json(json.dumps(payload, default=str))


def _fmt(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)

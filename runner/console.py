"""One console abstraction for everything the runner prints.

``RichConsole`` writes to the terminal (results on stdout, problems on stderr);
``CaptureConsole`` records messages for tests. Services receive a console and
never print directly.
"""
from __future__ import annotations

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


class RichConsole:
    def __init__(self, quiet: bool = False) -> None:
        # Piped output (CI logs, `| tee`) gets 120 columns instead of rich's 80,
        # so tables keep their table names; COLUMNS still wins when set.
        width = None if sys.stdout.isatty() or os.environ.get("COLUMNS") else 120
        self.out = _RichConsole(highlight=False, soft_wrap=True, width=width)
        self.err = _RichConsole(stderr=True, highlight=False, soft_wrap=True, width=width)
        self.quiet = quiet

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


@dataclass
class CaptureConsole:
    """Records what would have been printed (for tests)."""

    messages: list[tuple[str, str]] = field(default_factory=list)
    tables: list[tuple[str, list[str], list[list[Any]]]] = field(default_factory=list)

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

    def text(self) -> str:
        return "\n".join(m for _, m in self.messages)


def _fmt(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)

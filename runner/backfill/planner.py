"""The plan of a backfill: which (model, date) run, which are skipped, in which chunks.

Pure functions over plain values (no dbt, no warehouse), so every rule is
tested fast: schedule-aware dates, bootstrap skips, resume, chunks, blocking.
"""
from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from runner.project import DateModel

SUCCEEDED = "succeeded"
FAILED = "failed"
BLOCKED = "blocked"
SKIPPED_NO_GAMES = "skipped_no_games"
SKIPPED_BOOTSTRAP = "skipped_bootstrap"
RUNNING = "running"
PENDING = "pending"  # shown by status for dates the ledger has never seen
STATUSES = (SUCCEEDED, FAILED, BLOCKED, SKIPPED_NO_GAMES, SKIPPED_BOOTSTRAP, RUNNING)
BAD = (FAILED, BLOCKED)
# the ledger note of a date built while its window misses a failed or blocked upstream date
# (its status stays succeeded: its own gates passed; status and validate list it)
INCOMPLETE_WINDOW = "incomplete window"


@dataclass(frozen=True)
class Calendar:
    """The schedule over the run's days: dates with final games, and bootstrap dates."""

    game_dates: frozenset[dt.date]
    bootstrap_dates: frozenset[dt.date]


@dataclass(frozen=True)
class Chunk:
    model: str
    dates: tuple[dt.date, ...]

    @property
    def start(self) -> dt.date:
        return self.dates[0]

    @property
    def end(self) -> dt.date:
        return self.dates[-1]

    @property
    def label(self) -> str:
        return f"{self.start}..{self.end}"


@dataclass
class ModelPlan:
    model: DateModel
    skipped: dict[dt.date, str] = field(default_factory=dict)  # date -> skipped_* status
    todo: list[dt.date] = field(default_factory=list)
    done: list[dt.date] = field(default_factory=list)  # already succeeded (resume)


def days_between(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


def plan_model(
    model: DateModel,
    days: Sequence[dt.date],
    calendar: Calendar,
    ledger: Mapping[dt.date, str],
    resume: bool = True,
    include_bootstrap: bool = False,
) -> ModelPlan:
    """Split the run's days for one model into skipped, to do and already done.

    Resume (the default) does every game date not yet succeeded, wherever it
    lies (a failure before the last success is retried); without resume every
    game date is done again.
    """
    plan = ModelPlan(model)
    for day in days:
        if day not in calendar.game_dates:
            plan.skipped[day] = SKIPPED_NO_GAMES
        elif model.bootstrap == "skip" and day in calendar.bootstrap_dates and not include_bootstrap:
            plan.skipped[day] = SKIPPED_BOOTSTRAP
        elif resume and ledger.get(day) == SUCCEEDED:
            plan.done.append(day)
        else:
            plan.todo.append(day)
    return plan


def cascade_dates(
    model: DateModel, rerun_upstream: Mapping[str, Iterable[dt.date]], candidates: Iterable[dt.date]
) -> set[dt.date]:
    """Dates of `model` whose windows read an upstream date this run rewrites."""
    return _window_hits(model, rerun_upstream, candidates)


def blocked_dates(
    model: DateModel,
    bad_upstream: Mapping[str, Mapping[dt.date, str]],
    candidates: Iterable[dt.date],
) -> dict[dt.date, str]:
    """Dates of `model` blocked by failed or blocked upstream dates, with the reason.

    An upstream date X blocks the model's date X only: the same-date rows that read it. The
    later dates whose windows read X are built (incomplete_windows flags them), and no date
    before X is ever blocked by it. The reason names the first upstream failure found.
    """
    out: dict[dt.date, str] = {}
    candidates = set(candidates)
    for upstream in model.upstream:
        for bad_day, reason in sorted((bad_upstream.get(upstream) or {}).items()):
            if bad_day in candidates and bad_day not in out:
                out[bad_day] = f"upstream {upstream} {bad_day}: {_first_clause(reason)}"
    return out


def incomplete_windows(
    model: DateModel,
    bad_upstream: Mapping[str, Mapping[dt.date, str]],
    candidates: Iterable[dt.date],
) -> dict[dt.date, list[tuple[str, dt.date]]]:
    """Dates of `model` after a failed or blocked upstream date X whose windows read X
    (X < date ≤ X + model.window_days): they are built, from X's last published rows or without
    them, and flagged. Returns date -> the (upstream, X) pairs its window misses."""
    out: dict[dt.date, list[tuple[str, dt.date]]] = {}
    candidates = sorted(set(candidates))
    for upstream in model.upstream:
        for bad_day in sorted(bad_upstream.get(upstream) or {}):
            last = bad_day + dt.timedelta(days=model.window_days)
            for day in candidates:
                if bad_day < day <= last:
                    out.setdefault(day, []).append((upstream, bad_day))
    return out


@dataclass(frozen=True)
class WindowShort:
    """A date whose own window is not ready: its window's span, game dates and missing ones."""

    first: dt.date
    last: dt.date
    games: int
    missing: tuple[dt.date, ...]
    min_pct: float

    @property
    def pct(self) -> float:
        return 100.0 * (self.games - len(self.missing)) / self.games

    def describe(self) -> str:
        shown = ", ".join(str(d) for d in self.missing[:3]) + (" …" if len(self.missing) > 3 else "")
        return (f"not ready in this date's window {self.first}..{self.last}: {self.games - len(self.missing)} "
                f"of {self.games} game dates ({self.pct:.1f} % < {self.min_pct:g} %), missing {shown}")


def window_readiness(
    model: DateModel,
    game_dates: Iterable[dt.date],
    ready: Iterable[dt.date],
    candidates: Iterable[dt.date],
    min_pct: float,
) -> dict[dt.date, WindowShort]:
    """Dates of `model` whose own window is not ready.

    A date D's window is the game dates in D − window_days .. D; it is ready when at least
    min_pct % of them are in `ready` (the upstream phase holds them, or they are accounted for
    as failed). Each date is judged on its own window, never on the run's range.
    """
    games = sorted(set(game_dates))
    ready = set(ready)
    out: dict[dt.date, WindowShort] = {}
    for day in sorted(set(candidates)):
        first = day - dt.timedelta(days=model.window_days)
        window = games[bisect.bisect_left(games, first):bisect.bisect_right(games, day)]
        missing = tuple(d for d in window if d not in ready)
        if window and 100.0 * (len(window) - len(missing)) / len(window) < min_pct:
            out[day] = WindowShort(first, day, len(window), missing, min_pct)
    return out


def _window_hits(model: DateModel, upstream_days: Mapping[str, Iterable[dt.date]], candidates) -> set[dt.date]:
    hits: set[dt.date] = set()
    candidates = set(candidates)
    for upstream in model.upstream:
        for x in upstream_days.get(upstream) or ():
            for offset in range(model.window_days + 1):
                day = x + dt.timedelta(days=offset)
                if day in candidates:
                    hits.add(day)
    return hits


def split_chunks(
    model: str,
    todo: Sequence[dt.date],
    keep: Iterable[dt.date],
    chunk_days: int,
) -> list[Chunk]:
    """Contiguous ranges of to-do dates, at most chunk_days long, never spanning a kept date.

    `keep` are the dates whose rows must not be rewritten (succeeded, blocked,
    bootstrap-skipped): a chunk's run replaces every date inside its range, so
    a kept date ends the chunk. Days without games may lie inside a chunk.
    """
    keep_sorted = sorted(set(keep))
    out: list[Chunk] = []
    current: list[dt.date] = []
    for day in sorted(set(todo)):
        if current:
            too_long = (day - current[0]).days + 1 > chunk_days
            i = bisect.bisect_right(keep_sorted, current[-1])
            crosses = i < len(keep_sorted) and keep_sorted[i] < day
            if too_long or crosses:
                out.append(Chunk(model, tuple(current)))
                current = []
        current.append(day)
    if current:
        out.append(Chunk(model, tuple(current)))
    return out


def cascade_suggestion(
    rewritten: Mapping[str, Iterable[dt.date]],
    succeeded_before: Mapping[str, Mapping[dt.date, str]],
    phase3: Iterable[str],
    later_rows: bool,
) -> str | None:
    """The `nba-pipeline cascade` command to suggest after a backfill that rewrote Phase 3 dates already succeeded
    before (a re-backfill), when later downstream rows exist; else None."""
    names = set(phase3)
    redone = sorted({d for model, days in rewritten.items() if model in names
                     for d in days if (succeeded_before.get(model) or {}).get(d) == SUCCEEDED})
    if not redone or not later_rows:
        return None
    return f"nba-pipeline cascade --dates {','.join(map(str, redone))} --dry-run"


def _first_clause(reason: str, limit: int = 120) -> str:
    """The upstream reason, short: its first clause (the full text is on the upstream's own row)."""
    text = reason.split("; ")[0]
    return text if len(text) <= limit else text[: limit - 1] + "…"

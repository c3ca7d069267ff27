"""The plan of a backfill: which (model, date) run, which are skipped, in which chunks.

Pure functions over plain values (no dbt, no warehouse), so every rule is
tested fast: schedule-aware dates, bootstrap skips, resume, chunks, blocking.
"""
from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from runner.backfill.project import DateModel

SUCCEEDED = "succeeded"
FAILED = "failed"
BLOCKED = "blocked"
SKIPPED_NO_GAMES = "skipped_no_games"
SKIPPED_BOOTSTRAP = "skipped_bootstrap"
RUNNING = "running"
PENDING = "pending"  # shown by status for dates the ledger has never seen
STATUSES = (SUCCEEDED, FAILED, BLOCKED, SKIPPED_NO_GAMES, SKIPPED_BOOTSTRAP, RUNNING)
BAD = (FAILED, BLOCKED)


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

    An upstream date X blocks X .. X + model.window_days (the dates whose
    windows read X). The reason names the first upstream failure found.
    """
    out: dict[dt.date, str] = {}
    candidates = sorted(set(candidates))
    for upstream in model.upstream:
        for bad_day, reason in sorted((bad_upstream.get(upstream) or {}).items()):
            last = bad_day + dt.timedelta(days=model.window_days)
            for day in candidates:
                if bad_day <= day <= last and day not in out:
                    out[day] = f"upstream {upstream} {bad_day}: {_first_clause(reason)}"
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


def _first_clause(reason: str, limit: int = 120) -> str:
    """The upstream reason, short: its first clause (the full text is on the upstream's own row)."""
    text = reason.split("; ")[0]
    return text if len(text) <= limit else text[: limit - 1] + "…"

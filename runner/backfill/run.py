"""A backfill run's request, its outcome, and the state its parts share (runner/services/backfill.py
orchestrates them: queries.py, plan.py, execute.py, bookkeeping.py, report.py)."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from runner.backfill.planner import SKIPPED_NO_GAMES
from runner.backfill.progress import Progress
from runner.backfill.store import Store
from runner.config import Settings
from runner.console import Console
from runner.dbt import DbtRunner
from runner.project import DateModel, Project

DEFAULT_CHUNK_DAYS = 92  # a quarter season: a chunk costs a fixed ~4 s of dbt and tests plus the model SQL
UNIT_TESTS = "resource_type:unit_test"
# Adapters whose configs depend on the run's vars at parse time (BigQuery: the static partition
# list of insert_overwrite, macros/incremental/replace_date_range.sql) are parsed with the run's
# range for the staging step's accounting. The date models' chunks need no such parse: they are
# written to their audit twins (write-audit-publish), and the runner publishes their passing dates.
PARSE_PER_CHUNK = ("bigquery",)

# The schedule as the models see it: final games per date, and the season
# bootstrap period from int_season_calendar (one definition, compiled by dbt).
CALENDAR_SQL = """
with schedule as (
    select game_date, season_year
    from {{ ref('stg_nba_raw__nbac_schedule') }}
    where is_final
),
calendar as (
    select season_year, season_start_date, first_post_bootstrap_date
    from {{ ref('int_season_calendar') }}
)
select distinct
    schedule.game_date,
    (schedule.game_date >= calendar.season_start_date
        and schedule.game_date < calendar.first_post_bootstrap_date) as is_bootstrap
from schedule
left join calendar on schedule.season_year = calendar.season_year
"""

# The staging step of every run (_prepare): the raw-row accounting models (models/orchestration/),
# built by date for the run's range; the accounting model's balance is the run's first gate.
ACCOUNTING_SELECTOR = "orchestration"
ACCOUNTING_MODEL = "raw_row_accounting"
FRESHNESS_MODEL = "raw_accounting_freshness"
QUARANTINE_MODEL = "raw_quarantine"

# domain.md §4.3: the PCF fallback when UPCG holds fewer than upcg_fallback_pct % of PGS players
CONTEXT_MODEL, CONTEXT_REFERENCE = "upcoming_player_game_context", "player_game_summary"


@dataclass(frozen=True)
class BackfillRequest:
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    dates: tuple[dt.date, ...] = ()
    select: tuple[str, ...] = ()
    dry_run: bool = False
    resume: bool = True
    force: bool = False
    include_bootstrap: bool = False
    chunk_days: int = DEFAULT_CHUNK_DAYS
    threads: int | None = None
    fail_fast: bool = False
    json_events: bool = False
    command_line: str = ""  # for the run history: give it with URLs redacted (runner.redact.redact_argv)
    notify_url: str | None = field(default=None, repr=False)  # a secret: shown as its host only
    notify_on: str = "failure"
    profile: bool = False  # print where the wall time went (runner/profile.py)


@dataclass
class BackfillOutcome:
    run_id: str
    exit_code: int
    dry_run: bool = False
    counts: dict[str, int] = field(default_factory=dict)  # status -> (model, date) written this run
    chunks_run: int = 0
    phase_seconds: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0
    log_path: Path | None = None
    failed: dict[str, dict[dt.date, str]] = field(default_factory=dict)
    blocked: dict[str, dict[dt.date, str]] = field(default_factory=dict)
    # built, but their windows miss a failed or blocked upstream date (the ledger note says which)
    incomplete: dict[str, dict[dt.date, str]] = field(default_factory=dict)
    # (part, seconds): process start, manifest, compile, SQL, gates, ledger, publish, ... (profile.split)
    profile: list[tuple[str, float]] = field(default_factory=list)
    # a run with failed or blocked dates raises PipelineError (its message says which): a returned
    # outcome is a run that succeeded, or a dry run
    failure: str | None = None


@dataclass
class RunState:
    """What the run's parts read and write: the inputs, the run's id, and what it found so far."""

    settings: Settings
    console: Console
    request: BackfillRequest
    days: list[dt.date]
    dbt: DbtRunner
    project: Project
    selected: list[DateModel]
    store: Store  # timed (runner.profile.Timed): its statements count as ledger, publish or queries
    run_id: str
    outcome: BackfillOutcome
    progress: Progress | None = None  # set while the run's events are reported
    bad: dict[str, dict[dt.date, str]] = field(default_factory=lambda: defaultdict(dict))  # failed or blocked
    rerun: dict[str, set[dt.date]] = field(default_factory=lambda: defaultdict(set))  # dates rewritten this run
    coverage_sql: dict[str, str] = field(default_factory=dict)  # compiled coverage gates by model
    gate_sql: dict[str, Any] = field(default_factory=dict)  # gate_sql.for_model: the compiled tests
    empty_tables_tried: bool = False  # execute.ensure_public_table: the run's one invocation done
    stop: bool = False  # --fail-fast: a date failed
    view_errors: list[str] = field(default_factory=list)
    # dates built while their windows miss a failed or blocked upstream date: model -> date -> note
    incomplete: dict[str, dict[dt.date, str]] = field(default_factory=dict)
    ready_cache: dict[str, Any] = field(default_factory=dict)  # plan.phase3_dates
    raw_changed: set[dt.date] = field(default_factory=set)  # dates whose raw rows changed after they were counted


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def skip_reason(status: str) -> str:
    return "no final game on this date" if status == SKIPPED_NO_GAMES else "season bootstrap day (first days of a season)"


def first_of(days: Sequence[dt.date], n: int = 3) -> str:
    shown = ", ".join(str(d) for d in days[:n])
    return shown + (" …" if len(days) > n else "") if days else ""


def short_relation(relation: str) -> str:
    return ".".join(p.strip('"`') for p in relation.split(".")[-2:])

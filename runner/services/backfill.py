"""`nba-pipeline backfill`: the selected date models over a date range, gated, resumable.

Flow: validate the request → parse the project once (models, order, meta) →
lock the target → build the non-date nodes the selection reads → read the
schedule (game dates, bootstrap dates) and the ledger → pre-flight → for each
model in dependency order: block the dates whose upstream failed, run the
other dates in contiguous chunks (one dbt build per chunk, tests included),
judge each chunk's dates, write the ledger → summary, exit code.
"""
from __future__ import annotations

import datetime as dt
import os
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from runner.backfill import cost, crashpoints, planner
from runner.backfill.gates import judge_chunk
from runner.backfill.planner import (
    BAD,
    BLOCKED,
    FAILED,
    RUNNING,
    SKIPPED_BOOTSTRAP,
    SKIPPED_NO_GAMES,
    SUCCEEDED,
    Calendar,
    Chunk,
    ModelPlan,
)
from runner.backfill.progress import Progress, RunLog
from runner.backfill.project import DateModel, Project, audit_relation, load_project
from runner.backfill.store import LedgerRow, LockHolder, Store, open_store
from runner.config import Settings
from runner.console import Console, JsonConsole
from runner.dbt import Dbt, DbtOutcome, DbtRunner, raise_for_outcome
from runner.errors import EXIT_FAILED, EXIT_OK, PipelineError, UsageError
from runner.inputs import check_names
from runner.profile import Timed, Timings, process_age, split
from runner.services import notify
from runner.warehouse import as_date

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


# what the runner's own statements on the warehouse are, for the profile
STORE_PARTS = {"write_ledger": "ledger", "start_run": "ledger", "finish_run": "ledger", "read_ledger": "ledger",
               "acquire_lock": "ledger", "release_lock": "ledger", "publish": "publish",
               "query": "queries", "relation_exists": "queries", "columns": "queries"}


def validate_request(request: BackfillRequest, today: dt.date | None = None) -> list[dt.date]:
    """The run's days, or a UsageError before anything runs."""
    today = today or dt.date.today()
    notify.check_url(request.notify_url)
    notify.check_on(request.notify_on)
    if request.chunk_days < 1:
        raise UsageError(f"--chunk-days must be at least 1, got {request.chunk_days}")
    if request.threads is not None and not 1 <= request.threads <= 64:
        raise UsageError(f"--threads must be between 1 and 64, got {request.threads}")
    check_names("--select", request.select)
    if request.dates:
        days = sorted(set(request.dates))
        if request.start_date or request.end_date:
            if request.start_date and request.end_date and request.end_date < request.start_date:
                raise UsageError(f"--end-date {request.end_date} is before --start-date {request.start_date}")
            outside = [d for d in days if (request.start_date and d < request.start_date)
                       or (request.end_date and d > request.end_date)]
            if outside:
                raise UsageError(f"--dates {', '.join(map(str, outside))} lie outside --start-date/--end-date")
    else:
        if request.start_date is None or request.end_date is None:
            raise UsageError("give --start-date and --end-date, or --dates")
        if request.end_date < request.start_date:
            raise UsageError(f"--end-date {request.end_date} is before --start-date {request.start_date}")
        days = planner.days_between(request.start_date, request.end_date)
    future = [d for d in days if d > today]
    if future:
        raise UsageError(f"date {future[0]} is in the future (today is {today}): games not played have no data")
    return days


def thresholds(settings: Settings) -> dict[str, Any]:
    """The project's threshold vars (dbt_project.yml), the one place they are set."""
    data = yaml.safe_load((settings.project_dir / "dbt_project.yml").read_text()) or {}
    return data.get("vars") or {}


def make_dbt(settings: Settings) -> Dbt:
    return Dbt(settings, on_sql=crashpoints.on_dbt_sql)


def backfill(
    settings: Settings,
    console: Console,
    request: BackfillRequest,
    dbt_factory: Callable[[Settings], DbtRunner] | None = None,
    store_factory: Callable[[Settings], Store] | None = None,
) -> BackfillOutcome:
    process_start, started = process_age(), time.monotonic()
    days = validate_request(request)
    if request.threads is not None:
        os.environ["NBA_THREADS"] = str(request.threads)
    dbt = (dbt_factory or make_dbt)(settings)
    timings: Timings = getattr(dbt, "timings", None) or Timings()
    project = load_project(dbt.manifest)
    selected = project.select(list(request.select))
    store = (store_factory or open_store)(settings)
    if request.json_events:
        console = JsonConsole(console)
    run = _Run(settings, console, request, days, dbt, project, selected, Timed(store, timings, STORE_PARTS))
    try:
        return run.execute()
    finally:
        store.close()
        run.outcome.profile = split(time.monotonic() - started, timings, process_start)
        if request.profile:
            _print_profile(console, run.outcome.profile, timings)


class _Run:
    def __init__(self, settings, console, request, days, dbt, project, selected, store) -> None:
        self.settings: Settings = settings
        self.console: Console = console
        self.request: BackfillRequest = request
        self.days: list[dt.date] = days
        self.dbt = dbt
        self.project: Project = project
        self.selected: list[DateModel] = selected
        self.store: Store = store
        self.vars = thresholds(settings)
        now = dt.datetime.now(dt.UTC)
        self.run_id = f"{now:%Y%m%dT%H%M%S}-{os.getpid()}-{uuid.uuid4().hex[:4]}"
        self.outcome = BackfillOutcome(self.run_id, EXIT_OK, dry_run=request.dry_run)
        self.bad: dict[str, dict[dt.date, str]] = defaultdict(dict)  # failed or blocked, per model
        self.rerun: dict[str, set[dt.date]] = defaultdict(set)  # dates rewritten this run, per model
        self._coverage_sql: dict[str, str] = {}  # compiled coverage gates by model (_coverage)
        self._stop = False
        self.view_errors: list[str] = []
        # dates built while their windows miss a failed or blocked upstream date: model -> date -> note
        self.incomplete: dict[str, dict[dt.date, str]] = {}
        self._ready_cache: dict[str, Any] = {}
        self.raw_changed: set[dt.date] = set()  # dates whose raw rows changed after they were counted

    # -- the run --------------------------------------------------------------------------
    def execute(self) -> BackfillOutcome:
        started = time.monotonic()
        holder = LockHolder.current(self.run_id)
        log = None
        if not self.request.dry_run:
            previous = self.store.acquire_lock(holder)
            if previous is not None:
                self.console.warn(f"took over the lock left by a process that is gone: {previous.describe()}")
        try:
            if not self.request.dry_run:
                log = RunLog(self.settings.project_dir / "logs" / f"backfill-{self.run_id}.log")
                self.outcome.log_path = log.path
            with Progress(self.console, log) as progress:
                self.progress = progress
                self._prepare()
                calendar = self._calendar()
                ledger = self._ledger()
                plans = [
                    planner.plan_model(m, self.days, calendar, ledger.get(m.name, {}),
                                       self.request.resume, self.request.include_bootstrap)
                    for m in self.selected
                ]
                missing = self._preflight(plans, calendar)
                self._print_plan(plans, calendar)
                if self.request.dry_run:
                    self._print_readiness(plans, calendar)
                    if not self.settings.is_embedded:  # BigQuery: bytes each chunk would scan
                        chunks = [c for p in plans for c in self._chunks(p.model, p.todo, calendar)]
                        cost.preflight(self.console, self.settings, chunks, self.dbt.compile_models)
                    self.console.success("dry run: nothing was written")
                    return self.outcome
                self._start_run_row(holder)
                try:
                    self._record_skips(plans, ledger)
                    self._run_models(plans, calendar, ledger, missing)
                    self._build_phase_views()
                except BaseException as exc:  # a crash or Ctrl-C: the run row says so (dates stay 'running')
                    status = "interrupted" if isinstance(exc, KeyboardInterrupt) else "error"
                    self.store.finish_run(self.run_id, {
                        "status": status,
                        "errors": f"{type(exc).__name__}: {exc}", "finished_at": _now(),
                        "duration_seconds": round(time.monotonic() - started, 2)})
                    self._notify(status, 130 if status == "interrupted" else getattr(exc, "exit_code", EXIT_FAILED),
                                 [f"{type(exc).__name__}: {exc}"])
                    raise
            self.outcome.seconds = time.monotonic() - started
            self._finish(started)
            self._suggest_cascade(ledger)
            return self.outcome
        finally:
            if not self.request.dry_run:
                self.store.release_lock(holder)
            if log is not None:
                log.close()

    def _prepare(self) -> None:
        """Staging, the quarantine and the raw-row accounting for the run's dates, then the other
        non-date nodes the selection reads (views, seeds), without tests; then the accounting gate.

        The accounting models are built by date (macros/staging/raw_accounting.sql): the run's
        first to last day, plus the undated and future-dated raw rows. Every raw row of the range
        is then staged, excluded, quarantined with its reason, or superseded, and counted; a table
        and date whose counts do not balance stops the run before any phase.
        """
        if self.request.dry_run:
            return
        started = time.monotonic()
        self.raw_changed = self._raw_changed_dates()
        span = {"start_date": self.days[0].isoformat(), "end_date": self.days[-1].isoformat()}
        if self._adapter_type() in PARSE_PER_CHUNK:
            self.dbt.parse(vars=span)  # the accounting's partitions are rendered at parse time
        date_models = list(self.project.models)
        self.progress.message("info", f"staging and raw-row accounting {self.days[0]}..{self.days[-1]}")
        outcome = self.dbt.build(
            select=[f"+{ACCOUNTING_SELECTOR}", *[f"+{m.name}" for m in self.selected]],
            exclude=[*date_models, "resource_type:test", UNIT_TESTS],
            vars=span,
            log_level="none",
        )
        raise_for_outcome(outcome, "building staging and the raw-row accounting")
        self._check_accounting()
        self.outcome.phase_seconds["staging"] = time.monotonic() - started

    def _raw_changed_dates(self) -> set[dt.date]:
        """Dates of the run whose raw rows changed after an earlier run counted them (added,
        edited or deleted rows: raw_accounting_freshness). The models that read raw rows redo
        them, succeeded or not, and the cascade carries the change downstream: a repaired feed
        is never left half-applied by a resume."""
        relation = self.project.relations.get(FRESHNESS_MODEL)
        if relation is None or not self.store.relation_exists(relation):
            return set()
        rows = self.store.query(
            f"select distinct accounting_date from {relation} where accounting_date between ? and ? "
            "and accounting_state in ('raw_rows_changed', 'raw_rows_gone')", [self.days[0], self.days[-1]])
        changed = {as_date(r[0]) for r in rows}
        if changed:
            days = sorted(changed)
            self.progress.message("info", f"raw rows changed after they were counted on {len(days)} date(s) "
                                          f"({_first(days, 5)}): the models reading raw rows redo them")
        return changed

    def _check_accounting(self) -> None:
        """Every raw row counted once: a table and date whose accounting does not balance fails the run."""
        relation = self.project.relations.get(ACCOUNTING_MODEL)
        if relation is None or not self.store.relation_exists(relation):
            raise PipelineError(f"{ACCOUNTING_MODEL} was not built: the raw rows of the range are not counted")
        rows = self.store.query(
            f"select source_table, accounting_date, raw_rows, unaccounted_rows from {relation} "
            "where not is_balanced order by 1, 2")
        if rows:
            listed = "; ".join(f"{t} {d}: {u} of {n} raw rows unaccounted" for t, d, n, u in rows[:5])
            raise PipelineError(f"the raw-row accounting does not balance ({len(rows)} table-dates): {listed}"
                                f"{' …' if len(rows) > 5 else ''}")

    def _adapter_type(self) -> str | None:
        return getattr(getattr(self.dbt.manifest, "metadata", None), "adapter_type", None)

    def _calendar(self) -> Calendar:
        """The game dates of the run's days, and of the windows before them (per-date readiness)."""
        sql = self.dbt.compile_inline(CALENDAR_SQL)
        reach = max((m.window_days for m in self.selected), default=0)
        try:
            rows = self.store.query(
                f"select game_date, is_bootstrap from ({sql}) as schedule where game_date between ? and ?",
                [self.days[0] - dt.timedelta(days=reach), self.days[-1]],
            )
        except Exception as exc:  # the staging views are missing (a dry run builds nothing)
            raise UsageError(
                f"cannot read the schedule ({type(exc).__name__}); build the staging views first: "
                "`nba-pipeline build --select staging`"
            ) from exc
        # every game date of the span, also those --dates leaves out: a chunk must not span them
        return Calendar(frozenset(d for d, _ in rows), frozenset(d for d, b in rows if b))

    def _ledger(self) -> dict[str, dict[dt.date, str]]:
        names = {m.name for m in self.selected} | {u for m in self.selected for u in m.upstream}
        out: dict[str, dict[dt.date, str]] = defaultdict(dict)
        for row in self.store.read_ledger(sorted(names), self.days[0], self.days[-1]):
            out[row.model][row.date] = row.status
        return out

    # -- pre-flight ---------------------------------------------------------------------------
    def _preflight(self, plans: list[ModelPlan], calendar: Calendar) -> dict[str, dict[dt.date, str]]:
        """Per phase, the upstream rows present or missing on the game dates to do.

        Upstream = the raw sources the phase reads (dates with no rows are
        reported; the gates decide) and the date models it reads that this run
        does not build (their missing dates block the dependants' dates,
        unless --force). Returns those missing dates per upstream model.
        """
        selected = {m.name for m in self.selected}
        report: list[tuple] = []
        missing: dict[str, dict[dt.date, str]] = defaultdict(dict)
        for phase in self.project.phases:
            phase_plans = [p for p in plans if p.model.phase == phase and p.todo]
            if not phase_plans:
                continue
            todo = sorted({d for p in phase_plans for d in p.todo})
            upstream_models = sorted({u for p in phase_plans for u in p.model.upstream if u not in selected})
            sources = sorted({src for p in phase_plans for src in p.model.sources})
            for name in upstream_models:
                up = self.project.models[name]
                present = self._dates_with_rows(up.relation_name, up.date_column, todo)
                # a model that writes nothing on bootstrap days is not missing there
                rightly_empty = (calendar.bootstrap_dates
                                 if up.bootstrap == "skip" and not self.request.include_bootstrap else frozenset())
                gone = [d for d in todo if d not in present and d not in rightly_empty]
                for d in gone:
                    missing[name][d] = f"no {name} rows on this date (not built by this run)"
                report.append((phase, name, len(todo), len(todo) - len(gone), len(gone), _first(gone)))
            for source in sources:
                present = self._source_dates(source, todo)
                if present is None:
                    continue
                gone = [d for d in todo if d not in present]
                report.append((phase, _short_relation(source), len(todo), len(todo) - len(gone), len(gone),
                               _first(gone)))
        if report:
            self.console.table(
                "Pre-flight: upstream rows on the game dates to do",
                ["phase", "upstream", "dates", "present", "missing", "first missing"],
                report,
            )
        self._check_context_rows(calendar)
        return missing

    def _check_context_rows(self, calendar: Calendar) -> None:
        """Warn, do not abort, when the upcoming context is short of player_game_summary's players on a
        date (decisions.md fix 17): the models fall back on exactly those dates, and each date's own gates
        decide."""
        models = self.project.models
        if CONTEXT_MODEL not in models or CONTEXT_REFERENCE not in models:
            return
        ctx, ref = models[CONTEXT_MODEL], models[CONTEXT_REFERENCE]
        for m in (ctx, ref):
            if not self.store.relation_exists(m.relation_name) or "player_lookup" not in self.store.columns(m.relation_name):
                return
        pct = float(self.vars.get("upcg_fallback_pct", 90))
        rows = self.store.query(
            f"""
            with ctx as (select {ctx.date_column} as d, count(distinct player_lookup) as n from {ctx.relation_name}
                         where {ctx.date_column} between ? and ? group by 1),
                 ref as (select {ref.date_column} as d, count(distinct player_lookup) as n from {ref.relation_name}
                         where {ref.date_column} between ? and ? group by 1)
            select ref.d, ctx.n, ref.n from ref join ctx on ctx.d = ref.d
            where ctx.n > 0 and 100.0 * ctx.n < {pct} * ref.n
            order by 1
            """,
            [self.days[0], self.days[-1]] * 2,
        )
        if rows:
            listed = ", ".join(f"{d} ({c}/{r})" for d, c, r in rows[:5])
            self.progress.message(
                "warn",
                f"{CONTEXT_MODEL} holds fewer than {pct:g} % of {CONTEXT_REFERENCE}'s players on {len(rows)} "
                f"date(s): {listed}{' …' if len(rows) > 5 else ''}. Stale or partial rows: re-run "
                f"`nba-pipeline backfill --select {CONTEXT_MODEL} --no-resume --dates ...` for them; Phase 4 "
                "otherwise falls back to a context built from player_game_summary.",
            )

    def _dates_with_rows(self, relation: str, column: str, days: Sequence[dt.date]) -> set[dt.date]:
        if not days or not self.store.relation_exists(relation):
            return set()
        rows = self.store.query(
            f"select distinct {column} from {relation} where {column} between ? and ?", [days[0], days[-1]]
        )
        return {r[0] for r in rows}

    def _source_dates(self, relation: str, days: Sequence[dt.date]) -> set[dt.date] | None:
        if not self.store.relation_exists(relation) or "game_date" not in self.store.columns(relation):
            return None
        return self._dates_with_rows(relation, "game_date", days)

    def _chunks(self, model: DateModel, runnable: Sequence[dt.date], calendar: Calendar) -> list[Chunk]:
        """Chunks of the dates to run; every other game date of the run keeps its rows."""
        keep = {d for d in calendar.game_dates if self.days[0] <= d <= self.days[-1]} - set(runnable)
        return planner.split_chunks(model.name, runnable, keep, self.request.chunk_days)

    def _print_plan(self, plans: list[ModelPlan], calendar: Calendar) -> None:
        rows = []
        for p in plans:
            chunks = self._chunks(p.model, p.todo, calendar)
            counts = Counter(p.skipped.values())
            rows.append((p.model.phase, p.model.name, len(self.days), len(p.todo), len(p.done),
                         counts[SKIPPED_NO_GAMES], counts[SKIPPED_BOOTSTRAP], len(chunks)))
        span = f"{self.days[0]}..{self.days[-1]}"
        self.console.table(
            f"Backfill plan {span}{' (dry run)' if self.request.dry_run else ''}, run {self.run_id}",
            ["phase", "model", "days", "to do", "done already", "no games", "bootstrap", "chunks"],
            rows,
        )

    def _print_readiness(self, plans: list[ModelPlan], calendar: Calendar) -> None:
        """The dry run's per-date readiness: each Phase 4 / feature date to do, judged on its own
        window (the Phase 3 dates this run would build count as there)."""
        planned = {d for p in plans if p.model.phase == "phase3" for d in p.todo}
        rows = []
        for p in plans:
            if p.model.phase == "phase3" or not p.todo:
                continue
            not_ready = self._not_ready(p.model, calendar, p.todo, planned)
            first = min(not_ready, default=None)
            rows.append((p.model.phase, p.model.name, len(p.todo), len(p.todo) - len(not_ready), len(not_ready),
                         f"{first}: {not_ready[first]}" if first else ""))
        if rows:
            self.console.table(
                "Readiness per date: Phase 3 in each date's own window "
                f"(≥ {float(self.vars.get('phase3_ready_pct', 95)):g} % of its game dates)",
                ["phase", "model", "dates", "ready", "not ready", "first not ready"],
                rows,
            )

    # -- execution ----------------------------------------------------------------------------
    def _start_run_row(self, holder: LockHolder) -> None:
        self.store.ensure_tables()
        r = self.request
        self.store.start_run({
            "run_id": self.run_id,
            "command_line": r.command_line,
            "selection": ",".join(m.name for m in self.selected),
            "start_date": self.days[0],
            "end_date": self.days[-1],
            "options": (f"resume={r.resume} force={r.force} include_bootstrap={r.include_bootstrap} "
                        f"chunk_days={r.chunk_days} fail_fast={r.fail_fast} dates={len(r.dates) or 'range'}"),
            "host": holder.host,
            "pid": holder.pid,
            "status": RUNNING,
            "log_path": str(self.outcome.log_path),
            "started_at": _now(),
        })

    def _record_skips(self, plans: list[ModelPlan], ledger: dict[str, dict[dt.date, str]]) -> None:
        rows = [
            LedgerRow(p.model.name, day, status, self.run_id, reason=_skip_reason(status), finished_at=_now())
            for p in plans
            for day, status in p.skipped.items()
            if ledger.get(p.model.name, {}).get(day) != status
        ]
        self.store.write_ledger(rows)
        self._count(rows)

    def _run_models(self, plans, calendar: Calendar, ledger, missing) -> None:
        phase_started: dict[str, float] = {}
        for plan in plans:
            model = plan.model
            if self._stop:
                break
            phase_started.setdefault(model.phase, time.monotonic())
            todo = set(plan.todo)
            if model.sources:  # raw rows changed since an earlier run counted (and built) them
                todo |= self.raw_changed & set(plan.done)
            # cascade: dates whose windows read an upstream date rewritten in this run
            cascade = planner.cascade_dates(model, self.rerun, plan.done)
            todo |= cascade
            bad_upstream = self._bad_upstream(model, ledger, missing)
            blocked = planner.blocked_dates(model, bad_upstream, todo)  # the same dates only
            for day, reason in self._not_ready(model, calendar, todo - set(blocked)).items():
                blocked.setdefault(day, reason)
            self._write_blocked(model, blocked)
            runnable = sorted(todo - set(blocked))
            self.incomplete[model.name] = self._incomplete(model, bad_upstream, runnable)
            chunk_list = self._chunks(model, runnable, calendar)
            self.progress.model_started(model.phase, model.name, len(runnable))
            model_started = time.monotonic()
            for chunk in chunk_list:
                self._run_chunk(model, chunk)
                if self._stop:
                    break
            self.progress.model_finished(model.name, time.monotonic() - model_started if chunk_list else 0.0)
            self.outcome.phase_seconds[model.phase] = time.monotonic() - phase_started[model.phase]

    def _build_phase_views(self) -> None:
        """Build the phases' models that have no date (e.g. the ml_training_set view), with their tests.

        They read the date models whole, so they are built once at the end of the run, and only
        when nothing stopped it. A view over a date model that has no table yet (every one of its
        dates blocked, never built) is left alone: building it would only fail for a cause the run
        already reports.
        """
        if self._stop or not self.outcome.chunks_run:
            return
        phases = {m.phase for m in self.selected}
        ready, waiting = [], []
        for name, (phase, reads) in sorted(self.project.views.items()):
            if phase not in phases:
                continue
            absent = [m for m in reads if not self.store.relation_exists(self.project.models[m].relation_name)]
            (waiting if absent else ready).append((name, absent))
        for name, absent in waiting:
            self.progress.message("info", f"{name} not built: {', '.join(absent)} has no table yet")
        if not ready:
            return
        outcome = self.dbt.build(select=[name for name, _ in ready], exclude=[UNIT_TESTS], log_level="none")
        failed = [f"{n.name} ({n.status})" for n in outcome.failed_nodes]
        if outcome.error or failed:
            self.view_errors.append(
                f"the phases' views did not build: {outcome.error or ', '.join(failed[:5])}")
            self.progress.message("error", self.view_errors[-1])

    def _bad_upstream(self, model: DateModel, ledger, missing) -> dict[str, dict[dt.date, str]]:
        out: dict[str, dict[dt.date, str]] = {}
        selected = {m.name for m in self.selected}
        for upstream in model.upstream:
            if upstream in selected:
                out[upstream] = self.bad.get(upstream, {})
            else:
                previous = {d: f"{s} in an earlier run" for d, s in ledger.get(upstream, {}).items() if s in BAD}
                if not self.request.force:
                    previous.update(missing.get(upstream, {}))
                out[upstream] = previous
        return out

    def _not_ready(self, model: DateModel, calendar: Calendar, days: Iterable[dt.date],
                   planned: Iterable[dt.date] = ()) -> dict[dt.date, str]:
        """Phase 4 and feature dates whose own window is not ready (domain.md §6.4, judged per
        date): Phase 3 holds rows on fewer than phase3_ready_pct % of the non-bootstrap game dates
        in the date's window. A Phase 3 date that failed or was blocked counts as accounted for (the
        dates reading it are built and flagged, see _incomplete); `planned` are Phase 3 dates
        the run will build (the dry run)."""
        if model.phase == "phase3" or self.request.force or not days:
            return {}
        days = sorted(days)
        # production's expected dates: the schedule's game dates minus the season bootstrap days
        games = {d for d in calendar.game_dates - calendar.bootstrap_dates if d <= days[-1]}
        present = self._phase3_dates(days[0] - dt.timedelta(days=model.window_days), days[-1])
        ready = set.intersection(*present.values()) if present else set()
        for m in self.project.in_phase("phase3"):
            ready |= set(self.bad.get(m.name, {}))
        ready |= set(planned)
        pct = float(self.vars.get("phase3_ready_pct", 95))
        out = {}
        for day, short in planner.window_readiness(model, games, ready, days, pct).items():
            lacking = [name for name, dates in present.items() if short.missing[0] not in dates]
            out[day] = f"Phase 3 {short.describe()} (no rows there in {', '.join(lacking)})"
        return out

    def _phase3_dates(self, first: dt.date, last: dt.date) -> dict[str, set[dt.date]]:
        """The dates each Phase 3 table holds rows on (cached until Phase 3 is rewritten)."""
        key = (first, last, tuple(len(self.rerun.get(m.name, ())) for m in self.project.in_phase("phase3")))
        if self._ready_cache.get("key") != key:
            self._ready_cache = {"key": key, "dates": {
                m.name: self._dates_with_rows(m.relation_name, m.date_column, [first, last])
                for m in self.project.in_phase("phase3")}}
        return self._ready_cache["dates"]

    def _incomplete(self, model: DateModel, bad_upstream, runnable: Sequence[dt.date]) -> dict[dt.date, str]:
        """The ledger note of each date to build whose window reads a failed or blocked upstream
        date: which date, and whether the window read its last published rows or went without."""
        hits = planner.incomplete_windows(model, bad_upstream, runnable)
        published: dict[str, set[dt.date]] = {}
        notes: dict[dt.date, str] = {}
        for day, misses in hits.items():
            parts = []
            for upstream, bad_day in misses[:3]:
                if upstream not in published:
                    up = self.project.models[upstream]
                    bad_days = sorted(bad_upstream[upstream])
                    published[upstream] = self._dates_with_rows(up.relation_name, up.date_column,
                                                                 [bad_days[0], bad_days[-1]])
                kept = ("its last published rows read" if bad_day in published[upstream]
                        else "no published rows, read without them")
                parts.append(f"{upstream} {bad_day} {self._status_of(upstream, bad_day)} ({kept})")
            notes[day] = f"{planner.INCOMPLETE_WINDOW}: " + "; ".join(parts) + (" …" if len(misses) > 3 else "")
        return notes

    def _status_of(self, model: str, day: dt.date) -> str:
        """How an upstream date went bad: failed or blocked in this run, else the pre-flight's or the
        ledger's words ("failed in an earlier run", "no … rows on this date")."""
        if day in self.outcome.failed.get(model, {}):
            return FAILED
        if day in self.outcome.blocked.get(model, {}):
            return BLOCKED
        return self.bad.get(model, {}).get(day) or FAILED

    def _write_blocked(self, model: DateModel, blocked: dict[dt.date, str]) -> None:
        if not blocked:
            return
        rows = [LedgerRow(model.name, d, BLOCKED, self.run_id, reason=r, finished_at=_now())
                for d, r in sorted(blocked.items())]
        self.store.write_ledger(rows)
        self.bad[model.name].update(blocked)
        self.outcome.blocked.setdefault(model.name, {}).update(blocked)
        self._count(rows)

    def _run_chunk(self, model: DateModel, chunk: Chunk) -> None:
        crashpoints.reached("chunk")
        started_at = _now()
        t0 = time.monotonic()
        self.progress.chunk_started(model.name, chunk.label, len(chunk.dates))
        self.store.write_ledger([LedgerRow(model.name, d, RUNNING, self.run_id, started_at=started_at)
                                 for d in chunk.dates])
        chunk_vars = {
            "start_date": chunk.start.isoformat(),
            "end_date": chunk.end.isoformat(),
            "include_bootstrap": self.request.include_bootstrap,
            "wap_audit": model.name,  # write-audit-publish: the chunk's rows go to the audit twin
        }
        self._ensure_public_table(model)
        outcome = self._build_with_failures(model, chunk_vars)
        crashpoints.reached("built")
        verdict = judge_chunk(outcome, model.name, chunk.dates, self._read_failures, model.date_column)
        for day, note in self._quarantined_on(model, sorted(verdict.failed)).items():
            verdict.failed[day] += f"; {note}"
        audit = self._audit(model)
        built = not outcome.error and any(
            n.resource_type == "model" and n.name == model.name and n.status in ("success", "pass")
            for n in outcome.nodes) and self.store.relation_exists(audit)
        numbers = self._numbers(model, chunk, audit) if built else {}  # a model whose SQL failed wrote nothing
        if built:  # only the dates whose gates passed become visible; a failed date keeps its public rows
            self.store.publish(model.relation_name, audit, model.date_column,
                               [d for d in chunk.dates if d not in verdict.failed])
        finished_at = _now()
        rows = []
        for day in chunk.dates:
            written, expected, pct = numbers.get(day, (0, None, None))
            if day in verdict.coverage:  # the failing coverage test's numbers explain the failure
                expected, pct = verdict.coverage[day]
            if day in verdict.failed:
                status, reason = FAILED, verdict.failed[day]
            else:
                status = SUCCEEDED
                warnings = verdict.warnings.get(day)
                notes = [self.incomplete.get(model.name, {}).get(day)]
                notes.append(("warning: " + "; ".join(warnings)) if warnings else None)
                reason = " | ".join(n for n in notes if n) or None
                if notes[0]:
                    self.outcome.incomplete.setdefault(model.name, {})[day] = notes[0]
            rows.append(LedgerRow(model.name, day, status, self.run_id, written, expected, pct, reason,
                                  started_at, finished_at))
        self.store.write_ledger(rows)
        self.rerun[model.name].update(chunk.dates)
        if verdict.failed:
            self.bad[model.name].update(verdict.failed)
            self.outcome.failed.setdefault(model.name, {}).update(verdict.failed)
            if self.request.fail_fast:
                self._stop = True
        self.outcome.chunks_run += 1
        counts = self._count(rows)
        self.progress.chunk_finished(model.name, chunk.label, counts, time.monotonic() - t0)

    def _audit(self, model: DateModel) -> str:
        """The model's audit twin, where its chunks are written and judged before publishing."""
        return audit_relation(model.relation_name, str(self.vars.get("wap_audit_schema") or "nba_audit"))

    def _ensure_public_table(self, model: DateModel) -> None:
        """A model's public table exists before its first publish: created empty by dbt (its
        columns and, on BigQuery, its partitioning and clustering), never from unpassed rows."""
        if self.store.relation_exists(model.relation_name):
            return
        outcome = self.dbt.run(select=[model.name], empty=True, log_level="none",
                               vars={"start_date": self.days[0].isoformat(), "end_date": self.days[-1].isoformat()})
        raise_for_outcome(outcome, f"creating the empty public table of {model.name}")

    def _build_with_failures(self, model: DateModel, chunk_vars: dict[str, Any]) -> DbtOutcome:
        """The model and its tests for the chunk; the gates read the rows of the tests that failed
        or warned. Those rows are stored (--store-failures) by a second invocation of just those
        tests, so that a chunk whose tests all pass (the usual case) creates no table per test."""
        outcome = self.dbt.build(
            select=[model.name],
            vars=chunk_vars,
            exclude=[UNIT_TESTS],
            log_level="none",  # the runner reports failures itself; dbt's file log keeps everything
        )
        flagged = [n for n in outcome.nodes if n.resource_type == "test" and n.status in ("fail", "warn")]
        if outcome.error or not flagged:
            return outcome
        stored = self.dbt.build(select=[n.name for n in flagged], vars=chunk_vars, store_failures=True,
                                exclude=[UNIT_TESTS], log_level="none")
        if stored.error:
            return DbtOutcome(outcome.args, outcome.exit_code, outcome.nodes,
                              error=f"storing the failing rows of {', '.join(n.name for n in flagged)}: {stored.error}")
        again = {n.unique_id: n for n in stored.nodes}
        return DbtOutcome(outcome.args, outcome.exit_code, [again.get(n.unique_id, n) for n in outcome.nodes])

    def _quarantined_on(self, model: DateModel, days: Sequence[dt.date]) -> dict[dt.date, str]:
        """For failed dates: the raw rows of the model's sources quarantined on each, by table and
        reason, so that a date below its coverage gate says which rows staging kept out."""
        relation = self.project.relations.get(QUARANTINE_MODEL)
        tables = sorted({_short_relation(s).split(".")[-1] for s in model.sources})
        if not days or not tables or relation is None or not self.store.relation_exists(relation):
            return {}
        marks = ", ".join("?" for _ in days)
        names = ", ".join("?" for _ in tables)
        rows = self.store.query(
            f"select game_date, source_table, reason, count(*) from {relation} "
            f"where game_date in ({marks}) and source_table in ({names}) group by 1, 2, 3 order by 1, 2, 3",
            [*days, *tables])
        per_day: dict[dt.date, dict[str, list[tuple[str, int]]]] = defaultdict(lambda: defaultdict(list))
        for day, table, reason, n in rows:
            per_day[as_date(day)][table].append((reason, int(n)))
        return {
            day: "quarantined raw rows on this date: " + "; ".join(
                f"{table} {sum(n for _, n in reasons)} ({', '.join(f'{r} {n}' for r, n in reasons)})"
                for table, reasons in sorted(tables_.items()))
            for day, tables_ in per_day.items()
        }

    def _read_failures(self, relation: str) -> list[dict[str, Any]]:
        if not self.store.relation_exists(relation):
            return []
        cols = self.store.columns(relation)
        return [dict(zip(cols, r)) for r in self.store.query(f"select * from {relation}")]

    def _numbers(self, model: DateModel, chunk: Chunk, audit: str) -> dict[dt.date, tuple[int, int | None, float | None]]:
        """Rows the chunk built per date (in the audit twin, published or not), and expected rows /
        coverage from the model's coverage gate, measured on those same rows."""
        params = [chunk.start, chunk.end]
        written = dict(self.store.query(
            f"select {model.date_column}, count(*) from {audit} "
            f"where {model.date_column} between ? and ? group by 1", params))
        coverage: dict[dt.date, tuple[int, float | None]] = {}
        sql = self._coverage(model)
        if sql:
            sql = sql.replace(model.relation_name, audit)
        if sql:
            for day, expected, pct in self.store.query(
                f"select test_date, rows_expected, coverage_pct from ({sql}) as coverage "
                "where test_date between ? and ?", params):
                coverage[day] = (int(expected), None if pct is None else float(pct))
        return {
            day: (int(written.get(day, 0)), *coverage.get(day, (0, None) if sql else (None, None)))
            for day in chunk.dates
        }

    def _coverage(self, model: DateModel) -> str | None:
        """The model's coverage gate as SQL (test_date, rows_found, rows_expected, coverage_pct).

        An inline compile costs ≈ 0.8 s (one per model was a fifth of a daily run): the gates of
        every selected model whose table exists are compiled at once. A model without a table
        then (the first run) compiles its own with those built since."""
        if not model.coverage_call:
            return None
        if model.name not in self._coverage_sql:
            self._coverage_sql.update(self.dbt.compile_inline_many({
                m.name: m.coverage_call for m in self.selected
                if m.coverage_call and m.name not in self._coverage_sql
                and (m.name == model.name or self.store.relation_exists(m.relation_name))}))
        return self._coverage_sql[model.name]

    def _count(self, rows: Sequence[LedgerRow]) -> dict[str, int]:
        counts = dict(Counter(r.status for r in rows))
        for status, n in counts.items():
            self.outcome.counts[status] = self.outcome.counts.get(status, 0) + n
        return counts

    # -- end ------------------------------------------------------------------------------------
    def _finish(self, started: float) -> None:
        names = [m.name for m in self.selected]
        final = Counter(r.status for r in self.store.read_ledger(names, self.days[0], self.days[-1])
                        if r.date in set(self.days))
        bad = final[FAILED] + final[BLOCKED] + final[RUNNING]
        self.outcome.exit_code = EXIT_FAILED if bad or self._stop or self.view_errors else EXIT_OK
        errors = list(self.view_errors)
        for name, dates in self.outcome.failed.items():
            days = sorted(dates)
            errors.append(f"{name}: {len(days)} date(s) failed ({_first(days, 5)}): {dates[days[0]]}")
        crashpoints.reached("run_finish")
        self.store.finish_run(self.run_id, {
            "status": "failed" if self.outcome.exit_code else SUCCEEDED,
            "succeeded": self.outcome.counts.get(SUCCEEDED, 0),
            "failed": self.outcome.counts.get(FAILED, 0),
            "blocked": self.outcome.counts.get(BLOCKED, 0),
            "skipped": self.outcome.counts.get(SKIPPED_NO_GAMES, 0) + self.outcome.counts.get(SKIPPED_BOOTSTRAP, 0),
            "duration_seconds": round(time.monotonic() - started, 2),
            "errors": "\n".join(errors) or None,
            "finished_at": _now(),
        })
        phases = ", ".join(f"{p} {s:.1f}s" for p, s in self.outcome.phase_seconds.items())
        self.progress.event("run_finished", run_id=self.run_id, exit_code=self.outcome.exit_code,
                            seconds=round(self.outcome.seconds, 2), phase_seconds=self.outcome.phase_seconds,
                            counts=self.outcome.counts)
        self.console.table(
            f"Backfill run {self.run_id}: (model, date) written this run",
            ["status", "count"],
            sorted(self.outcome.counts.items()),
        )
        log = f"; full log: {self.outcome.log_path}" if self.outcome.log_path else ""
        self._notify("failed" if self.outcome.exit_code else SUCCEEDED, self.outcome.exit_code, self.view_errors)
        if self.outcome.exit_code:
            for line in errors:
                self.console.error(line)
            for name, dates in self.outcome.blocked.items():
                days = sorted(dates)
                self.console.warn(f"{name}: {len(days)} date(s) blocked ({_first(days, 5)}): {dates[days[0]]}")
        for name, dates in self.outcome.incomplete.items():
            days = sorted(dates)
            self.console.warn(f"{name}: {len(days)} date(s) built on an incomplete window ({_first(days, 5)}): "
                              f"{dates[days[0]]}")
        if self.outcome.exit_code:
            raise PipelineError(
                f"backfill {self.run_id}: {final[FAILED]} (model, date) failed, {final[BLOCKED]} blocked"
                f"{', stopped at the first failure (--fail-fast)' if self._stop else ''}; "
                f"`nba-pipeline status` lists them{log}"
            )
        self.console.success(
            f"backfill {self.run_id}: {self.outcome.chunks_run} chunk(s) in {self.outcome.seconds:.1f}s"
            f"{' (' + phases + ')' if phases else ''}; every selected model × date succeeded or was skipped{log}"
        )

    def _notify(self, status: str, exit_code: int, errors: Sequence[str]) -> None:
        """The end-of-run message (--notify); sent or not, it never changes the run's outcome.

        What became of it (host, status, detail) goes to the run row and the run's log.
        """
        url = self.request.notify_url
        if not url:
            return
        # errors without a date (a crash, the phase views) first, then the failed and blocked dates
        items = [notify.Item("run", "error", line) for line in errors]
        items += notify.ledger_items(self.outcome.failed, self.outcome.blocked)
        message = notify.Message(
            kind="backfill",
            run_id=self.run_id,
            command=self.request.command_line or "nba-pipeline backfill",
            target=self.settings.target,
            start_date=self.days[0].isoformat(),
            end_date=self.days[-1].isoformat(),
            status=status,
            exit_code=exit_code,
            counts=dict(sorted(self.outcome.counts.items())),
            items=items[:notify.MAX_ITEMS],
            items_total=len(items),
            log_path=str(self.outcome.log_path) if self.outcome.log_path else None,
        )
        delivery = notify.notify(url, message, self.console, self.request.notify_on)
        try:
            self.store.finish_run(self.run_id, delivery.record())
            self.progress.event("notification", **delivery.record())
        except Exception as exc:
            self.console.warn(f"could not record the notification in the run history: {type(exc).__name__}: {exc}")


    def _suggest_cascade(self, ledger: dict[str, dict[dt.date, str]]) -> None:
        """After a re-backfill of Phase 3 dates, print the cascade that refreshes the rows reading them."""
        from runner.backfill.planner import cascade_suggestion as suggestion

        phase3 = [m.name for m in self.project.in_phase("phase3")]
        redone = sorted({d for name in phase3 for d in self.rerun.get(name, ())
                         if ledger.get(name, {}).get(d) == SUCCEEDED})
        if not redone:
            return
        # rows this run did not rewrite: after the run's last day for the models it ran, after
        # the first redone date for the others (a full re-backfill of a range needs no cascade)
        later = any(
            self.store.relation_exists(m.relation_name) and self.store.query(
                f"select count(*) from {m.relation_name} where {m.date_column} > ?",
                [self.days[-1] if self.rerun.get(m.name) else redone[0]])[0][0]
            for m in self.project.models.values() if m.phase != "phase3"
        )
        command = suggestion(self.rerun, ledger, phase3, later)
        if command:
            self.console.warn(f"Phase 3 dates were rewritten after they had succeeded; later Phase 4 and "
                              f"feature rows may read them. Check and refresh them with: {command} "
                              "(then without --dry-run)")


def _print_profile(console: Console, parts: list[tuple[str, float]], timings: Timings) -> None:
    total = sum(seconds for _, seconds in parts) or 1.0
    console.table(
        f"Where the time went ({timings.counts['dbt invocations']} dbt invocation(s); "
        "compile and SQL as dbt times its nodes)",
        ["part", "seconds", "share"],
        [(part, f"{seconds:.2f}", f"{100 * seconds / total:.0f} %") for part, seconds in parts]
        + [("total", f"{total:.2f}", "100 %")],
    )


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _skip_reason(status: str) -> str:
    return "no final game on this date" if status == SKIPPED_NO_GAMES else "season bootstrap day (first days of a season)"


def _first(days: Sequence[dt.date], n: int = 3) -> str:
    shown = ", ".join(str(d) for d in days[:n])
    return shown + (" …" if len(days) > n else "") if days else ""


def _short_relation(relation: str) -> str:
    return ".".join(p.strip('"`') for p in relation.split(".")[-2:])

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
from collections.abc import Callable, Sequence

from runner.backfill import bookkeeping, cost, crashpoints, execute, plan, planner, queries, report
from runner.backfill.planner import SUCCEEDED, Calendar, ModelPlan
from runner.backfill.progress import Progress, RunLog
from runner.backfill.run import (  # noqa: F401  (CALENDAR_SQL, short_relation: read by tests from here)
    ACCOUNTING_SELECTOR,
    CALENDAR_SQL,
    PARSE_PER_CHUNK,
    UNIT_TESTS,
    BackfillOutcome,
    BackfillRequest,
    RunState,
    utc_now,
)
from runner.backfill.run import short_relation as _short_relation  # noqa: F401
from runner.backfill.store import LockHolder, Store, open_store
from runner.config import Settings
from runner.console import Console, JsonConsole
from runner.dbt import Dbt, DbtRunner, raise_for_outcome
from runner.errors import EXIT_FAILED, EXIT_OK, UsageError
from runner.inputs import check_names
from runner.profile import Timed, Timings, process_age, split
from runner.project import load_project
from runner.services import notify

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
    project = load_project(dbt.manifest, settings.project_dir)
    selected = project.select(list(request.select))
    store = (store_factory or open_store)(settings)
    if request.json_events:
        console = JsonConsole(console)
    now = dt.datetime.now(dt.UTC)
    run_id = f"{now:%Y%m%dT%H%M%S}-{os.getpid()}-{uuid.uuid4().hex[:4]}"
    run = RunState(settings, console, request, days, dbt, project, selected, Timed(store, timings, STORE_PARTS),
                   run_id, BackfillOutcome(run_id, EXIT_OK, dry_run=request.dry_run))
    try:
        return _execute(run)
    finally:
        store.close()
        run.outcome.profile = split(time.monotonic() - started, timings, process_start)
        if request.profile:
            report.print_profile(console, run.outcome.profile, timings)


def _execute(run: RunState) -> BackfillOutcome:
    started = time.monotonic()
    holder = LockHolder.current(run.run_id)
    log = None
    if not run.request.dry_run:
        previous = run.store.acquire_lock(holder)
        if previous is not None:
            run.console.warn(f"took over the lock left by a process that is gone: {previous.describe()}")
    try:
        if not run.request.dry_run:
            log = RunLog(run.settings.project_dir / "logs" / f"backfill-{run.run_id}.log")
            run.outcome.log_path = log.path
        with Progress(run.console, log) as progress:
            run.progress = progress
            _prepare(run)
            calendar = queries.read_calendar(run)
            ledger = queries.read_ledger(run)
            plans = [
                planner.plan_model(m, run.days, calendar, ledger.get(m.name, {}),
                                   run.request.resume, run.request.include_bootstrap)
                for m in run.selected
            ]
            missing = queries.preflight(run, plans, calendar)
            plan.print_plan(run, plans, calendar)
            if run.request.dry_run:
                plan.print_readiness(run, plans, calendar)
                if not run.settings.is_embedded:  # BigQuery: bytes each chunk would scan
                    chunks = [c for p in plans for c in plan.chunks_of(run, p.model, p.todo, calendar)]
                    cost.preflight(run.console, run.settings, chunks, run.dbt.compile_models)
                run.console.success("dry run: nothing was written")
                return run.outcome
            bookkeeping.start_run_row(run, holder)
            try:
                bookkeeping.record_skips(run, plans, ledger)
                _run_models(run, plans, calendar, ledger, missing)
                execute.build_phase_views(run)
            except BaseException as exc:  # a crash or Ctrl-C: the run row says so (dates stay 'running')
                status = "interrupted" if isinstance(exc, KeyboardInterrupt) else "error"
                run.store.finish_run(run.run_id, {
                    "status": status,
                    "errors": f"{type(exc).__name__}: {exc}", "finished_at": utc_now(),
                    "duration_seconds": round(time.monotonic() - started, 2)})
                _notify(run, status, 130 if status == "interrupted" else getattr(exc, "exit_code", EXIT_FAILED),
                        [f"{type(exc).__name__}: {exc}"])
                raise
        run.outcome.seconds = time.monotonic() - started
        final, errors = bookkeeping.finish(run, started)
        report.print_counts(run)
        _notify(run, "failed" if run.outcome.exit_code else SUCCEEDED, run.outcome.exit_code, run.view_errors)
        report.print_end(run, final, errors)
        report.suggest_cascade(run, ledger)
        return run.outcome
    finally:
        if not run.request.dry_run:
            run.store.release_lock(holder)
        if log is not None:
            log.close()


def _prepare(run: RunState) -> None:
    """Staging, the quarantine and the raw-row accounting for the run's dates, then the other
    non-date nodes the selection reads (views, seeds), without tests; then the accounting gate.

    The accounting models are built by date (macros/staging/raw_accounting.sql): the run's
    first to last day, plus the undated and future-dated raw rows. Every raw row of the range
    is then staged, excluded, quarantined with its reason, or superseded, and counted; a table
    and date whose counts do not balance stops the run before any phase.
    """
    if run.request.dry_run:
        return
    started = time.monotonic()
    run.raw_changed = queries.raw_changed_dates(run)
    span = {"start_date": run.days[0].isoformat(), "end_date": run.days[-1].isoformat()}
    if queries.adapter_type(run) in PARSE_PER_CHUNK:
        run.dbt.parse(vars=span)  # the accounting's partitions are rendered at parse time
    date_models = list(run.project.models)
    run.progress.message("info", f"staging and raw-row accounting {run.days[0]}..{run.days[-1]}")
    outcome = run.dbt.build(
        select=[f"+{ACCOUNTING_SELECTOR}", *[f"+{m.name}" for m in run.selected]],
        exclude=[*date_models, "resource_type:test", UNIT_TESTS],
        vars=span,
        log_level="none",
    )
    raise_for_outcome(outcome, "building staging and the raw-row accounting")
    queries.check_accounting(run)
    run.outcome.phase_seconds["staging"] = time.monotonic() - started


def _run_models(run: RunState, plans: list[ModelPlan], calendar: Calendar, ledger: dict[str, dict[dt.date, str]],
                missing: dict[str, dict[dt.date, str]]) -> None:
    """Each model in dependency order: its dates to do, blocked or run in chunks."""
    phase_started: dict[str, float] = {}
    for model_plan in plans:
        model = model_plan.model
        if run.stop:
            break
        phase_started.setdefault(model.phase, time.monotonic())
        todo = set(model_plan.todo)
        if model.sources:  # raw rows changed since an earlier run counted (and built) them
            todo |= run.raw_changed & set(model_plan.done)
        # cascade: dates whose windows read an upstream date rewritten in this run
        cascade = planner.cascade_dates(model, run.rerun, model_plan.done)
        todo |= cascade
        bad_upstream = plan.bad_upstream_dates(run, model, ledger, missing)
        blocked = planner.blocked_dates(model, bad_upstream, todo)  # the same dates only
        for day, reason in plan.not_ready_dates(run, model, calendar, todo - set(blocked)).items():
            blocked.setdefault(day, reason)
        bookkeeping.write_blocked(run, model, blocked)
        runnable = sorted(todo - set(blocked))
        run.incomplete[model.name] = plan.incomplete(run, model, bad_upstream, runnable)
        chunk_list = plan.chunks_of(run, model, runnable, calendar)
        run.progress.model_started(model.phase, model.name, len(runnable))
        model_started = time.monotonic()
        for chunk in chunk_list:
            execute.run_chunk(run, model, chunk)
            if run.stop:
                break
        run.progress.model_finished(model.name, time.monotonic() - model_started if chunk_list else 0.0)
        run.outcome.phase_seconds[model.phase] = time.monotonic() - phase_started[model.phase]


def _notify(run: RunState, status: str, exit_code: int, errors: Sequence[str]) -> None:
    """The end-of-run message (--notify); sent or not, it never changes the run's outcome.

    What became of it (host, status, detail) goes to the run row and the run's log.
    """
    url = run.request.notify_url
    if not url:
        return
    # errors without a date (a crash, the phase views) first, then the failed and blocked dates
    items = [notify.Item("run", "error", line) for line in errors]
    items += notify.ledger_items(run.outcome.failed, run.outcome.blocked)
    message = notify.Message(
        kind="backfill",
        run_id=run.run_id,
        command=run.request.command_line or "nba-pipeline backfill",
        target=run.settings.target,
        start_date=run.days[0].isoformat(),
        end_date=run.days[-1].isoformat(),
        status=status,
        exit_code=exit_code,
        counts=dict(sorted(run.outcome.counts.items())),
        items=items[:notify.MAX_ITEMS],
        items_total=len(items),
        log_path=str(run.outcome.log_path) if run.outcome.log_path else None,
    )
    delivery = notify.notify(url, message, run.console, run.request.notify_on)
    try:
        run.store.finish_run(run.run_id, delivery.record())
        run.progress.event("notification", **delivery.record())
    except Exception as exc:
        run.console.warn(f"could not record the notification in the run history: {type(exc).__name__}: {exc}")

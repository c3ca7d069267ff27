"""One chunk, write-audit-publish: the model and its tests built into the audit twin, each date judged
by its gates, the passing dates published, the ledger rows written; and the phases' views at the end."""
from __future__ import annotations

import datetime as dt
import time
from typing import Any

from runner.backfill import bookkeeping, crashpoints, gate_sql, queries
from runner.backfill.gates import judge_chunk
from runner.backfill.planner import FAILED, RUNNING, SUCCEEDED, Chunk
from runner.backfill.run import UNIT_TESTS, RunState, utc_now
from runner.backfill.store import LedgerRow
from runner.dbt import DbtOutcome, raise_for_outcome
from runner.project import DateModel, audit_relation


def run_chunk(run: RunState, model: DateModel, chunk: Chunk) -> None:
    crashpoints.reached("chunk")
    started_at = utc_now()
    t0 = time.monotonic()
    run.progress.chunk_started(model.name, chunk.label, len(chunk.dates))
    run.store.write_ledger([LedgerRow(model.name, d, RUNNING, run.run_id, started_at=started_at)
                             for d in chunk.dates])
    chunk_vars = {
        "start_date": chunk.start.isoformat(),
        "end_date": chunk.end.isoformat(),
        "include_bootstrap": run.request.include_bootstrap,
        "wap_audit": model.name,  # write-audit-publish: the chunk's rows go to the audit twin
    }
    ensure_public_table(run, model)
    audit = audit_twin(run, model)
    gates = gate_sql.for_model(run, model)
    if gates is None:  # dbt's tests in the model's build
        outcome = build_with_failures(run, model, chunk_vars)
    else:  # the model alone, then its tests as SQL compiled once
        built_only = run.dbt.run(select=[model.name], vars=chunk_vars, log_level="none")
        outcome = gate_sql.judge_outcome(run, model, gates, built_only, chunk.start, chunk.end, audit)
    crashpoints.reached("built")
    verdict = judge_chunk(outcome, model.name, chunk.dates, lambda relation: queries.read_failures(run, relation),
                          model.date_column)
    for day, note in queries.quarantined_on(run, model, sorted(verdict.failed)).items():
        verdict.failed[day] += f"; {note}"
    built = not outcome.error and any(
        n.resource_type == "model" and n.name == model.name and n.status in ("success", "pass")
        for n in outcome.nodes) and run.store.relation_exists(audit)
    numbers = chunk_numbers(run, model, chunk, audit) if built else {}  # a model whose SQL failed wrote nothing
    if built:  # only the dates whose gates passed become visible; a failed date keeps its public rows
        run.store.publish(model.relation_name, audit, model.date_column,
                           [d for d in chunk.dates if d not in verdict.failed])
    finished_at = utc_now()
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
            notes = [run.incomplete.get(model.name, {}).get(day)]
            notes.append(("warning: " + "; ".join(warnings)) if warnings else None)
            reason = " | ".join(n for n in notes if n) or None
            if notes[0]:
                run.outcome.incomplete.setdefault(model.name, {})[day] = notes[0]
        rows.append(LedgerRow(model.name, day, status, run.run_id, written, expected, pct, reason,
                              started_at, finished_at))
    run.store.write_ledger(rows)
    run.rerun[model.name].update(chunk.dates)
    if verdict.failed:
        run.bad[model.name].update(verdict.failed)
        run.outcome.failed.setdefault(model.name, {}).update(verdict.failed)
        if run.request.fail_fast:
            run.stop = True
    run.outcome.chunks_run += 1
    counts = bookkeeping.count(run, rows)
    run.progress.chunk_finished(model.name, chunk.label, counts, time.monotonic() - t0)


def audit_twin(run: RunState, model: DateModel) -> str:
    """The model's audit twin, where its chunks are written and judged before publishing."""
    return audit_relation(model.relation_name, str(run.project.var("wap_audit_schema")))


def ensure_public_table(run: RunState, model: DateModel) -> None:
    """A model's public table exists before its first publish: created empty by dbt (its
    columns and, on BigQuery, its partitioning and clustering), never from unpassed rows.

    The first model without one creates, in one dbt invocation, the empty tables of every
    selected model still without one (a run from empty: one invocation instead of one per
    model). A model that invocation could not create (its upstream has no table) tries alone
    when its first chunk comes, and that attempt names the error."""
    if run.store.relation_exists(model.relation_name):
        return
    span = {"start_date": run.days[0].isoformat(), "end_date": run.days[-1].isoformat()}
    if not run.empty_tables_tried:
        run.empty_tables_tried = True
        missing = [m.name for m in run.selected if not run.store.relation_exists(m.relation_name)]
        if len(missing) > 1:
            run.dbt.run(select=missing, empty=True, log_level="none", vars=span)
            if run.store.relation_exists(model.relation_name):
                return
    outcome = run.dbt.run(select=[model.name], empty=True, log_level="none", vars=span)
    raise_for_outcome(outcome, f"creating the empty public table of {model.name}")


def build_with_failures(run: RunState, model: DateModel, chunk_vars: dict[str, Any]) -> DbtOutcome:
    """The model and its tests for the chunk; the gates read the rows of the tests that failed
    or warned. Those rows are stored (--store-failures) by a second invocation of just those
    tests, so that a chunk whose tests all pass (the usual case) creates no table per test."""
    outcome = run.dbt.build(
        select=[model.name],
        vars=chunk_vars,
        exclude=[UNIT_TESTS],
        log_level="none",  # the runner reports failures itself; dbt's file log keeps everything
    )
    flagged = [n for n in outcome.nodes if n.resource_type == "test" and n.status in ("fail", "warn")]
    if outcome.error or not flagged:
        return outcome
    stored = run.dbt.build(select=[n.name for n in flagged], vars=chunk_vars, store_failures=True,
                            exclude=[UNIT_TESTS], log_level="none")
    if stored.error:
        return DbtOutcome(outcome.args, outcome.exit_code, outcome.nodes,
                          error=f"storing the failing rows of {', '.join(n.name for n in flagged)}: {stored.error}")
    again = {n.unique_id: n for n in stored.nodes}
    return DbtOutcome(outcome.args, outcome.exit_code, [again.get(n.unique_id, n) for n in outcome.nodes])


def chunk_numbers(run: RunState, model: DateModel, chunk: Chunk, audit: str) -> dict[dt.date, tuple[int, int | None, float | None]]:
    """Rows the chunk built per date (in the audit twin, published or not), and expected rows /
    coverage from the model's coverage gate, measured on those same rows."""
    params = [chunk.start, chunk.end]
    written = dict(run.store.query(
        f"select {model.date_column}, count(*) from {audit} "
        f"where {model.date_column} between ? and ? group by 1", params))
    coverage: dict[dt.date, tuple[int, float | None]] = {}
    sql = coverage_gate(run, model)
    if sql:
        sql = sql.replace(model.relation_name, audit)
    if sql:
        for day, expected, pct in run.store.query(
            f"select test_date, rows_expected, coverage_pct from ({sql}) as coverage "
            "where test_date between ? and ?", params):
            coverage[day] = (int(expected), None if pct is None else float(pct))
    return {
        day: (int(written.get(day, 0)), *coverage.get(day, (0, None) if sql else (None, None)))
        for day in chunk.dates
    }


def coverage_gate(run: RunState, model: DateModel) -> str | None:
    """The model's coverage gate as SQL (test_date, rows_found, rows_expected, coverage_pct).

    An inline compile costs ≈ 0.8 s (one per model was a fifth of a daily run): the gates of
    every selected model whose table exists are compiled at once. A model without a table
    then (the first run) compiles its own with those built since."""
    if not model.coverage_call:
        return None
    if model.name not in run.coverage_sql:
        run.coverage_sql.update(gate_sql.compile_once(run, {
            m.name: m.coverage_call for m in run.selected
            if m.coverage_call and m.name not in run.coverage_sql
            and (m.name == model.name or run.store.relation_exists(m.relation_name))}))
    return run.coverage_sql[model.name]


def build_phase_views(run: RunState) -> None:
    """Build the phases' models that have no date (e.g. the ml_training_set view), with their tests.

    They read the date models whole, so they are built once at the end of the run, and only
    when nothing stopped it. A view over a date model that has no table yet (every one of its
    dates blocked, never built) is left alone: building it would only fail for a cause the run
    already reports.
    """
    if run.stop or not run.outcome.chunks_run:
        return
    phases = {m.phase for m in run.selected}
    ready, waiting = [], []
    for name, (phase, reads) in sorted(run.project.views.items()):
        if phase not in phases:
            continue
        absent = [m for m in reads if not run.store.relation_exists(run.project.models[m].relation_name)]
        (waiting if absent else ready).append((name, absent))
    for name, absent in waiting:
        run.progress.message("info", f"{name} not built: {', '.join(absent)} has no table yet")
    if not ready:
        return
    outcome = run.dbt.build(select=[name for name, _ in ready], exclude=[UNIT_TESTS], log_level="none")
    failed = [f"{n.name} ({n.status})" for n in outcome.failed_nodes]
    if outcome.error or failed:
        run.view_errors.append(
            f"the phases' views did not build: {outcome.error or ', '.join(failed[:5])}")
        run.progress.message("error", run.view_errors[-1])

"""`nba-pipeline validate`: the seeds' hand-run validation queries as one command.

Every number is computed in the warehouse: the check SQL lives in dbt macros
(macros/validation/, macros/gates/coverage_comparison.sql). This service orchestrates:
it checks the request, lists the checks the project declares (date models, their
coverage gate, primary key and null-rate tests, read from the manifest:
``runner.validate.plan``), plans and compiles them in ONE inline dbt compile
scoped to the range (vars start_date / end_date), runs each compiled select
through ``runner.warehouse`` (small aggregated rows only), turns the rows into a
``runner.validate.report.Report`` (``runner.validate.sections``, with the
readiness verdict of ``runner.validate.readiness``) and renders it. Building the
report from rows is pure Python, so its logic is unit-tested without dbt.
Source freshness is one of those queries (``validation_source_freshness``).

What dbt answers (the checks from the manifest, the compiled SQL) is kept in
``runner.dbt_cache`` under a fingerprint of everything it depends on, so a
repeated validate imports and parses no dbt; the warehouse is read every time.
"""
from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from runner.config import Settings
from runner.console import Console
from runner.errors import PipelineError, UsageError
from runner.inputs import check_names
from runner.validate.plan import LEDGER_RELATION, checks_of_project, compile_queries, group_queries, plan_queries, query_range, run_queries
from runner.validate.report import Check, Report
from runner.validate.sections import build_report

if TYPE_CHECKING:
    from runner.dbt import DbtRunner

FORMATS = ("table", "json", "markdown", "html")
FAIL_ON = ("warn", "error")


class ChecksFailed(PipelineError):
    """validate ran and checks at or above --fail-on failed (exit 1)."""


@dataclass(frozen=True)
class ValidateRequest:
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    select: tuple[str, ...] = ()
    fmt: str = "table"
    output: Path | None = None
    fail_on: str = "error"
    notify_url: str | None = field(default=None, repr=False)  # a secret: shown as its host only
    notify_on: str = "failure"
    command_line: str = "nba-pipeline validate"  # URLs redacted (runner.redact.redact_argv)


@dataclass(frozen=True)
class ValidateOutcome:
    """What a validate run found: the report, and whether checks at or above --fail-on failed."""

    report: Report
    fail_on: str = "error"

    @property
    def failing(self) -> list[Check]:
        return self.report.failing(self.fail_on)  # type: ignore[arg-type]

    @property
    def exit_code(self) -> int:
        return self.report.exit_code(self.fail_on)  # type: ignore[arg-type]

    @property
    def failure(self) -> str | None:
        """The checks at or above --fail-on that failed, in one line (None when none did)."""
        if not self.failing:
            return None
        return f"{len(self.failing)} check(s) at or above '{self.fail_on}' failed (first: {self.failing[0].name})"

    def raise_for_failing(self) -> ValidateOutcome:
        """ChecksFailed (exit 1) when checks at or above --fail-on failed, else the outcome."""
        if self.failure:
            raise ChecksFailed(self.failure)
        return self


# -- entry point ----------------------------------------------------------------
def validate(settings: Settings, console: Console, request: ValidateRequest,
             dbt: DbtRunner | None = None) -> ValidateOutcome:
    """Run every selected check over the range, render the report, notify, return the outcome.

    Raises UsageError for bad input; the outcome's exit code is 1 when checks at or above --fail-on
    failed (the CLI maps it; ``raise_for_failing`` raises instead). ``dbt`` (a runner.dbt.DbtRunner)
    lets a caller that already parsed the project reuse it.
    """
    from runner.dbt_cache import Cache
    from runner.services import notify
    from runner.validate.render import render_report
    from runner.warehouse import open_warehouse

    notify.check_url(request.notify_url)
    notify.check_on(request.notify_on)
    _check_request(request)
    started = time.monotonic()
    cache = Cache(settings)
    parsed: list[Any] = [dbt] if dbt is not None else []

    def get_dbt() -> Any:  # parsed only when a cache entry is missing
        if not parsed:
            from runner.dbt import Dbt

            parsed.append(Dbt(settings))
        return parsed[0]

    sections, tables = checks_of_project(request.select, cache, get_dbt)
    with open_warehouse(settings) as wh:
        built = [t for t in tables if wh.relation_exists(t.schema, t.identifier)]
        start, end = query_range(wh, built, request.start_date, request.end_date)
        plan = plan_queries(sections, built, has_ledger=wh.relation_exists(*LEDGER_RELATION.split(".")),
                            has_training_set=wh.relation_exists("nba_predictions", "ml_training_set"))
    queries, members = group_queries(plan.queries)
    key = [queries, start.isoformat(), end.isoformat()]
    compiled = cache.get("compiled", key)
    if compiled is None:
        compiled = compile_queries(get_dbt(), queries, start, end)
        cache.put("compiled", key, compiled)
    with open_warehouse(settings) as wh:
        results = run_queries(wh, compiled, members)
    report = build_report(
        results, plan, start, end, target=settings.target, select=list(request.select),
        missing=[t.name for t in tables if t not in built], embedded=settings.is_embedded,
    )
    report.seconds = round(time.monotonic() - started, 2)
    render_report(report, request.fmt, console, request.output)
    notify.notify_validation(report, request.notify_url, console, request.notify_on,
                             fail_on=request.fail_on,  # type: ignore[arg-type]
                             command=request.command_line,
                             report_path=str(request.output) if request.output else None)
    return ValidateOutcome(report, request.fail_on)


def _check_request(request: ValidateRequest) -> None:
    check_names("--select", request.select)
    if request.fmt not in FORMATS:
        raise UsageError(f"--format {request.fmt!r}: choose one of {', '.join(FORMATS)}")
    if request.fail_on not in FAIL_ON:
        raise UsageError(f"--fail-on {request.fail_on!r}: choose one of {', '.join(FAIL_ON)}")
    if request.start_date and request.end_date and request.end_date < request.start_date:
        raise UsageError(f"--end-date {request.end_date} is before --start-date {request.start_date}")
    if request.output is not None and request.output.is_dir():
        raise UsageError(f"--output {request.output} is a directory; give a file path")


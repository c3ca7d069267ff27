"""The only module that imports dbt.

dbt is called in-process through ``dbtRunner``; the project is parsed once per
``Dbt`` object and the manifest is reused by every later invocation (≈ 0.7 s
each instead of ≈ 5 s for a CLI process). Invocations are sequential: dbt is
not safe to run twice at once in one process.
"""
from __future__ import annotations

import json
import re
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from runner.config import Settings
from runner.errors import EXIT_FAILED, EXIT_OK, EXIT_USAGE, PipelineError, UsageError
from runner.profile import DBT_INVOCATIONS, Timings
from runner.redact import redact_args

FAILURE_STATUSES = {"error", "fail", "runtime error", "skipped"}
# a compile writes nothing: no need to list every schema's relations first
READ_ONLY = ("--no-populate-cache",)
# compile_inline_many: a marker line before each query; dbt injects the ephemeral models' CTEs
# once, after the first ``with`` of the compiled text, so the template opens with this anchor CTE
INLINE_MARKER = re.compile(r"^-- @@q:(\S+)@@\s*$", re.M)
INLINE_ANCHOR = "__inline_ephemerals as (select 1 as anchor)"


@dataclass(frozen=True)
class NodeResult:
    unique_id: str
    name: str
    resource_type: str
    status: str
    message: str | None
    execution_time: float
    failures: int | None = None
    relation_name: str | None = None  # where a model lives, or a test stores its failures


@dataclass
class DbtOutcome:
    """What one dbt invocation did, mapped to the runner's exit codes."""

    args: list[str]
    exit_code: int
    nodes: list[NodeResult] = field(default_factory=list)
    error: str | None = None

    @property
    def success(self) -> bool:
        return self.exit_code == EXIT_OK

    @property
    def status_counts(self) -> dict[str, int]:
        return dict(Counter(n.status for n in self.nodes))

    @property
    def failed_nodes(self) -> list[NodeResult]:
        return [n for n in self.nodes if n.status in FAILURE_STATUSES]


@runtime_checkable
class DbtRunner(Protocol):
    """The dbt seam: what the services call on dbt. `Dbt` implements it, and so do the tests'
    fakes (runner/tests/backfill/fakes.py; runner/tests/backfill/test_dbt_seam.py checks both)."""

    @property
    def manifest(self) -> Any: ...

    def parse(self, vars: dict[str, Any] | None = None) -> None: ...

    def build(self, select: Sequence[str] = (), full_refresh: bool = False, vars: dict[str, Any] | None = None,
              store_failures: bool = False, exclude: Sequence[str] = (), log_level: str | None = None,
              ) -> DbtOutcome: ...

    def run(self, select: Sequence[str], vars: dict[str, Any] | None = None, empty: bool = False,
            log_level: str | None = None) -> DbtOutcome: ...

    def compile_inline(self, sql: str, vars: dict[str, Any] | None = None) -> str: ...

    def compile_inline_many(self, queries: dict[str, str], vars: dict[str, Any] | None = None) -> dict[str, str]: ...

    def compile_models(self, names: Sequence[str], vars: dict[str, Any] | None = None) -> dict[str, str]: ...

    def compile_tests(self, names: Sequence[str], vars: dict[str, Any] | None = None) -> dict[str, str]: ...


NodeCallback = Callable[[NodeResult], None]
# (the node's materialization, the statement): called as dbt is about to send each SQL statement;
# the backfill passes the crash-safety harness's hook (runner/backfill/crashpoints.py)
SqlCallback = Callable[[str, str], None]


class Dbt:
    def __init__(self, settings: Settings, on_node: NodeCallback | None = None,
                 on_sql: SqlCallback | None = None) -> None:
        self.settings = settings
        self.on_node = on_node
        self.on_sql = on_sql
        self._manifest: Any = None
        self.timings = Timings()  # where the invocations' time went (runner/profile.py)

    # -- public -----------------------------------------------------------------
    def parse(self, vars: dict[str, Any] | None = None) -> None:
        """Parse the project once; later invocations reuse the manifest.

        With vars, the configs rendered at parse time see them (BigQuery's static
        partition list is built from start_date / end_date when dbt parses).
        """
        from dbt.cli.main import dbtRunner

        self.settings.export_env()
        argv = ["parse", "--quiet", *self._common_args()]
        if vars:
            argv += ["--vars", json.dumps(vars, default=str)]
        with _argv_without_secrets(), self.timings.span("manifest"):
            res = dbtRunner().invoke(argv)
        if res.exception is not None or not res.success:
            raise UsageError(f"dbt could not parse the project at {self.settings.project_dir}: {res.exception}")
        self._manifest = res.result

    @property
    def manifest(self) -> Any:
        """The parsed manifest (parsed on first use)."""
        if self._manifest is None:
            self.parse()
        return self._manifest

    def invoke(self, command: str, *args: str, vars: dict[str, Any] | None = None) -> DbtOutcome:
        return self._invoke(command, *args, vars=vars)[0]

    def compile_inline(self, sql: str, vars: dict[str, Any] | None = None) -> str:
        """Compile a Jinja-SQL snippet (refs, macros) against the project; return the SQL.

        vars (e.g. start_date / end_date) are seen by the macros, as in a build.
        """
        outcome, result = self._invoke("compile", "--quiet", "--log-level", "none", *READ_ONLY, "--inline", sql,
                                       vars=vars)
        results = getattr(result, "results", None) or []
        if not outcome.success or not results:
            raise UsageError(f"dbt could not compile an inline query: {outcome.error or outcome.failed_nodes}")
        return results[0].node.compiled_code

    def compile_inline_many(self, queries: dict[str, str], vars: dict[str, Any] | None = None) -> dict[str, str]:
        """Several Jinja-SQL snippets in one compile (≈ 0.8 s each otherwise), by id; each comes
        back with the ephemeral models' CTEs it may read (split_compiled)."""
        template = f"with {INLINE_ANCHOR}\n" + "\n".join(f"-- @@q:{qid}@@\n{sql}" for qid, sql in queries.items())
        return split_compiled(self.compile_inline(template, vars=vars))

    def source_freshness(self) -> tuple[DbtOutcome, list[Any]]:
        """`dbt source freshness` (the reference validate's freshness query is tested against, in
        runner/tests/validate/test_validate_cache.py): the outcome and dbt's result per source table (status,
        max_loaded_at, snapshotted_at, age in seconds, the source node with its thresholds)."""
        outcome, result = self._invoke("source freshness", "--log-level", "none")
        return outcome, list(getattr(result, "results", None) or [])

    def compile_models(self, names: Sequence[str], vars: dict[str, Any] | None = None) -> dict[str, str]:
        """The SQL each named model runs with these vars (ephemerals inlined), by model name."""
        outcome, result = self._invoke("compile", "--quiet", "--log-level", "none", *READ_ONLY,
                                       "--indirect-selection", "empty",
                                       "--select", *names, vars=vars)
        if not outcome.success:
            raise UsageError(f"dbt could not compile {', '.join(names)}: {outcome.error or outcome.failed_nodes}")
        return {r.node.name: r.node.compiled_code for r in getattr(result, "results", None) or []
                if r.node.resource_type == "model"}

    def compile_tests(self, names: Sequence[str], vars: dict[str, Any] | None = None) -> dict[str, str]:
        """The query each named data test runs (before dbt's fail_calc wrapper), by unique id.

        One thread: compiling two tests that read the same ephemeral model at once sometimes gives
        one of them that model's CTE twice (dbt 1.11; seen on the PCF coverage tests)."""
        outcome, result = self._invoke("compile", "--quiet", "--log-level", "none", *READ_ONLY,
                                       "--indirect-selection", "empty", "--threads", "1", "--select", *names, vars=vars)
        if not outcome.success:
            raise UsageError(f"dbt could not compile the tests {', '.join(names[:5])}…: "
                             f"{outcome.error or outcome.failed_nodes}")
        return {r.node.unique_id: r.node.compiled_code for r in getattr(result, "results", None) or []
                if r.node.resource_type == "test"}

    def _invoke(self, command: str, *args: str, vars: dict[str, Any] | None = None) -> tuple[DbtOutcome, Any]:
        from dbt.cli.main import dbtRunner

        if self._manifest is None:
            self.parse()
        self.settings.export_env()
        argv = [*command.split(), *self._common_args(), *args]  # "source freshness", "docs generate"
        if vars:
            argv += ["--vars", json.dumps(vars, default=str)]
        _reset_compiled_state(self._manifest)
        runner = dbtRunner(manifest=self._manifest, callbacks=[self._on_event])
        with _argv_without_secrets(), self.timings.span(DBT_INVOCATIONS):
            res = runner.invoke(argv)
        _add_node_timings(self.timings, res.result, compiling=command == "compile")
        nodes = _node_results(res.result)
        if res.exception is not None:
            outcome = DbtOutcome(argv, EXIT_USAGE, nodes, error=f"{type(res.exception).__name__}: {res.exception}")
        else:
            outcome = DbtOutcome(argv, EXIT_OK if res.success else EXIT_FAILED, nodes)
        return outcome, res.result

    def build(
        self,
        select: Sequence[str] = (),
        full_refresh: bool = False,
        vars: dict[str, Any] | None = None,
        store_failures: bool = False,
        exclude: Sequence[str] = (),
        log_level: str | None = None,
    ) -> DbtOutcome:
        # "buildable": a test runs when all its parents are selected or are
        # upstream of the selection, so building staging does not run a Phase 3
        # test that also reads the schedule, while building a Phase 3 model
        # does run it.
        args: list[str] = ["--quiet", "--indirect-selection", "buildable"]
        if select:
            args += ["--select", *select]
        if exclude:
            args += ["--exclude", *exclude]
        if full_refresh:
            args.append("--full-refresh")
        if store_failures:
            args.append("--store-failures")
        if log_level:
            args += ["--log-level", log_level]  # stdout only; dbt's file log keeps its own level
        return self.invoke("build", *args, vars=vars)

    def run(
        self,
        select: Sequence[str],
        vars: dict[str, Any] | None = None,
        empty: bool = False,
        log_level: str | None = None,
    ) -> DbtOutcome:
        """`dbt run` of a selection, no tests; `empty` builds the relations with no rows (dbt's
        --empty: every ref and source read as empty), e.g. a public table before its first publish."""
        args: list[str] = ["--quiet", "--select", *select]
        if empty:
            args.append("--empty")
        if log_level:
            args += ["--log-level", log_level]
        return self.invoke("run", *args, vars=vars)

    # -- internals --------------------------------------------------------------
    def _common_args(self) -> list[str]:
        s = self.settings
        return [
            "--project-dir", str(s.project_dir),
            "--profiles-dir", str(s.profiles_dir),
            "--target", s.target,
            # the runner reads results in-process: writing target/manifest.json and
            # run_results.json cost ≈ 1-3 s per invocation (bench/results.md)
            "--no-write-json",
            # BigQuery: no listing of every dataset at each invocation (dbt populates its relation
            # cache with all the project's schemas, the store-failures one holding a table per
            # test); dbt-bigquery then looks each relation up by name (tables.get). On the CI
            # emulator a listing costs a column scan per table: ~1/3 of its time.
            *(["--no-populate-cache"] if s.is_warehouse else []),
        ]

    def _on_event(self, event: Any) -> None:
        if self.on_sql is not None and event.info.name == "SQLQuery":
            self.on_sql(event.data.node_info.materialized, event.data.sql)
        if self.on_node is None or event.info.name != "NodeFinished":
            return
        info, rr = event.data.node_info, event.data.run_result
        self.on_node(
            NodeResult(
                unique_id=info.unique_id,
                name=info.node_name,
                resource_type=info.resource_type,
                status=rr.status,
                message=rr.message or None,
                execution_time=rr.execution_time,
                failures=rr.num_failures or None,
            )
        )


@contextmanager
def _argv_without_secrets():
    """dbt logs this process's sys.argv as `invocation_command` (logs/dbt.log): while dbt runs,
    it sees the command line with every URL reduced to its host (a --notify webhook's path and
    query are secrets)."""
    saved = sys.argv
    sys.argv = redact_args(saved)
    try:
        yield
    finally:
        sys.argv = saved


def split_compiled(sql: str) -> dict[str, str]:
    """Queries by id, each with the ephemeral CTEs dbt injected at the top of the compiled text."""
    head, _, _ = sql.partition(INLINE_ANCHOR)
    ctes = re.sub(r"^\s*with\s", "", head, flags=re.I).strip().rstrip(",").strip()
    parts = INLINE_MARKER.split(sql)
    out = {}
    for i in range(1, len(parts) - 1, 2):
        query = parts[i + 1].strip()
        if ctes:
            if re.match(r"with\s", query, re.I):
                query = f"with {ctes},\n{query[4:].lstrip()}"
            else:
                query = f"with {ctes}\n{query}"
        out[parts[i]] = query
    return out


def _reset_compiled_state(manifest: Any) -> None:
    """Forget what the previous invocation compiled into the shared manifest.

    dbt compiles into the manifest's node objects; a node already marked
    ``extra_ctes_injected`` is not given its ephemeral CTEs again, so the next
    invocation's SQL would reference ``__dbt__cte__*`` names that no longer
    exist. Resetting that state costs microseconds, against seconds for a parse.
    """
    for node in manifest.nodes.values():
        if getattr(node, "extra_ctes_injected", False):
            node.extra_ctes_injected = False
            node.extra_ctes = []


def _add_node_timings(timings: Timings, result: Any, compiling: bool) -> None:
    """dbt's own timing of each node: compile (Jinja), and execute (its SQL: a model's statements,
    materialization included, or a test's query); a compile command's execute is compiling too."""
    for r in getattr(result, "results", None) or []:
        node = getattr(r, "node", None)
        kind = "SQL gates" if str(getattr(node, "resource_type", "")) in ("test", "unit_test") else "SQL models"
        for step in getattr(r, "timing", None) or []:
            if step.started_at is None or step.completed_at is None:
                continue
            part = "compile" if compiling or step.name == "compile" else kind
            timings.add(part, (step.completed_at - step.started_at).total_seconds())


def _node_results(result: Any) -> list[NodeResult]:
    out: list[NodeResult] = []
    for r in getattr(result, "results", None) or []:
        node = getattr(r, "node", None)
        if node is None:
            continue
        out.append(
            NodeResult(
                unique_id=node.unique_id,
                name=node.name,
                resource_type=str(node.resource_type),
                status=str(getattr(r.status, "value", r.status)),
                message=r.message,
                execution_time=float(r.execution_time or 0.0),
                failures=r.failures,
                relation_name=getattr(node, "relation_name", None),
            )
        )
    return out


def raise_for_outcome(outcome: DbtOutcome, what: str) -> None:
    """Turn a failed invocation into the runner's error (naming the failed nodes)."""
    if outcome.success:
        return
    if outcome.error:
        raise UsageError(f"{what}: dbt could not run: {outcome.error}")
    failed = ", ".join(f"{n.name} ({n.status})" for n in outcome.failed_nodes[:10]) or "see dbt log"
    # the first node that failed for its own reason (not one skipped after it) says why
    cause = next((n for n in outcome.failed_nodes if n.status != "skipped" and n.message), None)
    why = f"; {cause.name}: {' '.join(str(cause.message).split())[:500]}" if cause else ""
    raise PipelineError(f"{what} failed: {failed}{why}")

"""Pre-flight cost estimate of a backfill on BigQuery: the bytes each chunk would scan.

`nba-pipeline backfill --dry-run` on a BigQuery target compiles each model with each chunk's
vars (the SQL the real run sends, its partition filters included) and submits it as a BigQuery
dry-run query job (``QueryJobConfig(dry_run=True, use_query_cache=False)``): BigQuery answers
with the bytes the query would process, without running it or billing anything. Models sharing
a chunk's dates are compiled together (one dbt invocation per distinct date range).

The client is injected (``client_for`` looks up the warehouse's BigQuery client factory), so a
fast test drives this with a fake one. An endpoint that does not support dry-run jobs (the CI
emulator may not) is reported plainly, once, instead of a misleading figure.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from runner.backfill.planner import Chunk
from runner.config import Settings
from runner.console import Console

# (model names, vars) -> {model name: compiled SQL}; runner.dbt.Dbt.compile_models
CompileModels = Callable[[Sequence[str], dict[str, Any]], dict[str, str]]

# an error naming dry runs means the endpoint has none; any other (e.g. BigQuery's "... is not
# supported" for a SQL construct) is that query's own error, shown on its chunk
_UNSUPPORTED_HINTS = ("dry run", "dry-run", "dry_run", "dryrun")


@dataclass(frozen=True)
class ChunkCost:
    model: str
    chunk: str  # start..end
    days: int
    bytes: int | None
    error: str | None = None


@dataclass
class CostEstimate:
    chunks: list[ChunkCost] = field(default_factory=list)
    unsupported: str | None = None  # why no estimate could be made at all

    @property
    def total_bytes(self) -> int:
        return sum(c.bytes or 0 for c in self.chunks)

    @property
    def complete(self) -> bool:
        return self.unsupported is None and all(c.bytes is not None for c in self.chunks)


class DryRunUnsupported(Exception):
    pass


def client_for(settings: Settings) -> Any | None:
    """The BigQuery client of the run's target (runner.warehouse's factory), or None if absent."""
    from runner import warehouse

    factory = getattr(warehouse, "bigquery_client", None)
    return factory(settings) if factory is not None else None


def dry_run_bytes(client: Any, sql: str) -> int:
    """Bytes BigQuery would process for `sql`, from a dry-run query job."""
    from google.cloud import bigquery

    config = bigquery.QueryJobConfig(dry_run=True, use_query_cache=False)
    try:
        job = client.query(sql, job_config=config)
    except Exception as exc:
        if isinstance(exc, NotImplementedError) or type(exc).__name__ == "MethodNotImplemented" or any(
                hint in str(exc).lower() for hint in _UNSUPPORTED_HINTS):
            raise DryRunUnsupported(_one_line(exc)) from exc
        raise
    processed = getattr(job, "total_bytes_processed", None)
    if processed is None:
        raise DryRunUnsupported("the dry-run job came back without total_bytes_processed")
    return int(processed)


def estimate(chunks: Sequence[Chunk], compile_models: CompileModels, client: Any | None) -> CostEstimate:
    """Dry-run every (model, chunk); stops at the first sign that dry runs are unsupported."""
    if client is None:
        return CostEstimate(unsupported="no BigQuery client for this target (runner.warehouse.bigquery_client)")
    by_range: dict[tuple, list[Chunk]] = defaultdict(list)
    for chunk in chunks:
        by_range[(chunk.start, chunk.end)].append(chunk)
    out = CostEstimate()
    for (start, end), group in by_range.items():
        sql = compile_models(sorted({c.model for c in group}),
                             {"start_date": start.isoformat(), "end_date": end.isoformat()})
        for chunk in group:
            try:
                processed: int | None = dry_run_bytes(client, sql[chunk.model])
                error = None
            except DryRunUnsupported as exc:
                out.unsupported = f"this BigQuery endpoint does not support dry-run query jobs ({exc})"
                out.chunks = []
                return out
            except Exception as exc:  # the query itself is refused (SQL, permissions): say which
                processed, error = None, _one_line(exc)
            out.chunks.append(ChunkCost(chunk.model, chunk.label, len(chunk.dates), processed, error))
    order: dict[str, int] = {}
    for chunk in chunks:
        order.setdefault(chunk.model, len(order))
    out.chunks.sort(key=lambda c: (order[c.model], c.chunk))
    return out


def preflight(
    console: Console,
    settings: Settings,
    chunks: Sequence[Chunk],
    compile_models: CompileModels,
    client_factory: Callable[[Settings], Any | None] | None = None,
) -> CostEstimate:
    """The dry run's cost section: estimate every chunk of the plan and print it."""
    try:
        client = (client_factory or client_for)(settings)
    except Exception as exc:  # no credentials, no project: the plan is still worth printing
        result = CostEstimate(unsupported=f"no BigQuery client for target {settings.target!r} "
                                          f"({type(exc).__name__}: {exc})")
    else:
        result = estimate(chunks, compile_models, client)
    report(console, result)
    return result


def report(console: Console, cost: CostEstimate) -> None:
    if cost.unsupported:
        console.warn(f"no cost estimate: {cost.unsupported}")
        return
    if not cost.chunks:
        console.info("cost estimate: nothing to run")
        return
    console.table(
        "Pre-flight cost estimate: bytes each chunk would scan (BigQuery dry run)",
        ["model", "chunk", "dates", "bytes", "size", "error"],
        [(c.model, c.chunk, c.days, "" if c.bytes is None else c.bytes,
          "" if c.bytes is None else human_bytes(c.bytes), c.error or "") for c in cost.chunks],
    )
    failed = sum(c.bytes is None for c in cost.chunks)
    note = f" ({failed} chunk(s) could not be estimated: see the error column)" if failed else ""
    console.info(f"estimated total: {human_bytes(cost.total_bytes)} ({cost.total_bytes} bytes) "
                 f"over {len(cost.chunks)} chunk(s){note}")


def _one_line(exc: Exception) -> str:
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0] if lines else ''}"


def human_bytes(n: int) -> str:
    value = float(n)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if value < 1024 or unit == "TiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.2f} {unit}"
        value /= 1024
    return f"{n} B"  # pragma: no cover

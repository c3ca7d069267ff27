"""The project as the runner sees it: the one reader of the dbt manifest and of the project's vars.

Backfill, validate, cascade and compare all take their facts from here, never from the manifest
themselves:

- the *date models*: a model whose yml declares ``config.meta.backfill`` (date_column, bootstrap,
  window_days); its phase is its tag (phase3, phase4, features). Dependencies between date models
  are the manifest's depends_on graph, followed through the non-date nodes in between (ephemeral
  intermediates, views);
- each date model's key columns (its ``unique_combination_of_columns`` test), null-rate tests
  (``null_rate_below``), coverage tests (``coverage_vs_expected``), columns and cascade rules
  (``config.meta.cascade``). The coverage gate of a model is its ``coverage_vs_expected`` test of
  severity error without its own min_pct: the runner records the numbers of that same definition
  in the ledger; and every data test a model's build runs (its gates). The tests are read by
  runner/project_tests.py;
- the thresholds: the ``vars:`` of dbt_project.yml, the only place a threshold is set (``var``);
- the engine it was parsed for (``adapter_type``);
- the runner's own tables (the ledger and run history in ``ORCHESTRATION_SCHEMA``).

``load_project`` builds the frozen model once per manifest object (and project dir) and returns
the same ``Project`` to every later caller.
"""
from __future__ import annotations

import heapq
import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from runner.errors import UsageError
from runner.project_tests import CoverageTest, GateTest, NullTest, coverage_tests, gate_call, gate_tests, tests_by_model

# the runner-managed tables (not dbt models): the backfill ledger and run history, and the lock
ORCHESTRATION_SCHEMA = "nba_orchestration"
LEDGER_RELATION = f"{ORCHESTRATION_SCHEMA}.backfill_ledger"
RUNS_RELATION = f"{ORCHESTRATION_SCHEMA}.backfill_runs"

PHASES = ("phase3", "phase4", "features")
BOOTSTRAP_MODES = ("skip", "placeholder", "none")


@dataclass(frozen=True)
class DateModel:
    name: str
    unique_id: str
    phase: str
    date_column: str
    bootstrap: str  # skip | placeholder | none
    window_days: int
    relation_name: str
    upstream: tuple[str, ...] = ()  # date models this one reads (directly or through non-date nodes)
    sources: tuple[str, ...] = ()  # relations of the raw sources it reads (for the pre-flight)
    coverage_call: str | None = None  # Jinja call of coverage_comparison(...) for its gate
    schema: str = ""
    identifier: str = ""  # the table's name in its schema (the model's alias, else its name)
    columns: tuple[str, ...] = ()  # the columns its yml documents
    key_columns: tuple[str, ...] = ()  # its primary-key test's columns (unique_combination_of_columns)
    null_tests: tuple[NullTest, ...] = ()  # by column, then filter
    coverage_tests: tuple[CoverageTest, ...] = ()  # by test name
    gate_tests: tuple[GateTest, ...] = ()  # every data test its dbt build runs, by unique id
    # config.meta.cascade (left out of equality and hash: a mapping is not hashable)
    cascade: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Project:
    """The date models in dependency order (Phase 3 → Phase 4 → features), and the project's vars."""

    models: Mapping[str, DateModel] = field(default_factory=dict)
    relations: Mapping[str, str] = field(default_factory=dict)  # every model with a relation: name -> relation
    # the phases' models without a date (the ml_training_set view): name -> (phase, date models it reads)
    views: Mapping[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    vars: Mapping[str, Any] = field(default_factory=dict)  # dbt_project.yml's vars: (thresholds and all)
    vars_file: str = "dbt_project.yml"
    adapter_type: str | None = None  # the engine the manifest was parsed for (duckdb, bigquery)

    @property
    def phases(self) -> list[str]:
        return [p for p in PHASES if any(m.phase == p for m in self.models.values())]

    def in_phase(self, phase: str) -> list[DateModel]:
        return [m for m in self.models.values() if m.phase == phase]

    def var(self, name: str) -> Any:
        """A var of dbt_project.yml (a threshold's one home); a clear error when it is not set."""
        if self.vars.get(name) is None:
            raise UsageError(f"the dbt var {name} is not set in {self.vars_file} (vars:)")
        return self.vars[name]

    def threshold(self, name: str) -> float:
        """A numeric var of dbt_project.yml (a percentage, a number of days)."""
        value = self.var(name)
        try:
            return float(value)
        except (TypeError, ValueError):
            raise UsageError(f"the dbt var {name} in {self.vars_file} is {value!r}, not a number") from None

    def dependants(self, name: str) -> list[DateModel]:
        """Date models that read `name`, directly or through other date models."""
        out: list[str] = []
        frontier = [name]
        while frontier:
            current = frontier.pop()
            for m in self.models.values():
                if current in m.upstream and m.name not in out:
                    out.append(m.name)
                    frontier.append(m.name)
        return [self.models[n] for n in self.models if n in out]

    def select(self, selection: list[str] | None) -> list[DateModel]:
        """Resolve --select values (phase names or model names) in dependency order."""
        if not self.models:
            raise UsageError("this project declares no date model (config.meta.backfill in the models' yml)")
        if not selection:
            return list(self.models.values())
        chosen: set[str] = set()
        for value in selection:
            key = value.removeprefix("tag:")
            if key in PHASES:
                members = self.in_phase(key)
                if not members:
                    raise UsageError(
                        f"--select {value}: no model of this project is tagged {key} "
                        f"(phases present: {', '.join(self.phases) or 'none'})"
                    )
                chosen.update(m.name for m in members)
            elif key in self.models:
                chosen.add(key)
            else:
                raise UsageError(
                    f"--select {value}: unknown phase or model; phases: {', '.join(self.phases)}; "
                    f"models: {', '.join(self.models)}"
                )
        return [m for m in self.models.values() if m.name in chosen]


def audit_relation(relation_name: str, audit_schema: str) -> str:
    """The audit twin of a relation (macros/incremental/write_audit_publish.sql audit_relation):
    the same database and identifier in the audit schema, quoted as the relation is."""
    database, schema, identifier = relation_name.rsplit(".", 2)
    quote = schema[0] if schema[:1] in ('"', "`") else ""
    return f"{database}.{quote}{audit_schema}{quote}.{identifier}"


# one Project per manifest object and project dir: (weak reference to the manifest, project)
_LOADED: dict[tuple[int, str | None], tuple[Any, Project]] = {}


def load_project(manifest: Any, project_dir: Path | str | None = None) -> Project:
    """The project model of a parsed manifest, built once per manifest (and project dir).

    project_dir holds the dbt_project.yml whose ``vars:`` are the thresholds; without it the
    project has no vars and ``Project.var`` says so.
    """
    key = (id(manifest), None if project_dir is None else str(project_dir))
    hit = _LOADED.get(key)
    if hit is not None and hit[0]() is manifest:
        return hit[1]
    project = _build(manifest, None if project_dir is None else Path(project_dir))
    try:
        ref = weakref.ref(manifest)
    except TypeError:  # an object without weak references: not cached
        return project
    for stale in [k for k, (r, _) in _LOADED.items() if r() is None]:
        del _LOADED[stale]
    _LOADED[key] = (ref, project)
    return project


def read_vars(project_dir: Path) -> dict[str, Any]:
    """The ``vars:`` of a project's dbt_project.yml."""
    path = project_dir / "dbt_project.yml"
    try:
        data = yaml.safe_load(path.read_text()) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise UsageError(f"cannot read the vars of {path}: {exc}") from None
    return dict(data.get("vars") or {})


def _build(manifest: Any, project_dir: Path | None) -> Project:
    nodes = manifest.nodes
    date_ids = {uid for uid, n in nodes.items() if n.resource_type == "model" and _backfill_meta(n) is not None}
    tests = tests_by_model(manifest)
    models: list[DateModel] = []
    for uid in date_ids:
        node = nodes[uid]
        meta = _backfill_meta(node) or {}
        phases = [t for t in node.tags if t in PHASES]
        if len(phases) != 1:
            raise UsageError(f"model {node.name}: meta.backfill needs exactly one phase tag of {', '.join(PHASES)}")
        bootstrap = str(meta.get("bootstrap", "none"))
        if bootstrap not in BOOTSTRAP_MODES:
            raise UsageError(f"model {node.name}: meta.backfill.bootstrap must be one of {', '.join(BOOTSTRAP_MODES)}")
        date_column = meta.get("date_column") or node.config.meta.get("date_column")
        if not date_column:
            raise UsageError(f"model {node.name}: meta.backfill.date_column is missing")
        upstream, sources = _upstream(manifest, uid, date_ids)
        keys, nulls = tests.get(uid, ((), []))
        coverage = coverage_tests(manifest, uid, node.name)
        models.append(
            DateModel(
                name=node.name,
                unique_id=uid,
                phase=phases[0],
                date_column=str(date_column),
                bootstrap=bootstrap,
                window_days=int(meta.get("window_days", 0)),
                relation_name=node.relation_name,
                upstream=tuple(sorted(nodes[u].name for u in upstream)),
                sources=tuple(sorted(sources)),
                coverage_call=gate_call(coverage),
                schema=getattr(node, "schema", "") or "",
                identifier=getattr(node, "alias", None) or node.name,
                columns=tuple(getattr(node, "columns", None) or ()),
                key_columns=keys,
                null_tests=tuple(sorted(nulls, key=lambda t: (t.column, t.where or ""))),
                coverage_tests=tuple(coverage),
                gate_tests=gate_tests(manifest, uid),
                cascade=MappingProxyType(dict((node.config.meta or {}).get("cascade") or {})),
            )
        )
    relations = {n.name: n.relation_name for n in nodes.values()
                 if n.resource_type == "model" and getattr(n, "relation_name", None)}
    views = {}
    for uid, node in nodes.items():
        phases = [t for t in getattr(node, "tags", ()) if t in PHASES]
        if node.resource_type == "model" and uid not in date_ids and len(phases) == 1:
            upstream, _ = _upstream(manifest, uid, date_ids)
            views[node.name] = (phases[0], tuple(sorted(nodes[u].name for u in upstream)))
    if project_dir is None:
        project_vars, vars_file = {}, "dbt_project.yml (no project dir given)"
    else:
        project_vars, vars_file = read_vars(project_dir), str(project_dir / "dbt_project.yml")
    return Project(
        MappingProxyType({m.name: m for m in _dependency_order(models)}),
        MappingProxyType(relations),
        MappingProxyType(views),
        MappingProxyType(project_vars),
        vars_file,
        getattr(getattr(manifest, "metadata", None), "adapter_type", None),
    )


def _backfill_meta(node: Any) -> dict | None:
    meta = getattr(node.config, "meta", None) or {}
    value = meta.get("backfill")
    return value if isinstance(value, dict) else None


def _upstream(manifest: Any, uid: str, date_ids: set[str]) -> tuple[set[str], set[str]]:
    """Date models and source relations reached from `uid` without crossing a date model."""
    found: set[str] = set()
    sources: set[str] = set()
    seen: set[str] = set()
    frontier = list(manifest.nodes[uid].depends_on.nodes)
    while frontier:
        current = frontier.pop()
        if current in seen:
            continue
        seen.add(current)
        if current in date_ids:
            found.add(current)
        elif current in manifest.sources:
            sources.add(manifest.sources[current].relation_name)
        elif current in manifest.nodes:
            frontier.extend(manifest.nodes[current].depends_on.nodes)
    return found, sources


def _dependency_order(models: list[DateModel]) -> list[DateModel]:
    """Topological order; among ready models, earlier phase first, then by name."""
    by_name = {m.name: m for m in models}
    waiting = {m.name: set(m.upstream) for m in models}
    ready = [(PHASES.index(m.phase), m.name) for m in models if not waiting[m.name]]
    heapq.heapify(ready)
    out: list[DateModel] = []
    while ready:
        _, name = heapq.heappop(ready)
        out.append(by_name[name])
        for other, deps in waiting.items():
            if name in deps:
                deps.discard(name)
                if not deps:
                    heapq.heappush(ready, (PHASES.index(by_name[other].phase), other))
    if len(out) != len(models):
        cycle = sorted(set(by_name) - {m.name for m in out})
        raise UsageError(f"date models depend on each other in a cycle: {', '.join(cycle)}")
    return out

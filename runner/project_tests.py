"""The date models' data tests as the runner reads them from the dbt manifest (runner/project.py
builds its ``DateModel``s with them): key columns, null-rate tests, coverage tests and the gate's
coverage call, and every test a model's build runs (its gates)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class CoverageTest:
    """One coverage_vs_expected test of a model, as a coverage_comparison(...) call."""

    name: str
    call: str                  # Jinja call of coverage_comparison(...)
    severity: str              # error | warn
    min_pct: str | None        # the test's own min_pct (a Jinja expression), None = var coverage_gate_pct
    has_where: bool


@dataclass(frozen=True)
class NullTest:
    """One null_rate_below test of a model's column."""

    column: str
    where: str | None
    max_null_pct: float
    severity: str              # error | warn


@dataclass(frozen=True)
class GateTest:
    """A data test that `dbt build --select <model>` runs with the model (runner/backfill/gate_sql.py
    runs it as SQL compiled once): dbt's test config, as dbt's test materialization applies it."""

    unique_id: str
    name: str
    severity: str              # error | warn
    fail_calc: str = "count(*)"
    warn_if: str = "!= 0"
    error_if: str = "!= 0"
    limit: int | None = None
    store_relation: str = ""   # where --store-failures keeps its failing rows


def _severity(node: Any) -> str:
    return "warn" if str(node.config.severity).lower() == "warn" else "error"


def tests_by_model(manifest: Any) -> dict[str, tuple[tuple[str, ...], list[NullTest]]]:
    """Per model unique_id: its primary-key columns and its null-rate tests."""
    keys: dict[str, tuple[str, ...]] = {}
    nulls: dict[str, list[NullTest]] = {}
    for node in manifest.nodes.values():
        meta = getattr(node, "test_metadata", None)
        if node.resource_type != "test" or meta is None:
            continue
        attached = getattr(node, "attached_node", None)
        if meta.name == "unique_combination_of_columns":
            keys[attached] = tuple(meta.kwargs.get("combination_of_columns") or ())
        elif meta.name == "null_rate_below":
            nulls.setdefault(attached, []).append(NullTest(
                column=meta.kwargs.get("column_name") or getattr(node, "column_name", None),
                # dbt moves a test's `where` into its config
                where=meta.kwargs.get("where") or getattr(node.config, "where", None),
                max_null_pct=float(meta.kwargs.get("max_null_pct")),
                severity=_severity(node),
            ))
    return {uid: (keys.get(uid, ()), nulls.get(uid, [])) for uid in keys.keys() | nulls.keys()}


def gate_tests(manifest: Any, uid: str) -> tuple[GateTest, ...]:
    """The data tests `dbt build --select <model> --indirect-selection buildable` runs: those reading
    the model whose every other parent is upstream of it (a test of two date models gates the later)."""
    upstream: set[str] = set()
    frontier = list(manifest.nodes[uid].depends_on.nodes)
    while frontier:
        current = frontier.pop()
        if current not in upstream:
            upstream.add(current)
            node = manifest.nodes.get(current)
            frontier.extend(node.depends_on.nodes if node is not None else ())
    out = []
    for node in manifest.nodes.values():
        parents = set(getattr(getattr(node, "depends_on", None), "nodes", None) or ())
        if node.resource_type != "test" or uid not in parents or not parents <= upstream | {uid}:
            continue
        config = node.config
        limit = getattr(config, "limit", None)
        out.append(GateTest(node.unique_id, node.name, _severity(node),
                            str(getattr(config, "fail_calc", None) or "count(*)"),
                            str(getattr(config, "warn_if", None) or "!= 0"),
                            str(getattr(config, "error_if", None) or "!= 0"),
                            None if limit is None else int(limit),
                            ".".join(f'"{getattr(node, a, None) or node.name}"' for a in ("database", "schema", "alias"))))
    return tuple(sorted(out, key=lambda t: t.unique_id))


_JINJA_EXPR = re.compile(r"^\s*\{\{(.*)\}\}\s*$", re.S)
_RELATION_CALL = re.compile(r"^\s*(ref|source)\(.*\)\s*$", re.S)


def coverage_tests(manifest: Any, model_uid: str, model_name: str) -> list[CoverageTest]:
    """Every coverage_vs_expected test attached to a model, from the test's own kwargs."""
    out = []
    for node in manifest.nodes.values():
        meta = getattr(node, "test_metadata", None)
        if node.resource_type != "test" or meta is None or meta.name != "coverage_vs_expected":
            continue
        if getattr(node, "attached_node", None) != model_uid:
            continue
        kwargs = dict(meta.kwargs)
        # dbt moves a test's `where` into its config (and filters the model with it)
        where = kwargs.get("where") or getattr(node.config, "where", None)
        if where:
            kwargs["where"] = where
        min_pct = kwargs.pop("min_pct", None)
        args = [f"model=ref('{model_name}')"]
        for key in sorted(kwargs):
            if key == "model":
                continue
            args.append(f"{key}={_jinja_value(kwargs[key])}")
        out.append(CoverageTest(
            name=node.name,
            call="{{ coverage_comparison(" + ", ".join(args) + ") }}",
            severity=_severity(node),
            min_pct=None if min_pct is None else str(_jinja_value(min_pct)),
            has_where=bool(where),
        ))
    return sorted(out, key=lambda t: t.name)


def gate_call(tests: list[CoverageTest]) -> str | None:
    """The coverage_comparison(...) call of the model's gate test (severity error, no own min_pct)."""
    gates = [t for t in tests if t.severity == "error" and t.min_pct is None]
    if not gates:
        return None
    return min(gates, key=lambda t: (t.has_where, t.name)).call


def _jinja_value(value: Any) -> str:
    if isinstance(value, str):
        expr = _JINJA_EXPR.match(value)
        if expr:
            return expr.group(1).strip()
        if _RELATION_CALL.match(value):
            return value.strip()
    return repr(value)

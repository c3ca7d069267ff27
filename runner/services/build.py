"""Build service: `dbt build` of a selection, in-process, with a summary."""
from __future__ import annotations

from collections.abc import Sequence

from runner.config import Settings
from runner.console import Console
from runner.dbt import Dbt, DbtOutcome, NodeResult, raise_for_outcome


def build(settings: Settings, console: Console, select: Sequence[str], full_refresh: bool = False) -> DbtOutcome:
    def on_node(node: NodeResult) -> None:
        mark = "✔" if node.status in ("success", "pass") else ("!" if node.status == "warn" else "✘")
        console.info(f"  {mark} {node.resource_type:<10} {node.name} [{node.status}, {node.execution_time:.2f}s]")

    dbt = Dbt(settings, on_node=on_node)
    console.info(f"dbt build --select {' '.join(select) or '(all)'} on target {settings.target}")
    outcome = dbt.build(select=select, full_refresh=full_refresh)
    counts = outcome.status_counts
    console.table("dbt build", ["status", "nodes"], sorted(counts.items()))
    raise_for_outcome(outcome, f"dbt build --select {' '.join(select) or '(all)'}")
    console.success(f"build passed: {sum(counts.values())} nodes")
    return outcome

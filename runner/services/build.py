"""Build service: `dbt build` of a selection, in-process, with a summary."""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from runner.config import Settings
from runner.console import Console
from runner.dbt import Dbt, DbtOutcome, NodeResult, raise_for_outcome
from runner.errors import UsageError
from runner.inputs import check_dbt_selectors


@dataclass(frozen=True)
class BuildOutcome:
    """A build that ran: dbt's outcome (its nodes). A failed build raises instead (raise_for_outcome)."""

    dbt: DbtOutcome

    @property
    def exit_code(self) -> int:
        return self.dbt.exit_code

    @property
    def failure(self) -> str | None:
        return None if self.dbt.success else f"dbt build: {self.dbt.error or 'failed'}"


def build(settings: Settings, console: Console, select: Sequence[str], full_refresh: bool = False) -> BuildOutcome:
    def on_node(node: NodeResult) -> None:
        ok = node.status in ("success", "pass")
        if node.resource_type in ("test", "unit_test") and ok:
            return  # passing tests are counted in the summary, not listed
        mark = "✔" if ok else ("!" if node.status == "warn" else "✘")
        line = f"  {mark} {node.resource_type:<9} {node.name} [{node.status}, {node.execution_time:.2f}s]"
        if node.failures:
            line += f" {node.failures} failing rows"
        if not ok and node.message:
            line += f": {node.message}"
        (console.info if ok else console.warn)(line)

    check_dbt_selectors("--select", select)
    dbt = Dbt(settings, on_node=on_node)
    console.info(f"dbt build --select {' '.join(select) or '(all)'} on target {settings.target}")
    outcome = dbt.build(select=select, full_refresh=full_refresh)
    if outcome.success and not outcome.nodes:
        raise UsageError(f"--select {' '.join(select)} matched no model, seed or test: nothing was built")
    counts = outcome.status_counts
    by_type = Counter((n.resource_type, n.status) for n in outcome.nodes)
    console.table("dbt build", ["resource", "status", "nodes"], [(t, s, c) for (t, s), c in sorted(by_type.items())])
    raise_for_outcome(outcome, f"dbt build --select {' '.join(select) or '(all)'}")
    console.success(f"build passed: {sum(counts.values())} nodes")
    return BuildOutcome(outcome)

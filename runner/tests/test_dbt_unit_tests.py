"""Every dbt unit test of the project (the formulas), in one `dbt test`, in the default test run.

The backfill runner runs data tests per chunk but no unit tests (formulas do not change
between chunks), so this is where they run. dbt reads the column types of each tested model's
parents from the warehouse (the fixtures leave columns out), so the parents must exist; they need
no rows: on a fresh DuckDB file, the raw tables are created empty (the simulator's schema) and
the parents and their ancestors are built with `dbt run --empty`, as dbt's docs advise. No
simulated world: a local `make test` runs the formulas in about a minute.
"""
from __future__ import annotations

import duckdb
import pytest

from runner.config import Settings
from runner.dbt import Dbt
from runner.simulator.frame import create_tables
from runner.simulator.schema import TABLES


@pytest.fixture(scope="module")
def dbt(tmp_path_factory) -> Dbt:
    """The project on a DuckDB file holding the unit-tested models' parents, empty."""
    db = tmp_path_factory.mktemp("unit-tests") / "unit.duckdb"
    with duckdb.connect(str(db)) as con:
        create_tables(con, list(TABLES.values()))
    dbt = Dbt(Settings.load(duckdb_path=db))
    parents = parents_of_tested_models(dbt.manifest)
    outcome = dbt.run([f"+{name}" for name in parents], empty=True)
    assert outcome.success, [(n.name, n.status, n.message) for n in outcome.failed_nodes]
    return dbt


def parents_of_tested_models(manifest) -> list[str]:
    """The models the unit-tested models ref (their sources are the raw tables)."""
    by_name = {n.name: n for n in manifest.nodes.values() if n.resource_type == "model"}
    tested = {t.model for t in manifest.unit_tests.values()}
    return sorted({manifest.nodes[p].name for name in tested for p in by_name[name].depends_on.nodes
                   if p.startswith("model.")})


def test_every_unit_test_of_the_project_runs_and_passes(dbt):
    declared = set(dbt.manifest.unit_tests)
    assert len(declared) >= 40, sorted(declared)

    outcome = dbt.invoke("test", "--quiet", "--select", "test_type:unit")

    assert outcome.success, [(n.name, n.status, n.message) for n in outcome.failed_nodes]
    ran = {n.unique_id: n.status for n in outcome.nodes if n.resource_type == "unit_test"}
    assert ran == dict.fromkeys(declared, "pass")

"""Every dbt unit test of the project (the formulas), in one `dbt test`.

The backfill runner runs data tests per chunk but no unit tests (formulas do not change
between chunks), so this is where CI runs them: on a copy of the shared clean world, whose
tables give dbt the upstream column types the fixtures leave out.
"""
from __future__ import annotations

import pytest

from runner.config import Settings
from runner.dbt import Dbt

pytestmark = pytest.mark.slow


def test_every_unit_test_of_the_project_runs_and_passes(clean_world, tmp_path):
    dbt = Dbt(Settings.load(duckdb_path=clean_world.copy_to(tmp_path)))
    declared = set(dbt.manifest.unit_tests)
    assert len(declared) >= 20, sorted(declared)

    outcome = dbt.invoke("test", "--quiet", "--select", "test_type:unit")

    assert outcome.success, [(n.name, n.status, n.message) for n in outcome.failed_nodes]
    ran = {n.unique_id: n.status for n in outcome.nodes if n.resource_type == "unit_test"}
    assert ran == dict.fromkeys(declared, "pass")

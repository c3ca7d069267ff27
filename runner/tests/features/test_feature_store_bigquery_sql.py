"""The feature store compiles for BigQuery with BigQuery's forms of arrays, structs and NaN.

Nothing runs on BigQuery before the emulator issue, so this compiles offline: the BigQuery
connection is replaced by a stub (no query is sent: the run window comes from the vars, and
the model is compiled as a first, non-incremental build).
"""
from __future__ import annotations

import re
from unittest import mock

import pytest
from dbt.adapters.bigquery.connections import BigQueryConnectionManager
from dbt.adapters.bigquery.impl import BigQueryAdapter
from dbt.cli.main import dbtRunner

from runner.tests.conftest import PROJECT_DIR


def _open_stub(cls, connection):
    connection.state = "open"
    connection.handle = mock.MagicMock()
    return connection


@pytest.fixture(scope="module")
def compiled(tmp_path_factory):
    target = tmp_path_factory.mktemp("bq") / "target"
    args = ["compile", "--quiet", "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR / "profiles"),
            "--target", "bigquery", "--target-path", str(target), "--no-partial-parse", "--no-populate-cache",
            "--select", "ml_feature_store_v2 ml_training_set",
            "--vars", "{start_date: 2024-12-10, end_date: 2024-12-12}"]
    with mock.patch.object(BigQueryAdapter, "get_relation", return_value=None), \
            mock.patch.object(BigQueryConnectionManager, "open", classmethod(_open_stub)):
        res = dbtRunner().invoke(args)
    assert res.success, res.exception
    folder = target / "compiled" / "nba_pipeline" / "models" / "predictions"
    return {name: (folder / f"{name}.sql").read_text() for name in ("ml_feature_store_v2", "ml_training_set")}


def test_the_feature_store_uses_bigquery_arrays_structs_and_nan(compiled):
    sql = compiled["ml_feature_store_v2"].lower()
    assert "ieee_divide(0, 0)" in sql  # NaN
    assert re.search(r"array_agg\(.*ignore nulls", sql)  # no NULL array element
    assert "cast([] as array<date>)" in sql  # empty contributing_game_dates
    assert re.search(r"struct\(\s*cast\(", sql) and " as games_found" in sql
    assert "float64" in sql and "int64" in sql
    for duckdb_only in ("struct_pack", "isnan(", "::", " double", "filter (where", "list_", "len("):
        assert duckdb_only not in sql, duckdb_only


def test_the_training_view_reads_array_elements_the_bigquery_way(compiled):
    sql = compiled["ml_training_set"].lower()
    assert "features[safe_offset(0)]" in sql and "features[safe_offset(32)]" in sql
    assert "is_nan(" in sql and "isnan(" not in sql.replace("is_nan(", "")
    assert "(historical_completeness).is_complete" in sql

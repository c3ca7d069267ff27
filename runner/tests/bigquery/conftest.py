"""The project compiled offline for the BigQuery target, once for the tests of this folder.

dbt-bigquery opens a connection to decide `is_incremental()`, so the connection is a stub (no
query is sent) and `get_relation` answers with an existing table: every incremental model is
compiled in incremental mode, with the run range START..END as vars (the static partition list
of insert_overwrite is rendered at parse time from the same vars). The profile's bigquery target
is used as is (oauth; nothing connects).
"""
from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from unittest import mock

import pytest
from dbt.adapters.bigquery.connections import BigQueryConnectionManager
from dbt.adapters.bigquery.impl import BigQueryAdapter
from dbt.adapters.bigquery.relation import BigQueryRelation

from runner.config import Settings
from runner.dbt import Dbt
from runner.tests.conftest import PROJECT_DIR

START, END = dt.date(2024, 12, 10), dt.date(2024, 12, 16)


@dataclass(frozen=True)
class BigQueryProject:
    manifest: dict  # manifest.json
    compiled: dict[str, str]  # incremental model name -> compiled SQL (ephemerals inlined)
    source_dates: dict[str, str]  # raw source table -> its date column (macro nba_raw_tables)
    start: dt.date = START
    end: dt.date = END


def _open_stub(cls, connection):
    connection.state = "open"
    connection.handle = mock.MagicMock()
    return connection


def _existing_table(self, database, schema, identifier):
    return BigQueryRelation.create(database=database, schema=schema, identifier=identifier, type="table")


@pytest.fixture(scope="package")
def bigquery_project(tmp_path_factory) -> BigQueryProject:
    """Through runner.dbt.Dbt, as the backfill's dry run compiles each chunk (compile_models)."""
    run_vars = {"start_date": START.isoformat(), "end_date": END.isoformat()}
    env = {k: v for k, v in os.environ.items() if k != "NBA_BQ_KEYFILE"}  # no key file: oauth, never used
    # its own target folder: the project's target/ (and its DuckDB partial parse) stays untouched
    env["DBT_TARGET_PATH"] = str(tmp_path_factory.mktemp("bigquery") / "target")
    with mock.patch.dict(os.environ, env, clear=True), \
            mock.patch.object(BigQueryAdapter, "get_relation", _existing_table), \
            mock.patch.object(BigQueryConnectionManager, "open", classmethod(_open_stub)):
        dbt = Dbt(Settings.load(project_dir=PROJECT_DIR, target="bigquery"))
        dbt.parse(vars=run_vars)  # the static partition lists are rendered from these vars
        manifest = dbt.manifest.writable_manifest().to_dict()
        incremental = sorted(n["name"] for n in manifest["nodes"].values()
                             if n["resource_type"] == "model" and n["config"]["materialized"] == "incremental")
        compiled = dbt.compile_models(incremental, vars=run_vars)
        tables = json.loads(dbt.compile_inline("{{ tojson(nba_raw_tables()) }}"))
    return BigQueryProject(manifest, compiled, {t["name"]: t["date_column"] for t in tables})

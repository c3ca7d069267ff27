"""The project compiled offline for the BigQuery target, once for the tests of this folder.

dbt-bigquery opens a connection to decide `is_incremental()`, so the connection is a stub (no
query is sent) and `get_relation` answers with an existing table: every incremental model is
compiled in incremental mode, with the run range START..END as vars (the static partition list
of insert_overwrite is rendered at parse time from the same vars).
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
from dbt.cli.main import dbtRunner

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
    target = tmp_path_factory.mktemp("bigquery") / "target"
    common = ["--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR / "profiles"),
              "--target", "bigquery", "--target-path", str(target), "--no-populate-cache"]
    run_vars = ["--vars", json.dumps({"start_date": START.isoformat(), "end_date": END.isoformat()})]
    env = {k: v for k, v in os.environ.items() if k != "NBA_BQ_KEYFILE"}  # no key file: oauth, never used
    with mock.patch.dict(os.environ, env, clear=True), \
            mock.patch.object(BigQueryAdapter, "get_relation", _existing_table), \
            mock.patch.object(BigQueryConnectionManager, "open", classmethod(_open_stub)):
        parsed = dbtRunner().invoke(["parse", "--quiet", "--no-partial-parse", *common, *run_vars])
        assert parsed.success, parsed.exception
        runner = dbtRunner(manifest=parsed.result)
        models = runner.invoke(["compile", "--quiet", *common, *run_vars,
                                "--select", "config.materialized:incremental", "--indirect-selection", "empty"])
        assert models.success, models.exception
        tables = runner.invoke(["compile", "--quiet", "--log-level", "none", *common,
                                "--inline", "{{ tojson(nba_raw_tables()) }}"])
        assert tables.success, tables.exception
    compiled = {r.node.name: r.node.compiled_code for r in models.result.results if r.node.resource_type == "model"}
    source_dates = {t["name"]: t["date_column"] for t in json.loads(tables.result.results[0].node.compiled_code)}
    manifest = json.loads((target / "manifest.json").read_text())
    return BigQueryProject(manifest, compiled, source_dates)

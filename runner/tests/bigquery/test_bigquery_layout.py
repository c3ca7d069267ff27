"""Every incremental model's BigQuery layout, read from the manifest (no hard-coded list):
partitioned by day on its date column, clustered (at most 4 documented columns, BigQuery's
limit), insert_overwrite with a STATIC partition list, one per day of the run's range. The
BigQuery layout table of docs/bigquery.md is the manifest's, so it cannot drift from the configs.
"""
from __future__ import annotations

import datetime as dt
import re

from runner.tests.conftest import PROJECT_DIR

DATASET_ORDER = ("nba_analytics", "nba_precompute", "nba_predictions", "nba_orchestration")
LAYOUT_DOC = PROJECT_DIR / "docs" / "bigquery.md"
LAYOUT_TABLE = re.compile(r"<!-- bigquery-layout:start -->\n(.*?)<!-- bigquery-layout:end -->", re.S)


def _models(manifest: dict) -> list[dict]:
    return [n for n in manifest["nodes"].values() if n["resource_type"] == "model"]


def test_every_incremental_model_is_partitioned_clustered_and_replaces_static_partitions(bigquery_project):
    start, end = bigquery_project.start, bigquery_project.end
    days = [f"date('{start + dt.timedelta(days=i)}')" for i in range((end - start).days + 1)]
    incremental = [n for n in _models(bigquery_project.manifest) if n["config"]["materialized"] == "incremental"]
    assert len(incremental) >= 10
    for node in incremental:
        name, config = node["name"], node["config"]
        date_column = config["meta"]["date_column"]
        assert config["partition_by"] == {"field": date_column, "data_type": "date", "granularity": "day"}, name
        assert config["incremental_strategy"] == "insert_overwrite", name
        # and the dates every run replaces besides its range (the raw accounting's sentinel dates)
        always = [f"date('{d}')" for d in config["meta"].get("always_replaced_dates") or []]
        assert config["partitions"] == days + always, name
        assert not config.get("copy_partitions"), name  # copy jobs: unsupported by the CI emulator
        cluster = config["cluster_by"] or []
        assert 1 <= len(cluster) <= 4, f"{name}: BigQuery clusters by 1 to 4 columns, got {cluster}"
        assert set(cluster) | {date_column} <= set(node["columns"]), f"{name}: undocumented cluster column"


def layout_table(manifest: dict) -> str:
    """The table of docs/bigquery.md: every date-partitioned model with its BigQuery layout."""
    rows = sorted(
        (n for n in _models(manifest) if n["config"].get("partition_by")),
        key=lambda n: (DATASET_ORDER.index(n["schema"]) if n["schema"] in DATASET_ORDER else 99, n["name"]),
    )
    lines = ["| model | dataset | materialized | partitioned by (day) | clustered by | lookback_days |",
             "|---|---|---|---|---|---|"]
    for n in rows:
        config = n["config"]
        lookback = config["meta"].get("lookback_days")
        lines.append(
            f"| `{n['name']}` | {n['schema']} | {config['materialized']} | `{config['partition_by']['field']}` "
            f"| {', '.join(f'`{c}`' for c in config.get('cluster_by') or []) or '—'} "
            f"| {'—' if lookback is None else lookback} |"
        )
    return "\n".join(lines) + "\n"


def test_the_documented_bigquery_table_is_the_manifests(bigquery_project):
    expected = layout_table(bigquery_project.manifest)
    found = LAYOUT_TABLE.search(LAYOUT_DOC.read_text())
    assert found, "docs/bigquery.md lacks the <!-- bigquery-layout:start/end --> table"
    assert found.group(1) == expected, f"docs/bigquery.md's BigQuery layout table is stale; replace it with:\n{expected}"

"""Phase 4 model configuration, read offline from a `dbt parse` (no connection needed):

- on BigQuery, each of the four tables is partitioned by day on its date column, clustered as
  domain.md §3 says, and replaces a static list of partitions (one per day of the run's range);
- every one declares the backfill metadata the runner reads (meta.backfill: date column,
  bootstrap skip, window_days) and the tag phase4.
"""
from __future__ import annotations

import json

from dbt.cli.main import dbtRunner

from runner.tests.conftest import PROJECT_DIR

PHASE4 = {
    "team_defense_zone_analysis": ("analysis_date", ["team_abbr", "analysis_date"]),
    "player_shot_zone_analysis": ("analysis_date", ["player_lookup", "universal_player_id", "analysis_date"]),
    "player_composite_factors": ("game_date", ["player_lookup", "universal_player_id", "game_date"]),
    "player_daily_cache": ("cache_date", ["player_lookup", "universal_player_id"]),
}


def _phase4_configs(tmp_path, monkeypatch) -> dict[str, dict]:
    monkeypatch.delenv("NBA_BQ_KEYFILE", raising=False)
    target = tmp_path / "target"
    res = dbtRunner().invoke([
        "parse", "--quiet", "--project-dir", str(PROJECT_DIR), "--target", "bigquery",
        "--target-path", str(target), "--no-partial-parse",
        "--vars", "{start_date: 2024-12-01, end_date: 2024-12-02}",
    ])
    assert res.success, res.exception
    nodes = json.loads((target / "manifest.json").read_text())["nodes"].values()
    return {n["name"]: n for n in nodes if n["resource_type"] == "model" and n["name"] in PHASE4}


def test_phase4_tables_partition_cluster_and_declare_backfill_meta(tmp_path, monkeypatch):
    nodes = _phase4_configs(tmp_path, monkeypatch)
    assert set(nodes) == set(PHASE4)
    for name, node in nodes.items():
        date_column, cluster_by = PHASE4[name]
        config = node["config"]
        assert "phase4" in node["tags"], name
        assert config["incremental_strategy"] == "insert_overwrite", name
        assert config["partition_by"] == {"field": date_column, "data_type": "date", "granularity": "day"}, name
        assert config["cluster_by"] == cluster_by, name
        assert config["partitions"] == ["date('2024-12-01')", "date('2024-12-02')"], name
        backfill = config["meta"]["backfill"]
        assert backfill["date_column"] == config["meta"]["date_column"] == date_column, name
        assert backfill["bootstrap"] == "skip", name
        assert isinstance(backfill["window_days"], int) and backfill["window_days"] >= 0, name

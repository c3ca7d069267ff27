"""On BigQuery, every Phase 3 model is partitioned by day on game_date, clustered,
and replaces a static list of partitions: one per day of the run's range.

`dbt parse` needs no connection, so this runs offline with the bigquery target.
"""
from __future__ import annotations

import json
import os

from dbt.cli.main import dbtRunner

from runner.tests.conftest import PROJECT_DIR

PHASE3 = {
    "team_offense_game_summary",
    "team_defense_game_summary",
    "player_game_summary",
    "upcoming_player_game_context",
    "upcoming_team_game_context",
}


def _phase3_configs(tmp_path, vars_: str | None) -> dict[str, dict]:
    target = tmp_path / "target"
    args = ["parse", "--quiet", "--project-dir", str(PROJECT_DIR), "--target", "bigquery",
            "--target-path", str(target), "--no-partial-parse"]
    if vars_:
        args += ["--vars", vars_]
    res = dbtRunner().invoke(args)
    assert res.success, res.exception
    nodes = json.loads((target / "manifest.json").read_text())["nodes"].values()
    return {n["name"]: n["config"] for n in nodes if n["resource_type"] == "model" and n["name"] in PHASE3}


def test_a_range_replaces_one_static_partition_per_day(tmp_path, monkeypatch):
    monkeypatch.delenv("NBA_BQ_KEYFILE", raising=False)
    configs = _phase3_configs(tmp_path, "{start_date: 2024-11-11, end_date: 2024-11-13}")
    assert set(configs) == PHASE3
    for name, config in configs.items():
        assert config["incremental_strategy"] == "insert_overwrite", name
        assert config["partition_by"] == {"field": "game_date", "data_type": "date", "granularity": "day"}, name
        assert "game_date" in (config["cluster_by"] or []), name
        assert config["partitions"] == ["date('2024-11-11')", "date('2024-11-12')", "date('2024-11-13')"], name


def test_without_a_range_bigquery_replaces_the_partitions_it_touches(tmp_path):
    configs = _phase3_configs(tmp_path, None)
    for name, config in configs.items():
        assert config["incremental_strategy"] == "insert_overwrite", name
        assert not config.get("partitions"), name

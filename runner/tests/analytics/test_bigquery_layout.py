"""On BigQuery without a range, Phase 3 replaces the partitions it touches.

(With a range, every incremental model's static partition list, partitioning and
clustering are checked in runner/tests/bigquery/test_bigquery_layout.py.)

`dbt parse` needs no connection, so this runs offline with the bigquery target.
"""
from __future__ import annotations

import json

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


def test_without_a_range_bigquery_replaces_the_partitions_it_touches(tmp_path):
    configs = _phase3_configs(tmp_path, None)
    for name, config in configs.items():
        assert config["incremental_strategy"] == "insert_overwrite", name
        assert not config.get("partitions"), name

"""Lineage and freshness, read offline from a `dbt parse` (no warehouse needed): the exposures of the
feature store's consumers with owners and depends_on, freshness on every raw source, the cascade's
meta on the models that declare rules; and the freshness section built from dbt's results."""
from __future__ import annotations

import datetime as dt
import json
from types import SimpleNamespace as NS

import pytest
from dbt.cli.main import dbtRunner

from runner.tests.conftest import PROJECT_DIR
from runner.validate.freshness import section_from_results, verdict


@pytest.fixture(scope="module")
def manifest(tmp_path_factory):
    target = tmp_path_factory.mktemp("lineage") / "target"
    res = dbtRunner().invoke([
        "parse", "--quiet", "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR / "profiles"),
        "--target-path", str(target), "--no-partial-parse",
    ])
    assert res.success, res.exception
    return json.loads((target / "manifest.json").read_text())


def test_exposures_name_the_feature_store_consumers_with_owners(manifest):
    exposures = {e["name"]: e for e in manifest["exposures"].values()}
    assert set(exposures) >= {"prediction_service", "ml_model_training"}
    assert exposures["prediction_service"]["depends_on"]["nodes"] == ["model.nba_pipeline.ml_feature_store_v2"]
    assert "model.nba_pipeline.ml_training_set" in exposures["ml_model_training"]["depends_on"]["nodes"]
    for e in exposures.values():
        assert e["owner"]["name"] and e["owner"]["email"], e["name"]
        assert e["description"].strip(), e["name"]
    # the lineage graph reaches the exposures from the raw sources
    parents = manifest["parent_map"]
    seen, frontier = set(), ["exposure.nba_pipeline.prediction_service"]
    while frontier:
        node = frontier.pop()
        if node not in seen:
            seen.add(node)
            frontier.extend(parents.get(node, []))
    assert any(n.startswith("source.nba_pipeline.nba_raw.") for n in seen)


def test_every_raw_source_has_freshness_on_processed_at(manifest):
    sources = [s for s in manifest["sources"].values() if s["source_name"] == "nba_raw"]
    assert len(sources) == 11
    for s in sources:
        assert s["loaded_at_field"] == "processed_at", s["name"]
        f = s["freshness"]
        assert f["warn_after"]["count"] and f["error_after"]["count"], s["name"]
        assert f["warn_after"]["count"] < f["error_after"]["count"], s["name"]


def test_the_cascade_rules_are_declared_next_to_the_backfill_meta(manifest):
    models = {n["name"]: n for n in manifest["nodes"].values() if n["resource_type"] == "model"}
    mlfs = models["ml_feature_store_v2"]["config"]["meta"]["cascade"]
    assert mlfs["provenance"] == "historical_completeness.contributing_game_dates"
    assert "historical_completeness" in models["ml_feature_store_v2"]["columns"]
    assert models["team_defense_zone_analysis"]["config"]["meta"]["cascade"]["league_days"] == 30
    for name in ("player_composite_factors", "player_daily_cache", "ml_feature_store_v2"):
        assert models[name]["config"]["meta"]["cascade"]["reads_own_date"] is True, name


def _result(table, status, hours):
    period = NS(value="hour")
    node = NS(source_name="nba_raw", name=table,
              freshness=NS(warn_after=NS(count=36, period=period), error_after=NS(count=84, period=period)))
    return NS(node=node, status=NS(value=status), age=hours * 3600.0,
              max_loaded_at=dt.datetime(2025, 6, 20, 9, 0), message=None)


def test_stale_simulated_sources_are_information_but_fail_on_production():
    results = [_result("nbac_schedule", "error", 4000.0), _result("nbac_injury_report", "pass", 2.0),
               _result("odds_api_game_lines", "warn", 40.0)]
    embedded = section_from_results(results, embedded=True)
    assert embedded.id == "freshness" and len(embedded.checks) == len(embedded.rows) == 3
    assert {c.severity for c in embedded.checks} == {"info"}
    stale = next(c for c in embedded.checks if c.name == "freshness.nba_raw.nbac_schedule")
    assert not stale.passed and stale.observed == 4000.0 and "simulated" in stale.message
    production = {c.name: c for c in section_from_results(results, embedded=False).checks}
    assert (production["freshness.nba_raw.nbac_schedule"].severity, production["freshness.nba_raw.nbac_schedule"].passed) == ("error", False)
    assert (production["freshness.nba_raw.odds_api_game_lines"].severity,
            production["freshness.nba_raw.odds_api_game_lines"].passed) == ("warn", False)
    assert production["freshness.nba_raw.nbac_injury_report"].passed
    assert verdict("runtime error", embedded=True) == (False, "error")  # a broken source is never info

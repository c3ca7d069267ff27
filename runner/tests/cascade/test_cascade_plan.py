"""The cascade's date logic, on plain values (no dbt, no warehouse): which dates each model
recomputes and why, the same-date propagation, the grouping into backfill runs, the suggestion."""
from __future__ import annotations

import datetime as dt

from runner.backfill.planner import cascade_suggestion
from runner.project import DateModel
from runner.services.cascade import Hit, ModelSpec, assemble, compact_dates, hits_sql, run_groups

D = dt.date
X = D(2024, 11, 22)


def _model(name, phase, upstream=(), date_column="game_date"):
    return DateModel(name, f"model.nba_pipeline.{name}", phase, date_column, "skip", 21,
                     f'"db"."s"."{name}"', tuple(upstream))


UPCG = _model("upcoming_player_game_context", "phase3", ["player_game_summary"])
TDZA = _model("team_defense_zone_analysis", "phase4", ["team_defense_game_summary"], "analysis_date")
PCF = _model("player_composite_factors", "phase4", ["team_defense_zone_analysis", "upcoming_player_game_context"])
MLFS = _model("ml_feature_store_v2", "features", ["player_composite_factors", "player_game_summary"])


def _spec(model, **kw):
    cols = ("player_lookup", "team_abbr", "opponent_team_abbr") if model is not TDZA else ("team_abbr",)
    key = "team_abbr" if model is TDZA else "player_lookup"
    return ModelSpec(model, key, cols, True, **kw)


SPECS = [_spec(UPCG), _spec(TDZA, league_days=30), _spec(PCF, reads_own_date=True),
         _spec(MLFS, provenance="historical_completeness.contributing_game_dates", reads_own_date=True)]


def _rows(model, *days):
    return [Hit(model, "rows", None, d, 10) for d in days]


def test_each_model_gets_the_dates_its_rules_find_and_why():
    hits = [
        Hit("ml_feature_store_v2", "provenance", X, D(2024, 11, 23), 40, "aleccook"),
        Hit("ml_feature_store_v2", "provenance", X, D(2024, 11, 25), 12, "bobby"),
        Hit("ml_feature_store_v2", "season", X, D(2024, 12, 20), 3, "alecmitchelljr"),
        Hit("team_defense_zone_analysis", "league", X, D(2024, 11, 24), 30, "ATL"),
    ]
    plan = {m.model.name: m for m in assemble(SPECS, hits)}
    assert "upcoming_player_game_context" not in plan  # nothing reads X there: no empty entry
    assert plan["team_defense_zone_analysis"].dates == [D(2024, 11, 24)]
    mlfs = plan["ml_feature_store_v2"]
    assert mlfs.dates == [D(2024, 11, 23), D(2024, 11, 25), D(2024, 12, 20)]
    cites = next(r for r in mlfs.reasons if r.rule == "provenance")
    assert (cites.corrected, cites.rows, cites.dates) == (X, 52, [D(2024, 11, 23), D(2024, 11, 25)])
    assert "historical_completeness.contributing_game_dates" in cites.text
    assert cites.examples == ["2024-11-23 aleccook", "2024-11-25 bobby"]


def test_a_date_recomputed_upstream_is_recomputed_where_it_is_read_on_the_same_date():
    tdza_day, pcf_only = D(2024, 11, 24), D(2024, 11, 26)
    hits = [Hit("team_defense_zone_analysis", "league", X, tdza_day, 30, "ATL"),
            Hit("player_composite_factors", "season", X, pcf_only, 2, "p")]
    # PCF has rows on tdza_day; the feature store has rows on both days, but no rule of its own
    hits += _rows("player_composite_factors", tdza_day, pcf_only) + _rows("ml_feature_store_v2", tdza_day, pcf_only)
    plan = {m.model.name: m for m in assemble(SPECS, hits)}
    assert plan["player_composite_factors"].dates == [tdza_day, pcf_only]
    # the feature store reads PCF of the same date: both days, through PCF (transitively)
    assert plan["ml_feature_store_v2"].dates == [tdza_day, pcf_only]
    same = [r for r in plan["ml_feature_store_v2"].reasons if r.rule == "same_date"]
    assert len(same) == 1 and "player_composite_factors" in same[0].text


def test_same_date_propagation_only_where_the_reader_has_rows():
    hits = [Hit("team_defense_zone_analysis", "league", X, D(2024, 11, 24), 30, "ATL")]
    plan = {m.model.name: m for m in assemble(SPECS, hits)}
    assert set(plan) == {"team_defense_zone_analysis"}


def test_consecutive_models_with_the_same_dates_share_a_backfill_run():
    a, b = [D(2024, 11, 23)], [D(2024, 11, 22), D(2024, 11, 23)]
    hits = [Hit("upcoming_player_game_context", "season", X, a[0], 1, "p"),
            Hit("team_defense_zone_analysis", "league", X, a[0], 1, "ATL"),
            Hit("player_composite_factors", "own_date", X, b[0], 1, "p"),
            Hit("player_composite_factors", "season", X, b[1], 1, "p"),
            Hit("ml_feature_store_v2", "own_date", X, b[0], 1, "p"),
            Hit("ml_feature_store_v2", "season", X, b[1], 1, "p")]
    groups = run_groups(assemble(SPECS, hits))
    assert groups == [
        (["upcoming_player_game_context", "team_defense_zone_analysis"], a),
        (["player_composite_factors", "ml_feature_store_v2"], b),
    ]


def test_compact_dates_joins_runs_of_days():
    days = [D(2024, 11, 23), D(2024, 11, 24), D(2024, 11, 25), D(2024, 11, 27)]
    assert compact_dates(days) == "2024-11-23..2024-11-25, 2024-11-27"
    many = [D(2024, 11, 1) + dt.timedelta(days=2 * i) for i in range(8)]
    assert compact_dates(many, limit=3).endswith("(+5 more)")


def test_suggestion_only_for_phase3_dates_redone_with_later_rows():
    phase3 = ["player_game_summary", "team_offense_game_summary"]
    before = {"player_game_summary": {X: "succeeded", D(2024, 11, 23): "failed"}}
    rewritten = {"player_game_summary": {X, D(2024, 11, 23)}, "ml_feature_store_v2": {D(2024, 11, 24)}}
    assert cascade_suggestion(rewritten, before, phase3, later_rows=True) == \
        "nba-pipeline cascade --dates 2024-11-22 --dry-run"
    assert cascade_suggestion(rewritten, before, phase3, later_rows=False) is None
    assert cascade_suggestion(rewritten, {}, phase3, later_rows=True) is None  # a first backfill: nothing to cascade


def test_the_query_has_one_select_per_rule_and_uses_the_dispatched_array_macro():
    sql = hits_sql(SPECS, [X, D(2024, 12, 9), X])
    assert sql.count("date_literal(") == 2  # corrected dates deduplicated
    assert "array_contains('r.historical_completeness.contributing_game_dates', 'e.corrected_date')" in sql
    assert "list_contains" not in sql  # engine syntax stays in the macro
    assert sql.count("'league' as rule") == 1 and sql.count("'own_date' as rule") == 2
    assert sql.count("'rows' as rule") == len(SPECS)

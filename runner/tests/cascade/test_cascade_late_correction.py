"""The cascade after a late correction, on a copy of the shared clean world.

Flow: the simulator's `late_correction` fault is written into the copy's raw tables (same seed as
the clean world, so only the corrected rows differ), Phase 3 of the first corrected date X is
re-backfilled by the runner (which suggests the cascade), `cascade --dry-run` must list for the
feature store exactly the dates whose rows cite X in `contributing_game_dates` (checked against a
direct query) among its other reasons, and `cascade` must recompute exactly the listed
(model, date) (the ledger) and leave tables equal to a full rebuild: rebuilding every table a
Phase 3 correction can reach over X..end afterwards (whatever the cascade planned) changes no
checksum. That rebuild is a full one: those
models read Phase 3 (unchanged outside X, already re-backfilled) and their own upstream of the
same or earlier dates, rebuilt first in dependency order; nothing before X reads X.
"""
from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from runner.checksums import table_checksum
from runner.config import Settings
from runner.console import CaptureConsole
from runner.dbt import Dbt

pytestmark = pytest.mark.slow

GAMEBOOK = "nbac_gamebook_player_stats"
TABLES = {  # the tables a Phase 3 correction can reach, by schema
    "nba_analytics": ["upcoming_player_game_context"],
    "nba_precompute": ["team_defense_zone_analysis", "player_shot_zone_analysis",
                       "player_composite_factors", "player_daily_cache"],
    "nba_predictions": ["ml_feature_store_v2"],
}


def _checksums(path) -> dict[str, str]:
    with duckdb.connect(str(path)) as con:
        return {f"{s}.{t}": table_checksum(con, f"{s}.{t}", "hash") for s, ts in TABLES.items() for t in ts}


def _game_date(key: dict) -> dt.date:
    """The date of a gamebook key: its game_id is YYYYMMDD_AWAY_HOME."""
    return dt.datetime.strptime(str(key["game_id"])[:8], "%Y%m%d").date()


@pytest.fixture(scope="module")
def world(clean_world, tmp_path_factory):
    from runner.services import raw
    from runner.services.backfill import BackfillRequest, backfill

    path = clean_world.copy_to(tmp_path_factory.mktemp("cascade"))
    settings = Settings.load(duckdb_path=path)
    settings.export_env()
    console = CaptureConsole()
    report = raw.generate(settings, console, raw.GenerateRequest(2024, 2024, 7, ("late_correction",))).report
    corrected = sorted({_game_date(e.key) for e in report.fault_effects if e.table == GAMEBOOK})
    inside = [d for d in corrected if clean_world.start < d < clean_world.end]
    assert inside, f"no corrected date inside the world's range: {corrected}"
    x = inside[0]
    dbt = Dbt(settings)  # one parse for the whole module
    stale = _checksums(path)
    backfill(settings, console, BackfillRequest(dates=(x,), select=("phase3",), resume=False,
                                                command_line="tests: re-backfill Phase 3"),
             dbt_factory=lambda _s: dbt)
    return {"path": path, "settings": settings, "dbt": dbt, "x": x, "end": clean_world.end,
            "console": console, "stale": stale,
            "effects": [e for e in report.fault_effects if e.table == GAMEBOOK]}


def test_a_phase3_re_backfill_suggests_the_cascade(world):
    text = world["console"].text()
    assert f"nba-pipeline cascade --dates {world['x']} --dry-run" in text


def test_dry_run_lists_exactly_the_feature_dates_citing_the_corrected_game(world):
    from runner.services.cascade import CascadeRequest, cascade

    x = world["x"]
    console = CaptureConsole()
    before = _checksums(world["path"])
    outcome = cascade(world["settings"], console, CascadeRequest(dates=(x,), dry_run=True),
                      dbt_factory=lambda _s: world["dbt"])
    assert _checksums(world["path"]) == before  # a dry run writes nothing
    plan = {m.model.name: m for m in outcome.plan}
    with duckdb.connect(str(world["path"])) as con:
        citing = {r[0] for r in con.execute(
            "select distinct game_date from nba_predictions.ml_feature_store_v2 "
            "where game_date > ? and list_contains(historical_completeness.contributing_game_dates, ?)",
            [x, x]).fetchall()}
        corrected_player = next(e.key["player_lookup"] for e in world["effects"] if _game_date(e.key) == x)
        # the corrected player's own later rows: the season rule must reach them all
        player_dates = {r[0] for r in con.execute(
            "select game_date from nba_predictions.ml_feature_store_v2 where game_date > ? and player_lookup = ?",
            [x, corrected_player]).fetchall()}
    assert citing, "no feature row cites the corrected date"
    cites = [r for r in plan["ml_feature_store_v2"].reasons if r.rule == "provenance"]
    assert len(cites) == 1 and set(cites[0].dates) == citing
    mlfs = set(plan["ml_feature_store_v2"].dates)
    assert citing <= mlfs and player_dates <= mlfs
    assert all(x <= d <= world["end"] for m in outcome.plan for d in m.dates)  # nothing before X
    why = next(rows for title, _, rows in console.tables if title.startswith("Why"))
    assert any("contributing_game_dates" in str(r[2]) for r in why) and "dry run" in console.text()
    world["plan"] = {name: list(m.dates) for name, m in plan.items()}


def test_cascade_recomputes_only_the_listed_dates_and_equals_a_full_rebuild(world):
    from runner.services.cascade import CascadeRequest, cascade

    x, path, dbt = world["x"], world["path"], world["dbt"]
    if "plan" not in world:  # run alone: the dry run's plan, which the cascade must carry out exactly
        dry = cascade(world["settings"], CaptureConsole(), CascadeRequest(dates=(x,), dry_run=True),
                      dbt_factory=lambda _s: dbt)
        world["plan"] = {m.model.name: list(m.dates) for m in dry.plan}
    outcome = cascade(world["settings"], CaptureConsole(), CascadeRequest(dates=(x,)),
                      dbt_factory=lambda _s: dbt)
    assert outcome.exit_code == 0 and outcome.runs
    planned = {(name, d) for name, days in outcome.dates().items() for d in days}
    assert outcome.dates() == world["plan"]
    run_ids = [r.run_id for r in outcome.runs]
    with duckdb.connect(str(path)) as con:
        ledger = con.execute(
            f"select model_name, ledger_date, status from nba_orchestration.backfill_ledger "
            f"where run_id in ({', '.join('?' for _ in run_ids)})", run_ids).fetchall()
    assert {(m, d) for m, d, _ in ledger} == planned
    assert {s for _, _, s in ledger} == {"succeeded"}

    cascaded = _checksums(path)
    assert cascaded["nba_predictions.ml_feature_store_v2"] != world["stale"]["nba_predictions.ml_feature_store_v2"]
    # the reference is independent of the cascade's plan: every table a Phase 3 correction can
    # reach, rebuilt whole over X..end in dependency order
    models = [t for ts in TABLES.values() for t in ts]
    rebuilt = dbt.build(select=models, exclude=["resource_type:test", "resource_type:unit_test"],
                        vars={"start_date": x.isoformat(), "end_date": world["end"].isoformat()},
                        log_level="none")
    assert rebuilt.success, rebuilt.error or rebuilt.failed_nodes
    assert _checksums(path) == cascaded

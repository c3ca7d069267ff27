"""The planner and the project model, on plain values and a fake manifest (no dbt, no warehouse)."""
from __future__ import annotations

import datetime as dt

import pytest

from runner.backfill import planner
from runner.backfill.planner import BLOCKED, FAILED, SKIPPED_BOOTSTRAP, SKIPPED_NO_GAMES, SUCCEEDED, Calendar
from runner.errors import UsageError
from runner.project import DateModel, load_project
from runner.tests.backfill.fakes import model_node, phase3_manifest

D = dt.date(2024, 11, 1)


def day(i: int) -> dt.date:
    return D + dt.timedelta(days=i)


def dm(name, upstream=(), window=0, bootstrap="none", phase="phase3") -> DateModel:
    return DateModel(name, "model." + name, phase, "game_date", bootstrap, window, name, tuple(upstream))


# -- project (from the manifest) ---------------------------------------------------------------
def test_models_come_from_meta_in_dependency_order_through_ephemeral_nodes():
    project = load_project(phase3_manifest())
    names = list(project.models)
    assert set(names) == {"team_offense_game_summary", "team_defense_game_summary", "player_game_summary",
                          "upcoming_player_game_context", "upcoming_team_game_context"}
    assert names.index("team_offense_game_summary") < names.index("team_defense_game_summary")
    assert names.index("team_offense_game_summary") < names.index("player_game_summary")
    assert names.index("player_game_summary") < names.index("upcoming_player_game_context")
    pgs = project.models["player_game_summary"]
    assert pgs.upstream == ("team_offense_game_summary",)  # through the ephemeral int_shots
    assert pgs.sources == ('"fake"."nba_raw"."schedule"',)
    assert project.models["upcoming_player_game_context"].window_days == 30


def test_phases_come_before_later_phases_even_when_ready_earlier():
    m = phase3_manifest()
    p4 = model_node("team_defense_zone_analysis", tags=("phase4",),
                    deps=["model.nba_pipeline.team_defense_game_summary"], backfill={"bootstrap": "skip"})
    m.nodes[p4.unique_id] = p4
    names = list(load_project(m).models)
    assert names[-1] == "team_defense_zone_analysis"


def test_coverage_gate_is_the_error_test_without_its_own_min_pct_and_reuses_its_kwargs():
    pgs = load_project(phase3_manifest()).models["player_game_summary"]
    assert pgs.coverage_call.startswith("{{ coverage_comparison(model=ref('player_game_summary')")
    assert "expected_relation=ref('stg_schedule')" in pgs.coverage_call
    assert "min_pct" not in pgs.coverage_call
    assert load_project(phase3_manifest()).models["team_offense_game_summary"].coverage_call is None


def test_select_phases_and_models_in_dependency_order():
    project = load_project(phase3_manifest())
    chosen = project.select(["upcoming_player_game_context", "team_offense_game_summary"])
    assert [m.name for m in chosen] == ["team_offense_game_summary", "upcoming_player_game_context"]
    assert len(project.select(["phase3"])) == 5
    assert len(project.select(None)) == 5


@pytest.mark.parametrize("value, message", [("phase4", "no model of this project is tagged phase4"),
                                            ("nope", "unknown phase or model")])
def test_select_refuses_absent_phases_and_unknown_models(value, message):
    with pytest.raises(UsageError, match=message):
        load_project(phase3_manifest()).select([value])


def test_dependants_are_transitive_and_only_them():
    project = load_project(phase3_manifest())
    assert [m.name for m in project.dependants("player_game_summary")] == ["upcoming_player_game_context"]
    assert "upcoming_team_game_context" not in [m.name for m in project.dependants("team_offense_game_summary")]


def test_a_bad_bootstrap_mode_is_a_usage_error():
    m = phase3_manifest()
    m.nodes["model.nba_pipeline.player_game_summary"].config.meta["backfill"]["bootstrap"] = "maybe"
    with pytest.raises(UsageError, match="bootstrap"):
        load_project(m)


# -- plan ------------------------------------------------------------------------------------------
CAL = Calendar(frozenset({day(0), day(1), day(3), day(4)}), frozenset({day(0), day(1)}))
DAYS = [day(i) for i in range(5)]


def test_days_without_games_are_skipped_and_bootstrap_only_for_skip_models():
    p3 = planner.plan_model(dm("p3"), DAYS, CAL, {})
    assert p3.skipped == {day(2): SKIPPED_NO_GAMES}
    assert p3.todo == [day(0), day(1), day(3), day(4)]
    p4 = planner.plan_model(dm("p4", bootstrap="skip"), DAYS, CAL, {})
    assert p4.skipped == {day(0): SKIPPED_BOOTSTRAP, day(1): SKIPPED_BOOTSTRAP, day(2): SKIPPED_NO_GAMES}
    assert p4.todo == [day(3), day(4)]
    with_bootstrap = planner.plan_model(dm("p4", bootstrap="skip"), DAYS, CAL, {}, include_bootstrap=True)
    assert with_bootstrap.todo == [day(0), day(1), day(3), day(4)]
    placeholder = planner.plan_model(dm("fs", bootstrap="placeholder"), DAYS, CAL, {})
    assert placeholder.todo == [day(0), day(1), day(3), day(4)]


def test_resume_picks_failed_blocked_running_and_pending_dates_even_before_the_last_success():
    ledger = {day(0): FAILED, day(1): SUCCEEDED, day(3): BLOCKED, day(4): SUCCEEDED}
    plan = planner.plan_model(dm("m"), DAYS, CAL, ledger)
    assert plan.todo == [day(0), day(3)]  # day(0) failed before the last success (day 4): retried
    assert plan.done == [day(1), day(4)]
    again = planner.plan_model(dm("m"), DAYS, CAL, ledger, resume=False)
    assert again.todo == [day(0), day(1), day(3), day(4)]


def test_chunks_are_contiguous_bounded_and_never_span_a_kept_date():
    todo = [day(i) for i in (0, 1, 2, 3, 5, 6, 9)]
    chunks = planner.split_chunks("m", todo, keep=[day(4)], chunk_days=3)
    assert [(c.start, c.end) for c in chunks] == [
        (day(0), day(2)), (day(3), day(3)), (day(5), day(6)), (day(9), day(9))]
    # a day without games between two dates to do does not cut the chunk
    assert len(planner.split_chunks("m", [day(0), day(2)], keep=[], chunk_days=31)) == 1


def test_a_failure_blocks_the_same_date_only_and_flags_the_later_dates_that_read_it():
    upcg = dm("upcg", upstream=["pgs"], window=2)
    candidates = [day(i) for i in range(6)]
    bad = {"pgs": {day(1): "coverage 12 %"}}
    blocked = planner.blocked_dates(upcg, bad, candidates)
    assert blocked == {day(1): f"upstream pgs {day(1)}: coverage 12 %"}
    # the dates whose windows read day(1) are built and flagged; none before it, none past the window
    assert planner.incomplete_windows(upcg, bad, candidates) == {day(2): [("pgs", day(1))],
                                                                 day(3): [("pgs", day(1))]}
    # a model that does not read pgs is neither blocked nor flagged
    utgc = dm("utgc", upstream=["schedule_only"])
    assert planner.blocked_dates(utgc, {"pgs": {day(1): "x"}}, [day(1)]) == {}
    assert planner.incomplete_windows(utgc, {"pgs": {day(1): "x"}}, candidates) == {}


@pytest.mark.parametrize("seed", range(20))
def test_no_date_before_a_failure_is_ever_blocked_or_flagged_by_it(seed):
    import random

    rng = random.Random(seed)
    model = dm("m", upstream=["a", "b"], window=rng.randint(0, 10))
    candidates = [day(i) for i in range(40)]
    bad = {u: {day(rng.randint(0, 39)): "x" for _ in range(rng.randint(0, 3))} for u in ("a", "b", "c")}
    first_bad = min((d for u in ("a", "b") for d in bad[u]), default=None)
    blocked = planner.blocked_dates(model, bad, candidates)
    flagged = planner.incomplete_windows(model, bad, candidates)
    assert set(blocked) == {d for u in ("a", "b") for d in bad[u]}  # the same dates, nothing more
    if first_bad is None:
        assert not blocked and not flagged
    else:
        assert min(blocked) >= first_bad and all(d > first_bad for d in flagged)
    for d, misses in flagged.items():
        assert all(x < d <= x + dt.timedelta(days=model.window_days) for _, x in misses)


def test_readiness_is_judged_on_each_dates_own_window():
    tdza = dm("tdza", upstream=["pgs"], window=5, phase="phase4")
    games = [day(i) for i in range(0, 30, 1)]
    ready = set(games) - {day(10)}  # one Phase 3 date missing, never built
    not_ready = planner.window_readiness(tdza, games, ready, games, min_pct=95)
    # only the dates whose own window (D-5..D) holds day(10) are judged short; earlier and
    # later dates are ready whatever the range holds
    assert set(not_ready) == {day(i) for i in range(10, 16)}
    assert "5 of 6 game dates (83.3 % < 95 %), missing " + str(day(10)) in not_ready[day(12)].describe()
    assert planner.window_readiness(tdza, games, ready, games, min_pct=80) == {}


def test_cascade_reruns_dependant_dates_whose_windows_read_a_rewritten_date():
    upcg = dm("upcg", upstream=["pgs"], window=2)
    assert planner.cascade_dates(upcg, {"pgs": {day(1)}}, [day(i) for i in range(6)]) == {day(1), day(2), day(3)}
    assert planner.cascade_dates(upcg, {}, [day(1)]) == set()

"""The shared steps of the staging base models (macros/staging/base_model_steps.sql), compiled.

classify_base_rows decides which row rules a base model gets besides its own: unknown_team always,
future_date / date_outside_season on its date column as date_rules says, game_not_on_schedule and
the preseason / All-Star exclusion with a schedule match; a check of the model wins over a shared
one. Every combination is compiled in one inline compile and the reasons classify_raw_rows tests
(`when <sql> then '<reason>'`) are read back: a shared rule dropped, added where it does not
belong, or overriding the model's own check fails here before any data runs.
"""
from __future__ import annotations

import itertools
import re

import pytest

from runner.config import Settings
from runner.dbt import Dbt

pytestmark = pytest.mark.slow  # one parse and inline compile of the project

DATE_RULES = ["future_date", "date_outside_season"]
_WHEN = re.compile(r"when\s+(?P<sql>.+?)\s+then\s+'(?P<reason>[a-z_]+)'", re.S)


def _cases() -> dict[str, dict]:
    cases = {}
    for n, (rules, schedule, own) in enumerate(itertools.product(
            [r for k in range(3) for r in itertools.combinations(DATE_RULES, k)],
            [None, "{}", "{'with_game_length': true}"],
            [None, "{'nonpositive_line': 'points_line <= 0'}"])):
        args = ["natural_key=['game_id']", f"date_rules={list(rules)}"]
        if schedule:
            args.append(f"schedule={schedule}")
        if own:
            args.append(f"checks={own}")
        cases[f"c{n}"] = {"rules": set(rules), "schedule": schedule, "own": own,
                          "sql": "{{ classify_base_rows(" + ", ".join(args) + ") }}"}
    cases["override"] = {"sql": "{{ classify_base_rows(natural_key=['game_id'], schedule={}, "
                                "checks={'future_date': 'is_final and game_date > current_date', "
                                "'game_not_on_schedule': 'team is not null and not is_on_schedule'}) }}"}
    cases["box"] = {"sql": "{{ classify_player_box_score_rows(['points']) }}"}
    cases["team_box"] = {"sql": "{{ classify_base_rows(natural_key=['game_id', 'team_abbr'], schedule={}, "
                                "checks=box_score_checks(['points'], [['fgm', 'fga'], ['tpm', 'tpa'], "
                                "['ftm', 'fta']])) }}"}
    return cases


@pytest.fixture(scope="module")
def compiled() -> dict[str, str]:
    cases = _cases()
    template = "\n".join(f"-- @@case:{name}@@\n{case['sql']}" for name, case in cases.items())
    sql = Dbt(Settings.load()).compile_inline(template)
    parts = re.split(r"-- @@case:(\w+)@@\n", sql)[1:]
    return dict(zip(parts[::2], parts[1::2]))


def _reasons(sql: str) -> dict[str, str]:
    """reason -> SQL of the row checks classify_raw_rows tests (its CASE ... end as row_check_reason)."""
    checks = sql.split("as exclusion_reason", 1)[1].split("as row_check_reason", 1)[0]
    return {m["reason"]: " ".join(m["sql"].split()) for m in _WHEN.finditer(checks)}


def test_each_base_model_gets_the_shared_rules_that_fit_it(compiled):
    for name, case in _cases().items():
        if not name.startswith("c"):
            continue
        sql = compiled[name]
        expected = {"null_key", "unknown_team"} | case["rules"]
        if case["schedule"]:
            expected.add("game_not_on_schedule")
        if case["own"]:
            expected.add("nonpositive_line")
        assert set(_reasons(sql)) == expected, (case["sql"], _reasons(sql))
        # the schedule match is a CTE of its own, and only then are preseason / All-Star rows excluded
        assert ("matched as (" in sql) == bool(case["schedule"]), case["sql"]
        assert ("'preseason_game'" in sql) == bool(case["schedule"]), case["sql"]
        assert ("game_lengths" in sql) == (case["schedule"] == "{'with_game_length': true}"), case["sql"]
        assert sql.count("final as (") >= 1


def test_a_models_own_check_wins_over_the_shared_one(compiled):
    reasons = _reasons(compiled["override"])
    assert reasons["future_date"] == "is_final and game_date > current_date"
    assert reasons["game_not_on_schedule"] == "team is not null and not is_on_schedule"
    assert "date_outside_season" in reasons


def test_box_score_checks(compiled):
    player, team = _reasons(compiled["box"]), _reasons(compiled["team_box"])
    box = {"malformed_minutes", "negative_stat", "made_above_attempted", "points_mismatch"}
    assert set(player) == box | {"null_key", "unresolvable_player", "unknown_team", "minutes_above_game_length",
                                 "future_date", "date_outside_season", "game_not_on_schedule"}
    assert "'player_on_two_teams'" in compiled["box"]  # one game per player and day
    assert "game_lengths" in compiled["box"]
    assert set(team) == box | {"null_key", "unknown_team", "future_date", "date_outside_season",
                               "game_not_on_schedule"}
    assert "fgm > fga" in team["made_above_attempted"].replace("(", "").replace(")", "")
    assert "field_goals_made > field_goals_attempted" in player["made_above_attempted"].replace(
        "(", "").replace(")", "")

"""Hostile input: every date, selection and option value reaching the CLI is checked before any
SQL is built (exit 2, the message names the value); property-based tests (hypothesis) fuzz the
date and selection parsers and the planner. Fast: nothing here touches dbt or a warehouse."""
from __future__ import annotations

import datetime as dt
import string

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from runner.backfill import planner
from runner.backfill.planner import Calendar
from runner.cli import app
from runner.errors import UsageError
from runner.inputs import check_dbt_selectors, check_names, parse_iso_date
from runner.project import load_project
from runner.services.backfill import BackfillRequest, validate_request
from runner.tests.backfill.fakes import phase3_manifest

cli = CliRunner()
INJECTION = "2024-01-01'; drop table x; --"
# no shrinking phase: a failure prints its example at once instead of spending minutes of CI on it
FUZZ = settings(max_examples=40, deadline=None, database=None,
                phases=(Phase.explicit, Phase.reuse, Phase.generate),
                suppress_health_check=[HealthCheck.function_scoped_fixture])
RANGE = ["--start-date", "2024-11-01", "--end-date", "2024-11-10"]


def invoke(tmp_path, *args):
    db = tmp_path / "never.duckdb"  # no warehouse: a refused command must not even open one
    result = cli.invoke(app, ["--duckdb-path", str(db), *args])
    assert not db.exists()
    return result


@pytest.mark.parametrize("args, shown", [
    (["backfill", "--start-date", INJECTION, "--end-date", "2024-11-10"], INJECTION),
    (["backfill", "--start-date", "2024-11-01", "--end-date", "2024-11-10' or '1'='1"], "2024-11-10' or '1'='1"),
    (["backfill", "--dates", f"2024-11-05,{INJECTION}"], INJECTION),
    (["backfill", "--start-date", "20241101", "--end-date", "2024-11-10"], "20241101"),  # ISO, but not ours
    (["backfill", "--start-date", "2024-W45-1", "--end-date", "2024-11-10"], "2024-W45-1"),
    (["backfill", "--start-date", "2024-02-30", "--end-date", "2024-11-10"], "2024-02-30"),
    (["backfill", *RANGE, "--select", "phase3; drop table nba_raw.nbac_schedule"], "phase3;"),
    (["backfill", *RANGE, "--select", "player_game_summary' or '1'='1"], "player_game_summary'"),
    (["backfill", *RANGE, "--select", "../../etc/passwd"], "../../etc/passwd"),
    (["backfill", *RANGE, "--threads", "0"], "--threads"),
    (["backfill", *RANGE, "--chunk-days", "-5"], "--chunk-days"),
    (["backfill", *RANGE, "--notify", "file:///etc/passwd"], "--notify"),
    (["validate", "--start-date", INJECTION], INJECTION),
    (["validate", "--select", "coverage'); drop table x; --"], "coverage')"),
    (["validate", "--format", "html\"><script>"], "--format"),
    (["status", "--end-date", "yesterday"], "yesterday"),
    (["cascade", "--dates", "2024-11-05;2024-11-06"], "2024-11-05;2024-11-06"),
    (["build", "--select", "staging'; drop table x; --"], "staging';"),
    (["build", "--select", "$(touch /tmp/pwned)"], "$(touch"),
    (["raw", "generate", "--start-date", INJECTION], INJECTION),
])
def test_hostile_values_are_refused_with_exit_2_naming_the_value(tmp_path, args, shown):
    result = invoke(tmp_path, *args)
    assert result.exit_code == 2, result.output
    assert shown in " ".join(result.output.split()), result.output


# -- property-based ---------------------------------------------------------------------------
texts = st.text(st.characters(codec="utf-8"), max_size=40)
date_like = st.builds(lambda y, m, d, pad: f"{pad}{y:04d}-{m:02d}-{d:02d}{pad}",
                      st.integers(0, 9999), st.integers(0, 13), st.integers(0, 32), st.sampled_from(["", " ", "\t"]))


@FUZZ
@given(st.one_of(texts, date_like))
def test_a_date_parses_only_when_it_is_exactly_yyyy_mm_dd(text):
    try:
        day = parse_iso_date(text, "--start-date")
    except UsageError as exc:
        assert str(exc).startswith("--start-date ")
        return
    assert day.isoformat() == text.strip()


@FUZZ
@given(st.dates(), st.sampled_from(["", " ", "\t"]))
def test_every_real_date_is_accepted_as_yyyy_mm_dd(day, pad):
    # the refusals above would pass if the parser refused everything: a real date must come back
    assert parse_iso_date(f"{pad}{day.isoformat()}{pad}", "--start-date") == day


@FUZZ
@given(texts.filter(lambda t: t.strip() and "\x00" not in t))
def test_the_cli_refuses_any_non_date_with_exit_2(tmp_path, text):
    try:
        parse_iso_date(text)
        return  # a real date: covered by the runs that use one
    except UsageError:
        pass
    result = invoke(tmp_path, "backfill", "--start-date", text, "--end-date", "2024-11-10", "--dry-run")
    assert result.exit_code == 2, result.output
    assert "Invalid value for '--start-date'" in " ".join(result.output.split())


SAFE = set(string.ascii_letters + string.digits + "_:")


@FUZZ
@given(st.lists(st.one_of(texts, st.sampled_from(["phase3", "phase4", "features", "tag:phase3", "player_game_summary",
                                                    "upcoming_team_game_context", "nope", "x;y", "a b"])), max_size=4))
def test_selection_is_a_subset_in_dependency_order_or_a_usage_error_naming_the_value(values):
    project = load_project(phase3_manifest())
    order = list(project.models)
    try:
        check_names("--select", values)
        chosen = project.select(values)
    except UsageError as exc:
        assert any(repr(v)[1:-1][:20] in str(exc) or v in str(exc) for v in values), str(exc)
        return
    assert all(set(v) <= SAFE for v in values)
    names = [m.name for m in chosen]
    assert names == sorted(names, key=order.index)
    assert set(names) <= set(order)


VALID = ["phase3", "tag:phase3", "upcoming_player_game_context", "player_game_summary", "upcoming_team_game_context",
         "team_offense_game_summary"]


@FUZZ
@given(st.lists(st.sampled_from(VALID), min_size=1, max_size=4))
def test_a_valid_selection_is_accepted_and_resolves_to_its_models(values):
    project = load_project(phase3_manifest())
    check_names("--select", values)
    names = {m.name for m in project.select(values)}
    wanted = set()
    for v in values:
        key = v.removeprefix("tag:")
        wanted |= {m.name for m in project.in_phase(key)} if key == "phase3" else {key}
    assert names == wanted


@FUZZ
@given(st.lists(st.sampled_from(["+", ""]), min_size=1, max_size=1),
       st.sampled_from(["staging", "orchestration", "tag:phase3", "player_game_summary", "path:models/analytics",
                        "stg_nba_raw__nbac_schedule", "config.materialized:view"]),
       st.lists(st.sampled_from(["+", ""]), min_size=1, max_size=1))
def test_a_valid_dbt_selector_is_accepted(before, name, after):
    check_dbt_selectors("--select", [f"{before[0]}{name}{after[0]}"])  # raises on a refusal


@FUZZ
@given(texts)
def test_a_dbt_selector_never_carries_quotes_separators_or_spaces(text):
    try:
        check_dbt_selectors("--select", [text])
    except UsageError as exc:
        assert "not a dbt selector" in str(exc)
        return
    assert not set(text) & set("'\";\\ \t\n$`()<>|&!{}[]#%")


days = st.dates(dt.date(2024, 10, 1), dt.date(2024, 12, 31))


@FUZZ
@given(st.sets(days, max_size=40), st.sets(days, max_size=20), st.sets(days, max_size=20), st.integers(1, 40),
       st.sampled_from(["skip", "none"]), st.booleans())
def test_the_plan_splits_every_day_once_and_chunks_never_span_a_kept_date(game, done, boot, chunk_days, bootstrap,
                                                                           resume):
    run_days = planner.days_between(dt.date(2024, 10, 1), dt.date(2024, 12, 31))
    model = load_project(phase3_manifest()).models["player_game_summary"]
    model = type(model)(**{**model.__dict__, "bootstrap": bootstrap})
    calendar = Calendar(frozenset(game), frozenset(boot & game))
    ledger = dict.fromkeys(done, planner.SUCCEEDED)
    plan = planner.plan_model(model, run_days, calendar, ledger, resume)
    parts = [set(plan.skipped), set(plan.todo), set(plan.done)]
    assert sum(map(len, parts)) == len(run_days) and set().union(*parts) == set(run_days)
    assert set(plan.todo) <= game and set(plan.done) <= game & done
    keep = game - set(plan.todo)
    chunks = planner.split_chunks(model.name, plan.todo, keep, chunk_days)
    assert [d for c in chunks for d in c.dates] == sorted(plan.todo)
    for c in chunks:
        assert (c.end - c.start).days < chunk_days
        assert not any(c.start < k < c.end for k in keep)


@FUZZ
@given(st.lists(days, min_size=3, max_size=3))
def test_a_valid_range_is_accepted_with_every_day_in_it(three):
    start, end, today = sorted(three)
    got = validate_request(BackfillRequest(start_date=start, end_date=end), today=today)
    assert got == planner.days_between(start, end)


@FUZZ
@given(st.one_of(st.none(), days), st.one_of(st.none(), days), st.lists(days, max_size=5), days)
def test_a_request_gives_sorted_past_days_inside_its_range_or_a_usage_error(start, end, dates, today):
    request = BackfillRequest(start_date=start, end_date=end, dates=tuple(dates))
    try:
        got = validate_request(request, today=today)
    except UsageError:
        return
    assert got == sorted(set(got)) and got and got[-1] <= today
    assert (start is None or got[0] >= start) and (end is None or got[-1] <= end)
    if dates:
        assert set(got) == set(dates)

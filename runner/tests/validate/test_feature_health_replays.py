"""The seeds' silent feature incidents replayed on a copy of the session's clean world, each caught by
validate's feature_health section as a warn naming the feature, its index and the month; the clean
world itself flags nothing above info.

The clean world holds real feature-store rows from 2024-11-05 (after the bootstrap) to 2024-12-10:
November is December's baseline (feature_health_min_baseline_months is 1), so each incident is
written into December's rows, as the faulty pipeline would have written them:
- minutes_avg_last_10 (#31) at its default, 28.0 with source 'default', on 96 % of the rows;
- pct_paint / pct_mid_range / pct_three (#18-20) times 100: the PSZA percentage-unit bug;
- usage_spike_score (#8) NaN (source 'missing') on every row.
Every replay runs on the same file path, so validate's cache of the compiled SQL is reused.
"""
from __future__ import annotations

import shutil

import duckdb
import pytest

from runner.config import Settings
from runner.console import CaptureConsole
from runner.services.validate import ValidateRequest, validate

pytestmark = pytest.mark.slow

MONTH = "2024-12"
TABLE = "nba_predictions.ml_feature_store_v2"
IN_MONTH = f"strftime(game_date, '%Y-%m') = '{MONTH}' and not backfill_bootstrap_mode"


def _set(column: str, index: int, value: str) -> str:
    """DuckDB: the array with its element at 0-based `index` replaced."""
    return f"list_concat({column}[1:{index}], [{value}], {column}[{index + 2}:len({column})])"


REPLAYS = {
    "minutes_avg_last_10 defaulted on 96 % of the rows": (
        [f"""update {TABLE}
             set features = {_set('features', 31, 'cast(28.0 as double)')},
                 feature_sources = {_set('feature_sources', 31, "'default'")}
             where player_lookup || cast(game_date as varchar) in (
                 select player_lookup || cast(game_date as varchar) from (
                     select player_lookup, game_date,
                            row_number() over (order by game_date, player_lookup) as n
                     from {TABLE} where {IN_MONTH}) as numbered
                 where n % 25 <> 0)"""],
        {31: "minutes_avg_last_10"}, "default_share"),
    "PSZA rates in percent (pct_paint, pct_mid_range, pct_three x 100)": (
        [f"""update {TABLE}
             set features = list_concat(features[1:18], list_transform(features[19:21], lambda x: x * 100),
                                        features[22:len(features)])
             where {IN_MONTH}"""],
        {18: "pct_paint", 19: "pct_mid_range", 20: "pct_three"}, "unit"),
    "usage_spike_score NaN on every row": (
        [f"""update {TABLE}
             set features = {_set('features', 8, "cast('NaN' as double)")},
                 feature_sources = {_set('feature_sources', 8, "'missing'")}
             where {IN_MONTH}"""],
        {8: "usage_spike_score"}, "nan_share"),
}


@pytest.fixture(scope="module")
def replay(clean_world, tmp_path_factory):
    """replay(statements) -> the validate report of a fresh copy of the clean world with them applied."""
    path = tmp_path_factory.mktemp("feature_health_replays") / "replay.duckdb"

    def run(statements: list[str]):
        shutil.copyfile(clean_world.path, path)
        with duckdb.connect(str(path)) as con:
            for statement in statements:
                con.execute(statement)
            con.execute("checkpoint")
        return validate(Settings.load(duckdb_path=path), CaptureConsole(),
                        ValidateRequest(select=("feature_health", "readiness"))).report

    return run


@pytest.fixture(scope="module")
def clean(replay):
    return replay([])


def _health_checks(report, severity=None):
    return [c for c in report.checks() if c.section == "feature_health" and not c.passed
            and (severity is None or c.severity == severity)]


def test_the_clean_world_flags_nothing_above_info_and_december_is_judged(clean):
    assert [c.message for c in _health_checks(clean, "warn")] == []
    months = clean.feature_health.months
    assert {m.month for m in months} == {"2024-11", MONTH} and len({m.index for m in months}) == 33
    december = [m for m in months if m.month == MONTH]
    assert all(m.baseline_months == ["2024-11"] and m.score is not None for m in december)
    assert all(f.severity == "info" for m in months for f in m.flags)
    drift = next(t for t in clean.readiness.thresholds if t.name == "feature_drift")
    assert drift.passed and drift.features == []


@pytest.mark.parametrize("name", list(REPLAYS))
def test_each_incident_is_a_warn_naming_the_feature_its_index_and_the_month(replay, name):
    statements, features, kind = REPLAYS[name]
    report = replay(statements)
    warned = {c.name: c for c in _health_checks(report, "warn")}
    assert set(warned) == {f"feature_health.{n}" for n in features.values()}, [c.message for c in warned.values()]
    for index, feature in features.items():
        check = warned[f"feature_health.{feature}"]
        assert check.message.startswith(f"{feature} (#{index}): {MONTH} (regular season)")
        assert any(e["check"] == kind and e["month"] == MONTH and e["severity"] == "warn"
                   and e["baseline_months"] == "2024-11" for e in check.examples), check.examples
    (drift,) = [t for t in report.readiness.thresholds if t.name == "feature_drift"]
    assert not drift.passed and drift.months == [MONTH]
    assert drift.features == [f"{n} (#{i})" for i, n in sorted(features.items())]
    assert report.readiness.verdict == "NOT READY"


def _seasons_later(years: int) -> str:
    """The clean world's feature rows again, `years` seasons later (same weekdays are not needed)."""
    return (f"insert into {TABLE} select * replace (cast(game_date + interval '{years} year' as date) as game_date, "
            f"season_year + {years} as season_year) from {TABLE} where season_year = 2024")


def test_a_november_is_judged_against_earlier_novembers_not_the_spring_before_it(replay):
    """Every November defaults features 13-14 more than the months after it (no opponent zone profile
    yet): the same rows three seasons running raise no drift there. A month's baseline is the same month
    of the earlier seasons, the history's first season left out (its year-long windows are cut short); in
    the second season, the previous months of its own season. A December that defaults more than the
    Decembers before it is a warn against them."""
    report = replay([_seasons_later(1), _seasons_later(2),
                     f"""update {TABLE}
                         set features = {_set('features', 13, 'cast(112.0 as double)')},
                             feature_sources = {_set('feature_sources', 13, "'default'")}
                         where strftime(game_date, '%Y-%m') = '2026-12'"""])
    baselines = {m.month: m.baseline_months for m in report.feature_health.months if m.index == 13}
    assert baselines == {"2024-11": [], "2024-12": ["2024-11"], "2025-11": [], "2025-12": ["2025-11"],
                         "2026-11": ["2025-11"], "2026-12": ["2025-12"]}, baselines
    novembers = [m for m in report.feature_health.months if m.index == 13 and m.month.endswith("-11")]
    assert all(m.default_pct >= 30 for m in novembers), [(m.month, m.default_pct) for m in novembers]
    (warned,) = _health_checks(report, "warn")
    assert warned.name == "feature_health.opponent_def_rating" and warned.message.startswith(
        "opponent_def_rating (#13): 2026-12 (regular season) default share"), warned.message
    assert any(e["check"] == "default_share" and e["baseline_months"] == "2025-12" for e in warned.examples)

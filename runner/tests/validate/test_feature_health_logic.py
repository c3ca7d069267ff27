"""The feature_health section without dbt: rows of validation_feature_health -> flags, drift scores,
one check per feature, the readiness threshold, and how validate wires them (build_report)."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from runner.tests.validate.test_validate_logic import THRESHOLDS as READINESS_ROW
from runner.validate import feature_health as fh
from runner.validate.plan import Plan
from runner.validate.report import SEVERITY_RANK
from runner.validate.sections import build_report

TH_ROW = {"feature_health_baseline_months": 3, "feature_health_min_baseline_months": 1,
          "feature_health_min_rows": 500, "feature_health_zscore_info": 1.0, "feature_health_zscore_warn": 2.0,
          "feature_health_psi_info": 1.0, "feature_health_psi_warn": 3.0,
          "feature_health_share_jump_info_pct": 10, "feature_health_share_jump_warn_pct": 50}
TH = fh.thresholds_of(TH_ROW)


def month_row(index=31, name="minutes_avg_last_10", month="2024-12", phase="regular_season", unit=None,
              rows=2000, nan=0, default=0, baseline_months=("2024-11",), base_rows=6000, base_nan=0, base_default=0,
              mean=16.5, sd=11.0, base_mean=16.4, base_sd=11.0, z=None, psi=0.01, p95=34.5, drift_checked=True):
    """One month row as validation_feature_health returns it (mean_zscore from the means unless given)."""
    has_base = bool(baseline_months)
    if z is None and has_base and base_sd and mean is not None:
        z = (mean - base_mean) / base_sd
    return {
        "level": "month", "feature_index": index, "feature_name": name, "feature_unit": unit,
        "is_drift_checked": drift_checked, "season_year": 2024, "month": month, "season_phase": phase,
        "value_rows": rows, "nan_rows": nan, "default_rows": default, "valid_rows": rows - nan,
        "value_mean": mean, "value_stddev": sd, "value_p5": 2.5, "value_p50": 15.0, "value_p95": p95,
        "baseline_months": len(baseline_months), "baseline_month_list": ", ".join(baseline_months) or None,
        "baseline_rows": base_rows if has_base else None, "baseline_nan_rows": base_nan if has_base else None,
        "baseline_default_rows": base_default if has_base else None,
        "baseline_valid_rows": base_rows - base_nan if has_base else None,
        "baseline_mean": base_mean if has_base else None, "baseline_stddev": base_sd if has_base else None,
        "mean_zscore": z if has_base else None, "psi": psi if has_base else None,
    }


def kinds(month) -> dict[str, str]:
    return {f.kind: f.severity for f in month.flags}


# --- the three seeds' incidents, as rows ---------------------------------------------------------

def test_a_month_96_percent_defaulted_warns_on_the_default_share_naming_feature_month_and_baseline():
    m = fh.judge(month_row(default=1920), TH)
    assert kinds(m) == {"default_share": "warn"}
    flag = m.flags[0]
    assert flag.observed == 96.0 and flag.baseline == 0.0 and flag.threshold == 50
    text = fh.flag_text(m, flag)
    assert text == "2024-12 (regular season) default share 96.0 % vs 0 % in 2024-11 (+96.0 points >= 50) [warn]"


def test_fractions_times_100_fail_the_unit_check_even_without_a_baseline():
    m = fh.judge(month_row(index=18, name="pct_paint", unit="fraction", baseline_months=(), mean=38.0, p95=83.5), TH)
    assert kinds(m) == {"unit": "warn"} and m.score == fh.SCORE_MAX
    assert "p95 83.5 > 1 for a fraction (unit) [warn]" in fh.flag_text(m, m.flags[0])


def test_a_percent_feature_divided_by_100_fails_the_unit_check():
    m = fh.judge(month_row(index=5, name="fatigue_score", unit="percent", mean=0.9, p95=0.99, z=0.0), TH)
    assert kinds(m)["unit"] == "warn"


def test_a_month_all_nan_warns_on_the_nan_share():
    m = fh.judge(month_row(index=8, name="usage_spike_score", nan=2000, mean=None, sd=None, psi=None, z=None), TH)
    assert kinds(m) == {"nan_share": "warn"} and m.nan_pct == 100.0


# --- when a month is judged ----------------------------------------------------------------------

def test_no_drift_verdict_without_enough_baseline_months_or_rows():
    assert fh.judge(month_row(default=1920, baseline_months=()), TH).flags == []
    assert fh.judge(month_row(default=1920, baseline_months=()), TH).score is None
    few = fh.judge(month_row(rows=400, default=390), TH)   # fewer than feature_health_min_rows
    assert few.flags == [] and few.score is None
    thin_baseline = fh.judge(month_row(default=1920, base_rows=300), TH)
    assert thin_baseline.flags == []
    stricter = dict(TH, min_baseline_months=2)
    assert fh.judge(month_row(default=1920), stricter).flags == []


def test_a_feature_constant_per_date_by_definition_gets_no_mean_or_psi_verdict():
    row = month_row(index=17, name="playoff_game", unit="fraction", mean=1.0, base_mean=0.0, base_sd=0.4, psi=18.4,
                    p95=1.0, drift_checked=False)
    m = fh.judge(row, TH)
    assert m.flags == [] and m.score == 0.0


def test_mean_and_psi_levels():
    m = fh.judge(month_row(mean=16.4 + 1.5 * 11.0, psi=3.5), TH)
    assert kinds(m) == {"mean_z": "info", "psi": "warn"}
    assert m.flags[0].kind == "psi"  # warn flags first
    mean_flag = next(f for f in m.flags if f.kind == "mean_z")
    assert mean_flag.observed == pytest.approx(1.5) and mean_flag.baseline == 16.4 and mean_flag.threshold == 1.0
    assert fh.judge(month_row(mean=16.4 - 2.5 * 11.0), TH).flags[0].observed == pytest.approx(-2.5)  # sign kept


def test_a_share_that_falls_is_not_a_drift():
    m = fh.judge(month_row(nan=10, base_nan=1500, default=0, base_default=3000), TH)
    assert m.flags == [] and m.score < 0.1


# --- the drift score and the levels agree (the heatmap's colour bands are the verdicts) ------------

@given(value=st.floats(0, 50, allow_nan=False), info=st.floats(0.01, 10), gap=st.floats(0.01, 10))
def test_partial_score_band_is_the_level(value, info, gap):
    warn = info + gap
    score = fh.partial_score(value, info, warn)
    assert 0.0 <= score <= fh.SCORE_MAX
    expected = {None: (0.0, 1.0), "info": (1.0, 2.0), "warn": (2.0, fh.SCORE_MAX + 1e-9)}[fh.level(value, info, warn)]
    assert expected[0] <= score < expected[1] or (score == fh.SCORE_MAX and expected[0] == 2.0)


@given(a=st.floats(0, 50, allow_nan=False), b=st.floats(0, 50, allow_nan=False))
def test_partial_score_is_monotone(a, b):
    lo, hi = sorted((a, b))
    assert fh.partial_score(lo, 1.0, 3.0) <= fh.partial_score(hi, 1.0, 3.0)


@settings(max_examples=200)
@given(nan=st.integers(0, 2000), default=st.integers(0, 2000), base_nan=st.integers(0, 6000),
       base_default=st.integers(0, 6000), z=st.floats(-6, 6), psi=st.floats(0, 20),
       p95=st.floats(-5, 200), unit=st.sampled_from([None, "fraction", "percent"]))
def test_a_month_is_flagged_exactly_when_its_score_reaches_info(nan, default, base_nan, base_default, z, psi, p95, unit):
    default = min(default, 2000 - nan)
    base_default = min(base_default, 6000 - base_nan)
    m = fh.judge(month_row(nan=nan, default=default, base_nan=base_nan, base_default=base_default, z=z, psi=psi,
                           p95=p95, unit=unit), TH)
    worst = max((SEVERITY_RANK[f.severity] for f in m.flags), default=None)
    assert m.score is not None
    if worst is None:
        assert m.score < 1.0
    elif worst == SEVERITY_RANK["info"]:
        assert 1.0 <= m.score < 2.0
    else:
        assert m.score >= 2.0


# --- the section, the readiness threshold, the wiring ----------------------------------------------

def rows_with_incident():
    season = {"level": "season", "feature_index": 31, "feature_name": "minutes_avg_last_10", "feature_unit": None,
              "is_drift_checked": True, "season_year": 2024, "month": None, "season_phase": None, "value_rows": 8000,
              "nan_rows": 0, "default_rows": 1920, "valid_rows": 8000, "value_mean": 19.0, "value_stddev": 10.0,
              "value_p5": 2.5, "value_p50": 18.0, "value_p95": 34.0}
    return [month_row(month="2024-11", baseline_months=()), month_row(default=1920), season,
            month_row(index=8, name="usage_spike_score", mean=1.9, base_mean=1.9, sd=1.4, base_sd=1.4)]


def test_one_check_per_feature_failing_at_its_worst_flag():
    section = fh.section(fh.feature_health(rows_with_incident(), TH_ROW))
    checks = {c.name: c for c in section.checks}
    assert list(checks) == ["feature_health.usage_spike_score", "feature_health.minutes_avg_last_10"]  # by index
    bad = checks["feature_health.minutes_avg_last_10"]
    assert not bad.passed and bad.severity == "warn" and bad.observed == 1
    assert bad.message.startswith("minutes_avg_last_10 (#31): 2024-12 (regular season) default share 96.0 %")
    assert bad.examples == [{"feature": "minutes_avg_last_10", "index": 31, "month": "2024-12",
                             "phase": "regular_season", "check": "default_share", "observed": 96.0, "baseline": 0.0,
                             "baseline_months": "2024-11", "threshold": 50.0, "severity": "warn"}]
    assert checks["feature_health.usage_spike_score"].passed
    assert section.rows == [["minutes_avg_last_10", 31, "2024", 8000, 0.0, 24.0, 19.0, 10.0, 2.5, 18.0, 34.0, 1]]


def test_the_readiness_threshold_names_features_and_months_and_is_a_warning():
    (t,) = fh.readiness_thresholds(rows_with_incident(), TH_ROW)
    assert (t.name, t.passed, t.observed, t.severity) == ("feature_drift", False, 1.0, "warn")
    assert t.features == ["minutes_avg_last_10 (#31)"] and t.months == ["2024-12"]
    (ok,) = fh.readiness_thresholds(rows_with_incident()[:1], TH_ROW)
    assert ok.passed and ok.features == [] and ok.months == []
    assert fh.readiness_thresholds(None, TH_ROW) == []


def test_build_report_keeps_the_figures_and_the_verdict_says_which_features_and_months():
    results = {"thresholds": [{**READINESS_ROW, **TH_ROW}], "feature_health": rows_with_incident()}
    day = dt.date(2024, 12, 1)
    report = build_report(results, Plan(("feature_health", "readiness"), []), day, day)
    assert [s.id for s in report.sections] == ["feature_health", "readiness"]
    assert report.feature_health is not None and len(report.feature_health.months) == 3
    assert report.readiness.verdict == "NOT READY" and "feature_drift" in report.readiness.line
    check = next(c for c in report.checks() if c.name == "readiness.feature_drift")
    assert check.severity == "warn" and not check.passed  # not an error: drift is judged at warn
    assert "features responsible: minutes_avg_last_10 (#31); months responsible: 2024-12" in check.message
    assert {c.severity for c in report.checks() if c.section == "feature_health" and not c.passed} == {"warn"}


def test_missing_threshold_vars_are_named():
    with pytest.raises(ValueError, match="feature_health_psi_warn"):
        fh.thresholds_of({k: v for k, v in TH_ROW.items() if k != "feature_health_psi_warn"})

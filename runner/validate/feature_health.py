"""The ``feature_health`` section of `nba-pipeline validate`: are the 33 feature values what they were?

The numbers come from one warehouse query, ``validation_feature_health``
(macros/validation/feature_health.sql): per feature, month and season phase (and per season)
the rows, NaN and default shares, mean, standard deviation, p5 / p50 / p95, and against the
month's baseline (the same month of the same phase in earlier seasons; in a first season the
previous months of the same phase) the pooled shares, mean and
standard deviation, the mean's z-score and the PSI over fixed bins. This module only judges
those figures against the dbt vars (``feature_health_*``, read from the thresholds row) and
turns them into the report's checks, one per feature:

- ``mean_z``: |z-score of the month's mean| reaches ``feature_health_zscore_info`` / ``_warn``;
- ``psi``: the PSI reaches ``feature_health_psi_info`` / ``_warn``;
- ``nan_share`` / ``default_share``: the share rose by ``feature_health_share_jump_info_pct`` /
  ``_warn_pct`` percentage points over the baseline's;
- ``unit``: a fraction whose p95 exceeds 1, or a 0-100 feature whose p95 is below 1 (warn).

A month is judged against a baseline of at least ``feature_health_min_baseline_months`` months,
each side with at least ``feature_health_min_rows`` values; the unit check needs no baseline.
Features constant per date by definition (``variance_check: false``: playoff_game) get no mean
or PSI verdict. Pure functions of rows: unit-tested without dbt.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from runner.validate.report import Check, DriftFlag, FeatureHealth, FeatureMonth, FeatureSeason, Section, ThresholdResult

SECTION_ID = "feature_health"
QUERY = "{{ validation_feature_health() }}"
EXAMPLES = 5
PHASE_LABEL = {"regular_season": "regular season", "playoffs": "playoffs"}
KIND_LABEL = {"mean_z": "mean z-score", "psi": "PSI", "nan_share": "NaN share",
              "default_share": "default share", "unit": "unit (p95)"}
# thresholds row column -> FeatureHealth.thresholds key (the var is feature_health_<key>)
THRESHOLD_KEYS = ("baseline_months", "min_baseline_months", "min_rows", "zscore_info", "zscore_warn",
                  "psi_info", "psi_warn", "share_jump_info_pct", "share_jump_warn_pct")
# the drift score of a check that reached its warn threshold by that much again, and of a unit error
SCORE_MAX = 3.0


def thresholds_of(row: Mapping[str, Any]) -> dict[str, float]:
    """The feature_health_* vars from validate's thresholds row (validation_thresholds)."""
    missing = [k for k in THRESHOLD_KEYS if row.get(f"feature_health_{k}") is None]
    if missing:
        raise ValueError("validation_thresholds has no " + ", ".join(f"feature_health_{k}" for k in missing))
    return {k: float(row[f"feature_health_{k}"]) for k in THRESHOLD_KEYS}


def level(value: float | None, info: float, warn: float) -> str | None:
    """'warn' at or above warn, 'info' at or above info, else None (also for NaN / None)."""
    if value is None or value != value:
        return None
    if value >= warn:
        return "warn"
    if value >= info:
        return "info"
    return None


def partial_score(value: float | None, info: float, warn: float) -> float:
    """A figure on the heatmap's scale: 0..1 below info, 1..2 from info to warn, 2..3 beyond warn
    (3 at twice the warn threshold and above). Monotone in the figure."""
    if value is None or value != value or value <= 0:
        return 0.0
    if value < info:
        return value / info
    if value < warn:
        return 1.0 + (value - info) / (warn - info)
    return min(2.0 + (value - warn) / warn, SCORE_MAX)


def judge(row: Mapping[str, Any], th: Mapping[str, float]) -> FeatureMonth:
    """One month row of validation_feature_health -> the month's figures, flags and drift score."""
    rows = int(row["value_rows"])
    valid = int(row["valid_rows"] or 0)
    base_rows = _int(row.get("baseline_rows"))
    base_valid = _int(row.get("baseline_valid_rows"))
    month = FeatureMonth(
        **_stats(row), month=str(row["month"]), phase=str(row["season_phase"]),
        baseline_months=[m.strip() for m in str(row.get("baseline_month_list") or "").split(",") if m.strip()],
        baseline_rows=base_rows, baseline_nan_pct=_pct(row.get("baseline_nan_rows"), base_rows),
        baseline_default_pct=_pct(row.get("baseline_default_rows"), base_rows),
        baseline_mean=_float(row.get("baseline_mean")), baseline_stddev=_float(row.get("baseline_stddev")),
        zscore=_float(row.get("mean_zscore")), psi=_float(row.get("psi")),
    )
    flags: list[DriftFlag] = []
    scores: list[float] = []
    unit = row.get("feature_unit")
    if month.p95 is not None and unit in ("fraction", "percent"):
        wrong = month.p95 > 1.0 if unit == "fraction" else month.p95 < 1.0
        scores.append(SCORE_MAX if wrong else 0.0)
        if wrong:
            flags.append(DriftFlag("unit", "warn", month.p95, None, 1.0))
    enough = th["min_rows"]
    judged = len(month.baseline_months) >= th["min_baseline_months"] and rows >= enough and (base_rows or 0) >= enough
    if judged:
        info, warn = th["share_jump_info_pct"], th["share_jump_warn_pct"]
        for kind, now, before in (("nan_share", month.nan_pct, month.baseline_nan_pct),
                                  ("default_share", month.default_pct, month.baseline_default_pct)):
            if now is None or before is None:
                continue
            jump = now - before
            scores.append(partial_score(jump, info, warn))
            severity = level(jump, info, warn)
            if severity:
                flags.append(DriftFlag(kind, severity, now, before, warn if severity == "warn" else info))  # type: ignore[arg-type]
    if judged and bool(row.get("is_drift_checked", True)) and valid >= enough and (base_valid or 0) >= enough:
        for kind, value, before, info, warn in (
                ("mean_z", None if month.zscore is None else abs(month.zscore), month.baseline_mean,
                 th["zscore_info"], th["zscore_warn"]),
                ("psi", month.psi, None, th["psi_info"], th["psi_warn"])):
            if value is None:
                continue
            scores.append(partial_score(value, info, warn))
            severity = level(value, info, warn)
            if severity:
                observed = month.zscore if kind == "mean_z" else value
                flags.append(DriftFlag(kind, severity, observed, before, warn if severity == "warn" else info))  # type: ignore[arg-type]
    month.flags = sorted(flags, key=lambda f: (f.severity != "warn", f.kind))
    month.score = max(scores) if scores else None
    return month


def _stats(row: Mapping[str, Any]) -> dict[str, Any]:
    """The FeatureStats fields of a row (month or season level)."""
    rows = int(row["value_rows"])
    return dict(feature=row["feature_name"], index=int(row["feature_index"]), season=int(row["season_year"]),
                rows=rows, nan_pct=_pct(row["nan_rows"], rows), default_pct=_pct(row["default_rows"], rows),
                mean=_float(row["value_mean"]), stddev=_float(row["value_stddev"]), p5=_float(row["value_p5"]),
                p50=_float(row["value_p50"]), p95=_float(row["value_p95"]))


def feature_health(rows: Iterable[Mapping[str, Any]], thresholds_row: Mapping[str, Any]) -> FeatureHealth:
    """The rows of validation_feature_health, judged: months in (feature, month, phase) order."""
    th = thresholds_of(thresholds_row)
    months, seasons = [], []
    for r in rows:
        if r["level"] == "month":
            months.append(judge(r, th))
        else:
            seasons.append(FeatureSeason(**_stats(r)))
    months.sort(key=lambda m: (m.index, m.month, m.phase))
    seasons.sort(key=lambda s: (s.index, s.season))
    return FeatureHealth(th, months, seasons)


def section(health: FeatureHealth | None) -> Section:
    """One check per feature (failing when a month is flagged, at its worst flag's severity) and a
    detail row per feature and season."""
    out = Section(SECTION_ID, "Feature health: distributions and drift by month (ml_feature_store_v2)",
                  columns=["feature", "index", "season", "rows", "NaN %", "default %", "mean", "std",
                           "p5", "p50", "p95", "months flagged"])
    if health is None:
        return out
    by_feature: dict[int, list[FeatureMonth]] = defaultdict(list)
    for m in health.months:
        by_feature[m.index].append(m)
    flagged_per_season: dict[tuple[int, int], int] = defaultdict(int)
    for m in health.months:
        if m.flags:
            flagged_per_season[(m.index, m.season)] += 1
    for s in health.seasons:
        out.rows.append([s.feature, s.index, str(s.season), s.rows, _round(s.nan_pct), _round(s.default_pct),
                         _round(s.mean), _round(s.stddev), _round(s.p5), _round(s.p50), _round(s.p95),
                         flagged_per_season.get((s.index, s.season), 0)])
    names = {m.index: m.feature for m in health.months} | {s.index: s.feature for s in health.seasons}
    for index in sorted(names):
        out.checks.append(_feature_check(names[index], index, by_feature.get(index, []), health.thresholds))
    return out


def _feature_check(name: str, index: int, months: Sequence[FeatureMonth], th: Mapping[str, float]) -> Check:
    flagged = [(m, f) for m in months for f in m.flags]
    flagged.sort(key=lambda mf: (mf[1].severity != "warn", mf[0].month, mf[0].phase, mf[1].kind))
    severity = "warn" if any(f.severity == "warn" for _, f in flagged) or not flagged else "info"
    months_flagged = sorted({(m.month, m.phase) for m, _ in flagged})
    message = ""
    if flagged:
        shown = "; ".join(flag_text(m, f) for m, f in flagged[:4])
        more = len(flagged) - 4
        message = f"{name} (#{index}): " + shown + (f"; +{more} more" if more > 0 else "")
    return Check(
        SECTION_ID, f"{SECTION_ID}.{name}",
        f"{name} (#{index}): each month like its baseline (z-score, PSI, NaN and default share, unit)",
        severity, not flagged, observed=len(months_flagged), threshold="= 0 months flagged",  # type: ignore[arg-type]
        message=message,
        examples=[{"feature": name, "index": index, "month": m.month, "phase": m.phase, "check": f.kind,
                   "observed": _round(f.observed), "baseline": _round(f.baseline),
                   "baseline_months": ", ".join(m.baseline_months), "threshold": f.threshold,
                   "severity": f.severity} for m, f in flagged[:EXAMPLES]],
    )


def flag_text(m: FeatureMonth, f: DriftFlag) -> str:
    """'2024-12 (regular season) default share 96.0 % vs 0.4 % in 2024-11 (+95.6 points >= 50) [warn]'."""
    return f"{m.month} ({PHASE_LABEL.get(m.phase, m.phase)}) {flag_detail(m, f)}"


def flag_detail(m: FeatureMonth, f: DriftFlag) -> str:
    """'default share 96.0 % vs 0.4 % in 2024-11 (+95.6 points >= 50) [warn]': the figure and its baseline."""
    base = _months_text(m.baseline_months)
    if f.kind in ("nan_share", "default_share"):
        what = (f"{KIND_LABEL[f.kind]} {f.observed:.1f} % vs {_fmt(f.baseline)} % in {base} "
                f"(+{f.observed - (f.baseline or 0):.1f} points >= {f.threshold:g})")
    elif f.kind == "mean_z":
        what = (f"mean {_fmt(m.mean)} vs {_fmt(m.baseline_mean)} (sd {_fmt(m.baseline_stddev)}) in {base}: "
                f"z {f.observed:+.2f}, |z| >= {f.threshold:g}")
    elif f.kind == "psi":
        what = f"PSI {f.observed:.3f} >= {f.threshold:g} against {base}"
    else:
        rule = "> 1 for a fraction" if f.observed > 1 else "< 1 for a 0-100 feature"
        what = f"p95 {_fmt(f.observed)} {rule} (unit)"
    return f"{what} [{f.severity}]"


def readiness_thresholds(rows: Iterable[Mapping[str, Any]] | None,
                         thresholds_row: Mapping[str, Any]) -> list[ThresholdResult]:
    """The ML-training readiness threshold feature_drift: no feature-month with a warn flag. Its
    check is a warning (a drift is judged at warn), naming the features and months."""
    if rows is None:
        return []
    health = feature_health(rows, thresholds_row)
    warned = [m for m in health.months if any(f.severity == "warn" for f in m.flags)]
    features = sorted({(m.index, m.feature) for m in warned})
    return [ThresholdResult(
        "feature_drift", float(len(warned)), "= 0 feature-months with a warn drift", None, not warned,
        sorted({m.month for m in warned}), [f"{name} (#{index})" for index, name in features], "warn")]


def _months_text(months: Sequence[str]) -> str:
    if not months:
        return "no baseline"
    return months[0] if len(months) == 1 else f"{months[0]}..{months[-1]}"


def _pct(part: Any, whole: Any) -> float | None:
    return None if not whole else 100.0 * float(part or 0) / float(whole)


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def _float(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if number != number else number


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def _fmt(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value:.1f}" if abs(value) >= 10 else f"{value:.3g}"


def build_section(rows: Iterable[Mapping[str, Any]] | None, thresholds_row: Mapping[str, Any], report: Any) -> Section:
    """validate's builder: judge the query's rows, keep them on the report (JSON, HTML views), and
    return the section."""
    report.feature_health = None if rows is None else feature_health(rows, thresholds_row)
    return section(report.feature_health)

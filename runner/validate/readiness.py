"""The ML-training readiness verdict (issue 10): READY when every threshold meets its target.

Each threshold (Phase 3 coverage and NULL rate, Phase 4 coverage, training-ready rows, data-gap
rows, and the feature-health thresholds of ``runner.validate.feature_health``) is computed from the
rows of the checks the plan ran, with the dbt vars read from the thresholds row as targets; a
failing one names the months (or features) responsible. ``readiness_section`` turns the verdict
into the report's last section: a failing threshold is an error below its minimum (or without
one), else a warning.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from runner.validate import feature_health
from runner.validate.figures import fmt_pct, fs_totals, pct, threshold
from runner.validate.plan import Plan
from runner.validate.report import Check, Readiness, Section, ThresholdResult


def readiness(results: dict[str, list[dict[str, Any]]], plan: Plan, thresholds: dict[str, Any]) -> Readiness:
    """READY when every threshold meets its target; failing ones name the months responsible."""
    th = {k: float(v) for k, v in thresholds.items() if v is not None}
    out: list[ThresholdResult] = []

    # Phase 3 coverage: rows / expected rows of the worst error-severity coverage test of a
    # Phase 3 table over the range (each test's own definition of expected rows)
    candidates = []
    for t in plan.tables:
        if t.phase != "phase3":
            continue
        for test in t.coverage_tests:
            key = f"coverage:{t.name}:{test['query']}"
            if test["severity"] == "error" and key in results:
                # a date counts at most its expected rows: a surplus on one date (e.g. gamebook rows
                # with DNPs against BDL players) must not hide a date without rows
                capped = [dict(r, rows_found=min(int(r["rows_found"]), int(r["rows_expected"])))
                          for r in results[key]]
                candidates.append(_month_sums(capped, "rows_found", "rows_expected"))
    target, minimum = threshold(th, "phase3_coverage_pct"), threshold(th, "phase3_coverage_min_pct")
    phase3 = [_at_least("phase3_coverage", sums, target, minimum) for sums in candidates]
    if phase3:
        worst = min(phase3, key=lambda r: (r.observed is not None, r.observed or 0.0))
        worst.months = sorted({m for r in phase3 for m in r.months})
        out.append(worst)
    else:
        out.append(_at_least("phase3_coverage", {}, target, minimum))

    # Phase 3 NULL rate: the worst error-severity null-rate test of a Phase 3 table
    per_month: dict[str, float] = {}
    worst: float | None = None
    for t in plan.tables:
        if t.phase != "phase3":
            continue
        for i, test in enumerate(t.null_tests):
            if test["severity"] != "error":
                continue
            rows = results.get(f"null_rates:{t.name}:{i}") or []
            sums = _month_sums(rows, "null_rows", "rows_checked")
            share = pct(sum(a for a, _ in sums.values()), sum(b for _, b in sums.values()))
            if share is not None:
                worst = share if worst is None else max(worst, share)
            for month, (a, b) in sums.items():
                p = pct(a, b)
                if p is not None:
                    per_month[month] = max(per_month.get(month, 0.0), p)
    target, limit = threshold(th, "phase3_null_pct"), threshold(th, "phase3_null_max_pct")
    out.append(ThresholdResult("phase3_null_rate", worst, f"< {target:g} %", f"< {limit:g} %",
                               worst is not None and worst < target,
                               sorted(m for m, p in per_month.items() if p >= target)))

    layer = results.get("layer_coverage") or []
    out.append(_at_least("phase4_coverage", _month_sums(layer, "phase4_games", "raw_games_after_bootstrap"),
                         threshold(th, "phase4_coverage_pct"), None))

    fs = results.get("feature_store") or []
    real = {m: (s["training_ready_rows"], s["real_rows"]) for m, s in _fs_by_month(fs).items()}
    out.append(_at_least("training_ready", real, threshold(th, "training_ready_pct"), None))
    gaps = {m: (s["data_gap_rows"], s["real_rows"]) for m, s in _fs_by_month(fs).items()}
    gap_total = pct(sum(a for a, _ in gaps.values()), sum(b for _, b in gaps.values()))
    gap_target = threshold(th, "data_gap_pct")
    out.append(ThresholdResult("data_gap_rows", gap_total, f"< {gap_target:g} %", None,
                               gap_total is not None and gap_total < gap_target,
                               sorted(m for m, (a, b) in gaps.items() if b and pct(a, b) >= gap_target)))
    out += feature_health.readiness_thresholds(results.get(feature_health.SECTION_ID), thresholds)
    verdict = "READY" if all(t.passed for t in out) else "NOT READY"
    return Readiness(verdict, out)  # type: ignore[arg-type]


def _month_sums(rows: Iterable[dict[str, Any]], part: str, whole: str) -> dict[str, tuple[int, int]]:
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in rows:
        sums[r["month"]][0] += int(r[part] or 0)
        sums[r["month"]][1] += int(r[whole] or 0)
    return {m: (a, b) for m, (a, b) in sums.items()}


def _fs_by_month(rows: Iterable[dict[str, Any]]) -> dict[str, dict[str, int]]:
    by: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by[r["month"]].append(r)
    return {m: fs_totals(rs) for m, rs in by.items()}


def _at_least(name: str, sums: dict[str, tuple[int, int]], target: float, minimum: float | None) -> ThresholdResult:
    observed = pct(sum(a for a, _ in sums.values()), sum(b for _, b in sums.values()))
    months = sorted(m for m, (a, b) in sums.items() if b and pct(a, b) < target)
    return ThresholdResult(name, observed, f">= {target:g} %", None if minimum is None else f">= {minimum:g} %",
                           observed is not None and observed >= target, months)


def _below_minimum(t: ThresholdResult) -> bool:
    """A failing threshold is an error below its minimum (or without one), else a warning."""
    if t.observed is None or t.minimum is None:
        return True
    op, value = t.minimum.split()[0], float(t.minimum.split()[1])
    return t.observed < value if op == ">=" else t.observed >= value


def _fmt_threshold(t: ThresholdResult) -> str:
    return fmt_pct(t.observed) if "%" in t.target else f"{t.observed:g}" if t.observed is not None else "n/a"


def readiness_section(r: Readiness) -> Section:
    section = Section("readiness", f"ML-training readiness: {r.line}",
                      columns=["threshold", "observed", "target", "minimum", "passed", "months responsible",
                               "features responsible"])
    for t in r.thresholds:
        section.rows.append([t.name, t.observed, t.target, t.minimum, t.passed, ", ".join(t.months),
                             ", ".join(t.features)])
        severity = t.severity or ("error" if not t.passed and _below_minimum(t) else "warn")
        section.checks.append(Check(
            "readiness", f"readiness.{t.name}", f"{t.name} {t.target}", severity, t.passed,  # type: ignore[arg-type]
            observed=t.observed, threshold=t.target + (f" (minimum {t.minimum})" if t.minimum else ""),
            message="" if t.passed else (
                f"NOT READY: {t.name} is {_fmt_threshold(t)}, needs {t.target}"
                + (f"; features responsible: {', '.join(t.features)}" if t.features else "")
                + (f"; months responsible: {', '.join(t.months)}" if t.months else "")),
        ))
    return section

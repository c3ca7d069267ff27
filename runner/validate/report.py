"""The validation report: the one data model every format renders and every consumer reads.

Checks are computed in the warehouse (SQL) by the validate service; renderers
(terminal, JSON, markdown, HTML) and notifications only read a ``Report``.
The JSON form is ``Report.to_dict()``; its schema is versioned by
``SCHEMA_VERSION`` (bump it on any incompatible change).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

SCHEMA_VERSION = 1

Severity = Literal["info", "warn", "error"]
SEVERITY_RANK = {"info": 0, "warn": 1, "error": 2}

# Section ids, in report order. A section may be absent when --select excludes it.
SECTIONS = (
    "coverage",        # per table per season/month: dates and rows vs expected, dates below the gate
    "layer_coverage",  # raw -> Phase 3 -> Phase 4 games per season
    "null_rates",      # critical columns vs thresholds
    "duplicates",      # per primary key
    "gaps",            # missing dates in each date series
    "consistency",     # player vs gamebook points, team vs sum of players vs raw box score
    "feature_store",   # completeness, tiers, required defaults, context fallback
    "feature_health",  # per feature and month: distribution, drift against the previous months
    "quarantine",      # raw rows rejected per table and reason (+ row accounting)
    "ledger",          # failed / blocked dates with reasons
    "freshness",       # source freshness (dbt sources)
    "readiness",       # ML-training verdict (issue 10)
)


@dataclass
class Check:
    """One rule evaluated over the range. ``passed`` False + severity decides the exit code."""

    section: str
    name: str                      # stable id, e.g. "coverage.player_game_summary.dates"
    title: str                     # human sentence, e.g. "player_game_summary: game dates with rows"
    severity: Severity             # what a failure of this check means
    passed: bool
    observed: float | int | str | None = None
    threshold: str | None = None   # e.g. ">= 90 %", "= 0"
    message: str = ""              # names the table, column, date(s) and value when failing
    examples: list[dict[str, Any]] = field(default_factory=list)  # at most a few rows


@dataclass
class Section:
    id: str                        # one of SECTIONS
    title: str
    checks: list[Check] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)   # a detail table for the section
    rows: list[list[Any]] = field(default_factory=list)


@dataclass
class CoverageCell:
    """One heatmap cell: a table's coverage in one month (only months with expected game dates)."""

    table: str
    month: str                     # "YYYY-MM"
    season: int
    dates_with_rows: int
    expected_dates: int
    rows: int | None
    expected_rows: int | None

    @property
    def date_pct(self) -> float | None:
        return None if not self.expected_dates else 100.0 * self.dates_with_rows / self.expected_dates

    @property
    def row_pct(self) -> float | None:
        return None if not self.expected_rows else 100.0 * (self.rows or 0) / self.expected_rows


@dataclass
class ThresholdResult:
    name: str                      # e.g. "phase3_coverage"
    observed: float | None
    target: str                    # e.g. ">= 90 %"
    minimum: str | None            # e.g. ">= 85 %"
    passed: bool
    months: list[str] = field(default_factory=list)  # months responsible when failing
    features: list[str] = field(default_factory=list)  # features responsible (feature_drift)
    severity: Severity | None = None  # of its check when failing; None: error below the minimum, else warn


DriftKind = Literal["mean_z", "psi", "nan_share", "default_share", "unit"]


@dataclass
class DriftFlag:
    """One drift check of one feature-month that reached a threshold (info or warn)."""

    kind: DriftKind                # mean_z, psi, nan_share, default_share, unit
    severity: Severity             # info or warn
    observed: float                # |z|, the PSI, the share (%), or p95 for a unit check
    baseline: float | None         # the baseline's mean, share (%) ...; None for the PSI and unit checks
    threshold: float               # the threshold it reached (a var)


@dataclass
class FeatureStats:
    """One feature's distribution over a period (the rows of the feature store, placeholders excluded)."""

    feature: str
    index: int
    season: int
    rows: int
    nan_pct: float | None
    default_pct: float | None
    mean: float | None
    stddev: float | None
    p5: float | None
    p50: float | None
    p95: float | None


@dataclass
class FeatureSeason(FeatureStats):
    """One feature over one season (both phases)."""


@dataclass
class FeatureMonth(FeatureStats):
    """One feature in one month and season phase, and how it compares with its baseline."""

    month: str = ""                # "YYYY-MM"
    phase: str = ""                # "regular_season" or "playoffs" (play-in included)
    baseline_months: list[str] = field(default_factory=list)  # the months pooled into the baseline
    baseline_rows: int | None = None
    baseline_nan_pct: float | None = None
    baseline_default_pct: float | None = None
    baseline_mean: float | None = None
    baseline_stddev: float | None = None
    zscore: float | None = None    # (mean - baseline mean) / baseline standard deviation
    psi: float | None = None       # population stability index over the fixed bins
    score: float | None = None     # drift score for the heatmap: < 1 ok, 1-2 info, >= 2 warn; None: not judged
    flags: list[DriftFlag] = field(default_factory=list)


@dataclass
class FeatureHealth:
    thresholds: dict[str, float]   # the dbt vars the checks used (feature_health_*)
    months: list[FeatureMonth] = field(default_factory=list)
    seasons: list[FeatureSeason] = field(default_factory=list)


@dataclass
class Readiness:
    verdict: Literal["READY", "NOT READY"]
    thresholds: list[ThresholdResult] = field(default_factory=list)

    @property
    def line(self) -> str:
        failing = [t.name for t in self.thresholds if not t.passed]
        return self.verdict + ("" if not failing else ": " + ", ".join(failing))


@dataclass
class Report:
    target: str
    start_date: dt.date
    end_date: dt.date
    select: list[str]
    generated_at: str              # ISO timestamp, UTC
    sections: list[Section] = field(default_factory=list)
    coverage: list[CoverageCell] = field(default_factory=list)
    readiness: Readiness | None = None
    feature_health: FeatureHealth | None = None
    seconds: float | None = None
    version: int = SCHEMA_VERSION

    def checks(self) -> list[Check]:
        return [c for s in self.sections for c in s.checks]

    def failing(self, at_or_above: Severity = "info") -> list[Check]:
        """Failed checks at or above a severity, most severe first (what is wrong first)."""
        floor = SEVERITY_RANK[at_or_above]
        bad = [c for c in self.checks() if not c.passed and SEVERITY_RANK[c.severity] >= floor]
        return sorted(bad, key=lambda c: -SEVERITY_RANK[c.severity])

    def exit_code(self, fail_on: Severity = "error") -> int:
        return 1 if self.failing(fail_on) else 0

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["start_date"] = self.start_date.isoformat()
        out["end_date"] = self.end_date.isoformat()
        for cell, raw in zip(self.coverage, out["coverage"]):
            raw["date_pct"], raw["row_pct"] = cell.date_pct, cell.row_pct
        if self.readiness is not None:
            out["readiness"]["line"] = self.readiness.line
        return out

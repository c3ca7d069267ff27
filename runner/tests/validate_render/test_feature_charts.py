"""The HTML report's feature-health views and the report polish, from a Report built in Python."""
from __future__ import annotations

from html.parser import HTMLParser

import pytest

from runner.tests.validate_render.sample import FEATURE_BUCKETS, FEATURES, INFO_CELL, WARN_CELL, sample_report
from runner.validate.render import to_html
from runner.validate.render.feature_charts import NOT_JUDGED_COLOUR, SCORE_BANDS, score_colour
from runner.validate.render.summary import info_notes
from runner.validate.report import Check, Section


class DriftDom(HTMLParser):
    """The drift heatmap's cells (with the link inside each), and every element id of the page."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.cells: list[dict] = []
        self.ids: set[str] = set()
        self._cell: dict | None = None
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "td" and "data-feature" in a:
            self._cell = dict(a, links=[])
            self.cells.append(self._cell)
        elif tag == "a" and self._cell is not None:
            self._cell["links"].append(a.get("href"))

    def handle_endtag(self, tag):
        if tag == "td":
            self._cell = None


def test_drift_heatmap_has_a_cell_per_feature_and_month_and_flagged_cells_link_to_their_feature():
    page = to_html(sample_report())
    dom = DriftDom(page)
    assert len(dom.cells) == len(FEATURES) * len(FEATURE_BUCKETS)
    by_key = {(int(c["data-index"]), c["data-month"], c["data-phase"]): c for c in dom.cells}
    warn, info = by_key[WARN_CELL], by_key[INFO_CELL]
    assert warn["data-severity"] == "warn" and float(warn["data-score"]) >= 2.0
    assert info["data-severity"] == "info" and 1.0 <= float(info["data-score"]) < 2.0
    for cell in (warn, info):
        (href,) = cell["links"]
        assert href == f"#feature-{cell['data-index']}" and href[1:] in dom.ids  # the detail exists
    assert "default share 96.0 %" in warn["title"] and "baseline: 2024-03, 2024-04, 2024-11" in warn["title"]
    unflagged = [c for c in dom.cells if not c["data-severity"]]
    assert unflagged and all(c["links"] == [] for c in unflagged)
    first = by_key[(31, "2023-11", "regular_season")]  # no earlier month: not judged, grey
    assert first["data-score"] == "" and NOT_JUDGED_COLOUR in first["style"]
    # the overview first: coverage, drift, then what fails; the features' small multiples last
    assert page.index('id="coverage-heatmap"') < page.index('id="feature-drift-heatmap"') < page.index('id="failing"') \
        < page.index('id="section-feature_health"') < page.index('id="feature-details"')


def test_each_feature_has_its_small_multiples_with_the_flagged_month_marked():
    page = to_html(sample_report())
    dom = DriftDom(page)
    assert {f"feature-{i}" for i, *_ in FEATURES} <= dom.ids
    detail = page[page.index('id="feature-31"'):]
    detail = detail[:detail.index("</figure>")]
    assert detail.count('<svg class="multiple"') == 2
    assert '<polygon class="band"' in detail and '<polyline class="mean"' in detail and 'class="default"' in detail
    assert 'fill="#dc2626"' in detail  # the warn month's dot
    assert "2024-12 (regular season) default share 96.0 %" in detail


def test_the_legend_prints_the_thresholds_of_the_report():
    report = sample_report()
    report.feature_health.thresholds.update(psi_warn=7.5, zscore_info=1.25, share_jump_warn_pct=40)
    page = to_html(report)
    legend = page[page.index('id="feature-drift-heatmap"'):page.index('<table class="heatmap drift">')]
    assert "PSI ≥ 7.5" in legend and "|z| ≥ 1.25" in legend and "share +40 points" in legend


def test_score_colours_have_one_band_per_verdict():
    assert score_colour(None) == NOT_JUDGED_COLOUR
    assert [score_colour(lo) for lo, *_ in SCORE_BANDS] == [a for _, _, a, _ in SCORE_BANDS]
    assert score_colour(99.0) == score_colour(3.0) == SCORE_BANDS[-1][3]
    reds = [score_colour(s) for s in (2.0, 2.5, 3.0)]
    assert all(int(h[1:3], 16) > int(h[3:5], 16) + 60 for h in reds)  # warn cells are red
    greens = [score_colour(s) for s in (0.0, 0.5, 0.99)]
    assert all(int(h[3:5], 16) >= int(h[1:3], 16) for h in greens)  # below info: green


def test_a_report_without_feature_health_has_no_drift_views():
    report = sample_report()
    report.feature_health = None
    page = to_html(report)
    assert 'id="feature-drift-heatmap"' not in page and 'id="feature-details"' not in page


# --- report polish: info checks are notes -----------------------------------------------------------

def test_info_checks_are_not_failing_checks_and_simulated_freshness_is_one_line():
    report = sample_report()
    report.sections.append(Section("freshness", "Source freshness", checks=[
        Check("freshness", f"freshness.nba_raw.{t}", f"{t} fresh", "info", False, observed=hours,
              message=f"nba_raw.{t}: newest row loaded ..., {hours} h old (dbt: error); simulated history is old "
                      "by design, so this is information only")
        for t, hours in (("nbac_schedule", 4085.5), ("nbac_team_boxscore", 4090.1), ("odds_api_game_lines", 5237.4))]))
    notes = dict(info_notes(report))
    assert notes["freshness"] == "3 raw sources: newest rows 4,085.5-5,237.4 h old (simulated history, old by design)"
    page = to_html(report)
    failing = page[page.index('id="failing"'):page.index('id="information"')]
    assert "Failing checks (5)" in failing and "freshness." not in failing and "quarantine.rows" not in failing
    information = page[page.index('id="information"'):page.index('id="summary"')]
    assert "Information (3)" in information and information.count("<li>") == 3


@pytest.mark.parametrize("n_features, expected", [(1, "feature_health.pct_paint"), (2, "feature_health")])
def test_feature_health_info_notes_collapse_when_several(n_features, expected):
    report = sample_report()
    section = next(s for s in report.sections if s.id == "feature_health")
    if n_features == 2:
        other = next(c for c in section.checks if c.passed)
        other.passed, other.severity, other.observed = False, "info", 2
    names = [name for name, _ in info_notes(report) if name.startswith("feature_health")]
    assert names == [expected]

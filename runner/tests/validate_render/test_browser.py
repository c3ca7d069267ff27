"""The HTML report in a real browser: headless Chromium takes a screenshot and dumps the DOM.

Needs Debian's chromium (scripts/install-chromium.sh, run by `make test`). Skipped when it is
missing on a workstation; in CI (CI set) a missing browser fails the test.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from runner.tests.validate_render.dom import ReportDom
from runner.tests.validate_render.png import colours, decode_png
from runner.tests.validate_render.sample import MONTHS, TABLES, sample_report
from runner.validate.render import to_html
from runner.validate.render.browser import WINDOW, dump_dom, find_chromium, screenshot
from runner.validate.render.htmlpage import COLOUR_STOPS


@pytest.fixture(scope="module", autouse=True)
def chromium():
    if find_chromium():
        return
    if os.environ.get("CI", "").lower() not in ("", "0", "false"):
        pytest.fail("chromium is missing in CI: scripts/install-chromium.sh (make test) should have installed it")
    pytest.skip("chromium not installed (scripts/install-chromium.sh installs Debian's package)")


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("html") / "report.html"
    path.write_text(to_html(sample_report()), encoding="utf-8")
    return path


def test_screenshot_shows_the_heatmap(page, tmp_path):
    shot = tmp_path / "report.png"
    screenshot(page, shot)
    assert shot.exists() and shot.stat().st_size > 10_000
    image = decode_png(shot)
    assert image.shape[:2] == (WINDOW[1], WINDOW[0])
    seen = colours(image)
    assert len(seen) > 50, "a blank or near-blank page"
    # the heatmap's full-coverage green and the scale's reds were painted
    full, gate = (COLOUR_STOPS[-1][1], COLOUR_STOPS[2][1])
    for hex_ in (full, gate):
        assert tuple(int(hex_[i:i + 2], 16) for i in (1, 3, 5)) in seen, hex_


def test_rendered_dom_holds_every_heatmap_cell(page):
    dom = dump_dom(page)
    parser = ReportDom(dom)
    assert len(parser.cells) == len(TABLES) * len(MONTHS)
    assert {c["data-table"] for c in parser.cells} == set(TABLES)
    assert {c["data-month"] for c in parser.cells} == {m for m, _ in MONTHS}
    assert all(c["title"] and c["data-pct"] for c in parser.cells)


def test_rendered_drift_heatmap_paints_the_warn_cell_and_links_it_to_its_feature(page, tmp_path):
    from runner.tests.validate_render.sample import FEATURE_BUCKETS, FEATURES, WARN_CELL
    from runner.tests.validate_render.test_feature_charts import DriftDom
    from runner.validate.render.feature_charts import score_colour

    dom = DriftDom(dump_dom(page))
    assert len(dom.cells) == len(FEATURES) * len(FEATURE_BUCKETS)
    warn = next(c for c in dom.cells if (int(c["data-index"]), c["data-month"], c["data-phase"]) == WARN_CELL)
    (href,) = warn["links"]
    assert href == f"#feature-{WARN_CELL[0]}" and href[1:] in dom.ids
    shot = tmp_path / "drift.png"
    screenshot(page, shot, window=(WINDOW[0], 1600))
    colour = score_colour(float(warn["data-score"]))
    assert tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5)) in colours(decode_png(shot)), colour

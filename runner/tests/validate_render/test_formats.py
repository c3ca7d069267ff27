"""Each output format from a Report built in Python (no dbt): content, order, escaping, files."""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from runner.console import CaptureConsole
from runner.errors import UsageError
from runner.tests.validate_render.dom import ReportDom
from runner.tests.validate_render.sample import MONTHS, TABLES, sample_report
from runner.validate.render import DEFAULT_HTML_OUTPUT, render_report, to_html, to_markdown
from runner.validate.render.htmlpage import COLOUR_STOPS, NO_DATA_COLOUR, coverage_colour
from runner.validate.render.jsonout import plain
from runner.validate.report import Check, CoverageCell, Section

HOSTILE = '<script>alert("x")</script> & | "quoted"'


def hostile_report():
    report = sample_report()
    report.target = HOSTILE
    report.sections.append(Section(
        "gaps", f"Gaps {HOSTILE}",
        checks=[Check("gaps", "gaps.x", f"title {HOSTILE}", "error", False, HOSTILE, "= 0", f"message {HOSTILE}",
                      [{"player_lookup": HOSTILE}])],
        columns=[f"col {HOSTILE}"], rows=[[HOSTILE]],
    ))
    report.coverage.append(CoverageCell(HOSTILE, "2024-11", 2024, 1, 2, None, None))
    return report


# --- table (terminal) -------------------------------------------------------------------------

def test_table_puts_what_is_wrong_first_and_the_readiness_verdict_last():
    console = CaptureConsole()
    assert render_report(sample_report(), "table", console) is None

    title, columns, rows = console.tables[0]
    assert title == "Failing checks (5)" and columns == ["severity", "check", "observed", "threshold"]
    assert [r[0] for r in rows] == ["ERROR", "ERROR", "WARN", "WARN", "WARN"]  # info checks are notes
    name, message, examples = rows[0][1].split("\n")
    assert name == "coverage.player_game_summary.dates" and "missing 2024-11-04" in message
    assert examples == "e.g. game_date=2024-11-04, rows=0 (+1 more)"
    assert ("rule", "Information (2)") in console.messages
    assert ("mark.info", "feature_health.pct_paint: pct_paint (#18): 2024-11 (regular season) NaN share 25.0 % vs 0 % "
            "in 2024-02..2024-04 (+25.0 points >= 10) [info]") in console.messages
    assert ("mark.info", "quarantine.rows: 14 raw rows quarantined: malformed_minutes 9, unknown_team 5") in console.messages

    title, columns, rows = console.tables[1]  # the feature_health section's flagged months, worst first
    assert title == "Feature drift: flagged months (2)" and columns == ["severity", "feature", "month", "checks"]
    assert [r[:3] for r in rows] == [["WARN", "minutes_avg_last_10 (#31)", "2024-12 regular season"],
                                      ["INFO", "pct_paint (#18)", "2024-11 regular season"]]
    assert rows[0][3].startswith("default share 96.0 % vs 0.5 % in 2024-03..2024-11 (+95.5 points >= 50) [warn]")

    marks = [(kind, text) for kind, text in console.messages if kind.startswith("mark.") and
             not text.startswith(("quarantine.rows:", "feature_health.pct_paint:"))]
    sections = [text.split(":")[0] for _, text in marks[:-2]]
    assert sections == ["coverage", "null_rates", "duplicates", "consistency", "feature_health", "quarantine", "ledger"]
    assert marks[0][0] == "mark.fail" and marks[1][0] == "mark.warn" and marks[3] == ("mark.ok", "consistency: 1 check passes")
    assert marks[-2] == ("mark.fail", "FAIL: 5 of 14 checks failing (2 error, 3 warn); 2 flagged (info)")
    assert console.messages[-1] == ("mark.fail", "ML training readiness: NOT READY: phase3_coverage, feature_drift")


def test_info_only_failures_still_pass():
    report = sample_report()
    for check in report.checks():
        check.passed = check.severity != "info"  # only the info checks fail
    assert [c.name for c in report.failing()] == ["feature_health.pct_paint", "quarantine.rows"]
    console = CaptureConsole()
    render_report(report, "table", console)
    assert ("mark.ok", "no failing checks") in console.messages
    assert ("mark.info", "PASS: no warn or error check fails; 2 of 14 checks flagged (info)") in console.messages


def test_table_of_a_clean_report_says_pass():
    report = sample_report()
    for check in report.checks():
        check.passed = True
    for month in report.feature_health.months:
        month.flags = []
    report.readiness = None
    console = CaptureConsole()
    render_report(report, "table", console)
    assert console.tables == []
    assert ("mark.ok", "no failing checks") in console.messages
    assert not any(kind == "rule" and text.startswith("Information") for kind, text in console.messages)
    assert console.messages[-1] == ("mark.ok", "PASS: all 14 checks pass")


# --- json ----------------------------------------------------------------------------------------

def test_json_is_the_reports_dict_made_strict(tmp_path):
    report = sample_report()
    report.sections[0].checks[0].observed = float("nan")
    console = CaptureConsole()
    assert render_report(report, "json", console) is None
    (kind, payload), = console.messages
    data = json.loads(payload)
    assert kind == "json" and data["version"] == report.version
    assert data["sections"][0]["checks"][0]["observed"] is None  # NaN is not JSON
    assert data["sections"][0]["checks"][0]["examples"][0]["game_date"] == "2024-11-04"
    assert data == plain(report.to_dict())

    path = render_report(report, "json", CaptureConsole(), tmp_path / "out" / "report.json")
    assert path == tmp_path / "out" / "report.json" and json.loads(path.read_text()) == data


def test_plain_converts_warehouse_values():
    from decimal import Decimal

    assert plain({"d": dt.date(2024, 1, 2), "x": Decimal("1.5"), "n": float("inf"), "t": (1, True)}) == {
        "d": "2024-01-02", "x": 1.5, "n": None, "t": [1, True]}


# --- markdown ------------------------------------------------------------------------------------

def test_markdown_has_summary_failing_checks_and_section_tables():
    md = to_markdown(sample_report())
    assert md.startswith("## Validation 2023-10-24 .. 2024-12-31 on `duckdb`")
    assert "**❌ FAIL: 5 of 14 checks failing (2 error, 3 warn); 2 flagged (info)**" in md
    assert "**❌ ML training readiness: NOT READY: phase3_coverage, feature_drift**" in md
    order = [md.index(h) for h in ("### Summary", "### Failing checks (5)", "### Information (2)",
                                   "### ML training readiness", "### ❌ Coverage per table and month (`coverage`)",
                                   "Feature drift: 2 flagged feature-month checks", "### ✅ Backfill ledger (`ledger`)")]
    assert order == sorted(order)
    assert "| info | `quarantine.rows` |" not in md  # info checks are notes, not failures
    assert ("| warn | minutes_avg_last_10 (#31) | 2024-12 | regular season | default share | 96 | 0.5 | 50 | "
            "2024-03, 2024-04, 2024-11 |") in md
    assert "| error | `coverage.player_game_summary.dates` | player_game_summary: 24/28 game dates in 2024-11;" in md
    # 100 coverage rows: the pull request sees the first 60 and is told about the rest
    assert "_… 40 more rows in the JSON or HTML report._" in md


def test_markdown_cells_cannot_break_the_table_or_inject_html():
    md = to_markdown(hostile_report())
    assert "<script>" not in md
    line = next(row for row in md.splitlines() if row.startswith("| error | `gaps.x`"))
    assert line.count(" | ") == 5  # six cells: the pipe in the message is escaped
    assert "&lt;script&gt;alert(\"x\")&lt;/script&gt; &amp; \\| \"quoted\"" in line


# --- html ----------------------------------------------------------------------------------------

def parse(page: str) -> ReportDom:
    return ReportDom(page)


def test_html_heatmap_has_one_cell_per_table_and_month_with_data_attributes_and_tooltips():
    page = to_html(sample_report())
    cells = parse(page).cells
    assert len(cells) == len(TABLES) * len(MONTHS)
    by_key = {(c["data-table"], c["data-month"]): c for c in cells}
    hole = by_key[("player_game_summary", "2024-11")]
    assert hole["data-pct"] == "85.7" and hole["title"].startswith("player_game_summary · 2024-11: 24/28 game dates (85.71 %)")
    assert coverage_colour(85.71428571428571) in hole["style"]
    partial = by_key[("ml_feature_store_v2", "2024-12")]  # all dates there, rows short: the rows colour it
    assert partial["data-pct"] == "93.0" and "28/28 game dates" in partial["title"]
    assert by_key[("team_offense_game_summary", "2023-10")]["data-pct"] == "100.0"
    # the overview first: verdicts, heatmap, then what fails, then every section
    assert page.index('id="verdict"') < page.index('id="coverage-heatmap"') < page.index('id="failing"') \
        < page.index('id="section-coverage"')
    assert 'missing <span class="nw">2024-11-04</span>, <span class="nw">2024-11-05</span>' in page
    assert 'id="readiness">ML training readiness: NOT READY: phase3_coverage' in page


def test_html_is_self_contained():
    page = to_html(sample_report())
    found = parse(page)
    assert found.scripts == 0 and found.external == []
    assert not re.search(r"https?://|@import|url\((?!#)", page)


def test_html_escapes_every_value_from_the_data():
    page = to_html(hostile_report())
    found = parse(page)
    assert found.scripts == 0 and "<script>" not in page
    assert page.count("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; | &quot;quoted&quot;") >= 6
    assert any(c["data-table"] == HOSTILE for c in found.cells)  # attributes decode back to the raw value


def test_a_table_without_a_month_gets_an_empty_grey_cell():
    report = sample_report()
    report.coverage = [c for c in report.coverage if not (c.table == "ml_feature_store_v2" and c.month == "2023-10")]
    cell = next(c for c in parse(to_html(report)).cells
                if c["data-table"] == "ml_feature_store_v2" and c["data-month"] == "2023-10")
    assert cell["data-pct"] == "" and "no expected game dates" in cell["title"] and cell["class"] == "cell none"


def test_coverage_colour_scale():
    assert [coverage_colour(p) for p, _ in COLOUR_STOPS] == [h for _, h in COLOUR_STOPS]
    assert coverage_colour(None) == NO_DATA_COLOUR
    assert coverage_colour(130.0) == coverage_colour(100.0) and coverage_colour(-5) == coverage_colour(0)
    assert coverage_colour(92.5) == "#faa016"  # halfway between #f97316 (90 %) and #facc15 (95 %)
    reds = [coverage_colour(p) for p in range(0, 90, 5)]
    assert all(int(h[1:3], 16) > int(h[3:5], 16) for h in reds)  # below the gate: red dominates
    assert int(coverage_colour(99.0)[3:5], 16) > int(coverage_colour(99.0)[1:3], 16)  # near 100: green dominates


# --- the entry point ------------------------------------------------------------------------------

def test_html_writes_a_file_by_default(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    console = CaptureConsole()
    path = render_report(sample_report(), "html", console)
    assert path == DEFAULT_HTML_OUTPUT and (tmp_path / path).read_text().startswith("<!doctype html>")
    assert console.messages == [("success", f"html report written to {path}")]


def test_markdown_prints_unless_given_a_path(tmp_path):
    console = CaptureConsole()
    assert render_report(sample_report(), "markdown", console) is None
    assert console.messages[0][0] == "raw" and console.messages[0][1].startswith("## Validation")
    path = render_report(sample_report(), "markdown", console, tmp_path / "r.md")
    assert path.read_text() == to_markdown(sample_report())


@pytest.mark.parametrize("fmt, output", [("yaml", None), ("table", Path("x.txt"))])
def test_bad_format_or_output_is_a_usage_error(fmt, output):
    with pytest.raises(UsageError):
        render_report(sample_report(), fmt, CaptureConsole(), output)


def test_table_through_the_rich_console_prints_data_verbatim(capsys, monkeypatch):
    from runner.console import RichConsole

    monkeypatch.setenv("COLUMNS", "200")
    report = sample_report()
    report.sections[0].checks[0].message = "[red]not markup[/red] on 2024-11-04"
    render_report(report, "table", RichConsole())
    out = capsys.readouterr().out
    assert "[red]not markup[/red] on 2024-11-04" in out
    assert out.index("Failing checks (5)") < out.index("Information (2)") < out.index("✘ coverage:") \
        < out.index("FAIL: 5 of 14")
    assert out.rstrip().endswith("ML training readiness: NOT READY: phase3_coverage, feature_drift")

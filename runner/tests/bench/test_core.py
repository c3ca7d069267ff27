"""The benchmark harness's logic (bench/core.py): statistics, extrapolation, ratios, results files.

Fast and untimed: no benchmark runs here, the samples are made up.
"""
from __future__ import annotations

import datetime as dt
import json

import pytest

from bench.core import (
    Figure,
    Run,
    Sample,
    load_runs,
    merge_run,
    ratios,
    render_markdown,
    sample_dates,
    season_range,
    stat,
    sweep,
    target_checks,
    write_results,
)


def fig(fid, seconds, seasons=1, game_dates=None, rss=100.0, exit_code=0, **kw):
    return Figure(fid, seasons, fid, [Sample(s, rss, exit_code) for s in seconds], game_dates=game_dates, **kw)


def run(run_id, *figures, started=None):
    return Run(run_id=run_id, started_at=started or run_id, figures=list(figures))


def test_stat_is_median_min_max():
    assert stat([3, 1, 2]) == stat([2, 3, 1])
    s = stat([3.0, 1.0, 10.0])
    assert (s.median, s.min, s.max, s.n) == (3.0, 1.0, 10.0, 3)
    assert stat([1, 2, 3, 4]).median == 2.5  # even count: mean of the middle two
    with pytest.raises(ValueError):
        stat([])


def test_per_game_date_and_extrapolation():
    f = fig("per_date", [2.0, 4.0, 3.0], game_dates=1, total_game_dates=1000, season_game_dates=200)
    assert f.per_game_date.median == 3.0
    assert f.extrapolated() == {"per_season_s": 600.0, "full_range_s": 3000.0}
    g = fig("runner", [100.0], game_dates=50)
    assert g.per_game_date.median == 2.0
    assert g.extrapolated() == {}  # nothing to scale to
    assert fig("validate", [9.0]).per_game_date is None


def test_memory_and_failure():
    f = Figure("runner", 1, "r", [Sample(1, 300, 0), Sample(1, 500, 0), Sample(1, 400, 1)])
    assert f.memory.max == 500 and f.memory.median == 400
    assert not f.ok


def test_ratios_from_the_same_run_and_scale():
    r = run("a",
            fig("floor", [100.0], game_dates=100),                  # 1.0 s / date
            fig("runner", [120.0], game_dates=100),                 # 1.2 s / date
            fig("per_date", [30.0, 25.0, 35.0], game_dates=1),      # 30 s / date
            fig("microbatch", [140.0], game_dates=10),              # 14 s / date
            fig("runner", [500.0], seasons=2, game_dates=200))       # no floor at 2 seasons
    got = {(x.name, x.seasons): x for x in ratios(r)}
    assert set(got) == {("runner / floor", 1), ("per-date shape / runner", 1), ("microbatch / runner", 1)}
    assert got["runner / floor", 1].value == 1.2 and not got["runner / floor", 1].met  # target 1.1
    assert got["per-date shape / runner", 1].value == 25.0 and got["per-date shape / runner", 1].met
    assert got["microbatch / runner", 1].value == pytest.approx(11.67) and not got["microbatch / runner", 1].met


def test_failed_figures_give_no_ratio():
    r = run("a", fig("floor", [100.0], game_dates=100), fig("runner", [90.0], game_dates=100, exit_code=1))
    assert ratios(r) == []


def test_targets_daily_any_scale_validate_five_seasons_only():
    r = run("a", fig("daily", [4.0, 6.0, 5.5]), fig("validate", [8.0]), fig("validate", [12.0], seasons=5))
    checks = {(c[0], c[1]): c for c in target_checks(r)}
    assert set(checks) == {("daily", 1), ("validate", 5)}
    assert checks["daily", 1][4] is False  # median 5.5 > 5
    assert checks["validate", 5][4] is False


def test_sweep_latest_run_per_scale_and_drift():
    old = run("2026-01-01", fig("runner", [100.0], seasons=1, game_dates=100, rss=500))
    new = run("2026-02-01",
              fig("runner", [120.0], seasons=1, game_dates=100, rss=600),
              fig("runner", [300.0], seasons=2, game_dates=200, rss=900),
              fig("runner", [1000.0], seasons=5, game_dates=500, rss=2100))
    rows = sweep([new, old])
    assert [r["seasons"] for r in rows] == [1, 2, 5]
    assert rows[0]["run_id"] == "2026-02-01" and rows[0]["per_game_date_s"] == 1.2
    assert rows[1]["drift"] == pytest.approx(0.25) and rows[1]["flat"]
    assert rows[2]["drift"] == pytest.approx(0.667, abs=1e-3) and not rows[2]["flat"]
    assert rows[2]["memory_ok"] is False and rows[0]["memory_ok"] is True


def test_sweep_counts_a_finished_run_whose_gates_failed_but_not_a_crash():
    gates = run("2026-03-01", fig("runner", [400.0], seasons=20, game_dates=400, exit_code=1),
                fig("runner", [50.0], seasons=2, game_dates=200, exit_code=2))
    base = run("2026-02-01", fig("runner", [100.0], seasons=1, game_dates=100))
    rows = {r["seasons"]: r for r in sweep([gates, base])}
    assert set(rows) == {1, 20}  # the crashed 2-season run is not a timing of the range
    assert rows[20]["exit"] == 1 and rows[20]["per_game_date_s"] == 1.0 and rows[1]["exit"] == 0
    assert "data gates failed" in render_markdown([gates, base])


def test_results_round_trip_and_merge(tmp_path):
    a = run("2026-01-01T00", fig("floor", [10.0, 12.0], game_dates=10), fig("runner", [12.0], game_dates=10))
    a.machine, a.versions, a.load_start = {"cpus": 2, "mem_gb": 23.0}, {"dbt-core": "1.11"}, (1.0, 2.0, 3.0)
    b = run("2026-01-02T00", fig("validate", [9.0], seasons=5))
    json_path, md_path = write_results(tmp_path, merge_run([a], b), ["sweep at 10 seasons"])
    runs = load_runs(json_path)
    assert [r.run_id for r in runs] == ["2026-01-01T00", "2026-01-02T00"]
    assert runs[0].figures[0].samples == a.figures[0].samples and runs[0].load_start == (1.0, 2.0, 3.0)
    data = json.loads(json_path.read_text())
    assert data["runs"][0]["ratios"][0]["name"] == "runner / floor"
    assert data["runs"][0]["figures"][0]["seconds_stat"] == {"median": 11.0, "min": 10.0, "max": 12.0, "n": 2}
    b2 = run("2026-01-02T00", fig("validate", [7.0], seasons=5))
    assert [f.samples[0].seconds for r in merge_run(runs, b2) for f in r.figures if f.id == "validate"] == [7.0]
    md = md_path.read_text()
    assert "## Run 2026-01-02T00" in md and "## Run 2026-01-01T00" in md
    assert md.index("2026-01-02T00") < md.index("## Run 2026-01-01T00")  # newest run first
    assert "| runner / floor | 1 | 1.09 | <= 1.1 | yes |" in md
    assert "| validate wall s | 5 | 9 | <= 10 s | yes |" in md
    assert "sweep at 10 seasons" in md
    assert "| per season 200 s, whole range 1,000 s |" in render_markdown([run("z", fig(
        "per_date", [2.0], game_dates=1, total_game_dates=500, season_game_dates=100))])


def test_markdown_marks_failed_and_unmet():
    r = run("x", fig("floor", [10.0], game_dates=10), fig("runner", [20.0], game_dates=10),
            fig("daily", [9.0], exit_code=1))
    md = render_markdown([r])
    assert "| runner / floor | 1 | 2 | <= 1.1 | NO |" in md
    assert "FAILED" in md


def test_sample_dates_spread():
    days = [dt.date(2025, 1, 1) + dt.timedelta(days=i) for i in range(10)]
    assert sample_dates(days, 3) == [days[0], days[4], days[9]]  # step 4.5, rounded half to even
    assert sample_dates(days, 1) == [days[5]]
    assert sample_dates(days, 20) == days
    assert sample_dates(days, 0) == [] and sample_dates([], 3) == []


def test_season_range():
    assert season_range(1) == (2025, 2025)
    assert season_range(5) == (2021, 2025)
    assert season_range(20) == (2006, 2025)
    with pytest.raises(ValueError):
        season_range(0)
    with pytest.raises(ValueError):
        season_range(27)


def test_the_floor_reports_the_models_sql_time_from_dbt_node_results(tmp_path):
    from types import SimpleNamespace

    from bench.child import SQL_MARK, sql_seconds
    from bench.measure import _median_steps, read_sql_seconds

    nodes = [SimpleNamespace(resource_type="model", name="a", execution_time=2.0),
             SimpleNamespace(resource_type="model", name="b", execution_time=5.5),
             SimpleNamespace(resource_type="test", name="t", execution_time=1.25),
             SimpleNamespace(resource_type="seed", name="s", execution_time=9.0)]
    figures = sql_seconds(nodes)
    assert figures == {"SQL of the models": 7.5, "SQL of the data tests": 1.25, "largest model (b)": 5.5}
    log = tmp_path / "floor-0.log"
    log.write_text(f"$ python -m bench.child floor\nfloor: exit 0\n{SQL_MARK}{{\"SQL of the models\": 1.0}}\n"
                   f"{SQL_MARK}" + json.dumps(figures) + "\n")
    assert read_sql_seconds(log) == figures  # the last line the child printed
    assert read_sql_seconds(tmp_path / "floor-0.log") and not read_sql_seconds(_empty(tmp_path))
    # a largest model that differs between repeats is left out of the medians, the sums are kept
    other = dict(figures, **{"SQL of the models": 9.5})
    other["largest model (c)"] = other.pop("largest model (b)")
    assert _median_steps([figures, other]) == {"SQL of the models": 8.5, "SQL of the data tests": 1.25}


def _empty(tmp_path):
    path = tmp_path / "empty.log"
    path.write_text("nothing here\n")
    return path

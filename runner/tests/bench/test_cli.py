"""The harness's options and bookkeeping (bench/__main__.py, bench/process.py, bench/measure.py), without running anything."""
from __future__ import annotations

import pytest

from bench.__main__ import parse_args, still_to_measure
from bench.core import Figure, Run, Sample
from bench.process import child_env, combine


def test_parse_args_defaults_and_lists():
    a = parse_args([])
    assert a.seasons == [1] and a.repeats == 3 and "sweep" in a.only and "validate" in a.only
    b = parse_args(["--only", "runner, floor", "--seasons", "1,2,5", "--repeats", "1"])
    assert b.only == ["runner", "floor"] and b.seasons == [1, 2, 5] and b.repeats == 1


@pytest.mark.parametrize("argv", [["--only", "nonsense"], ["--repeats", "0"]])
def test_parse_args_refuses(argv):
    with pytest.raises(SystemExit):
        parse_args(argv)


def test_combine_steps():
    s = combine([Sample(1.5, 300, 0), Sample(2.0, 700, 0), Sample(0.5, 200, 1)])
    assert s == Sample(4.0, 700, 1)


def test_child_env_isolates_dbt_paths(tmp_path):
    env = child_env(tmp_path / "x.duckdb", 2, tmp_path)
    assert env["NBA_DUCKDB_PATH"] == str(tmp_path / "x.duckdb") and env["NBA_THREADS"] == "2"
    assert env["DBT_TARGET_PATH"].startswith(str(tmp_path)) and env["DBT_LOG_PATH"].startswith(str(tmp_path))


def test_still_to_measure_lists_missing_scales_and_measurements():
    r = Run("a", "a", figures=[Figure("runner", 1, "r", [Sample(1, 1)], game_dates=1),
                               Figure("runner", 2, "r", [Sample(1, 1, 1)], game_dates=1)])  # failed: still to do
    todo = "\n".join(still_to_measure([r]))
    assert "--only sweep --seasons 2,5,10,20" in todo
    assert "--only validate --seasons 5" in todo
    assert "--only floor" in todo and "--only runner --seasons" not in todo


def test_render_merges_other_results_and_appends_notes(tmp_path):
    from bench.__main__ import main
    from bench.core import load_runs, write_results

    other = tmp_path / "other"
    write_results(other, [Run("b", "2026-01-02", figures=[Figure("runner", 2, "r", [Sample(20, 900)], game_dates=10)])])
    out = tmp_path / "out"
    write_results(out, [Run("a", "2026-01-01", figures=[Figure("runner", 1, "r", [Sample(10, 800)], game_dates=10)])])
    (out / "notes.md").write_text("## Findings\n\nhand-written\n")
    assert main(["--render", "--out-dir", str(out), "--merge", str(other / "results.json")]) == 0
    assert [r.run_id for r in load_runs(out / "results.json")] == ["a", "b"]
    md = (out / "results.md").read_text()
    assert "| 2 | b | 10 |" in md and md.rstrip().endswith("hand-written")

"""python -m bench: measure the pipeline and write bench/results.md and bench/results.json.

    python -m bench                                  every measurement, 1 season, 3 runs each
    python -m bench --only runner,floor --seasons 1,2 --repeats 1
    python -m bench --only sweep --seasons 1,2,5,10,20 --repeats 1
    python -m bench --only validate --seasons 5 --validate-db /tmp/bench/five.duckdb

Measurements: simulator, floor, runner, per_date, microbatch, daily, validate (validate_cold,
and one section: validate_feature_health, against validate_ledger's fixed cost), and sweep (the
runner at every --seasons value). The ratios are computed from the figures of the same run.
Results of earlier runs stay in results.json (other scales, other measurements); a figure
of this run is shown with this run's id, machine load and commit.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from bench.core import MEASUREMENTS, Run, load_runs, merge_run, write_results
from bench.measure import MEASURE, Options, Scale
from bench.process import git_commit, machine_info, versions

SWEEP_SCALES = (1, 2, 5, 10, 20)
OUT_DIR = Path(__file__).resolve().parent


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--only", default=",".join(MEASUREMENTS),
                   help=f"comma-separated measurements (default: all): {', '.join(MEASUREMENTS)}")
    p.add_argument("--seasons", default="1", help="comma-separated numbers of simulated seasons, ending 2025")
    p.add_argument("--repeats", type=int, default=3, help="runs per figure (median, min, max)")
    p.add_argument("--out-dir", type=Path, default=OUT_DIR, help="where results.md and results.json go")
    p.add_argument("--work-dir", type=Path, default=Path("/tmp/bench"), help="scratch databases and logs")
    p.add_argument("--chunk-days", type=int, default=366, help="the runner's --chunk-days (the demo's 366)")
    p.add_argument("--per-date-sample", type=int, default=5, help="dates sampled for the per-date shape")
    p.add_argument("--microbatch-days", type=int, default=14,
                   help="days of daily batches measured, from the first post-bootstrap date (0: the whole range)")
    p.add_argument("--validate-db", type=Path, default=None,
                   help="a built five-season DuckDB file to copy for validate at --seasons 5 (read only)")
    p.add_argument("--threads", type=int, default=2, help="dbt threads (NBA_THREADS)")
    p.add_argument("--merge", type=Path, action="append", default=[],
                   help="also keep the runs of this results.json (e.g. a run written to another --out-dir)")
    p.add_argument("--render", action="store_true", help="measure nothing: merge and rewrite results.md")
    args = p.parse_args(argv)
    args.only = [m.strip() for m in args.only.split(",") if m.strip()]
    unknown = [m for m in args.only if m not in MEASUREMENTS]
    if unknown:
        p.error(f"unknown measurement(s) {', '.join(unknown)}; choose from {', '.join(MEASUREMENTS)}")
    args.seasons = [int(s) for s in args.seasons.split(",")]
    if args.repeats < 1:
        p.error("--repeats must be at least 1")
    return args


def still_to_measure(runs: list[Run]) -> list[str]:
    have = {(f.id, f.seasons) for r in runs for f in r.figures if f.ok}
    out = []
    missing_sweep = [n for n in SWEEP_SCALES if ("runner", n) not in have]
    if missing_sweep:
        out.append(f"scale sweep at {', '.join(map(str, missing_sweep))} seasons: "
                   f"`python -m bench --only sweep --seasons {','.join(map(str, missing_sweep))} --repeats 1`")
    for m in ("validate", "validate_cold", "validate_feature_health", "validate_ledger"):
        if (m, 5) not in have:
            out.append(f"{m} over five seasons: `python -m bench --only {m} --seasons 5 "
                       "--validate-db /tmp/bench/five.duckdb` (a copy of a five-season `make demo` DB)")
    for m in MEASUREMENTS:
        if m != "sweep" and not any(fid == m for fid, _ in have):
            out.append(f"{m}: `python -m bench --only {m} --seasons 1`")
    return out


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    opts = Options(work_dir=args.work_dir, repeats=args.repeats, chunk_days=args.chunk_days,
                   per_date_sample=args.per_date_sample, microbatch_days=args.microbatch_days,
                   validate_db=args.validate_db, threads=args.threads, log=lambda s: print(s, flush=True))
    now = dt.datetime.now(dt.UTC)
    run = Run(run_id=f"{now:%Y%m%dT%H%M%SZ}", started_at=now.isoformat(timespec="seconds"),
              command="python -m bench " + " ".join(argv if argv is not None else sys.argv[1:]),
              machine=machine_info(), versions=versions(), commit=git_commit(), load_start=os.getloadavg())
    json_path = args.out_dir / "results.json"
    runs = load_runs(json_path)
    for extra in args.merge:
        for other in load_runs(extra):
            runs = merge_run(runs, other)
    notes_path = args.out_dir / "notes.md"  # the hand-written analysis, appended to results.md
    notes = notes_path.read_text() if notes_path.exists() else ""
    if args.render:
        _, md = write_results(args.out_dir, runs, still_to_measure(runs), notes)
        print(f"wrote {md} and {json_path}")
        return 0
    wanted = [m for m in MEASUREMENTS if m in args.only]
    failures = 0
    for seasons in args.seasons:
        scale = Scale(seasons, opts)
        todo = [m for m in wanted if m != "sweep"]
        if "sweep" in wanted and "runner" not in todo:
            todo.insert(0, "runner")
        todo.sort(key=lambda m: MEASUREMENTS.index(m))
        for name in todo:
            print(f"[{seasons} season(s)] {name} (load {os.getloadavg()[0]:.2f})", flush=True)
            try:
                figure = MEASURE[name](scale)
            except Exception as exc:
                print(f"  {name} could not be measured: {type(exc).__name__}: {exc}", flush=True)
                failures += 1
                continue
            failures += 0 if figure.ok else 1
            run.figures.append(figure)
            run.load_end = os.getloadavg()
            run.finished_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
            runs = merge_run(runs, run)
            write_results(args.out_dir, runs, still_to_measure(runs), notes)
    run.load_end = os.getloadavg()
    run.finished_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    runs = merge_run(runs, run)
    _, md = write_results(args.out_dir, runs, still_to_measure(runs), notes)
    print(f"wrote {md} and {json_path}", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

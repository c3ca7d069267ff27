"""The measurements: each measured thing runs in a fresh child process.

Wall time is taken around the child; its peak memory is the child's own
``ru_maxrss`` returned by ``os.wait4`` (the child and the processes it waited
for), so import costs and memory are real. Every measurement works on copies
of the scale's databases under ``--work-dir`` (default /tmp/bench):

    s<N>/raw.duckdb     the simulated raw seasons (simulator)
    s<N>/built.duckdb   every phase backfilled by the runner (kept from the last runner run)
"""
from __future__ import annotations

import datetime as dt
import json
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.core import Figure, Sample, sample_dates, season_range
from bench.process import PROJECT_DIR, child_env, cli, combine, run_child
from runner.project import read_vars


@dataclass
class Options:
    work_dir: Path
    repeats: int = 3
    chunk_days: int = 366  # the demo's season-long chunks
    per_date_sample: int = 5
    microbatch_days: int = 14  # 0 = the whole range
    validate_db: Path | None = None  # a built five-season DB to copy for `validate` (read only)
    threads: int = 2
    log: Any = print


# -- one scale ------------------------------------------------------------------------------
class Scale:
    """N simulated seasons and the databases the measurements copy."""

    def __init__(self, seasons: int, opts: Options) -> None:
        self.seasons = seasons
        self.first_season, self.last_season = season_range(seasons)
        self.opts = opts
        self.dir = opts.work_dir / f"s{seasons}"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.raw = self.dir / "raw.duckdb"
        self.built = self.dir / "built.duckdb"
        self.logs = self.dir / "logs"

    # paths and helpers
    def copy(self, src: Path, name: str) -> Path:
        dst = self.dir / name
        _remove_db(dst)
        shutil.copyfile(src, dst)
        return dst

    def run(self, argv: list[str], db: Path, log: str, microbatch: bool = False) -> Sample:
        env = child_env(db, self.opts.threads, self.opts.work_dir)
        if microbatch:  # parsed with other vars: its own partial parse, the CLI's stays warm
            env["DBT_TARGET_PATH"] = str(self.opts.work_dir / "dbt-target-microbatch")
        sample = run_child(argv, env, self.logs / f"{log}.log")
        self.opts.log(f"    {log}: {sample.seconds:.1f} s, {sample.peak_rss_mb:.0f} MB, exit {sample.exit_code}")
        return sample

    def warm(self, db: Path, microbatch: bool = False) -> None:
        """Untimed: bring dbt's partial parse up to date, as on a machine where the CLI ran before."""
        args = ["parse", "microbatch"] if microbatch else ["parse"]
        _check(self.run([sys.executable, "-m", "bench.child", *args], db, "warm-parse", microbatch), "dbt parse")

    def generate_args(self) -> list[str]:
        return ["raw", "generate", "--first-season", str(self.first_season), "--last-season", str(self.last_season)]

    def ensure_raw(self) -> None:
        if not self.raw.exists():
            self.opts.log(f"  s{self.seasons}: simulating the raw seasons (not timed)")
            sample = self.run([*cli(), *self.generate_args()], self.raw, "raw-setup")
            _check(sample, "raw generate")

    def ensure_built(self) -> None:
        if not self.built.exists():
            self.opts.log(f"  s{self.seasons}: building every phase with the runner (not timed)")
            self.runner_once("runner-setup")

    def calendar(self) -> tuple[list[dt.date], list[dt.date]]:
        """(final game dates, game dates past each season's bootstrap days) of the raw schedule."""
        import duckdb

        con = duckdb.connect(str(self.raw), read_only=True)
        try:
            rows = con.execute(f"""
                with final as (select distinct season_year, game_date from nba_raw.nbac_schedule where game_status = 3),
                starts as (select season_year, min(game_date) as first_day from final group by 1)
                select game_date, game_date >= first_day + interval {int(read_vars(PROJECT_DIR)['bootstrap_days'])} day
                from final join starts using (season_year) order by 1
            """).fetchall()
        finally:
            con.close()
        return [r[0] for r in rows], [r[0] for r in rows if r[1]]

    def runner_once(self, log: str) -> Sample:
        db = self.copy(self.raw, "runner.duckdb")
        self.warm(db)
        first, last = self.range()
        # the main job's path (`nba-pipeline demo`): the backfill builds staging, the quarantine and
        # the accounting of its range itself (before 2026-12-04 a `build --select 'staging
        # orchestration'` came first, and the backfill then classified every raw row again)
        sample = self.run([*cli(), "--quiet", "backfill", "--start-date", str(first), "--end-date", str(last),
                           "--chunk-days", str(self.opts.chunk_days)], db, f"{log}-backfill")
        if sample.exit_code == 0:
            _remove_db(self.built)
            db.rename(self.built)
        return sample

    def range(self) -> tuple[dt.date, dt.date]:
        dates, _ = self.calendar()
        return dates[0], dates[-1]


# -- the measurements -----------------------------------------------------------------------
def m_simulator(scale: Scale) -> Figure:
    samples = []
    for i in range(scale.opts.repeats):
        db = scale.dir / "sim.duckdb"
        _remove_db(db)
        samples.append(scale.run([*cli(), *scale.generate_args()], db, f"simulator-{i}"))
        if i == scale.opts.repeats - 1 and samples[-1].exit_code == 0 and not scale.raw.exists():
            db.rename(scale.raw)
        else:
            _remove_db(db)
    return Figure("simulator", scale.seasons, "simulator (raw generate)", samples,
                  command=f"nba-pipeline {' '.join(scale.generate_args())}")


def m_floor(scale: Scale) -> Figure:
    scale.ensure_raw()
    dates, _ = scale.calendar()
    samples, steps = [], []
    for i in range(scale.opts.repeats):
        db = scale.copy(scale.raw, "floor.duckdb")
        scale.warm(db)
        samples.append(scale.run([sys.executable, "-m", "bench.child", "floor"], db, f"floor-{i}"))
        steps.append(read_sql_seconds(scale.logs / f"floor-{i}.log"))
    _remove_db(scale.dir / "floor.duckdb")
    return Figure("floor", scale.seasons, "floor: one dbt build --full-refresh", samples, game_dates=len(dates),
                  total_game_dates=len(dates), season_game_dates=len(dates) / scale.seasons,
                  steps=_median_steps([s for s in steps if s]),
                  command="python -m bench.child floor  (in-process dbtRunner: build --full-refresh "
                          "--exclude resource_type:unit_test, every model and data test)")


def m_runner(scale: Scale) -> Figure:
    scale.ensure_raw()
    dates, _ = scale.calendar()
    samples = [scale.runner_once(f"runner-{i}") for i in range(scale.opts.repeats)]
    first, last = dates[0], dates[-1]
    return Figure("runner", scale.seasons, "runner: backfill from empty (staging included)", samples,
                  game_dates=len(dates), total_game_dates=len(dates), season_game_dates=len(dates) / scale.seasons,
                  command=f"nba-pipeline backfill --start-date {first} --end-date {last} "
                          f"--chunk-days {scale.opts.chunk_days}",
                  note="from the raw seasons alone, as `nba-pipeline demo` runs it: the backfill builds "
                       "staging, the quarantine and the raw-row accounting of its range")


def m_per_date(scale: Scale) -> Figure:
    """The seeds' shape: one process per date and phase, on sampled dates of a built history."""
    scale.ensure_raw()
    scale.ensure_built()
    dates, ready = scale.calendar()
    chosen = sample_dates(ready, scale.opts.per_date_sample)
    db = scale.copy(scale.built, "perdate.duckdb")
    scale.warm(db)
    samples = []
    for day in chosen:
        steps = [scale.run([*cli(), "--quiet", "backfill", "--dates", str(day), "--select", phase, "--no-resume",
                            "--chunk-days", "1"], db, f"per-date-{day}-{phase}")
                 for phase in ("phase3", "phase4", "features")]
        samples.append(combine(steps))
    _remove_db(db)
    return Figure("per_date", scale.seasons, "per-date shape: one process per date and phase", samples,
                  game_dates=1, total_game_dates=len(dates), season_game_dates=len(dates) / scale.seasons,
                  command="for each sampled date D, for P in phase3 phase4 features: nba-pipeline backfill "
                          "--dates D --select P --no-resume --chunk-days 1",
                  note=f"sampled dates (one sample = one date, three processes): {', '.join(map(str, chosen))}; "
                       "extrapolated = median × game dates")


def m_microbatch(scale: Scale) -> Figure:
    """The same models with dbt's microbatch strategy (var bench_strategy) and daily batches."""
    scale.ensure_raw()
    dates, ready = scale.calendar()
    if scale.opts.microbatch_days > 0:
        start = ready[0]
        end = start + dt.timedelta(days=scale.opts.microbatch_days - 1)
    else:
        start, end = dates[0], dates[-1]
    covered = [d for d in dates if start <= d <= end]
    samples = []
    for i in range(scale.opts.repeats):
        db = scale.copy(scale.raw, "microbatch.duckdb")
        _check(scale.run([sys.executable, "-m", "bench.child", "prepare"], db, f"microbatch-prepare-{i}"),
               "building the staging views for microbatch")
        scale.warm(db, microbatch=True)
        samples.append(scale.run([sys.executable, "-m", "bench.child", "microbatch", str(start), str(end)], db,
                                 f"microbatch-{i}", microbatch=True))
    _remove_db(scale.dir / "microbatch.duckdb")
    return Figure("microbatch", scale.seasons, "dbt microbatch, daily batches", samples, game_dates=len(covered),
                  total_game_dates=len(dates), season_game_dates=len(dates) / scale.seasons,
                  command=f"python -m bench.child microbatch {start} {end}  (dbt run of the date models, "
                          f"vars bench_strategy=microbatch, --event-time-start {start} --event-time-end "
                          f"{end + dt.timedelta(days=1)})",
                  note=f"{start}..{end} ({len(covered)} game dates, {(end - start).days + 1} daily batches per "
                       "model); staging views built before, not timed; models only, no data tests (they judge whole "
                       "tables, which hold only these batches): a lower bound of dbt's own way")


def m_daily(scale: Scale) -> Figure:
    scale.ensure_raw()
    scale.ensure_built()
    dates, _ = scale.calendar()
    day = dates[-1]
    db = scale.copy(scale.built, "daily.duckdb")
    scale.warm(db)
    argv = [*cli(), "--quiet", "backfill", "--dates", str(day), "--no-resume"]
    # untimed: a daily run comes after earlier runs on the project, whose gates' SQL is compiled
    # (target/nba_dbt_cache, runner/backfill/gate_sql.py); a project edit costs one compile more
    _check(scale.run(argv, db, "daily-warm"), "the untimed daily run")
    samples = [scale.run(argv, db, f"daily-{i}") for i in range(scale.opts.repeats)]
    _remove_db(db)
    return Figure("daily", scale.seasons, "daily run: one date, every phase, CLI", samples, game_dates=1,
                  command=f"nba-pipeline backfill --dates {day} --no-resume",
                  note="the last game date rewritten on the fully built history (the same work as appending it), "
                       "after one untimed run of it (the gates' SQL compiled and cached)")


# validate --select SECTION, warm: a section's own cost is its figure minus validate_ledger's
VALIDATE_SECTIONS = {
    "validate_feature_health": ("feature_health", "nba-pipeline validate --select feature_health (warm)"),
    "validate_ledger": ("ledger", "nba-pipeline validate --select ledger (warm): a validate process's fixed cost"),
}


def m_validate(scale: Scale, cold: bool = False, fid: str | None = None) -> Figure:
    """validate over the whole history. Warm: validate ran before on this project (its cache of
    dbt's answers is current: no dbt import, no parse, no compile). Cold: the cache is emptied
    before each run, as after an edit of the project (dbt's partial parse is still warm). With
    ``fid`` one of VALIDATE_SECTIONS: warm, only that section (``--select``)."""
    from runner.dbt_cache import DIR_NAME

    source = scale.opts.validate_db if scale.opts.validate_db and scale.seasons == 5 else None
    if source is None:
        scale.ensure_raw()
        scale.ensure_built()
        source = scale.built
    db = scale.copy(source, "validate.duckdb")
    scale.warm(db)
    out = scale.dir / "validate.json"
    select = ["--select", VALIDATE_SECTIONS[fid][0]] if fid else []
    argv = [*cli(), "--quiet", "validate", *select, "--format", "json", "--output", str(out)]
    cache_dir = scale.opts.work_dir / "dbt-target" / DIR_NAME
    if not cold:
        _check(scale.run(argv, db, "validate-warm-cache"), "validate")  # untimed: fills the cache
    samples = []
    for i in range(scale.opts.repeats):
        if cold:
            shutil.rmtree(cache_dir, ignore_errors=True)
        samples.append(scale.run(argv, db, f"validate{'-cold' if cold else ''}-{i}"))
    _remove_db(db)
    if fid:
        label = VALIDATE_SECTIONS[fid][1]
    else:
        fid, label = ("validate_cold", "nba-pipeline validate, first run after a project change (cache empty)") \
            if cold else ("validate", "nba-pipeline validate (whole history; run before on this project)")
    return Figure(fid, scale.seasons, label, samples, command=" ".join(["nba-pipeline validate", *select,
                                                                        "--format json --output FILE"]),
                  note=f"on a copy of {source}")


MEASURE = {
    "simulator": m_simulator,
    "floor": m_floor,
    "runner": m_runner,
    "per_date": m_per_date,
    "microbatch": m_microbatch,
    "daily": m_daily,
    "validate": m_validate,
    "validate_cold": lambda scale: m_validate(scale, cold=True),
    **{fid: (lambda scale, fid=fid: m_validate(scale, fid=fid)) for fid in VALIDATE_SECTIONS},
}


# -- helpers --------------------------------------------------------------------------------
def read_sql_seconds(log_path: Path) -> dict[str, float]:
    """The SQL seconds the floor's child printed last in its log (bench.child.SQL_MARK), or {}."""
    from bench.child import SQL_MARK

    lines = [line for line in log_path.read_text(errors="replace").splitlines() if line.startswith(SQL_MARK)]
    return json.loads(lines[-1][len(SQL_MARK):]) if lines else {}


def _median_steps(steps: list[dict[str, float]]) -> dict[str, float]:
    import statistics

    keys = [k for k in steps[0] if all(k in s for s in steps)] if steps else []  # the runs' common steps
    return {k: round(statistics.median(s[k] for s in steps), 2) for k in keys}


def _remove_db(path: Path) -> None:
    for p in (path, path.with_name(path.name + ".wal"), path.with_name(path.name + ".backfill.lock")):
        if p.exists():
            p.unlink()


def _check(sample: Sample, what: str) -> None:
    if sample.exit_code != 0:
        raise RuntimeError(f"{what} failed (exit {sample.exit_code}); see the logs under the work dir")


def dump(obj: Any) -> str:
    return json.dumps(obj, default=str)

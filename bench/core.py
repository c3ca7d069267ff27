"""The harness's pure logic: statistics, extrapolation, ratios, the results files.

No subprocess, no dbt, no clock: every rule here is unit-tested fast
(runner/tests/bench/). ``bench.measure`` produces the samples, this module
turns them into figures and writes ``results.json`` and ``results.md``.
"""
from __future__ import annotations

import json
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

MEASUREMENTS = ("simulator", "floor", "runner", "per_date", "microbatch", "daily", "validate", "validate_cold",
                "validate_feature_health", "validate_ledger", "sweep")
# (ratio id, numerator figure, denominator figure, how the target reads, target)
# Figures are "seconds per game date" so that a sampled measurement (per_date, microbatch)
# compares with a full-range one (runner, floor).
RATIOS = (
    ("runner / floor", "runner", "floor", "<=", 1.1),
    ("per-date shape / runner", "per_date", "runner", ">=", 20.0),
    ("microbatch / runner", "microbatch", "runner", ">=", 20.0),
)
# absolute targets: figure id -> (statistic, bound in seconds, required seasons or None)
TARGETS = {
    "daily": ("seconds", 5.0, None),
    "validate": ("seconds", 10.0, 5),
}
EXTRAPOLATED = {"per_season_s": "per season", "full_range_s": "whole range"}
SWEEP_FLATNESS = 0.25  # time per game date within ± 25 % of the smallest scale's
SWEEP_MEMORY_MB = 2048.0  # peak memory < 2 GB at 20 seasons
GATES_FAILED_EXIT = 1  # the runner's exit when its run finished with failed (model, date) (runner/errors.py)


@dataclass(frozen=True)
class Sample:
    """One measured run of a child process."""

    seconds: float
    peak_rss_mb: float
    exit_code: int = 0


@dataclass(frozen=True)
class Stat:
    median: float
    min: float
    max: float
    n: int


def stat(values: Iterable[float]) -> Stat:
    """Median, min and max of a non-empty list of numbers (median of an even count: the mean of the middle two)."""
    vals = [float(v) for v in values]
    if not vals:
        raise ValueError("no values to summarise")
    return Stat(round(statistics.median(vals), 3), round(min(vals), 3), round(max(vals), 3), len(vals))


@dataclass
class Figure:
    """One measured quantity at one scale: its samples and derived numbers."""

    id: str  # one of MEASUREMENTS
    seasons: int
    label: str
    samples: list[Sample]
    game_dates: int | None = None  # game dates the measured work covers (for per-date figures)
    total_game_dates: int | None = None  # game dates of the whole simulated range (extrapolation)
    season_game_dates: float | None = None  # game dates per season (extrapolation)
    command: str = ""
    note: str = ""
    steps: dict[str, float] = field(default_factory=dict)  # median seconds of each sub-step

    @property
    def ok(self) -> bool:
        return all(s.exit_code == 0 for s in self.samples)

    @property
    def completed(self) -> bool:
        """Every run went to its end: exit 0, or the runner's exit 1 (it finished, and a data gate
        failed some dates, which it blocked downstream): the timing covers the whole range."""
        return all(s.exit_code in (0, GATES_FAILED_EXIT) for s in self.samples)

    @property
    def seconds(self) -> Stat:
        return stat(s.seconds for s in self.samples)

    @property
    def memory(self) -> Stat:
        return stat(s.peak_rss_mb for s in self.samples)

    @property
    def per_game_date(self) -> Stat | None:
        """Seconds per game date (the figure's time divided by the game dates it covered)."""
        if not self.game_dates:
            return None
        return stat(s.seconds / self.game_dates for s in self.samples)

    def extrapolated(self) -> dict[str, float]:
        """The median per game date scaled to one season and to the whole simulated range."""
        per = self.per_game_date
        out: dict[str, float] = {}
        if per is None:
            return out
        if self.season_game_dates:
            out["per_season_s"] = round(per.median * self.season_game_dates, 1)
        if self.total_game_dates:
            out["full_range_s"] = round(per.median * self.total_game_dates, 1)
        return out

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["ok"] = self.ok
        d["seconds_stat"] = asdict(self.seconds)
        d["memory_mb_stat"] = asdict(self.memory)
        per = self.per_game_date
        d["per_game_date_stat"] = asdict(per) if per else None
        d["extrapolated"] = self.extrapolated()
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Figure:
        return cls(
            id=d["id"], seasons=d["seasons"], label=d["label"],
            samples=[Sample(**s) for s in d["samples"]],
            game_dates=d.get("game_dates"), total_game_dates=d.get("total_game_dates"),
            season_game_dates=d.get("season_game_dates"), command=d.get("command", ""),
            note=d.get("note", ""), steps=dict(d.get("steps") or {}),
        )


@dataclass
class Run:
    """One harness invocation: where, when, on what, and its figures."""

    run_id: str
    started_at: str
    finished_at: str = ""
    command: str = ""
    machine: dict[str, Any] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=dict)
    commit: str = ""
    load_start: tuple[float, float, float] = (0.0, 0.0, 0.0)
    load_end: tuple[float, float, float] = (0.0, 0.0, 0.0)
    figures: list[Figure] = field(default_factory=list)

    def figure(self, fid: str, seasons: int) -> Figure | None:
        return next((f for f in self.figures if f.id == fid and f.seasons == seasons), None)

    def to_dict(self) -> dict[str, Any]:
        d = {k: v for k, v in asdict(self).items() if k != "figures"}
        d["figures"] = [f.to_dict() for f in self.figures]
        d["ratios"] = [asdict(r) for r in ratios(self)]
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Run:
        return cls(
            run_id=d["run_id"], started_at=d["started_at"], finished_at=d.get("finished_at", ""),
            command=d.get("command", ""), machine=dict(d.get("machine") or {}),
            versions=dict(d.get("versions") or {}), commit=d.get("commit", ""),
            load_start=tuple(d.get("load_start") or (0, 0, 0)), load_end=tuple(d.get("load_end") or (0, 0, 0)),
            figures=[Figure.from_dict(f) for f in d.get("figures") or []],
        )


@dataclass(frozen=True)
class Ratio:
    name: str
    seasons: int
    value: float
    target: str
    met: bool


def ratios(run: Run) -> list[Ratio]:
    """The target ratios of one run, per scale, from the median seconds per game date.

    Only figures of the same run are compared (the machine's load differs between runs).
    """
    out: list[Ratio] = []
    for seasons in sorted({f.seasons for f in run.figures}):
        for name, num_id, den_id, op, bound in RATIOS:
            num, den = run.figure(num_id, seasons), run.figure(den_id, seasons)
            if not (num and den and num.ok and den.ok and num.per_game_date and den.per_game_date):
                continue
            if den.per_game_date.median <= 0:
                continue
            value = round(num.per_game_date.median / den.per_game_date.median, 2)
            met = value <= bound if op == "<=" else value >= bound
            out.append(Ratio(name, seasons, value, f"{op} {bound:g}", met))
    return out


def sweep(runs: Sequence[Run]) -> list[dict[str, Any]]:
    """The runner's time per game date and peak memory at each scale, latest run per scale.

    ``drift`` is each scale's median seconds per game date relative to the smallest scale
    measured (0.1 = 10 % slower per date); the target is |drift| <= SWEEP_FLATNESS. A run whose
    data gates failed some dates still timed the whole range: it counts, with its exit code shown.
    """
    latest: dict[int, tuple[Run, Figure]] = {}
    for run in sorted(runs, key=lambda r: r.started_at):
        for f in run.figures:
            if f.id == "runner" and f.completed and f.per_game_date:
                latest[f.seasons] = (run, f)
    rows: list[dict[str, Any]] = []
    base: float | None = None
    for seasons in sorted(latest):
        run, f = latest[seasons]
        per = f.per_game_date.median  # type: ignore[union-attr]
        base = per if base is None else base
        drift = round(per / base - 1.0, 3) if base else 0.0
        rows.append({
            "seasons": seasons, "run_id": run.run_id, "game_dates": f.game_dates,
            "seconds": f.seconds.median, "per_game_date_s": per, "drift": drift,
            "flat": abs(drift) <= SWEEP_FLATNESS, "peak_rss_mb": f.memory.max,
            "memory_ok": f.memory.max < SWEEP_MEMORY_MB, "exit": max(x.exit_code for x in f.samples),
        })
    return rows


def target_checks(run: Run) -> list[tuple[str, int, float, str, bool]]:
    """The absolute targets (daily run, validate) met or not, per figure of the run."""
    out = []
    for f in run.figures:
        if f.id not in TARGETS or not f.ok:
            continue
        _, bound, seasons = TARGETS[f.id]
        if seasons is not None and f.seasons != seasons:
            continue
        out.append((f.id, f.seasons, f.seconds.median, f"<= {bound:g} s", f.seconds.median <= bound))
    return out


# -- results files ------------------------------------------------------------------------
def load_runs(path: Path) -> list[Run]:
    if not path.exists():
        return []
    data = json.loads(path.read_text())
    return [Run.from_dict(r) for r in data.get("runs") or []]


def merge_run(runs: Sequence[Run], run: Run) -> list[Run]:
    """Earlier runs kept (figures of other scales come from them), this run added or replaced."""
    return [r for r in runs if r.run_id != run.run_id] + [run]


def write_results(out_dir: Path, runs: Sequence[Run], still_to_measure: Sequence[str] = (),
                  notes: str = "") -> tuple[Path, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    runs = sorted(runs, key=lambda r: r.started_at)
    json_path, md_path = out_dir / "results.json", out_dir / "results.md"
    json_path.write_text(json.dumps({"version": 1, "runs": [r.to_dict() for r in runs],
                                     "sweep": sweep(runs)}, indent=2, default=str) + "\n")
    md_path.write_text(render_markdown(runs, still_to_measure, notes))
    return json_path, md_path


def _fmt(x: float | None, digits: int = 2) -> str:
    return "" if x is None else f"{x:,.{digits}f}"


def render_markdown(runs: Sequence[Run], still_to_measure: Sequence[str] = (), notes: str = "") -> str:
    lines = [
        "# Benchmark results",
        "",
        "Written by `python -m bench` (bench/README.md explains each measurement). Every figure is the",
        "median of its runs with min and max; each run is a fresh process (imports and memory are real).",
        "Ratios compare figures of the same harness run only: the machine is shared and its load",
        "(shown per run) moves absolute times. Seconds per game date divide a measurement's wall time",
        "by the game dates it covered.",
        "",
    ]
    sw = sweep(runs)
    if sw:
        lines += ["## Scale sweep (runner backfill from empty, latest run per scale)", "",
                  "| seasons | run | game dates | wall s | s / game date | vs smallest | flat (±25 %) | peak MB | < 2 GB | exit |",
                  "|---:|---|---:|---:|---:|---:|---|---:|---|---:|"]
        for row in sw:
            lines.append(f"| {row['seasons']} | {row['run_id']} | {row['game_dates']} | {_fmt(row['seconds'], 1)} | "
                         f"{_fmt(row['per_game_date_s'], 3)} | {row['drift']:+.0%} | {'yes' if row['flat'] else 'NO'} | "
                         f"{_fmt(row['peak_rss_mb'], 0)} | {'yes' if row['memory_ok'] else 'NO'} | "
                         f"{row['exit']}{' (data gates failed some dates)' if row['exit'] else ''} |")
        lines.append("")
    for run in sorted(runs, key=lambda r: r.started_at, reverse=True):
        lines += _render_run(run)
    if still_to_measure:
        lines += ["## Still to measure", ""] + [f"- {item}" for item in still_to_measure] + [""]
    if notes:
        lines += [notes.rstrip(), ""]
    return "\n".join(lines)


def _render_run(run: Run) -> list[str]:
    m = run.machine
    out = [
        f"## Run {run.run_id}",
        "",
        f"- command: `{run.command}`",
        f"- started {run.started_at}, finished {run.finished_at}; commit `{run.commit}`",
        f"- machine: {m.get('cpus')} CPUs, {_fmt(m.get('mem_gb'), 1)} GB RAM, {m.get('cpu_model', '')}, "
        f"{m.get('platform', '')}",
        *([f"- NBA_DUCKDB_MEMORY_LIMIT: {m['duckdb_memory_limit']}"] if m.get("duckdb_memory_limit") else []),
        f"- load average (1, 5, 15 min) at start {_load(run.load_start)}, at end {_load(run.load_end)}",
        f"- versions: {', '.join(f'{k} {v}' for k, v in sorted(run.versions.items()))}",
        "",
        "| measurement | seasons | runs | wall s median (min–max) | peak MB median (max) | game dates"
        " | s / game date | extrapolated | ok |",
        "|---|---:|---:|---|---|---:|---:|---|---|",
    ]
    for f in run.figures:
        s, mem, per = f.seconds, f.memory, f.per_game_date
        extra = ", ".join(f"{EXTRAPOLATED[k]} {v:,.0f} s" for k, v in f.extrapolated().items())
        out.append(f"| {f.label} | {f.seasons} | {s.n} | {_fmt(s.median)} ({_fmt(s.min)}–{_fmt(s.max)}) | "
                   f"{_fmt(mem.median, 0)} ({_fmt(mem.max, 0)}) | {f.game_dates or ''} | "
                   f"{_fmt(per.median, 3) if per else ''} | {extra} | {'yes' if f.ok else 'FAILED'} |")
    out.append("")
    rs = ratios(run)
    checks = target_checks(run)
    if rs or checks:
        out += ["| ratio / target | seasons | value | target | met |", "|---|---:|---:|---|---|"]
        out += [f"| {r.name} | {r.seasons} | {r.value:g} | {r.target} | {'yes' if r.met else 'NO'} |" for r in rs]
        out += [f"| {fid} wall s | {seasons} | {value:g} | {target} | {'yes' if met else 'NO'} |"
                for fid, seasons, value, target, met in checks]
        out.append("")
    details = [f for f in run.figures if f.command or f.note or f.steps]
    if details:
        out += ["Commands and notes:", ""]
        for f in details:
            steps = "; ".join(f"{k} {v:.2f} s" for k, v in f.steps.items())
            out.append(f"- **{f.label}** ({f.seasons} seasons): `{f.command}`"
                       + (f". Steps (median): {steps}" if steps else "") + (f". {f.note}" if f.note else ""))
        out.append("")
    return out


def _load(load: Sequence[float]) -> str:
    return " / ".join(f"{x:.2f}" for x in load)


def sample_dates(dates: Sequence[Any], k: int) -> list[Any]:
    """k dates spread evenly over a sorted list (first and last included when k >= 2)."""
    dates = sorted(dates)
    if k <= 0 or not dates:
        return []
    if k >= len(dates):
        return list(dates)
    if k == 1:
        return [dates[len(dates) // 2]]
    step = (len(dates) - 1) / (k - 1)
    return [dates[round(i * step)] for i in range(k)]


def season_range(seasons: int, last_season: int = 2025) -> tuple[int, int]:
    """N simulated seasons ending at last_season (the simulator covers 2000..2025)."""
    if seasons < 1:
        raise ValueError("seasons must be >= 1")
    first = last_season - seasons + 1
    if first < 2000:
        raise ValueError(f"{seasons} seasons ending {last_season} start before 2000, which the simulator lacks")
    return first, last_season

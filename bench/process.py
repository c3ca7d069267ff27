"""The harness's children and machine: the console script a child runs, its environment, one child run
to its end (wall time, peak RSS from ``os.wait4``, exit code), and the machine, versions and commit a
results file records. The measurements themselves are bench/measure.py.
"""
from __future__ import annotations

import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.core import Sample

PROJECT_DIR = Path(__file__).resolve().parent.parent


# -- child processes ----------------------------------------------------------------------
def cli() -> list[str]:
    """The nba-pipeline console script of this interpreter's environment."""
    script = Path(sys.executable).with_name("nba-pipeline")
    return [str(script)] if script.exists() else [sys.executable, "-m", "runner"]


def child_env(db: Path, threads: int, work_dir: Path) -> dict[str, str]:
    """The child's settings; dbt's target/ and logs/ under the work dir, apart from the worktree's."""
    env = dict(os.environ)
    env.update({
        "DBT_TARGET_PATH": str(work_dir / "dbt-target"),
        "DBT_LOG_PATH": str(work_dir / "dbt-logs"),
        "NBA_DUCKDB_PATH": str(db),
        "DBT_PROFILES_DIR": str(PROJECT_DIR / "profiles"),
        "NBA_THREADS": str(threads),
        "NBA_TARGET": "duckdb",
        "PYTHONPATH": str(PROJECT_DIR),
    })
    env.pop("NBA_PROJECT_DIR", None)
    return env


def run_child(argv: list[str], env: dict[str, str], log_path: Path) -> Sample:
    """Run one child to its end: wall seconds, its peak RSS (MB) and exit code."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "ab") as log:
        log.write(f"\n$ {' '.join(argv)}\n".encode())
        log.flush()
        t0 = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=PROJECT_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
    return Sample(round(seconds, 3), round(usage.ru_maxrss / 1024.0, 1), proc.returncode)


def combine(samples: list[Sample]) -> Sample:
    """Steps run one after the other: seconds add up, memory is the largest, the worst exit code."""
    return Sample(round(sum(s.seconds for s in samples), 3), max(s.peak_rss_mb for s in samples),
                  max((s.exit_code for s in samples), key=abs))


# -- machine --------------------------------------------------------------------------------
def machine_info() -> dict[str, Any]:
    info: dict[str, Any] = {"cpus": os.cpu_count(), "platform": platform.platform(),
                            "python": platform.python_version(),
                            # DuckDB's memory_limit in the children (the profile's default when unset)
                            "duckdb_memory_limit": os.environ.get("NBA_DUCKDB_MEMORY_LIMIT", "profile default")}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu_model"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["mem_gb"] = round(int(line.split()[1]) / 1024 / 1024, 1)
                break
    except OSError:
        pass
    return info


def versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for pkg in ("dbt-core", "dbt-duckdb", "duckdb", "nba-pipeline"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            pass
    return out


def git_commit() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_DIR, capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=PROJECT_DIR,
                               capture_output=True, text=True, check=True).stdout.strip()
        return head + ("+dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"

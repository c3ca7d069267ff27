"""What the runner learns from dbt, kept between runs so that a repeated run asks dbt less.

validate asks dbt two things: the project's checks (the date models with their tests, read from
the parsed manifest) and the SQL of its queries (one inline compile over the range); the backfill
asks for its gates' SQL (runner/backfill/gate_sql.py). All are a function of what dbt reads (the
project's files, the profile, the environment it renders, the installed dbt) and of what the
runner does with it (this package's code); the compiled SQL also of the queries and the range.
``fingerprint`` hashes all of those without importing dbt (≈ 25-50 ms here); an entry is only
used under the same fingerprint, so an edited model, macro, yml, profile, env var, runner module
or dbt upgrade means a miss, and a miss is the ordinary path (parse, compile), whose answer is
stored for the next run. Nothing here is read from the warehouse: the warehouse's state (which
tables are built, the range they hold) is looked up on every run and is part of the compiled
entry's key through the queries it chooses.

Entries are JSON files under dbt's target path (``<target>/nba_dbt_cache/``), the newest
``KEEP`` kept. ``NBA_DBT_CACHE=0`` turns the cache off.
"""
from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from runner.config import Settings

FORMAT = 1            # bump when an entry's shape changes
KEEP = 32             # newest entries kept
DIR_NAME = "nba_dbt_cache"
# what dbt reads besides the profile (dbt_project.yml's paths; the layout of the design card)
PROJECT_FILES = ("dbt_project.yml", "selectors.yml", "packages.yml", "dependencies.yml")
PROJECT_DIRS = ("models", "macros", "tests", "seeds", "snapshots", "analyses")
ENV_PREFIXES = ("NBA_", "DBT_")
DISTRIBUTIONS = ("dbt-core", "dbt-adapters", "dbt-duckdb", "dbt-bigquery")
RUNNER_DIR = Path(__file__).resolve().parent


def enabled() -> bool:
    return os.environ.get("NBA_DBT_CACHE", "1").strip().lower() not in ("0", "false", "no", "off")


def target_dir(settings: Settings) -> Path:
    """dbt's target path as dbt resolves it here: DBT_TARGET_PATH, else the project's ``target``."""
    env = os.environ.get("DBT_TARGET_PATH")
    return Path(env) if env else settings.project_dir / "target"


def fingerprint(settings: Settings) -> str:
    """A hash of everything the cached answers depend on, computed without dbt."""
    settings.export_env()  # the env dbt would render the profile with
    h = hashlib.sha256(f"format {FORMAT}\ntarget {settings.target}\n".encode())
    for key in sorted(k for k in os.environ if k.startswith(ENV_PREFIXES) and k != "NBA_DBT_CACHE"):
        h.update(f"env {key}={os.environ[key]}\n".encode())
    for dist in DISTRIBUTIONS:
        try:
            version = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            version = "-"
        h.update(f"dist {dist}={version}\n".encode())
    _hash_files(h, settings.profiles_dir, [settings.profiles_dir / "profiles.yml"])
    project = settings.project_dir
    files = [project / f for f in PROJECT_FILES]
    for d in PROJECT_DIRS:
        files += sorted(p for p in (project / d).rglob("*") if p.is_file())
    _hash_files(h, project, files)
    _hash_files(h, RUNNER_DIR, sorted(p for p in RUNNER_DIR.rglob("*.py") if "tests" not in p.relative_to(RUNNER_DIR).parts))
    return h.hexdigest()


def _hash_files(h: Any, root: Path, files: Iterable[Path]) -> None:
    for path in files:
        if path.is_file():
            h.update(f"file {path.relative_to(root) if path.is_relative_to(root) else path}\n".encode())
            h.update(path.read_bytes())
            h.update(b"\n")


class Cache:
    """Entries by kind and key (any JSON-able value), under one fingerprint."""

    def __init__(self, settings: Settings) -> None:
        self.on = enabled()
        self.dir = target_dir(settings) / DIR_NAME
        self.print = fingerprint(settings) if self.on else ""
        self.hits: list[str] = []

    def _path(self, kind: str, key: Any) -> Path:
        digest = hashlib.sha256(json.dumps([self.print, kind, key], sort_keys=True, default=str).encode())
        return self.dir / f"{kind}-{digest.hexdigest()[:32]}.json"

    def get(self, kind: str, key: Any) -> Any | None:
        if not self.on:
            return None
        path = self._path(kind, key)
        try:
            value = json.loads(path.read_text())
        except (OSError, ValueError):
            return None
        self.hits.append(kind)
        return value

    def put(self, kind: str, key: Any, value: Any) -> None:
        if not self.on:
            return
        path = self._path(kind, key)
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".tmp{os.getpid()}")
            tmp.write_text(json.dumps(value, default=str))
            tmp.replace(path)  # atomic: a reader sees the whole entry or none
            self._prune()
        except OSError:
            pass  # a read-only target path only costs the next run a parse

    def _prune(self) -> None:
        entries = sorted(self.dir.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[KEEP:]:
            old.unlink(missing_ok=True)

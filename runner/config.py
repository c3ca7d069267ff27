"""Settings: where the dbt project, its profiles and the embedded DuckDB file live.

Resolution order for each value: explicit argument (CLI option) > environment
variable > default. Defaults make a fresh clone work with nothing copied: the
project is the repository holding this package, profiles come from
``<project>/profiles`` (a link to ``profiles.example.yml``), the DuckDB file is
``<project>/nba.duckdb``.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from runner.errors import UsageError

PACKAGE_PROJECT_DIR = Path(__file__).resolve().parent.parent
EMBEDDED_TARGETS = ("duckdb",)
# BigQuery targets of profiles.example.yml: production, and the local API emulator (CI)
WAREHOUSE_TARGETS = ("bigquery", "emulator")


def _find_project_dir(start: Path) -> Path | None:
    for candidate in (start, *start.parents):
        if (candidate / "dbt_project.yml").is_file():
            return candidate
    return None


@dataclass(frozen=True)
class Settings:
    project_dir: Path
    profiles_dir: Path
    target: str
    duckdb_path: Path

    @classmethod
    def load(
        cls,
        project_dir: Path | None = None,
        profiles_dir: Path | None = None,
        target: str | None = None,
        duckdb_path: Path | None = None,
    ) -> Settings:
        env = os.environ
        if project_dir is None and env.get("NBA_PROJECT_DIR"):
            project_dir = Path(env["NBA_PROJECT_DIR"])
        if project_dir is None:
            project_dir = _find_project_dir(Path.cwd()) or PACKAGE_PROJECT_DIR
        project_dir = project_dir.resolve()
        if not (project_dir / "dbt_project.yml").is_file():
            raise UsageError(f"no dbt_project.yml in project dir {project_dir}")

        if profiles_dir is None and env.get("DBT_PROFILES_DIR"):
            profiles_dir = Path(env["DBT_PROFILES_DIR"])
        profiles_dir = (profiles_dir or project_dir / "profiles").resolve()
        if not (profiles_dir / "profiles.yml").is_file():
            raise UsageError(f"no profiles.yml in profiles dir {profiles_dir}")

        target = target or env.get("NBA_TARGET") or "duckdb"

        if duckdb_path is None and env.get("NBA_DUCKDB_PATH"):
            duckdb_path = Path(env["NBA_DUCKDB_PATH"])
        duckdb_path = duckdb_path or project_dir / "nba.duckdb"
        if not duckdb_path.is_absolute():
            duckdb_path = project_dir / duckdb_path
        return cls(project_dir, profiles_dir, target, duckdb_path)

    @property
    def is_embedded(self) -> bool:
        return self.target in EMBEDDED_TARGETS

    @property
    def is_warehouse(self) -> bool:
        """A BigQuery target (production or the emulator): the same adapter and SQL."""
        return self.target in WAREHOUSE_TARGETS

    @property
    def is_emulator(self) -> bool:
        return self.target == "emulator"

    def with_duckdb_path(self, path: Path) -> Settings:
        return replace(self, duckdb_path=path.resolve())

    def export_env(self) -> None:
        """Make dbt's profile (which reads env vars) agree with these settings."""
        os.environ["DBT_PROFILES_DIR"] = str(self.profiles_dir)
        os.environ["NBA_TARGET"] = self.target
        os.environ["NBA_DUCKDB_PATH"] = str(self.duckdb_path)

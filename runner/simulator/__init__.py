"""Deterministic raw-data simulator: fills the 11 ``nba_raw`` tables of a DuckDB database.

Public API::

    generate(db_path, first_season=2021, last_season=2025, seed=7, faults=()) -> GenerationReport
    FAULTS: dict[str, str]                      # fault name -> one-line description
    SimulatorInputError(ValueError)             # bad season range / seed / fault name
    normalize_name_for_lookup(name) -> str      # domain.md §7.1
"""
from __future__ import annotations

from .core import GenerationReport, SimulatorInputError, generate
from .faults import FAULTS, FaultEffect
from .names import normalize_name_for_lookup
from .schema import RAW_SCHEMA, TABLES

__all__ = [
    "FAULTS",
    "RAW_SCHEMA",
    "TABLES",
    "FaultEffect",
    "GenerationReport",
    "SimulatorInputError",
    "generate",
    "normalize_name_for_lookup",
]

"""Checks of the values a user hands the CLI (dates, selections), before any SQL is built.

Every value that reaches a query or a dbt invocation passes one of these first; a bad one is a
UsageError (exit 2) that names the option and the value, shown with repr() so that control
characters and quotes are visible and nothing of it is ever interpreted.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from runner.errors import UsageError

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# a phase, a model or a validate section: a plain identifier, optionally after "tag:"
_NAME = re.compile(r"(tag:)?[A-Za-z_][A-Za-z0-9_]*")
# dbt's node selection grammar (graph operators + @ n+, methods with ':' and '.', paths, globs,
# ',' intersections): nothing that quotes, escapes or ends a statement
_DBT_SELECTOR = re.compile(r"[A-Za-z0-9_.:/@+*,=-]+")
_MAX = 200


def parse_iso_date(text: str, option: str = "") -> dt.date:
    """A date written YYYY-MM-DD exactly (not the other forms Python's fromisoformat accepts)."""
    value = text.strip()
    named = f"{option} {_show(text)}".strip()
    if len(value) > _MAX or not _ISO_DATE.fullmatch(value):
        raise UsageError(f"{named} is not a date YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{named} is not a date YYYY-MM-DD (no such day)") from None


def check_names(option: str, values: Iterable[str]) -> None:
    """Phases, model names or sections (--select of backfill and validate)."""
    for value in values:
        if len(value) > _MAX or not _NAME.fullmatch(value):
            raise UsageError(f"{option} {_show(value)}: not a phase, model or section name "
                             "(letters, digits and _ only)")


def check_dbt_selectors(option: str, values: Iterable[str]) -> None:
    """dbt node selectors (--select of build): dbt's own grammar, nothing else."""
    for value in values:
        if len(value) > _MAX or not _DBT_SELECTOR.fullmatch(value):
            raise UsageError(f"{option} {_show(value)}: not a dbt selector (names, tag:/path: methods, "
                             "+ @ * graph operators, ',' intersections)")


def _show(value: str) -> str:
    return repr(value if len(value) <= 80 else value[:77] + "...")

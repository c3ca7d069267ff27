"""The JSON report: ``Report.to_dict()`` made strictly JSON (documented by report.schema.json)."""
from __future__ import annotations

import datetime as dt
import json
import math
from decimal import Decimal
from pathlib import Path
from typing import Any

from runner.validate.report import Report

SCHEMA_PATH = Path(__file__).resolve().parents[1] / "report.schema.json"


def to_json(report: Report) -> str:
    return json.dumps(plain(report.to_dict()), indent=2, ensure_ascii=False, allow_nan=False)


def plain(value: Any) -> Any:
    """Warehouse values as JSON values: dates as ISO text, decimals as numbers, NaN/inf as null."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, (float, Decimal)):
        number = float(value)
        return number if math.isfinite(number) else None
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    return str(value)

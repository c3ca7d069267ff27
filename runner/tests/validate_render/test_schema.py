"""The JSON output round-trips through runner/validate/report.schema.json, which documents every field."""
from __future__ import annotations

import dataclasses
import json

import jsonschema  # installed with dbt-core
import pytest

from runner.tests.validate_render.sample import sample_report
from runner.validate.render.jsonout import SCHEMA_PATH, to_json
from runner.validate.report import (
    SCHEMA_VERSION,
    SECTIONS,
    Check,
    CoverageCell,
    DriftFlag,
    FeatureHealth,
    FeatureMonth,
    FeatureSeason,
    Readiness,
    Report,
    Section,
    ThresholdResult,
)


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(SCHEMA_PATH.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def errors(validator, data) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]


def test_sample_report_round_trips_through_the_schema(validator):
    data = json.loads(to_json(sample_report()))
    assert errors(validator, data) == []
    assert json.loads(json.dumps(data)) == data


def test_minimal_report_validates(validator):
    import datetime as dt

    report = Report("bigquery", dt.date(2024, 1, 1), dt.date(2024, 1, 2), ["coverage"], "2024-01-03T00:00:00Z")
    assert errors(validator, json.loads(to_json(report))) == []


@pytest.mark.parametrize("break_it, where", [
    (lambda d: d.pop("generated_at"), "'generated_at' is a required property"),
    (lambda d: d["sections"][0]["checks"][0].update(severity="fatal"), "'fatal' is not one of"),
    (lambda d: d["sections"][0].update(id="nonsense"), "'nonsense' is not one of"),
    (lambda d: d["coverage"][0].update(month="2024-1"), "does not match"),
    (lambda d: d.update(version=SCHEMA_VERSION + 1), "was expected"),
    (lambda d: d.update(surprise=1), "Additional properties are not allowed"),
    (lambda d: d.update(start_date="2024-13-01"), "is not a 'date'"),
])
def test_the_schema_rejects_what_it_does_not_document(validator, break_it, where):
    data = json.loads(to_json(sample_report()))
    break_it(data)
    assert any(where in e for e in errors(validator, data)), errors(validator, data)


def test_the_schema_documents_every_field_of_the_data_model():
    schema = json.loads(SCHEMA_PATH.read_text())
    defs = schema["$defs"]
    expected = {
        "": (Report, set()),
        "section": (Section, set()),
        "check": (Check, set()),
        "coverage_cell": (CoverageCell, {"date_pct", "row_pct"}),
        "threshold_result": (ThresholdResult, set()),
        "readiness": (Readiness, {"line"}),
        "feature_health": (FeatureHealth, set()),
        "feature_month": (FeatureMonth, set()),
        "feature_season": (FeatureSeason, set()),
        "drift_flag": (DriftFlag, set()),
    }
    for name, (cls, computed) in expected.items():
        node = schema if not name else defs[name]
        fields = {f.name for f in dataclasses.fields(cls)} | computed
        assert set(node["properties"]) == fields, name
        assert set(node["required"]) == fields, name
        assert all(p.get("description") or "$ref" in p for p in node["properties"].values()), name
    assert defs["section"]["properties"]["id"]["enum"] == list(SECTIONS)
    assert schema["properties"]["version"]["const"] == SCHEMA_VERSION


@pytest.mark.parametrize("break_it, where", [
    (lambda m: m.update(phase="preseason"), "'preseason' is not one of"),
    (lambda m: m["flags"][0].update(kind="vibes"), "'vibes' is not one of"),
    (lambda m: m.update(month="Dec 2024"), "does not match"),
    (lambda m: m.pop("baseline_months"), "'baseline_months' is a required property"),
])
def test_the_schema_rejects_a_malformed_feature_month(break_it, where):
    schema = json.loads(SCHEMA_PATH.read_text())
    month_schema = jsonschema.Draft202012Validator({"$defs": schema["$defs"], "$ref": "#/$defs/feature_month"})
    months = json.loads(to_json(sample_report()))["feature_health"]["months"]
    flagged = next(m for m in months if m["flags"])
    assert list(month_schema.iter_errors(flagged)) == []
    break_it(flagged)
    assert any(where in e.message for e in month_schema.iter_errors(flagged))

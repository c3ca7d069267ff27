"""validate's cache of dbt's answers (runner/dbt_cache.py) and its freshness without dbt.

Fast: the fingerprint changes with every input dbt or the runner reads and with nothing else; the
store's round trip, switch, corruption and pruning; dbt's freshness rule at its boundaries.
Slow (the shared clean world): a repeated validate constructs no dbt and reports the same; a
changed input misses; the freshness verdicts equal `dbt source freshness` itself.
"""
from __future__ import annotations

import datetime as dt
import json
from types import SimpleNamespace as NS

import pytest

from runner import dbt_cache as vcache
from runner.config import Settings
from runner.validate.freshness import freshness_status, result_from_row


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "proj"
    for rel, text in {"dbt_project.yml": "name: p\n", "models/a.sql": "select 1 as a\n",
                      "macros/m.sql": "{% macro m() %}1{% endmacro %}\n", "profiles/profiles.yml": "p: {}\n",
                      "README.md": "notes\n"}.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return Settings(project_dir=root, profiles_dir=root / "profiles", target="duckdb", duckdb_path=root / "x.duckdb")


@pytest.mark.parametrize("change", [
    lambda root, mp: (root / "models/a.sql").write_text("select 2 as a\n"),
    lambda root, mp: (root / "macros/m.sql").write_text("{% macro m() %}2{% endmacro %}\n"),
    lambda root, mp: (root / "tests").mkdir() or (root / "tests/t.sql").write_text("select 1\n"),
    lambda root, mp: (root / "models/_models.yml").write_text("version: 2\n"),
    lambda root, mp: (root / "dbt_project.yml").write_text("name: p\nvars: {x: 1}\n"),
    lambda root, mp: (root / "profiles/profiles.yml").write_text("p: {target: other}\n"),
    lambda root, mp: mp.setenv("NBA_COVERAGE_GATE_PCT", "80"),
    lambda root, mp: mp.setenv("DBT_SOMETHING", "1"),
], ids=["model", "macro", "data test", "yml", "dbt_project", "profile", "NBA_ env", "DBT_ env"])
def test_the_fingerprint_changes_with_every_input_of_dbt(project, monkeypatch, change):
    before = vcache.fingerprint(project)
    change(project.project_dir, monkeypatch)
    assert vcache.fingerprint(project) != before


def test_the_fingerprint_ignores_what_dbt_does_not_read(project, monkeypatch):
    before = vcache.fingerprint(project)
    (project.project_dir / "README.md").write_text("other notes\n")
    monkeypatch.setenv("NBA_DBT_CACHE", "1")
    monkeypatch.setenv("UNRELATED_VAR", "x")
    assert vcache.fingerprint(project) == before


def test_the_fingerprint_covers_the_target_and_the_duckdb_file(project):
    assert vcache.fingerprint(project) != vcache.fingerprint(project.with_duckdb_path(project.project_dir / "y.duckdb"))
    from dataclasses import replace

    assert vcache.fingerprint(project) != vcache.fingerprint(replace(project, target="emulator"))


def test_entries_round_trip_by_kind_and_key_and_can_be_switched_off(project, monkeypatch, tmp_path):
    monkeypatch.setenv("DBT_TARGET_PATH", str(tmp_path / "target"))
    c = vcache.Cache(project)
    assert c.get("compiled", ["q", "2024-01-01"]) is None
    c.put("compiled", ["q", "2024-01-01"], {"a": "select 1"})
    assert vcache.Cache(project).get("compiled", ["q", "2024-01-01"]) == {"a": "select 1"}
    assert vcache.Cache(project).get("compiled", ["q", "2024-01-02"]) is None
    assert vcache.Cache(project).get("checks", ["q", "2024-01-01"]) is None
    assert list((tmp_path / "target" / vcache.DIR_NAME).glob("compiled-*.json"))
    monkeypatch.setenv("NBA_DBT_CACHE", "0")
    off = vcache.Cache(project)
    assert off.get("compiled", ["q", "2024-01-01"]) is None
    off.put("checks", ["x"], 1)
    assert not list((tmp_path / "target" / vcache.DIR_NAME).glob("checks-*.json"))


def test_a_corrupt_entry_is_a_miss_and_old_entries_are_pruned(project, monkeypatch, tmp_path):
    monkeypatch.setenv("DBT_TARGET_PATH", str(tmp_path / "target"))
    c = vcache.Cache(project)
    c.put("compiled", ["k"], {"a": 1})
    c._path("compiled", ["k"]).write_text('{"a": ')  # a write cut short
    assert vcache.Cache(project).get("compiled", ["k"]) is None
    for i in range(vcache.KEEP + 5):
        c.put("compiled", [i], i)
    assert len(list(c.dir.glob("*.json"))) == vcache.KEEP
    assert c.get("compiled", [vcache.KEEP + 4]) == vcache.KEEP + 4


HOUR = 3600.0
WARN, ERROR = NS(count=36, period="hour"), NS(count=84, period="hour")


@pytest.mark.parametrize("age,expected", [
    (0.0, "pass"), (36 * HOUR, "pass"), (36 * HOUR + 1, "warn"), (84 * HOUR, "warn"), (84 * HOUR + 1, "error")])
def test_freshness_follows_dbts_rule_at_its_boundaries(age, expected):
    assert freshness_status(age, WARN, ERROR) == expected


def test_freshness_periods_and_missing_thresholds():
    assert freshness_status(2 * 86400 + 1, NS(count=None, period=None), NS(count=2, period="day")) == "error"
    assert freshness_status(61.0, NS(count=1, period="minute"), NS(count=None, period=None)) == "warn"
    assert freshness_status(10 ** 9, NS(count=None, period=None), NS(count=None, period=None)) == "pass"


def _row(newest, now):
    return {"source_name": "nba_raw", "table_name": "t", "max_loaded_at": newest, "snapshotted_at": now,
            "warn_count": 36, "warn_period": "hour", "error_count": 84, "error_period": "hour"}


def test_freshness_rows_naive_timestamps_are_utc_and_an_empty_table_is_a_runtime_error():
    now = dt.datetime(2025, 1, 3, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5)))  # 17:00 UTC
    r = result_from_row(_row(dt.datetime(2025, 1, 3, 7, 0), now))  # naive: 07:00 UTC
    assert r.age == 10 * HOUR and r.status == "pass" and r.max_loaded_at.tzinfo is not None
    assert result_from_row(_row(dt.datetime(2024, 12, 30, 0, 0), now)).status == "error"
    empty = result_from_row(_row(None, now))
    assert empty.status == "runtime error" and empty.age is None


# -- on the clean world ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def clean_db(clean_world, tmp_path_factory):
    return clean_world.copy_to(tmp_path_factory.mktemp("validate_cache"))


def _report(out):
    payload = json.loads(out.read_text())
    for key in ("generated_at", "seconds"):
        payload.pop(key, None)
    for section in payload["sections"]:  # the sources' ages grow between two runs
        if section["id"] == "freshness":
            section["rows"] = [row[:2] + row[3:] for row in section["rows"]]
            for check in section["checks"]:
                check.pop("observed"), check.pop("message")
    return payload


@pytest.mark.slow
def test_a_repeated_validate_needs_no_dbt_and_reports_the_same(clean_db, tmp_path, monkeypatch):
    import runner.dbt
    from runner.console import CaptureConsole
    from runner.services.validate import ValidateRequest, validate

    monkeypatch.setenv("DBT_TARGET_PATH", str(tmp_path / "target"))
    settings = Settings.load(duckdb_path=clean_db)
    made = []
    real = runner.dbt.Dbt

    def counting(*args, **kwargs):
        made.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(runner.dbt, "Dbt", counting)
    first, second, third = tmp_path / "1.json", tmp_path / "2.json", tmp_path / "3.json"
    validate(settings, CaptureConsole(), ValidateRequest(fmt="json", output=first))
    assert made == [1]

    def no_dbt(*args, **kwargs):
        raise AssertionError("a cached validate constructed dbt")

    monkeypatch.setattr(runner.dbt, "Dbt", no_dbt)
    validate(settings, CaptureConsole(), ValidateRequest(fmt="json", output=second))
    assert _report(second) == _report(first)

    # another range is another compile; a changed env var (dbt renders it) misses both entries
    monkeypatch.setattr(runner.dbt, "Dbt", counting)
    validate(settings, CaptureConsole(), ValidateRequest(dt.date(2024, 11, 1), dt.date(2024, 11, 30),
                                                         fmt="json", output=third))
    assert made == [1, 1]
    monkeypatch.setenv("NBA_SOME_SETTING", "changed")
    validate(settings, CaptureConsole(), ValidateRequest(fmt="json", output=third))
    assert made == [1, 1, 1] and _report(third) == _report(first)


@pytest.mark.slow
def test_freshness_from_the_query_equals_dbt_source_freshness(clean_db, tmp_path, monkeypatch):
    from runner.dbt import Dbt
    from runner.warehouse import open_warehouse

    monkeypatch.setenv("DBT_TARGET_PATH", str(tmp_path / "target"))
    settings = Settings.load(duckdb_path=clean_db)
    dbt = Dbt(settings)
    _, results = dbt.source_freshness()
    theirs = {f"{r.node.source_name}.{r.node.name}": (str(r.status.value if hasattr(r.status, "value") else r.status),
                                                       r.max_loaded_at) for r in results}
    sql = dbt.compile_inline_many({"freshness": "{{ validation_source_freshness() }}"})["freshness"]
    with open_warehouse(settings) as wh:
        rows = wh.dicts(sql)
    ours = {f"{r.node.source_name}.{r.node.name}": (r.status, r.max_loaded_at) for r in map(result_from_row, rows)}
    assert len(ours) == 11 and ours == theirs

"""runner/project.py, the one reader of the manifest and of dbt_project.yml's vars.

Its facts are checked against sources it does not read: the models' yml files (each date model's
key columns are its primary-key test's columns, its null-rate tests are the yml's) and
dbt_project.yml (every var, and thresholds that follow a changed var). The last tests read the
runner's source: no module besides runner/project.py and the dbt wrapper looks inside a manifest.
"""
from __future__ import annotations

import ast
import gc
import shutil
from pathlib import Path
from types import SimpleNamespace as NS

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from runner.errors import UsageError
from runner.project import LEDGER_RELATION, load_project, read_vars
from runner.tests.backfill.fakes import phase3_manifest
from runner.tests.conftest import PROJECT_DIR

RUNNER = PROJECT_DIR / "runner"
READERS = {RUNNER / "project.py", RUNNER / "project_tests.py", RUNNER / "dbt.py"}  # the manifest's only readers


@pytest.fixture(scope="module")
def manifest():
    from runner.config import Settings
    from runner.dbt import Dbt

    return Dbt(Settings.load(project_dir=PROJECT_DIR)).manifest


@pytest.fixture(scope="module")
def project(manifest):
    return load_project(manifest, PROJECT_DIR)


def _yml_models() -> dict[str, dict]:
    """Every model entry of the models' yml files, by name."""
    out = {}
    for path in sorted((PROJECT_DIR / "models").rglob("*.yml")):
        for entry in (yaml.safe_load(path.read_text()) or {}).get("models") or []:
            out[entry["name"]] = entry
    return out


def _tests(entry: dict, name: str) -> list[dict]:
    """The arguments of every `name` test of a yml entry (model or column)."""
    found = []
    for test in entry.get("data_tests") or entry.get("tests") or []:
        if isinstance(test, dict) and name in test:
            body = test[name] or {}
            found.append(body.get("arguments") or body)
    return found


def test_the_date_models_are_the_ymls_backfill_models(project):
    declared = {name for name, e in _yml_models().items() if ((e.get("config") or {}).get("meta") or {}).get("backfill")}
    assert set(project.models) == declared
    assert {m.phase for m in project.models.values()} == {"phase3", "phase4", "features"}


def test_key_columns_are_each_date_models_primary_key_test(project):
    yml = _yml_models()
    assert project.models
    for m in project.models.values():
        keys = _tests(yml[m.name], "unique_combination_of_columns")
        assert len(keys) == 1, f"{m.name}: one primary-key test expected, the yml has {len(keys)}"
        assert m.key_columns == tuple(keys[0]["combination_of_columns"]), m.name
        assert m.date_column in m.key_columns, m.name


def test_null_tests_are_the_ymls_null_rate_tests(project):
    yml = _yml_models()
    for m in project.models.values():
        declared = sorted(
            (column["name"], float(args["max_null_pct"]))
            for column in yml[m.name].get("columns") or []
            for args in _tests(column, "null_rate_below"))
        assert sorted((t.column, t.max_null_pct) for t in m.null_tests) == declared, m.name
        assert set(m.columns) >= {t.column for t in m.null_tests}, m.name


def test_coverage_tests_are_the_ymls_and_each_model_has_its_table(project):
    yml = _yml_models()
    for m in project.models.values():
        assert len(m.coverage_tests) == len(_tests(yml[m.name], "coverage_vs_expected")), m.name
        gates = [t.call for t in m.coverage_tests if t.severity == "error" and t.min_pct is None]
        assert (m.coverage_call in gates) if gates else m.coverage_call is None, m.name
        assert m.schema and m.identifier and m.identifier in m.relation_name, m.name


def test_the_vars_are_dbt_project_ymls(project):
    declared = (yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text()) or {})["vars"]
    assert dict(project.vars) == declared
    for name in ("coverage_gate_pct", "phase3_ready_pct", "upcg_fallback_pct", "bootstrap_days"):
        assert project.threshold(name) == float(declared[name])
    assert project.var("wap_audit_schema") == declared["wap_audit_schema"]


@settings(max_examples=15, deadline=None)
@given(values=st.fixed_dictionaries({
    "phase3_ready_pct": st.integers(1, 100), "upcg_fallback_pct": st.floats(0.5, 100, allow_nan=False),
    "wap_audit_schema": st.from_regex(r"[a-z][a-z_]{0,10}", fullmatch=True)}))
def test_a_changed_var_changes_the_threshold(values, tmp_path_factory):
    """No threshold has a Python default: the project reads whatever dbt_project.yml says."""
    project_dir = tmp_path_factory.mktemp("vars")
    data = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())
    data["vars"].update(values)
    (project_dir / "dbt_project.yml").write_text(yaml.safe_dump(data))
    project = load_project(phase3_manifest(), project_dir)
    assert project.threshold("phase3_ready_pct") == float(values["phase3_ready_pct"])
    assert project.threshold("upcg_fallback_pct") == float(values["upcg_fallback_pct"])
    assert project.var("wap_audit_schema") == values["wap_audit_schema"]
    assert read_vars(project_dir) == data["vars"]


def test_a_missing_or_bad_var_is_named(tmp_path):
    shutil.copy(PROJECT_DIR / "dbt_project.yml", tmp_path / "dbt_project.yml")
    text = (tmp_path / "dbt_project.yml").read_text()
    (tmp_path / "dbt_project.yml").write_text(
        text.replace("  phase3_ready_pct: 95\n", "").replace("upcg_fallback_pct: 90", "upcg_fallback_pct: lots"))
    project = load_project(phase3_manifest(), tmp_path)
    with pytest.raises(UsageError, match=r"phase3_ready_pct is not set in .*dbt_project.yml"):
        project.threshold("phase3_ready_pct")
    with pytest.raises(UsageError, match=r"upcg_fallback_pct in .*dbt_project.yml is 'lots', not a number"):
        project.threshold("upcg_fallback_pct")
    with pytest.raises(UsageError, match="coverage_gate_pct is not set"):
        load_project(phase3_manifest()).threshold("coverage_gate_pct")  # no project dir: no vars


class _Manifest(NS):
    """A fake manifest that, like dbt's, can be weakly referenced."""


def _manifest() -> _Manifest:
    m = phase3_manifest()
    return _Manifest(nodes=m.nodes, sources=m.sources)


def test_loaded_once_per_manifest_and_project_dir():
    first, second = _manifest(), _manifest()
    project = load_project(first, PROJECT_DIR)
    assert load_project(first, PROJECT_DIR) is project
    assert load_project(second, PROJECT_DIR) is not project
    assert load_project(first) is not project and not load_project(first).vars
    # an object without weak references (the SimpleNamespace fakes) is read afresh each time
    plain = phase3_manifest()
    assert load_project(plain, PROJECT_DIR) is not load_project(plain, PROJECT_DIR)
    assert load_project(plain, PROJECT_DIR) == load_project(plain, PROJECT_DIR)
    # a manifest gone is forgotten: a new object at the same address is read afresh
    address = id(first)
    del first
    gc.collect()
    again = _manifest()
    if id(again) == address:
        assert load_project(again, PROJECT_DIR) is not project


def test_the_project_is_frozen():
    project = load_project(phase3_manifest())
    with pytest.raises(AttributeError):
        project.models = {}  # type: ignore[misc]
    with pytest.raises(TypeError):
        project.models["x"] = None  # type: ignore[index]


# -- nobody else reads the manifest --------------------------------------------------------------
MANIFEST_PARTS = {"nodes", "sources", "metadata", "test_metadata", "attached_node", "depends_on", "files",
                  "writable_manifest", "macros", "exposures"}


def manifest_reads(path: Path, root: Path = PROJECT_DIR) -> list[str]:
    """Where a module looks inside a manifest: `<...manifest...>.nodes` and the like, getattr on it,
    or the manifest.json file named outside a docstring."""
    tree = ast.parse(path.read_text(), str(path))
    docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                  if isinstance(n, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                  and n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    found = []
    for node in ast.walk(tree):
        where = f"{path.relative_to(root)}:{getattr(node, 'lineno', '?')}"
        inside = isinstance(node, ast.Attribute) and node.attr in MANIFEST_PARTS and "manifest" in ast.unparse(node.value)
        getattr_on = (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "getattr"
                      and bool(node.args) and "manifest" in ast.unparse(node.args[0]))
        if inside or getattr_on:
            found.append(f"{where} {ast.unparse(node)}")
        elif (isinstance(node, ast.Constant) and isinstance(node.value, str) and "manifest.json" in node.value
              and id(node) not in docstrings):
            found.append(f"{where} names manifest.json")
    return found


def test_no_module_besides_the_project_model_reads_the_manifest():
    sources = [p for root in (RUNNER, PROJECT_DIR / "bench") for p in sorted(root.rglob("*.py"))
               if "tests" not in p.relative_to(PROJECT_DIR).parts and p not in READERS]
    assert len(sources) > 50
    assert [hit for p in sources for hit in manifest_reads(p)] == []


def test_the_reader_check_sees_a_manifest_read(tmp_path):
    for code in ("for n in dbt.manifest.nodes.values(): pass",
                 "x = getattr(self.dbt.manifest, 'metadata', None)",
                 "p = open('target/manifest.json')",
                 "keys = [t.test_metadata for t in manifest.nodes]"):
        (tmp_path / "reader.py").write_text(code + "\n")
        assert manifest_reads(tmp_path / "reader.py", tmp_path), code
    (tmp_path / "ok.py").write_text('"""reads target/manifest.json"""\noutcome = dbt.build()\nn = outcome.nodes\n'
                                    "project = load_project(dbt.manifest)\n")
    assert manifest_reads(tmp_path / "ok.py", tmp_path) == []


def test_the_ledger_relation_is_named_once():
    spelled = [p.relative_to(PROJECT_DIR).as_posix() for root in (RUNNER, PROJECT_DIR / "bench")
               for p in sorted(root.rglob("*.py")) if "tests" not in p.relative_to(PROJECT_DIR).parts
               and "backfill_ledger" in p.read_text()]
    assert spelled == ["runner/project.py"]
    assert LEDGER_RELATION.endswith(".backfill_ledger")

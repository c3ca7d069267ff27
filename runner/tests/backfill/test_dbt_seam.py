"""The dbt seam: the real wrapper and every test fake implement runner.dbt.DbtRunner, method by
method, with the parameters the services pass (a fake that drifts from Dbt fails here, not in a
service test that happens to call the changed method)."""
from __future__ import annotations

import inspect

import pytest

from runner.config import Settings
from runner.dbt import Dbt, DbtRunner
from runner.tests.backfill.fakes import FakeDbt


def protocol_methods() -> dict[str, inspect.Signature]:
    return {name: inspect.signature(member) for name, member in vars(DbtRunner).items()
            if callable(member) and not name.startswith("_")}


def mismatches(impl: object) -> list[str]:
    """What `impl` lacks of the protocol: a method, or a parameter by name (one the protocol gives
    a default must have one too)."""
    out = []
    if not hasattr(impl, "manifest"):
        out.append("manifest")
    for name, wanted in protocol_methods().items():
        method = getattr(impl, name, None)
        if not callable(method):
            out.append(f"{name}()")
            continue
        have = inspect.signature(method).parameters
        takes_kwargs = any(p.kind is p.VAR_KEYWORD for p in have.values())
        for param in list(wanted.parameters.values())[1:]:  # without self
            got = have.get(param.name)
            if got is None and not takes_kwargs:
                out.append(f"{name}({param.name})")
            elif got is not None and param.default is not param.empty and got.default is got.empty:
                out.append(f"{name}({param.name}=default)")
    return out


def test_the_protocol_names_the_methods_the_services_call():
    assert set(protocol_methods()) == {"parse", "build", "run", "compile_inline", "compile_inline_many",
                                       "compile_models", "compile_tests"}


@pytest.mark.parametrize("make", [
    pytest.param(lambda tmp: Dbt(Settings.load(duckdb_path=tmp / "x.duckdb")), id="Dbt"),
    pytest.param(lambda tmp: FakeDbt(tmp / "x.duckdb"), id="FakeDbt"),
])
def test_each_implementation_is_a_dbt_runner(make, tmp_path):
    impl = make(tmp_path)
    assert isinstance(impl, DbtRunner)
    assert mismatches(impl) == []


def test_a_fake_missing_a_parameter_is_caught(tmp_path):
    class Drifted(FakeDbt):
        def run(self, select=(), empty=False):  # lost vars and log_level
            return super().run(select, empty=empty)

    assert mismatches(Drifted(tmp_path / "x.duckdb")) == ["run(vars)", "run(log_level)"]

    class Partial:
        manifest = None

    assert not isinstance(Partial(), DbtRunner)

"""The drift and distribution macros (macros/validation/drift.sql) on given rows, against expected
rows and against a plain-Python reference (hypothesis), on DuckDB.

The macros are compiled once through runner.dbt (one inline compile over tables named
``given_*``); each test then loads its given rows into an in-memory DuckDB and runs the compiled
SQL there, so hypothesis can try hundreds of inputs without dbt.
"""
from __future__ import annotations

import math

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from runner.config import Settings
from runner.dbt import Dbt

pytestmark = pytest.mark.slow

BINS = 4
CURRENT = [f"c{i}" for i in range(BINS)]
BASELINE = [f"b{i}" for i in range(BINS)]
QUANTILES = [0.05, 0.5, 0.95]
QUERIES = {
    "psi": (f"select case_id, {{{{ population_stability_index({CURRENT}, {BASELINE}, 'c_total', 'b_total') }}}} "
            "as psi from given_bins"),
    "zscore": "select case_id, {{ mean_shift_zscore('value_mean', 'baseline_mean', 'baseline_stddev') }} as z "
              "from given_means",
    "sums": "select case_id, {{ mean_from_sums('n', 's') }} as mean, {{ stddev_from_sums('n', 's', 'ss') }} as sd "
            "from given_sums",
    "quantiles": ("select case_id, "
                  + ", ".join(f"{{{{ quantile_at(distribution_quantiles('x', {QUANTILES}), {QUANTILES}, {q}) }}}} "
                              f"as p{round(q * 100)}" for q in QUANTILES)
                  + " from given_values group by case_id"),
    "element": "select case_id, {{ array_element('a', 'i') }} as element from given_arrays",
}


@pytest.fixture(scope="module")
def sql(tmp_path_factory) -> dict[str, str]:
    path = tmp_path_factory.mktemp("drift_macros") / "empty.duckdb"
    return Dbt(Settings.load(duckdb_path=path)).compile_inline_many(QUERIES)


def run(query: str, table: str, columns: list[str], rows: list[tuple]) -> list[tuple]:
    con = duckdb.connect()
    values = ", ".join("(" + ", ".join(_literal(v) for v in row) + ")" for row in rows)
    con.execute(f"create table {table} as select * from (values {values}) as t({', '.join(columns)})")
    return sorted(con.execute(query).fetchall())


def _literal(value: object) -> str:
    """A Python value as DuckDB literal; floats as DOUBLE, as the feature store holds them."""
    if value is None:
        return "null"
    return f"cast({value!r} as double)" if isinstance(value, float) else repr(value)


def psi_rows(sql, cases: list[tuple[list[int], list[int]]]) -> list[float | None]:
    rows = [(i, *c, *b, sum(c), sum(b)) for i, (c, b) in enumerate(cases)]
    got = run(sql["psi"], "given_bins", ["case_id", *CURRENT, *BASELINE, "c_total", "b_total"], rows)
    return [psi for _, psi in got]


def reference_psi(current: list[int], baseline: list[int], epsilon: float = 0.0001) -> float | None:
    if not sum(current) or not sum(baseline):
        return None
    total = 0.0
    for c, b in zip(current, baseline):
        p, q = max(c / sum(current), epsilon), max(b / sum(baseline), epsilon)
        total += (p - q) * math.log(p / q)
    return total


# --- given / expect ------------------------------------------------------------------------------

def test_psi_given_expect(sql):
    cases = [
        ([25, 25, 25, 25], [10, 10, 10, 10]),   # the same shares: 0
        ([50, 50, 0, 0], [90, 10, 0, 0]),       # 0.4 ln(5/9) ... = 0.878890
        ([100, 0, 0, 0], [50, 50, 0, 0]),       # an emptied bin weighs ln(0.5 / 0.0001)
        ([0, 0, 0, 0], [10, 0, 0, 0]),          # no current values: no PSI
        ([10, 0, 0, 0], [0, 0, 0, 0]),          # no baseline: no PSI
    ]
    got = psi_rows(sql, cases)
    assert got[0] == pytest.approx(0.0, abs=1e-12)
    assert got[1] == pytest.approx(0.4 * math.log(0.9 / 0.5) + 0.4 * math.log(0.5 / 0.1), rel=1e-12)
    assert got[2] == pytest.approx(0.5 * math.log(2) + (0.5 - 0.0001) * math.log(0.5 / 0.0001), rel=1e-12)
    assert got[3] is None and got[4] is None


def test_zscore_given_expect(sql):
    rows = [(1, 12.0, 10.0, 2.0), (2, 7.0, 10.0, 2.0), (3, 10.0, 10.0, 0.0), (4, 10.0, None, None), (5, None, 1.0, 1.0)]
    got = run(sql["zscore"], "given_means", ["case_id", "value_mean", "baseline_mean", "baseline_stddev"], rows)
    assert got == [(1, 1.0), (2, -1.5), (3, None), (4, None), (5, None)]  # no spread, no baseline: no z


def test_mean_and_stddev_from_sums_given_expect(sql):
    # values 1, 2, 3, 4: mean 2.5, population sd sqrt(1.25); two months pooled by adding their sums
    rows = [(1, 4, 10.0, 30.0), (2, 2 + 2, 3.0 + 7.0, 5.0 + 25.0), (3, 1, 5.0, 25.0), (4, 0, None, None),
            (5, None, None, None)]
    got = run(sql["sums"], "given_sums", ["case_id", "n", "s", "ss"], rows)
    assert got[0] == (1, 2.5, pytest.approx(math.sqrt(1.25))) and got[1] == (2, 2.5, pytest.approx(math.sqrt(1.25)))
    assert got[2] == (3, 5.0, 0.0) and got[3] == (4, None, None) and got[4] == (5, None, None)


def test_quantiles_given_expect(sql):
    rows = [(1, float(v)) for v in range(1, 101)] + [(2, 7.0), (2, None), (3, None)]
    got = run(sql["quantiles"], "given_values", ["case_id", "x"], rows)
    assert got[0] == (1, pytest.approx(5.95), pytest.approx(50.5), pytest.approx(95.05))  # linear interpolation
    assert got[1] == (2, 7.0, 7.0, 7.0)  # NULLs ignored
    assert got[2] == (3, None, None, None)


def test_array_element_takes_a_0_based_column_position(sql):
    con = duckdb.connect()
    con.execute("create table given_arrays as select 1 as case_id, [10.0, 11.0, 12.0] as a, 2 as i "
                "union all select 2, [10.0, 11.0, 12.0], 0 union all select 3, [10.0], 5")
    assert sorted(con.execute(sql["element"]).fetchall()) == [(1, 12.0), (2, 10.0), (3, None)]


# --- properties against the reference --------------------------------------------------------------

counts = st.lists(st.integers(0, 2000), min_size=BINS, max_size=BINS)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(counts, counts), min_size=1, max_size=40))
def test_psi_matches_the_reference_and_is_never_negative(sql, cases):
    for got, (current, baseline) in zip(psi_rows(sql, cases), cases):
        expected = reference_psi(current, baseline)
        if expected is None:
            assert got is None
        else:
            assert got == pytest.approx(expected, rel=1e-9, abs=1e-12) and got >= 0


@settings(max_examples=20, deadline=None)
@given(st.lists(st.tuples(counts, counts, st.integers(1, 50)), min_size=1, max_size=30))
def test_psi_is_symmetric_and_depends_on_shares_only(sql, cases):
    cases = [(c, b, k) for c, b, k in cases if sum(c) and sum(b)]
    if not cases:
        return
    plain = psi_rows(sql, [(c, b) for c, b, _ in cases])
    swapped = psi_rows(sql, [(b, c) for c, b, _ in cases])
    scaled = psi_rows(sql, [([k * x for x in c], b) for c, b, k in cases])
    for a, s, k in zip(plain, swapped, scaled):
        assert s == pytest.approx(a, rel=1e-9, abs=1e-12) and k == pytest.approx(a, rel=1e-9, abs=1e-12)

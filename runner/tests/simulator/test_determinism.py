"""Same seed → identical tables; another seed → different tables; checksums are content-only."""
from __future__ import annotations

import duckdb
import pytest

from runner.checksums import schema_checksums, table_checksum
from runner.simulator import TABLES, generate

from .conftest import SEASON, SEED


@pytest.fixture(scope="module")
def clean_sums(con):
    return schema_checksums(con, "nba_raw", method="hash")


def test_same_seed_gives_identical_tables(clean_sums):
    mem = duckdb.connect()
    generate(mem, SEASON, SEASON, seed=SEED)  # also exercises the open-connection API
    assert schema_checksums(mem, "nba_raw", method="hash") == clean_sums
    assert set(clean_sums) == set(TABLES)


def test_another_seed_changes_every_table(clean_sums):
    mem = duckdb.connect()
    generate(mem, SEASON, SEASON, seed=SEED + 1)
    other = schema_checksums(mem, "nba_raw", method="hash")
    assert all(other[t] != clean_sums[t] for t in TABLES)


def test_report(clean):
    report = clean[1]
    assert report.seasons == [SEASON] and report.seed == SEED and report.faults == () and report.fault_effects == []
    assert set(report.row_counts) == set(TABLES) and report.elapsed_seconds > 0
    assert "nbac_gamebook_player_stats" in str(report)


@pytest.mark.parametrize("method", ["md5", "hash"])
def test_checksums_are_order_independent_and_content_sensitive(method):
    c = duckdb.connect()
    c.execute("create schema s")
    c.execute("create table s.a as select * from (values (1, 'x', 1.5), (2, NULL, 2.0), (3, 'z', NULL)) t(i, v, f)")
    c.execute("create table s.b as select * from s.a order by i desc")
    c.execute("create table s.c as select * from s.a union all select * from s.a where i = 1")
    c.execute("create table s.d as select i, v, f + 0.5 as f from s.a")
    c.execute("create table s.e as select * from s.a where false")
    a = table_checksum(c, "s.a", method)
    assert table_checksum(c, "s.b", method) == a  # physical order does not matter
    assert table_checksum(c, "s.c", method) != a  # a duplicated row does
    assert table_checksum(c, "s.d", method) != a  # so does any value
    assert table_checksum(c, "s.e", method) == "empty"
    sums = schema_checksums(c, "s", method)
    assert list(sums) == ["a", "b", "c", "d", "e"] and sums["a"] == a
    with pytest.raises(ValueError):
        table_checksum(c, "s.a", "sha1")

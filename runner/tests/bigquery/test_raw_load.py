"""The raw rows' trip into BigQuery (runner/simulator/bigquery_load.py), without the emulator:
the INSERT statement it sends is read back as BigQuery SQL by sqlglot, run on DuckDB, and must
give back every value exactly (NULL vs empty string, quotes, floats, microseconds)."""
from __future__ import annotations

import duckdb
import pytest
import sqlglot

from runner.simulator.bigquery_load import FIELD_SEP, _batches, _text_rows, insert_sql
from runner.simulator.schema import RAW_SCHEMA, RawTable

TABLE = RawTable(
    "t",
    (("game_date", "DATE"), ("name", "VARCHAR"), ("points", "BIGINT"), ("minutes", "DOUBLE"),
     ("starter", "BOOLEAN"), ("processed_at", "TIMESTAMP")),
    ("game_date", "name"), "game_date", "a test table",
)
ROWS = [
    ("2024-10-22", "Coach's \"Decision\" \\ n", 10, 0.1, True, "2024-10-23 06:02:07.123456"),
    ("2024-10-22", "", None, 1e-300, False, "2024-10-23 06:02:07"),
    ("2024-10-23", None, -3, 31.666666666666668, None, None),
]


def _raw(tmp_path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(tmp_path / "raw.duckdb"))
    con.execute(f"create schema {RAW_SCHEMA}")
    con.execute(TABLE.ddl())
    con.executemany(f"insert into {RAW_SCHEMA}.t values (?, ?, ?, ?, ?, ?)", ROWS)
    return con


def test_every_value_comes_back_from_the_insert_statement(tmp_path):
    con = _raw(tmp_path)
    rows = _text_rows(con, TABLE, "true")
    sql = insert_sql("loaded.t", TABLE, rows)
    con.execute("create schema loaded")
    con.execute(TABLE.ddl("loaded"))
    con.execute(sqlglot.transpile(sql, read="bigquery", write="duckdb")[0])
    every = "select * from {}.t order by all"
    assert con.execute(every.format("loaded")).fetchall() == con.execute(every.format(RAW_SCHEMA)).fetchall()


def test_a_value_holding_a_separator_is_refused_not_shifted(tmp_path):
    with pytest.raises(ValueError, match="separators"):
        insert_sql("loaded.t", TABLE, [FIELD_SEP.join(["2024-10-22", f"a{FIELD_SEP}b", "1", "0.5", "true", "x"])])


def test_rows_are_cut_into_statements_below_the_size_limit():
    assert _batches([], 10) == []
    assert _batches(["aaaa", "bbbb", "cc"], 10) == [["aaaa", "bbbb"], ["cc"]]

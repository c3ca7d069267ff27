"""Arrow column helpers and the DuckDB writer (casts to the contract types, content hash)."""
from __future__ import annotations

from collections.abc import Sequence

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .schema import RAW_SCHEMA, RawTable

LINEAGE = ("source_file_path", "data_hash", "processed_at")


_VOCABS: dict[int, tuple[object, np.ndarray, pa.Array]] = {}


def _vocab(values) -> tuple[np.ndarray, pa.Array]:
    """(code -> index into the sorted unique values, the sorted unique values), cached for numpy arrays
    that are encoded many times (game ids, lookups)."""
    key = id(values)
    hit = _VOCABS.get(key)
    if hit is not None and hit[0] is values:
        return hit[1], hit[2]
    vals = np.asarray(list(values), dtype=object)
    uniq, inv = np.unique(vals, return_inverse=True)
    dictionary = pa.array(uniq.tolist(), pa.string())
    if isinstance(values, np.ndarray):
        if len(_VOCABS) > 256:
            _VOCABS.clear()
        _VOCABS[key] = (values, inv, dictionary)
    return inv, dictionary


def dict_col(codes: np.ndarray, values: Sequence[str] | np.ndarray) -> pa.Array:
    """Dictionary-encoded strings: ``values[codes]``, NULL where a code is negative."""
    codes = np.asarray(codes, dtype=np.int64)
    if len(values) == 0:
        return pa.nulls(codes.size, pa.string())
    inv, dictionary = _vocab(values)
    mask = codes < 0
    idx = inv[np.where(mask, 0, codes)].astype(np.int32)
    return pa.DictionaryArray.from_arrays(pa.array(idx, mask=mask), dictionary)


def const_str(value: str | None, n: int) -> pa.Array:
    if value is None:
        return pa.nulls(n, pa.string())
    return dict_col(np.zeros(n, dtype=np.int64), [value])


def num(values, mask: np.ndarray | None = None) -> pa.Array:
    values = np.asarray(values)
    if mask is not None and mask.any():
        return pa.array(values, mask=np.asarray(mask, dtype=bool))
    return pa.array(values)


def nullable_float(values: np.ndarray) -> pa.Array:
    values = np.asarray(values, dtype=np.float64)
    return num(np.nan_to_num(values), np.isnan(values))


def ts(values: np.ndarray) -> pa.Array:
    return pa.array(np.asarray(values).astype("datetime64[us]"))


def dates(values: np.ndarray) -> pa.Array:
    return pa.array(np.asarray(values).astype("datetime64[D]"))


def pct(made: np.ndarray, att: np.ndarray) -> np.ndarray:
    """Shooting percentage as a fraction with 3 decimals, NaN (→ NULL) when there is no attempt."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(att > 0, np.round(made / np.maximum(att, 1), 3), np.nan)


def hhmm(t: np.ndarray) -> np.ndarray:
    """'HHMM' of datetime64 values."""
    minutes = (t.astype("datetime64[m]") - t.astype("datetime64[D]")).astype(np.int64)
    return np.char.zfill((minutes // 60 * 100 + minutes % 60).astype(str), 4)


def _sort_key(col: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """An integer/float key whose order is the column's value order (NULLs last)."""
    arr = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.chunk(0) if arr.num_chunks == 1 else pa.concat_arrays(arr.chunks)
    valid = arr.is_valid().to_numpy(zero_copy_only=False)
    if pa.types.is_dictionary(arr.type):
        dv = np.asarray(arr.dictionary.to_pylist(), dtype=object)
        rank = np.empty(len(dv), dtype=np.int64)
        rank[np.argsort(dv, kind="stable")] = np.arange(len(dv))
        idx = pc.fill_null(arr.indices, 0).to_numpy(zero_copy_only=False).astype(np.int64)
        return np.where(valid, rank[idx] if len(dv) else 0, len(dv))
    if pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type):
        r = pc.rank(arr, sort_keys="ascending", tiebreaker="dense")  # NULLs rank last by default
        return r.to_numpy(zero_copy_only=False).astype(np.int64)
    if pa.types.is_date(arr.type):
        arr = arr.cast(pa.int32())
    elif pa.types.is_timestamp(arr.type):
        arr = arr.cast(pa.int64())
    vals = pc.fill_null(arr, 0).to_numpy(zero_copy_only=False).astype(np.float64)
    return np.where(valid, vals, np.inf)


def sort_by(data: pa.Table, keys: Sequence[str]) -> pa.Table:
    """Rows ordered by ``keys`` (stable), computed in numpy (arrow cannot sort dictionary columns)."""
    if data.num_rows < 2:
        return data
    perm = np.lexsort([_sort_key(data.column(k)) for k in reversed(list(keys))])
    return data.take(pa.array(perm))


def create_tables(con: duckdb.DuckDBPyConnection, tables: Sequence[RawTable], schema: str = RAW_SCHEMA) -> None:
    con.execute(f"create schema if not exists {schema}")
    for t in tables:
        con.execute(t.ddl(schema))


def _q(c: str) -> str:
    return '"' + c.replace('"', '""') + '"'


def insert(con: duckdb.DuckDBPyConnection, table: RawTable, data: pa.Table, schema: str = RAW_SCHEMA,
           exprs: dict[str, str] | None = None) -> int:
    """Insert an arrow table (every contract column but data_hash) into ``schema.table``.

    Columns are cast to the contract types; ``exprs`` may compute a column in SQL from helper
    columns of ``data`` (named with a leading underscore). ``data_hash`` is the first 16 hex digits
    of a SHA-256 of the row content (every column but the lineage ones), so identical rows hash
    identically. Rows are written in natural-key order."""
    exprs = exprs or {}
    missing = [c for c in table.column_names
               if c != "data_hash" and c not in data.column_names and c not in exprs]
    if missing:
        raise ValueError(f"{table.name}: missing columns {missing}")
    casts = ", ".join(f"cast({exprs.get(c, _q(c))} as {t}) as {_q(c)}"
                      for c, t in table.columns if c != "data_hash")
    content = [c for c in table.column_names if c not in LINEAGE]
    # sha256 over DuckDB's 64-bit hash of the typed content columns: the same content always gives
    # the same data_hash (duplicates hash alike), any change gives another one; hashing the
    # VARCHAR text of every column instead costs ~30 % of the whole run
    h = "substr(sha256(cast(hash(" + ", ".join(_q(c) for c in content) + ") as varchar)), 1, 16)"
    final = ", ".join(h if c == "data_hash" else _q(c) for c in table.column_names)
    data = sort_by(data, (*table.natural_key, "processed_at"))
    name = f"__sim_{table.name}"
    con.register(name, data)
    try:
        con.execute(f"insert into {schema}.{table.name} select {final} from (select {casts} from {name})")
    finally:
        con.unregister(name)
    return data.num_rows

"""`incidents export`: the `incidents` or `events` table as GeoJSON, CSV or Parquet.

The rows are read by one query on a read-only connection, closed before anything is written (as
`incidents sql` does): the query sees one committed state of the warehouse, never half a load,
and the file is held only for that read, so a run's next load is not kept waiting by a slow disk.
The output is written beside its target under a temporary name and renamed onto it, so whoever
reads the target sees the previous file or the new one, never half of one.
"""

from __future__ import annotations

import csv
import json
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from model.schema import TABLES
from warehouse import duck

FORMATS = ("geojson", "csv", "parquet")
KEYS = {"incidents": "incident_id", "events": "event_id"}  # the tables that can be exported


def read_rows(db_path: Path, table: str, since: date | None = None, until: date | None = None) -> pa.Table:
    """Every column of `table`'s rows with an event_date in [since, until] (see export_rows.sql)."""
    if table not in KEYS:
        raise ValueError(f"cannot export {table!r} (one of {', '.join(KEYS)})")
    statement = duck.sql_on_table("export_rows", table)
    with duck.connect(db_path, read_only=True) as con:
        if not duck._has_table(con, table):
            raise duck.WarehouseError(f"the warehouse at {db_path} has no {table} table yet: run `incidents run` first")
        try:
            con.execute("SET TimeZone = 'UTC'")  # timestamps as stored, not in this machine's zone
            rows = con.sql(statement, params={"since": since, "until": until}).to_arrow_table()
        except duckdb.Error as exc:
            raise duck.WarehouseError(str(exc).splitlines()[0]) from None
    return rows.cast(TABLES[table].schema)  # the lake's types (timestamps in UTC)


def write(rows: pa.Table, fmt: str, out: Path) -> int:
    """Write `rows` to `out` in `fmt`, atomically. Returns how many rows have no coordinates
    (the GeoJSON leaves them out; CSV and Parquet keep every row)."""
    coordinates = zip(rows.column("latitude").to_pylist(), rows.column("longitude").to_pylist())
    missing = sum(1 for lat, lon in coordinates if lat is None or lon is None)
    with _replacing(out) as tmp:
        if fmt == "parquet":
            pq.write_table(rows, tmp, compression="zstd")
        elif fmt == "csv":
            _write_csv(rows, tmp)
        elif fmt == "geojson":
            _write_geojson(rows, tmp)
        else:
            raise ValueError(f"unknown format {fmt!r}")
    return missing


@contextmanager
def _replacing(out: Path) -> Iterator[Path]:
    """A temporary path in `out`'s folder, renamed onto `out` once written, removed if writing fails."""
    tmp = out.with_name(f".{out.name}.{uuid.uuid4().hex[:12]}.tmp")
    try:
        yield tmp
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)


def _rows(rows: pa.Table) -> Iterator[dict]:
    for batch in rows.to_batches():
        yield from batch.to_pylist()


def _plain(value):
    """Dates and timestamps as ISO 8601 strings; everything else as it is."""
    return value.isoformat() if isinstance(value, date) else value  # a datetime is a date too


def _write_csv(rows: pa.Table, path: Path) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(rows.column_names)
        for r in _rows(rows):
            w.writerow("" if v is None else _plain(v) for v in r.values())


def _write_geojson(rows: pa.Table, path: Path) -> None:
    """A FeatureCollection (RFC 7946): one Point per row with coordinates, [longitude, latitude],
    every column of the row in its properties. One feature per line."""
    key = next(k for k in KEYS.values() if k in rows.column_names)
    with open(path, "w", encoding="utf-8") as f:
        f.write('{"type": "FeatureCollection", "features": [')
        sep = "\n"
        for r in _rows(rows):
            if r["latitude"] is None or r["longitude"] is None:
                continue
            feature = {
                "type": "Feature",
                "id": r[key],
                "geometry": {"type": "Point", "coordinates": [r["longitude"], r["latitude"]]},
                "properties": {k: _plain(v) for k, v in r.items()},
            }
            f.write(sep + json.dumps(feature, ensure_ascii=False))
            sep = ",\n"
        f.write("\n]}\n")

"""The Parquet lake: `<data-dir>/lake/<table>/month=YYYY-MM/part-<run>-<seq>.parquet`.

Files are written to `lake/_tmp/` and renamed into place, so a reader (pandas, polars,
DuckDB, Spark) never sees a half-written file. The partition column `month` lives only in
the path (hive style), which every reader understands. Each run only adds files holding
rows new to the warehouse; the DuckDB load records which files it has taken in, so a file
written by a run that crashed before loading is loaded by the next run, never re-written.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from warehouse.crashpoints import checkpoint
from warehouse.schema import TABLES

TMP_DIR = "_tmp"
# Row groups of at most ~16 MB: readers (and the DuckDB load, under its memory cap) decode a
# row group at a time, so a batch of long articles must not become one huge row group.
ROW_GROUP_BYTES = 16 * 2**20


def table_dir(lake_dir: Path, table: str) -> Path:
    return lake_dir / table


def write_rows(lake_dir: Path, table: str, rows: pa.Table, run_id: str, seq: int) -> list[Path]:
    """Publish `rows` (schema of `table`, `month` included) as one file per month partition."""
    if rows.num_rows == 0:
        return []
    schema = TABLES[table].schema
    rows = rows.select(schema.names).cast(schema)
    tmp = lake_dir / TMP_DIR
    tmp.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    months = rows.column("month")
    for month in sorted(pc.unique(months).to_pylist()):
        part = rows.filter(pc.equal(months, month)).drop_columns(["month"])
        dest_dir = table_dir(lake_dir, table) / f"month={month}"
        dest_dir.mkdir(parents=True, exist_ok=True)
        dest = dest_dir / f"part-{run_id}-{seq:05d}.parquet"
        staging = tmp / f"{uuid.uuid4().hex}.parquet"
        rows_per_group = max(1, ROW_GROUP_BYTES * part.num_rows // max(1, part.nbytes))
        pq.write_table(part, staging, compression="zstd", row_group_size=min(part.num_rows, rows_per_group))
        checkpoint(f"lake.staged.{table}")
        os.replace(staging, dest)
        checkpoint(f"lake.published.{table}")
        written.append(dest)
    return written


def list_files(lake_dir: Path, table: str) -> list[Path]:
    root = table_dir(lake_dir, table)
    return sorted(root.glob("month=*/*.parquet")) if root.exists() else []


def clear_staging(lake_dir: Path) -> int:
    """Remove leftovers of a crashed writer or reprocess; they were never published."""
    tmp = lake_dir / TMP_DIR
    n = 0
    if tmp.exists():
        for f in tmp.iterdir():
            if f.is_dir():
                shutil.rmtree(f, ignore_errors=True)
            else:
                f.unlink(missing_ok=True)
            n += 1
    return n


def rebuild_marker(lake_dir: Path, table: str) -> Path:
    lake_dir.mkdir(parents=True, exist_ok=True)
    return lake_dir / f"_rebuild-{table}.pending"


def pending_rebuilds(lake_dir: Path) -> list[str]:
    return sorted(p.name[len("_rebuild-") : -len(".pending")] for p in lake_dir.glob("_rebuild-*.pending"))


def relative(lake_dir: Path, path: Path) -> str:
    """Paths are stored relative to the lake, so a data directory can be moved."""
    return path.relative_to(lake_dir).as_posix()

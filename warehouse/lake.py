"""The Parquet lake: `<data-dir>/lake/<table>/month=YYYY-MM/part-<run>-<seq>.parquet`.

Files are written to `lake/_tmp/` and renamed into place, so a reader (pandas, polars,
DuckDB, Spark) never sees a half-written file. The partition column `month` lives only in
the path (hive style), which every reader understands. Each run only adds files holding
rows new to the warehouse; the DuckDB load records which files it has taken in, so a file
written by a run that crashed before loading is loaded by the next run, never re-written.

A batch's files (its articles, provenance, incidents and quarantine rows, one per month) are
renamed into place one after another, so a crash can publish part of a batch: its articles
without their incidents. Loaded, those articles would count as stored and their incidents
would never be extracted. So every file of a batch names all of them in its footer
(`BATCH_KEY`): the next run loads a batch only when all its files are there, and deletes the
files of a partial one (never loaded; the run re-reads its sources, whose state is saved only
after everything is loaded).
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Mapping
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from model.schema import TABLES
from warehouse.crashpoints import checkpoint

TMP_DIR = "_tmp"
# Row groups of at most ~16 MB: readers (and the DuckDB load, under its memory cap) decode a
# row group at a time, so a batch of long articles must not become one huge row group.
ROW_GROUP_BYTES = 16 * 2**20
BATCH_KEY = b"incidents.batch_files"  # footer metadata: the batch's files, relative to the lake


def table_dir(lake_dir: Path, table: str) -> Path:
    return lake_dir / table


def write_rows(lake_dir: Path, table: str, rows: pa.Table, run_id: str, seq: int) -> list[Path]:
    """Publish `rows` (schema of `table`, `month` included) as one file per month partition."""
    return write_batch(lake_dir, {table: rows}, run_id, seq).get(table, [])


def write_batch(lake_dir: Path, tables: Mapping[str, pa.Table], run_id: str, seq: int) -> dict[str, list[Path]]:
    """Publish one batch's rows of several tables, one file per table and month, every file
    listing the whole batch in its footer (see the module's docstring); tables without rows
    get no file."""
    parts: list[tuple[str, Path, pa.Table]] = []
    for table, rows in tables.items():
        if rows.num_rows == 0:
            continue
        schema = TABLES[table].schema
        rows = rows.select(schema.names).cast(schema)
        months = rows.column("month")
        for month in sorted(pc.unique(months).to_pylist()):
            dest = table_dir(lake_dir, table) / f"month={month}" / f"part-{run_id}-{seq:05d}.parquet"
            parts.append((table, dest, rows.filter(pc.equal(months, month)).drop_columns(["month"])))
    if not parts:
        return {}
    listing = json.dumps([relative(lake_dir, dest) for _, dest, _ in parts]).encode()
    tmp = lake_dir / TMP_DIR
    tmp.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[str, Path, Path]] = []
    for table, dest, part in parts:  # every file written, then every file renamed
        part = part.replace_schema_metadata({**(part.schema.metadata or {}), BATCH_KEY: listing})
        staging = tmp / f"{uuid.uuid4().hex}.parquet"
        rows_per_group = max(1, ROW_GROUP_BYTES * part.num_rows // max(1, part.nbytes))
        pq.write_table(part, staging, compression="zstd", row_group_size=min(part.num_rows, rows_per_group))
        checkpoint(f"lake.staged.{table}")
        staged.append((table, staging, dest))
    written: dict[str, list[Path]] = {}
    for table, staging, dest in staged:
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging, dest)
        checkpoint(f"lake.published.{table}")
        written.setdefault(table, []).append(dest)
    return written


def batch_files(lake_dir: Path, path: Path) -> list[Path] | None:
    """The files of the batch `path` belongs to, from its footer (None: a file written before
    batches were listed, complete by itself)."""
    meta = pq.read_metadata(path).metadata or {}
    if BATCH_KEY not in meta:
        return None
    return [lake_dir / p for p in json.loads(meta[BATCH_KEY])]


def split_partial(lake_dir: Path, files: Mapping[str, list[Path]]) -> tuple[dict[str, list[Path]], list[Path]]:
    """Unloaded lake files -> (those of complete batches, by table; those of partial batches)."""
    complete: dict[str, list[Path]] = {}
    partial: list[Path] = []
    verdict: dict[Path, bool] = {}  # a batch's first file decides for all of them
    for table, paths in files.items():
        for p in paths:
            if p not in verdict:
                listed = batch_files(lake_dir, p)
                whole = listed is None or all(q.exists() for q in listed)
                for q in listed or [p]:
                    verdict[q] = whole
            if verdict[p]:
                complete.setdefault(table, []).append(p)
            else:
                partial.append(p)
    return complete, partial


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

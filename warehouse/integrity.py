"""What a data directory must look like at any instant, and after a run that completed.

The crash tests (`tests/test_crash_anywhere.py`, `bench/crash_soak.py`) kill the pipeline at
every checkpoint (`warehouse/crashpoints.py`) and hold what it leaves to these rules. They read
the directory only, on a read-only connection, so they can run beside nothing else.

- `crash_problems`: true at every instant, even right after a SIGKILL: no key twice, no
  incident without its article, no provenance without its article, an events mart consistent
  with itself and with the incidents, and every warehouse row in the lake (a reprocess's lake
  rebuild, announced by its marker, excepted: the next run finishes it).
- `complete_problems`: after a run that completed, additionally the lake holds exactly the
  warehouse's rows, `lake_files` lists exactly the lake's files, and no temporary file, marker
  or write-ahead log is left behind.
- `content`: the rows that must equal a clean run's (ids and values, not run ids or timestamps).

The lake is the data directory's `lake/` unless a `lake_url` is given (a lake elsewhere, or on
object storage: read through its filesystem, as the loads read it, `duck.attach_lake`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

import duckdb
import pyarrow.fs as pafs

from model.schema import LAKE_TABLES, TABLES
from warehouse import duck, lake

# Columns that differ between two runs over the same input: which run wrote a row, and when.
VOLATILE = frozenset({"run_id", "fetched_at", "quarantined_at", "extracted_at", "loaded_at", "built_at"})
# Quarantine's `record` is the rejected row as JSON, run id and fetch time included.
_CONTENT_EXCLUDED = {"quarantine": frozenset({"record"})}
CONTENT_TABLES = ("articles", "article_sources", "incidents", "quarantine", "events", "event_members")


@contextmanager
def _open(data_dir: Path, where: lake.Lake | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True)
    try:
        if where is not None:
            duck.attach_lake(con, where)
        yield con
    finally:
        con.close()


def _tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}


def _lake(data_dir: Path, lake_url: str | None) -> lake.Lake:
    return lake.at(lake_url or data_dir / "lake")


def _lake_glob(where: lake.Lake, table: str) -> str:
    return where.uri(lake.table_dir(where, table) / "month=*" / "*.parquet").replace("'", "''")


def _lake_select(lake_dir: lake.Lake, table: str) -> str:
    """The lake's rows of `table` as a subquery with the warehouse's columns (month from the path)."""
    cols = ", ".join(f'"{f.name}"' for f in TABLES[table].schema)
    return (
        f"(SELECT {cols} FROM read_parquet('{_lake_glob(lake_dir, table)}', hive_partitioning = true, "
        "hive_types = {'month': VARCHAR}))"
    )


def _has_lake_files(lake_dir: lake.Lake, table: str) -> bool:
    return bool(lake.list_files(lake_dir, table))


def crash_problems(data_dir: Path, lake_url: str | None = None) -> list[str]:
    """Broken rules that no crash may leave (empty when all hold); see the module's docstring."""
    if not (data_dir / "warehouse.duckdb").exists():
        return []
    lake_dir = _lake(data_dir, lake_url)
    problems: list[str] = []
    with _open(data_dir, lake_dir) as con:
        present = _tables(con)
        for name, table in TABLES.items():
            if name not in present:
                continue
            keys = ", ".join(table.key)
            n = con.execute(f"SELECT count(*) FROM (SELECT {keys} FROM {name} GROUP BY ALL HAVING count(*) > 1)").fetchall()
            if n[0][0]:
                problems.append(f"{name}: {n[0][0]} keys held more than once")
        problems += _orphans(con, present)
        pending = set(lake.pending_rebuilds(lake_dir))
        for name in LAKE_TABLES:
            if name not in present or name in pending:
                continue
            if not _has_lake_files(lake_dir, name):
                missing = con.execute(f"SELECT count(*) FROM {name}").fetchall()[0][0]
            else:
                missing = _count_except(con, name, _lake_select(lake_dir, name))
            if missing:
                problems.append(f"{name}: {missing} warehouse rows not in the lake")
    return problems


_ORPHANS = {
    "incidents without their article": ("incidents", "articles", "article_id"),
    "provenance rows without their article": ("article_sources", "articles", "article_id"),
    "event members without their incident": ("event_members", "incidents", "incident_id"),
    "event members without their event": ("event_members", "events", "event_id"),
    "events without members": ("events", "event_members", "event_id"),
}


def _orphans(con: duckdb.DuckDBPyConnection, present: set[str]) -> list[str]:
    out = []
    for what, (child, parent, key) in _ORPHANS.items():
        if child in present and parent in present:
            q = f"SELECT count(*) FROM {child} c WHERE NOT EXISTS (SELECT 1 FROM {parent} p WHERE p.{key} = c.{key})"
            n = con.execute(q).fetchall()[0][0]
            if n:
                out.append(f"{n} {what}")
    if {"events", "event_members"} <= present:
        q = ("SELECT count(*) FROM events e WHERE n_incidents <> "
             "(SELECT count(*) FROM event_members m WHERE m.event_id = e.event_id)")
        n = con.execute(q).fetchall()[0][0]
        if n:
            out.append(f"{n} events whose n_incidents is not their number of members")
    return out


def _count_except(con: duckdb.DuckDBPyConnection, table: str, other: str) -> int:
    cols = ", ".join(f'"{f.name}"' for f in TABLES[table].schema)
    return con.execute(f"SELECT count(*) FROM (SELECT {cols} FROM {table} EXCEPT ALL SELECT * FROM {other})").fetchall()[0][0]


def complete_problems(data_dir: Path, lake_url: str | None = None) -> list[str]:
    """Broken rules after a completed run: `crash_problems`, and the lake equal to the warehouse
    (rows, and `lake_files`), and nothing temporary left behind."""
    problems = crash_problems(data_dir, lake_url)
    lake_dir = _lake(data_dir, lake_url)
    problems += [f"stray file: {p}" for p in stray_files(data_dir, lake_url)]
    with _open(data_dir, lake_dir) as con:
        present = _tables(con)
        for name in LAKE_TABLES:
            files = _has_lake_files(lake_dir, name)
            if name not in present:
                if files:
                    problems.append(f"{name}: lake files but no warehouse table")
                continue
            if files:
                extra = con.execute(
                    f"SELECT count(*) FROM ({_lake_select(lake_dir, name)} EXCEPT ALL SELECT * FROM {name})"
                ).fetchall()[0][0]
            else:
                extra = 0
            if extra:
                problems.append(f"{name}: {extra} lake rows not in the warehouse (or held twice)")
        if "lake_files" in present:
            recorded = {r[0] for r in con.execute("SELECT path FROM lake_files").fetchall()}
            on_disk = {lake.relative(lake_dir, p) for t in LAKE_TABLES for p in lake.list_files(lake_dir, t)}
            if recorded - on_disk:
                problems.append(f"lake_files lists {len(recorded - on_disk)} files that are not in the lake")
            if on_disk - recorded:
                problems.append(f"{len(on_disk - recorded)} lake files were never loaded")
    return problems


def stray_files(data_dir: Path, lake_url: str | None = None) -> list[PurePosixPath]:
    """What a completed run must not leave: staged or spooled files, rebuild markers, a WAL."""
    where = _lake(data_dir, lake_url)
    if where.local:
        stray = _stray_in_folder(Path(where.root))
    else:  # the lake's objects, and the run's local temporary folder beside the warehouse
        scratch = data_dir / lake.TMP_DIR
        stray = _stray_objects(where) + (list(scratch.rglob("*")) if scratch.exists() else [])
    stray += [p for p in (data_dir / "warehouse.duckdb.wal",) if p.exists()]
    stray += list((data_dir / ".prefect").glob(".prefect.db.*"))  # a half-copied database template
    return sorted(stray)


def _stray_in_folder(lake_dir: Path) -> list[PurePosixPath]:
    stray = [p for p in (lake_dir / lake.TMP_DIR).rglob("*")] if (lake_dir / lake.TMP_DIR).exists() else []
    stray += list(lake_dir.glob("_rebuild-*.pending"))
    if lake_dir.exists():
        stray += [p for p in lake_dir.rglob("*") if p.is_file() and lake.TMP_DIR not in p.parts
                  and p.suffix != ".parquet" and not p.name.startswith("_rebuild-")]
    return stray


def _stray_objects(where: lake.Lake) -> list[PurePosixPath]:
    """Objects of a remote lake that are not Parquet files of the hive layout (temporary keys,
    a rebuild marker, anything else)."""
    tables = {lake.table_dir(where, t) for t in LAKE_TABLES}
    found = where.fs.get_file_info(pafs.FileSelector(str(where.root), allow_not_found=True, recursive=True))
    files = [PurePosixPath(f.path) for f in found if f.type == pafs.FileType.File]
    return [p for p in files if p.suffix != ".parquet" or p.parent.parent not in tables
            or not p.parent.name.startswith("month=")]


def content(data_dir: Path) -> dict[str, list[tuple]]:
    """The rows a clean run over the same input must also hold, sorted, without run ids or times."""
    out: dict[str, list[tuple]] = {}
    with _open(data_dir) as con:
        present = _tables(con)
        for name in CONTENT_TABLES:
            skip = VOLATILE | _CONTENT_EXCLUDED.get(name, frozenset())
            cols = [f.name for f in TABLES[name].schema if f.name not in skip]
            if name not in present:
                out[name] = []
                continue
            rows = con.execute(f"SELECT {', '.join(chr(34) + c + chr(34) for c in cols)} FROM {name}").fetchall()
            out[name] = sorted(rows, key=repr)
    return out


def digest(rows: dict[str, list[tuple]]) -> dict[str, str]:
    """A short fingerprint per table, for reports of many stages."""
    return {t: f"{len(r)}:{hashlib.sha256(repr(r).encode()).hexdigest()[:12]}" for t, r in rows.items()}

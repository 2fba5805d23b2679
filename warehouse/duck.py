"""The DuckDB warehouse: schema, bulk loads from the lake, read-only queries.

DuckDB lets one process hold a read-write connection and then refuses every other
process, even read-only opens. So the writer opens, loads in one transaction, and closes;
readers open read-only for one query and close. Opening retries briefly when another
process holds the file, instead of failing the run. SQL a caller writes (`incidents sql`) runs
only on a sandboxed connection (`sandboxed`, below).
"""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import TypeVar

import duckdb
import pyarrow as pa

from model.schema import LAKE_FILES, LAKE_TABLES, SOURCE_STATE, TABLES, ddl
from runtime.settings import load_settings
from warehouse import lake
from warehouse.crashpoints import checkpoint

T = TypeVar("T")
_log = logging.getLogger(__name__)


class WarehouseError(Exception):
    """The warehouse cannot be opened or queried; the message says why."""


# Bounded memory for bulk loads (DuckDB spills to disk beyond it): a load of a large run must
# not push the pipeline's footprint up; INCIDENTS_DUCKDB_MEMORY (runtime.settings) overrides. One thread: the
# load runs while the extraction workers use every core, and more threads bought no speed
# here, only buffers (loading 100,000 articles in batches of 10,000: 8.1 s, peak +86 MB at 64MB
# and one thread; +126 MB at 96MB and two; +350 MB at 256MB, 6.0 s).
# The cap grows when a load needs more (below): DuckDB keeps a table's key index in memory, so
# a warehouse of ~500,000 incidents no longer fits a 64 MB load.
# The cap is taken from the settings at the first write, not at import, and kept here from then on
# (raised in place when a load needs more).
_WRITER: dict[str, object] = {"threads": 1}
_READER = {"memory_limit": "256MB"}
_LIMIT_STEPS = 4  # times the cap is quadrupled before a load gives up (64 MB -> 16 GB)
# Column compression for what the writer stores: DuckDB's automatic choice for long article
# text (FSST/dictionary analysis at every checkpoint) cost ~2x the CPU of zstd here and gave a
# file ~4x larger (100,000 articles: 275 MB vs 51 MB). INCIDENTS_DUCKDB_COMPRESSION=auto restores
# DuckDB's own choice (runtime.settings; read at each writer's open).


def _writer_config() -> dict[str, object]:
    if "memory_limit" not in _WRITER:
        _WRITER["memory_limit"] = load_settings().duckdb_memory
    return _WRITER


# The sandbox for SQL a caller writes (`incidents sql`, `query`). `read_only` keeps the warehouse
# unchanged but not the machine: DuckDB would still write files (COPY ... TO, EXPORT DATABASE),
# read any file the user can (read_csv('/etc/passwd'), read_text, read_blob, glob), attach other
# databases and install extensions from the network. Three DuckDB settings, set in this order on
# the open connection (measured with the locked DuckDB, 2.0.1):
# 1. the lake stays readable: the only directory (DuckDB adds its own spill folder,
#    `<warehouse>.tmp/`) a file may be opened in once external access is off. DuckDB refuses it
#    in the open's config ("before the database is started") and once external access is off.
ALLOWED_DIRECTORIES = "allowed_directories"
# 2. false: no file outside those directories, no URL, no extension installed or loaded from
#    disk, no ATTACH of a file, no Python object read by name (replacement scans).
EXTERNAL_ACCESS = "enable_external_access"
# 3. true: every later SET/RESET (of these, or of anything: PRAGMA enable_profiling, TimeZone)
#    fails, so no statement can undo 1 and 2.
LOCK_CONFIGURATION = "lock_configuration"
# Extensions are neither fetched nor loaded from disk on demand (parquet, json and icu are built
# in). Also, a configuration given at open that differs from a plain reader's: DuckDB shares one
# instance, settings included, between one process's connections to a file, and refuses a second
# configuration rather than share it, so the sandbox cannot leak into a plain connection or back.
_SANDBOX_READER = {**_READER, "autoinstall_known_extensions": False, "autoload_known_extensions": False}
# Only statements that read may run (`duckdb.StatementType` names), checked before the connection
# opens: DuckDB lets a statement *write* inside an allowed directory too (`COPY ... TO
# '<lake>/incidents/month=.../x.parquet'` and `EXPORT DATABASE '<lake>/x'` succeed), and a file
# dropped in the lake would be loaded by the next run. SELECT covers WITH, FROM-first, VALUES,
# DESCRIBE, SHOW, SUMMARIZE and UNPIVOT; MULTI is PIVOT (a temporary enum type, then a SELECT).
# EXPLAIN passes only with one of those inside: EXPLAIN ANALYZE runs its statement.
READ_STATEMENTS = frozenset({"SELECT", "MULTI"})
_EXPLAIN = re.compile(r"(?:\s+|--[^\n]*\n|/\*.*?\*/)*explain\s+(?:analy[sz]e\s+)?(?P<inner>.*)", re.IGNORECASE | re.DOTALL)
_REFUSED_NAMES = {"LOAD": "INSTALL/LOAD", "SET": "SET/RESET", "EXPORT": "EXPORT/IMPORT DATABASE"}


@cache
def sql(name: str) -> str:
    """The statement in `warehouse/sql/<name>.sql`; values go in as named parameters (`$name`)."""
    return (resources.files("warehouse") / "sql" / f"{name}.sql").read_text(encoding="utf-8")


_IDENTIFIERS = re.compile(r"\{(table|keys|match)\}")


def sql_on_table(name: str, table: str) -> str:
    """`sql(name)` with its identifier placeholders filled in for `table`: `{table}`, its key
    columns `{keys}` and `{match}`, the join of target `t` and source `s` on them.

    SQL parameters carry values, never names, so a statement on a table chosen at run time
    (INSERT INTO it, DELETE FROM it, ORDER BY its key) needs the names in its text. They come only
    from model.schema's fixed TABLES, checked here, so no text from input reaches SQL this way."""
    if table not in TABLES:
        raise ValueError(f"not a table of the schema: {table!r}")
    key = TABLES[table].key
    names = {"table": table, "keys": ", ".join(key), "match": " AND ".join(f"t.{k} = s.{k}" for k in key)}
    return _IDENTIFIERS.sub(lambda m: names[m[1]], sql(name))


@contextmanager
def connect(
    path: Path, *, read_only: bool, wait_s: float = 30.0, config: Mapping[str, object] | None = None
) -> Iterator[duckdb.DuckDBPyConnection]:
    if read_only and not path.exists():
        raise WarehouseError(f"no warehouse at {path}: run `incidents run` first")
    if config is None:
        config = _READER if read_only else _writer_config()
    deadline = time.monotonic() + wait_s
    delay = 0.05
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only, config=dict(config))
            break
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                raise WarehouseError(f"cannot open {path}: {exc}") from None
            time.sleep(delay)
            delay = min(delay * 2, 1.0)
    compression = "auto" if read_only else load_settings().duckdb_compression
    if compression != "auto":
        try:
            con.execute(sql("set_compression"), {"compression": compression})
        except duckdb.Error:  # a DuckDB without the setting: its automatic choice is fine
            pass
    try:
        yield con
    finally:
        con.close()


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    for table in TABLES.values():
        con.execute(ddl(table))
    con.execute(sql("views"))


def _by_batch(paths: Sequence[PurePosixPath]) -> list[list[PurePosixPath]]:
    """Group lake files by the batch that wrote them (one file name per batch, one file per month)."""
    groups: dict[str, list[PurePosixPath]] = {}
    for p in paths:
        groups.setdefault(p.name, []).append(p)
    return [groups[name] for name in sorted(groups)]


def upsert_from_parquet(
    con: duckdb.DuckDBPyConnection, table: str, files: Sequence[PurePosixPath], where: lake.Lake | None = None
) -> None:
    """Replace-by-key load of lake files into `table` (inside the caller's transaction); files
    of a remote lake are read through its filesystem, registered on `con` (`attach_lake`)."""
    params = {"files": [where.uri(p) if where is not None else str(p) for p in files]}
    repeated = con.execute(sql_on_table("repeated_keys_in_parquet", table), params).fetchone()[0]
    if repeated:  # what a key index would refuse at COMMIT (the lake tables have none: model/schema.py)
        raise WarehouseError(f"{table}: {repeated} key(s) repeated within one batch's files {params['files'][:1]}...")
    con.execute(sql_on_table("delete_keys_in_parquet", table), params)
    con.execute(sql_on_table("insert_from_parquet", table), params)


def _transaction(
    con: duckdb.DuckDBPyConnection, work: Callable[[duckdb.DuckDBPyConnection], T], label: str = "load"
) -> T:
    """Run `work` in one transaction; if DuckDB runs out of memory, roll back and retry with a
    larger cap (kept for the rest of the process), so a warehouse that outgrew the configured
    cap slows a load down instead of failing it. `label` names its crash points."""
    for step in range(_LIMIT_STEPS + 1):
        con.execute("BEGIN TRANSACTION")
        try:
            result = work(con)
            checkpoint(f"{label}.in_transaction")
            con.execute("COMMIT")
            checkpoint(f"{label}.committed")  # not yet checkpointed into the file: the WAL holds it
            return result
        except duckdb.Error as exc:
            _rollback(con)
            if step == _LIMIT_STEPS or not _out_of_memory(exc):
                raise
            limit = f"{_megabytes(con) * 4}MB"
            _log.info("DuckDB load ran out of memory; retrying with memory_limit=%s", limit)
            con.execute(sql("set_memory_limit"), {"limit": limit})
            _WRITER["memory_limit"] = limit
        except BaseException:
            _rollback(con)
            raise
    raise AssertionError("unreachable")


def _out_of_memory(exc: duckdb.Error) -> bool:
    # at COMMIT, running out of memory comes as a TransactionException
    return isinstance(exc, duckdb.OutOfMemoryException) or "could not allocate" in str(exc)


def _rollback(con: duckdb.DuckDBPyConnection) -> None:
    """Roll back if a transaction is still open (a failed COMMIT has already ended it)."""
    try:
        con.execute("ROLLBACK")
    except duckdb.TransactionException:
        pass


def _megabytes(con: duckdb.DuckDBPyConnection) -> int:
    """The connection's memory limit in MB (DuckDB reports it as e.g. '61.0 MiB')."""
    number, unit = con.execute(sql("memory_limit")).fetchone()[0].split()
    scale = {"KiB": 1 / 1024, "MiB": 1, "GiB": 1024, "TiB": 1024**2, "KB": 1 / 1000, "MB": 1, "GB": 1000, "TB": 1000**2}
    return max(1, round(float(number) * scale.get(unit, 1)))


Derive = Callable[[duckdb.DuckDBPyConnection], int]


def attach_lake(con: duckdb.DuckDBPyConnection, where: lake.Lake) -> None:
    """Let `read_parquet` on `con` read a remote lake's URLs (`s3://bucket/...`).

    DuckDB reads S3 itself only with its httpfs extension, which is downloaded on first use (not
    possible offline). Instead the lake's own pyarrow filesystem, wrapped as an fsspec filesystem
    (fsspec's ArrowFSWrapper), is registered for the URL's scheme: the same SQL then loads local
    and remote lake files, a batch's and a crashed run's alike, with the same credentials."""
    if where.local:
        return
    from fsspec.implementations.arrow import ArrowFSWrapper

    wrapper = type("LakeFileSystem", (ArrowFSWrapper,), {"protocol": (where.scheme,), "cachable": False})
    con.register_filesystem(wrapper(where.fs))


def load_files(
    db_path: Path, lake_dir: lake.Lake | Path, files: Mapping[str, Sequence[PurePosixPath]], run_id: str, *,
    derive: Derive | None = None,
) -> dict[str, int]:
    """Load lake files into their tables and mark them loaded, all or nothing.

    `derive` (e.g. `warehouse.mart.rebuild_events`) rebuilds derived tables in the same
    transaction, after the load; its row count is returned under the key "derived"."""
    where = lake.at(lake_dir)

    def work(c: duckdb.DuckDBPyConnection) -> dict[str, int]:
        counts = _load(c, where, files, run_id)
        if derive is not None:
            counts["derived"] = derive(c)
        return counts

    with connect(db_path, read_only=False) as con:
        ensure_schema(con)
        attach_lake(con, where)
        return _transaction(con, work)


def _load(
    con: duckdb.DuckDBPyConnection, where: lake.Lake, files: Mapping[str, Sequence[PurePosixPath]], run_id: str
) -> dict[str, int]:
    counts: dict[str, int] = {}
    now = datetime.now(UTC)
    marks = {"path": [], "table_name": [], "run_id": [], "rows": [], "loaded_at": []}
    for table in LAKE_TABLES:  # articles before incidents, as readers expect
        paths = list(files.get(table, []))
        # One upsert per batch (its month files hold disjoint keys; row groups are small,
        # so memory stays bounded). Batches in order, so a later batch's row wins when
        # a recovery loads several that share a key.
        for batch in _by_batch(paths):
            upsert_from_parquet(con, table, batch, where)
        for p in paths:
            rows = lake.num_rows(where, p)
            counts[table] = counts.get(table, 0) + rows
            marks["path"].append(lake.relative(where, p))
            marks["table_name"].append(table)
            marks["run_id"].append(run_id)
            marks["rows"].append(rows)
            marks["loaded_at"].append(now)
    if marks["path"]:
        new_lake_files = pa.table(marks, schema=LAKE_FILES)  # noqa: F841 (seen by DuckDB)
        con.execute(sql("record_lake_files"))
    return counts


def unloaded_files(db_path: Path, lake_dir: lake.Lake | Path) -> dict[str, list[PurePosixPath]]:
    """Lake files no load has recorded: a run crashed between publishing and loading them."""
    lake_dir = lake.at(lake_dir)
    on_disk = {t: lake.list_files(lake_dir, t) for t in LAKE_TABLES}
    if not any(on_disk.values()):
        return {}
    loaded: set[str] = set()
    if db_path.exists():
        with connect(db_path, read_only=True) as con:
            if _has_table(con, "lake_files"):
                loaded = {r[0] for r in con.execute(sql("loaded_lake_files")).fetchall()}
    missing = {
        t: [p for p in paths if lake.relative(lake_dir, p) not in loaded] for t, paths in on_disk.items()
    }
    return {t: ps for t, ps in missing.items() if ps}


def _has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return con.execute(sql("has_table"), {"name": name}).fetchall()[0][0] > 0


def seen_articles(db_path: Path, keys: pa.Table) -> dict[str, str]:
    """Map each batch article id that the warehouse already holds to the stored id."""
    if not db_path.exists() or keys.num_rows == 0:
        return {}
    with connect(db_path, read_only=True) as con:
        if not _has_table(con, "articles"):
            return {}
        batch_keys = keys  # noqa: F841 (seen by DuckDB)
        return dict(con.execute(sql("seen_articles")).fetchall())


def seen_pairs(db_path: Path, pairs: pa.Table) -> set[tuple[str, str]]:
    """The (article_id, source) pairs of a batch that the warehouse already records."""
    if not db_path.exists() or pairs.num_rows == 0:
        return set()
    with connect(db_path, read_only=True) as con:
        if not _has_table(con, "article_sources"):
            return set()
        con.register("pairs", pairs)
        return {(a, s) for a, s in con.execute(sql("seen_article_sources")).fetchall()}


def seen_quarantine(db_path: Path, ids: pa.Table) -> set[str]:
    """The quarantine ids of a batch that the warehouse already holds."""
    if not db_path.exists() or ids.num_rows == 0:
        return set()
    with connect(db_path, read_only=True) as con:
        if not _has_table(con, "quarantine"):
            return set()
        batch_quarantine = ids  # noqa: F841 (seen by DuckDB)
        return {r[0] for r in con.execute(sql("seen_quarantine")).fetchall()}


def source_states(db_path: Path) -> dict[str, dict]:
    if not db_path.exists():
        return {}
    with connect(db_path, read_only=True) as con:
        if not _has_table(con, "source_state"):
            return {}
        rows = con.sql(sql("source_states")).to_arrow_table().to_pylist()
    return {r["source"]: r for r in rows}


def save_source_states(db_path: Path, rows: list[dict]) -> None:
    if not rows:
        return
    with connect(db_path, read_only=False) as con:
        ensure_schema(con)
        new_source_state = pa.Table.from_pylist(rows, schema=SOURCE_STATE)  # noqa: F841
        con.execute(sql("upsert_source_state"))
        checkpoint("source_state.written")


@contextmanager
def sandboxed(db_path: Path, lake_dir: Path | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection for SQL a caller writes: DuckDB's external access off (no file
    outside `lake_dir`, default the warehouse's own `lake/`, no network, no extensions, no
    ATTACH) and its configuration locked, so no statement can turn that back on. Every path that
    runs caller-provided SQL opens this; `check_read_only` must pass on the SQL first (DuckDB lets
    a statement write inside an allowed directory). It waits for a loading run as `connect` does."""
    lake_dir = db_path.parent / "lake" if lake_dir is None else lake_dir
    # DuckDB compares paths as text (`..` is refused, symlinks are not followed): both spellings.
    allowed = sorted({os.path.join(os.path.abspath(lake_dir), ""), os.path.join(os.path.realpath(lake_dir), "")})
    with connect(db_path, read_only=True, config=_SANDBOX_READER) as con:
        for step, value in (("sandbox_allow", allowed), ("sandbox_external_access", False), ("sandbox_lock", True)):
            try:
                con.execute(sql(step), {"value": value})
            except duckdb.Error:  # e.g. an instance this process has already sandboxed: checked below
                pass
        state = con.execute(sql("sandbox_state")).fetchall()[0]
        if tuple(state) != (False, True):
            raise WarehouseError(f"cannot open {db_path} sandboxed ({EXTERNAL_ACCESS}, {LOCK_CONFIGURATION}: {state})")
        yield con


def check_read_only(statement: str) -> None:
    """Refuse, before anything runs, every statement that is not a read (READ_STATEMENTS)."""
    try:
        statements = duckdb.extract_statements(statement)
    except duckdb.Error as exc:
        raise WarehouseError(str(exc).splitlines()[0]) from None
    if not statements:
        raise WarehouseError("no SQL statement given")
    for st in statements:
        kind = st.type.name
        if kind == "EXPLAIN":
            explained = _EXPLAIN.fullmatch(st.query.rstrip().rstrip(";"))
            if explained and _reads_only(explained["inner"]):
                continue
        elif kind in READ_STATEMENTS:
            continue
        what = "EXPLAIN of a statement that is not a query" if kind == "EXPLAIN" else _REFUSED_NAMES.get(kind, kind)
        raise WarehouseError(
            f"{what} refused: only queries run here (SELECT, WITH, DESCRIBE, SHOW, SUMMARIZE, PIVOT, "
            "EXPLAIN of a query); no file is written, nothing attached, installed or set"
        )


def _reads_only(statement: str) -> bool:
    try:
        parsed = duckdb.extract_statements(statement)
    except duckdb.Error:
        return False
    return bool(parsed) and all(st.type.name in READ_STATEMENTS for st in parsed)


def query(db_path: Path, statement: str, lake_dir: Path | None = None) -> pa.Table:
    """Run one analyst's SQL, read-only and sandboxed (`check_read_only`, `sandboxed`)."""
    check_read_only(statement)
    with sandboxed(db_path, lake_dir) as con:
        try:
            return con.sql(statement).to_arrow_table()
        except duckdb.Error as exc:
            raise WarehouseError(str(exc).splitlines()[0]) from None


def table_counts(db_path: Path) -> dict[str, int]:
    if not db_path.exists():
        return {}
    with connect(db_path, read_only=True) as con:
        return {
            t: con.execute(sql("count_rows"), {"table": t}).fetchall()[0][0]
            for t in LAKE_TABLES
            if _has_table(con, t)
        }


def articles_to_reprocess(
    db_path: Path, version: str, everything: bool, batch_size: int
) -> Iterator[pa.Table]:
    """Stream the stored articles a reprocess must re-extract, in batches (memory stays flat)."""
    with connect(db_path, read_only=True) as con:
        if not _has_table(con, "articles"):
            return
        params = {"version": version, "everything": everything}
        reader = con.sql(sql("articles_to_reprocess"), params=params).to_arrow_reader(batch_size)
        for rb in reader:
            yield pa.Table.from_batches([rb])


def replace_incidents(
    db_path: Path, lake_dir: Path, reprocessed: pa.Table, staged: Sequence[Path], *, derive: Derive | None = None
) -> int:
    """Delete the old incidents of `reprocessed` articles and insert the staged new ones, atomically:
    readers see either the old set or the new one, never both or neither (nor new incidents beside
    derived tables of the old ones: `derive` rebuilds those in the same transaction)."""
    def swap(con: duckdb.DuckDBPyConnection) -> int:
        con.register("reprocessed", reprocessed)
        con.execute(sql("replace_incidents"))
        if staged:
            upsert_from_parquet(con, "incidents", staged)
        if derive is not None:
            derive(con)
        return int(con.execute(sql("count_rows"), {"table": "incidents"}).fetchall()[0][0])

    with connect(db_path, read_only=False) as con:
        ensure_schema(con)
        return _transaction(con, swap, label="replace")


def rebuild_lake_table(db_path: Path, lake_dir: lake.Lake | Path, table: str, run_id: str) -> int:
    """Rewrite a lake table from the warehouse and swap it into place; record its files as loaded.

    The export goes to a staging folder first. In a local lake the swap is two renames, so a
    reader sees the old folder or the new one (or, for an instant, none), never a mix. An object
    store has no rename of many keys at once: there the old files are deleted, then the new ones
    copied in (`_swap_remote`), so for a moment a reader sees part of the new table, never old
    and new rows side by side.
    """
    if table not in TABLES:
        raise ValueError(f"not a table of the schema: {table!r}")
    where = lake.at(lake_dir)
    with connect(db_path, read_only=False) as con:
        ensure_schema(con)
        if where.local:
            retired = _swap_local(con, where, table, run_id)
        else:
            retired = None
            _swap_remote(con, where, table, run_id, db_path.parent / lake.TMP_DIR)
        files = lake.list_files(where, table)
        _record_rebuilt(con, where, table, run_id, files)
    if retired is not None and retired.exists():
        import shutil

        shutil.rmtree(retired, ignore_errors=True)
        checkpoint("rebuild.cleaned")
    return len(files)


def _export(con: duckdb.DuckDBPyConnection, table: str, staging: Path, run_id: str) -> None:
    """Write the warehouse's `table` as hive-partitioned Parquet into a local, fresh `staging`."""
    import shutil

    # A rebuild that died (recovery's run id is always "recovered") left this: DuckDB refuses to
    # export into a non-empty folder. The warehouse is the truth; what it holds is rewritten.
    shutil.rmtree(staging, ignore_errors=True)
    con.execute(sql("export_table"), {"table": table, "dest": str(staging), "pattern": f"part-{run_id}-{{i}}"})
    checkpoint("rebuild.exported")
    staging.mkdir(parents=True, exist_ok=True)  # an empty table still gets its folder


def _swap_local(con: duckdb.DuckDBPyConnection, where: lake.Lake, table: str, run_id: str) -> Path:
    """Export, then swap the table's folder by two renames; returns the retired folder."""
    import shutil

    staging = Path(where.root) / lake.TMP_DIR / f"rebuild-{table}-{run_id}"
    retired = Path(where.root) / lake.TMP_DIR / f"retired-{table}-{run_id}"
    target = Path(lake.table_dir(where, table))
    shutil.rmtree(retired, ignore_errors=True)  # left by a rebuild that died: the rename below fails onto it
    _export(con, table, staging, run_id)
    if target.exists():
        target.rename(retired)
        checkpoint("rebuild.retired")  # the table has no folder in the lake for an instant
    staging.rename(target)
    checkpoint("rebuild.swapped")
    return retired


def _swap_remote(con: duckdb.DuckDBPyConnection, where: lake.Lake, table: str, run_id: str, scratch: Path) -> None:
    """Export locally, upload to temporary keys, delete the old files, copy the new ones into
    place, delete the temporary keys. A crash anywhere leaves the rebuild marker, and the next
    run does it all again (temporary keys and local staging are cleared first)."""
    import shutil

    staging = scratch / f"rebuild-{table}-{run_id}"
    _export(con, table, staging, run_id)
    uploads = lake.TMP_DIR + f"/rebuild-{table}-{run_id}"
    new = sorted(p.relative_to(staging).as_posix() for p in staging.rglob("*.parquet"))
    for rel in new:
        with (staging / rel).open("rb") as src, where.fs.open_output_stream(str(where.root / uploads / rel)) as dst:
            shutil.copyfileobj(src, dst, 8 * 2**20)
    target = lake.table_dir(where, table)
    lake.delete_files(where, lake.list_files(where, table))
    checkpoint("rebuild.retired")  # the old files are gone, the new ones not yet in place
    for rel in new:
        where.fs.copy_file(str(where.root / uploads / rel), str(target / rel))
    checkpoint("rebuild.swapped")
    lake.clear_staging(where)
    shutil.rmtree(staging, ignore_errors=True)


def _record_rebuilt(
    con: duckdb.DuckDBPyConnection, where: lake.Lake, table: str, run_id: str, files: Sequence[PurePosixPath]
) -> None:
    """Record the rebuilt table's files as loaded (they hold the warehouse's rows), replacing its old ones."""
    now = datetime.now(UTC)
    marks = pa.table(
        {
            "path": [lake.relative(where, p) for p in files],
            "table_name": [table] * len(files),
            "run_id": [run_id] * len(files),
            "rows": [lake.num_rows(where, p) for p in files],
            "loaded_at": [now] * len(files),
        },
        schema=LAKE_FILES,
    )

    def record(c: duckdb.DuckDBPyConnection) -> None:
        new_lake_files = marks  # noqa: F841 (seen by DuckDB)
        c.execute(sql("forget_lake_files"), {"table": table})
        c.execute(sql("record_lake_files"))

    _transaction(con, record, label="rebuild.record")

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

The lake may live on object storage (`INCIDENTS_LAKE=s3://bucket/prefix`, `gs://...`): a `Lake`
is a pyarrow filesystem and the lake's root in it, and every function here takes one (or a local
`Path`, as before). Object stores have no rename, so a remote file is written to a key under
`_tmp/`, copied to its key in the hive layout (S3's copy is server-side and makes the object
appear whole), and the batch's temporary keys are deleted afterwards; a crash in between leaves
temporary keys, which the next run deletes before anything else (`clear_staging`).
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path, PurePosixPath

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.fs as pafs
import pyarrow.parquet as pq

from model.schema import TABLES
from warehouse.crashpoints import checkpoint

TMP_DIR = "_tmp"
# Row groups of at most ~16 MB: readers (and the DuckDB load, under its memory cap) decode a
# row group at a time, so a batch of long articles must not become one huge row group.
ROW_GROUP_BYTES = 16 * 2**20
BATCH_KEY = b"incidents.batch_files"  # footer metadata: the batch's files, relative to the lake
# The AWS SDK inside pyarrow reads these when a filesystem is made: part of a filesystem's identity.
_AWS_ENV = ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_PROFILE")

_BUCKETS = ("s3", "gs", "gcs", "abfs", "abfss")  # object stores: the first path segment is a bucket


class LakeError(Exception):
    """The lake's location cannot be used (bad URL, unreachable endpoint, no bucket); one line."""


@dataclass(frozen=True, eq=False)
class Lake:
    """Where the lake lives: a pyarrow filesystem and the lake's root in it.

    Local lakes keep `Path`s (and renames); remote ones hold paths in the store's own form
    (`bucket/prefix/...`), which `uri` turns into the URL a reader such as DuckDB is given."""

    fs: pafs.FileSystem
    root: PurePosixPath
    scheme: str = ""  # "" for a local folder, else the URL's scheme (s3, gs, ...)

    @property
    def local(self) -> bool:
        return not self.scheme

    def uri(self, path: PurePosixPath) -> str:
        return str(path) if self.local else f"{self.scheme}://{path.as_posix()}"

    def __str__(self) -> str:
        return self.uri(self.root)


def is_remote(location: str) -> bool:
    """A URL with a scheme other than file:// (a local folder is a path or a file:// URL)."""
    return "://" in location and not location.startswith("file://")


def at(where: Lake | Path | str) -> Lake:
    """The lake at a folder or URL (a `Lake` is returned as is)."""
    if isinstance(where, Lake):
        return where
    location = str(where)
    if not is_remote(location):
        return Lake(pafs.LocalFileSystem(), Path(location.removeprefix("file://")))
    return _remote(location, tuple(os.environ.get(k) for k in _AWS_ENV))


@lru_cache(maxsize=8)
def _remote(url: str, _env: tuple) -> Lake:
    """Open a remote lake once per URL and AWS environment, and check it is reachable now, so a
    wrong URL fails the run before anything starts, in one line."""
    try:
        fs, root = pafs.FileSystem.from_uri(url)
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise LakeError(f"cannot use the lake {url}: {_first_line(exc)}") from None
    scheme = url.split("://", 1)[0].lower()
    bucket = root.split("/", 1)[0] if scheme in _BUCKETS else root
    try:
        found = fs.get_file_info(bucket).type
    except (pa.ArrowException, OSError) as exc:
        raise LakeError(f"cannot reach the lake {url}: {_first_line(exc)}") from None
    if scheme in _BUCKETS and (not bucket or found == pafs.FileType.NotFound):
        raise LakeError(f"cannot use the lake {url}: no bucket {bucket!r} (create it first)")
    return Lake(fs, PurePosixPath(root.rstrip("/")), scheme)


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def table_dir(lake_dir: Lake | Path, table: str) -> PurePosixPath:
    return at(lake_dir).root / table


def write_rows(lake_dir: Lake | Path, table: str, rows: pa.Table, run_id: str, seq: int) -> list[PurePosixPath]:
    """Publish `rows` (schema of `table`, `month` included) as one file per month partition."""
    return write_batch(lake_dir, {table: rows}, run_id, seq).get(table, [])


def write_batch(
    lake_dir: Lake | Path, tables: Mapping[str, pa.Table], run_id: str, seq: int
) -> dict[str, list[PurePosixPath]]:
    """Publish one batch's rows of several tables, one file per table and month, every file
    listing the whole batch in its footer (see the module's docstring); tables without rows
    get no file."""
    where = at(lake_dir)
    parts = _parts(where, tables, run_id, seq)
    if not parts:
        return {}
    listing = json.dumps([relative(where, dest) for _, dest, _ in parts]).encode()
    staged: list[tuple[str, PurePosixPath, PurePosixPath]] = []
    for table, dest, part_of in parts:  # every file written, then every file put in place
        part = part_of()  # one partition's rows at a time: a copy only where the batch spans months
        part = part.replace_schema_metadata({**(part.schema.metadata or {}), BATCH_KEY: listing})
        staged.append((table, _write_staged(where, part), dest))
        checkpoint(f"lake.staged.{table}")
    written: dict[str, list[PurePosixPath]] = {}
    for table, staging, dest in staged:
        _put_in_place(where, staging, dest)
        checkpoint(f"lake.published.{table}")
        written.setdefault(table, []).append(dest)
    if not where.local:  # the copies are in place: the temporary keys go, in one request
        checkpoint("lake.in_place")
        _delete_tmp(where)
    return written


def _parts(
    where: Lake, tables: Mapping[str, pa.Table], run_id: str, seq: int
) -> list[tuple[str, PurePosixPath, Callable[[], pa.Table]]]:
    """(table, destination, its rows without `month`) per table and month partition. The rows are
    made when called: a batch of one month (most batches) writes its rows as they are, and a batch
    spread over months holds one month's copy at a time, not a second copy of the whole batch."""
    parts = []
    for table, rows in tables.items():
        if rows.num_rows == 0:
            continue
        schema = TABLES[table].schema
        rows = rows.select(schema.names).cast(schema)
        months = sorted(pc.unique(rows.column("month")).to_pylist())
        for month in months:
            dest = table_dir(where, table) / f"month={month}" / f"part-{run_id}-{seq:05d}.parquet"
            parts.append((table, dest, partial(_month_rows, rows, month, len(months) == 1)))
    return parts


def _month_rows(rows: pa.Table, month: str, only: bool) -> pa.Table:
    kept = rows if only else rows.filter(pc.equal(rows.column("month"), month))
    return kept.drop_columns(["month"])


def _write_staged(where: Lake, part: pa.Table) -> PurePosixPath:
    tmp = where.root / TMP_DIR
    if where.local:
        Path(tmp).mkdir(parents=True, exist_ok=True)
    staging = tmp / f"{uuid.uuid4().hex}.parquet"
    rows_per_group = max(1, ROW_GROUP_BYTES * part.num_rows // max(1, part.nbytes))
    pq.write_table(
        part, str(staging), compression="zstd", row_group_size=min(part.num_rows, rows_per_group),
        filesystem=where.fs,
    )
    return staging


def _put_in_place(where: Lake, staging: PurePosixPath, dest: PurePosixPath) -> None:
    """Rename (local) or copy (object store: the object appears whole, or not at all)."""
    if where.local:
        Path(dest).parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging, dest)
    else:
        where.fs.copy_file(str(staging), str(dest))


def _delete_tmp(where: Lake) -> None:
    """Delete every temporary key (on a store, after a batch's copies are in place)."""
    _delete(where, [PurePosixPath(f.path) for f in _listing(where, where.root / TMP_DIR) if f.type == pafs.FileType.File])


def _delete(where: Lake, paths: list[PurePosixPath]) -> None:
    """Delete files or objects, leaving nothing else behind.

    pyarrow's S3 `delete_file` and `delete_dir` (26.x) write an empty "folder/" marker object
    for the parent after every delete, even a parent that still holds files, so a lister of the
    bucket would find objects that are not Parquet (`lake/_tmp/`, `lake/`). S3 objects are
    therefore deleted with S3's own DeleteObjects, 1,000 keys a request (boto3, told the
    endpoint, region and credentials pyarrow resolved). Other stores go through pyarrow."""
    if not paths:
        return
    if where.local:
        for p in paths:
            Path(p).unlink(missing_ok=True)
    elif where.scheme == "s3":
        client, bucket = _s3_client(where), where.root.parts[0]
        keys = [p.relative_to(bucket).as_posix() for p in paths]
        for start in range(0, len(keys), 1000):
            chunk = [{"Key": k} for k in keys[start : start + 1000]]
            done = client.delete_objects(Bucket=bucket, Delete={"Objects": chunk, "Quiet": True})
            if done.get("Errors"):
                raise OSError(f"cannot delete from {where}: {done['Errors'][0]}")
    else:
        for p in paths:
            where.fs.delete_file(str(p))


@lru_cache(maxsize=8)  # per Lake (`at` hands out one per URL and environment)
def _s3_client(where: Lake):
    """A boto3 S3 client for the endpoint, region and keys of the lake's pyarrow filesystem
    (what `FileSystem.from_uri` resolved from the URL and the AWS_* variables; a filesystem's
    pickled form carries them); whatever it left unset, boto3 resolves the standard way."""
    import boto3

    options = where.fs.__reduce__()[1][0]
    endpoint = options.get("endpoint_override") or None
    if endpoint and "://" not in endpoint:
        endpoint = f"{options.get('scheme') or 'https'}://{endpoint}"
    return boto3.client(
        "s3", endpoint_url=endpoint, region_name=options.get("region") or None,
        aws_access_key_id=options.get("access_key") or None, aws_secret_access_key=options.get("secret_key") or None,
        aws_session_token=options.get("session_token") or None,
    )


def _listing(where: Lake, folder: PurePosixPath) -> list[pafs.FileInfo]:
    return where.fs.get_file_info(pafs.FileSelector(str(folder), allow_not_found=True, recursive=True))


def batch_files(lake_dir: Lake | Path, path: PurePosixPath) -> list[PurePosixPath] | None:
    """The files of the batch `path` belongs to, from its footer (None: a file written before
    batches were listed, complete by itself)."""
    where = at(lake_dir)
    meta = pq.read_metadata(str(path), filesystem=where.fs).metadata or {}
    if BATCH_KEY not in meta:
        return None
    return [where.root / p for p in json.loads(meta[BATCH_KEY])]


def split_partial(
    lake_dir: Lake | Path, files: Mapping[str, list[PurePosixPath]]
) -> tuple[dict[str, list[PurePosixPath]], list[PurePosixPath]]:
    """Unloaded lake files -> (those of complete batches, by table; those of partial batches)."""
    where = at(lake_dir)
    complete: dict[str, list[PurePosixPath]] = {}
    partial: list[PurePosixPath] = []
    verdict: dict[PurePosixPath, bool] = {}  # a batch's first file decides for all of them
    for table, paths in files.items():
        for p in paths:
            if p not in verdict:
                listed = batch_files(where, p)
                whole = listed is None or all(exists(where, q) for q in listed)
                for q in listed or [p]:
                    verdict[q] = whole
            if verdict[p]:
                complete.setdefault(table, []).append(p)
            else:
                partial.append(p)
    return complete, partial


def exists(lake_dir: Lake | Path, path: PurePosixPath) -> bool:
    where = at(lake_dir)
    return where.fs.get_file_info(str(path)).type == pafs.FileType.File


def num_rows(lake_dir: Lake | Path, path: PurePosixPath) -> int:
    """A file's row count, from its footer."""
    return pq.read_metadata(str(path), filesystem=at(lake_dir).fs).num_rows


def delete_files(lake_dir: Lake | Path, paths: Iterable[PurePosixPath]) -> None:
    """Delete lake files (a partial batch's, a rebuilt table's old ones)."""
    _delete(at(lake_dir), list(paths))


def list_files(lake_dir: Lake | Path, table: str) -> list[PurePosixPath]:
    where = at(lake_dir)
    root = table_dir(where, table)
    if where.local:
        return sorted(Path(root).glob("month=*/*.parquet")) if Path(root).exists() else []
    return sorted(
        PurePosixPath(f.path) for f in _listing(where, root)
        if f.type == pafs.FileType.File and f.path.endswith(".parquet")
        and PurePosixPath(f.path).parent.name.startswith("month=") and PurePosixPath(f.path).parent.parent == root
    )


def clear_staging(lake_dir: Lake | Path) -> int:
    """Remove leftovers of a crashed writer or reprocess; they were never published."""
    where = at(lake_dir)
    tmp = where.root / TMP_DIR
    if not where.local:
        leftovers = [f for f in _listing(where, tmp) if f.type == pafs.FileType.File]
        _delete_tmp(where)
        return len(leftovers)
    return clear_folder(Path(tmp))


def clear_folder(folder: Path) -> int:
    """Empty a local folder of temporary files; how many entries it held."""
    n = 0
    if folder.exists():
        for f in folder.iterdir():
            if f.is_dir():
                shutil.rmtree(f, ignore_errors=True)
            else:
                f.unlink(missing_ok=True)
            n += 1
    return n


def rebuild_marker(lake_dir: Lake | Path, table: str) -> PurePosixPath:
    where = at(lake_dir)
    if where.local:
        Path(where.root).mkdir(parents=True, exist_ok=True)
    return where.root / f"_rebuild-{table}.pending"


def mark_rebuild(lake_dir: Lake | Path, table: str) -> None:
    """Say that `table`'s lake is owed a rebuild (an empty marker file or object)."""
    where = at(lake_dir)
    with where.fs.open_output_stream(str(rebuild_marker(where, table))):
        pass


def unmark_rebuild(lake_dir: Lake | Path, table: str) -> None:
    where = at(lake_dir)
    marker = rebuild_marker(where, table)
    if exists(where, marker):
        _delete(where, [marker])


def pending_rebuilds(lake_dir: Lake | Path) -> list[str]:
    where = at(lake_dir)
    found = where.fs.get_file_info(pafs.FileSelector(str(where.root), allow_not_found=True))
    names = [PurePosixPath(f.path).name for f in found if f.type == pafs.FileType.File]
    return sorted(n[len("_rebuild-") : -len(".pending")] for n in names if n.startswith("_rebuild-") and n.endswith(".pending"))


def relative(lake_dir: Lake | Path, path: PurePosixPath) -> str:
    """Paths are stored relative to the lake, so a data directory (or a bucket) can be moved."""
    return path.relative_to(at(lake_dir).root).as_posix()

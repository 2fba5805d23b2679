"""The lake on object storage: the real pipeline against a real S3-compatible server.

The server is moto's, in server mode, in its own process on 127.0.0.1 (real HTTP, the same
requests AWS would get); pyarrow's S3 filesystem finds it through AWS_ENDPOINT_URL, as a user's
MinIO or Ceph would be found. Each test gets its own bucket. What is checked is what a consumer
of the lake relies on: only Parquet objects in the hive layout (no temporary key, no marker),
pyarrow and DuckDB read exactly the warehouse's rows from it, a rerun adds no data object,
a reprocess rebuilds it there, and a crash during publication loses or doubles nothing.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.fs as pafs
import pytest
from conftest import run_cli

from model.schema import LAKE_TABLES, TABLES
from runtime.config import load_config
from runtime.settings import Settings
from sources.spec import SourceSpec
from warehouse import integrity, lake

HIVE = re.compile(r"lake/(?P<table>[a-z_]+)/month=(?:\d{4}-\d{2}|unknown)/part-[^/]+\.parquet")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def s3_server():
    """moto's S3 server on a free port of 127.0.0.1, for the module's tests."""
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{url}/moto-api/", timeout=1).close()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail("moto's S3 server did not start")
            time.sleep(0.1)
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture
def bucket(s3_server, monkeypatch, request) -> str:
    """A new bucket, and the test's environment pointed at the server (the standard AWS_* names)."""
    for key, value in {
        "AWS_ENDPOINT_URL": s3_server, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true",
    }.items():
        monkeypatch.setenv(key, value)
    name = re.sub(r"[^a-z0-9]+", "-", request.node.name.lower())[:50].strip("-")
    _store().create_dir(name)
    return name


def _store() -> pafs.S3FileSystem:
    """A client of the server of its own (not the pipeline's), allowed to create buckets. The
    constructor, unlike `FileSystem.from_uri`, ignores AWS_ENDPOINT_URL (pyarrow 26): say it."""
    return pafs.S3FileSystem(endpoint_override=os.environ["AWS_ENDPOINT_URL"], allow_bucket_creation=True)


def _objects(bucket: str) -> dict[str, str]:
    """Every key in the bucket -> its ETag, as a raw S3 listing (boto3) has them: zero-byte
    "folder/" marker keys included, which pyarrow's own listing shows as directories."""
    import boto3

    client = boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL"])
    keys: dict[str, str] = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        keys |= {o["Key"]: o["ETag"] for o in page.get("Contents", [])}
    return keys


def _assert_only_parquet_in_hive_layout(bucket: str) -> dict[str, str]:
    objects = _objects(bucket)
    assert objects, "nothing published"
    for key in objects:
        m = HIVE.fullmatch(key)
        assert m and m["table"] in LAKE_TABLES, f"not a Parquet file of the hive layout: {key}"
        with _store().open_input_file(f"{bucket}/{key}") as f:
            head, size = f.read(4), f.size()
            f.seek(size - 4)
            assert (head, f.read(4)) == (b"PAR1", b"PAR1"), key
    return objects


def _ingest(data: Path, lake_url: str, specs=None, batch_size: int = 3):
    from flows.pipeline import ingest

    return ingest(list(specs or load_config().sources), Settings(data_dir=data, batch_size=batch_size, lake=lake_url))


def _warehouse_minus(data: Path, table: str, lake_rows: str, con_setup) -> tuple[int, int]:
    """(warehouse rows not in the lake, lake rows not in the warehouse), as multisets."""
    cols = ", ".join(f'"{f.name}"' for f in TABLES[table].schema)
    con = duckdb.connect(str(data / "warehouse.duckdb"), read_only=True)
    try:
        con_setup(con)
        missing = con.execute(f"SELECT count(*) FROM (SELECT {cols} FROM {table} EXCEPT ALL SELECT {cols} FROM {lake_rows})")
        missing = missing.fetchone()[0]
        extra = con.execute(f"SELECT count(*) FROM (SELECT {cols} FROM {lake_rows} EXCEPT ALL SELECT {cols} FROM {table})")
        return missing, extra.fetchone()[0]
    finally:
        con.close()


def _assert_lake_equals_warehouse(data: Path, bucket: str) -> None:
    """pyarrow (dataset over its S3 filesystem) and DuckDB (through an fsspec filesystem) both
    read exactly the warehouse's rows of every lake table."""
    from fsspec.implementations.arrow import ArrowFSWrapper

    fs = _store()
    for table in LAKE_TABLES:
        if fs.get_file_info(f"{bucket}/lake/{table}").type == pafs.FileType.NotFound:
            assert _count(data, table) == 0, f"{table}: rows in the warehouse, no file in the lake"
            continue
        hive = ds.partitioning(pa.schema([("month", pa.string())]), flavor="hive")
        from_pyarrow = ds.dataset(f"{bucket}/lake/{table}", filesystem=fs, partitioning=hive).to_table()
        assert _warehouse_minus(data, table, "from_pyarrow", lambda c, t=from_pyarrow: c.register("from_pyarrow", t)) == (0, 0), table

        class S3(ArrowFSWrapper):
            protocol = "s3"
            cachable = False

        def by_duckdb(con, t=table):
            con.register_filesystem(S3(fs))
            con.execute(
                f"CREATE TEMP VIEW from_duckdb AS SELECT * FROM read_parquet('s3://{bucket}/lake/{t}/*/*.parquet', "
                "hive_partitioning = true, hive_types = {'month': VARCHAR})"
            )

        assert _warehouse_minus(data, table, "from_duckdb", by_duckdb) == (0, 0), table


def _count(data: Path, table: str) -> int:
    con = duckdb.connect(str(data / "warehouse.duckdb"), read_only=True)
    try:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        con.close()


def test_run_on_s3_is_the_hive_layout_read_alike_by_pyarrow_and_duckdb_and_a_rerun_adds_nothing(
    prefect_engine, bucket, tmp_path
):
    data = tmp_path / "data"
    first = _ingest(data, f"s3://{bucket}/lake")
    assert not first.source_errors and first.articles_new == 8 and first.incidents_extracted > 0
    objects = _assert_only_parquet_in_hive_layout(bucket)
    assert {HIVE.fullmatch(k)["table"] for k in objects} >= {"articles", "article_sources", "incidents", "runs"}
    assert len([k for k in objects if "/articles/" in k]) >= 3, "batches of 3 articles: several files"
    _assert_lake_equals_warehouse(data, bucket)
    assert not (data / "lake").exists(), "a remote lake leaves no local lake folder"

    second = _ingest(data, f"s3://{bucket}/lake")
    assert not second.changed and second.articles_new == 0
    again = _assert_only_parquet_in_hive_layout(bucket)
    data_objects = {k: v for k, v in again.items() if not k.startswith("lake/runs/")}
    assert data_objects == {k: v for k, v in objects.items() if not k.startswith("lake/runs/")}
    # the run itself is logged, as with a local lake: one row in `runs`, one file
    assert len(again) == len(objects) + 1 and _count(data, "runs") == 2
    _assert_lake_equals_warehouse(data, bucket)


def test_reprocess_rebuilds_the_lake_on_s3(prefect_engine, bucket, tmp_path, monkeypatch):
    import flows.pipeline as fp
    import transforms.batch as tb
    from flows.pipeline import reprocess

    data = tmp_path / "data"
    _ingest(data, f"s3://{bucket}/lake")
    monkeypatch.setattr(tb, "EXTRACTOR_VERSION", "test-next")
    monkeypatch.setattr(fp, "EXTRACTOR_VERSION", "test-next")
    done = reprocess(Settings(data_dir=data, batch_size=3, lake=f"s3://{bucket}/lake"))
    assert done.articles_read == 8 and done.incidents_extracted > 0
    _assert_only_parquet_in_hive_layout(bucket)  # no marker, no temporary key left
    _assert_lake_equals_warehouse(data, bucket)
    versions = ds.dataset(f"{bucket}/lake/incidents", filesystem=_store()).to_table(columns=["extractor_version"])
    assert set(versions.column(0).to_pylist()) == {"test-next"}, "the lake's incidents were rewritten"


class Crash(BaseException):
    """Not an Exception, so no retry or handler swallows it: the process would die here."""


def _jsonl(path: Path, n: int) -> SourceSpec:
    lines = [
        f'{{"article_id": "a{i}", "published": "2025-0{1 + i % 3}-02", '
        f'"text": "Air defence shot down {i + 1} drones over the Kursk region, the governor said."}}'
        for i in range(n)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return SourceSpec(name=path.stem, kind="jsonl", location=str(path))


@pytest.mark.parametrize("where", ["after_first_copy", "before_tmp_deleted"])
def test_a_crash_while_publishing_to_s3_loses_nor_doubles_anything(prefect_engine, bucket, tmp_path, monkeypatch, where):
    """Killed with the batch's temporary keys still there: mid-way through putting a batch in
    place (part of it published), or with all of it in place. The rerun deletes the temporary
    keys and the partial batch, and ends with exactly the rows of a run that never crashed."""
    spec = _jsonl(tmp_path / "wire.jsonl", 7)
    clean = tmp_path / "clean"
    _ingest(clean, str(clean / "lake"), [spec])  # the same input, a local lake, no crash

    calls = {"n": 0}
    real = lake._put_in_place

    def dying(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:  # the second batch: its first file in place, the others not
            raise Crash(where)
        return real(*args, **kwargs)

    real_delete = lake._delete_tmp

    def dying_before_delete(at_lake):
        if lake._listing(at_lake, at_lake.root / lake.TMP_DIR):  # a batch's copies are in place
            raise Crash(where)
        real_delete(at_lake)

    data = tmp_path / "data"
    with pytest.MonkeyPatch.context() as mp, pytest.raises(Crash):
        if where == "after_first_copy":
            mp.setattr(lake, "_put_in_place", dying)
        else:
            mp.setattr(lake, "_delete_tmp", dying_before_delete)
        _ingest(data, f"s3://{bucket}/lake", [spec])
    left = _objects(bucket)
    assert any(k.startswith("lake/_tmp/") for k in left), "the crash left temporary keys"

    s = _ingest(data, f"s3://{bucket}/lake", [spec])
    assert not s.source_errors
    _assert_only_parquet_in_hive_layout(bucket)
    _assert_lake_equals_warehouse(data, bucket)
    assert integrity.content(data) == integrity.content(clean)
    assert _count(data, "articles") == 7


def test_a_bad_lake_is_one_line_before_anything_runs(s3_server, bucket, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:9/api")  # never reached: the lake fails first
    data = str(tmp_path / "data")
    code, _, err = run_cli(capsys, monkeypatch, "run", "--data-dir", data, "--lake", "s3://no-such-bucket/lake")
    assert code == 2 and "no bucket 'no-such-bucket'" in err and "Traceback" not in err, err
    assert len(err.strip().splitlines()) == 1, err
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{_free_port()}")  # nothing listens there
    code, _, err = run_cli(capsys, monkeypatch, "run", "--data-dir", data, "--lake", f"s3://{bucket}/lake")
    assert code == 2 and "cannot reach the lake" in err and "Traceback" not in err, err
    code, _, err = run_cli(capsys, monkeypatch, "run", "--data-dir", data, "--lake", "nope://x/y")
    assert code == 2 and "cannot use the lake nope://x/y" in err and "Traceback" not in err, err
    assert not list((tmp_path / "data").glob("warehouse.duckdb*")), "nothing ran"

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
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.fs as pafs
from conftest import free_port, run_cli

from model.schema import LAKE_TABLES, TABLES
from runtime.config import load_config
from runtime.settings import Settings
from warehouse import integrity

HIVE = re.compile(r"lake/(?P<table>[a-z_]+)/month=(?:\d{4}-\d{2}|unknown)/part-[^/]+\.parquet")


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


def test_run_on_s3_is_the_hive_layout_read_alike_by_pyarrow_and_duckdb_a_rerun_adds_nothing_and_reprocess_rebuilds_it(
    prefect_engine, bucket, tmp_path, monkeypatch
):
    """One bucket through a run, a rerun, a reprocess and then damage (each step starts from the
    last: a second ingest of its own cost a run on S3, ~10 s of the suite on two cores)."""
    import flows.pipeline as fp
    import transforms.batch as tb
    from flows.pipeline import reprocess

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
    # nothing new: not one object added or rewritten, no `runs` row (as with a local lake)
    assert again == objects and _count(data, "runs") == 1
    _assert_lake_equals_warehouse(data, bucket)

    # a reprocess (a new extractor version) rewrites the lake's incidents in the bucket
    monkeypatch.setattr(tb, "EXTRACTOR_VERSION", "test-next")
    monkeypatch.setattr(fp, "EXTRACTOR_VERSION", "test-next")
    done = reprocess(Settings(data_dir=data, batch_size=3, lake=f"s3://{bucket}/lake"))
    assert done.articles_read == 8 and done.incidents_extracted > 0
    again = _assert_only_parquet_in_hive_layout(bucket)  # no marker, no temporary key left
    _assert_lake_equals_warehouse(data, bucket)
    versions = ds.dataset(f"{bucket}/lake/incidents", filesystem=_store()).to_table(columns=["extractor_version"])
    assert set(versions.column(0).to_pylist()) == {"test-next"}, "the lake's incidents were rewritten"

    # the crash tests' checks (warehouse.integrity) read the bucket too, and can fail
    url = f"s3://{bucket}/lake"
    assert integrity.complete_problems(data, url) == []
    with _store().open_output_stream(f"{bucket}/lake/_tmp/0123.parquet") as half:
        half.write(b"half")
    _store().delete_file(f"{bucket}/" + next(k for k in again if k.startswith("lake/incidents/")))
    problems = " | ".join(integrity.complete_problems(data, url))
    assert "stray file" in problems and "_tmp/0123.parquet" in problems, problems
    assert "incidents: " in problems and "warehouse rows not in the lake" in problems, problems
    assert "files that are not in the lake" in problems, problems


def test_a_bad_lake_is_one_line_before_anything_runs(s3_server, bucket, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:9/api")  # never reached: the lake fails first
    data = str(tmp_path / "data")
    code, _, err = run_cli(capsys, monkeypatch, "run", "--data-dir", data, "--lake", "s3://no-such-bucket/lake")
    assert code == 2 and "no bucket 'no-such-bucket'" in err and "Traceback" not in err, err
    assert len(err.strip().splitlines()) == 1, err
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{free_port()}")  # nothing listens there
    code, _, err = run_cli(capsys, monkeypatch, "run", "--data-dir", data, "--lake", f"s3://{bucket}/lake")
    assert code == 2 and "cannot reach the lake" in err and "Traceback" not in err, err
    code, _, err = run_cli(capsys, monkeypatch, "run", "--data-dir", data, "--lake", "nope://x/y")
    assert code == 2 and "cannot use the lake nope://x/y" in err and "Traceback" not in err, err
    assert not list((tmp_path / "data").glob("warehouse.duckdb*")), "nothing ran"

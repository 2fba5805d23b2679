"""`incidents sql` is sandboxed: it reads the warehouse and the data directory's lake, nothing else.

A small warehouse is built with the pipeline's own extraction, lake and load steps (see `root`);
beside its data directory lies an `outside/` folder with a secret file, the target of every escape. Each
escape runs through the command as the console script does (`incidents.cli.main` in-process, one
real subprocess): a non-zero exit, one line of error, no traceback, no row printed, no file
written anywhere, and the secret never shown. Two layers are checked: the statement check
(`duck.check_read_only`, only queries run) and, beneath it, DuckDB's own settings on the
connection (`duck.sandboxed`: external access off, configuration locked).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from conftest import run_cli

from runtime.settings import Settings
from warehouse import duck

SECRET = "canary-5e1c7a"
RECORDS = [
    {"article_id": "k1", "published": "2025-05-02T06:00:00+00:00",
     "text": "Air defence shot down five drones over the Kursk region overnight, the governor said."},
    {"article_id": "t1", "published": "2025-05-02T07:00:00+00:00",
     "text": "A drone hit an oil depot in Tuapse overnight and started a fire. Two people were injured, "
             "the regional headquarters said."},
]


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    """A data directory as a run leaves it: lake files published and loaded by the pipeline's own
    steps (what its `publish-batch` task calls: extraction, lake, one load with the events mart),
    without Prefect's start-up (~11 s), which test_cli.py and test_export.py already pay."""
    from datetime import UTC, datetime

    from transforms.batch import article_source_rows, extract_incidents, prepare_articles
    from warehouse import lake, mart

    root = tmp_path_factory.mktemp("sandbox")
    settings = Settings(data_dir=root / "data")
    run_id, now = "20260101T000000-test", datetime.now(UTC)
    records = [{**r, "source": "reports", "published": datetime.fromisoformat(r["published"])} for r in RECORDS]
    articles = prepare_articles(records, run_id=run_id, fetched_at=now)
    incidents, errors = extract_incidents(articles, run_id=run_id)
    assert not errors and incidents.num_rows >= len(RECORDS)
    provenance = article_source_rows(articles.select(["article_id", "source", "url"]), run_id=run_id, now=now)
    files: dict[str, list[Path]] = {}
    for table, rows in (("articles", articles), ("article_sources", provenance), ("incidents", incidents)):
        files[table] = lake.write_rows(settings.lake_dir, table, rows, run_id, 1)
    duck.load_files(settings.warehouse_path, settings.lake_dir, files, run_id, derive=mart.rebuild_events)
    outside = root / "outside"
    outside.mkdir()
    (outside / "secret.csv").write_text(f"name,value\ntoken,{SECRET}\n", encoding="utf-8")
    return root


def tree(root: Path) -> dict[str, tuple[int, int]]:
    """Every file under `root` with its size and mtime: what a write would change."""
    return {str(p.relative_to(root)): (p.stat().st_size, p.stat().st_mtime_ns) for p in root.rglob("*") if p.is_file()}


def sql(capsys, monkeypatch, statement: str, *args: str) -> tuple[int, str, str]:
    """Run `incidents sql STATEMENT ARGS` as the console script does; (exit code, stdout, stderr)."""
    return run_cli(capsys, monkeypatch, "sql", statement, *args)


REFUSED = "refused: only queries run here"
DENIED = "Permission Error"
# (what is tried, the statement: {out} the outside folder, {lake} the data directory's lake; the error)
ATTACKS = [
    ("COPY TO a file", "COPY (SELECT * FROM incidents) TO '{out}/stolen.csv'", "COPY " + REFUSED),
    ("COPY into the lake", "COPY (SELECT * FROM incidents) TO '{lake}/incidents/month=2025-05/evil.parquet' (FORMAT parquet)",
     "COPY " + REFUSED),
    ("COPY after a query", "SELECT 1; COPY (SELECT 1) TO '{out}/second.csv'", "COPY " + REFUSED),
    ("EXPLAIN ANALYZE runs a COPY", "EXPLAIN ANALYZE COPY (SELECT 1) TO '{lake}/x.csv'", "EXPLAIN of a statement that is not a query"),
    ("EXPORT DATABASE", "EXPORT DATABASE '{out}/copy'", "EXPORT/IMPORT DATABASE " + REFUSED),
    ("EXPORT into the lake", "EXPORT DATABASE '{lake}/copy'", "EXPORT/IMPORT DATABASE " + REFUSED),
    ("ATTACH", "ATTACH '{out}/other.duckdb' AS other", "ATTACH " + REFUSED),
    ("INSTALL", "INSTALL httpfs", "INSTALL/LOAD " + REFUSED),
    ("LOAD", "LOAD httpfs", "INSTALL/LOAD " + REFUSED),
    ("SET external access", "SET enable_external_access = true", "SET/RESET " + REFUSED),
    ("RESET external access", "RESET enable_external_access", "SET/RESET " + REFUSED),
    ("SET lock", "SET lock_configuration = false", "SET/RESET " + REFUSED),
    ("SET allowed directories", "SET allowed_directories = ['/']", "SET/RESET " + REFUSED),
    ("read_csv /etc/passwd", "SELECT * FROM read_csv('/etc/passwd')", DENIED),
    ("read_csv outside", "SELECT * FROM read_csv('{out}/secret.csv')", DENIED),
    ("read_text outside", "SELECT * FROM read_text('{out}/secret.csv')", DENIED),
    ("read_blob outside", "SELECT * FROM read_blob('{out}/secret.csv')", DENIED),
    ("read_text out of the lake by ..", "SELECT * FROM read_text('{lake}/../../outside/secret.csv')", DENIED),
    ("read_parquet of the warehouse's folder", "SELECT * FROM read_parquet('{lake}/../*.parquet')", DENIED),
    ("glob lists files", "SELECT * FROM glob('{out}/*')", DENIED),
    ("network", "SELECT * FROM read_csv('https://example.org/x.csv')", DENIED),
]


@pytest.mark.parametrize(("statement", "error"), [a[1:] for a in ATTACKS], ids=[a[0] for a in ATTACKS])
def test_escapes_fail_in_one_line_and_touch_nothing(root, capsys, monkeypatch, statement, error):
    data, outside = root / "data", root / "outside"
    before = tree(root)
    q = statement.format(out=outside, lake=data / "lake")
    started = time.monotonic()
    code, out, err = sql(capsys, monkeypatch, q, "--data-dir", str(data))
    assert code != 0
    assert err.startswith("error: SQL error: ") and err.count("\n") == 1 and "Traceback" not in err, err
    assert error in err
    assert out == "" and SECRET not in err and "root:" not in err
    assert tree(root) == before, "nothing written, in the data directory or outside it"
    assert time.monotonic() - started < 5, "refused at once"


def test_queries_views_and_the_lake_still_work(root, capsys, monkeypatch):
    data = root / "data"
    with duckdb.connect(str(data / "warehouse.duckdb"), read_only=True) as con:
        n = con.execute("SELECT count(*) FROM incidents").fetchall()[0][0]
    assert n >= len(RECORDS)
    code, out, err = sql(capsys, monkeypatch, "SELECT count(*) AS n FROM incidents", "--data-dir", str(data), "--format", "json")
    assert code == 0 and json.loads(out) == [{"n": n}], err
    for view in ("incidents_with_source", "daily_region_summary"):
        code, out, err = sql(capsys, monkeypatch, f"SELECT count(*) AS n FROM {view}", "--data-dir", str(data), "--format", "json")
        assert code == 0 and json.loads(out)[0]["n"] >= 1, err
    lake = f"SELECT count(*) AS n, count(DISTINCT month) AS months FROM read_parquet('{data}/lake/incidents/**/*.parquet', hive_partitioning = true)"
    code, out, err = sql(capsys, monkeypatch, lake, "--data-dir", str(data), "--format", "json")
    assert code == 0 and json.loads(out) == [{"n": n, "months": 1}], err
    monkeypatch.chdir(root)  # a path relative to where the command runs, as in the README
    code, out, err = sql(capsys, monkeypatch, "SELECT count(*) AS n FROM 'data/lake/articles/*/*.parquet'", "--data-dir", "data", "--format", "json")
    assert code == 0 and json.loads(out) == [{"n": len(RECORDS)}], err
    for read in ("DESCRIBE incidents", "EXPLAIN ANALYZE SELECT count(*) FROM incidents",
                 "PIVOT incidents ON event_type USING count(*) GROUP BY admin1",
                 "WITH a AS (SELECT * FROM incidents) SELECT min(event_date) FROM a"):
        code, out, err = sql(capsys, monkeypatch, read, "--data-dir", "data", "--format", "csv")
        assert code == 0 and out, (read, err)


def test_duckdb_itself_refuses_what_the_statement_check_would(root):
    """Beneath the statement check: the connection's own settings hold, and cannot be undone."""
    data, outside = root / "data", root / "outside"
    before = tree(root)
    with duck.sandboxed(data / "warehouse.duckdb", data / "lake") as con:
        assert con.execute("SELECT current_setting('enable_external_access'), current_setting('lock_configuration')").fetchall() == [(False, True)]
        for statement, kind in [
            (f"COPY (SELECT 1) TO '{outside}/x.csv'", duckdb.PermissionException),
            (f"EXPORT DATABASE '{outside}/copy'", duckdb.PermissionException),
            (f"ATTACH '{outside}/other.duckdb' AS other", duckdb.PermissionException),
            ("INSTALL httpfs", duckdb.PermissionException),
            ("LOAD httpfs", duckdb.PermissionException),
            (f"SELECT * FROM read_text('{outside}/secret.csv')", duckdb.PermissionException),
            ("SET enable_external_access = true", duckdb.InvalidInputException),
            ("RESET enable_external_access", duckdb.InvalidInputException),
            ("SET lock_configuration = false", duckdb.InvalidInputException),
            ("SET allowed_directories = ['/']", duckdb.InvalidInputException),
        ]:
            with pytest.raises(kind):
                con.execute(statement).fetchall()
        assert con.execute("SELECT current_setting('enable_external_access')").fetchall() == [(False,)]
        got = con.execute(f"SELECT count(*) FROM read_parquet('{data}/lake/articles/*/*.parquet')").fetchall()
        assert got == [(len(RECORDS),)]
    assert tree(root) == before


def test_waits_for_a_loading_run_then_answers(root, capsys, monkeypatch):
    """A run holds the write lock for one load at a time; the sandboxed reader waits it out."""
    db = root / "data" / "warehouse.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('held', flush=True); time.sleep(1.0); c.close()",
         str(db)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        code, out, err = sql(capsys, monkeypatch, "SELECT count(*) AS n FROM articles", "--data-dir", str(root / "data"), "--format", "json")
        waited = time.monotonic() - started
    finally:
        holder.wait(timeout=30)
    assert code == 0 and json.loads(out) == [{"n": len(RECORDS)}], err
    assert waited > 0.3, "it waited for the writer instead of failing"


def test_console_script_refuses_an_escape(root):
    data, outside = root / "data", root / "outside"
    before = tree(root)
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_HOME"}
    for statement in (f"COPY (SELECT * FROM incidents) TO '{outside}/stolen.csv'", f"SELECT * FROM read_csv('{outside}/secret.csv')"):
        res = subprocess.run(
            [sys.executable, "-m", "incidents", "sql", statement, "--data-dir", str(data)],
            check=False, capture_output=True, text=True, env=env, timeout=60,
        )
        assert res.returncode != 0 and res.stdout == ""
        assert res.stderr.startswith("error: SQL error: ") and res.stderr.count("\n") == 1, res.stderr
        assert "Traceback" not in res.stderr and SECRET not in res.stderr
    assert tree(root) == before

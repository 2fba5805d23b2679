"""Extraction on a Dask cluster (issue 13): real `dask scheduler` / `dask worker` processes on
127.0.0.1 and a real LocalCluster, against the default process pool on the same input.

Evidence that the extraction ran in the workers, not in the flow: the flow process's own
extractor is made to fail (a run that extracted there would quarantine every article and
differ from the pool's tables), the workers' records in the scheduler's event log name their
processes and articles, and those processes' CPU time grew by at least what they report.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from conftest import bench_module, run_cli

from runtime.settings import Settings, dask_address

N_ARTICLES = 1_200
BATCH = 600  # two batches; on two workers each batch is two chunks of 300 (two slices: a crash mid-chunk)
EXCLUDED = {"run_id", "fetched_at", "quarantined_at"}  # differ between any two runs


dask_procs = bench_module("dask_procs")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("dask-corpus") / "corpus.jsonl"
    return bench_module("make_corpus").generate(N_ARTICLES, path, relevant_share=0.25)


@pytest.fixture(scope="module")
def external(tmp_path_factory):
    """A scheduler and two single-threaded workers, each its own `dask worker` process. Not waited
    for here: they start while the next fixture makes the pool's run; tests call `ready()`."""
    cluster = dask_procs.start(tmp_path_factory.mktemp("dask-cluster"), n_workers=2, wait=False)
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="module")
def pooled(prefect_engine, corpus, tmp_path_factory) -> dict:
    """The default path's tables: the process pool, two workers."""
    from flows.parallel import shutdown
    from flows.pipeline import ingest
    from runtime.config import ad_hoc_source

    data = tmp_path_factory.mktemp("dask-pool")
    spec = ad_hoc_source(str(corpus))  # as `--source PATH` names it
    try:
        summary = ingest([spec], Settings(data_dir=data, batch_size=BATCH, workers=2))
    finally:
        shutdown()
    assert summary.articles_new == N_ARTICLES and summary.incidents_extracted > N_ARTICLES // 4
    return _tables(data)


def _tables(data: Path) -> dict[str, list]:
    """Every row of the warehouse's tables, less the columns that name the run, plus the lake's counts."""
    con = duckdb.connect(str(data / "warehouse.duckdb"), read_only=True)
    try:
        out = {}
        for table in ("articles", "article_sources", "incidents", "quarantine", "events"):
            cols = [c[0] for c in con.execute(f"DESCRIBE {table}").fetchall() if c[0] not in EXCLUDED]
            out[table] = sorted(map(repr, con.execute(f"SELECT {', '.join(cols)} FROM {table}").fetchall()))
        for table in ("articles", "incidents"):  # the lake holds each row once, as the warehouse does
            glob = str(data / "lake" / table / "**" / "*.parquet")
            out[f"lake_{table}"] = con.execute(f"SELECT count(*) FROM read_parquet('{glob}')").fetchone()[0]
        return out
    finally:
        con.close()


def _cpu_seconds(pids: list[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime + stime
    return total


def _not_here(articles):
    """The flow process's extractor in the first test: extraction that ran in the flow would
    turn every article into an `extraction_error` quarantine row."""
    return [RuntimeError("extracted in the flow process") for _ in articles]


def _events(address: str) -> list[dict]:
    from distributed import Client

    from flows.cluster import EVENT_TOPIC

    with Client(address, set_as_default=False) as client:
        return [msg for _, msg in client.get_events(EVENT_TOPIC)]


def test_external_scheduler_gives_the_pools_rows_with_the_extraction_in_the_workers(
    external, pooled, corpus, tmp_path, capsys, monkeypatch,
):
    from prefect.settings import PREFECT_API_URL

    monkeypatch.setenv("PREFECT_API_URL", PREFECT_API_URL.value())  # the session's server, not a new one
    monkeypatch.setenv("INCIDENTS_BATCH_SIZE", str(BATCH))
    monkeypatch.setattr("transforms.batch.extract_batch", _not_here)
    workers = external.ready().worker_pids()
    assert len(workers) == 2
    cpu_before, events_before = _cpu_seconds(workers), len(_events(external.address))

    data = tmp_path / "data"
    code, out, err = run_cli(capsys, monkeypatch, "run", "--source", str(corpus), "--data-dir", str(data),
                             "--dask", external.address, "--json")
    assert code == 0, err[-3000:]
    summary = json.loads(out.strip().splitlines()[-1])
    assert summary["articles_new"] == N_ARTICLES and summary["rows_quarantined"] == 0
    assert _tables(data) == pooled

    reports = _events(external.address)[events_before:]
    assert sum(r["articles"] for r in reports) == N_ARTICLES  # every article once, nothing twice
    assert sum(r["incidents"] for r in reports) == summary["incidents_extracted"]
    assert {r["pid"] for r in reports} == set(workers)  # both workers took chunks
    assert {r["gazetteer_loads"] for r in reports} == {1}  # loaded once per worker process
    assert _cpu_seconds(workers) - cpu_before >= 0.8 * sum(r["cpu_s"] for r in reports) > 0


def test_local_cluster_retries_a_batch_whose_worker_died_and_doubles_nothing(
    pooled, corpus, tmp_path, capsys, monkeypatch,
):
    """`--dask local`: the LocalCluster's worker processes inherit the crash hook, so the one that
    takes the first chunk of the first batch's first attempt dies in the middle of it; Prefect's
    retry of the batch (attempt 2) completes it. The death also takes any chunk of batch 2 that
    was scattered to that worker: that batch is then retried too."""
    from prefect.settings import PREFECT_API_URL

    trace = tmp_path / "crash-trace"
    monkeypatch.setenv("PREFECT_API_URL", PREFECT_API_URL.value())
    monkeypatch.setenv("INCIDENTS_BATCH_SIZE", str(BATCH))
    monkeypatch.setenv("INCIDENTS_WORKERS", "2")
    monkeypatch.setenv("INCIDENTS_CRASH_AT", "worker.batch-1.chunk-0.attempt-1")  # read by the workers at import
    monkeypatch.setenv("INCIDENTS_CRASH_TRACE", str(trace))

    data = tmp_path / "data"
    code, out, err = run_cli(capsys, monkeypatch, "run", "--source", str(corpus), "--data-dir", str(data),
                             "--dask", "local", "--json")
    assert code == 0, err[-3000:]
    assert json.loads(out.strip().splitlines()[-1])["articles_new"] == N_ARTICLES
    assert _tables(data) == pooled  # nothing lost, nothing doubled, in the warehouse and in the lake

    lines = trace.read_text().splitlines()
    assert lines.count("kill worker.batch-1.chunk-0.attempt-1") == 1  # a worker died mid-batch ...
    retried = lines.index("pass worker.batch-1.chunk-0.attempt-2")  # ... and Prefect's retry extracted it
    assert retried > lines.index("kill worker.batch-1.chunk-0.attempt-1")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_scheduler_is_one_line_without_traceback(prefect_engine, corpus, tmp_path):
    from prefect.settings import PREFECT_API_URL

    address = f"tcp://127.0.0.1:{_free_port()}"  # nothing listens there
    env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value(), "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"}
    env.pop("PREFECT_HOME", None)
    res = subprocess.run(
        [sys.executable, "-m", "incidents", "run", "--source", str(corpus), "--data-dir", str(tmp_path / "d"),
         "--dask", address],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )
    assert res.returncode == 2, res.stderr
    lines = [line for line in (res.stdout + res.stderr).splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"error: cannot reach the Dask scheduler at {address}"), lines
    assert not (tmp_path / "d" / "warehouse.duckdb").exists()


def test_workers_on_another_extractor_version_are_refused(external, monkeypatch):
    """Their incidents would carry another extractor version than the run's (and `reprocess` reads it)."""
    from flows import cluster

    monkeypatch.setattr("transforms.extract.EXTRACTOR_VERSION", "rules-0+gaz-older")  # this process only
    with pytest.raises(cluster.ClusterError, match=r"2 Dask worker\(s\) run another extractor .*this run: rules-0"):
        cluster.connect(external.ready().address)
    assert cluster._connected is None  # closed again, not kept for a run


def test_dask_address_is_checked_by_name(tmp_path, capsys, monkeypatch):
    assert dask_address("") is None and dask_address(" local ") == "local"
    assert dask_address("tcp://10.0.0.5:8786") == "tcp://10.0.0.5:8786" and dask_address("host:8786") == "host:8786"
    for bad in ("tcp://host", "8786", "tcp://:8786", "local2"):
        with pytest.raises(ValueError, match="INCIDENTS_DASK_ADDRESS must be 'local' or a scheduler address"):
            dask_address(bad)
    code, _, err = run_cli(capsys, monkeypatch, "run", "--data-dir", str(tmp_path), "--dask", "tcp://nowhere")
    assert code == 2 and err.strip().startswith("error: --dask must be 'local' or a scheduler address"), err
    assert len(err.strip().splitlines()) == 1

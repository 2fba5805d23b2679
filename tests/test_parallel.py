"""Extraction on the worker pool: the same incidents as in-process, and no spool file left."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from flows.parallel import MIN_PER_WORKER, Extraction, shutdown, workers
from transforms.batch import extract_incidents, prepare_articles

REPORTS = [
    "Air defence destroyed {n} drones over the Belgorod region overnight, the governor said.",
    "Ночью над Курской областью сбили {n} беспилотников, сообщил губернатор.",
    "Уламки дрона впали на житловий будинок у Харкові, {n} людей поранено.",
    "The city council approved a new budget for {n} schools on Tuesday.",
]


def test_the_pool_gives_the_incidents_of_in_process_extraction_and_cleans_its_spool(tmp_path, monkeypatch):
    monkeypatch.setenv("INCIDENTS_WORKERS", "2")
    monkeypatch.setattr("flows.parallel.MAX_PER_TASK", 100)  # tasks capped below a worker's share
    n = 2 * MIN_PER_WORKER + 50  # enough for two chunks on two workers
    records = [
        {"article_id": f"p{i}", "source": "t", "text": REPORTS[i % len(REPORTS)].format(n=2 + i % 7),
         "published": datetime(2026, 3, 1 + i % 20, tzinfo=UTC)}
        for i in range(n)
    ]
    articles = prepare_articles(records, run_id="r", fetched_at=datetime.now(UTC))
    spool = tmp_path / "spool"
    try:
        assert workers() == 2
        extraction = Extraction(articles, "r", spool)
        assert len(extraction._futures) == -(-n // 100)  # in tasks of at most MAX_PER_TASK articles
        pooled, pooled_errors = extraction.result()
    finally:
        shutdown()
    alone, alone_errors = extract_incidents(articles, run_id="r")
    assert pooled.num_rows == alone.num_rows > n // 2
    assert pooled.equals(alone)  # the same rows in the same order
    assert pooled_errors == alone_errors == []
    assert list(spool.iterdir()) == []  # the batch's Arrow file is gone once extracted


RELEASE = """
import os, sys
from flows import parallel
parallel.start_pool()
pids = sorted(parallel._pool._processes)
assert len(pids) == 2 and all(os.path.exists(f"/proc/{p}") for p in pids), pids
parallel.release()
gone = [p for p in pids if not os.path.exists(f"/proc/{p}") or open(f"/proc/{p}/stat").read().split()[2] == "Z"]
assert gone == pids and parallel._pool is None, (pids, gone)
on_demand = parallel._get_pool(2)  # a pool made on first use (serve, a Prefect worker) stays
parallel.release()
assert parallel._pool is on_demand
print("ok")
"""


def test_the_run_s_own_workers_are_stopped_once_its_extraction_is_done(tmp_path):
    """`start_pool` forks the workers of one command's run; `release` (called by the flow after its
    last batch) stops them, so the last load and the events mart run without them. Run in a fresh
    process: a test worker has threads already, and a pool is forked only from a single thread."""
    env = {**os.environ, "INCIDENTS_WORKERS": "2"}
    out = subprocess.run([sys.executable, "-c", RELEASE], check=False, capture_output=True, text=True, env=env,
                         timeout=120, cwd=Path(__file__).resolve().parents[1])
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr[-2000:]

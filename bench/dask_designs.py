"""Which design keeps batches flowing to a Dask cluster: the shipped one (the `extract-batch`
task runs in the flow process and sends the batch's chunks to the workers with a Dask client)
or prefect-dask's `DaskTaskRunner` (one Prefect task per chunk, run by Prefect's engine inside
the workers)?

Both run the extraction alone, through Prefect (the CLI's temporary API server on a thread of
this process), over the same prepared batches, against a fresh external cluster each time
(`dask scheduler` + N single-threaded `dask worker` processes on 127.0.0.1), with at most two
batches in flight, as `flows/pipeline.py` keeps them. Prints one JSON line per design and
scenario: wall time, articles per second, the workers' busy share (their CPU time over wall x
workers), the flow process's CPU time, the workers' peak RSS. `--kill` arms a crash in the
workers (the one that takes batch 1's first chunk in attempt 1 dies in the middle of it) and
reports what became of the run.

    .venv/bin/python bench/dask_designs.py [--articles 20000 --batch-size 5000] [--kill]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import dask_procs
from make_corpus import generate
from run_bench import process_cpu

BENCH = str(Path(__file__).resolve().parent)
CRASH = {"INCIDENTS_CRASH_AT": "worker.batch-1.chunk-0.attempt-1"}


def prepared(n: int, batch_size: int, work: Path, relevant_share: float) -> list:
    """Article batches as the flow hands them to extraction (Arrow tables)."""
    from transforms.batch import prepare_articles

    path = generate(n, work / "corpus.jsonl", relevant_share=relevant_share)
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    for r in records:
        r["source"] = "bench"
        r["published"] = datetime.fromisoformat(r["published"]).replace(tzinfo=UTC)
    now = datetime.now(UTC)
    return [prepare_articles(records[i:i + batch_size], run_id="bench", fetched_at=now)
            for i in range(0, n, batch_size)]


def _flow(design: str, address: str, n_workers: int):
    """The design's flow, called as flow(first, last): runs over designs_flows.BATCHES[first:last]."""
    from functools import partial

    import designs_flows

    if design == "shipped":
        return partial(designs_flows.shipped, address=address)
    from prefect_dask import DaskTaskRunner

    flow = designs_flows.runner.with_options(task_runner=DaskTaskRunner(address=address))
    return partial(flow, n_workers=n_workers)


def _hwm_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024)
    except OSError:
        return None
    return None


def measure(design: str, warm_up: int, work: Path, n_workers: int, kill: bool) -> dict:
    """Run the design over BATCHES[warm_up:] after an untimed run over the first `warm_up` (the
    workers load the gazetteer, and for the task runner Prefect's engine, once)."""
    import designs_flows

    env = {"PYTHONPATH": BENCH, **(CRASH if kill else {})}  # the workers import designs_flows
    cluster = dask_procs.start(work / f"cluster-{design}", n_workers=n_workers, env=env)
    workers = cluster.worker_pids()
    batches = designs_flows.BATCHES
    timed = batches[warm_up:]
    n = sum(b.num_rows for b in timed)
    row = {"design": design, "articles": n, "batches": len(timed), "workers": n_workers, "kill": kill}
    try:
        flow = _flow(design, cluster.address, n_workers)
        if warm_up and not kill:
            flow(0, warm_up)
        first = 0 if kill else warm_up  # with --kill, batch 1 is the one whose workers die
        cpu0, self0, t0 = process_cpu(workers), _self_cpu(), time.perf_counter()
        try:
            row["incidents"] = flow(first, len(batches))
            row["outcome"] = "completed"
        except BaseException as exc:  # noqa: BLE001 - the outcome is what is measured
            row["outcome"] = f"{type(exc).__name__}: {' '.join(str(exc).split())[:200]}"
        wall = time.perf_counter() - t0
        live = cluster.worker_pids()
        same = sorted(live) == sorted(workers)  # a restarted worker's CPU time is not comparable
        row |= {
            "seconds": round(wall, 2), "articles_per_s": round(n / wall),
            "workers_busy": round((process_cpu(workers) - cpu0) / (wall * n_workers), 2) if same else None,
            "flow_cpu_s": round(_self_cpu() - self0, 1),
            "worker_peak_rss_mb": [_hwm_mb(p) for p in live],
            "worker_restarts": len(set(live) - set(workers)),
        }
    finally:
        cluster.stop()
    return row


def _self_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=20_000)
    ap.add_argument("--batch-size", type=int, nargs="+", default=[5_000, 250],
                    help="one scenario per size: large batches, then many small ones")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--relevant-share", type=float, default=0.2)
    ap.add_argument("--designs", nargs="+", default=["shipped", "task-runner"])
    ap.add_argument("--kill", action="store_true", help="a worker dies mid-chunk in batch 1's first attempt")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="incidents-dask-designs-") as tmp:
        work = Path(tmp)
        for key, value in {"DO_NOT_TRACK": "1", "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
                           "PREFECT_LOGGING_LEVEL": "ERROR", "PREFECT_HOME": str(work / "prefect")}.items():
            os.environ.setdefault(key, value)
        from incidents.server import start_run_server

        server = start_run_server()
        try:
            if server is not None:
                server.wait()
            import designs_flows

            for size in args.batch_size:
                warm_up = max(1, args.workers * 500 // size)  # a chunk per worker
                designs_flows.BATCHES[:] = prepared(args.articles + warm_up * size, size, work, args.relevant_share)
                for design in args.designs:
                    row = measure(design, warm_up, work, args.workers, args.kill)
                    print(json.dumps({"batch_size": size, **row}), flush=True)
        finally:
            if server is not None:
                server.stop()


if __name__ == "__main__":
    main()

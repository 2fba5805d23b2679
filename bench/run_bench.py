"""End-to-end benchmark: `incidents run` on generated corpora of growing size.

Measures wall time (Prefect start-up included), articles per second, CPU seconds and the peak
memory of the run (PSS of the CLI process and its workers), and prints one JSON line per size,
so memory growth with input size is visible. Figures are recorded in bench/README.md.

`--modes` runs each size on today's process pool (`pool`), on a LocalCluster (`local`: `--dask
local`, one worker per core) and on an external cluster (`external`: a `dask scheduler` and two
`dask worker` processes started before the timed run, `--dask tcp://127.0.0.1:PORT`), one after
the other in one invocation; each line then also has the peak memory (PSS) of every process and,
for `external`, the CPU seconds of the cluster's processes (not children of the CLI).

`--bare` also times bare extraction of the same corpus on two processes (`extract_article` over
500-article slices on a fork pool, the gazetteer loaded before the fork as the flow does, no I/O,
no Prefect): the line gets `bare_seconds`, `bare_articles_per_s` and `flow_over_bare`, the factor
the flow around the extractor costs. `--relevant-share 1.0` is the attack-dense case (every article
a report dense with incidents, as an oblast administration's or the MoD's channel is).

`--lake s3` runs the same with the lake on an S3-compatible server on 127.0.0.1 (moto's, in
server mode, a process of its own started here: `incidents run --lake s3://bench/lake-N`);
`--lake both` times the local lake and the S3 one side by side.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import dask_procs
from make_corpus import generate

INCIDENTS = str(Path(sys.executable).with_name("incidents"))


def _pss_kib(pid: int) -> int | None:
    """Proportional set size: pages shared between processes (forked workers) count once in total."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def _tree_pss_kib(root: int) -> int:
    """Memory (PSS, KiB) of a process and all its descendants: the CLI (with Prefect's
    temporary API server on one of its threads) and its extraction workers."""
    return sum(_tree_pss_by_pid(root).values())


def _tree_pss_by_pid(root: int) -> dict[int, int]:
    """PSS (KiB) of each process of the tree under `root`, root included."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status") as fh:
                fields = dict(line.split(":", 1) for line in fh if ":" in line)
        except OSError:
            continue
        pid = int(entry)
        children.setdefault(int(fields.get("PPid", "0").strip()), []).append(pid)
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0])
    found, stack = {}, [root]
    while stack:
        pid = stack.pop()
        pss = _pss_kib(pid) if pid in rss else None
        found[pid] = pss if pss is not None else rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return found


def _role(pid: int, root: int) -> str:
    """cli (the run's own process), worker (a pool or LocalCluster worker), or what else it is."""
    if pid == root:
        return "cli"
    try:
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return "gone"
    return "resource-tracker" if b"resource_tracker" in cmd else "worker"


def timed(cmd: list[str], others: dict[str, int] | None = None) -> tuple[float, float, int, str, int, dict]:
    """Wall time, CPU seconds of the whole tree, peak memory (KiB, sampled every 0.2 s),
    output, exit code, and each process's peak PSS in MB by role (`others`: processes outside
    the tree to watch too, by role: an external Dask cluster)."""
    with tempfile.TemporaryFile("w+") as out:
        cpu0 = _children_cpu()
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, text=True)
        peak, by_pid, roles = 0, {}, {}
        while proc.poll() is None:
            sample = _tree_pss_by_pid(proc.pid)
            peak = max(peak, sum(sample.values()))
            for pid in sample:
                roles.setdefault(pid, _role(pid, proc.pid))
            for role, pid in (others or {}).items():
                sample[pid] = _pss_kib(pid) or 0
                roles[pid] = role
            for pid, kib in sample.items():
                by_pid[pid] = max(by_pid.get(pid, 0), kib)
            time.sleep(0.2)
        wall = time.perf_counter() - t0
        out.seek(0)
        return wall, _children_cpu() - cpu0, peak, out.read(), proc.returncode, _by_role(by_pid, roles)


def _by_role(by_pid: dict[int, int], roles: dict[int, str]) -> dict[str, list[int]]:
    """Peak PSS in MB of each process, grouped by role (workers restarted mid-run count apart)."""
    out: dict[str, list[int]] = {}
    for pid, kib in sorted(by_pid.items()):
        if roles.get(pid, "gone") != "gone":  # a short-lived helper that exited before its role was read
            out.setdefault(roles[pid], []).append(round(kib / 1024))
    return out


def _children_cpu() -> float:
    """CPU seconds of the finished children and theirs (the workers are waited for by the CLI)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def process_cpu(pids: list[int]) -> float:
    """CPU seconds (user + system) so far of processes that are not our children."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


@contextmanager
def s3_server() -> Iterator[str]:
    """moto's S3 server on a free port of 127.0.0.1 with a bucket `bench`, and this process's
    environment (inherited by the runs) pointed at it through the standard AWS_* variables."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    os.environ.update(AWS_ENDPOINT_URL=endpoint, AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench",
                      AWS_DEFAULT_REGION="us-east-1", AWS_EC2_METADATA_DISABLED="true")
    import pyarrow.fs as pafs

    pafs.S3FileSystem(endpoint_override=endpoint, allow_bucket_creation=True).create_dir("bench")
    try:
        yield endpoint
    finally:
        proc.terminate()
        proc.wait(10)


def _objects(lake: str) -> int:
    import pyarrow.fs as pafs

    fs, root = pafs.FileSystem.from_uri(lake)
    return sum(1 for f in fs.get_file_info(pafs.FileSelector(root, recursive=True)) if f.type == pafs.FileType.File)


def run_once(
    n: int, work: Path, relevant_share: float, existing_prefect_db: bool, lake: str | None = None, mode: str = "pool",
) -> dict:
    """One size on one lake and one extraction mode: pool, local (a LocalCluster) or external
    (a scheduler and 2 workers)."""
    corpus = work / f"corpus-{n}.jsonl"
    if not corpus.exists():
        generate(n, corpus, relevant_share=relevant_share)
    data = work / f"data-{n}-{mode}"
    lake_args = ["--lake", lake] if lake else []
    if existing_prefect_db:
        # a data directory that has seen one run (on an empty source): Prefect's database exists,
        # as on every run after a user's first; the first run also creates it (~8 s of migrations)
        empty = work / "empty.jsonl"
        empty.write_text("", encoding="utf-8")
        subprocess.run([INCIDENTS, "run", "--source", str(empty), "--data-dir", str(data), *lake_args], check=True,
                       stdout=subprocess.DEVNULL)
    cmd = [INCIDENTS, "run", "--source", str(corpus), "--data-dir", str(data), "--json", *lake_args]
    cluster = dask_procs.start(work / "cluster", n_workers=2) if mode == "external" else None
    try:
        if mode != "pool":
            cmd += ["--dask", cluster.address if cluster else "local"]
        watched = cluster.pids() if cluster else {}
        cluster_cpu0 = process_cpu(list(watched.values()))
        wall, cpu, peak_kb, out, code, by_role = timed(cmd, watched)
        cluster_cpu = process_cpu(list(watched.values())) - cluster_cpu0
        if code != 0:
            raise SystemExit(f"run failed ({code}): {out[-2000:]}")
        summary = json.loads(out.strip().splitlines()[-1])
        objects = _objects(lake) if lake else None
        rerun, _, _, _, again, _ = timed(cmd)
    finally:
        if cluster:
            cluster.stop()
    shutil.rmtree(data, ignore_errors=True)
    return {
        "mode": mode,
        "articles": n,
        "lake": "s3 (moto, 127.0.0.1)" if lake else "local",
        **({"objects": objects, "objects_after_rerun": _objects(lake)} if lake else {}),
        "relevant_share": relevant_share,
        "prefect_db": "existing" if existing_prefect_db else "fresh",
        "batch_size": os.environ.get("INCIDENTS_BATCH_SIZE", "default"),
        "seconds": round(wall, 2),
        "articles_per_s": round(n / wall),
        "cpu_seconds": round(cpu, 1),
        "peak_mb": round(peak_kb / 1024),
        "cluster_cpu_seconds": round(cluster_cpu, 1) if cluster else None,
        "peak_mb_by_process": by_role,
        "incidents": summary["incidents_extracted"],
        "rerun_seconds": round(rerun, 2),
        "rerun_ok": again == 0,
    }


def _extract_slice(rows: list[tuple[str, str]]) -> int:
    from datetime import date

    from transforms.extract import extract_article
    return sum(len(extract_article(text, article_id="b", published=date.fromisoformat(pub))) for text, pub in rows)


def bare_extraction(corpus: Path, workers: int = 2, slice_size: int = 500) -> tuple[float, int]:
    """Seconds and incidents for extracting every article of the corpus on `workers` forked processes."""
    import multiprocessing as mp

    from transforms.extract import _gazetteer
    _gazetteer()  # loaded once before the fork, shared by the workers (as in the flow)
    rows = [(r["text"], r["published"]) for r in map(json.loads, corpus.read_text(encoding="utf-8").splitlines())]
    slices = [rows[i:i + slice_size] for i in range(0, len(rows), slice_size)]
    t0 = time.perf_counter()
    with mp.get_context("fork").Pool(workers) as pool:
        incidents = sum(pool.imap_unordered(_extract_slice, slices))
    return time.perf_counter() - t0, incidents


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", type=int, nargs="+", default=[25_000, 50_000, 100_000])
    ap.add_argument("--relevant-share", type=float, default=0.2,
                    help="share of articles about attacks (1.0: every article dense with incidents)")
    ap.add_argument("--prefect-db", choices=["fresh", "existing", "both"], default="both",
                    help="time runs in a new data directory (Prefect creates its database first), "
                         "in one whose Prefect database exists already, or both")
    ap.add_argument("--lake", choices=["local", "s3", "both"], default="local",
                    help="the lake in the data directory, on a local S3-compatible server (moto), or both")
    ap.add_argument("--bare", action="store_true",
                    help="also time bare extraction of the same corpus on two processes (no I/O, no Prefect)")
    ap.add_argument("--modes", nargs="+", choices=["pool", "local", "external"], default=["pool"],
                    help="extraction on the process pool (today's default), a LocalCluster (--dask local) or "
                         "an external scheduler with two workers (--dask tcp://...), in this order per size")
    args = ap.parse_args()
    dbs = {"fresh": [False], "existing": [True], "both": [False, True]}[args.prefect_db]
    lakes = {"local": [False], "s3": [True], "both": [False, True]}[args.lake]
    with tempfile.TemporaryDirectory(prefix="incidents-bench-") as tmp:
        server = s3_server() if True in lakes else None
        with server if server is not None else _nothing():
            for n in args.sizes:
                for existing in dbs:
                    for on_s3 in lakes:
                        for mode in args.modes:
                            lake = f"s3://bench/lake-{n}-{'existing' if existing else 'fresh'}-{mode}" if on_s3 else None
                            row = run_once(n, Path(tmp), args.relevant_share, existing, lake, mode)
                            if args.bare:
                                bare, found = bare_extraction(Path(tmp) / f"corpus-{n}.jsonl")
                                row.update(bare_seconds=round(bare, 2), bare_articles_per_s=round(n / bare),
                                           bare_incidents=found, flow_over_bare=round(row["seconds"] / bare, 2))
                            print(json.dumps(row), flush=True)
                (Path(tmp) / f"corpus-{n}.jsonl").unlink(missing_ok=True)


@contextmanager
def _nothing() -> Iterator[None]:
    yield None


if __name__ == "__main__":
    main()

"""End-to-end benchmark: `incidents run` on generated corpora of growing size.

Measures wall time (Prefect start-up included), articles per second, CPU seconds and the peak
memory of the run (PSS of the CLI process and its workers), and prints one JSON line per size,
so memory growth with input size is visible. Figures are recorded in bench/README.md.

`--modes` runs each size on today's process pool (`pool`), on a LocalCluster (`local`: `--dask
local`, one worker per core) and on an external cluster (`external`: a `dask scheduler` and two
`dask worker` processes started before the timed run, `--dask tcp://127.0.0.1:PORT`), one after
the other in one invocation; each line then also has the peak memory (PSS) of every process and,
for `external`, the CPU seconds of the cluster's processes (not children of the CLI).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
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


def _cluster_cpu(pids: list[int]) -> float:
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


def run_once(n: int, work: Path, relevant_share: float, existing_prefect_db: bool, mode: str = "pool") -> dict:
    """One size on one extraction mode: pool, local (a LocalCluster) or external (scheduler + 2 workers)."""
    corpus = work / f"corpus-{n}.jsonl"
    if not corpus.exists():
        generate(n, corpus, relevant_share=relevant_share)
    data = work / f"data-{n}-{mode}"
    if existing_prefect_db:
        # a data directory that has seen one run (on an empty source): Prefect's database exists,
        # as on every run after a user's first; the first run also creates it (~8 s of migrations)
        empty = work / "empty.jsonl"
        empty.write_text("", encoding="utf-8")
        subprocess.run([INCIDENTS, "run", "--source", str(empty), "--data-dir", str(data)], check=True,
                       stdout=subprocess.DEVNULL)
    cmd = [INCIDENTS, "run", "--source", str(corpus), "--data-dir", str(data), "--json"]
    cluster = dask_procs.start(work / "cluster", n_workers=2) if mode == "external" else None
    try:
        if mode != "pool":
            cmd += ["--dask", cluster.address if cluster else "local"]
        watched = cluster.pids() if cluster else {}
        cluster_cpu0 = _cluster_cpu(list(watched.values()))
        wall, cpu, peak_kb, out, code, by_role = timed(cmd, watched)
        cluster_cpu = _cluster_cpu(list(watched.values())) - cluster_cpu0
        if code != 0:
            raise SystemExit(f"run failed ({code}): {out[-2000:]}")
        summary = json.loads(out.strip().splitlines()[-1])
        rerun, _, _, _, again, _ = timed(cmd)
    finally:
        if cluster:
            cluster.stop()
    shutil.rmtree(data, ignore_errors=True)
    return {
        "mode": mode,
        "articles": n,
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", type=int, nargs="+", default=[25_000, 50_000, 100_000])
    ap.add_argument("--relevant-share", type=float, default=0.2,
                    help="share of articles about attacks (1.0: every article dense with incidents)")
    ap.add_argument("--prefect-db", choices=["fresh", "existing", "both"], default="both",
                    help="time runs in a new data directory (Prefect creates its database first), "
                         "in one whose Prefect database exists already, or both")
    ap.add_argument("--modes", nargs="+", choices=["pool", "local", "external"], default=["pool"],
                    help="extraction on the process pool (today's default), a LocalCluster (--dask local) or "
                         "an external scheduler with two workers (--dask tcp://...), in this order per size")
    args = ap.parse_args()
    dbs = {"fresh": [False], "existing": [True], "both": [False, True]}[args.prefect_db]
    with tempfile.TemporaryDirectory(prefix="incidents-bench-") as tmp:
        for n in args.sizes:
            for existing in dbs:
                for mode in args.modes:
                    print(json.dumps(run_once(n, Path(tmp), args.relevant_share, existing, mode)), flush=True)
            (Path(tmp) / f"corpus-{n}.jsonl").unlink(missing_ok=True)


if __name__ == "__main__":
    main()

"""End-to-end benchmark: `incidents run` on generated corpora of growing size.

Measures wall time (Prefect start-up included), articles per second, CPU seconds and the peak
memory of the run (PSS of the CLI process and its workers), and prints one JSON line per size,
so memory growth with input size is visible. Figures are recorded in bench/README.md.

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
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        pss = _pss_kib(pid) if pid in rss else None
        total += pss if pss is not None else rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


def timed(cmd: list[str]) -> tuple[float, float, int, str, int]:
    """Wall time, CPU seconds of the whole tree, peak memory (KiB, sampled every 0.2 s),
    output, exit code."""
    with tempfile.TemporaryFile("w+") as out:
        cpu0 = _children_cpu()
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, text=True)
        peak = 0
        while proc.poll() is None:
            peak = max(peak, _tree_pss_kib(proc.pid))
            time.sleep(0.2)
        wall = time.perf_counter() - t0
        out.seek(0)
        return wall, _children_cpu() - cpu0, peak, out.read(), proc.returncode


def _children_cpu() -> float:
    """CPU seconds of the finished children and theirs (the workers are waited for by the CLI)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


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


def run_once(n: int, work: Path, relevant_share: float, existing_prefect_db: bool, lake: str | None = None) -> dict:
    corpus = generate(n, work / f"corpus-{n}.jsonl", relevant_share=relevant_share)
    data = work / f"data-{n}"
    lake_args = ["--lake", lake] if lake else []
    if existing_prefect_db:
        # a data directory that has seen one run (on an empty source): Prefect's database exists,
        # as on every run after a user's first; the first run also creates it (~8 s of migrations)
        empty = work / "empty.jsonl"
        empty.write_text("", encoding="utf-8")
        subprocess.run([INCIDENTS, "run", "--source", str(empty), "--data-dir", str(data), *lake_args], check=True,
                       stdout=subprocess.DEVNULL)
    cmd = [INCIDENTS, "run", "--source", str(corpus), "--data-dir", str(data), "--json", *lake_args]
    wall, cpu, peak_kb, out, code = timed(cmd)
    if code != 0:
        raise SystemExit(f"run failed ({code}): {out[-2000:]}")
    summary = json.loads(out.strip().splitlines()[-1])
    objects = _objects(lake) if lake else None
    rerun, _, _, _, again = timed(cmd)
    shutil.rmtree(data, ignore_errors=True)
    corpus.unlink()
    return {
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
    ap.add_argument("--lake", choices=["local", "s3", "both"], default="local",
                    help="the lake in the data directory, on a local S3-compatible server (moto), or both")
    args = ap.parse_args()
    modes = {"fresh": [False], "existing": [True], "both": [False, True]}[args.prefect_db]
    lakes = {"local": [False], "s3": [True], "both": [False, True]}[args.lake]
    with tempfile.TemporaryDirectory(prefix="incidents-bench-") as tmp:
        server = s3_server() if True in lakes else None
        with server if server is not None else _nothing():
            for n in args.sizes:
                for existing in modes:
                    for on_s3 in lakes:
                        lake = f"s3://bench/lake-{n}-{'existing' if existing else 'fresh'}" if on_s3 else None
                        print(json.dumps(run_once(n, Path(tmp), args.relevant_share, existing, lake)), flush=True)


@contextmanager
def _nothing() -> Iterator[None]:
    yield None


if __name__ == "__main__":
    main()

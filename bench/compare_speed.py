"""Is this checkout's extractor slower than another version of it, and by how much, on a noisy machine?

Issue 10 allows the extractor 10 % less speed than at its start; this box's own speed moves by 10-30 %
between identical runs minutes apart (bench/README), so two figures taken one after the other cannot
tell. This script measures a ratio instead: two worker processes, one with the code of `--rev` (a
temporary git worktree, its own gazetteer) and one with this checkout's, extract the same batches of
all-relevant articles (`make_corpus.py`, as `extract_speed.py`) in turn, A B B A, so that each pair of
batches meets the same machine. Each version is called as its pipeline calls it: `extract_batch` where
it has one, else `extract_article` per article (`COMPARE_PER_ARTICLE=1`: per article for both). The figure is the median of the per-pair CPU-time ratios (this checkout
over `--rev`: above 1 is slower); the quartiles say how sure it is. With `--reps R` each pair is the fastest of R runs of the same
batch on each side, which filters the machine's interruptions out (they only ever add time). Run it with `--rev HEAD` on a clean
tree to see the method's own spread on the day (an A/A test).

    .venv/bin/python bench/compare_speed.py --rev f34d52d [--rounds 60] [--batch 50]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def worker(corpus_path: Path, batch: int) -> None:
    """Extract the batch asked for on stdin with the `transforms` of the current directory; answer its CPU seconds."""
    sys.path.insert(0, os.getcwd())
    from transforms import extract

    assert Path(sys.modules["transforms"].__file__).resolve().parent.parent == Path.cwd().resolve()
    arts = []
    for line in corpus_path.read_text(encoding="utf-8").splitlines():
        text, pub = json.loads(line)
        arts.append(("x", text, date.fromisoformat(pub) if pub else None))
    run = _pipelines_call(extract)
    run(arts[:2 * batch])  # warm-up: the gazetteer, the compiled patterns, the caches
    print("ready", flush=True)
    for line in sys.stdin:
        start = (int(line) * batch) % len(arts)
        chunk = arts[start:start + batch]
        cpu = time.process_time()
        run(chunk)
        print(time.process_time() - cpu, len(chunk), flush=True)


def _pipelines_call(extract):
    """The extractor as that version's pipeline calls it: `extract_batch` where it exists (stop 25 on),
    before that one `extract_article` call per article."""
    if hasattr(extract, "extract_batch") and os.environ.get("COMPARE_PER_ARTICLE") != "1":
        return extract.extract_batch
    return lambda arts: [extract.extract_article(text, article_id=aid, published=pub) for aid, text, pub in arts]


class _Worker:
    def __init__(self, code_root: Path, corpus_path: Path, batch: int) -> None:
        env = dict(os.environ, PYTHONPATH=str(code_root), PYTHONHASHSEED="0")
        self.proc = subprocess.Popen([sys.executable, __file__, "--worker", str(corpus_path), str(batch)],
                                     cwd=code_root, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        if self.proc.stdout.readline().strip() != "ready":
            raise SystemExit(f"the worker for {code_root} did not start")

    def run(self, k: int) -> tuple[float, int]:
        self.proc.stdin.write(f"{k}\n")
        self.proc.stdin.flush()
        cpu, n = self.proc.stdout.readline().split()
        return float(cpu), int(n)

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait()


def compare(rev_root: Path, corpus_path: Path, rounds: int, batch: int, reps: int = 1) -> dict:
    workers = [_Worker(rev_root, corpus_path, batch), _Worker(ROOT, corpus_path, batch)]
    ratios, cpu, done = [], [0.0, 0.0], [0, 0]
    try:
        for k in range(rounds):
            took = [float("inf"), float("inf")]
            for r in range(reps):  # the least of `reps` runs: the machine's interruptions only ever add
                for j in ((0, 1) if (k + r) % 2 == 0 else (1, 0)):
                    cpu_s, n = workers[j].run(k)
                    took[j] = min(took[j], cpu_s)
            for j in (0, 1):
                cpu[j] += took[j]
                done[j] += n
            ratios.append(took[1] / took[0])
    finally:
        for w in workers:
            w.close()
    q1, _, q3 = statistics.quantiles(ratios, n=4)
    return {"rounds": rounds, "batch": batch, "reps": reps, "ratio_median": round(statistics.median(ratios), 3),
            "ratio_q1": round(q1, 3), "ratio_q3": round(q3, 3),
            "rev_articles_per_cpu_s": round(done[0] / cpu[0], 1), "this_articles_per_cpu_s": round(done[1] / cpu[1], 1)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rev", help="the version to compare with (a commit, a tag, HEAD)")
    ap.add_argument("--rounds", type=int, default=60, help="pairs of batches")
    ap.add_argument("--batch", type=int, default=50, help="articles per batch")
    ap.add_argument("--reps", type=int, default=1,
                    help="runs of each batch per version, the fastest kept (3-5 steady the figure)")
    ap.add_argument("--n", type=int, default=600, help="distinct articles in the corpus")
    ap.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker(Path(args.worker[0]), int(args.worker[1]))
        return 0
    if not args.rev:
        ap.error("--rev is required")

    sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
    from extract_speed import relevant_articles

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        corpus_path = tmp_path / "corpus.jsonl"
        corpus_path.write_text("".join(json.dumps([t, d.isoformat() if d else None]) + "\n"
                                       for t, d in relevant_articles(args.n)), encoding="utf-8")
        tree = tmp_path / "rev"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "--quiet", str(tree), args.rev], check=True)
        try:
            result = compare(tree, corpus_path, args.rounds, args.batch, args.reps)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=True)
    print(json.dumps({"rev": args.rev, **result}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

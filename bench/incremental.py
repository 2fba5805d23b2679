"""Incremental-run benchmark: what an unchanged rerun costs beyond Prefect's fixed start-up.

    ratio = (unchanged rerun - run over an empty source) / (first run - run over an empty source)

The target is <= 5%: an unchanged file is recognised by its fingerprint and not even parsed.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_corpus import generate
from run_bench import INCIDENTS, timed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--articles", type=int, default=50_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="incidents-incr-") as tmp:
        work = Path(tmp)
        corpus = generate(args.articles, work / "corpus.jsonl")
        empty = work / "empty.jsonl"
        empty.write_text("", encoding="utf-8")
        data = work / "data"

        def run(source: Path, data_dir: Path) -> float:
            wall, _, _, out, code = timed([INCIDENTS, "run", "--source", str(source), "--data-dir", str(data_dir), "--json"])
            if code != 0:
                raise SystemExit(f"run failed: {out[-2000:]}")
            return wall

        first = run(corpus, data)
        rerun = run(corpus, data)
        baseline = run(empty, work / "data-empty")
        baseline = min(baseline, run(empty, work / "data-empty"))  # warm Prefect database, like the rerun
        ratio = (rerun - baseline) / (first - baseline)
        print(json.dumps({
            "articles": args.articles,
            "first_s": round(first, 2),
            "unchanged_rerun_s": round(rerun, 2),
            "empty_source_s": round(baseline, 2),
            "ratio": round(ratio, 4),
        }))


if __name__ == "__main__":
    main()

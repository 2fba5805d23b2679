"""Speed of `transforms.batch.prepare_articles` (ids, text hashes, languages) on one core.

Generates `--n` articles with `make_corpus.generate` (2-3 KB each, a share of them relevant),
reads them back with json and times `prepare_articles` on batches of `--batch` records. Prints
one JSON object: articles per second and milliseconds per batch, best of `--repeat` runs after a
warm-up. To compare with another version of the code, run it with that version first on PYTHONPATH.

    .venv/bin/python bench/prepare_speed.py [--n 5000] [--batch 5000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_corpus import generate


def load_records(n: int, relevant_share: float) -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        path = generate(n, Path(tmp) / "corpus.jsonl", relevant_share=relevant_share)
        recs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    for rec in recs:  # what a source reader hands over: a source name and an aware datetime
        rec["source"] = "bench"
        rec["published"] = datetime.fromisoformat(rec["published"]).replace(tzinfo=UTC)
    return recs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=5000)
    ap.add_argument("--batch", type=int, default=5000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--relevant-share", type=float, default=0.2)
    args = ap.parse_args()

    from transforms.batch import prepare_articles

    recs = load_records(args.n, args.relevant_share)
    batches = [recs[i : i + args.batch] for i in range(0, len(recs), args.batch)]
    now = datetime.now(UTC)
    for batch in batches:  # warm-up: imports, lookup tables, first-touch memory
        prepare_articles(batch, run_id="bench", fetched_at=now)
    best = float("inf")
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        for batch in batches:
            prepare_articles(batch, run_id="bench", fetched_at=now)
        best = min(best, time.perf_counter() - t0)
    print(
        json.dumps(
            {
                "articles": len(recs),
                "batch": args.batch,
                "articles_per_s": round(len(recs) / best),
                "ms_per_batch": round(best * 1000 / len(batches), 1),
                "us_per_article": round(best * 1e6 / len(recs), 1),
            }
        )
    )


if __name__ == "__main__":
    main()

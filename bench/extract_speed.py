"""Extraction speed on one core: `transforms.extract.extract_article` alone, no I/O, no Prefect.

Prints one JSON object: articles per second for a realistic mix of seed-sized (2-3 KB) articles
(a share of them relevant, the rest ordinary news the prefilter rejects), for an all-relevant corpus
(`make_corpus.py` articles, every one a candidate), for irrelevant articles alone, and the seconds
for a 5 MB article and for 1 MB of one repeated cue word (the worst cases a feed can send). The mix and
the all-relevant corpus are timed twice: one `extract_article` call per article, and through
`extract_batch` (`*_batch_*` keys), which is how the pipeline calls the extractor.
Each figure is the best of `--repeat` runs, after a warm-up, with the gazetteer already loaded.

    .venv/bin/python bench/extract_speed.py [--n 1000] [--relevant-share 0.2]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_corpus import generate, neutral_texts


def irrelevant_articles(n: int, seed: int = 11) -> list[str]:
    from transforms.extract import is_candidate

    out = neutral_texts(n, seed)
    assert not any(is_candidate(t) for t in out)
    return out


def relevant_articles(n: int) -> list[tuple[str, date]]:
    with tempfile.TemporaryDirectory() as tmp:
        path = generate(n, Path(tmp) / "corpus.jsonl")
        recs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return [(r["text"], date.fromisoformat(r["published"])) for r in recs]


def rate(items: list[tuple[str, date | None]], repeat: int) -> float:
    from transforms.extract import extract_article

    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for text, published in items:
            extract_article(text, article_id="bench", published=published)
        best = min(best, time.perf_counter() - t0)
    return len(items) / best


def rate_batch(items: list[tuple[str, date | None]], repeat: int) -> float:
    from transforms.extract import extract_batch

    batch = [("bench", text, published) for text, published in items]
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        extract_batch(batch)
        best = min(best, time.perf_counter() - t0)
    return len(items) / best


def seconds(text: str, repeat: int) -> float:
    from transforms.extract import extract_article

    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        extract_article(text, article_id="bench", published=date(2025, 1, 2))
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1000, help="articles per corpus")
    ap.add_argument("--relevant-share", type=float, default=0.2, help="share of candidates in the mix")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core

    t0 = time.perf_counter()
    from transforms.extract import EXTRACTOR_VERSION, extract_article

    extract_article("Drones attacked Kyiv overnight.", article_id="warm-up")  # loads the gazetteer
    load_s = time.perf_counter() - t0

    relevant = relevant_articles(args.n)
    irrelevant = [(t, date(2025, 1, 2)) for t in irrelevant_articles(args.n)]
    k = round(args.n * args.relevant_share)
    mix = relevant[:k] + irrelevant[: args.n - k]
    random.Random(3).shuffle(mix)
    rate(relevant[:50], 1)  # warm-up

    big = "\n".join(t for t, _ in relevant)
    while len(big) < 5_000_000:
        big += "\n" + big
    result = {
        "extractor": EXTRACTOR_VERSION,
        "n": args.n,
        "relevant_share": args.relevant_share,
        "mix_articles_per_s": round(rate(mix, args.repeat)),
        "all_relevant_articles_per_s": round(rate(relevant, args.repeat)),
        "irrelevant_articles_per_s": round(rate(irrelevant, args.repeat)),
        "mix_batch_articles_per_s": round(rate_batch(mix, args.repeat)),
        "all_relevant_batch_articles_per_s": round(rate_batch(relevant, args.repeat)),
        "article_5mb_s": round(seconds(big[:5_000_000], args.repeat), 4),
        "repeated_word_1mb_s": round(seconds(("drone " * 180_000)[:1_000_000], args.repeat), 4),
        "gazetteer_load_s": round(load_s, 2),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()

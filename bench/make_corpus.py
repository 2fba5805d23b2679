"""Generate a large JSON Lines corpus from the shipped sample, for benchmarks.

Each generated article is 2-3 KB, built from the sample articles' sentences in a varied
order with a unique dateline, so every one has its own id and text hash (nothing is
deduplicated away) while the mix of relevant and irrelevant articles stays realistic.
"""

from __future__ import annotations

import argparse
import json
import random
from datetime import date, timedelta
from importlib import resources
from pathlib import Path


def sample_articles() -> list[dict]:
    path = resources.files("incidents") / "sample" / "articles.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def generate(n: int, out: Path, seed: int = 7) -> Path:
    rng = random.Random(seed)
    arts = sample_articles()
    start = date(2025, 1, 1)
    with open(out, "w", encoding="utf-8") as fh:
        for i in range(n):
            base = arts[i % len(arts)]
            lines = [ln for ln in base["text"].split("\n") if ln.strip()]
            while sum(len(x) for x in lines) < 2000:  # pad to a real article's size with its own kind of text
                other = arts[rng.randrange(len(arts))]
                lines += [ln for ln in other["text"].split("\n") if ln.strip()][:3]
            text = "\n".join(lines)[:3000]
            day = start + timedelta(days=i % 300)
            rec = {
                "article_id": f"bench-{i:07d}",
                "url": f"https://example.org/bench/{i}",
                "title": base.get("title"),
                "published": day.isoformat(),
                "text": f"Dispatch {i} ({day.isoformat()}).\n{text}",
            }
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return out


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("n", type=int)
    ap.add_argument("out", type=Path)
    args = ap.parse_args()
    generate(args.n, args.out)

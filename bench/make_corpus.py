"""Generate a large JSON Lines corpus from the shipped sample, for benchmarks.

Each generated article is 2-3 KB with a unique dateline, so every one has its own id and
text hash (nothing is deduplicated away). Relevant articles are built from the sample
articles' sentences (dense: ~7 incidents each); with `--relevant-share` below 1, the rest
are ordinary news (budgets, weather, culture) that the extractor's prefilter rejects, as
most of a real news feed is.
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


# Ordinary news with no weapon, shelling or air-defence word: what the prefilter drops.
NEUTRAL = (
    "The city council in Kyiv approved the new budget for public transport on Tuesday.",
    "Farmers near Poltava expect a good wheat harvest after a warm and rainy spring.",
    "The central bank kept its key rate unchanged, citing slowing inflation.",
    "A new exhibition of contemporary painters opened at the museum in Lviv.",
    "Schools in the Moscow region will switch to the winter timetable next week.",
    "Мэрия Москвы объявила о ремонте трех станций метро летом.",
    "В Новосибирске прошел городской марафон, в нем участвовали пять тысяч бегунов.",
    "Цены на бензин в регионах выросли на два процента за месяц.",
    "У Києві відкрили нову бібліотеку для дітей та підлітків.",
    "Синоптики прогнозують у четвер сонячну погоду та до двадцяти градусів тепла.",
    "Уряд ухвалив програму підтримки малого бізнесу на наступний рік.",
)


def neutral_texts(n: int, seed: int = 11) -> list[str]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        parts: list[str] = [f"Bulletin {i}."]
        while sum(len(p) for p in parts) < 2500:
            parts.append(rng.choice(NEUTRAL))
        out.append("\n".join(parts)[:3000])
    return out


def generate(n: int, out: Path, seed: int = 7, relevant_share: float = 1.0) -> Path:
    rng = random.Random(seed)
    arts = sample_articles()
    start = date(2025, 1, 1)
    with open(out, "w", encoding="utf-8") as fh:
        for i in range(n):
            if rng.random() >= relevant_share:
                day = start + timedelta(days=i % 300)
                rec = {"article_id": f"bench-{i:07d}", "url": f"https://example.org/bench/{i}",
                       "published": day.isoformat(), "text": neutral_texts(1, seed=i)[0].replace("Bulletin 0", f"Bulletin {i}")}
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
                continue
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
    ap.add_argument("--relevant-share", type=float, default=1.0)
    args = ap.parse_args()
    generate(args.n, args.out, relevant_share=args.relevant_share)

"""`incidents eval`: score extraction on annotated articles through the flow's own path.

The gold file is read as a JSON Lines source and goes through the same record preparation
and batch extraction the pipeline runs, so what is scored is what gets loaded.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from transforms.batch import extract_incidents, prepare_articles
from transforms.scoring import score


def _published(value: str | None) -> datetime | None:
    if not value:
        return None
    dt = datetime.fromisoformat(value)
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def evaluate_records(gold: list[dict]) -> dict:
    records = [
        {
            "article_id": g["article_id"],
            "url": g.get("url"),
            "title": g.get("title"),
            "published": _published(g.get("published")),
            "text": g["text"],
            "language": g.get("language"),
            "source": "gold",
        }
        for g in gold
    ]
    articles = prepare_articles(records, run_id="eval", fetched_at=datetime.now(UTC))
    table, errors = extract_incidents(articles, run_id="eval")
    if errors:  # a crash on a gold article is a bug to see, not a silent miss
        raise ValueError(f"extraction failed: {errors[0]['article_id']}: {errors[0]['reason']}")
    incidents = table.to_pylist()
    predicted: dict[str, list[dict]] = {g["article_id"]: [] for g in gold}
    for inc in incidents:
        predicted[inc["article_id"]].append(inc)
    return score(gold, predicted)


def evaluate_file(path: Path) -> dict:
    gold = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                gold.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"line {n} is not valid JSON: {exc.msg}") from None
    return evaluate_records(gold)

"""`incidents eval`: score extraction on annotated articles through the flow's own path.

The gold file is read as a JSON Lines source and goes through the same record preparation
and batch extraction the pipeline runs, so what is scored is what gets loaded.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa

from sources import SourceSpec, detect_kind, read_source
from transforms.batch import extract_incidents, prepare_articles
from transforms.identity import article_id
from transforms.scoring import score


def _published(value: str | None) -> datetime | None:
    if not value:
        return None
    dt = datetime.fromisoformat(value)
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def extract_gold(gold: list[dict]) -> tuple[pa.Table, pa.Table]:
    """The gold texts as articles, and the incidents the pipeline's extraction finds in them."""
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
    return articles, table


def predicted_by_article(gold: list[dict], incidents: pa.Table) -> dict[str, list[dict]]:
    predicted: dict[str, list[dict]] = {g["article_id"]: [] for g in gold}
    for inc in incidents.to_pylist():
        predicted[inc["article_id"]].append(inc)
    return predicted


def evaluate_records(gold: list[dict]) -> dict:
    _, table = extract_gold(gold)
    return score(gold, predicted_by_article(gold, table))


def read_gold(path: Path, texts: Path | None = None) -> list[dict]:
    """Gold records; those with a `locator` instead of a `text` get their article from `texts`.

    A locator is `{"file": "<path under texts>", "article_id": "<id in that JSON Lines file>"}`: the
    annotations of a blind set are kept without the publishers' text, which stays where it came from."""
    gold = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                gold.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"line {n} is not valid JSON: {exc.msg}") from None
    located = [g for g in gold if "text" not in g and g.get("locator")]
    if located:
        _fill_from_locators(located, texts if texts is not None else DEFAULT_TEXTS)
    return gold


DEFAULT_TEXTS = Path("../shared")
_ARTICLE_KEYS = ("text", "published", "title", "url", "source")


def _articles_in(source: Path) -> dict[str, dict]:
    """Articles of one located file by id: a JSON Lines file of articles is read as it is; any
    other source (a CSV dump, a folder of texts, a feed) goes through the pipeline's own reader
    and gets the pipeline's article ids, so a blind set scores the rows a run would load."""
    if source.is_file() and source.suffix == ".jsonl":
        with open(source, encoding="utf-8") as fh:
            return {a["article_id"]: a for a in map(json.loads, filter(str.strip, fh))}
    spec = SourceSpec(name=source.name, kind=detect_kind(str(source)), location=str(source))
    batches, _, _ = read_source(spec)
    found: dict[str, dict] = {}
    for batch in batches:
        for record in batch.records:
            record["article_id"] = article_id(record)
            if isinstance(record.get("published"), datetime):
                record["published"] = record["published"].isoformat()
            found.setdefault(record["article_id"], record)
    return found


def _fill_from_locators(records: list[dict], texts: Path) -> None:
    by_file: dict[str, dict[str, dict]] = {}
    for rec in records:
        loc = rec["locator"]
        if loc["file"] not in by_file:
            source = texts / loc["file"]
            if not source.exists():
                raise ValueError(f"{rec['article_id']}: text file {source} not found (give --texts DIR)")
            by_file[loc["file"]] = _articles_in(source)
        article = by_file[loc["file"]].get(loc["article_id"])
        if article is None:
            raise ValueError(f"{rec['article_id']}: {loc['article_id']} is not in {loc['file']}")
        for key in _ARTICLE_KEYS:
            rec.setdefault(key, article.get(key))


def evaluate_file(path: Path, texts: Path | None = None) -> dict:
    return evaluate_records(read_gold(path, texts))

"""Extraction quality on the shared dev set (gold/README.md scoring). Skipped when ../shared is absent.

Thresholds are what the rules reach today with a margin for gazetteer updates; they are the
project's targets (overall F1 >= 0.90, each type >= 0.85, field accuracy >= 0.90).
"""

import json
from datetime import date
from pathlib import Path

import pytest

from transforms.extract import extract_article
from transforms.scoring import format_table, score

DEV = Path(__file__).resolve().parents[1].parent / "shared" / "gold" / "dev.jsonl"


@pytest.fixture(scope="module")
def result():
    if not DEV.exists():
        pytest.skip("shared dev set not available")
    gold = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    predicted = {}
    for rec in gold:
        published = date.fromisoformat(rec["published"]) if rec.get("published") else None
        predicted[rec["article_id"]] = extract_article(rec["text"], article_id=rec["article_id"],
                                                       published=published, title=rec.get("title"))
    res = score(gold, predicted)
    res["negatives"] = {rec["article_id"] for rec in gold if not rec["incidents"]}
    print("\n" + format_table(res, res["misses"]))
    return res


def test_overall_f1(result):
    assert result["overall"]["f1"] >= 0.93
    assert result["overall"]["precision"] >= 0.93


@pytest.mark.parametrize("event_type", ["interception", "strike", "debris"])
def test_f1_per_type(result, event_type):
    assert result["by_type"][event_type]["f1"] >= 0.90


@pytest.mark.parametrize("field", ["admin2", "quantity", "killed", "injured", "weapon"])
def test_field_accuracy(result, field):
    assert result["fields"][field] >= 0.92


def test_negative_articles_yield_nothing(result):
    spurious_in_negatives = [m for m in result["misses"] if m["kind"] == "spurious"
                             and m["article_id"] in result["negatives"]]
    assert len(result["negatives"]) >= 5
    assert spurious_in_negatives == []

"""Extraction quality on the shared dev set (gold/README.md scoring). Skipped when ../shared is absent.

Thresholds are what the rules reach today less a small margin; the issue's target for the whole set is
F1 >= 0.93.
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


# Thresholds sit within 0.03 of what the rules reach (bench/README.md has the figures). The 44 records
# the rules were written against ("old") are an upper bound; the 45 added on 2026-12-06 (ids a-, b-, c-)
# were scored before any rule was changed for them.
NEW = ("a-", "b-", "c-")


@pytest.fixture(scope="module")
def split_f1(result):
    gold = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    out = {}
    for name, keep in (("old", lambda a: not a.startswith(NEW)), ("new", lambda a: a.startswith(NEW))):
        recs = [r for r in gold if keep(r["article_id"])]
        predicted = {r["article_id"]: extract_article(
            r["text"], article_id=r["article_id"],
            published=date.fromisoformat(r["published"]) if r.get("published") else None) for r in recs}
        out[name] = score(recs, predicted)["overall"]["f1"]
    return out


def test_overall_f1(result):
    assert result["overall"]["f1"] >= 0.93
    assert result["overall"]["precision"] >= 0.945


@pytest.mark.parametrize(("subset", "minimum"), [("old", 0.97), ("new", 0.905)])
def test_f1_old_and_new_records(split_f1, subset, minimum):
    assert split_f1[subset] >= minimum


@pytest.mark.parametrize(("event_type", "minimum"), [("interception", 0.94), ("strike", 0.92), ("debris", 0.905)])
def test_f1_per_type(result, event_type, minimum):
    assert result["by_type"][event_type]["f1"] >= minimum


@pytest.mark.parametrize(("field", "minimum"), [("admin2", 0.97), ("locality", 0.93), ("quantity", 0.915),
                                                ("killed", 0.925), ("injured", 0.915), ("weapon", 0.92)])
def test_field_accuracy(result, field, minimum):
    assert result["fields"][field] >= minimum


def test_negative_articles_yield_nothing(result):
    spurious_in_negatives = [m for m in result["misses"] if m["kind"] == "spurious"
                             and m["article_id"] in result["negatives"]]
    assert len(result["negatives"]) >= 5
    assert spurious_in_negatives == []

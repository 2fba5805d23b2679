"""Extraction quality on the blind set: 160 real articles of ../shared/inputs/articles, annotated by
gold/README.md before the extractor's output was looked at (two annotators, disagreements adjudicated).

The repository keeps only the annotations and a locator of each article; the texts are read from
../shared at test time (skipped when it is absent). Half the set (`split: open`) was used for error
analysis while rules were written; the `sealed` half never was, so its figure is the honest one.
Thresholds sit a little under what the extractor reaches (bench/README.md has the figures).
"""

import json
from pathlib import Path

import pytest

from incidents.evaluate import evaluate_records, read_gold
from transforms.scoring import format_table

ROOT = Path(__file__).resolve().parents[1]
BLIND = ROOT / "tests" / "blind" / "pages_2026-12.jsonl"
SHARED = ROOT.parent / "shared"
KEYS = {"event_type", "weapon", "country", "admin1", "admin2", "locality", "quantity", "killed", "injured"}


def test_annotations_carry_no_article_text():
    records = [json.loads(line) for line in BLIND.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(records) >= 150
    assert len({r["article_id"] for r in records}) == len(records)
    for r in records:
        assert "text" not in r and "title" not in r, r["article_id"]
        assert r["locator"]["file"].startswith("inputs/") and r["locator"]["article_id"] == r["article_id"]
        assert r["split"] in ("open", "sealed")
        assert all(set(i) == KEYS for i in r["incidents"]), r["article_id"]


@pytest.fixture(scope="module")
def results():
    if not (SHARED / "inputs").exists():
        pytest.skip("../shared/inputs not available")
    gold = read_gold(BLIND, SHARED)
    out = {"all": evaluate_records(gold)}
    for split in ("open", "sealed"):
        out[split] = evaluate_records([g for g in gold if g["split"] == split])
    for lang in ("en", "ru", "uk"):
        out[lang] = evaluate_records([g for g in gold if g["language"] == lang])
    print("\n" + format_table(out["all"]))
    return out


@pytest.mark.parametrize(("scope", "minimum"), [("all", 0.74), ("open", 0.78), ("sealed", 0.70)])
def test_f1(results, scope, minimum):
    assert results[scope]["overall"]["f1"] >= minimum


@pytest.mark.parametrize(("lang", "minimum"), [("en", 0.66), ("ru", 0.79), ("uk", 0.79)])
def test_f1_per_language(results, lang, minimum):
    assert results[lang]["overall"]["f1"] >= minimum


@pytest.mark.parametrize(("field", "minimum"), [("weapon", 0.81), ("quantity", 0.87), ("killed", 0.80),
                                                ("injured", 0.76), ("locality", 0.81)])
def test_field_accuracy(results, field, minimum):
    assert results["all"]["fields"][field] >= minimum

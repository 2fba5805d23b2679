"""Extraction quality on the blind sets, annotated by gold/README.md before the extractor's output was
looked at (two annotators each, disagreements adjudicated):

- `pages`: 160 real articles of ../shared/inputs/articles. Its `sealed` half was opened for error
  analysis on 2026-12-06 after scoring F1 0.730 (records marked `sealed_until`);
- `channels`: 105 posts of ../shared/inputs/telegram (the Russian MoD channel, a Ukrainian drone-news
  channel) and the GDELT texts of ../shared/inputs/text;
- `feeds`: 119 more Telegram posts and RSS/JSON feed items of ../shared/inputs/feeds, annotated on
  2026-12-06 and sealed since (its figure at the start of that day was F1 0.857);
- `synth`: 90 texts of our own (30 en, 30 ru, 30 uk: governors' posts, Air Force and MoD lists, wire
  pieces with background, city strikes, hard negatives; fictional events at real places), written and
  annotated on 2026-12-07 by a helper that never saw the extractor. The texts are ours, so they are
  kept with the annotations. Its sealed half (even ids) scored F1 0.878 before that day's rules;
- `synth2`: 90 more of our own (40 en, 25 ru, 25 uk; wire and newspaper pieces, feed items, MoD lists,
  drone-unit and General Staff posts, governors, oblast summaries, 16 hard negatives), written the same
  way later that day and first scored after that day's rules were written: F1 0.825 before, 0.845 after;
- `synth3`: 70 more (35 en, 20 ru, 15 uk; wire pieces, English digests of Russian sources with Russian-style
  spellings, live-blog items, governors' and oblast posts, 12 hard negatives) and `synth4`: 70 more (15 en,
  28 ru, 27 uk; Russian governors' posts, MoD lists, Russian reports on Ukrainian places, oblast
  administrations' daily summaries by hromada, Air Force summaries, 12 hard negatives), written and annotated
  on 2026-12-07 (second day) by two helpers that never saw the extractor, and first scored with that
  morning's code: F1 0.911 and 0.860 (the code of the start of issue 10, f34d52d: 0.787 and 0.657); after
  that day's and the next day's rules: 0.928 and 0.912 (sealed halves 0.917 -> 0.927 and 0.863 -> 0.863).

Locators name the article by the id the pipeline's own source readers give it. The repository keeps only
annotations; texts are read from ../shared at test time (skipped when it is absent). Records marked
`open` may be read for error analysis; `sealed` ones never are. Thresholds sit a little under what the
extractor reaches (bench/README.md has the figures).
"""

import json
from pathlib import Path

import pytest

from incidents.evaluate import evaluate_records, read_gold
from transforms.scoring import format_table

ROOT = Path(__file__).resolve().parents[1]
SETS = {name: ROOT / "tests" / "blind" / f"{name}_2026-12.jsonl"
        for name in ("pages", "channels", "feeds", "synth", "synth2", "synth3", "synth4")}
OWN_TEXTS = {"synth": 90, "synth2": 90, "synth3": 70, "synth4": 70}
SHARED = ROOT.parent / "shared"
KEYS = {"event_type", "weapon", "country", "admin1", "admin2", "locality", "quantity", "killed", "injured"}


@pytest.mark.parametrize(("name", "size"), [("pages", 150), ("channels", 100), ("feeds", 110)])
def test_annotations_carry_no_article_text(name, size):
    records = [json.loads(line) for line in SETS[name].read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(records) >= size
    assert len({r["article_id"] for r in records}) == len(records)
    for r in records:
        assert "text" not in r and "title" not in r, r["article_id"]
        assert r["locator"]["file"].startswith("inputs/") and r["locator"]["article_id"] == r["article_id"]
        assert r["split"] in ("open", "sealed")
        assert all(set(i) == KEYS for i in r["incidents"]), r["article_id"]


@pytest.mark.parametrize("name", sorted(OWN_TEXTS))
def test_the_own_texts_sets_are_complete_and_split(name):
    records = [json.loads(line) for line in SETS[name].read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(records) == OWN_TEXTS[name] and len({r["article_id"] for r in records}) == len(records)
    assert {r["language"] for r in records} == {"en", "ru", "uk"}
    for r in records:
        assert r["text"] and r["source"].startswith("own text") and r["split"] in ("open", "sealed")
        assert all(set(i) == KEYS for i in r["incidents"]), r["article_id"]


def _score(name: str) -> dict:
    if name not in OWN_TEXTS and not (SHARED / "inputs").exists():
        pytest.skip("../shared/inputs not available")
    gold = read_gold(SETS[name], SHARED)
    assert all(g.get("text") for g in gold)  # every locator found its article through the source readers
    groups = {"all": gold, "sealed": [g for g in gold if g["split"] == "sealed"],
              "was-sealed": [g for g in gold if g.get("sealed_until")]}
    groups.update({lang: [g for g in gold if g["language"] == lang] for lang in ("en", "ru", "uk")})
    out = {k: evaluate_records(v) for k, v in groups.items() if v}
    print("\n" + format_table(out["all"]))
    return out


@pytest.fixture(scope="module")
def scores() -> dict:
    return {name: _score(name) for name in SETS}


@pytest.mark.parametrize(("name", "scope", "minimum"), [
    ("pages", "all", 0.86), ("pages", "was-sealed", 0.86), ("pages", "en", 0.84), ("pages", "ru", 0.855),
    ("pages", "uk", 0.86),
    ("channels", "all", 0.875), ("channels", "sealed", 0.93),
    ("feeds", "all", 0.845), ("feeds", "sealed", 0.845), ("feeds", "ru", 0.94),
    ("synth", "all", 0.93), ("synth", "sealed", 0.905), ("synth2", "all", 0.89), ("synth2", "sealed", 0.83),
    ("synth3", "all", 0.905), ("synth3", "sealed", 0.90), ("synth4", "all", 0.885), ("synth4", "sealed", 0.84),
])
def test_f1(scores, name, scope, minimum):
    assert scores[name][scope]["overall"]["f1"] >= minimum


@pytest.mark.parametrize(("field", "minimum"), [("weapon", 0.91), ("quantity", 0.88), ("killed", 0.865),
                                                ("injured", 0.845), ("locality", 0.885)])
def test_pages_field_accuracy(scores, field, minimum):
    assert scores["pages"]["all"]["fields"][field] >= minimum


@pytest.mark.parametrize("name", ["channels", "feeds"])
def test_interceptions_of_the_channels(scores, name):
    assert scores[name]["all"]["by_type"]["interception"]["f1"] >= 0.94

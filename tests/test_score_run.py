"""bench/score_run.py's own scorer (the independent check of the `incidents` table) on hand-made records.

Made-up places and figures; no pipeline run, no shared files."""

from __future__ import annotations

import pytest
from conftest import bench_module

sr = bench_module("score_run")


def inc(event_type="strike", admin1="UA-99", admin2=None, locality=None, weapon="drone", quantity=None,
        killed=None, injured=None, country="UA"):
    return {"event_type": event_type, "weapon": weapon, "country": country, "admin1": admin1, "admin2": admin2,
            "locality": locality, "quantity": quantity, "killed": killed, "injured": injured}


def test_names_normalise_by_the_readme_steps():
    n = sr.normalise_name
    # generic words and adjectival endings, then the final "-sk" of a word longer than 4 letters
    assert n("Lisohirskyi raion") == n("Lisohirsk district") == n("Lisohirsk") == "lisohir"
    assert n("Tumanovsky") == n("Tumanovsky urban okrug") == n("Tumanovsk municipal district") == "tumanov"
    assert n("Krasnoborskaya") == n("Krasnoborskiy") == n("Krasnoborskii") == n("Krasnoborskoy") == "krasnobor"
    assert n("Vodianska hromada") == n("Vodianska community") == n("Vodianska") == "vodian"
    assert n("Dolsk") == "dol" and n("Vask") == "vask"  # "-sk" only cut from words longer than 4 letters
    assert n("Zelenodolskyy city") == n("Zelenodolski oblast region krai") == "zelenodol"
    assert n("Hlyboke settlement") == "hlyboke"
    # Cyrillic and diacritics become ASCII first
    assert n("Вільшанський район") == n("Vilshanskyi raion") == "vilshan"
    assert n("Зеленодольский район") == n("Zelenodolsky district") == "zelenodol"
    assert n("Kam'ianka-Dolsk") == n("Kamianka Dolsk") == "kamianka dol"
    assert n("Zábřeží") == "zabrezi"
    assert n(None) is None and n("district") is None


def test_match_needs_type_admin1_and_gold_admin2():
    assert sr.can_match(inc(), inc(admin2="Tumanovsky", locality="Ozerki"))  # gold admin2 null: any district
    assert sr.can_match(inc(admin2="Tumanovsky district"), inc(admin2="Tumanovsk"))
    assert not sr.can_match(inc(admin2="Tumanovsky"), inc(admin2=None))
    assert not sr.can_match(inc(admin2="Tumanovsky"), inc(admin2="Krasnoborsky"))
    assert not sr.can_match(inc(), inc(event_type="debris"))
    assert not sr.can_match(inc(), inc(admin1="RU-XXA"))


def test_duplicate_predictions_count_once():
    gold = [{"article_id": "uk-1", "language": "uk", "incidents": [inc("interception", quantity=7, killed=0, injured=0)]}]
    row = inc("interception", quantity=7, killed=0, injured=0)
    res = sr.score(gold, {"uk-1": [dict(row), dict(row)]})
    assert (res["overall"]["tp"], res["overall"]["fp"], res["overall"]["fn"]) == (1, 1, 0)
    assert res["overall"]["precision"] == 0.5 and res["overall"]["recall"] == 1.0
    assert res["overall"]["f1"] == pytest.approx(2 / 3)
    assert res["fields"]["quantity"] == 1.0


def test_one_to_one_matching_is_maximal_and_prefers_the_same_place():
    gold = [inc(locality="Ozerki", killed=2), inc(admin2="Tumanovsky", locality="Pesky", injured=3)]
    # a greedy pass giving the first gold the first row would lose the second pair
    pred = [inc(admin2="Tumanovsk district", locality="Pesky", injured=3), inc(locality="Ozerki", killed=2)]
    assert sr.match_article(gold, pred) == [(0, 1), (1, 0)]
    # among maximal matchings: the same village first, even against agreeing counts
    gold = [inc("debris", locality="Ozerki", injured=1), inc("debris", locality="Pesky", injured=2)]
    pred = [inc("debris", locality="Pesky", injured=1), inc("debris", locality="Ozerki", injured=2)]
    assert sr.match_article(gold, pred) == [(0, 1), (1, 0)]
    # a region-level row is the region-level gold incident, not the village's
    gold = [inc(locality="Ozerki", weapon="artillery", killed=1), inc(killed=4)]
    pred = [inc(killed=1)]
    assert sr.match_article(gold, pred) == [(1, 0)]


def test_scores_by_type_language_and_fields():
    gold = [
        {"article_id": "en-1", "language": "en", "split": "open", "incidents": [
            inc("strike", admin1="RU-XXA", admin2="Krasnoborsky", locality="Krasnoborsk", quantity=1, killed=0, injured=0),
            inc("interception", admin1="RU-XXA", quantity=12)]},
        {"article_id": "ru-1", "language": "ru", "split": "sealed", "incidents": [
            inc("interception", admin1="RU-XXB", quantity=5, killed=None, injured=None),
            inc("debris", admin1="RU-XXB", locality="Tumanovo", injured=2)]},
        {"article_id": "uk-1", "language": "uk", "split": "sealed", "incidents": []},
    ]
    predicted = {
        "en-1": [inc("strike", admin1="RU-XXA", admin2="Krasnoborskiy district", locality="Krasnoborsk city",
                     quantity=1, killed=0, injured=None),  # injured: null is not 0
                 inc("interception", admin1="RU-XXA", admin2="Vodiansky", quantity=12)],  # inferred district
        "ru-1": [inc("interception", admin1="RU-XXB", quantity=4),
                 inc("debris", admin1="RU-XXB", locality="Tumanovka", injured=2),
                 inc("strike", admin1="RU-XXC")],
        "uk-1": [inc("strike", admin1="UA-99", locality="Vodianska hromada")],  # every row of a negative is fp
    }
    res = sr.score(gold, predicted)
    assert (res["overall"]["tp"], res["overall"]["fp"], res["overall"]["fn"]) == (4, 2, 0)
    assert res["overall"]["precision"] == pytest.approx(4 / 6) and res["overall"]["recall"] == 1.0
    assert res["by_type"]["strike"] == {"precision": 1 / 3, "recall": 1.0, "f1": 0.5, "tp": 1, "fp": 2, "fn": 0}
    assert res["by_type"]["debris"]["f1"] == 1.0 and res["by_type"]["interception"]["f1"] == 1.0
    assert res["by_language"]["en"]["f1"] == 1.0
    assert res["by_language"]["ru"]["precision"] == pytest.approx(2 / 3)
    assert res["by_language"]["uk"] == {"precision": 0.0, "recall": None, "f1": 0.0, "tp": 0, "fp": 1, "fn": 0}
    assert res["by_split"]["sealed"]["tp"] == 2 and res["by_split"]["sealed"]["fp"] == 2
    # admin2: only the pair whose gold names a district; locality: only the pairs whose gold names one
    assert res["field_counts"]["admin2"] == {"correct": 1, "compared": 1}
    assert res["field_counts"]["locality"] == {"correct": 1, "compared": 2}  # Tumanovka is not Tumanovo
    assert res["field_counts"]["quantity"] == {"correct": 3, "compared": 4}  # 4 drones against 5
    assert res["fields"]["injured"] == 0.75 and res["fields"]["killed"] == 1.0 and res["fields"]["weapon"] == 1.0


def test_nothing_to_count_is_null_not_perfect():
    res = sr.score([{"article_id": "x", "language": "ru", "incidents": []}], {})
    assert res["overall"] == {"precision": None, "recall": None, "f1": None, "tp": 0, "fp": 0, "fn": 0}
    assert res["by_type"]["debris"]["f1"] is None
    assert all(v is None for v in res["fields"].values())


def test_table_ids_come_from_the_locator():
    located = {"article_id": "set-7", "locator": {"file": "inputs/x.csv", "article_id": "h:0011223344556677"}}
    assert sr.gold_key(located) == "h:0011223344556677"
    assert sr.gold_key({"article_id": "dev-3", "text": "..."}) == "dev-3"

"""Bad input never crashes, cost stays linear, and the API contract holds."""

import json
import random
import time
from datetime import date

import pytest

from transforms.extract import EXTRACTOR_VERSION, extract_article, is_candidate

KEYS = {"event_type", "weapon", "country", "admin1", "admin2", "locality", "latitude", "longitude", "geo_precision",
        "event_date", "date_precision", "quantity", "killed", "injured", "evidence", "evidence_start", "evidence_end"}


@pytest.mark.parametrize("text", [
    "", " ", "<p></p><div><br/></div>", "\x00\x01\x02\ufffd" * 50, "\u200b\u200e\u202eдрон\u202c" * 20,
    "ракета" * 1000, "Drone Дрон Дрон drone збито сбит shot down" * 30, "12345678901234567890 drones",
    "\n" * 500 + "дрон", "над Курской областью сбит беспилотник" + "!" * 5000,
])
def test_junk_never_crashes(text):
    out = extract_article(text, article_id="junk")
    assert isinstance(out, list)
    for inc in out:
        assert set(inc) == KEYS
        assert text[inc["evidence_start"]:inc["evidence_end"]] == inc["evidence"]


def test_random_bytes_never_crash():
    rnd = random.Random(7)
    alphabet = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґ abc.,;:!?-—«»()'’\n0123456789" + "\u200b\u202e"
    for _ in range(200):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 400))) + " дрон сбит над Курском"
        for inc in extract_article(text, article_id="r"):
            assert text[inc["evidence_start"]:inc["evidence_end"]] == inc["evidence"]


def test_absurd_numbers_are_kept():
    out = extract_article("Air defence destroyed 10,000,000 drones over the Bryansk region.", article_id="a")
    assert [i["quantity"] for i in out] == [10_000_000]


def test_contract_fields():
    text = "Уночі над Харківщиною сили ППО збили чотири шахеди, уламки пошкодили будинок. Постраждалих немає."
    out = extract_article(text, article_id="k", published=date(2025, 3, 1), language="ru")
    assert out and all(set(i) == KEYS for i in out)
    for inc in out:
        assert inc["geo_precision"] in {"admin1", "admin2", "locality"}
        assert inc["date_precision"] in {"day", "month", "unknown"}
        assert inc["country"] == "UA" and inc["admin1"] == "UA-63"
    assert EXTRACTOR_VERSION.startswith("rules-") and "+gaz-" in EXTRACTOR_VERSION


def test_prefilter():
    assert is_candidate("Над Брянской областью сбит беспилотник")
    assert is_candidate("Drones attacked the port overnight")
    assert not is_candidate("The city council approved the new budget for schools.")
    assert not is_candidate("")


def test_huge_inputs_are_fast():
    big = ("Над Брянской областью сбит беспилотник, пострадавших нет. " * 100_000)[:5_000_000]
    start = time.perf_counter()
    extract_article(big, article_id="big")
    extract_article("дрон" * 250_000, article_id="word")  # 1 MB of one repeated word
    extract_article("drone " * 200_000, article_id="words")
    assert time.perf_counter() - start < 3.0


def test_irrelevant_articles_are_almost_free():
    text = ("The city council met on Tuesday to discuss the budget for schools, parks and public transport; "
            "officials said the plan would be published next week after a public consultation. ") * 18
    assert len(text) > 3000 and not is_candidate(text)
    start = time.perf_counter()
    for i in range(3000):
        extract_article(text, article_id=str(i))
    assert time.perf_counter() - start < 1.0  # well over 5,000 articles/s


def test_war_article_speed_is_bounded():
    text = ("Overnight air defence shot down 12 drones over the Bryansk region, the governor said. "
            "Debris of a downed drone fell on a house in the village of Pogar, damaging the roof; nobody was hurt. "
            "In Kursk, a drone hit a car, injuring two people. Officials in the Belgorod region reported shelling "
            "of Shebekino, where three houses were damaged. ") * 8
    extract_article(text, article_id="warm")
    start = time.perf_counter()
    for i in range(50):
        extract_article(text, article_id=str(i))
    per_article = (time.perf_counter() - start) / 50
    assert per_article < 0.05  # measured ~5-10 ms for 3 KB on one core; generous for loaded CI machines


@pytest.fixture(scope="module")
def fresh_interpreters() -> list[dict]:
    """The extractor in three fresh interpreters, one per hash seed: the `transforms.` modules
    importing it loaded, and the incidents of one article (one process per seed serves both tests
    below: a start costs seconds)."""
    import os
    import subprocess
    import sys

    script = ("import json, sys; from transforms.extract import extract_article; "
              "loaded = sorted(m for m in sys.modules if m.startswith('transforms.')); "
              "t = 'Overnight air defence shot down a drone over Tula; its debris hit a block of flats in Tula, "
              "injuring one man. Drones also struck Bryansk and Kursk.'; "
              "print(json.dumps({'loaded': loaded, 'incidents': [(i['event_type'], i['admin1']) "
              "for i in extract_article(t, article_id='a')]}))")
    runs = []
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True).stdout
        runs.append(json.loads(out))
    return runs


def test_incident_order_does_not_depend_on_the_hash_seed(fresh_interpreters):
    outs = {json.dumps(run["incidents"]) for run in fresh_interpreters}
    assert len(outs) == 1 and len(json.loads(outs.pop())) >= 3


def test_the_rules_version_covers_every_module_the_extractor_loads(fresh_interpreters):
    """EXTRACTOR_VERSION digests RULE_MODULES' source: a module the extractor loads but the list lacks
    could change what is extracted without a new version, and `reprocess` would skip the old rows."""
    from transforms.extract import RULE_MODULES, RULES_VERSION

    loaded = fresh_interpreters[0]["loaded"]  # after `import transforms.extract`, before any extraction
    # a compiled module (tools/build_native.py) comes with its code as `<name>__mypyc`: the same source
    assert {m.removeprefix("transforms.").removesuffix("__mypyc") for m in loaded} == set(RULE_MODULES)
    assert len(RULES_VERSION) == 12 and EXTRACTOR_VERSION.startswith(f"rules-{RULES_VERSION}+gaz-")

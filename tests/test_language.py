from transforms.language import detect_language


def test_english():
    assert detect_language("Air defence shot down two drones over the region, the governor said.") == "en"


def test_russian_vs_ukrainian_letters():
    assert detect_language("Над областью сбиты три беспилотника, пострадавших нет.") == "ru"
    assert detect_language("Над областю збито три безпілотники, постраждалих немає.") == "uk"


def test_russian_without_distinctive_letters_defaults_to_russian():
    assert detect_language("Дроны атаковали город ночью") == "ru"


def test_other_and_empty():
    assert detect_language("") == "other"
    assert detect_language("12345 !!! ???") == "other"
    assert detect_language("Die Flugabwehr hat über der Stadt mehrere Drohnen abgeschossen, sagte er heute.") == "other"


def test_feed_claim_is_ignored_and_long_text_is_fast():
    text = "Вночі ворог атакував місто дронами. " * 50_000
    assert detect_language(text) == "uk"


# --- detect_languages (batch) must equal a plain per-text reading of the same rules ---------------

import random
import re

import pyarrow as pa

from transforms.language import detect_languages

_UK_ONLY, _RU_ONLY = set("іїєґІЇЄҐ"), set("ыэъёЫЭЪЁ")
_WORDS = re.compile(r"\b(?:the|and|of|to|in|was|were|is|on|for|with|by|said|has|have|from)\b", re.ASCII)


def _reference(text: str | None) -> str:
    """The rules written out per text with Python str operations (lower() as Arrow's utf8_lower)."""
    sample = (text or "")[:4000]
    cyr = sum(1 for c in sample if "\u0400" <= c <= "\u04ff")
    lat = sum(1 for c in sample if c.isascii() and c.isalpha())
    uk = sum(1 for c in sample if c in _UK_ONLY)
    ru = sum(1 for c in sample if c in _RU_ONLY)
    words = len(_WORDS.findall(sample.lower())) if cyr + lat >= 20 and lat > cyr else 0

    def cyrillic() -> str:
        return "ru" if uk == ru == 0 else ("uk" if uk >= ru else "ru")

    if cyr + lat == 0:
        return "other"
    if cyr + lat < 20:
        return "en" if lat > cyr else cyrillic()
    if cyr >= lat:
        return cyrillic()
    return "en" if words * 40 >= lat / 5 or words >= 20 else "other"


_SENTENCES = [
    "Two drones were shot down near the river port before dawn, officials said.",
    "The mayor said power was restored in most districts by the evening.",
    "Ночью над городом работала противовоздушная оборона, сообщил губернатор.",
    "Обломки ракеты упали во дворе жилого дома, пострадавших нет.",
    "Уночі над містом працювала протиповітряна оборона, повідомив голова області.",
    "Уламки дрона пошкодили ґанок приватного будинку, постраждалих немає.",
    "Ёлка на площади осталась цела, объявил подъезд номер семь.",
    "Ein Gewitter zog am Abend über die Stadt und brachte Regen.",
    "Le conseil municipal a voté le budget des transports publics.",
    "12:40 — 3 / 7 !!! ???",
    "",
]


def _random_texts(n: int, seed: int) -> list[str | None]:
    rng = random.Random(seed)
    tokens = " ".join(_SENTENCES).split() + ["ї", "є", "ы", "Э", "Ъ", "Ґ", "І", "ё", "THE", "And", "😀", "é", "\n"]
    out: list[str | None] = [None, ""]
    for _ in range(n):
        kind = rng.random()
        if kind < 0.6:
            out.append(" ".join(rng.choice(tokens) for _ in range(rng.choice([0, 1, 2, 5, 12, 40, 200]))))
        elif kind < 0.9:
            out.append(" ".join(rng.choice(_SENTENCES) for _ in range(rng.randrange(1, 30))))
        else:  # longer than the 4,000-character sample, the tail in another language
            head = rng.choice(_SENTENCES[:7])
            tail = rng.choice(_SENTENCES[:7])
            out.append(head * (4000 // max(len(head), 1) + 1) + tail * 50)
    return out


def test_detect_languages_matches_per_text_reference():
    texts = _random_texts(3000, seed=424242) + _SENTENCES
    assert detect_languages(pa.array(texts, pa.string())) == [_reference(t) for t in texts]


def test_detect_languages_on_slices_chunks_and_large_strings():
    texts = _random_texts(800, seed=99)
    expected = [_reference(t) for t in texts]
    arr = pa.array(texts, pa.string())
    assert detect_languages(arr.slice(13, 500)) == expected[13:513]
    assert detect_languages(pa.chunked_array([arr.slice(0, 10), arr.slice(400)])) == expected[:10] + expected[400:]
    assert detect_languages(arr.cast(pa.large_string()).slice(1)) == expected[1:]
    assert detect_languages(pa.array([], pa.string())) == []

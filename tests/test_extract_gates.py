"""The automaton gates in front of the cue regexes: they may let a hopeless sentence through, never
hold back one the regex would match (that would silently change extraction results)."""

from __future__ import annotations

import os
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from transforms import casualties, cues, dates, places
from transforms import lexicon as lx
from transforms.gates import Gates, prefixes
from transforms.literals import Literals
from transforms.sentences import fold

# Own paraphrases in en/ru/uk, including odd casing, ё, apostrophes and near misses.
SENTENCES = [
    "Air defence shot down 12 drones over the Kursk region overnight, the governor said.",
    "Debris of a downed UAV fell on a house in the village of Sosnovka; two people were injured.",
    "Russian forces shelled Nikopol district with artillery, damaging a school and killing one man.",
    "A missile hit an industrial site in Kharkiv on 14 May, no casualties were reported.",
    "В ночь на 3 июня дежурными средствами ПВО перехвачены и уничтожены 14 беспилотников над Брянской областью.",
    "Обломки сбитого БПЛА упали на крышу дома в посёлке Тёткино, пострадавших нет.",
    "В результате удара по Белгороду погибли два человека, ранены пятеро.",
    "Над Київщиною сили ППО збили шість ударних безпілотників, уламки пошкодили автомобіль.",
    "Внаслідок обстрілу Херсона загинула 60-річна жінка, ще троє людей отримали поранення.",
    "Ворог атакував громаду керованими авіабомбами; у селі Велика Писарівка зруйновано будинок.",
    "The regional centre was hit by two Iskander missiles and a KAB glide bomb.",
    "Число пострадавших возросло до 12, сообщил глава района.",
    "Death toll rose to 9 after the strike on the city's Kyivskyi district.",
    "The weather in Poltava stays warm and the harvest is good.",
    "Мэрия объявила о ремонте трех станций метро летом.",
    "A Shahed-type drone was destroyed near Odesa, no one was hurt.",
    "«Шахед» влучив у багатоповерхівку в Одесі, є загиблі та травмовані.",
]


def _patterns() -> list[re.Pattern[str]]:
    found = []
    for mod in (lx, cues, casualties, places, dates):
        found += [v for v in vars(mod).values() if isinstance(v, re.Pattern)]
    found += list(lx.WEAPON_PATTERNS.values())
    found += list(casualties._NUM_AFTER.values()) + list(casualties._TOLL.values())
    return found


def test_prefixes_read_off_simple_alternations() -> None:
    pattern = re.compile(r"(?<![\w'])(?:drones?|бпла|прил[её]т\w*|(?:самодельн\w* )?взрывн\w*)(?![\w'])")
    # "прилёт" folds to "прилет"; an optional part gives both the start with it and the one without.
    assert prefixes(pattern) == {"drone", "drones", "бпла", "прилет", "самодельн", "взрывн"}


def test_prefixes_give_up_when_a_match_may_start_anywhere() -> None:
    assert prefixes(re.compile(r"\d+\s+(?:вибух\w*|explosions)")) is None
    assert prefixes(re.compile(r"(?i)drones?")) is None
    assert prefixes(re.compile(r"[A-ZА-Я]\w+ district")) is None


def test_mask_bits_follow_the_text() -> None:
    gates = Gates([lx.DEBRIS_RE, lx.WEAPON_PATTERNS["missile"], ("громад", "hromada")])
    assert gates.mask(fold("Уламки ракети впали у Сумській громаді")) == 0b111
    assert gates.mask(fold("Debris fell in a field")) == 0b001
    assert gates.mask(fold("The weather stays warm")) == 0


def test_no_gate_ever_hides_a_regex_match() -> None:
    patterns = _patterns()
    gates = Gates(patterns)
    seen_closed = 0
    for sentence in SENTENCES:
        folded = fold(sentence)
        mask = gates.mask(folded)
        for i, pattern in enumerate(patterns):
            if not mask >> i & 1:
                seen_closed += 1
                assert pattern.search(folded) is None, (pattern.pattern[:60], sentence)
    assert seen_closed > 100  # the gates do close for most patterns on most sentences


def test_hits_find_exactly_what_the_regex_finds() -> None:
    patterns = _patterns()
    gates = Gates(patterns)
    for sentence in SENTENCES:
        folded = fold(sentence)
        hits = gates.hits(folded)
        for i, pattern in enumerate(patterns):
            expected = [m.span() for m in pattern.finditer(folded)]
            assert [m.span() for m in hits.finditer(1 << i, pattern)] == expected, pattern.pattern[:60]
            first = hits.search(1 << i, pattern)
            assert (first.span() if first else None) == (expected[0] if expected else None)


# Sentences that should open the article-wide gates: a country-wide report, a ministry, a drill, a
# quiet report, a recalled event, months and weekdays (one at the very start of the text).
ARTICLE_SENTENCES = [
    "Russia launched 120 drones and 6 missiles at Ukraine overnight, the air force said.",
    "Минобороны сообщило, что в ходе учений ПВО в понедельник сбиты учебные цели.",
    "Травень почався спокійно: у середу прильотів не було, а no hits were reported in Sumy.",
    "Last week a missile hit the port; on Friday, 4 April, debris fell near Odesa.",
    "Генштаб ЗСУ: по всій країні збито 40 «шахедів», навчання тривають.",
    "Мая в этом году не будет: in March and in May the general staff reported nothing.",
]


def test_article_gates_never_skip_a_sentence_the_regex_matches() -> None:
    """The extractor runs its article-wide patterns (`_ARTICLE_PATTERNS`) only in sentences holding one of
    their heads, found in one automaton pass over the article: every sentence a pattern matches must hold
    one, and the month and weekday word starts must be those a plain scan finds."""
    from transforms import extract as ex
    from transforms.sentences import split_sentences

    text = " ".join(ARTICLE_SENTENCES + SENTENCES)
    folded = fold(text)
    scan = ex._scan(folded)
    opened: set[int] = set()
    for s, e in split_sentences(text):
        f = folded[s:e]
        for k, pattern in enumerate(ex._ARTICLE_PATTERNS):
            if pattern.search(f) is not None:
                opened.add(k)
                assert ex._may_start_in(scan.starts[k], s, e), (pattern.pattern[:40], f)
    assert opened == set(range(len(ex._ARTICLE_PATTERNS)))  # the sentences above exercise every gate
    for k, kind in ((ex._P_MONTH, dates.DAY_MONTH), (ex._P_WEEKDAY, dates.DAY_WEEKDAY)):
        plain = sorted({m.start() for word, bits in dates.DAY_WORDS.items() if bits & kind
                        for m in re.finditer(re.escape(word), folded)
                        if m.start() == 0 or not folded[m.start() - 1].isalnum()})
        assert scan.starts[k] == plain and plain


# --- transforms.literals: the automaton under the gates, the hot words and the prefilter ----------------
LITERAL_WORDS = ["дрон", "дронов", "бпла", "ппо", "drone", "drones", "rone", "уламк", "п'ят", "🚀", "ё", "a"]


def _every_occurrence(words: list[str], text: str) -> list[tuple[int, int, int]]:
    """What `Literals.find` must give, by brute force: every (word index, start, end), ordered by end."""
    found = [(k, i, i + len(w)) for k, w in enumerate(words) for i in range(len(text)) if text.startswith(w, i)]
    return sorted(found, key=lambda hit: (hit[2], -(hit[2] - hit[1])))


@settings(max_examples=300, deadline=None, derandomize=os.environ.get("CI") == "true")
@given(st.lists(st.one_of(st.sampled_from(LITERAL_WORDS + ["𝐊", "\U0010ffff", "ʼ", " ", "\n", "в"]),
                          st.text(max_size=3)), max_size=30))
def test_literals_find_every_occurrence_at_character_offsets(parts: list[str]) -> None:
    text = "".join(parts)
    literals = Literals({w: k for k, w in enumerate(LITERAL_WORDS)})
    hits = literals.find(text)
    assert sorted(hits) == sorted(_every_occurrence(LITERAL_WORDS, text))
    assert [end for _, _, end in hits] == sorted(end for _, _, end in hits)  # `_scan` reads them in text order
    assert all(text[s:e] == literals.words[k] and literals.values[k] == k for k, s, e in hits)
    assert literals.any(text) == bool(hits)

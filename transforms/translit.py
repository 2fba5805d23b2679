"""Cyrillic to Latin for place names, without dependencies.

Two jobs, kept apart because they want different things:

* `ru_to_en` writes a Russian name the way English-language news spells it
  (`Чертковский` -> `Chertkovsky`, `Стрелецкое` -> `Streletskoye`, `Тёткино` -> `Tyotkino`).
  The gold data codes Russian places in this "common English form", which is close to
  BGN/PCGN with the `-iy`/`-yy` adjective endings simplified to `-y`.
  (Ukrainian names use the official 2010 system; the build script gets that from `translitua`.)
* `skeleton` folds any spelling, Cyrillic or Latin, Russian or Ukrainian, into a lossy key so
  that `Kharkov`, `Kharkiv`, `Харьков` and `Харків` land close together for fuzzy matching.
"""

from __future__ import annotations

import re

_RU = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    # Ukrainian letters, so that a stray Ukrainian spelling still comes out readable.
    "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "'": "", "’": "", "ʼ": "",
}
_VOWELS = set("аеёиоуыэюяіїє")
# Word-final adjective endings: the English press writes -sky / -ny / -oy, not -skiy / -nyy.
_FINAL = (("ий", "y"), ("ый", "y"), ("ой", "oy"))
_WORD = re.compile(r"[^\W\d_]+(?:['’ʼ][^\W\d_]+)*", re.UNICODE)


def _ru_word(word: str) -> str:
    low = word.lower()
    tail = ""
    for ending, latin in _FINAL:
        if low.endswith(ending) and len(low) > 3:
            low, tail = low[: -len(ending)], latin
            break
    out: list[str] = []
    prev = ""
    for ch in low:
        if ch == "е" and (not prev or prev in _VOWELS or prev in "ьъ"):
            out.append("ye")
        elif ch == "и" and prev and prev in "ьъ":  # Ильинка -> Ilyinka
            out.append("yi")
        elif ch in _RU:
            out.append(_RU[ch])
        else:
            out.append(ch)
        prev = ch
    latin = "".join(out) + tail
    if word[:1].isupper():
        latin = latin[:1].upper() + latin[1:]
    return latin


def ru_to_en(name: str) -> str:
    """Common English spelling of a Russian place name; keeps hyphens, spaces and case of initials."""
    return _WORD.sub(lambda m: _ru_word(m.group(0)), name)


_Y_BEFORE_CONSONANT = re.compile(r"(?<=[aeou])y(?=[^aeiouy]|$)")


def ru_latin_variants(name: str) -> set[str]:
    """The English spellings the press gives a Russian (or Russified Ukrainian) name: `ru_to_en`'s
    form plus its common looser variants (Mikhaylovka/Mikhailovka, Veseloye/Veseloe, Zmiyevka/Zmievka).
    Used to find Ukrainian places written the Russian way ("Berislav", "Tyaginka")."""
    bases = {ru_to_en(name)}
    if "ё" in name.lower():  # the press mostly drops the dots: Белозёрка -> Belozerka (and Belozyorka)
        bases.add(ru_to_en(name.replace("ё", "е").replace("Ё", "Е")))
    forms = bases | {_Y_BEFORE_CONSONANT.sub("i", b) for b in bases}
    loose = {f.replace("iye", "ie").replace("iya", "ia") for f in forms}
    loose |= {f[:-3] + "oe" for f in forms if f.endswith("oye")}
    return forms | loose


_SKELETON_STEPS = (
    ("shch", "sh"), ("kh", "h"), ("zh", "j"), ("ts", "c"), ("ch", "c"), ("sh", "s"),
    ("yu", "u"), ("iu", "u"), ("ya", "a"), ("ia", "a"), ("ye", "e"), ("ie", "e"), ("yo", "o"),
    ("y", "i"), ("j", "i"), ("w", "v"), ("'", ""),
)
_CYR_SKEL = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "є": "e", "ё": "o",
    "ж": "j", "з": "z", "и": "i", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h",
    "ц": "c", "ч": "c", "ш": "s", "щ": "s", "ъ": "", "ы": "i", "ь": "", "э": "e", "ю": "u",
    "я": "a", "'": "", "’": "", "ʼ": "",
}
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def skeleton(name: str) -> str:
    """Lossy Latin key: same for Russian, Ukrainian and the usual English spellings of a name.

    Vowel quality (Харьков/Харків: o/i) still differs, so callers compare skeletons fuzzily.
    """
    low = name.lower()
    if any("\u0400" <= ch <= "\u04ff" for ch in low):
        low = "".join(_CYR_SKEL.get(ch, ch) for ch in low)
    else:
        for a, b in _SKELETON_STEPS:
            low = low.replace(a, b)
    # Ukrainian h = Russian g (Kharkiv/Kharkov keep kh; Chuhuiv/Chuguev differ): fold h and g together.
    low = low.replace("g", "h")
    return _NON_ALNUM.sub(" ", low).strip()

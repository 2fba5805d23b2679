"""Named settlements the gazetteer does not know: "село X", "village of X", "X громада".

The gazetteer cannot hold every hamlet; when the text itself says a name is a village, town or
hromada, the extractor still codes the place (inside the region the sentence or context names)
with a transliterated English name: Ukrainian by the official 2010 system, Russian by the common
English style of `transforms.translit`. Inflected hromada adjectives go back to the nominative
feminine form the gold uses (`Великописарівській громаді` -> `Velykopysarivska`).
"""

from __future__ import annotations

import re

from transforms.translit import ru_to_en

_UK = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie", "ж": "zh", "з": "z",
    "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ь": "", "ю": "iu", "я": "ia", "'": "", "’": "", "ʼ": "",
}
_WORD_SPLIT = re.compile(r"(\s+|-)")
_UK_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}


def uk_to_en(name: str) -> str:
    """Ukrainian official transliteration (KMU 2010), word-initial forms included."""
    out = []
    for word in _WORD_SPLIT.split(name):
        letters = []
        for i, ch in enumerate(word):
            low = ch.lower()
            if i == 0 and low in _UK_INITIAL:
                latin = _UK_INITIAL[low]
            elif low == "г" and i > 0 and word[i - 1].lower() == "з":
                latin = "gh"
            else:
                latin = _UK.get(low, low)
            letters.append(latin.capitalize() if ch.isupper() and latin else latin)
        out.append("".join(letters))
    return "".join(out)


_LATIN = re.compile(r"[A-Za-z]")
_UK_LETTERS = re.compile(r"[іїєґ]", re.IGNORECASE)
_HROMADA_ADJ = re.compile(r"(ськ|цьк|зьк)(?:ій|ої|у|ою|а)$")
_RU_HROMADA_ADJ = re.compile(r"(ск|цк)(?:ой|ую|ая)$")

# Generic word before the name, or "X громада" after it.
SETTLEMENT_RE = re.compile(
    r"(?<![\w'])(?:(?:village|town|settlement|rural locality|urban-type settlement) of"
    r"|сел[оаеіу]|селище|селищі|поселк[еау]|поселок|пос[её]лок|посел[ок]\w*|станиц[аеіы]|хутор[еау]?"
    r"|деревн[еяю]|смт|пгт|с\.|пос\.|м\.|(?<!\d )г\.)\s+([A-ZА-ЯІЇЄҐ][\w'’ʼ-]{2,}(?:\s+(?![\w'’ʼ-]*(?:ого|ому|ой|ої|ей|их|ых)(?![\w'’ʼ-]))[A-ZА-ЯІЇЄҐ][\w'’ʼ-]{2,}"
    r"(?![\w'’ʼ-]*\s+(?:district|region|oblast|район\w*|област\w*|округ\w*|громад\w*)))?)"
    r"|([A-ZА-ЯІЇЄҐ][\w'’ʼ-]{3,})\s+(?:громад[аіиуою]\w*|hromada|community)(?![\w'])"
)


_NAME = r"[A-ZА-ЯІЇЄҐ][\w'’ʼ-]{2,}(?:\s+[A-ZА-ЯІЇЄҐ][\w'’ʼ-]{2,})?"
# A plural generic word heading a list: "the villages of Berezovka, Ryabiki and Novaya Tavolzhanka",
# "у селах Березовка та Рябики".
SETTLEMENT_LIST_RE = re.compile(
    r"(?<![\w'])(?:villages|settlements|села|сел|селах|сёлах|селища|селищах|поселках|хуторах)\s+(?:of\s+)?"
    rf"({_NAME}(?:(?:,\s*|,?\s+(?:and|и|та|і|й)\s+){_NAME})+)")
_LIST_SPLIT = re.compile(r",\s*(?:(?:and|и|та|і|й)\s+)?|\s+(?:and|и|та|і|й)\s+")


def listed_settlements(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of the names in the lists that a plural generic word heads."""
    out = []
    for m in SETTLEMENT_LIST_RE.finditer(text, start, end):
        pos = m.start(1)
        for part in _LIST_SPLIT.split(m.group(1)):
            i = text.index(part, pos)
            out.append((i, i + len(part)))
            pos = i + len(part)
    return out


def settlement_name(surface: str, hromada: bool, country: str) -> tuple[str, str]:
    """(English name, kind) for a name written after/before a generic word; Ukrainian places get
    the Ukrainian transliteration even when the text is Russian, as the gold does."""
    surface = surface.strip()
    kind = "hromada" if hromada else "locality"
    if _LATIN.search(surface):
        return surface, kind
    if hromada:
        base = _HROMADA_ADJ.sub(lambda m: m.group(1) + "а", surface)
        if base == surface:
            base = _RU_HROMADA_ADJ.sub(lambda m: m.group(1) + "ая", surface)
        surface = base
    if country == "UA" or _UK_LETTERS.search(surface):  # a Russian village in Ukrainian spelling too
        return uk_to_en(surface), kind
    return ru_to_en(surface), kind

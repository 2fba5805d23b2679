"""Language detection by alphabet: enough to tell en/ru/uk news apart, with no model to download.

Feeds mislabel languages often, so the extractor never trusts the claim. Ukrainian and Russian share
most Cyrillic letters; each has a few the other lacks (і ї є ґ vs ы э ъ ё), and news text of a few
sentences nearly always contains some. Only the first 4,000 characters are looked at: the answer
does not change after that and the cost stays flat for huge inputs.
"""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from model.schema import LANGUAGES
from transforms.utf8 import column_pass, string_parts

_SAMPLE = 4_000
# ASCII word boundaries, so Python's re and Arrow's RE2 count the same matches.
_EN_WORDS = re.compile(r"\b(?:the|and|of|to|in|was|were|is|on|for|with|by|said|has|have|from)\b", re.ASCII)


def detect_language(text: str) -> str:
    """Return 'en', 'ru', 'uk' or 'other' from letter statistics."""
    return detect_languages(pa.array([text or ""], pa.string()))[0]


# UTF-8 byte pairs of the letters only one of the two languages has (lead byte << 8 | next byte),
# as lookup tables over all 65,536 pairs: one gather instead of a set-membership test.
_UK_PAIRS = (0xD196, 0xD197, 0xD194, 0xD291, 0xD086, 0xD087, 0xD084, 0xD290)  # і ї є ґ І Ї Є Ґ
_RU_PAIRS = (0xD18B, 0xD18D, 0xD18A, 0xD191, 0xD0AB, 0xD0AD, 0xD0AA, 0xD081)  # ы э ъ ё Ы Э Ъ Ё
_PAIR_KIND = np.zeros(1 << 16, np.uint8)
_PAIR_KIND[list(_UK_PAIRS)] = 1
_PAIR_KIND[list(_RU_PAIRS)] = 2


# The values a column may hold, in the order `_decide_all` indexes them: 0 en, 1 ru, 2 uk, 3 other.
_LANGS = np.array(LANGUAGES, dtype=object)


@column_pass
def detect_languages(texts: pa.Array) -> list[str]:
    """Detect the language of a whole batch at once.

    Letters are counted on the UTF-8 bytes with numpy (Cyrillic U+0400-U+04FF is exactly the
    lead bytes 0xD0-0xD3), which is hundreds of MB/s instead of a regex pass per text; only
    Latin-script texts get the English function-word check. The bytes are read in place: a
    text's sample is a prefix of it, so only texts over _SAMPLE bytes need their cut computed.
    """
    n = len(texts)
    offsets, data = string_parts(texts)
    starts, ends = offsets[:-1], offsets[1:].copy()
    if texts.null_count:
        ends = np.where(texts.is_valid().to_numpy(zero_copy_only=False), ends, starts)
    # Up to _SAMPLE bytes the text is within _SAMPLE characters; beyond, cut it where Arrow does.
    long = np.flatnonzero(ends - starts > _SAMPLE)
    if len(long):
        cut_offsets, _ = string_parts(pc.utf8_slice_codeunits(texts.take(pa.array(long)), 0, _SAMPLE))
        ends[long] = starts[long] + np.diff(cut_offsets)

    bounds = list(zip(starts.tolist(), ends.tolist()))

    def per_text(mask: np.ndarray) -> np.ndarray:  # a dense mask: counting beats flatnonzero+searchsorted
        count = np.count_nonzero
        return np.fromiter((count(mask[a:b]) for a, b in bounds), np.int64, count=n)

    cyr = per_text((data & 0xFC) == 0xD0)
    lowered = data | 0x20
    lowered -= ord("a")
    lat = per_text(lowered <= ord("z") - ord("a"))
    del lowered
    # The letters only one of the two languages has: a Cyrillic lead byte followed by one of a few
    # bytes. Narrow to D1 8A-97 (a few lowercase letters), D0 81-AD (capitals) and any D2 first.
    lead, nxt = data[:-1], data[1:]
    cand = (lead == 0xD1) & ((nxt - np.uint8(0x8A)) <= 0x0D)
    cand |= (lead == 0xD0) & ((nxt - np.uint8(0x81)) <= 0x2C)
    cand |= lead == 0xD2
    at = np.flatnonzero(cand)
    kinds = _PAIR_KIND[(data[at].astype(np.uint16) << 8) | data[at + 1]]
    uk_at, ru_at = at[kinds == 1], at[kinds == 2]
    # A letter counts for the text its lead byte is in (the sample ends on a character boundary).
    uk = np.searchsorted(uk_at, ends) - np.searchsorted(uk_at, starts)
    ru = np.searchsorted(ru_at, ends) - np.searchsorted(ru_at, starts)
    # English function words only where Latin letters dominate (RE2's \b is ASCII, as _EN_WORDS is).
    latin = np.flatnonzero((cyr + lat >= 20) & (lat > cyr))
    words = np.zeros(n, np.int64)
    if len(latin):
        sample = texts.take(pa.array(latin))
        if (ends[latin] - starts[latin] < np.diff(offsets)[latin]).any():
            sample = pc.utf8_slice_codeunits(sample, 0, _SAMPLE)
        lowered_text = pc.utf8_lower(sample)
        words[latin] = pc.count_substring_regex(lowered_text, _EN_WORDS.pattern).to_numpy(zero_copy_only=False)
    return _LANGS[_decide_all(cyr, lat, uk, ru, words)].tolist()


def _decide_all(cyr: np.ndarray, lat: np.ndarray, uk: np.ndarray, ru: np.ndarray, en_words: np.ndarray) -> np.ndarray:
    """`_decide` for whole columns: indices into _LANGS (en, ru, uk, other)."""
    cyrillic_kind = np.where((uk > 0) & (uk >= ru), 2, 1)  # uk == ru == 0 -> ru
    letters = cyr + lat
    # en_words * 40 >= lat / 5  <=>  en_words * 200 >= lat (integers)
    latin_kind = np.where((en_words * 200 >= lat) | (en_words >= 20), 0, 3)
    short = np.where(lat > cyr, 0, cyrillic_kind)
    long = np.where(cyr >= lat, cyrillic_kind, latin_kind)
    return np.where(letters == 0, 3, np.where(letters < 20, short, long))


def _decide(cyr: int, lat: int, uk: int, ru: int, en_words: int) -> str:
    if cyr + lat == 0:
        return "other"
    if cyr + lat < 20:
        return "en" if lat > cyr else _cyrillic_kind(uk, ru)
    if cyr >= lat:
        return _cyrillic_kind(uk, ru)
    # Latin script: call it English only when common English function words are there.
    return "en" if en_words * 40 >= lat / 5 or en_words >= 20 else "other"


def _cyrillic_kind(uk: int, ru: int) -> str:
    if uk == ru == 0:
        return "ru"  # Russian text can lack letters of its own in a short snippet more easily than Ukrainian
    return "uk" if uk >= ru else "ru"

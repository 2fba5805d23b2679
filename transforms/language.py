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


def detect_languages(texts: pa.Array | pa.ChunkedArray) -> list[str]:
    """Detect the language of a whole batch at once.

    Letters are counted on the UTF-8 bytes with numpy (Cyrillic U+0400-U+04FF is exactly the
    lead bytes 0xD0-0xD3), which is hundreds of MB/s instead of a regex pass per text; only
    Latin-script texts get the English function-word check.
    """
    sample = pc.utf8_slice_codeunits(texts, 0, _SAMPLE)
    if isinstance(sample, pa.ChunkedArray):
        sample = sample.combine_chunks()
    sample = sample.cast(pa.large_string()).fill_null("")
    n = len(sample)
    offsets = np.frombuffer(sample.buffers()[1], np.int64, count=n + 1, offset=sample.offset * 8)
    data = np.frombuffer(sample.buffers()[2], np.uint8) if sample.buffers()[2] is not None else np.zeros(0, np.uint8)
    data = data[: offsets[-1]]

    def per_text(mask: np.ndarray) -> np.ndarray:
        hits = np.flatnonzero(mask)
        return np.searchsorted(hits, offsets[1:]) - np.searchsorted(hits, offsets[:-1])

    cyr = per_text((data >= 0xD0) & (data <= 0xD3))
    lat = per_text(((data | 0x20) >= ord("a")) & ((data | 0x20) <= ord("z")))
    # Only pairs that start with a Cyrillic lead byte can be one of those letters.
    leads = np.flatnonzero((data[:-1] >= 0xD0) & (data[:-1] <= 0xD2))
    kinds = _PAIR_KIND[(data[leads].astype(np.uint16) << 8) | data[leads + 1]]
    uk_at, ru_at = leads[kinds == 1], leads[kinds == 2]
    uk = np.searchsorted(uk_at, offsets[1:]) - np.searchsorted(uk_at, offsets[:-1])
    ru = np.searchsorted(ru_at, offsets[1:]) - np.searchsorted(ru_at, offsets[:-1])
    # English function words only where Latin letters dominate (RE2's \b is ASCII, as _EN_WORDS is).
    latin = np.flatnonzero((cyr + lat >= 20) & (lat > cyr))
    words = np.zeros(n, np.int64)
    if len(latin):
        lowered = pc.utf8_lower(sample.take(pa.array(latin)))
        words[latin] = pc.count_substring_regex(lowered, _EN_WORDS.pattern).to_numpy(zero_copy_only=False)
    return [
        _decide(int(c), int(la), int(u), int(r), int(w))
        for c, la, u, r, w in zip(cyr, lat, uk, ru, words)
    ]


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

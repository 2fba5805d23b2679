"""Guess the legacy Cyrillic code page of undeclared, non-UTF-8 bytes.

Russian and Ukrainian sites still publish windows-1251 (and a few KOI8) without saying so; feedparser
then falls back to windows-1252 and produces mojibake, and chardet is not a dependency. Two byte
statistics are enough to tell these apart: Cyrillic text is mostly bytes >= 0xC0, and lower-case
letters (most of any text) sit in 0xE0-0xFF in windows-1251 but in 0xC0-0xDF in KOI8.
"""

from __future__ import annotations

from collections import Counter

_SAMPLE = 1 << 18
# Western European text in windows-1252 has a few per cent high letters; Cyrillic text well over half,
# even diluted by ASCII markup and URLs in a feed.
_MIN_HIGH_SHARE = 0.2
_MIN_HIGH_BYTES = 8


def guess_cyrillic(data: bytes) -> str | None:
    """'cp1251' or 'koi8-u' when undecodable-as-UTF-8 bytes look Cyrillic, else None."""
    sample = data[:_SAMPLE]
    counts = Counter(sample)
    upper_half = sum(counts[b] for b in range(0xC0, 0xE0))
    top = sum(counts[b] for b in range(0xE0, 0x100))
    high = upper_half + top
    ascii_letters = sum(counts[b] for b in range(0x41, 0x5B)) + sum(counts[b] for b in range(0x61, 0x7B))
    if high < _MIN_HIGH_BYTES or high < _MIN_HIGH_SHARE * (high + ascii_letters):
        return None
    if upper_half > top:
        return "koi8-u"
    # ы ь э ю я (0xFB-0xFF) and Ukrainian і ї є ґ are common in Cyrillic text but are not letters in the
    # Hebrew or Arabic code pages, whose letters share the 0xE0-0xFA range.
    telltale = sum(counts[b] for b in (*range(0xFB, 0x100), 0xB2, 0xB3, 0xB4, 0xBA, 0xBF, 0xAA, 0xAF, 0xA5))
    if telltale < 0.01 * high:
        return None
    return "cp1251"


def is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True

"""Language detection by alphabet: enough to tell en/ru/uk news apart, with no model to download.

Feeds mislabel languages often, so the extractor never trusts the claim. Ukrainian and Russian share
most Cyrillic letters; each has a few the other lacks (і ї є ґ vs ы э ъ ё), and news text of a few
sentences nearly always contains some. Only the first 20,000 characters are looked at: the answer
does not change after that and the cost stays flat for huge inputs.
"""

from __future__ import annotations

import re

_SAMPLE = 20_000
_UK_ONLY = re.compile(r"[іїєґІЇЄҐ]")
_RU_ONLY = re.compile(r"[ыэъёЫЭЪЁ]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z]")
_EN_WORDS = re.compile(r"\b(?:the|and|of|to|in|was|were|is|on|for|with|by|said|has|have|from)\b")


def detect_language(text: str) -> str:
    """Return 'en', 'ru', 'uk' or 'other' from letter statistics."""
    if not text:
        return "other"
    sample = text[:_SAMPLE]
    cyr = len(_CYRILLIC.findall(sample))
    lat = len(_LATIN.findall(sample))
    if cyr + lat < 20:
        return "other" if cyr + lat == 0 else ("en" if lat > cyr else _cyrillic_kind(sample))
    if cyr >= lat:
        return _cyrillic_kind(sample)
    # Latin script: call it English only when common English function words are there.
    words = _EN_WORDS.findall(sample.lower())
    return "en" if len(words) * 40 >= lat / 5 or len(words) >= 20 else "other"


def _cyrillic_kind(sample: str) -> str:
    uk = len(_UK_ONLY.findall(sample))
    ru = len(_RU_ONLY.findall(sample))
    if uk == ru == 0:
        return "ru"  # Russian text can lack ы/э/ъ/ё in a short snippet more easily than Ukrainian і
    return "uk" if uk >= ru else "ru"

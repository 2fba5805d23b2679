"""Sentence spans with offsets into the original text, and a length-preserving folded copy.

Evidence must be sliced from the text exactly as given, so instead of cleaning the text we build a
folded copy of the same length (lower case, one apostrophe, ё->е, odd spaces -> space) and run every
pattern on the copy; offsets found there are valid in the original. Sentences are capped in length
so that a megabyte without punctuation still costs linear time.
"""

from __future__ import annotations

import re

MAX_SENTENCE = 1200

_FOLD_MAP = str.maketrans({
    "’": "'", "ʼ": "'", "`": "'", "‘": "'", "´": "'", "ʹ": "'", "′": "'",
    "ё": "е", "Ё": "е", "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u200b": " ", "\u200c": " ",
    "\u200d": " ", "\u200e": " ", "\u200f": " ", "\ufeff": " ", "\u2060": " ", "\t": " ",
    "—": "-", "–": "-", "‑": "-", "−": "-", "*": " ", "_": " ", "#": " ",
})


_FOLD_PAIRS = tuple((chr(k), v) for k, v in _FOLD_MAP.items())


def fold(text: str) -> str:
    """Lower-case, unify apostrophes/dashes/spaces; the result has exactly len(text) characters."""
    lowered = text.lower()
    if len(lowered) != len(text):  # rare characters whose lower case is longer (e.g. "İ")
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    if lowered.isascii():
        return lowered.replace("`", "'").replace("\t", " ").replace("*", " ").replace("_", " ").replace("#", " ")
    for old, new in _FOLD_PAIRS:  # str.replace per character beats translate() with a dict table
        if old in lowered:
            lowered = lowered.replace(old, new)
    return lowered


# Abbreviations after which a period does not end a sentence (ru/uk settlement prefixes, titles).
_ABBREV = {
    "г", "с", "м", "п", "пос", "пгт", "смт", "обл", "р-н", "ул", "вул", "д", "х", "ст", "им", "просп",
    "св", "тыс", "тис", "млн", "млрд", "руб", "грн", "mr", "mrs", "ms", "dr", "st", "no", "gov", "gen",
    "lt", "col", "sgt", "vs", "jan", "feb", "aug", "sept", "oct", "nov", "dec", "u.s", "u.k", "т.е",
    "т.д", "etc", "e.g", "i.e",
}
# One leading character class for all branches, so the engine skips ahead to candidates instead of
# trying a lookbehind at every position (the "word.Word" branch checks its three letters after the dot).
# Same matches as r"\n|[.!?…](?:[.!?…]*[\"'»”)\]]*(?=\s)|(?<=[a-zа-яіїє]{3}\.)(?=[A-ZА-ЯІЇЄ][a-zа-яіїє]))",
# about twice as fast: the branch is picked by a lookbehind at the character just consumed.
_BOUNDARY = re.compile(
    r"[\n.!?…](?:(?<=\n)|(?<=[.!?…])(?:[.!?…]*[\"'»”)\]]*(?=\s)|(?<=[a-zа-яіїє]{3}\.)(?=[A-ZА-ЯІЇЄ](?:[a-zа-яіїє]|\s))))")
_LAST_WORD = re.compile(r"([\w.-]{1,6})$")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of sentences and lines, whitespace-trimmed, none longer than MAX_SENTENCE."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        m_start, m_end = m.span()
        newline = text[m_start] == "\n"  # the "\n" branch is the only one that starts with a newline
        if not newline and text[m_start] == ".":
            before = _LAST_WORD.search(text, max(start, m_start - 6), m_start)
            if before:
                word = before.group(1).lower()
                if word in _ABBREV or (len(word) == 1 and word.isalpha() and word.isupper() is False
                                       and text[m_start - 1].isupper()):
                    continue
                nxt = text[m_end: m_end + 3].lstrip()
                if nxt[:1].islower():
                    continue
        _add(text, start, m_start if newline else m_end, spans)
        start = m_end
    _add(text, start, len(text), spans)
    return spans


def _add(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while end - start > MAX_SENTENCE:
        cut = text.rfind(" ", start + MAX_SENTENCE // 2, start + MAX_SENTENCE)
        cut = cut if cut > start else start + MAX_SENTENCE
        spans.append((start, cut))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        spans.append((start, end))


# --- clauses inside a sentence -------------------------------------------------------------------
# Places, counts and cues are matched clause by clause: "seven over Kursk region, two over Bryansk region".
# `_S` is the set of characters `\s` matches, spelt out: a plain character class is tested much faster
# than the Unicode category, and a first character shared by all branches lets the engine skip ahead.
# The patterns match exactly what r"[;,]\s|:\s|\s(?:and|и|та|і|й)\s", r"[;,]\s|:\s" and r";\s|\s[-–—]\s" do.
_S = "\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_CLAUSE_SPLIT = re.compile(rf"[;,:{_S}](?:(?<=[;,:])[{_S}]|(?<=[{_S}])(?:and|и|та|і|й)[{_S}])")
_COARSE_SPLIT = re.compile(rf"[;,:][{_S}]")
_CONTRAST_SPLIT = re.compile(
    rf"[;,][{_S}]+(?:while|whereas|but|тоді як|тогда как|в то время как|а|но|але|однак|однако)[{_S}]|;[{_S}]")
_SEMICOLON_SPLIT = re.compile(rf";[{_S}]")
_SEGMENT_SPLIT = re.compile(rf"[;{_S}](?:(?<=;)[{_S}]|(?<=[{_S}])[-–—][{_S}])")


def _split(pattern: re.Pattern[str], folded: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for m in pattern.finditer(folded):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(folded)))
    return out


def clauses(folded: str) -> list[tuple[int, int]]:
    """Spans between commas, semicolons, colons and "and"-words (list items become their own clause)."""
    return _split(_CLAUSE_SPLIT, folded)


def coarse_clauses(folded: str) -> list[tuple[int, int]]:
    """Spans between commas, semicolons and colons only."""
    return _split(_COARSE_SPLIT, folded)


def contrast_parts(folded: str) -> list[tuple[int, int]]:
    """Spans between contrasting clauses ("debris fell in X, while Y reported no hits")."""
    return _split(_CONTRAST_SPLIT, folded)


def segments(folded: str) -> list[tuple[int, int]]:
    """Spans between semicolons and dashes: one place's report in a daily summary. A summary that
    separates its places by semicolons keeps each place with its dash ("м. Харків – поранено 3 людини;
    м. Куп'янськ – загинула жінка")."""
    if "; " in folded:
        return _split(_SEMICOLON_SPLIT, folded)
    return _split(_SEGMENT_SPLIT, folded)


# "killing three people in Kharkiv and wounding 12 in Odesa": each casualty verb with its own place.
_CASUALTY_JOIN = re.compile(
    rf",?[{_S}]+(?:and|и|і|й|та)[{_S}]+(?=(?:killing|injuring|wounding|leaving|killed|injured|wounded|left|"
    rf"ранив|ранили|поранив|поранили|убив|убили|вбив|вбили)[{_S}])")


def casualty_segments(folded: str) -> list[tuple[int, int]]:
    """Spans of a sentence split before a coordinated casualty verb (see _CASUALTY_JOIN)."""
    return _split(_CASUALTY_JOIN, folded)


def clause_of(spans: list[tuple[int, int]], pos: int) -> int:
    """Index of the span containing position `pos` (the last one for positions past the end)."""
    for i, (_, end) in enumerate(spans):
        if pos < end:
            return i
    return len(spans) - 1

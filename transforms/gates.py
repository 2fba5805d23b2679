"""Which cue patterns can match in a sentence at all: one automaton pass decides, before any regex runs.

Every match of a pattern such as `(?<![\\w'])(?:drones?|бпла|...)(?![\\w'])` starts with one of a few
literal prefixes ("drone", "бпла", ...). `prefixes()` reads those prefixes off the compiled pattern
itself, so they can never drift from the word lists. `Gates` puts the prefixes of many patterns into
one automaton (`transforms.literals`); `mask(sentence)` returns a bit per pattern that may match. A pattern whose
bit is clear cannot match, and the extractor skips it: the answers stay exactly those of the regexes,
only the hopeless searches are not run. A pattern without usable prefixes (it may start with any
letter) gets a bit that is always set. `hits(sentence)` also keeps where the prefixes occur, and its
`search`/`finditer` try the pattern only there: the same matches as the plain regex calls.

Prefixes are folded like the text (`sentences.fold` is character-wise, so a literal found in the
original text is found folded in the folded text); patterns run on the original text may therefore
be gated by `mask` on the folded sentence too (but `hits` positions are for the folded string itself).
Prefixes come from the standard library's regex parser (`re._parser`, CPython 3.11+); if it cannot
read a pattern, that pattern is simply never skipped.
"""

from __future__ import annotations

import re
from re import _constants as c  # type: ignore[attr-defined]
from re import _parser as p  # type: ignore[attr-defined]

from transforms.literals import Literals
from transforms.sentences import fold

_MAX_CLASS = 6  # expand a character class of at most this many literals into alternatives
_MAX_PREFIXES = 400
_ZERO_WIDTH = (c.AT, c.ASSERT, c.ASSERT_NOT)


def _seq(items, heads: set[str]) -> tuple[set[str], bool]:
    """(prefixes, complete): extend every head by what the sequence `items` must start with.
    `complete` says the whole sequence was consumed literally (so the caller may extend further)."""
    for i, (op, av) in enumerate(items):
        if op in _ZERO_WIDTH:
            continue
        if op is c.LITERAL:
            heads = {h + chr(av) for h in heads}
            continue
        if op is c.IN and len(av) <= _MAX_CLASS and all(o is c.LITERAL for o, _ in av):
            heads = {h + chr(ch) for h in heads for _, ch in av}
            continue
        if op is c.SUBPATTERN:
            _, add_flags, del_flags, sub = av
            if add_flags & c.SRE_FLAG_IGNORECASE or del_flags:
                return heads, False
            heads, complete = _seq(sub, heads)
            if not complete:
                return heads, False
            continue
        if op is c.BRANCH:
            out: set[str] = set()
            all_complete = True
            for alt in av[1]:
                ext, complete = _seq(alt, heads)
                out |= ext
                all_complete = all_complete and complete
            heads = out
            if not all_complete or len(heads) > _MAX_PREFIXES:
                return heads, False
            continue
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and av[0] >= 1:
            heads, _ = _seq(av[2], heads)
            return heads, False
        if op in (c.MAX_REPEAT, c.MIN_REPEAT) and av[:2] == (0, 1):  # optional: with it, or what follows
            taken, _ = _seq(av[2], heads)
            skipped, _ = _seq(items[i + 1:], heads)
            return taken | skipped, False
        return heads, False
    return heads, True


def prefixes(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Folded literals one of which every match of `pattern` starts with; None if there are none."""
    if pattern.flags & re.IGNORECASE:
        return None
    try:
        heads, _ = _seq(p.parse(pattern.pattern, pattern.flags), {""})
    except Exception:  # noqa: BLE001 - an unreadable pattern is run everywhere, never skipped
        return None
    if not heads or "" in heads or len(heads) > _MAX_PREFIXES:
        return None
    return frozenset(fold(h) for h in heads)


class Gates:
    """Bit i of `mask(text)` is set when pattern i may match somewhere inside `text`."""

    def __init__(self, patterns: list[re.Pattern[str] | tuple[str, ...]]) -> None:
        """`patterns`: compiled patterns, or for a pattern whose prefixes cannot be read off, a tuple of
        literals (folded) at least one of which every match contains."""
        self.always = 0
        self.literal = 0  # patterns gated by literals they contain, not by prefixes: no start positions
        bits: dict[str, int] = {}
        for i, pattern in enumerate(patterns):
            heads = frozenset(pattern) if isinstance(pattern, tuple) else prefixes(pattern)
            if heads is None:
                self.always |= 1 << i
                continue
            if isinstance(pattern, tuple):
                self.literal |= 1 << i
            for head in heads:
                bits[head] = bits.get(head, 0) | (1 << i)
        self._heads = Literals(bits)
        # per head: the single bits of its patterns, lowest first
        self._singles = [tuple(1 << k for k in range(bit.bit_length()) if bit >> k & 1) for bit in self._heads.values]

    def mask(self, folded: str) -> int:
        """Bits of the patterns that may match in `folded` (a folded sentence or clause)."""
        out = self.always
        bits = self._heads.values
        for k, _, _ in self._heads.find(folded):
            out |= bits[k]
        return out

    def hits(self, folded: str) -> Hits:
        """Where in `folded` each pattern may start: search only there."""
        starts: dict[int, list[int]] = {}
        mask = self.always
        bits, singles = self._heads.values, self._singles
        for k, pos, _ in self._heads.find(folded):
            mask |= bits[k]
            for low in singles[k]:
                if low in starts:
                    starts[low].append(pos)
                else:
                    starts[low] = [pos]
        return Hits(folded, mask, {b: sorted(set(v)) if len(v) > 1 else v for b, v in starts.items()},
                    self.always | self.literal)


class Hits:
    """One sentence's candidate start positions per pattern bit (see `Gates.hits`).

    `search`/`finditer` give exactly what `pattern.search(text)`/`pattern.finditer(text)` give: every
    match starts with one of the pattern's prefixes, so trying `match` at the prefix positions in order
    finds the same leftmost matches, without running the pattern at every other position."""

    __slots__ = ("_exact", "_starts", "_text", "mask")

    def __init__(self, text: str, mask: int, starts: dict[int, list[int]], inexact: int) -> None:
        self.mask, self._text, self._starts, self._exact = mask, text, starts, ~inexact

    def starts(self, bit: int) -> list[int] | None:
        """Sorted positions where the pattern may start; None when only the pattern itself can tell."""
        if not self._exact & bit:
            return None
        return self._starts.get(bit, []) if self.mask & bit else []

    def search(self, bit: int, pattern: re.Pattern[str]) -> re.Match[str] | None:
        if not self.mask & bit:
            return None
        if not self._exact & bit:
            return pattern.search(self._text)
        for pos in self._starts[bit]:
            m = pattern.match(self._text, pos)
            if m is not None:
                return m
        return None

    def finditer(self, bit: int, pattern: re.Pattern[str]):
        if not self.mask & bit:
            return ()  # no generator to create for the many patterns that cannot match
        if not self._exact & bit:
            return pattern.finditer(self._text)
        return self._finditer(self._starts[bit], pattern)

    def _finditer(self, starts: list[int], pattern: re.Pattern[str]):
        reach = 0
        for pos in starts:
            if pos < reach:
                continue
            m = pattern.match(self._text, pos)
            if m is not None:
                yield m
                reach = m.end()

"""Many fixed strings found in one pass over a text: the extractor's word lists, gates and hot words.

An Aho-Corasick automaton compiled to a DFA in Rust (`ahocorasick_rs`): every occurrence of every
word, overlapping ones included, in order of where they end, with character offsets. For word lists
of a few thousand entries the DFA is small enough to stay in the CPU cache, and one transition per
byte is 2-3x faster than `pyahocorasick`'s trie walk (bench/README, stop 24). The gazetteer's 376,000
forms stay on `pyahocorasick` (`transforms.gazetteer`): a DFA of them would take seconds to build in
every process.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Generic, TypeVar

from ahocorasick_rs import AhoCorasick, Implementation

V = TypeVar("V")


class Literals(Generic[V]):
    """`words` (a word -> its value) found in texts. `find(text)` gives (index, start, end) per
    occurrence, `values[index]` the word's value, `text[start:end]` the word."""

    __slots__ = ("_automaton", "values", "words")

    def __init__(self, words: Mapping[str, V]) -> None:
        self.words = [w for w in words if w]
        self.values: list[V] = [words[w] for w in self.words]
        self._automaton = AhoCorasick(self.words, implementation=Implementation.DFA)

    def find(self, text: str) -> list[tuple[int, int, int]]:
        """Every occurrence, overlapping ones too, ordered by end."""
        return self._automaton.find_matches_as_indexes(text, overlapping=True)

    def any(self, text: str) -> bool:
        return bool(self._automaton.find_matches_as_indexes(text))

"""Place-name gazetteer for Russia and Ukraine: find place mentions in text and resolve them.

The heavy lifting (inflecting Russian/Ukrainian names into every case, transliterating, joining
sources) happens once in `tools/build_gazetteer.py`, which writes `data/gazetteer.json.gz`.
At run time we only load that file into one Aho-Corasick automaton of lower-cased surface
forms and scan: no morphology, no regex per name, so `find()` is linear in the text length.

What a match means is left to the caller (the extractor): a surface form maps to *all* places
that carry it (many villages share a name), ordered by prior (kind, then population), and
`resolve()` picks one using the generic word next to the name ("... области", "district",
"село ...") and the regions already known from context.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from importlib import resources

import ahocorasick
from rapidfuzz import fuzz, process

from transforms.translit import skeleton

__all__ = ["Gazetteer", "Mention", "Place", "fold", "load", "DATA_FILE", "KINDS"]

DATA_FILE = "gazetteer.json.gz"
KINDS = ("admin1", "admin2", "city_district", "locality", "hromada")

# Form flags (bit set, computed at build time).
FLAG_COMMON = 1  # the form is also an ordinary word ("Мир", "Садове", "Most"): weak unless context helps
FLAG_ADJ = 2  # a bare adjective ("Брянской", "Чертковский"): means a region/district only next to a noun


@dataclass(frozen=True, slots=True)
class Place:
    id: str
    kind: str  # 'admin1'|'admin2'|'city_district'|'locality'|'hromada'
    name: str  # English, per the gold conventions
    country: str  # 'RU'|'UA'
    admin1: str  # ISO 3166-2 code
    admin2: str | None  # English admin2 containing it, when known (for admin2 itself: its own name)
    city: str | None  # for city_district: parent city English name
    lat: float | None
    lon: float | None
    population: int | None


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    end: int  # offsets into the text passed to find(); text[start:end] == surface
    surface: str
    places: tuple[Place, ...]  # all candidates for this form, best prior first
    generic: str | None  # 'region'|'district'|'city'|'village'|'hromada', from the words around it
    weak: bool = False  # the name is also a common word / a bare adjective: needs other evidence


# Length-preserving folding shared by the build and the matcher: the automaton is keyed on
# folded forms, and offsets in the folded text must equal offsets in the original.
_FOLD_TABLE = str.maketrans({
    "ё": "е", "’": "'", "ʼ": "'", "`": "'", "‘": "'", "´": "'", "ʻ": "'",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
    "\xa0": " ", "\u202f": " ", "\u2009": " ", "\n": " ", "\t": " ", "\r": " ",
})


def fold(text: str) -> str:
    """Lower-case + unify apostrophes, dashes, spaces and ё, keeping the length unchanged."""
    low = text.lower()
    if len(low) != len(text):  # e.g. 'İ' lower-cases to two code points: do it char by char
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return low.translate(_FOLD_TABLE)


# Generic words. The label says which kinds of place the name then refers to.
_GENERIC_KINDS: dict[str, tuple[str, ...]] = {
    "region": ("admin1",),
    "district": ("admin2", "city_district"),
    "city_district": ("city_district", "admin2"),
    "hromada": ("hromada",),
    "city": ("locality",),
    "village": ("locality",),
}
_AFTER = re.compile(
    r"[ ]{1,3}(?:"
    r"(?P<district>(?:(?:городск|муниципальн|міськ|муніципальн|сельск)\w*[ ]+)?(?:район|округ|р-н)\w*"
    r"|(?:(?:city|urban|municipal|rural)[ ]+)?(?:districts?|raions?|rayons?|okrugs?|municipality)\b)"
    r"|(?P<region>област\w*|обл\b|кра[йяюеё]\w*|oblasts?\b|regions?\b|krai\b|kray\b|territory\b|province\b"
    r"|republic\b|autonomous okrug\b)"
    r"|(?P<hromada>громад\w*|territorial (?:community|hromada)\b|hromadas?\b|communit(?:y|ies)\b)"
    r")"
)
_BEFORE = re.compile(
    r"(?:\b(?P<city>город\w*|г\.|міст[оау]|місті|м\.|city of|town of|city)"
    r"|\b(?P<village>сел[оаеуі]|селом|селищ\w*|с\.|пос[её]л\w*|пгт|смт|с-ще|деревн\w*|д\.|хутор\w*|станиц\w*"
    r"|village of|settlement of|village|settlement)"
    r"|\b(?P<region>республик\w*|республік\w*|republic of))[ ]{1,3}$"
)
_JOINER = re.compile(r"^(?:[ ]*,[ ]*|[ ]+(?:и|і|й|та|and|&)[ ]+|[ ]*,[ ]*(?:и|і|й|та|and)[ ]+)$")


class Gazetteer:
    """Loaded data + matcher. Build with `load()`; it is immutable and safe to share."""

    def __init__(self, payload: dict, version: str) -> None:
        self.version = version
        cols = payload["places"]
        self.places: list[Place] = [
            Place(pid, kind, name, country, admin1, admin2, city, lat, lon, pop)
            for pid, kind, name, country, admin1, admin2, city, lat, lon, pop in cols
        ]
        self._by_id = {p.id: p for p in self.places}
        self._admin1 = {p.admin1: p for p in self.places if p.kind == "admin1"}
        self._forms: list[tuple[int, int, tuple[Place, ...]]] = []  # (length, flags, places)
        automaton = ahocorasick.Automaton()
        places = self.places
        for i, (form, flags, idx) in enumerate(payload["forms"]):
            self._forms.append((len(form), flags, tuple(places[j] for j in idx)))
            automaton.add_word(form, i)
        automaton.make_automaton()
        self._automaton = automaton
        self._fuzzy_index: dict[str, tuple[list[str], list[Place]]] | None = None

    # -- lookup -----------------------------------------------------------------------------
    def admin1(self, code: str) -> Place:
        """The first-level region with this ISO 3166-2 code (KeyError if unknown)."""
        return self._admin1[code]

    def place(self, place_id: str) -> Place | None:
        return self._by_id.get(place_id)

    # -- matching ---------------------------------------------------------------------------
    def find(self, text: str) -> list[Mention]:
        """All name mentions, leftmost-longest, non-overlapping, in text order.

        A form matches only on word boundaries and only if the written surface contains a
        capital letter (place names are capitalised; "мир" the word is not "Мир" the town).
        """
        folded = fold(text)
        n = len(folded)
        forms = self._forms
        hits: list[tuple[int, int, int]] = []
        for last, fi in self._automaton.iter(folded):
            end = last + 1
            start = end - forms[fi][0]
            if (start and folded[start - 1].isalnum()) or (end < n and folded[end].isalnum()):
                continue
            hits.append((start, -end, fi))
        if not hits:
            return []
        hits.sort()
        mentions: list[Mention] = []
        reach = 0
        for start, neg_end, fi in hits:
            end = -neg_end
            if start < reach:
                continue
            surface = text[start:end]
            if surface.islower():
                continue
            reach = end
            _, flags, places = forms[fi]
            mention = self._mention(text, folded, start, end, surface, flags, places)
            reach = mention.end
            mentions.append(mention)
        return _share_generics(folded, mentions)

    def _mention(self, text: str, folded: str, start: int, end: int, surface: str, flags: int,
                 places: tuple[Place, ...]) -> Mention:
        generic = None
        after = _AFTER.match(folded, end)
        if after is not None:
            generic = after.lastgroup
            word = after.group(0).strip()
            if generic == "district" and word.startswith("city district") and any(
                    p.kind == "city_district" for p in places):
                generic = "city_district"
            end = after.end()
            surface = text[start:end]
        else:
            before = _BEFORE.search(folded, max(0, start - 24), start)
            if before is not None:
                generic = before.lastgroup
        weak = bool(flags & FLAG_ADJ) and generic is None
        if flags & FLAG_COMMON and not weak:
            weak = _sentence_start(folded, start) or surface.isupper()
        return Mention(start, end, surface, places, generic, weak)

    def resolve(self, mention: Mention, context_admin1: set[str] | frozenset[str] = frozenset()) -> Place | None:
        """Pick one candidate: kinds the generic word asks for, then regions in context, then prior."""
        cands = list(mention.places)
        if mention.generic in _GENERIC_KINDS:
            wanted = _GENERIC_KINDS[mention.generic]
            fitting = [p for p in cands if p.kind in wanted]
            if fitting:
                fitting.sort(key=lambda p: wanted.index(p.kind))  # stable: prior kept within a kind
                cands = fitting
        if context_admin1:
            inside = [p for p in cands if p.admin1 in context_admin1]
            if inside:
                cands = inside
        return cands[0] if cands else None

    # -- fuzzy --------------------------------------------------------------------------------
    def fuzzy(self, name: str, admin1: str,
              kinds: tuple[str, ...] = ("admin2", "city_district", "locality")) -> Place | None:
        """Best approximate match for a garbled name within one known region, or None.

        For names the automaton cannot see: misspellings and loose translations such as
        "Traktornoy district" for Volgograd's Traktorozavodsky city district.
        """
        index = self._fuzzy()
        keys, places = index.get(admin1, ([], []))
        query = _fuzzy_key(name)
        if not query or not keys:
            return None
        best: tuple[float, int, Place] | None = None
        for key, score, i in process.extract(query, keys, scorer=_score, limit=20, score_cutoff=72):
            place = places[i]
            if place.kind not in kinds:
                continue
            rank = (score, place.population or 0)
            if best is None or rank > best[:2]:
                best = (score, place.population or 0, place)
        return best[2] if best else None

    def _fuzzy(self) -> dict[str, tuple[list[str], list[Place]]]:
        if self._fuzzy_index is None:
            index: dict[str, tuple[list[str], list[Place]]] = defaultdict(lambda: ([], []))
            for p in self.places:
                key = _fuzzy_key(p.name)
                if key:
                    keys, places = index[p.admin1]
                    keys.append(key)
                    places.append(p)
            self._fuzzy_index = dict(index)
        return self._fuzzy_index


_GENERIC_WORDS = re.compile(
    r"\b(?:district|raion|rayon|okrug|municipal|urban|city|oblast|region|krai|kray|hromada|community"
    r"|settlement|village|town|район\w*|округ\w*|област\w*|громад\w*|город\w*|міськ\w*|сел\w*)\b"
)
_ADJ_END = re.compile(r"(?:skyi|skyy|skiy|skii|sky|ski|skoy|skoi|skaya|ska|sk|ii|yi|iy|oy|oi|yy|y|i|a|o|e)$")


def _fuzzy_key(name: str) -> str:
    low = _GENERIC_WORDS.sub(" ", fold(name))
    words = [_ADJ_END.sub("", w) or w for w in skeleton(low).split()]
    return " ".join(words)


def _score(a: str, b: str, **kwargs: object) -> float:
    # Prefix agreement matters most for loose translations ("traktorn" ~ "traktorozavod").
    plain = fuzz.ratio(a, b)
    k = min(len(a), len(b))
    head = fuzz.ratio(a[:k], b[:k]) if k >= 5 else 0.0
    return max(plain, head * 0.9)


def _sentence_start(folded: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and folded[i] in " \"'«»“”(":
        i -= 1
    return i < 0 or folded[i] in ".!?:;\u2026-"


def _share_generics(folded: str, mentions: list[Mention]) -> list[Mention]:
    """"Брянской и Курской областях", "Chertkovsky, Sholokhovsky and Bokovsky districts":
    the generic word written once after the list applies to every name in it."""
    for i in range(len(mentions) - 2, -1, -1):
        cur, nxt = mentions[i], mentions[i + 1]
        if cur.generic is None and nxt.generic is not None and _JOINER.match(folded[cur.end:nxt.start]):
            wanted = _GENERIC_KINDS.get(nxt.generic, ())
            # Only a generic written *after* the next name spreads back ("... и село X" does not).
            if any(p.kind in wanted for p in cur.places) and _generic_after(folded, nxt):
                mentions[i] = Mention(cur.start, cur.end, cur.surface, cur.places, nxt.generic, False)
    return mentions


def _generic_after(folded: str, m: Mention) -> bool:
    tail = _AFTER.search(folded, m.start, m.end)
    return tail is not None and tail.end() == m.end


def _read_payload() -> tuple[dict, str]:
    raw = resources.files("transforms").joinpath("data", DATA_FILE).read_bytes()
    body = gzip.decompress(raw)
    return json.loads(body), hashlib.sha256(body).hexdigest()[:12]


@cache
def load() -> Gazetteer:
    """The shipped gazetteer (loaded once per process)."""
    payload, version = _read_payload()
    return Gazetteer(payload, version)

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
from array import array
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from importlib import resources

import ahocorasick
from rapidfuzz import fuzz, process

from transforms.translit import skeleton

__all__ = ["DATA_FILE", "FLAG_ADJ", "FLAG_COMMON", "KINDS", "Gazetteer", "Mention", "Place", "fold", "load",
           "scan_form"]

DATA_FILE = "gazetteer.json.gz"
KINDS = ("admin1", "admin2", "city_district", "locality", "hromada")

# Form flags (bit set, computed at build time) that make a mention `weak`:
FLAG_COMMON = 1  # also an ordinary word ("Победа", "Most"): weak at a sentence start or in capitals
FLAG_ADJ = 2  # needs a generic word next to it to count: a bare adjective ("Брянской", "Чертковский"),
#               an adjective-named village ("Садове"), a personal name ("Олег"), a foreign city ("Берлин")


@dataclass(frozen=True, slots=True)
class Place:
    id: str
    kind: str  # 'admin1'|'admin2'|'city_district'|'locality'|'hromada'
    name: str  # English, per the gold conventions
    country: str  # 'RU'|'UA'
    admin1: str  # ISO 3166-2 code
    admin2: str | None  # English admin2 containing it, when known (for admin2 itself: its own name;
    #                     for a city district also its own name, as the gold codes city districts as admin2)
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
    generic: str | None  # 'region'|'district'|'city_district'|'city'|'village'|'hromada': from a word
    #                       next to the name, included in the surface when it follows the name
    weak: bool = False  # the name is also a common word / a bare adjective: needs other evidence


# Length-preserving folding shared by the build and the matcher: the automaton is keyed on
# folded forms, and offsets in the folded text must equal offsets in the original.
_FOLD = {
    "ё": "е", "\u2019": "'", "\u02bc": "'", "`": "'", "\u2018": "'", "\u00b4": "'", "\u02bb": "'",
    "\u2010": "-", "\u2011": "-", "\u2012": " ", "\u2013": " ", "\u2014": " ", "\u2015": " ",
    "\xa0": " ", "\u202f": " ", "\u2009": " ", "\n": " ", "\t": " ", "\r": " ",
}
_FOLD_TABLE = str.maketrans(_FOLD)
# For scanning, every character that cannot be part of a name becomes a space, so that forms
# stored as " name " match only on word boundaries: the automaton itself does that check.
# (str.replace / re.sub here: str.translate is slow on non-Latin-1 text.)
_APOSTROPHES = ("\u2019", "\u02bc", "`", "\u2018", "\u00b4", "\u02bb")
# Any character but a word character, ' or a dash (incl. every whitespace), and "_". The plain space
# is left out: it would be replaced by itself, and skipping it cuts the matches several-fold.
_NOT_NAME = re.compile(r"[^\w '\-\u2010\u2011]|_")


def _bmp_class(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The characters below U+10000 that the one-character `pattern` matches, as one plain character
    class: the engine tests it with a bitmap instead of Unicode category lookups (~2.5x faster)."""
    ranges: list[list[int]] = []
    for cp in range(0x10000):
        if pattern.match(chr(cp)):
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1][1] = cp
            else:
                ranges.append([cp, cp])
    return re.compile("[" + "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges) + "]")


_NOT_NAME_BMP = _bmp_class(_NOT_NAME)  # same matches as _NOT_NAME on text without astral characters
_LONE_MARK = re.compile(r"['\-](?<![^\W\d_]['\-])|['\-](?![^\W\d_])")  # ' or - not inside a word


def _lower(text: str) -> str:
    low = text.lower()
    if len(low) != len(text):  # e.g. 'İ' lower-cases to two code points: do it char by char
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return low


def fold(text: str) -> str:
    """Lower-case + unify apostrophes, dashes, spaces and ё, keeping the length unchanged."""
    return _lower(text).translate(_FOLD_TABLE)


def scan_form(text: str) -> str:
    """The key a name or a text is matched on: folded, punctuation blanked, same length."""
    return _blank(_lower(text))


def _blank(low: str) -> str:
    s = low.replace("ё", "е")
    for mark in _APOSTROPHES:
        if mark in s:
            s = s.replace(mark, "'")
    s = s.replace("\u2010", "-").replace("\u2011", "-")
    s = _NOT_NAME_BMP.sub(" ", s)
    if len(s.encode("utf-16-le", "surrogatepass")) != 2 * len(s):  # characters beyond U+FFFF (emoji)
        s = _NOT_NAME.sub(" ", s)
    if "'" in s or "-" in s:
        s = _LONE_MARK.sub(" ", s)
    # English possessive: "Kharkiv's" scans as "kharkiv   ".
    s = s.replace("'s ", "   ")
    return s[:-2] + "  " if s.endswith("'s") else s


# Generic words. The label says which kinds of place the name then refers to.
_GENERIC_KINDS: dict[str, tuple[str, ...]] = {
    "region": ("admin1",),
    "district": ("admin2", "city_district"),
    "city_district": ("city_district", "admin2"),
    "hromada": ("hromada",),
    "city": ("locality",),
    "village": ("locality",),
}
# Generic words next to a name. Checked per hit, behind a C-level startswith/endswith filter.
_AFTER = re.compile(
    r"\s{1,3}(?:"
    r"(?P<district>(?:(?:городск|муниципальн|міськ|муніципальн|сельск|сільськ)\w*\s+)?(?:район|округ|р-н)\w*"
    r"|рва\b|рда\b"
    r"|(?:(?:city|urban|municipal|rural)\s+)?(?:districts?|raions?|rayons?|okrugs?|municipality)\b)"
    r"|(?P<city>city\b|town\b)"
    r"|(?P<village>villages?\b|settlements?\b)"
    r"|(?P<region>област\w*|обл\b|кра[йяюеё]\w*|автономн\w*\s+(?:округ|област)\w*|народн\w*\s+республик\w*"
    r"|ова\b|ода\b|ога\b|вга\b|oblasts?\b|regions?\b|krai\b|kray\b|territory\b|province\b|republic\b"
    r"|autonomous okrug\b|people's republic\b)"
    r"|(?P<hromada>(?:сільськ\w*\s+|селищн\w*\s+|міськ\w*\s+|територіальн\w*\s+)?громад\w*"
    r"|тг\b|отг\b|(?:сельск\w*\s+|поселков\w*\s+|городск\w*\s+|территориальн\w*\s+)?общин\w*"
    r"|territorial (?:community|hromada)\b|hromadas?\b|communit(?:y|ies)\b)"
    r")"
)
_AFTER_STEMS = (
    "област", "обл", "кра", "район", "р-н", "округ", "громад", "городск", "муниципальн", "міськ",
    "муніципальн", "сельск", "сільськ", "селищн", "територіальн", "автономн", "district", "raion", "rayon",
    "okrug", "municipal", "city", "urban", "rural", "oblast", "region", "krai", "kray", "territor",
    "province", "republic", "autonomous", "hromad", "communit", "народн", "people's", "town", "village",
    "settlement", "ова", "ода", "ога", "вга", "рва", "рда", "тг", "отг", "общин", "поселков", "территориальн",
)
_BEFORE = re.compile(
    r"(?:\b(?P<city>город|города|городе|городом|г\.|міст[оау]|місті|м\.|city of|town of)"
    r"|\b(?P<village>сел[оаеуі]|селом|селищ[еаіу]|с\.|пос[её]л(?:ок|ка|ке|ком)|пос\.|пгт|смт|с-ще|деревн[яиеюй]"
    r"|д\.|хутор[аеу]?|станиц[аыеу]|village of|settlement of|village|settlement)"
    r"|\b(?P<region>республик[аиеу]|республік[аиіу]|republic of|region of|oblast of|province of)"
    r"|\b(?P<district>(?:urban |municipal )district of|(?<=the )district of|(?:городск|муниципальн|міськ)\w+ округ\w*))"
    r"\s{1,3}$"
)
_BEFORE_ENDS = (
    "город", "города", "городе", "городом", "г.", "місто", "міста", "місті", "місту", "м.", "city of",
    "town of", "село", "села", "селе", "селу", "селі", "селом", "селище", "селища", "селищі", "селищу", "с.",
    "поселок", "посёлок", "поселка", "посёлка", "поселке", "посёлке", "поселком", "посёлком", "пос.", "пгт", "смт",
    "с-ще", "деревня", "деревне", "деревни", "деревню", "деревней", "д.", "хутор", "хутора", "хуторе",
    "хутору", "станица", "станицы", "станице", "станицу", "village of", "settlement of", "village",
    "settlement", "республика", "республики", "республике", "республику", "республіка", "республіки",
    "республіці", "республіку", "republic of", "region of", "oblast of", "province of", "district of",
    "округ", "округа", "округе", "округу", "округом", "окрузі",
)
_JOINER = re.compile(r"\s*,\s*(?:(?:и|і|й|та|and)\s+)?|\s+(?:и|і|й|та|and|&)\s+")


class Gazetteer:
    """Loaded data + matcher. Get it with `load()`; read-only after loading (only a small cache of
    candidate tuples fills up), so one instance is shared by the whole process."""

    def __init__(self, payload: dict, version: str) -> None:
        self.version = version
        cols = payload["places"]
        self.places: list[Place] = [
            Place(pid, kind, name, country, admin1, admin2, city, lat, lon, pop)
            for pid, kind, name, country, admin1, admin2, city, lat, lon, pop in cols
        ]
        self._by_id = {p.id: p for p in self.places}
        self._admin1 = {p.admin1: p for p in self.places if p.kind == "admin1"}
        # Per form: the length of " form ", its flags and its candidates' indexes as packed text,
        # in flat arrays (300k tuples and strings would cost ~35 MB more, in every process that
        # touches them). The candidate tuples are built on first use: building all 300k of
        # them would double the load time.
        forms = payload["forms"].split("\n")
        self._form_width = array("H", [len(form) + 2 for form in forms])
        self._form_flags = array("B", [int(f) for f in payload["flags"]])
        self._packed = payload["candidates"] + ";"  # form i: _packed[_starts[i]:_starts[i + 1] - 1]
        self._starts = array("I", [0])
        self._starts.extend(m.end() for m in re.finditer(";", self._packed))
        self._cands: dict[int, tuple[Place, ...]] = {}
        automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)  # C ints, not 376,000 int objects: ~12 MB
        for i, form in enumerate(forms):
            automaton.add_word(f" {form} ", i)
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
        low = _lower(text)
        scan = " " + _blank(low) + " "
        width = self._form_width
        # scan = " " + text + " " and forms are stored as " name ": a hit ending at scan index
        # `last` covers text[start:last - 1], where start is the scan index of its leading space.
        hits = [(last - width[fi] + 1, last, fi) for last, fi in self._automaton.iter(scan)]
        if not hits:
            return []
        hits.sort(key=_by_start_then_longest)
        mentions: list[Mention] = []
        spreads: list[bool] = []  # generic came from a word after the name (may apply to a list)
        reach = 0
        for start, last, fi in hits:
            if start < reach:
                continue
            end = last - 1
            surface = text[start:end]
            if surface.islower():
                continue
            flags = self._form_flags[fi]
            places = self._cands.get(fi)
            if places is None:
                packed = self._packed[self._starts[fi]:self._starts[fi + 1] - 1]
                places = self._cands[fi] = tuple(self.places[int(j)] for j in packed.split(","))
            generic = tail = None
            if low.startswith(_AFTER_STEMS, end + 1) and (tail := _AFTER.match(low, end)) is not None:
                generic = tail.lastgroup
                if generic == "district" and tail.group(0).lstrip().startswith("city district") and any(
                        p.kind == "city_district" for p in places):
                    generic = "city_district"
                end = tail.end()
                surface = text[start:end]
            elif start > 1 and low.endswith(_BEFORE_ENDS, 0, start - 1):
                head = _BEFORE.search(low, max(0, start - 24), start)
                generic = head.lastgroup if head is not None else None
            weak = False
            if flags:
                weak = bool(flags & FLAG_ADJ) and generic is None
                if flags & FLAG_COMMON and not weak and generic is None:
                    weak = _sentence_start(low, start) or surface.isupper()
            mentions.append(Mention(start, end, surface, places, generic, weak))
            spreads.append(tail is not None)
            reach = end
        _share_generics(low, mentions, spreads)
        _elided_generics(low, mentions)
        return mentions

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
        # "Chertkovskiy" is the district, "Chertkovo" the village: on equal scores, an adjectival
        # query prefers the adjectival kinds and a plain one the localities.
        adjectival = bool(_ADJECTIVAL.search(fold(name)))
        best: tuple[tuple[float, bool, int], Place] | None = None
        for key, score, i in process.extract(query, keys, scorer=_score, limit=20, score_cutoff=72):
            place = places[i]
            if place.kind not in kinds or (len(query) < 5 and len(key) != len(query)):
                continue  # a short key ("sil" of "Силы") only by a letter changed in place ("brod", "brid")
            rank = (round(score, 1), (place.kind != "locality") == adjectival, place.population or 0)
            if best is None or rank > best[0]:
                best = (rank, place)
        return best[1] if best else None

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
_ADJECTIVAL = re.compile(r"(?:sk|ck|зк|ск|цк|зьк|ськ|цьк)(?:iy|yi|y|ii|yy|oy|oi|ий|ой|ый|a|aya|ая|а|e|ое|е)?\b")
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


def _by_start_then_longest(hit: tuple[int, int, int]) -> tuple[int, int]:
    return hit[0], -hit[1]


def _sentence_start(low: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and low[i] in " \n\t\"'«»“”(":
        i -= 1
    return i < 0 or low[i] in ".!?:;\u2026-—"


def _share_generics(low: str, mentions: list[Mention], spreads: list[bool]) -> None:
    """"Брянской и Курской областях", "Chertkovsky, Sholokhovsky and Bokovsky districts":
    the generic word written once after the list applies to every name in it (in place)."""
    for i in range(len(mentions) - 2, -1, -1):
        cur, nxt = mentions[i], mentions[i + 1]
        if cur.generic is not None or not spreads[i + 1] or not _JOINER.fullmatch(low, cur.end, nxt.start):
            continue
        wanted = _GENERIC_KINDS.get(nxt.generic or "", ())
        if any(p.kind in wanted for p in cur.places):
            mentions[i] = Mention(cur.start, cur.end, cur.surface, cur.places, nxt.generic, False)
            spreads[i] = True


# "обстріляли 4 громади: ... У Великописарівській був обстріл", "над Брянской областью, четыре - над
# Курской": an adjectival name whose generic word the text wrote shortly before and then left out.
_ELIDED = re.compile(r"(?<![\w'])(?:(?P<hromada>громад\w*|общин\w*|hromadas?|communities)|(?P<region>област\w*|oblasts?"
                     r"|regions?)|(?P<district>район\w*|districts?))(?![\w'])")
_ELIDED_REACH = 400
_SENTENCE_END = re.compile(r"[.!?\n]")
# Only a Russian or Ukrainian adjective can stand for its noun ("Курской", "Великописарівській"); a
# weak English name is a person ("governor Vladimir Saldo"), not an elided "Vladimir region".
_ADJECTIVE_END = re.compile(r"[сцз]ь?к(?:ой|ого|ому|ом|ая|ую|ий|ій|ої|а|у|им|ім|их|іх|ые|і)$")


# "області"/"громади" are feminine: the adjective that leaves them out agrees ("над Курской", "у Великописарівській"),
# "Приморського" does not (it is a village, or the krai of a masculine noun)
_FEMININE_END = re.compile(r"(?:ая|ой|ую|ою|ей|ої|ій|а|у)(?![\w'])")


def _elided_generics(low: str, mentions: list[Mention]) -> None:
    for i, m in enumerate(mentions):
        if not m.weak or m.generic is not None or not _ADJECTIVE_END.search(low, m.start, m.end):
            continue
        kinds = {p.kind for p in m.places}
        # A list's own generic after it ("Хотинська, Миколаївська сільська, ... громади") comes first,
        # then the nearest one before that fits the name ("3 громади області. У Великописарівській").
        stop = _SENTENCE_END.search(low, m.end)
        after = list(_ELIDED.finditer(low, m.end, stop.start() if stop else len(low)))
        before = list(_ELIDED.finditer(low, max(0, m.start - _ELIDED_REACH), m.start))[::-1]
        found = next((g for g in after + before if kinds & set(_GENERIC_KINDS[g.lastgroup or ""])), None)
        generic = found.lastgroup if found else None
        if generic is None or (generic != "region" and "admin1" in kinds):
            continue  # "Сумській" after "громад" may still be the region: left as it was
        # a word that does not agree with a feminine "області"/"громади" it would leave out stays weak: "Приморського"
        # may be the krai, or a village of the region the text is about (`places._pick` decides)
        agrees = found is None or not found.group().startswith(("област", "громад")) or _FEMININE_END.search(low, m.start, m.end)
        mentions[i] = Mention(m.start, m.end, m.surface, m.places, generic, not agrees)


def _read_payload() -> tuple[dict, str]:
    raw = resources.files("transforms").joinpath("data", DATA_FILE).read_bytes()
    body = gzip.decompress(raw)
    return json.loads(body), hashlib.sha256(body).hexdigest()[:12]


@cache
def load() -> Gazetteer:
    """The shipped gazetteer (loaded once per process)."""
    payload, version = _read_payload()
    return Gazetteer(payload, version)

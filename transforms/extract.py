"""Rule-based incident extraction: article text in, one dict per incident out.

How it reads an article (each step is a small function below):
1. Cut at boilerplate ("Related:", "Читайте також") and split into sentences with offsets.
2. For each sentence: place mentions from the gazetteer (dropping launch areas, officials' titles,
   "Moscow time", streets), cue words per clause (interception / strike / debris), weapons, counts,
   casualties; sentences recalling earlier events are skipped.
3. Places get the event types of their own clause, else of the sentence; a sentence with cues but no
   place continues the previous sentence's place; a casualty-only sentence updates the previous
   incident.
4. Raw incidents are merged: one per event type and place; a region-level report is folded into the
   single finer place of the same type, counts are added or restated, the latest casualty figure wins.
Rules are about language, never about particular articles: they must hold for unseen news.

Modules: `places` (which mentions are event places), `cues` (event types, weapons, counts),
`casualties`, `dates`, `merge` (sentence findings -> incidents), `lexicon` (all word lists),
`sentences` (spans, clauses, the length-preserving fold), `numbers`, `fallback_places`.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from transforms import lexicon as lx
from transforms.casualties import find_casualties
from transforms.casualty_scope import NoneStatement, apply_none_statements, none_statement
from transforms.cues import (
    countables,
    cue_types,
    has_damage,
    listed_people,
    quantity_for,
    singular_weapons,
    spared_parts,
    strong_strike,
    types_for_place,
    weapon_counts,
    weapons_in,
)
from transforms.dates import (
    DAY_MONTH,
    DAY_WEEKDAY,
    DAY_WORDS,
    dated_before,
    event_date,
    explicit_dates,
    is_background_date,
    names_a_day,
    ordinal_background,
    past_month,
    weekday_before,
)
from transforms.gates import prefixes
from transforms.gazetteer import Gazetteer, Place
from transforms.literals import Literals
from transforms.merge import RawIncident, merge, set_casualties, to_dict
from transforms.numbers import number_spans
from transforms.places import (
    FACILITY_WORDS,
    G_CENTRE,
    G_DISTRICT_NAME,
    G_SETTLEMENT,
    ArticleCtx,
    PlaceRef,
    article_context,
    facility_places,
    fallback_places,
    fuzzy_places,
    leaves,
    new_districts,
    resolve_mentions,
    sentence_gate,
)
from transforms.sentences import casualty_segments, clauses, fold, segments, split_sentences

# The modules whose code decides what is extracted (all that `import transforms.extract` loads; a test
# keeps the list whole). Their source's digest is the rules part of EXTRACTOR_VERSION, so any rule change
# gives a new version and `incidents reprocess` re-extracts what the old rules found.
RULE_MODULES = ("casualties", "casualty_scope", "cues", "dates", "extract", "fallback_places", "gates",
                "gazetteer", "lexicon", "literals", "merge", "numbers", "places", "scoring", "sentences", "translit")


def _rules_digest() -> str:
    digest = hashlib.sha256()
    folder = Path(__file__).parent
    if folder.name == "_native":  # this module compiled (tools/build_native.py): the sources are one up
        folder = folder.parent
    for name in RULE_MODULES:
        digest.update(name.encode() + b"\0" + (folder / f"{name}.py").read_bytes())
    return digest.hexdigest()[:12]


RULES_VERSION = _rules_digest()
MAX_TEXT = 60_000  # news articles are far shorter (dev max ~3 KB); the rest of a huge input is not read
CONTEXT_SENTENCES = 4  # how far back a placeless sentence may look for its place
_DIGIT = re.compile(r"\d")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def _gazetteer():
    from transforms.gazetteer import load

    return load()


def _version() -> str:
    try:
        gaz = _gazetteer().version
    except Exception:  # noqa: BLE001 - the version string must never break an import
        gaz = "none"
    return f"rules-{RULES_VERSION}+gaz-{gaz}"


EXTRACTOR_VERSION: str = _version()


def is_candidate(text: str) -> bool:
    """Cheap prefilter: does the text name a weapon, air defence or shelling at all? One automaton pass."""
    if not text or not isinstance(text, str):
        return False
    return lx.CANDIDATE_WORDS.any(text[:MAX_TEXT].lower())


# --- the article -----------------------------------------------------------------------------
@dataclass(slots=True)
class _Sent:
    start: int
    end: int
    folded: str
    line: int
    mentions: list = field(default_factory=list)
    background: bool = False
    hot: int = 0  # bit mask of word groups present (lexicon.*_BIT): what is worth analysing
    weapons: tuple | None = None  # cached weapons_in() result
    item: bool = False  # a list item ("- two over the Kursk region", "1) ...")
    repeat: bool = False  # the same words as an earlier sentence (a lead repeated under the headline)


def extract_article(text: object, *, article_id: str, published: date | None = None,
                    title: str | None = None, language: str | None = None) -> list[dict]:
    """Incidents reported as news in `text` (see module docstring).

    A failure raises: a rule that crashes on some text is a bug the robustness tests must see, not
    an article with no incidents. The pipeline's batch layer (`transforms.batch.extract_incidents`)
    turns a failure into a quarantine row with the reason, so one odd article never stops a run.
    `title` and `language` are accepted for callers that have them; the text decides."""
    if not isinstance(text, str) or not is_candidate(text):
        return []
    _gazetteer()  # a missing or broken gazetteer must fail loudly, not look like "no incidents"
    return _extract(article_id, text[:MAX_TEXT], published)


_CHUNK = 64  # articles whose article-wide passes run together in `extract_batch`


def extract_batch(articles: Sequence[tuple[str, object, date | None]]) -> list[list[dict] | Exception]:
    """`extract_article` for many (article id, text, publication date): each one's incidents, in order,
    or the exception the extractor raised on it; the other articles are read all the same, and the caller
    decides what a failure becomes (`transforms.batch` makes it a quarantine row).

    Each article gets exactly what `extract_article` gives it. The difference is the order of the work:
    the passes over whole articles (`_PASSES`: markup, folding, the gazetteer's names, the hot words) run
    one at a time over chunks of `_CHUNK` articles, so each pass's automaton stays in the CPU cache from
    one article to the next: ~14 % less CPU on attack-dense text (bench/README, stop 25)."""
    out: list[list[dict] | Exception] = [[] for _ in articles]
    for first in range(0, len(articles), _CHUNK):
        pending: dict[int, _Pending] = {}
        for i in range(first, min(first + _CHUNK, len(articles))):
            article_id, text, published = articles[i]
            if isinstance(text, str) and is_candidate(text):
                pending[i] = _Pending(article_id, text[:MAX_TEXT], published)
        for step in _PASSES:
            for i, p in list(pending.items()):
                try:
                    step(p)
                except Exception as exc:  # noqa: BLE001 - that article's result, see docstring
                    out[i] = exc
                    del pending[i]
        for i, p in pending.items():
            try:
                out[i] = _read(p)
            except Exception as exc:  # noqa: BLE001 - as above
                out[i] = exc
    return out


@dataclass(slots=True)
class _Scan:
    """What one automaton pass over the whole article finds: hot words, and where each of the
    article-wide patterns (`_ARTICLE_PATTERNS`) may start, so that a sentence's regex runs only when one
    of its literal heads lies inside the sentence."""
    hot_hits: list  # (end, HOT bits) in text order
    starts: list  # per article pattern: sorted positions where it may start (None: anywhere)
    quiet: bool  # some sentence may say places were spared ("reported no hits")
    facilities: bool  # a plant, port or airfield may be named

    @property
    def recalls(self) -> list | None:
        return self.starts[_P_RECALL]


def _scan(folded_all: str) -> _Scan:
    starts: list = [None if heads is None else set() for heads in _ARTICLE_HEADS] + [set(), set()]
    hot_hits, facilities = [], False
    values = _ARTICLE_WORDS.values
    for k, start, end in _ARTICLE_WORDS.find(folded_all):
        bits, heads, facility, day = values[k]
        if bits:
            hot_hits.append((end - 1, bits))
        for p in heads:
            starts[p].add(start)
        facilities = facilities or facility
        if day and (start == 0 or not folded_all[start - 1].isalnum()):  # a month or weekday word
            if day & DAY_MONTH:
                starts[_P_MONTH].add(start)
            if day & DAY_WEEKDAY:
                starts[_P_WEEKDAY].add(start)
    starts = [None if found is None else sorted(found) for found in starts]
    quiet_at = starts[_P_QUIET]
    quiet = lx.QUIET_RE.search(folded_all) is not None if quiet_at is None else any(
        lx.QUIET_RE.match(folded_all, pos) for pos in quiet_at)
    return _Scan(hot_hits, starts, quiet, facilities)


def _sentences(text: str, folded_all: str, mentions, published: date | None, scan: _Scan) -> list[_Sent]:
    """Sentences up to the first boilerplate line, with their mentions and a background flag.

    Without a publication date, the latest date the article writes out with its year stands in for it,
    so that "In December 2023, ..." in a story about 2024 is still recognised as background."""
    stand_in = published is None and _YEAR.search(folded_all) is not None
    if stand_in:
        published = max(explicit_dates(folded_all, None), default=None)
    sents: list[_Sent] = []
    hot_hits, recalls, exercises = scan.hot_hits, scan.recalls, scan.starts[_P_EXERCISE]
    hi = 0
    line, pos, mi = 0, 0, 0
    background_line = -1
    period_at = _aggregate_lead(folded_all)  # a statistics piece if no event was reported before it
    months, weekdays = scan.starts[_P_MONTH], scan.starts[_P_WEEKDAY]
    seen: set[str] = set()
    news = False  # an event reported already: "on Friday" in a Monday story's lead is its news, later it is not
    for s, e in split_sentences(text):
        f = folded_all[s:e]
        line += folded_all.count("\n", pos, s)
        pos = s
        if lx.BOILERPLATE_RE.match(f) and (s == 0 or text[s - 1] == "\n"):
            break
        sent = _Sent(s, e, f, line)
        while hi < len(hot_hits) and hot_hits[hi][0] < s:
            hi += 1
        j = hi
        while j < len(hot_hits) and hot_hits[j][0] < e:
            sent.hot |= hot_hits[j][1]
            j += 1
        while mi < len(mentions) and mentions[mi].start < s:
            mi += 1
        j = mi
        while j < len(mentions) and mentions[j].start < e:
            sent.mentions.append(mentions[j])
            j += 1
        # Recalled events ("Нагадаємо", an earlier explicit date) taint the rest of their paragraph.
        recap = lx.RECAP_START_RE.match(f) is not None
        # A stand-in date (from a biography's "in February 2024") cannot place "on 29 September".
        pub = None if stand_in and not _YEAR.search(f) else published
        if period_at is not None and period_at >= e and sent.hot & lx.CUE_BIT \
                and "\n" not in folded_all[e:period_at]:
            period_at = None  # "A drone hit X. It was captured in June.": the paragraph's news came first
        if (period_at is not None and not names_a_day(f)) or ((">" in f or "»" in f) and lx.BREADCRUMB_RE.search(f)):
            sent.background = True
        elif recap and _fresh(f) and not dated_before(f, pub):
            pass  # "as previously reported, this morning ...": a recap of today's news is news
        elif lx.BACKGROUND_START_RE.match(f) or is_background_date(f, pub) or (recap and dated_before(f, pub)) \
                or (sent.hot and _may_start_in(exercises, s, e) and any(w in f for w in lx.EXERCISE_WORDS)
                    and lx.EXERCISE_RE.search(f)) \
                or (sent.hot and _may_start_in(months, s, e) and not _DIGIT.search(f) and ordinal_background(f, pub)) \
                or (sent.hot and ((_may_start_in(months, s, e) and past_month(f, pub))
                                  or (news and _may_start_in(weekdays, s, e) and weekday_before(f, pub)))):
            background_line = line
            sent.background = True
        elif (line == background_line and not _fresh(f)) or (_may_start_in(recalls, s, e)
                                                              and lx.BACKGROUND_ANY_RE.search(f)):
            sent.background = True
        if len(f) > 40:  # "Russia's defence ministry says ... including eight near Tuapse." twice is one report
            sent.repeat = f in seen
            seen.add(f)
        news = news or (not sent.background and bool(sent.hot & lx.CUE_BIT))
        sents.append(sent)
    return sents


# Patterns run on single sentences whose literal heads the article's automaton pass finds once:
# the regex runs only in sentences holding one (`_may_start_in`); the answers stay those of the regex.
_ARTICLE_PATTERNS = (lx.BACKGROUND_ANY_RE, lx.QUIET_RE, lx.COUNTRY_TARGET_RE, lx.NATIONAL_AUTHORITY_RE,
                     lx.EXERCISE_RE)
_P_RECALL, _P_QUIET, _P_COUNTRY, _P_AUTHORITY, _P_EXERCISE = range(len(_ARTICLE_PATTERNS))
_P_MONTH, _P_WEEKDAY = len(_ARTICLE_PATTERNS), len(_ARTICLE_PATTERNS) + 1  # `dates.DAY_WORDS` at word starts
_ARTICLE_HEADS = tuple(prefixes(p) for p in _ARTICLE_PATTERNS)  # None: a pattern with no literal head


def _article_words() -> Literals:
    """`lexicon.HOT_STEMS`, the heads of `_ARTICLE_PATTERNS` (as `transforms.gates` reads them), the plant
    words and the month and weekday words in one automaton: value (HOT_STEMS bits or 0, (pattern, ...)
    whose head the word is, a plant word?, `dates.DAY_WORDS` kind bits or 0)."""
    values: dict[str, list] = {stem: [bits, [], False, 0] for stem, bits in lx.HOT_STEMS.items()}
    for k, heads in enumerate(_ARTICLE_HEADS):
        for head in heads or ():
            values.setdefault(head, [0, [], False, 0])[1].append(k)
    for word in FACILITY_WORDS:
        values.setdefault(word, [0, [], False, 0])[2] = True
    for word, kind in DAY_WORDS.items():
        values.setdefault(word, [0, [], False, 0])[3] = kind
    return Literals({word: (bits, tuple(heads), facility, day) for word, (bits, heads, facility, day) in values.items()})


_ARTICLE_WORDS = _article_words()


def _may_start_in(starts: list[int] | None, s: int, e: int) -> bool:
    """Does a candidate position fall inside [s, e)? (None: positions unknown, so maybe.)"""
    if starts is None:
        return True
    k = bisect_left(starts, s)
    return k < len(starts) and starts[k] < e


_MARKUP_CHARS = "*_\u200b\u200c\u200d\u2060\ufeff\u00ad"
_MARKUP = re.compile(f"[{_MARKUP_CHARS}]+")


def _strip_markup(text: str) -> tuple[str, list[int] | None]:
    """Drop Telegram/Markdown emphasis and zero-width characters ("**Белгородской** **области**" must read
    as one name), keeping a map from every kept character back to its offset in the original text."""
    if not any(c in text for c in _MARKUP_CHARS):  # str.__contains__ is far faster than the regex search
        return text, None
    kept: list[str] = []
    index: list[int] = []
    pos = 0
    for m in _MARKUP.finditer(text):
        kept.append(text[pos:m.start()])
        index.extend(range(pos, m.start()))
        pos = m.end()
    kept.append(text[pos:])
    index.extend(range(pos, len(text)))
    return "".join(kept), index


@dataclass(slots=True)
class _Pending:
    """One article on its way through the article-wide passes (`_PASSES`), before its sentences are read."""
    article_id: str
    original: str
    published: date | None
    text: str = ""  # `original` without markup
    index: list[int] | None = None  # offsets in `text` -> offsets in `original` (None: the same)
    folded: str = ""
    mentions: list = field(default_factory=list)
    scan: _Scan | None = None


def _unmarked(p: _Pending) -> None:
    p.text, p.index = _strip_markup(p.original)


def _folded(p: _Pending) -> None:
    p.folded = fold(p.text)


def _named(p: _Pending) -> None:
    p.mentions = _gazetteer().find(p.text)


def _scanned(p: _Pending) -> None:
    p.scan = _scan(p.folded)


# The passes over a whole article, in order. `extract_batch` runs each over a chunk of articles before
# the next: the gazetteer's and the word lists' automata then stay in the CPU cache from one article to
# the next instead of being read back from memory for each (bench/README, "Extraction speed", stop 25).
_PASSES = (_unmarked, _folded, _named, _scanned)


def _replaceable(fn: Callable) -> Callable:
    """Calls to a function so marked look it up in the module each time, also when the module is compiled
    (tools/build_native.py: mypyc calls the module's other functions directly), so a test can replace it
    (`conftest.fail_extraction_for`, tests/test_extract_failure.py)."""
    return fn


@_replaceable
def _extract(article_id: str, original: str, published: date | None) -> list[dict]:
    p = _Pending(article_id, original, published)
    for step in _PASSES:
        step(p)
    return _read(p)


@_replaceable
def _read(p: _Pending) -> list[dict]:
    """The article's incidents from its passes, with evidence offsets into the original text."""
    incidents = _extract_clean(p.text, p.folded, p.mentions, p.scan, p.published)  # type: ignore[arg-type]
    index, original = p.index, p.original
    if index is not None:
        for inc in incidents:
            start, end = inc["evidence_start"], inc["evidence_end"]
            inc["evidence_start"] = index[start] if start < len(index) else len(original)
            inc["evidence_end"] = index[end - 1] + 1 if end > start else inc["evidence_start"]
            inc["evidence"] = original[inc["evidence_start"]:inc["evidence_end"]]
    return incidents


@dataclass(slots=True)
class _Article:
    """What every sentence of one article reads: its text, mentions context and article-wide facts."""
    gaz: Gazetteer
    text: str
    folded: str
    actx: ArticleCtx
    casualties: Callable[[str], Any]
    weapons: set = field(default_factory=set)  # every weapon named in a news sentence
    weapon_at: int = -1  # where the first news sentence that names a weapon starts
    attack: bool = False  # some sentence reports a strong strike
    quiet: bool = False  # some sentence may say places were spared ("reported no hits")
    shelling: bool = False  # some sentence reports shelling without naming a weapon
    mentions: list = field(default_factory=list)  # the article's gazetteer mentions
    raws: list = field(default_factory=list)
    statements: list = field(default_factory=list)  # "no one was hurt": applied once all incidents are known
    starts: list = field(default_factory=list)  # the article patterns' heads (`_Scan.starts`)


@dataclass(slots=True)
class _Carry:
    """What a sentence leaves to the next ones: its places, weapons, count and list intro."""
    recent: list = field(default_factory=list)  # incidents of the last sentence that made any
    recent_sent: int = -99
    recent_line: int = -1  # the paragraph (line) of that sentence
    ctx_places: list = field(default_factory=list)
    ctx_sent: int = -99
    national_sent: int = -99  # the last cued sentence about the whole country ("Russia fired 597 drones into Ukraine")
    list_types: dict = field(default_factory=dict)  # cue of an intro line ending with ':'
    list_weapons: set = field(default_factory=set)
    last_weapons: set = field(default_factory=set)
    last_count: int | None = None
    last_countable: bool = False
    last_cued: bool = False
    last_types: dict = field(default_factory=dict)  # cue types of the last sentence that made incidents
    seen: frozenset = frozenset()  # ids of the places the article has named so far
    main_admin1: str | None = None
    last_intercept: tuple = (-99, frozenset())  # sentence and weapons of the last interception
    # the last cued sentence that named no place ("94 drones were shot down"): its types and weapons
    unplaced: tuple = (-99, frozenset(), frozenset())
    heading: Place | None = None  # the district a paragraph opens with ("Белгородский район."), for its villages
    heading_line: int = -1
    town_heading: int = -99  # the sentence that is only a town's name opening its paragraph ("Білозерське.")

    def forget(self) -> None:
        """A background sentence: nothing before it carries over it."""
        self.recent, self.ctx_places, self.list_types = [], [], {}
        self.last_weapons, self.last_count, self.last_countable = set(), None, False

    def remember(self, weapons: set, count: int | None, countable: bool) -> None:
        self.last_weapons, self.last_count, self.last_countable = weapons, count, countable


@dataclass(slots=True)
class _Cues:
    """One sentence's event types, weapons and casualties, before places are attached."""
    cue_pos: dict
    implied: bool
    weapons: set
    shelling_only: bool
    own_weapons: set  # the weapons the sentence itself names (`weapons` may inherit)
    count: int | None
    killed: int | None
    injured: int | None
    countable: list
    anaphor: bool

    @property
    def has_cas(self) -> bool:
        return self.killed is not None or self.injured is not None


def _extract_clean(text: str, folded_all: str, mentions: list, scan: _Scan, published: date | None) -> list[dict]:
    gaz = _gazetteer()
    sents = _sentences(text, folded_all, mentions, published, scan)
    art = _Article(gaz, text, folded_all, article_context(mentions, folded_all, scan.facilities),
                   _memo(find_casualties), quiet=scan.quiet, mentions=mentions, starts=scan.starts)
    _scan_weapons(art, sents)
    carry = _Carry()
    for idx, sent in enumerate(sents):
        if sent.background:
            carry.forget()
        elif not sent.repeat:
            _sentence(art, carry, sent, idx)
    incidents = merge(art.raws)
    apply_none_statements(incidents, art.statements, [sent.line for sent in sents])
    dated = _memo(lambda folded: event_date(folded, published))
    for r in incidents:  # dates only for what survives merging: the date words of its evidence sentence
        r.edate, r.dprec = dated(r.folded)
    return sorted((to_dict(r, text) for r in incidents), key=_reading_order)


def _reading_order(inc: dict) -> tuple:
    """Incidents in the order the text gives them; merging groups through sets, whose order would
    otherwise change with Python's hash seed from one process to the next."""
    return (inc["evidence_start"], _TYPE_ORDER.get(inc["event_type"], 9), inc.get("admin1") or "",
            inc.get("admin2") or "", inc.get("locality") or "")


_TYPE_ORDER = {"interception": 0, "debris": 1, "strike": 2}


def _scan_weapons(art: _Article, sents: list[_Sent]) -> None:
    """The article's weapons, for sentences that name none when only one is ever named."""
    for sent in sents:
        if not sent.background and sent.hot & (lx.WEAPON_BIT | lx.CUE_BIT):
            sent.weapons = weapons_in(sent.folded)
            art.weapons |= sent.weapons[0]
            if art.weapon_at < 0 and sent.weapons[0] - {lx.AIR_STRIKE}:
                art.weapon_at = sent.start
            art.shelling = art.shelling or sent.weapons[1]
            # "внаслідок ворожих атак постраждали 6 людей": attacks that hurt people make an attack report too
            art.attack = art.attack or bool(strong_strike(sent.folded)) or bool(
                sent.hot & lx.CAS_BIT and lx.STRIKE_WEAK.search(sent.folded) is not None
                and has_damage(sent.folded))


def _sentence(art: _Article, carry: _Carry, sent: _Sent, idx: int) -> None:
    """One news sentence: its places, its cues, and the incidents they make."""
    f = sent.folded
    places, authority, excluded, spans, ctx_admin1 = _places(art, carry, sent, idx)
    if _is_recap(places, art.raws, f, art.casualties):
        return
    if not places and not authority and sent.hot and _national(f, art.starts, sent.start, sent.end):
        carry.national_sent = idx
    # "one over the Belgorod Region, eight over the Krasnodar Region": the rest of the list just given.
    # a line of a list with or without its bullet: "- Kursk region: 15", "Київщина — 34;"
    item = sent.item = bool(lx.LIST_ITEM_RE.match(art.text[sent.start:sent.end])) or (
        bool(carry.list_types) and _PLACE_COUNT_LINE.match(f) is not None)
    listed = places and not sent.hot & lx.CUE_BIT and (
        (idx - carry.last_intercept[0] <= 2 and _counted_over(f)) or (bool(carry.list_types) and item))
    if places and not listed and not sent.hot & lx.CUE_BIT and carry.last_cued and lx.LIST_INTRO_RE.match(f):
        # "...were shelled. These are the Shevchenkivskyi, Kyivskyi and Saltivskyi districts."
        carry.list_types, carry.list_weapons, listed = dict(carry.last_types), set(carry.last_weapons), True
    if not sent.hot and not listed:
        if places:
            carry.ctx_places, carry.ctx_sent = places, idx
        if not item:
            carry.list_types = {}
        carry.remember(set(), None, False)
        carry.last_cued = False
        return
    cues = _cues(art, carry, sent, idx, places, bool(listed), excluded, ctx_admin1, authority)
    if places:
        carry.ctx_places, carry.ctx_sent = places, idx
    counts = weapon_counts(f, [(p.start - sent.start, p.end - sent.start) for p in places]) if cues.cue_pos else []
    if len(counts) == 1 and counts[0][2]:
        cues.count = counts[0][1]
    # With types, an empty `counts` means no count without places either (places only add counts).
    elif not counts and cues.own_weapons and (cues.cue_pos or not weapon_counts(f, [])) and singular_weapons(f):
        cues.count = 1
    if not cues.cue_pos:
        said = art.statements[-1] if art.statements and art.statements[-1].sent == idx else None
        if not (cues.has_cas and _TOTAL.search(f) and len(leaves([r.place for r in art.raws])) > 1):
            _casualty_update(carry, cues, idx, sent.line, places, authority, said)
        # else "In total, one person was killed in the region and three injured": the sum over the places
        # reported, which the gold does not split (README) and no single incident owns
        carry.remember(cues.own_weapons, cues.count, bool(cues.countable))
        carry.last_cued = False
        return
    own_places = bool(places)
    if not places:
        places = _borrowed_places(art, carry, sent, idx, cues, authority, excluded)
        if not places:
            carry.remember(cues.own_weapons, cues.count, bool(cues.countable))
            if not (sent.item or carry.list_types):  # not one item of a list of weapons ("• fpv-дрон;")
                carry.unplaced = (idx, frozenset(cues.cue_pos), frozenset(cues.weapons))
            return
    new = _incidents(art, carry, sent, idx, cues, places, own_places, spans, counts)
    art.raws.extend(new)
    carry.recent, carry.recent_sent, carry.recent_line = new, idx, sent.line
    if "interception" in cues.cue_pos:
        carry.last_intercept = (idx, frozenset(cues.weapons))
    carry.remember(cues.own_weapons or cues.weapons, cues.count, bool(cues.countable))
    carry.last_cued, carry.last_types = True, dict(cues.cue_pos)


def _places(art: _Article, carry: _Carry, sent: _Sent, idx: int):
    """The sentence's places (gazetteer, then fuzzy and fallback names), its authority, and whether all
    it names is excluded (a launch area, the sea)."""
    f = sent.folded
    # Clause spans only matter where a place or a cue can be found.
    spans = clauses(f) if sent.mentions or sent.hot or sentence_gate(f) & G_CENTRE else []
    recent_ctx = carry.ctx_places and idx - carry.ctx_sent <= CONTEXT_SENTENCES
    prior = carry.ctx_places[0].place.admin1 if recent_ctx else carry.main_admin1
    heading = carry.heading if carry.heading_line in (sent.line, _SECTION) else None
    places, authority, excluded = resolve_mentions(
        art.gaz, art.text, art.folded, sent.mentions, sent.start, sent.end, art.actx, spans, prior, carry.seen,
        heading)
    _heading(art, carry, sent, places, idx)
    if places:
        carry.seen = carry.seen | {r.place.id for r in places}
    ctx_admin1 = places[0].place.admin1 if places else (
        carry.ctx_places[0].place.admin1 if carry.ctx_places else carry.main_admin1)
    if sent.hot & (lx.CUE_BIT | lx.CAS_BIT | lx.DAMAGE_BIT):
        gate = sentence_gate(f)
        if gate & G_DISTRICT_NAME:
            places += new_districts(places, fuzzy_places(art.gaz, art.text, sent.start, sent.end, sent.mentions,
                                                         ctx_admin1, spans))
        if gate & G_SETTLEMENT:
            places += fallback_places(art.text, sent, places, carry.ctx_places if not places else [], ctx_admin1, spans)
        if not places and sent.hot & lx.CUE_BIT and art.actx.facilities:
            places = facility_places(art.text, sent, art.mentions, spans, art.gaz)
    if places and art.quiet and sent.hot & lx.CUE_BIT:
        spared = spared_parts(f)
        if spared:
            kept = [r for r in places if not any(a <= r.start - sent.start < b for a, b in spared)]
            excluded = excluded or not kept
            places = kept
    if places and carry.main_admin1 is None:
        carry.main_admin1 = places[0].place.admin1
    # The district named in the previous sentence passes to the villages of this one.
    # "Белгородский район. В посёлке Разумное ...": a Russian village GeoNames gives no district takes the
    # one district just named in its region.
    prev = [r.place for r in carry.ctx_places if r.place.kind == "admin2"] if idx - carry.ctx_sent <= 1 else []
    prev = prev or ([heading] if heading is not None else [])
    prev_districts = {p.name for p in prev}
    for ref in places:
        if heading is not None and ref.place.id.startswith("fallback:") and ref.place.admin2 is None \
                and not ref.admin2_named and ref.place.admin1 == heading.admin1:
            ref.admin2_named = heading.name  # a village the gazetteer lacks, under its paragraph's district
        if ref.place.kind not in ("locality", "hromada") or ref.admin2_named or ref.place.id.startswith("fallback:"):
            continue
        if ref.place.admin2 in prev_districts:
            ref.admin2_named = ref.place.admin2
        elif ref.place.admin2 is None and len(prev) == 1 and prev[0].admin1 == ref.place.admin1:
            ref.admin2_named = prev[0].name
    return places, authority, excluded, spans, ctx_admin1


_TOTAL = re.compile(r"(?<![\w'])(?:in total|in all|altogether|overall|across the (?:city|region|oblast)|"
                    r"всего|в общей сложности|в целом|загалом|усього|всього|у цілому)(?![\w'])")
# A paragraph's heading: a district's name and nothing else ("Шебекинский городской округ.", "Graivoron district:")
_HEADING = re.compile(r"\s*[^\W\d_][\w'’ -]{2,60}?\s*[.:]?\s*")
_SECTION = -2  # carry.heading_line of a heading that stands on a line of its own


def _heading(art: _Article, carry: _Carry, sent: _Sent, places: list, idx: int) -> None:
    """A district that opens a paragraph ("Грайворонский округ. В селе ...") is the district of that
    paragraph's villages; one on a line of its own ("Краматорський район", then "Миколаївка. ...") of the
    villages of every paragraph after it, until the next heading or a title that names no place."""
    if sent.hot or not _HEADING.fullmatch(sent.folded) or not (sent.start == 0 or art.text[sent.start - 1] == "\n"):
        return
    own_line = not art.text[sent.end:sent.end + 200].split("\n", 1)[0].strip()
    if len(places) == 1 and places[0].place.kind in ("locality", "hromada") and not own_line:
        carry.town_heading = idx  # "Білозерське. Артилерія противника пошкодила два будинки": the town's report
    if len(places) == 1 and places[0].place.kind == "admin2":
        carry.heading, carry.heading_line = places[0].place, (_SECTION if own_line else sent.line)
    elif not places and own_line and carry.heading_line == _SECTION and not sent.folded.rstrip().endswith("."):
        carry.heading = None  # "Евакуація триває": another section


def _cues(art: _Article, carry: _Carry, sent: _Sent, idx: int, places: list, listed: bool, excluded: bool,
          ctx_admin1: str | None, authority: Sequence = ()) -> _Cues:
    """Event types and weapons of the sentence, inherited from a list intro or the previous sentence
    where it names none; casualty figures and the "no one was hurt" statements they make."""
    f, hot = sent.folded, sent.hot
    countable = countables(f) if hot & lx.WEAPON_BIT else []
    anaphor = bool(lx.ANAPHOR_START_RE.match(f))
    if hot & lx.CUE_BIT:
        cue_pos, implied = cue_types(f, countable, carry.last_countable and (anaphor or not places))
        strike = cue_pos.get("strike")
        if strike is not None and idx - carry.last_intercept[0] <= 2 and lx.FALL_RE.match(f, strike):
            # "air defence suppressed ten drones ... their fall started fires": the downed drones' debris
            cue_pos["debris"] = cue_pos.pop("strike")
    else:
        cue_pos, implied = {}, False
    weapons, shelling_only = sent.weapons or (set(), False)
    if "interception" in cue_pos and (weapons == {"artillery"} or (shelling_only and not weapons)
                                      or (not weapons and lx.AIRCRAFT_RE.search(f))):
        del cue_pos["interception"]  # guns are not shot down; downed jets and helicopters are not coded
    weapons = set(weapons)
    killed, injured = art.casualties(f) if hot & lx.CAS_BIT else (None, None)
    cues = _Cues(cue_pos, implied, weapons, shelling_only, weapons, None, killed, injured, countable, anaphor)
    if cues.has_cas:
        # "the Bryansk governor said no one was hurt": his region, not every region of the list before
        about = [r.place for r in places] or list(authority[:1]) or [r.place for r in carry.ctx_places]
        st = none_statement(idx, killed, injured, f, {p.admin1 for p in about} or ({ctx_admin1} - {None}),  # type: ignore[arg-type]
                            about[0].country if about else None, weapons or carry.last_weapons,
                            {r.place.id for r in carry.recent} if not places and idx - carry.recent_sent <= 2 else set(),
                            {r.place.id for r in places} if cue_pos and not listed else set())
        if st is not None:
            art.statements.append(st)
    _inherit_list(art, carry, sent, cues, places, listed)
    _inherit_weapons(art, carry, cues, places, sent.start, idx)
    if not _debris_just_reported(carry, idx, places):
        town = carry.ctx_places if carry.town_heading == idx - 1 and carry.ctx_sent == idx - 1 else []
        _implied_strike(art, cues, places or town, f, excluded)
    return cues


def _debris_just_reported(carry: _Carry, idx: int, places: list) -> bool:
    """"Debris fell on houses in Saratov and Engels. In Saratov a woman was hurt": the casualties of the
    debris fall just reported at that place, not a strike of their own."""
    if not places or idx - carry.recent_sent > 3:
        return False
    hit = {r.place.id for r in carry.recent if r.etype == "debris"}
    return bool(hit) and all(ref.place.id in hit for ref in places)


def _inherit_list(art: _Article, carry: _Carry, sent: _Sent, cues: _Cues, places: list, listed: bool) -> None:
    """Roundup lists under an intro line ending with ':' inherit its cue; a counted "N over X" line
    continues the interception list before it."""
    f = sent.folded
    is_list_item = sent.item or f.rstrip().endswith((",", ";"))
    if listed and not cues.cue_pos and not carry.list_types:
        cues.cue_pos = {"interception": 0}
        cues.weapons = cues.weapons or set(carry.last_intercept[1])
    if not cues.cue_pos and carry.list_types and (is_list_item or places):
        cues.cue_pos = {t: 0 for t in carry.list_types}
        if not cues.weapons:
            cues.weapons = set(carry.list_weapons)
    elif cues.cue_pos and f.rstrip().endswith(":"):
        carry.list_types, carry.list_weapons = dict(cues.cue_pos), set(cues.weapons)
    elif not is_list_item:
        carry.list_types = {}
    cues.own_weapons = cues.weapons


def _inherit_weapons(art: _Article, carry: _Carry, cues: _Cues, places: list, start: int, idx: int) -> None:
    """"It hit a house": the previous sentence's weapon; else the article's only weapon, if named by now
    (a list of shelled villages is not hit by the drone shot down three paragraphs later). "The air
    strikes" name no munition: they are the weapon the article named, if it named one. "94 drones were
    shot down. The shoot-downs were over the Sumy and Poltava regions": the places of the count just given."""
    if cues.weapons == {lx.AIR_STRIKE} and len(art.weapons - {lx.AIR_STRIKE}) == 1:
        cues.weapons = art.weapons - {lx.AIR_STRIKE}
    if not cues.weapons and not cues.shelling_only and (cues.anaphor or (not places and carry.last_cued)):
        cues.weapons = set(carry.last_weapons)
    unplaced_sent, unplaced_types, unplaced_weapons = carry.unplaced
    if not cues.weapons and not cues.shelling_only and places and unplaced_sent == idx - 1 and cues.cue_pos \
            and set(cues.cue_pos) <= unplaced_types and len(unplaced_weapons) == 1:
        cues.weapons = set(unplaced_weapons)
    if not cues.weapons and not cues.shelling_only and len(art.weapons - {lx.AIR_STRIKE}) == 1 and cues.cue_pos \
            and 0 <= art.weapon_at <= start:
        cues.weapons = art.weapons - {lx.AIR_STRIKE}


def _implied_strike(art: _Article, cues: _Cues, places: list, f: str, excluded: bool) -> None:
    """Damage or casualties at a place, with a weapon or in an attack report, make a strike."""
    if cues.cue_pos or not places or lx.DISPOSAL_RE.search(f):
        return  # "injured by the explosion of an unidentified object": no attack reported
    not_only_regions = not all(r.place.kind == "admin1" for r in places)
    if (cues.weapons or cues.shelling_only) and has_damage(f) and not_only_regions:
        cues.cue_pos = {"strike": 0}  # "shells damaged three houses in X"
    elif not excluded and art.attack and ((cues.killed or cues.injured) or has_damage(f)) and (cues.has_cas or not_only_regions):
        cues.cue_pos = {"strike": 0}
        # "46 attacks on the region's towns ... in Yarova four houses were damaged": the report's weapon
        named = art.weapons - {lx.AIR_STRIKE}
        if not cues.weapons and (named == {"artillery"} or (not named and art.shelling)):
            cues.shelling_only = True  # shelling is the report's one weapon (with others it is mixed: null)


def _clause_weapons(f: str, clauses, places: list, weapons: set[str]) -> dict[int, set[str]]:
    """"Three missiles over X, and 64 drones over Y and Z": when the clauses with places name different
    weapons, each place has its clause's (a list's later items, the clause that named them); else none."""
    if len(weapons) < 2 or len(clauses) < 2:
        return {}
    named = [weapons_in(f[a:b])[0] & weapons for a, b in clauses]
    own = {p.clause for p in places if 0 <= p.clause < len(clauses) and named[p.clause]}
    if len({frozenset(named[c]) for c in own}) < 2 or any(named[a] & named[b] for a in own for b in own if a < b):
        return {}
    out: dict[int, set[str]] = {}
    for c in {p.clause for p in places if 0 <= p.clause < len(clauses)}:
        out[c] = next((named[i] for i in range(c, -1, -1) if named[i]), set(weapons))
    return out


def _casualty_update(carry: _Carry, cues: _Cues, idx: int, line: int, places: list, authority: Sequence = (),
                     statement: NoneStatement | None = None) -> None:
    """A casualty-only sentence updates the incident just reported (not split across places): within
    three sentences, or further on in the same paragraph (a quoted statement runs long). A sentence that
    names its region ("no one was hurt in the Volgograd region") updates that region's incidents only."""
    if not (cues.has_cas and carry.recent and (idx - carry.recent_sent <= 3 or line == carry.recent_line)):
        return
    if statement is not None and statement.districts:
        return  # "in the districts no one was hurt": its statement covers the districts, not the city just named
    targets = [r for r in carry.recent if r.etype != "interception"] or carry.recent
    if places:
        ids = {ref.place.id for ref in places}
        named = {ref.place.admin1 for ref in places}
        targets = [r for r in targets if r.place.id in ids] or [r for r in targets if r.place.admin1 in named]
    elif authority:  # "the Bryansk governor said no one was hurt": his region's incidents
        targets = [r for r in targets if r.place.admin1 == authority[0].admin1] or targets
    if len(leaves([r.place for r in targets])) == 1 or cues.killed == 0 or cues.injured == 0:
        for r in targets:
            set_casualties(r, _not_lower(r.killed, cues.killed), _not_lower(r.injured, cues.injured), idx)


def _not_lower(old: int | None, new: int | None) -> int | None:
    """A later sentence's smaller figure is a detail ("a 14-year-old girl was among the dead"), not an update
    of the total: tolls grow during the day. Nor is a later "no one was hurt" after a figure: it is about
    another place ("погиб один человек ... Пострадавших в посёлке нет")."""
    return old if old and new is not None and new < old else new


def _borrowed_places(art: _Article, carry: _Carry, sent: _Sent, idx: int, cues: _Cues, authority: list,
                     excluded: bool) -> list:
    """A cued sentence with no place of its own: the recent sentence's places, or its authority's."""
    f = sent.folded
    # "... destroyed over four regions, namely:" names its places in the list that follows.
    if excluded or lx.SEA_RE.search(f) or carry.national_sent == idx or f.rstrip().endswith(":") \
            or _UNNAMED_PLACES.search(f):
        return []  # "hits of 19 drones were recorded at 7 locations": places it does not name
    if idx - carry.national_sent <= 2 and _OF_THESE.match(f):
        return []  # "Russia fired 597 drones into Ukraine ... Of these, 319 were shot down": the country's
    ctx = carry.ctx_places
    recent_ctx = bool(ctx) and idx - carry.ctx_sent <= CONTEXT_SENTENCES
    if recent_ctx and set(cues.cue_pos) == {"interception"}:
        # "Ukraine's military said it destroyed four drones" after a Kursk report is not in Kursk.
        defender = "UA" if lx.DEFENDER_UA_RE.search(f) else "RU" if lx.DEFENDER_RU_RE.search(f) else None
        # Ukraine's air defence does not fire over occupied Crimea and Sevastopol: such a report is not there
        held = "RU" if ctx[0].place.admin1 in ("UA-43", "UA-40") else ctx[0].place.country
        recent_ctx = defender is None or held == defender
    if recent_ctx and (not authority or ctx[0].place.admin1 == authority[0].admin1):
        return _region_total(art, sent, cues, ctx) or [
            PlaceRef(r.place, r.start, r.end, 0, r.admin2_named, r.locality_named) for r in ctx]
    if authority:
        return [PlaceRef(authority[0], sent.start, sent.start, 0)]
    return []


def _region_total(art: _Article, sent: _Sent, cues: _Cues, ctx: list) -> list:
    """"Атаку на Каменский, Миллеровский и Чертковский районы отразили. Всего уничтожены 21 БПЛА": a counted
    total after several places of one region is the region's, not each place's, when none of those places
    has an incident of that kind yet (else the total sums what was reported place by place)."""
    if len(ctx) < 2 or cues.count is None or not _TOTAL.search(sent.folded):
        return []
    regions = {r.place.admin1 for r in ctx}
    ids = {r.place.id for r in ctx}
    if len(regions) != 1 or any(r.place.kind == "admin1" for r in ctx) or any(
            raw.etype in cues.cue_pos and raw.place.id in ids for raw in art.raws):
        return []
    return [PlaceRef(art.gaz.admin1(regions.pop()), sent.start, sent.start, 0)]


def _national(f: str, starts: list, s: int, e: int) -> bool:
    """A report about the whole country: "Russia fired 597 drones into Ukraine", "the air force said it
    downed 41 of 55 drones" (with no "over the region" pointing back to one). `starts`: the article
    patterns' heads (`_Scan.starts`), `f` being the article's folded text from `s` to `e`."""
    return bool((_may_start_in(starts[_P_COUNTRY], s, e) and lx.COUNTRY_TARGET_RE.search(f))
                or (any(w in f for w in lx.COUNTRY_WORDS) and lx.COUNTRY_PARTS_RE.search(f))
                or (_may_start_in(starts[_P_AUTHORITY], s, e) and lx.NATIONAL_AUTHORITY_RE.search(f)
                    and not lx.REGION_ANAPHOR_RE.search(f)))


_UNNAMED_PLACES = re.compile(r"(?<![\w'])(?:на|в|у|at|in) \d+ (?:локаці\w*|локаци\w*|locations?|sites?|місцях|местах)"
                             r"(?![\w'])")
_OF_THESE = re.compile(r"^\W*(?:of (?:these|them|this number|those)|з них|із них|из них|из этого числа|з цієї кількості)"
                       r"(?![\w'])")


def _incidents(art: _Article, carry: _Carry, sent: _Sent, idx: int, cues: _Cues, places: list,
               own_places: bool, spans, counts) -> list[RawIncident]:
    """One raw incident per place and event type, with its quantity and its share of the casualties."""
    f = sent.folded
    singular = singular_weapons(f)
    cue_pos = cues.cue_pos
    bare = ("strike" in cue_pos and bool(lx.ATTACK_VERB_RE.match(f, cue_pos["strike"])) and not cues.has_cas
            and not counts and not has_damage(f))
    weak = "strike" in cue_pos and not bare and strong_strike(f) is None and not counts
    multi = len(leaves([p.place for p in places], cities_apart=True)) > 1
    segs = _casualty_spans(f, [ref.start - sent.start for ref in places]) \
        if multi and own_places and cues.has_cas else []  # only per-place casualties need them
    new: list[RawIncident] = []
    by_clause = _clause_weapons(f, spans, places, cues.weapons) if multi and own_places else {}
    for ref in places:
        c_idx = ref.clause if own_places else -1
        for etype in types_for_place(spans, c_idx, cue_pos, places):
            q, exact, additive = quantity_for(etype, spans, c_idx, counts, singular, cue_pos, multi, f,
                                               cues.implied, places, sent.start)
            if q is None and exact and cues.anaphor and carry.last_count is not None and not multi:
                q = carry.last_count
            k, inj = cues.killed, cues.injured
            if multi and own_places:
                sk, si = _segment_casualties(f, segs, ref.start - sent.start, art.casualties)
                k = sk if sk is not None else (0 if cues.killed == 0 else None)
                inj = si if si is not None else (0 if cues.injured == 0 else None)
                if (cues.killed is None) != (cues.injured is None) and k is None and inj is None:
                    share = listed_people(f, ref.start - sent.start)  # "three killed: two in X, one in Y"
                    if cues.killed is not None:
                        k = share
                    else:
                        inj = share
            implied = etype == "interception" and cues.implied
            if implied:
                k, inj = (k if k == 0 else None), (inj if inj == 0 else None)
            new.append(RawIncident(etype, ref.place, ref.admin2_named, ref.locality_named,
                                   set(by_clause.get(c_idx, cues.weapons)), cues.shelling_only, q, exact,
                                   additive, k, inj, idx,
                                   (sent.start, sent.end), implied=implied,
                                   cas_at=idx if (k is not None or inj is not None) else -1,
                                   folded=f, bare_attack=bare, weak_cue=weak))
    return new


def _memo(fn: Callable[[str], Any]) -> Callable[[str], Any]:
    """Per-article cache of a pure function of one string."""
    seen: dict[str, Any] = {}

    def call(arg: str) -> Any:
        if arg not in seen:
            seen[arg] = fn(arg)
        return seen[arg]

    return call


def _is_recap(places: list[PlaceRef], raws: list[RawIncident], folded: str, casualties=find_casualties) -> bool:
    """"Smolensk's intercepted drone, Rostov's repelled assault and Volgograd's debris": a summary of
    regions already reported, with no new figures."""
    regions = {p.place.admin1 for p in places}
    if len(regions) < 2 or not regions <= {r.place.admin1 for r in raws}:
        return False
    if not number_spans(folded) and casualties(folded) == (None, None):
        # "Sumy, Kyiv and Khmelnytskyi regions were hit" after their interceptions is news, not a recap.
        reported = {r.etype for r in raws if r.place.admin1 in regions}
        return set(cue_types(folded, [], False)[0]) <= reported
    return False


def _casualty_spans(f: str, starts: list[int]) -> list[tuple[int, int]]:
    """The sentence's segments (`sentences.segments`), each split again before a coordinated casualty verb
    ("killing three in Kharkiv and wounding 12 in Odesa") when every part keeps a place of its own."""
    out = []
    for a, b in segments(f):
        parts = [(a + x, a + y) for x, y in casualty_segments(f[a:b])]
        if len(parts) > 1 and all(any(x <= p < y for p in starts) for x, y in parts):
            out.extend(parts)
        else:
            out.append((a, b))
    return out


def _segment_casualties(f: str, segs, pos: int, casualties=find_casualties) -> tuple[int | None, int | None]:
    for a, b in segs:
        if a <= pos < b or (a <= pos and (a, b) == segs[-1]):
            if len(segs) == 1:
                return None, None
            return casualties(f[a:b])
    return None, None


_PLACE_COUNT_LINE = re.compile(r"^[^\W\d_][^\d\n]{1,60}?(?:\s[-–—]|\s?:)\s+\d+\s*[;.,]?\s*$")


def _counted_over(folded: str) -> bool:
    """A count right before "over"/"над": "one over the Belgorod Region", "шесть - над Курской"."""
    spans = number_spans(folded)
    return any(m.start() - end <= 25 and not any(a > end and a < m.start() for a, _, _ in spans)
               for m in _OVER.finditer(folded) for _, end, _ in spans if end <= m.start())


_OVER = re.compile(r"(?<![\w'])(?:over|над)(?![\w'])")


def _aggregate_lead(folded_all: str) -> int | None:
    """Where the title or first lines state a period total ("in 2024", "за місяць"): a statistics piece,
    unless an event is reported before it in its paragraph (see `_sentences`)."""
    for m in lx.AGGREGATE_RE.finditer(folded_all, 0, _LEAD_CHARS):
        if not _SUPERLATIVE.search(folded_all, max(0, m.start() - 90), m.start()):
            return m.start()
    return None  # "one of its largest drone raids so far this year": a comparison, not a period total


_LEAD_CHARS = 300
_SUPERLATIVE = re.compile(r"(?<![\w'])(?:largest|biggest|heaviest|most|worst|крупнейш\w*|масштабнейш\w*|"
                          r"самы[хйем]\w*|наймасштабніш\w*|найбільш\w*|наймасованіш\w*|наймасивніш\w*)(?![\w'])")


def _fresh(folded: str) -> bool:
    return bool(_FRESH.search(folded))


# Today's news in a recap: "today", "this morning", or a clock time with no date ("около 16:00").
_FRESH = re.compile(r"(?<![\w])(?:today|сегодня|сьогодні|вчера|вчора|this morning|overnight)(?![\w])"
                    r"|(?<![\d.:])(?:[01]?\d|2[0-3]):[0-5]\d(?![\d:]|\.\d)")

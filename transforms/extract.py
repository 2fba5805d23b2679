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
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise

from transforms import lexicon as lx
from transforms.casualties import find_casualties
from transforms.dates import event_date, is_background_date
from transforms.fallback_places import SETTLEMENT_RE, settlement_name
from transforms.numbers import number_spans
from transforms.scoring import normalise_name
from transforms.sentences import fold, split_sentences

RULES_VERSION = "1"
MAX_TEXT = 100_000  # news articles are far shorter; the rest of a huge input is not read
CONTEXT_SENTENCES = 4  # how far back a placeless sentence may look for its place
CITY_ADMIN1 = {"UA-30", "UA-40", "RU-MOW", "RU-SPE", "RU-SEV"}
_FUZZY: dict[tuple[str, str, str], object] = {}


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
    return next(lx.CANDIDATE_AC.iter(text[:MAX_TEXT].lower()), None) is not None


# ---------------------------------------------------------------------------------------------
@dataclass(slots=True)
class _PlaceRef:
    place: object  # gazetteer Place
    start: int
    end: int
    clause: int
    admin2_named: str | None = None  # admin2 written in the text (chained "X, Y district")
    locality_named: bool = False
    chain_end: int = -1  # end of the last mention of its chain ("Тёткино Глушковского района")


@dataclass(slots=True)
class _Raw:
    etype: str
    place: object
    admin2_named: str | None
    locality_named: bool
    weapons: set[str]
    shelling_only: bool
    quantity: int | None
    exact: bool  # False for "over 30", "dozens": quantity stays None but counts as said
    additive: bool
    killed: int | None
    injured: int | None
    sent: int
    span: tuple[int, int]
    implied: bool = False
    cas_at: int = -1  # sentence of the latest casualty figure
    edate: date | None = None
    dprec: str = "unknown"
    absorbed: list = field(default_factory=list)


_CLAUSE_SPLIT = re.compile(r"[;,]\s|:\s|\s(?:and|и|та|і|й)\s")


def _clauses(folded: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for m in _CLAUSE_SPLIT.finditer(folded):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(folded)))
    return out


_COARSE_SPLIT = re.compile(r"[;,]\s|:\s")


def _coarse_clauses(folded: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for m in _COARSE_SPLIT.finditer(folded):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(folded)))
    return out


def _clause_of(clauses: list[tuple[int, int]], pos: int) -> int:
    for i, (a, b) in enumerate(clauses):
        if pos < b or i == len(clauses) - 1:
            return i
    return len(clauses) - 1


# --- cues ------------------------------------------------------------------------------------
def _negated(folded: str, start: int, end: int) -> bool:
    before = folded[max(0, start - 30):start]
    after = folded[end:end + 30]
    return bool(re.search(r"(?<![\w'])(?:no|not|without|avoided|absence of|lack of|без|не|нет|ни|немає|ніхто|никто|нема)\s+(?:[\w'-]+\s+){0,2}$",
                          before)
                or re.match(r"^\s*(?:[\w'-]+\s+){0,3}?(?:нет|немає|нема|were avoided|was avoided|не зафиксирован\w*|"
                            r"не было|не було|не зафіксовано)", after))


def _has_damage(folded: str) -> bool:
    return any(not _negated(folded, m.start(), m.end()) for m in lx.DAMAGE_RE.finditer(folded))


_FALL_VERB = re.compile(r"(?<![\w'])(?:crash(?:ed|es)|fell|упал\w*|упав\w*|впал\w*|впав|рухнул\w*|hit\w*|damag\w*)(?![\w'])")
# Things destroyed on the ground: a strike on them, not an interception.
_GROUND_TARGET = re.compile(
    r"(?<![\w'])(?:launchers?|пусков\w*|установк\w*|склад\w*|depots?|radars?|радар\w*|техник\w*|tanks?|танк\w*|"
    r"бмп|бтр|позици\w*|позиці\w*|опорн\w*|зрк|с-400|с-300|s-400|s-300|комплекс\w*|vehicles?|catapult\w*|"
    r"howitzers?|гаубиц\w*|батаре\w*|пункт\w*|укрытие|укриття|бліндаж\w*|блиндаж\w*|окоп\w*|корабл\w*|ships?|warships?)(?![\w'])")
_HIT = re.compile(r"hits?|struck|влуч|попадан|прил[еіь]т|вибух|взрыв|explo")
_PASSIVE_DESTROY = re.compile(r"(?<![\w'])(?:were destroyed|was destroyed|уничтожен[ыо]?|знищен[іо]?|знищено|знищені)(?![\w'])")


def _cue_types(folded: str, countable: list[tuple[int, int]], follow_up: bool) -> tuple[dict[str, int], bool]:
    """Event types cued in a sentence with the position of each cue, and whether the interception is
    only implied by a participle next to debris words ("debris of a downed drone").
    `follow_up`: the previous sentence counted weapons, so "all of them were destroyed" refers to them."""
    types: dict[str, int] = {}
    debris = lx.DEBRIS_RE.search(folded)
    intercept = lx.INTERCEPT_STRONG.search(folded)
    if intercept is None and not _GROUND_TARGET.search(folded):
        for m in lx.INTERCEPT_DESTROY.finditer(folded):
            if any(abs(a - m.start()) < 70 or abs(m.end() - b) < 70 for a, b in countable):
                intercept = m
                break
        if intercept is None and follow_up:
            intercept = _PASSIVE_DESTROY.search(folded)
    damage = _has_damage(folded)
    falls = lx.FALL_RE.search(folded)
    implied = False
    if debris is not None and (damage or _FALL_VERB.search(folded)):
        types["debris"] = debris.start()
    elif intercept is not None and falls is not None and re.search(r"downed|сбит|збит", folded) \
            and _FALL_VERB.search(folded):
        types["debris"] = falls.start()
    if intercept is not None:
        types["interception"] = intercept.start()
        implied = "debris" in types
    strike = next((m for m in lx.STRIKE_STRONG.finditer(folded)
                   if not lx.MODAL_BEFORE_RE.search(folded, max(0, m.start() - 25), m.start())), None)
    if strike is None:
        weak = lx.STRIKE_WEAK.search(folded)
        if weak is not None and damage:
            strike = weak
    if strike is None and falls is not None and damage and "debris" not in types and debris is None:
        strike = falls
    if strike is not None and "debris" not in types and debris is None and (
            "interception" not in types or damage or _HIT.match(strike.group())):
        types["strike"] = strike.start()
    return types, implied


def _weapons(folded: str) -> tuple[set[str], bool]:
    stop = [(m.start(), m.end()) for m in lx.WEAPON_STOP.finditer(folded)]
    found: set[str] = set()
    for name, pattern in lx.WEAPON_PATTERNS.items():
        for m in pattern.finditer(folded):
            if not any(a <= m.start() < b for a, b in stop):
                found.add(name)
                break
    shelling = bool(lx.SHELLING_RE.search(folded))
    return found, shelling and not found


def _countables(folded: str) -> list[tuple[int, int]]:
    stop = [(m.start(), m.end()) for m in lx.WEAPON_STOP.finditer(folded)]
    return [(m.start(), m.end()) for m in lx.COUNTABLE_RE.finditer(folded)
            if not any(a <= m.start() < b for a, b in stop)]


_GAP_STOP = (r"(?!(?:in|on|at|by|from|to|were|was|are|is|killed|injured|wounded|people|persons|civilians|and|or|в|на|по|у|"
             r"з|из|от|и|та|і|й|или|человек\w*|людей|люди|погиб\w*|ранен\w*|загин\w*|поранен\w*)\s)")
_COUNT_GAP = (r"\s*(?:more\s+|еще\s+|ще\s+|of the\s+|из\s+|зі\s+|з\s+|із\s+)?(?:" + _GAP_STOP
              + r"[\w'«»\"“”-]+\s+){0,3}?[«\"“]?")
_COUNTED = re.compile(_COUNT_GAP + "(?:" + lx.COUNTABLE_RE.pattern + "|" + lx.IMPACTS_RE.pattern + ")")
_MONTH_AFTER = re.compile(
    r"\s+(?:january|february|march|april|may|june|july|august|september|october|november|december|"
    r"январ|феврал|март|апрел|ма[яе]|июн|июл|август|сентябр|октябр|ноябр|декабр|січн|лют|березн|квітн|травн|червн|"
    r"липн|серпн|вересн|жовтн|листопад|грудн)")
_PARTITIVE = re.compile(r"\s+(?:of them|of the|из них|з них|із них|из|зі|з|із)\s")
class _Span:
    __slots__ = ("_a", "_b")

    def __init__(self, a: int, b: int) -> None:
        self._a, self._b = a, b

    def start(self) -> int:
        return self._a

    def end(self) -> int:
        return self._b


_TIME_ADVERB = re.compile(r"(?<![\w'])(?:earlier|later|до этого|перед этим|позже|затем|пізніше|згодом|раніше|ранее)"
                          r"(?![\w'])")
_ROUNDUP_AFTER = re.compile(r"\s*(?:each\s+|по\s+)?(?:[-–—]\s*)?(?:over|above|над|in|across|в|у|на)\s")


def _counts(folded: str, places: list[tuple[int, int]]) -> list[tuple[int, int, bool, bool]]:
    """(position, value, exact, additive) for numbers that count weapons or impacts."""
    out = []
    numbers = number_spans(folded)
    for i, (n_start, n_end, value) in enumerate(numbers):
        if i + 1 < len(numbers) and numbers[i + 1][0] - n_end <= 2:
            continue  # "26 три ..." : a date remnant before the real count
        if re.match(r"\s*-?\s*(?:year|летн|річн|:\d|мм\b|mm\b|км\b|km\b|%)", folded[n_end:n_end + 8]) \
                or _MONTH_AFTER.match(folded, n_end):
            continue
        m = _Span(n_start, n_end)
        tail = folded[m.end():m.end() + 60]
        counted = _COUNTED.match(tail) is not None
        if not counted and _ROUNDUP_AFTER.match(tail):
            after = m.end() + _ROUNDUP_AFTER.match(tail).end()
            counted = any(a - after <= 25 and a >= after for a, _ in places)
        partitive = bool(_PARTITIVE.match(folded, m.end())) and (
            counted or bool(re.match(r"\s+(?:of them|из них|з них|із них)\s", folded[m.end():m.end() + 12])))
        counted = counted or partitive
        if not counted:
            continue
        before = folded[max(0, m.start() - 25):m.start()]
        exact = not lx.INEXACT_BEFORE_RE.search(before)
        additive = bool(lx.ADDITIVE_RE.search(folded[max(0, m.start() - 12):m.end() + 12])
                        or _TIME_ADVERB.search(folded))
        out.append((m.start(), value, exact, additive, partitive))
    # "two glide bombs ..., one of the bombs hit a wood": a subset of a count already given.
    first_full = min((c[0] for c in out if not c[4]), default=None)
    return [c for c in out if not (c[4] and first_full is not None and c[0] > first_full)]


# --- places ----------------------------------------------------------------------------------
_SURNAME_AFTER = re.compile(
    r"^\s+[A-ZА-ЯІЇЄҐ][\w'-]*(?:ский|цкий|ськ\w+|ов|ев|ин|енко|ко|ук|юк|чук|ич|sky|skiy|ov|ev|in|enko|uk|yk|ich)\b")
_FIRST_NAME_BEFORE = re.compile(
    r"(?<![\w'])(?!(?:In|On|At|Over|Near|The|And|From|To|For|By|With|Of|Russia|Ukraine|Russian|Ukrainian|В|У|На|Над|Під|"
    r"Под|Из|З|Із|Від|От|Біля|Около|Для|По|Після|После|Внаслідок|Также|Також|И|І|Та|Governor|Mayor|Head|Губернатор|"
    r"Глава|Голова|Мэр|Мер|Начальник|Сегодня|Сьогодні|Вчера|Вчора)\s)[A-ZА-ЯІЇЄҐ][a-zа-яіїєґ'’]+\s+$")
_SURNAME_END = re.compile(r"(?:ov|ev|in|ova|eva|ina|ko|uk|yuk|ов|ев|ин|ова|ева|іна|ина|ко|ук|юк|чук)$")
_SEA_AFTER = re.compile(r"^\s*(?:sea|моря|море|морем|морі|морю|coast|побережь\w*|узбережж\w*|акватор\w*|"
                        r"направлени\w*|напрямк\w*|direction|axis)(?![\w'])")
_DATELINE_AFTER = re.compile(r"^\s*(?:[-—–]|[.,]\s*\d{1,2}\s+\w+|,\s+\w+\s+\d{1,2}\b)")


def _role(text: str, folded: str, sent_start: int, m_start: int, m_end: int, starts: frozenset = frozenset()) -> str:
    head = folded[max(sent_start, m_start - 70):m_start]
    tail = folded[m_end:m_end + 40]
    if lx.TIME_AFTER_RE.match(tail):
        return "time"
    if _SEA_AFTER.match(tail):
        return "sea"
    if lx.STREET_RE.search(head[-20:]) or lx.STREET_AFTER_RE.match(tail):
        return "street"
    if _FIRST_NAME_BEFORE.search(text, max(0, m_start - 25), m_start) and _SURNAME_END.search(text, m_start, m_end):
        return "person"  # "Alexey Smirnov", "Вячеслав Гладков"
    surname = _SURNAME_AFTER.match(text[m_end:m_end + 30])
    if surname and m_end + len(surname.group()) - len(surname.group().lstrip()) not in starts:
        return "person"
    if m_start - sent_start < 3 and _DATELINE_AFTER.match(text[m_end:m_end + 20]):
        return "authority"  # dateline "KYIV—", "Курск. 10 октября.": where the report was filed
    if lx.ORIGIN_BEFORE_RE.search(head):
        return "origin"
    if lx.AUTHORITY_BEFORE_RE.search(head) or lx.AUTHORITY_AFTER_RE.match(tail):
        return "authority"
    if lx.NEAR_BEFORE_RE.search(head[-40:]):
        return "near"
    return "event"


_JOINER = re.compile(r"^\s*(?:,|и|і|й|та|and|,\s*(?:и|і|та|and))\s*$")
_CHAIN_GAP = re.compile(r"^[\s,()'’s]*(?:(?:of|in|in the|of the|у|в|на)\s+)?"
                        r"(?:the\s+)?(?:(?:city|town|village|settlement|місто|город|села?|селі|міста|г\.|м\.|с\.)\s+)?$")
_DISTRICT_WORD = re.compile(r"(?<![\w'])(?:districts?|raions?|район\w*|округ\w*|okrugs?)(?![\w'])")


def _is_ancestor(p, q) -> bool:
    if p.admin1 != q.admin1 or p.id == q.id:
        return False
    if p.kind == "admin1":
        return q.kind != "admin1"
    if p.kind == "admin2":
        return q.kind in ("locality", "hromada", "city_district")
    if p.kind == "locality":
        return q.kind == "city_district" and q.city == p.name
    if p.kind == "hromada":
        return q.kind == "locality" and (q.admin2 is None or p.admin2 is None or q.admin2 == p.admin2)
    return False


@dataclass(slots=True)
class _ArticleCtx:
    admin1: set[str]
    cities: set[str]
    capitals: dict[str, object]
    main: set[str] = field(default_factory=set)  # the most mentioned region(s)


def _article_ctx(mentions, folded: str) -> _ArticleCtx:
    admin1: set[str] = set()
    cities: set[str] = set()
    freq: dict[str, int] = {}
    for m in mentions:
        if not m.places:
            continue
        p = m.places[0]
        if m.weak and m.generic is None and not (
                p.kind == "admin1" and lx.AUTHORITY_AFTER_RE.match(folded, m.end, m.end + 40)):
            continue
        unambiguous = len({q.admin1 for q in m.places}) == 1
        if p.kind == "admin1" or (m.generic is not None and unambiguous) or (p.population or 0) >= 100_000:
            admin1.add(p.admin1)
            freq[p.admin1] = freq.get(p.admin1, 0) + 1
        if p.kind == "locality" and ((p.population or 0) >= 50_000 or m.generic == "city"):
            cities.add(p.name)
    top = max(freq.values(), default=0)
    return _ArticleCtx(admin1, cities, {}, {a for a, n in freq.items() if n == top})


def _pick(gaz, m, ctx_admin1: set[str], actx: _ArticleCtx, district: object | None):
    """Resolve a mention, adding the preferences the gazetteer cannot know from one mention."""
    cands = m.places
    if cands and cands[0].kind == "admin1" and m.generic in (None, "region"):
        return cands[0]  # "Крым" is Crimea even in a sentence about Rostov region and its village Krym
    if m.generic == "region":
        plain = [p for p in cands if p.kind == "admin1" and p.admin1 not in CITY_ADMIN1]
        if plain:
            return plain[0]
    city_districts = [p for p in cands if p.kind == "city_district" and p.city in actx.cities]
    if city_districts and m.generic in (None, "district", "city_district"):
        inside = [p for p in city_districts if p.admin1 in ctx_admin1] or city_districts
        return inside[0]
    if district is not None:
        inside = [p for p in cands if p.kind in ("locality", "hromada") and p.admin1 == district.admin1
                  and p.admin2 == district.name]
        if inside:
            return inside[0]
    return gaz.resolve(m, ctx_admin1)


_SETTLEMENT_BEFORE = re.compile(
    r"(?<![\w'])(?:г|м|с|п|пос|пгт|смт|с-ще|сел|дер|ст|х)\.\s*$|(?<![\w'])(?:пгт|смт|village of|town of|city of"
    r"|rural locality of|settlement of|village|town|город\w*|мст\w*|місто|міста|місті|сел[оаеіу]\w*|селищ\w*"
    r"|поселок\w*|поселк\w*|станиц\w*|хутор\w*|деревн\w*)\s+$")


def _localise(m, place, sent_admin1: set[str], actx: _ArticleCtx):
    """A settlement or district far from the regions the text names is a namesake: "the village of Murom"
    in a sentence about Belgorod region is not the Murom of Vladimir region."""
    if place.kind == "admin1":
        return place
    if sent_admin1 and place.admin1 not in sent_admin1 and len(sent_admin1) == 1:
        inside = [p for p in m.places if p.admin1 in sent_admin1]
        if inside:
            return inside[0]
        if place.kind in ("locality", "hromada") and m.generic in ("village", "city", "hromada"):
            from transforms.gazetteer import Place

            admin1 = next(iter(sent_admin1))
            return Place(f"fallback:{admin1}:{place.name}", place.kind, place.name, admin1[:2], admin1, None, None,
                         None, None, None)
        return place if (place.population or 0) >= 100_000 else None
    if not sent_admin1 and actx.admin1 and place.admin1 not in actx.admin1 and place.kind in ("admin2", "city_district") \
            and m.generic is not None:
        return None
    return place


def _next_region(local, i: int, folded: str) -> str | None:
    """Admin1 of a region mention written right after mention i ("X district, Y region"), if any."""
    if i + 1 >= len(local):
        return None
    nxt = local[i + 1]
    if nxt.generic != "region" or not nxt.places or nxt.places[0].kind != "admin1":
        return None
    gap = folded[local[i].end:nxt.start]
    return nxt.places[0].admin1 if len(gap) <= 4 and not gap.strip(" ,") else None


def _fuzzy_cached(gaz, surface: str, admin1: str, kinds=("admin2", "city_district", "locality")):
    name = re.sub(r"(?i)\s*(?:район\w*|district|raion|округ\w*|городск\w*|муниципальн\w*|міськ\w*)", "", surface)
    key = (gaz.version, name, admin1)
    if key not in _FUZZY:
        if len(_FUZZY) > 4096:
            _FUZZY.clear()
        try:
            _FUZZY[key] = gaz.fuzzy(name, admin1, kinds)
        except Exception:  # noqa: BLE001 - fuzzy lookup is a best-effort extra
            _FUZZY[key] = None
    return _FUZZY[key]


def _plausible(m, place, actx: _ArticleCtx, sent_has_district: bool, folded: str = "") -> bool:
    """Small places far from the article's regions are usually surnames or common words."""
    if place.kind == "admin1":
        return not m.weak or m.generic is not None
    if m.generic is not None or _SETTLEMENT_BEFORE.search(folded[max(0, m.start - 25):m.start]):
        return True
    if place.kind == "admin2" and m.weak:
        return sent_has_district and place.admin1 in actx.admin1
    if m.weak:
        return place.admin1 in actx.admin1 and (place.population or 0) >= 20_000
    if place.admin1 in actx.admin1 or (place.population or 0) >= 100_000:
        return True
    # A town that gives its name to a district or hromada is notable enough to stand alone.
    stem = place.name[:4]
    return place.kind == "locality" and any(p.kind in ("admin2", "hromada") and p.name[:4] == stem
                                            for p in m.places)


def _resolve_mentions(gaz, text: str, folded: str, local, s_start: int, s_end: int,
                      actx: _ArticleCtx, clauses, prior_admin1: str | None = None) -> tuple[list[_PlaceRef], list, bool]:
    """Event places of one sentence (finest of each chain), authority places, and whether every
    mention was excluded as a launch area or similar (then the sentence has no place of its own)."""
    if not local:
        centre = lx.REGIONAL_CENTRE_RE.search(folded, s_start, s_end)
        admin1 = prior_admin1 or (min(actx.main) if actx.main else None)
        if centre is not None and admin1:
            cap = _capital(gaz, admin1, actx)
            if cap is not None:
                return [_PlaceRef(cap, centre.start(), centre.end(), _clause_of(clauses, centre.start() - s_start),
                                  None, True)], [], False
        return [], [], False
    sent_admin1 = {m.places[0].admin1 for m in local
                   if m.places and (m.generic is not None or m.places[0].kind == "admin1") and not m.weak
                   and len({p.admin1 for p in m.places}) == 1}
    regions = {next((p.admin1 for p in m.places if p.kind == "admin1"), None) for m in local
               if not m.weak and (m.generic == "region" or (m.places and m.places[0].kind == "admin1"))} - {None}
    ctx = sent_admin1 or actx.main or actx.admin1
    has_district = bool(_DISTRICT_WORD.search(folded, s_start, s_end))
    resolved = []
    district = None
    starts = frozenset(m.start for m in local)
    for i, m in enumerate(local):
        place = _pick(gaz, m, ctx, actx, district)
        if place is None:
            continue
        region = _next_region(local, i, folded)
        if region is not None and place.admin1 != region and place.kind != "admin1":
            # "Каменском районе Ростовской области": the region written next to the name decides.
            inside = [p for p in m.places if p.admin1 == region]
            place = inside[0] if inside else _fuzzy_cached(gaz, m.surface, region)
            if place is None:
                continue
        place = _localise(m, place, regions, actx)
        if place is None:
            continue
        if m.generic in ("district",) and place.kind == "locality" and place.admin2:
            # "Novy Oskol city district": the district named after its town.
            alt = [p for p in m.places if p.kind == "admin2" and p.admin1 == place.admin1]
            place = alt[0] if alt else place
        if place.kind == "admin2":
            district = place
        role = _role(text, folded, s_start, m.start, m.end, starts)
        ok = _plausible(m, place, actx, has_district, folded)
        resolved.append([m, place, role, ok, m.generic == "district" and place.kind == "locality"])
    # A bare adjective in a list that ends in a generic word ("Київської та Хмельницької областей").
    for i in range(len(resolved) - 2, -1, -1):
        m, nxt = resolved[i][0], resolved[i + 1]
        if not resolved[i][3] and nxt[3] and nxt[1].kind == resolved[i][1].kind \
                and _JOINER.match(folded[m.end:nxt[0].start]):
            resolved[i][3] = True
    # In a list of districts a name read as a village is the district of the same name.
    for i, r in enumerate(resolved):
        if r[1].kind != "locality" or not has_district:
            continue
        near = [resolved[j] for j in (i - 1, i + 1) if 0 <= j < len(resolved)
                and resolved[j][1].kind == "admin2" and resolved[j][3]
                and _JOINER.match(folded[min(r[0].end, resolved[j][0].end):max(r[0].start, resolved[j][0].start)])]
        if near:
            alt = [p for p in r[0].places if p.kind == "admin2" and p.admin1 == near[0][1].admin1]
            district_place = alt[0] if alt else _fuzzy_cached(gaz, r[0].surface, near[0][1].admin1, ("admin2",))
            if district_place is not None:
                r[1], r[3] = district_place, True
    authority = [r[1] for r in resolved if r[2] == "authority" and r[3]]
    events = [r for r in resolved if r[2] in ("event", "near") and r[3]]
    if any(r[2] == "event" for r in events):
        events = [r for r in events if r[2] == "event"]
    excluded = bool(resolved) and not events and any(r[2] == "origin" for r in resolved)
    refs: list[_PlaceRef] = []
    current_admin2: str | None = None
    for m, place, _, _, _ in events:
        rel = m.start - s_start
        if lx.REGIONAL_CENTRE_RE.search(folded, m.start, m.end):
            continue
        ref = _PlaceRef(place, m.start, m.end, _clause_of(clauses, rel))
        if place.kind == "admin2":
            ref.admin2_named = place.name
            current_admin2 = place.name
        elif place.kind == "city_district":
            ref.admin2_named = place.name
            ref.locality_named = True
        elif place.kind in ("locality", "hromada"):
            ref.locality_named = True
            if current_admin2 and place.admin2 == current_admin2:
                ref.admin2_named = current_admin2
        if refs:
            prev = refs[-1]
            gap = folded[max(prev.end, prev.chain_end):m.start]
            if len(gap) <= 30 and _CHAIN_GAP.match(gap) and ("," not in gap or _coarse_generic(prev, ref, local)):
                if _is_ancestor(prev.place, place):
                    _absorb_chain(ref, prev)
                    ref.chain_end = m.end
                    refs[-1] = ref
                    continue
                if _is_ancestor(place, prev.place):
                    _absorb_chain(prev, ref)
                    prev.chain_end = m.end
                    continue
        refs.append(ref)
    # "в обласному центрі" of the region just named: its capital.
    centre = lx.REGIONAL_CENTRE_RE.search(folded, s_start, s_end)
    if centre is not None:
        admin1 = next(iter(sent_admin1), None) or (refs[0].place.admin1 if refs else None)
        cap = _capital(gaz, admin1, actx) if admin1 else None
        if cap is not None:
            refs = [r for r in refs if r.place.kind != "admin1"]
            refs.append(_PlaceRef(cap, centre.start(), centre.end(), _clause_of(clauses, centre.start() - s_start),
                                  None, True))
    seen, unique = set(), []
    for ref in refs:
        if ref.place.id not in seen:
            seen.add(ref.place.id)
            unique.append(ref)
    return unique, authority, excluded


def _coarse_generic(a: _PlaceRef, b: _PlaceRef, local) -> bool:
    """After a comma, "Nikopol, Dnipropetrovsk region" is a chain but "Chertkovsky, Bokovsky" a list."""
    coarse = a if _is_ancestor(a.place, b.place) else b
    return any(m.start == coarse.start and m.generic is not None for m in local)


_CAPITALS: dict[tuple[str, str], object] = {}


def _capital(gaz, admin1: str, actx: _ArticleCtx):
    """The most populous locality of a region: what "the regional centre" means."""
    key = (gaz.version, admin1)
    if key not in _CAPITALS:
        best = None
        for p in gaz.places:
            if p.admin1 == admin1 and p.kind == "locality" and (p.population or 0) > ((best.population or 0) if best else 0):
                best = p
        _CAPITALS[key] = best
    return _CAPITALS[key]


def _absorb_chain(fine: _PlaceRef, coarse: _PlaceRef) -> None:
    if coarse.place.kind == "admin2":
        fine.admin2_named = coarse.place.name
    elif coarse.place.kind == "locality" and fine.place.kind == "city_district":
        fine.locality_named = True
    if coarse.admin2_named and not fine.admin2_named:
        fine.admin2_named = coarse.admin2_named


_DISTRICT_NAME = re.compile(
    r"(?<![\w'])([A-ZА-ЯІЇЄҐ][\w'-]{3,})\s+(?:[Dd]istrict|район\w*|[Rr]aion)(?![\w'])"
    r"|(?<![\w'])(?:район\w*)\s+([A-ZА-ЯІЇЄҐ][\w'-]{3,})"
)


def _fuzzy_places(gaz, text: str, s_start: int, s_end: int, local, admin1: str | None, clauses):
    """Districts the gazetteer does not know by this spelling ("Traktornoy District" in Volgograd)."""
    if admin1 is None:
        return []
    out = []
    covered = [(m.start, m.end) for m in local]
    for m in _DISTRICT_NAME.finditer(text, s_start, s_end):
        start = m.start(1) if m.group(1) else m.start(2)
        if any(a <= start < b for a, b in covered):
            continue
        name = m.group(1) or m.group(2)
        place = _fuzzy_cached(gaz, name, admin1)
        if place is not None:
            ref = _PlaceRef(place, start, m.end(), _clause_of(clauses, start - s_start))
            if place.kind in ("admin2", "city_district"):
                ref.admin2_named = place.name
            ref.locality_named = place.kind != "admin2"
            out.append(ref)
    return out


def _fallback_places(text: str, sent, places: list[_PlaceRef], ctx: list[_PlaceRef], admin1: str | None,
                     clauses) -> list[_PlaceRef]:
    """Settlements named with a generic word ("село X", "X громада") that the gazetteer lacks."""
    if admin1 is None:
        return []
    from transforms.gazetteer import Place

    covered = [(m.start, m.end) for m in sent.mentions]
    admin2 = next((p.place.name for p in places if p.place.kind == "admin2"), None)
    named = admin2
    if admin2 is None and ctx:
        admin2 = ctx[0].admin2_named or ctx[0].place.admin2
    out = []
    for m in SETTLEMENT_RE.finditer(text, sent.start, sent.end):
        group = 1 if m.group(1) else 2
        start, end = m.start(group), m.end(group)
        if any(a <= start < b or a < end <= b for a, b in covered):
            continue
        name, kind = settlement_name(m.group(group), group == 2, admin1[:2])
        place = Place(f"fallback:{admin1}:{name}", kind, name, admin1[:2], admin1, admin2, None, None, None, None)
        out.append(_PlaceRef(place, start, end, _clause_of(clauses, start - sent.start), named, True))
    if out and named:  # the district was only the container of the new settlement
        places[:] = [p for p in places if p.place.kind != "admin2" or p.place.name != named]
    return out


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
    weapons: tuple | None = None  # cached _weapons() result


def extract_article(text: str, *, article_id: str, published: date | None = None,
                    title: str | None = None, language: str | None = None) -> list[dict]:
    """Incidents reported as news in `text` (see module docstring). Never raises on odd input."""
    if not isinstance(text, str) or not is_candidate(text):
        return []
    try:
        return _extract(text[:MAX_TEXT], published)
    except RecursionError:  # pragma: no cover - defensive: bad input must not stop a batch
        return []


def _sentences(text: str, folded_all: str, mentions, published: date | None) -> list[_Sent]:
    """Sentences up to the first boilerplate line, with their mentions and a background flag."""
    sents: list[_Sent] = []
    hot_hits = sorted(lx.HOT_AC.iter(folded_all))
    hi = 0
    line, pos, mi = 0, 0, 0
    background_line = -1
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
        if lx.BACKGROUND_START_RE.match(f) or is_background_date(f, published):
            background_line = line
            sent.background = True
        elif (line == background_line and not _fresh(f)) or lx.BACKGROUND_ANY_RE.search(f):
            sent.background = True
        sents.append(sent)
    return sents


_MARKUP = re.compile("[*_\u200b\u200c\u200d\u2060\ufeff\u00ad]+")


def _strip_markup(text: str) -> tuple[str, list[int] | None]:
    """Drop Telegram/Markdown emphasis and zero-width characters ("**Белгородской** **области**" must read
    as one name), keeping a map from every kept character back to its offset in the original text."""
    if not _MARKUP.search(text):
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


def _extract(original: str, published: date | None) -> list[dict]:
    text, index = _strip_markup(original)
    incidents = _extract_clean(text, published)
    if index is not None:
        for inc in incidents:
            start, end = inc["evidence_start"], inc["evidence_end"]
            inc["evidence_start"] = index[start] if start < len(index) else len(original)
            inc["evidence_end"] = index[end - 1] + 1 if end > start else inc["evidence_start"]
            inc["evidence"] = original[inc["evidence_start"]:inc["evidence_end"]]
    return incidents


def _extract_clean(text: str, published: date | None) -> list[dict]:
    gaz = _gazetteer()
    folded_all = fold(text)
    mentions = gaz.find(text)
    sents = _sentences(text, folded_all, mentions, published)
    actx = _article_ctx(mentions, folded_all)
    article_weapons: set[str] = set()
    attack_article = False
    for sent in sents:
        if not sent.background and sent.hot & (lx.WEAPON_BIT | lx.CUE_BIT):
            sent.weapons = _weapons(sent.folded)
            article_weapons |= sent.weapons[0]
            attack_article = attack_article or bool(lx.STRIKE_STRONG.search(sent.folded))

    raws: list[_Raw] = []
    recent: list[_Raw] = []
    recent_sent = -99
    ctx_places: list[_PlaceRef] = []
    ctx_sent = -99
    list_types: dict[str, int] = {}
    list_weapons: set[str] = set()
    last_weapons: set[str] = set()
    last_count: int | None = None
    last_countable = False
    last_cued = False
    main_admin1: str | None = None

    for idx, sent in enumerate(sents):
        f = sent.folded
        if sent.background:
            recent, ctx_places, list_types = [], [], {}
            last_weapons, last_count, last_countable = set(), None, False
            continue
        clauses = _clauses(f)
        prior = ctx_places[0].place.admin1 if ctx_places and idx - ctx_sent <= CONTEXT_SENTENCES else main_admin1
        places, authority, excluded = _resolve_mentions(
            gaz, text, folded_all, sent.mentions, sent.start, sent.end, actx, clauses, prior)
        ctx_admin1 = places[0].place.admin1 if places else (
            ctx_places[0].place.admin1 if ctx_places else main_admin1)
        if sent.hot & (lx.CUE_BIT | lx.CAS_BIT | lx.DAMAGE_BIT):
            places += _fuzzy_places(gaz, text, sent.start, sent.end, sent.mentions, ctx_admin1, clauses)
            places += _fallback_places(text, sent, places, ctx_places if not places else [], ctx_admin1, clauses)
        if places and main_admin1 is None:
            main_admin1 = places[0].place.admin1
        prev_districts = {r.place.name for r in ctx_places if r.place.kind == "admin2"} if idx - ctx_sent <= 1 else set()
        for ref in places:
            if ref.place.kind in ("locality", "hromada") and not ref.admin2_named and ref.place.admin2 in prev_districts \
                    and not ref.place.id.startswith("fallback:"):
                ref.admin2_named = ref.place.admin2

        if _is_recap(places, raws, f):
            continue
        if not sent.hot:
            if places:
                ctx_places, ctx_sent = places, idx
            if not lx.LIST_ITEM_RE.match(text[sent.start:sent.end]):
                list_types = {}
            last_weapons, last_count, last_countable, last_cued = set(), None, False, False
            continue
        hot = sent.hot
        countable = _countables(f) if hot & lx.WEAPON_BIT else []
        anaphor = bool(lx.ANAPHOR_START_RE.match(f))
        if hot & lx.CUE_BIT:
            cue_pos, implied = _cue_types(f, countable, last_countable and (anaphor or not places))
        else:
            cue_pos, implied = {}, False
        weapons, shelling_only = sent.weapons or (set(), False)
        if "interception" in cue_pos and (weapons == {"artillery"} or (shelling_only and not weapons)):
            del cue_pos["interception"]  # guns and mortars are not shot down
        types = set(cue_pos)
        weapons = set(weapons)
        killed, injured = find_casualties(f) if hot & lx.CAS_BIT else (None, None)
        has_cas = killed is not None or injured is not None
        is_list_item = bool(lx.LIST_ITEM_RE.match(text[sent.start:sent.end])) or f.rstrip().endswith((",", ";"))

        # Roundup lists under an intro line ending with ':' inherit its cue.
        if not types and list_types and (is_list_item or places):
            cue_pos = {t: 0 for t in list_types}
            types = set(cue_pos)
            if not weapons:
                weapons = set(list_weapons)
        elif types and f.rstrip().endswith(":"):
            list_types, list_weapons = dict(cue_pos), set(weapons)
        elif not is_list_item:
            list_types = {}

        this_weapons, this_count = weapons, None
        if not weapons and not shelling_only and (anaphor or (not places and last_cued)):
            weapons = set(last_weapons)
        if not weapons and not shelling_only and len(article_weapons) == 1 and types:
            weapons = set(article_weapons)

        if not types and places and not excluded and attack_article and ((killed or injured) or _has_damage(f)) \
                and (has_cas or not all(r.place.kind == "admin1" for r in places)):
            cue_pos, types = {"strike": 0}, {"strike"}

        if places:
            ctx_places, ctx_sent = places, idx
        counts = _counts(f, [(p.start - sent.start, p.end - sent.start) for p in places]) if types else []
        if len(counts) == 1 and counts[0][2]:
            this_count = counts[0][1]
        elif not counts and not _counts(f, []) and lx.SINGULAR_RE.search(f) and this_weapons:
            this_count = 1

        if not types:
            # Casualty-only sentence: update the incident just reported (not split across places).
            if has_cas and recent and idx - recent_sent <= 3:
                targets = [r for r in recent if r.etype != "interception"] or recent
                if len(_leaves([r.place for r in targets])) == 1 or killed == 0 or injured == 0:
                    for r in targets:
                        _set_cas(r, killed, injured, idx)
            last_weapons, last_count, last_countable = this_weapons, this_count, bool(countable)
            last_cued = False
            continue

        own_places = True
        if not places:
            if excluded:
                last_weapons, last_count, last_countable = this_weapons, this_count, bool(countable)
                continue
            recent_ctx = bool(ctx_places) and idx - ctx_sent <= CONTEXT_SENTENCES
            if recent_ctx and (not authority or ctx_places[0].place.admin1 == authority[0].admin1):
                places = [_PlaceRef(r.place, r.start, r.end, 0, r.admin2_named, r.locality_named)
                          for r in ctx_places]
            elif authority:
                places = [_PlaceRef(authority[0], sent.start, sent.start, 0)]
            else:
                last_weapons, last_count, last_countable = this_weapons, this_count, bool(countable)
                continue
            own_places = False

        singular = [m.start() for m in lx.SINGULAR_RE.finditer(f)]
        edate, dprec = event_date(f, published)
        new: list[_Raw] = []
        multi = len(_leaves([p.place for p in places])) > 1
        segments = _segments(f)
        for ref in places:
            c_idx = ref.clause if own_places else -1
            p_types = _types_for_clause(clauses, c_idx, cue_pos, places)
            for etype in p_types:
                q, exact, additive = _quantity_for(etype, clauses, c_idx, counts, singular, cue_pos, multi, f,
                                                   implied, places, sent.start)
                if q is None and exact and anaphor and last_count is not None and not multi:
                    q = last_count
                k, inj = killed, injured
                if multi and own_places:
                    sk, si = _segment_casualties(f, segments, ref.start - sent.start)
                    k = sk if sk is not None else (0 if killed == 0 else None)
                    inj = si if si is not None else (0 if injured == 0 else None)
                if etype == "interception" and implied:
                    k, inj = (k if k == 0 else None), (inj if inj == 0 else None)
                new.append(_Raw(etype, ref.place, ref.admin2_named, ref.locality_named,
                                set(weapons), shelling_only, q, exact, additive, k, inj, idx,
                                (sent.start, sent.end), implied=(etype == "interception" and implied),
                                cas_at=idx if (k is not None or inj is not None) else -1,
                                edate=edate, dprec=dprec))
        raws.extend(new)
        recent, recent_sent = new, idx
        last_weapons, last_count, last_countable = this_weapons or weapons, this_count, bool(countable)
        last_cued = True
    return [_to_dict(r, text) for r in _merge(raws)]


def _is_recap(places: list[_PlaceRef], raws: list[_Raw], folded: str) -> bool:
    """"Smolensk's intercepted drone, Rostov's repelled assault and Volgograd's debris": a summary of
    regions already reported, with no new figures."""
    regions = {p.place.admin1 for p in places}
    if len(regions) < 2 or not regions <= {r.place.admin1 for r in raws}:
        return False
    return not number_spans(folded) and find_casualties(folded) == (None, None)


def _leaves(places: list) -> set[str]:
    """Ids of the places that contain no other place of the list (Sumy Oblast + a hromada in it -> 1)."""
    return {p.id for p in places if not any(_is_ancestor(p, q) for q in places)}


def _segments(folded: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for m in re.finditer(r";\s|\s[-–—]\s", folded):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(folded)))
    return out


def _segment_casualties(f: str, segments, pos: int) -> tuple[int | None, int | None]:
    for a, b in segments:
        if a <= pos < b or (a <= pos and (a, b) == segments[-1]):
            if len(segments) == 1:
                return None, None
            return find_casualties(f[a:b])
    return None, None


def _fresh(folded: str) -> bool:
    return bool(re.search(r"(?<![\w])(?:today|сегодня|сьогодні|вчера|вчора|this morning|overnight)(?![\w])", folded))


def _types_for_clause(clauses, c_idx: int, cue_pos: dict[str, int], places: list[_PlaceRef]) -> set[str]:
    """Event types for a place: the cues of its own clause, else those of clauses without a place."""
    types = set(cue_pos)
    if c_idx < 0 or len(clauses) == 1:
        return types
    a, b = clauses[c_idx]
    own_types = {t for t, pos in cue_pos.items() if a <= pos < b}
    if own_types:
        return own_types
    place_clauses = {p.clause for p in places}
    free = {t for t, pos in cue_pos.items() if _clause_of(clauses, pos) not in place_clauses}
    if free:
        return free
    before = [(pos, t) for t, pos in cue_pos.items() if pos < a]
    if before:
        return {max(before)[1]}
    return types


def _quantity_for(etype, clauses, c_idx, counts, singular, cue_pos, multi, f, implied, places, offset=0):
    """(quantity, exact, additive): counts in the place's clause, else in the sentence when it has a
    single place; each count goes to the nearest event cue (to the debris when the interception is
    only implied); a singular weapon noun means one."""
    if implied and etype == "interception" and "debris" in cue_pos:
        etype = "debris"  # "debris of one downed drone": the count is the debris's, and the drone's

    def owner(pos: int) -> str | None:
        if not cue_pos:
            return None
        if implied and "debris" in cue_pos:
            return "debris"
        return min(cue_pos, key=lambda t: abs(cue_pos[t] - pos))

    if multi and c_idx >= 0 and len(clauses) > 1 and sum(1 for p in places if p.clause == c_idx) == 1 \
            and not _in_list(places, c_idx, f, offset):
        a, b = clauses[c_idx]
        local = [c for c in counts if a <= c[0] < b]
        mine = [c for c in local if owner(c[0]) == etype or len(cue_pos) == 1
                or not any(a <= p < b for p in cue_pos.values())]
        if mine:
            return _sum_counts(mine)
    if multi:
        each = [c for c in counts if lx.EACH_RE.search(f[max(0, c[0] - 4):c[0] + 30])]
        if each and c_idx >= 0:
            # "по одному БПЛА – над Орловской и Тульской областями": the count of the clause and the list it heads
            mine = [c for c in each if _clause_of(clauses, c[0]) <= c_idx
                    and all(_clause_of(clauses, o[0]) <= _clause_of(clauses, c[0]) or _clause_of(clauses, o[0]) > c_idx
                            for o in counts)]
            if mine:
                c = max(mine, key=lambda c: c[0])
                return c[1], c[2], c[3]
        return None, True, False
    if offset >= 0 and places and len(counts) > 1:
        # "12 drones ..., five of them over the sea and seven over the Kursk region": the count next to
        # the place wins over the sentence's total.
        pos = places[0].start - offset
        a, b = next(((a, b) for a, b in _coarse_clauses(f) if a <= pos < b), (0, len(f)))
        near = [c for c in counts if a <= c[0] < b and owner(c[0]) == etype]
        if near and len(near) < len(counts):
            return _sum_counts(near)
    mine = [c for c in counts if owner(c[0]) == etype]
    if mine:
        return _sum_counts(mine)
    if counts:
        return None, True, False
    if any(owner(p) == etype for p in singular):
        return 1, True, False
    return None, True, False


_LIST_GAP = re.compile(r"^\s*(?:,|and|or|и|или|і|й|та|чи)?\s*(?:and\s+|и\s+|та\s+|і\s+)?(?:the\s+)?$")


def _in_list(places: list[_PlaceRef], c_idx: int, f: str, offset: int) -> bool:
    """"over the Belgorod, Kursk and Voronezh regions": one count shared by a list is not split."""
    ordered = sorted(places, key=lambda p: p.start)
    for a, b in pairwise(ordered):
        if c_idx in (a.clause, b.clause):
            gap = f[max(a.end, a.chain_end) - offset:b.start - offset]
            if _LIST_GAP.match(gap):
                return True
    return False


def _sum_counts(counts):
    exact = all(c[2] for c in counts)
    if not exact:
        return None, False, any(c[3] for c in counts)
    if all(c[4] for c in counts):
        return sum(c[1] for c in counts), True, "partitive"
    return sum(c[1] for c in counts), True, any(c[3] for c in counts)


def _set_cas(raw: _Raw, killed: int | None, injured: int | None, at: int) -> None:
    if killed is not None:
        raw.killed = killed
    if injured is not None:
        raw.injured = injured
    if killed is not None or injured is not None:
        raw.cas_at = at


# --- merging ---------------------------------------------------------------------------------
def _fields(r: _Raw) -> tuple[str | None, str | None]:
    p = r.place
    if p.kind == "city_district":
        return p.name, p.city
    if p.kind == "admin2":
        return p.name, None
    if p.kind in ("locality", "hromada"):
        return (r.admin2_named or p.admin2), p.name
    if p.kind == "admin1" and p.admin1 in CITY_ADMIN1:
        return None, p.name
    return None, None


def _merge(raws: list[_Raw]) -> list[_Raw]:
    groups: dict[tuple, list[_Raw]] = {}
    for r in raws:
        admin2, locality = _fields(r)
        key = (r.etype, r.place.admin1, admin2 if (r.admin2_named or r.place.kind in ("admin2", "city_district"))
               else None, locality)
        groups.setdefault(key, []).append(r)
    merged = [_combine(g) for g in groups.values()]
    # A region-level report folds into the one finer place of the same type ("2 over Krasnodar
    # Region" + "a downed drone over Sochi"); with several finer places it only disappears.
    out = []
    for r in merged:
        named = _named(r)
        finer = [o for o in merged if o is not r and o.etype == r.etype and o.place.admin1 == r.place.admin1
                 and ((_named(o) > named and all(_named_dict(o).get(k) == v for k, v in _named_dict(r).items()))
                      or _hromada_of(r, o))]
        if not finer:
            out.append(r)
            continue
        if len(finer) == 1:
            f = finer[0]
            if (f.quantity is None and f.exact) or f.implied:
                f.quantity, f.exact = r.quantity, r.exact
            later = r.cas_at > f.cas_at
            if f.killed is None or (later and r.killed is not None):
                f.killed = r.killed
            if f.injured is None or (later and r.injured is not None):
                f.injured = r.injured
            f.weapons |= r.weapons
            f.implied = False
    _debris_from_interception(out)
    return out


def _debris_from_interception(incidents: list[_Raw]) -> None:
    """Debris belongs to the weapons shot down just before: it takes their type, and their count when
    a single weapon was downed ("downed a drone ... the wreckage fell on a house")."""
    for d in incidents:
        if d.etype != "debris":
            continue
        shot = [i for i in incidents if i.etype == "interception" and i.place.admin1 == d.place.admin1
                and i.sent <= d.sent]
        if not shot:
            continue
        last = max(shot, key=lambda i: i.sent)
        if not d.weapons and not d.shelling_only:
            d.weapons = set(last.weapons)
        debris_here = [i for i in incidents if i.etype == "debris" and i.place.admin1 == d.place.admin1]
        if d.quantity is None and d.exact and last.quantity == 1 and len(shot) == 1 and len(debris_here) == 1:
            d.quantity = 1


def _hromada_of(h: _Raw, o: _Raw) -> bool:
    """"Сумська громада" and a strike in Sumy's Kovpakivskyi district are the same place."""
    if h.place.kind != "hromada" or o.place.kind not in ("locality", "city_district"):
        return False
    city = o.place.city if o.place.kind == "city_district" else o.place.name
    a, b = normalise_name(h.place.name) or "", (normalise_name(city) or "").rstrip("aeiouy")
    k = max(3, len(b) - 2)
    return len(b) >= 3 and a[:k] == b[:k]


def _named_dict(r: _Raw) -> dict[str, str]:
    d = {}
    admin2, locality = _fields(r)
    if r.admin2_named or r.place.kind in ("admin2", "city_district"):
        d["admin2"] = admin2
    if r.place.kind in ("locality", "hromada", "city_district"):
        d["locality"] = locality
    return d


def _named(r: _Raw) -> int:
    return len(_named_dict(r))


def _combine(group: list[_Raw]) -> _Raw:
    group.sort(key=lambda r: r.sent)
    head = group[0]
    best = min(group, key=lambda r: (r.implied, r.sent))
    quantity, exact = None, True
    said = [r for r in group if r.quantity is not None or not r.exact]
    strong = ([r for r in said if not r.implied and r.additive != "partitive"]
              or [r for r in said if not r.implied] or said)
    for r in strong:
        if not r.exact:
            exact = False
            continue
        if quantity is None:
            quantity = r.quantity
        elif r.additive is True:
            quantity += r.quantity
        elif r.quantity != quantity:
            quantity = max(quantity, r.quantity)
    if not exact and quantity is None:
        exact = False
    killed = injured = None
    cas_at = -1
    for r in sorted(group, key=lambda r: r.cas_at):
        if r.killed is not None:
            killed = r.killed
        if r.injured is not None:
            injured = r.injured
        cas_at = max(cas_at, r.cas_at)
    weapons: set[str] = set()
    shelling = False
    for r in group:
        weapons |= r.weapons
        shelling = shelling or r.shelling_only
    out = _Raw(head.etype, best.place, next((r.admin2_named for r in group if r.admin2_named), None),
               any(r.locality_named for r in group), weapons, shelling and not weapons, quantity, exact, False,
               killed, injured, best.sent, best.span, implied=all(r.implied for r in group), cas_at=cas_at,
               edate=best.edate, dprec=best.dprec)
    return out


def _to_dict(r: _Raw, text: str) -> dict:
    p = r.place
    admin2, locality = _fields(r)
    weapons = set(r.weapons)
    if len(weapons) == 1:
        weapon = next(iter(weapons))
    elif not weapons and r.shelling_only:
        weapon = "artillery"
    else:
        weapon = None
    precision = "locality" if locality else ("admin2" if admin2 else "admin1")
    start, end = r.span
    return {
        "event_type": r.etype,
        "weapon": weapon,
        "country": p.country,
        "admin1": p.admin1,
        "admin2": admin2,
        "locality": locality,
        "latitude": p.lat,
        "longitude": p.lon,
        "geo_precision": precision,
        "event_date": r.edate,
        "date_precision": r.dprec if r.edate is not None else "unknown",
        "quantity": r.quantity if r.exact else None,
        "killed": r.killed,
        "injured": r.injured,
        "evidence": text[start:end],
        "evidence_start": start,
        "evidence_end": end,
    }

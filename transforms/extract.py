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

from transforms import lexicon as lx
from transforms.casualties import find_casualties
from transforms.dates import event_date, is_background_date
from transforms.numbers import NUMBER_RE, parse_number
from transforms.sentences import fold, split_sentences

RULES_VERSION = "1"
MAX_TEXT = 100_000  # news articles are far shorter; the rest of a huge input is not read
CONTEXT_SENTENCES = 4  # how far back a placeless sentence may look for its place
CITY_ADMIN1 = {"UA-30", "UA-40", "RU-MOW", "RU-SPE", "RU-SEV"}


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

_CANDIDATE_RE = re.compile(
    r"drone|uav|missile|rocket|shell|bomb|strike|attack|shot down|intercept|debris|wreckage|air defen|"
    r"беспилот|бпла|дрон|ракет|обстрел|удар|атак|сбит|обломк|пво|безпілот|обстріл|збит|уламк|ппо|каб|"
    r"авиабомб|авіабомб|артил|прилет|прильот|влуч|shahed|шахед",
    re.IGNORECASE,
)


def is_candidate(text: str) -> bool:
    """Cheap prefilter: can this text mention an air-war incident at all?"""
    return bool(text) and _CANDIDATE_RE.search(text, 0, MAX_TEXT) is not None


# ---------------------------------------------------------------------------------------------
@dataclass(slots=True)
class _PlaceRef:
    place: object  # gazetteer Place
    start: int
    end: int
    clause: int
    admin2_named: str | None = None  # admin2 written in the text (chained "X, Y district")
    locality_named: bool = False


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
    edate: date | None = None
    dprec: str = "unknown"
    absorbed: list = field(default_factory=list)


_CLAUSE_SPLIT = re.compile(r"[;,]\s|:\s|\s[-–—]\s(?=\S)|\(|\)")


def _clauses(folded: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for m in _CLAUSE_SPLIT.finditer(folded):
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
    return bool(re.search(r"(?<![\w'])(?:no|not|without|avoided|без|не|нет|ни|немає|ніхто|никто|нема)\s+(?:[\w'-]+\s+){0,2}$",
                          before)
                or re.match(r"^\s*(?:[\w'-]+\s+){0,3}?(?:нет|немає|нема|were avoided|was avoided|не зафиксирован\w*|"
                            r"не было|не було|не зафіксовано)", after))


def _has_damage(folded: str) -> bool:
    return any(not _negated(folded, m.start(), m.end()) for m in lx.DAMAGE_RE.finditer(folded))


def _cue_types(folded: str, countable: list[tuple[int, int]]) -> tuple[set[str], dict[str, int], bool]:
    """Event types cued in a piece of text, the position of each cue, and whether the interception is
    only implied by a participle next to debris words ("debris of a downed drone")."""
    types: dict[str, int] = {}
    debris = lx.DEBRIS_RE.search(folded)
    intercept = lx.INTERCEPT_STRONG.search(folded)
    if intercept is None:
        for m in lx.INTERCEPT_DESTROY.finditer(folded):
            if any(abs(a - m.start()) < 70 or abs(m.end() - b) < 70 for a, b in countable):
                intercept = m
                break
    falls = lx.FALL_RE.search(folded)
    implied = False
    if debris is not None:
        types["debris"] = debris.start()
    elif intercept is not None and falls is not None and re.search(r"downed|сбит|збит", folded):
        types["debris"] = falls.start()
    if intercept is not None:
        types["interception"] = intercept.start()
        implied = "debris" in types
    strike = lx.STRIKE_STRONG.search(folded)
    damage = _has_damage(folded)
    if strike is None:
        weak = lx.STRIKE_WEAK.search(folded)
        if weak is not None and damage:
            strike = weak
    if strike is None and falls is not None and damage and "debris" not in types:
        strike = falls
    if strike is not None and "debris" not in types:
        if "interception" not in types or damage:
            types["strike"] = strike.start()
    return set(types), types, implied


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


_COUNT_GAP = re.compile(r"\s*(?:more\s+|еще\s+|ещё\s+|ще\s+|of the\s+|из\s+|зі\s+|з\s+|із\s+)?(?:[\w'«»\"“”-]+\s+){0,3}?[«\"“]?")
_ROUNDUP_AFTER = re.compile(r"\s*(?:each\s+|по\s+)?(?:[-–—]\s*)?(?:over|above|над|in|across|в|у|на)\s")


def _counts(folded: str, places: list[tuple[int, int]]) -> list[tuple[int, int, bool, bool]]:
    """(position, value, exact, additive) for numbers that count weapons or impacts."""
    out = []
    for m in NUMBER_RE.finditer(folded):
        value = parse_number(m.group())
        if value is None or re.match(r"\s*-?\s*(?:year|летн|річн|:\d)", folded[m.end():m.end() + 8]):
            continue
        tail = folded[m.end():m.end() + 60]
        counted = False
        g = _COUNT_GAP.match(tail)
        for pat in (lx.COUNTABLE_RE, lx.IMPACTS_RE):
            hit = pat.match(tail, g.end()) if g else None
            if hit is None:
                hit = pat.match(tail, len(tail) - len(tail.lstrip()))
            if hit is not None:
                counted = True
                break
        if not counted and _ROUNDUP_AFTER.match(tail):
            after = m.end() + _ROUNDUP_AFTER.match(tail).end()
            counted = any(a - after <= 25 and a >= after for a, _ in places)
        if not counted and folded[m.end():m.end() + 8].startswith(" of them"):
            counted = True
        if not counted:
            continue
        before = folded[max(0, m.start() - 25):m.start()]
        exact = not lx.INEXACT_BEFORE_RE.search(before)
        additive = bool(lx.ADDITIVE_RE.search(folded[max(0, m.start() - 12):m.end() + 12]))
        out.append((m.start(), value, exact, additive))
    return out


# --- places ----------------------------------------------------------------------------------
_SURNAME_AFTER = re.compile(
    r"^\s+[A-ZА-ЯІЇЄҐ][\w'-]*(?:ский|цкий|ськ\w+|ов|ев|ин|енко|ко|ук|юк|чук|ич|sky|skiy|ov|ev|in|enko|uk|yk|ich)\b")
_DATELINE_AFTER = re.compile(r"^\s*(?:[-—–]|[.,]\s*\d{1,2}\s+\w+|,\s+\w+\s+\d{1,2}\b)")


def _role(text: str, folded: str, sent_start: int, m_start: int, m_end: int) -> str:
    head = folded[max(sent_start, m_start - 70):m_start]
    tail = folded[m_end:m_end + 40]
    if lx.TIME_AFTER_RE.match(tail):
        return "time"
    if lx.STREET_RE.search(head[-20:]) or lx.STREET_AFTER_RE.match(tail):
        return "street"
    if _SURNAME_AFTER.match(text[m_end:m_end + 30]):
        return "person"
    if m_start - sent_start < 3 and _DATELINE_AFTER.match(text[m_end:m_end + 20]):
        return "authority"  # dateline "KYIV—", "Курск. 10 октября.": where the report was filed
    if lx.ORIGIN_BEFORE_RE.search(head):
        return "origin"
    if lx.AUTHORITY_BEFORE_RE.search(head) or lx.AUTHORITY_AFTER_RE.match(tail):
        return "authority"
    if lx.NEAR_BEFORE_RE.search(head[-25:]):
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
    return False


@dataclass(slots=True)
class _ArticleCtx:
    admin1: set[str]
    cities: set[str]
    capitals: dict[str, object]


def _article_ctx(mentions) -> _ArticleCtx:
    admin1: set[str] = set()
    cities: set[str] = set()
    for m in mentions:
        if not m.places:
            continue
        p = m.places[0]
        if m.weak and m.generic is None:
            continue
        if p.kind == "admin1" or m.generic is not None or (p.population or 0) >= 100_000:
            admin1.add(p.admin1)
        if p.kind == "locality" and ((p.population or 0) >= 50_000 or m.generic == "city"):
            cities.add(p.name)
    return _ArticleCtx(admin1, cities, {})


def _pick(gaz, m, ctx_admin1: set[str], actx: _ArticleCtx, district: object | None):
    """Resolve a mention, adding the preferences the gazetteer cannot know from one mention."""
    cands = m.places
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


def _plausible(m, place, actx: _ArticleCtx, sent_has_district: bool) -> bool:
    """Small places far from the article's regions are usually surnames or common words."""
    if place.kind == "admin1":
        return not m.weak or m.generic is not None
    if m.generic is not None:
        return True
    if place.kind == "admin2" and m.weak:
        return sent_has_district and place.admin1 in actx.admin1
    if m.weak:
        return place.admin1 in actx.admin1 and (place.population or 0) >= 20_000
    return place.admin1 in actx.admin1 or (place.population or 0) >= 100_000


def _resolve_mentions(gaz, text: str, folded: str, local, s_start: int, s_end: int,
                      actx: _ArticleCtx, clauses) -> tuple[list[_PlaceRef], list, bool]:
    """Event places of one sentence (finest of each chain), authority places, and whether every
    mention was excluded as a launch area or similar (then the sentence has no place of its own)."""
    if not local:
        return [], [], False
    sent_admin1 = {m.places[0].admin1 for m in local
                   if m.places and (m.generic is not None or m.places[0].kind == "admin1") and not m.weak}
    ctx = sent_admin1 or actx.admin1
    has_district = bool(_DISTRICT_WORD.search(folded, s_start, s_end))
    resolved = []
    district = None
    for m in local:
        place = _pick(gaz, m, ctx, actx, district)
        if place is None:
            continue
        if m.generic in ("district",) and place.kind == "locality" and place.admin2:
            # "Novy Oskol city district": the district named after its town.
            alt = [p for p in m.places if p.kind == "admin2" and p.admin1 == place.admin1]
            place = alt[0] if alt else place
        if place.kind == "admin2":
            district = place
        role = _role(text, folded, s_start, m.start, m.end)
        ok = _plausible(m, place, actx, has_district)
        resolved.append([m, place, role, ok, m.generic == "district" and place.kind == "locality"])
    # A bare adjective in a list that ends in a generic word ("Київської та Хмельницької областей").
    for i in range(len(resolved) - 2, -1, -1):
        m, nxt = resolved[i][0], resolved[i + 1]
        if not resolved[i][3] and nxt[3] and nxt[1].kind == resolved[i][1].kind \
                and _JOINER.match(folded[m.end:nxt[0].start]):
            resolved[i][3] = True
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
            gap = folded[prev.end:m.start]
            if len(gap) <= 30 and _CHAIN_GAP.match(gap):
                if _is_ancestor(prev.place, place):
                    _absorb_chain(ref, prev)
                    refs[-1] = ref
                    continue
                if _is_ancestor(place, prev.place):
                    _absorb_chain(prev, ref)
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


def _capital(gaz, admin1: str, actx: _ArticleCtx):
    if admin1 not in actx.capitals:
        best = None
        for p in gaz.places:
            if p.admin1 == admin1 and p.kind == "locality" and (p.population or 0) > ((best.population or 0) if best else 0):
                best = p
        actx.capitals[admin1] = best
    return actx.capitals[admin1]


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
        try:
            place = gaz.fuzzy(name, admin1)
        except Exception:  # noqa: BLE001 - fuzzy lookup is a best-effort extra
            place = None
        if place is not None:
            ref = _PlaceRef(place, start, m.end(), _clause_of(clauses, start - s_start))
            if place.kind in ("admin2", "city_district"):
                ref.admin2_named = place.name
            ref.locality_named = place.kind != "admin2"
            out.append(ref)
    return out


# --- the article -----------------------------------------------------------------------------
@dataclass(slots=True)
class _Sent:
    start: int
    end: int
    folded: str
    line: int
    places: list = field(default_factory=list)
    authority: list = field(default_factory=list)
    excluded: bool = False


def extract_article(text: str, *, article_id: str, published: date | None = None,
                    title: str | None = None, language: str | None = None) -> list[dict]:
    """Incidents reported as news in `text` (see module docstring). Never raises on odd input."""
    if not isinstance(text, str) or not is_candidate(text):
        return []
    try:
        return _extract(text[:MAX_TEXT], published)
    except RecursionError:  # pragma: no cover - defensive: bad input must not stop a batch
        return []


def _extract(text: str, published: date | None) -> list[dict]:
    gaz = _gazetteer()
    folded_all = fold(text)
    spans = split_sentences(text)
    mentions = gaz.find(text)
    article_admin1 = {m.places[0].admin1 for m in mentions
                      if m.places and m.places[0].kind == "admin1" and not m.weak}
    for m in mentions:
        if m.places and not m.weak and m.generic is not None:
            article_admin1.add(m.places[0].admin1)
    article_weapons: set[str] = set()
    sents: list[_Sent] = []
    for s, e in spans:
        f = folded_all[s:e]
        if lx.BOILERPLATE_RE.match(f) and (s == 0 or text[s - 1] == "\n"):
            break
        line = text.count("\n", 0, s) if len(sents) < 2000 else len(sents)
        sents.append(_Sent(s, e, f, line))
    for sent in sents:
        w, _ = _weapons(sent.folded)
        article_weapons |= w

    raws: list[_Raw] = []
    recent: list[_Raw] = []
    recent_sent = -99
    recent_places: list[_PlaceRef] = []
    background_line = -1
    list_types: set[str] = set()
    list_weapons: set[str] = set()
    list_count: int | None = None
    prev_weapons: set[str] = set()
    prev_count: int | None = None
    prev_line = -1
    main_admin1: str | None = None

    for idx, sent in enumerate(sents):
        f = sent.folded
        if sent.line != prev_line and prev_line >= 0 and not lx.LIST_ITEM_RE.match(text[sent.start:sent.end]):
            pass
        clauses = _clauses(f)
        # Background: recalled events taint the rest of their paragraph.
        if lx.BACKGROUND_START_RE.match(f) or is_background_date(f, published):
            background_line = sent.line
            recent, recent_places = [], []
            continue
        if sent.line == background_line and not _fresh(f):
            continue
        if lx.BACKGROUND_ANY_RE.search(f):
            recent, recent_places = [], []
            continue
        places, authority, excluded = _resolve_mentions(
            gaz, text, folded_all, mentions, sent.start, sent.end, article_admin1, clauses)
        sent.places, sent.authority, sent.excluded = places, authority, excluded
        ctx_admin1 = places[0].place.admin1 if places else (
            recent_places[0].place.admin1 if recent_places else main_admin1)
        places += _fuzzy_places(gaz, text, sent.start, sent.end, mentions, ctx_admin1, clauses)
        if places and main_admin1 is None:
            main_admin1 = places[0].place.admin1

        countable = _countables(f)
        types, cue_pos, implied = _cue_types(f, countable)
        weapons, shelling_only = _weapons(f)
        killed, injured = find_casualties(f)
        has_cas = killed is not None or injured is not None
        is_list_item = bool(lx.LIST_ITEM_RE.match(text[sent.start:sent.end])) or f.rstrip().endswith((",", ";"))

        # Roundup lists under an intro line ending with ':' inherit its cue.
        if not types and list_types and (is_list_item or places):
            types = set(list_types)
            cue_pos = {t: 0 for t in types}
            if not weapons:
                weapons = set(list_weapons)
        elif types and f.rstrip().endswith(":"):
            list_types, list_weapons = set(types), set(weapons)
        elif not is_list_item:
            list_types = set()

        anaphor = bool(lx.ANAPHOR_START_RE.match(f))
        if not weapons and not shelling_only and (anaphor or not places) and idx - recent_sent <= 1:
            weapons = set(prev_weapons)
        if not weapons and not shelling_only and len(article_weapons) == 1 and types:
            weapons = set(article_weapons)

        if not types and places and has_cas and (killed or injured) and _attack_article(sents):
            types, cue_pos = {"strike"}, {"strike": 0}
        if not types and places and _has_damage(f) and _attack_article(sents) and not excluded:
            if not any(r.place.kind == "admin1" for r in places) or has_cas:
                types, cue_pos = {"strike"}, {"strike": 0}

        if not types:
            # Casualty-only sentence: update the incident just reported (not split across places).
            if has_cas and recent and idx - recent_sent <= 3:
                targets = [r for r in recent if r.etype != "interception"] or recent
                if len({(r.place.id) for r in targets}) == 1 or (killed == 0 or injured == 0):
                    for r in targets:
                        _set_cas(r, killed, injured)
            if lx.STRIKE_WEAK.search(f) or places:
                prev_weapons = weapons or prev_weapons
            continue

        own_places = True
        if not places:
            if excluded:
                continue
            if recent_places and idx - recent_sent <= CONTEXT_SENTENCES:
                places = [
                    _PlaceRef(r.place, r.start, r.end, 0, r.admin2_named, r.locality_named) for r in recent_places
                ]
                own_places = False
            elif authority:
                places = [_PlaceRef(authority[0], sent.start, sent.start, 0)]
                own_places = False
            else:
                continue

        counts = _counts(f, [(p.start - sent.start, p.end - sent.start) for p in places])
        singular = [m.start() for m in lx.SINGULAR_RE.finditer(f)]
        edate, dprec = event_date(f, published)
        new: list[_Raw] = []
        multi = len({p.place.id for p in places}) > 1
        for ref in places:
            c_idx = ref.clause if own_places else -1
            p_types = _types_for_clause(f, clauses, c_idx, types, cue_pos, places, own_places)
            for etype in p_types:
                q, exact, additive = _quantity_for(etype, ref, clauses, c_idx, counts, singular, cue_pos, multi, f)
                if q is None and anaphor and prev_count is not None and not multi:
                    q = prev_count
                k, inj = (killed, injured)
                if multi and own_places:
                    ck, ci = _clause_casualties(f, clauses, ref.clause)
                    k = ck if ck is not None else (0 if killed == 0 else None)
                    inj = ci if ci is not None else (0 if injured == 0 else None)
                if etype == "interception" and implied:
                    k, inj = (k if k == 0 else None), (inj if inj == 0 else None)
                raw = _Raw(etype, ref.place, ref.admin2_named, ref.locality_named,
                           set(weapons), shelling_only, q, exact, additive, k, inj, idx,
                           (sent.start, sent.end), implied=(etype == "interception" and implied),
                           edate=edate, dprec=dprec)
                new.append(raw)
        raws.extend(new)
        recent, recent_sent = new, idx
        if own_places:
            recent_places = places
        prev_weapons = weapons
        prev_count = counts[0][1] if len(counts) == 1 and counts[0][2] else None
        prev_line = sent.line
    return [_to_dict(r, text) for r in _merge(raws)]


def _fresh(folded: str) -> bool:
    return bool(re.search(r"(?<![\w])(?:today|сегодня|сьогодні|вчера|вчора|this morning|overnight)(?![\w])", folded))


_ATTACK_CACHE: dict[int, bool] = {}


def _attack_article(sents: list[_Sent]) -> bool:
    key = id(sents)
    if key not in _ATTACK_CACHE:
        if len(_ATTACK_CACHE) > 64:
            _ATTACK_CACHE.clear()
        _ATTACK_CACHE[key] = any(lx.STRIKE_STRONG.search(s.folded) for s in sents)
    return _ATTACK_CACHE[key]


def _types_for_clause(f: str, clauses, c_idx: int, types: set[str], cue_pos: dict[str, int],
                      places: list[_PlaceRef], own: bool) -> set[str]:
    """Event types for a place: the cues of its own clause, else those of clauses without a place."""
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


def _quantity_for(etype, ref, clauses, c_idx, counts, singular, cue_pos, multi, f):
    """(quantity, exact, additive): counts in the place's clause, else in the sentence when it has a
    single place; each count goes to the nearest event cue; a singular weapon noun means one."""
    def nearest(pos: int) -> str | None:
        if not cue_pos:
            return None
        return min(cue_pos, key=lambda t: abs(cue_pos[t] - pos))

    if c_idx >= 0 and len(clauses) > 1:
        a, b = clauses[c_idx]
        local = [c for c in counts if a <= c[0] < b]
        if local and (not multi or sum(1 for _ in local) >= 1):
            mine = [c for c in local if nearest(c[0]) == etype or len(cue_pos) == 1 or
                    not any(a <= p < b for p in cue_pos.values())]
            if mine:
                return _sum_counts(mine)
    if multi:
        each = [c for c in counts if lx.EACH_RE.search(f[c[0]:c[0] + 30])]
        if each and c_idx >= 0:
            return each[0][1], each[0][2], each[0][3]
        return None, True, False
    mine = [c for c in counts if nearest(c[0]) == etype or len(cue_pos) == 1]
    if mine:
        return _sum_counts(mine)
    if counts:
        return None, True, False
    if any(nearest(p) == etype or len(cue_pos) == 1 for p in singular):
        return 1, True, False
    return None, True, False


def _sum_counts(counts):
    exact = all(c[2] for c in counts)
    if not exact:
        return None, False, any(c[3] for c in counts)
    return sum(c[1] for c in counts), True, any(c[3] for c in counts)


def _clause_casualties(f: str, clauses, c_idx: int) -> tuple[int | None, int | None]:
    a, b = clauses[c_idx]
    return find_casualties(f[a:b])


def _set_cas(raw: _Raw, killed: int | None, injured: int | None) -> None:
    if killed is not None:
        raw.killed = killed
    if injured is not None:
        raw.injured = injured


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
                 and _named(o) > named and all(_named_dict(o).get(k) == v for k, v in _named_dict(r).items())]
        if not finer:
            out.append(r)
            continue
        if len(finer) == 1:
            f = finer[0]
            if f.quantity is None and f.exact:
                f.quantity, f.exact = r.quantity, r.exact
            if f.killed is None:
                f.killed = r.killed
            if f.injured is None:
                f.injured = r.injured
            f.weapons |= r.weapons
            f.implied = False
    return out


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
    strong = [r for r in said if not r.implied] or said
    for r in strong:
        if not r.exact:
            exact = False
            continue
        if quantity is None:
            quantity = r.quantity
        elif r.additive:
            quantity += r.quantity
        elif r.quantity != quantity:
            quantity = max(quantity, r.quantity)
    if not exact and quantity is None:
        exact = False
    killed = injured = None
    for r in group:
        if r.killed is not None:
            killed = r.killed
        if r.injured is not None:
            injured = r.injured
    weapons: set[str] = set()
    shelling = False
    for r in group:
        weapons |= r.weapons
        shelling = shelling or r.shelling_only
    out = _Raw(head.etype, best.place, next((r.admin2_named for r in group if r.admin2_named), None),
               any(r.locality_named for r in group), weapons, shelling and not weapons, quantity, exact, False,
               killed, injured, best.sent, best.span, implied=all(r.implied for r in group),
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

"""Where an incident happened: gazetteer mentions turned into event places, sentence by sentence.

A name in a sentence is not always the place of the event: it can be the launch area ("from the
Belgorod region"), an official's title ("Kharkiv Oblast Military Administration"), a surname
("Alexey Smirnov"), a time zone ("Moscow time"), a sea, a street, or the direction a drone was flying.
Chains ("Тёткино Глушковского района Курской области") collapse to the finest place, which keeps the
district it was named with. Namesakes far from the regions the text names are dropped or replaced by
the settlement of that name in the named region.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import pairwise

from transforms import lexicon as lx
from transforms.fallback_places import SETTLEMENT_RE, listed_settlements, settlement_name
from transforms.gates import Gates, prefixes
from transforms.gazetteer import Gazetteer, Mention, Place
from transforms.sentences import clause_of, fold

CITY_ADMIN1 = {"UA-30", "UA-40", "RU-MOW", "RU-SPE", "RU-SEV"}
# Inhabitants from which a town counts as a city: an urban okrug of its own, not a district's; a place that
# makes a region's news; not among "the districts" a no-casualty line speaks of (`casualty_scope`).
CITY_POPULATION = 50_000
_CAPITALS = {"UA-30", "RU-MOW"}  # names that also stand for the two governments
_FUZZY: dict[tuple[str, str, str], object] = {}


@dataclass(slots=True)
class PlaceRef:
    place: Place
    start: int
    end: int
    clause: int
    admin2_named: str | None = None  # admin2 written in the text (chained "X, Y district")
    locality_named: bool = False
    chain_end: int = -1  # end of the last mention of its chain ("Тёткино Глушковского района")


_SURNAME_AFTER = re.compile(
    r"^\s+[A-ZА-ЯІЇЄҐ][\w'-]*(?:ский|цкий|ськ\w+|ов|ев|ин|енко|ко|ук|юк|чук|ич|sky|skiy|ov|ev|in|enko|uk|yk|ich)\b")
_FIRST_NAME_BEFORE = re.compile(
    r"(?<![\w'])(?!(?:In|On|At|Over|Near|The|And|From|To|For|By|With|Of|Russia|Ukraine|Russian|Ukrainian|В|У|На|Над|Під|"
    r"Под|Из|З|Із|Від|От|Біля|Около|Для|По|Після|После|Внаслідок|Также|Також|И|І|Та|Governor|Mayor|Head|Губернатор|"
    r"Глава|Голова|Мэр|Мер|Начальник|Сегодня|Сьогодні|Вчера|Вчора)\s)[A-ZА-ЯІЇЄҐ][a-zа-яіїєґ'’]+\s+$")
_SURNAME_END = re.compile(r"(?:ov|ev|in|ova|eva|ina|ko|uk|yuk|ов|ев|ин|ова|ева|іна|ина|ко|ук|юк|чук)$")
_SEA_AFTER = re.compile(r"^\s*(?:seas?|моря|море|морем|морі|морю|coast|побережь\w*|узбережж\w*|акватор\w*|"
                        r"направлени\w*|напрямк\w*|direction|axis)(?![\w'])")
_DATELINE_DATE = re.compile(r"^\s*(?:[.,]\s*\d{1,2}\s+\w+|,\s+\w+\s+\d{1,2}\b)")
# "KYIV, Ukraine (AP) —", "KYIV (Reuters) –", "DONETSK, Dec 5 -": place, region or country, agency, dash.
_DATELINE_DASH = re.compile(r"^(?:,\s*[A-Z][\w.' -]{1,30}?)?\s*(?:\([A-Za-z][\w .&/-]{0,30}\)\s*)?[-—–]")


def _is_dateline(text: str, start: int, end: int) -> bool:
    """"KYIV—", "Курск. 10 октября.", "KURSK, May 30.": where the report was filed, not where it happened."""
    tail = text[end:end + 20]
    return bool(_DATELINE_DATE.match(tail) or (text[start:end].isupper() and _DATELINE_DASH.match(tail)))


# The words before a mention that give it a role; one automaton pass over those words tells which can match.
_HEAD_GATES = Gates([lx.STREET_RE, lx.ORIGIN_BEFORE_RE, lx.AUTHORITY_BEFORE_RE, lx.NEAR_BEFORE_RE,
                     lx.HEADING_BEFORE_RE])
_H_STREET, _H_ORIGIN, _H_AUTHORITY, _H_NEAR, _H_HEADING = 1, 2, 4, 8, 16


_UNIT_BEFORE = re.compile(r"(?:группировк\w*|угруповань\w*|угрупуванн\w*|group(?:ing)?(?: of (?:forces|troops))?|"
                          r"battlegroup|осув)\s+(?:войск\s+|військ\s+)?[«\"„“']\s*$")
_DESCRIPTOR_AFTER = re.compile(r"\s+(?:city|town|port|village|resort|river port) of\s")
_GENERIC_END = re.compile(r"\s(?:city|town|port)$")
_ROLE_HINTS = re.compile(r"рек|річк|river|across|along|beyond|групп|угруп|group|осув")
_SEA_BEFORE = re.compile(r"(?<![\w'])(?:sea|gulf|bay|strait) of\s+(?:the\s+)?$")
_RIVER_BEFORE = re.compile(r"(?<![\w'])(?:рек[аиеуой]|річк[аиіуою]|river|(?:across|along|beyond) the)\s+$")
_UNIT_AFTER = re.compile(r"[»\"”']\s+(?:group(?:ing)?|battlegroup|operational[- ]strategic group)(?![\w'])")


# "taken to the Krasnaya Yaruga hospital", "доставлен в Шебекинскую ЦРБ": where the wounded are treated, not hit
_HOSPITAL_AFTER = re.compile(
    r"\s+(?:(?:regional|district|city|central|clinical|children's|областн\w*|районн\w*|городск\w*|міськ\w*|клинич\w*|"
    r"клініч\w*|центральн\w*|детск\w*|дитяч\w*)\s+){0,3}(?:hospital|clinic|больниц\w*|лікарн\w*|црб|црл|госпитал\w*|"
    r"шпитал\w*)(?![\w'])")
_TAKEN_BEFORE = re.compile(r"(?:taken|admitted|brought|rushed|transported|treated|hospitali[sz]ed|доставл\w*|доставил\w*|"
                           r"госпитализ\w*|госпіталіз\w*|доправ\w*|перевез\w*)(?:\s+[\w'-]+){0,3}\s+$")


def mention_role(text: str, folded: str, sent_start: int, m_start: int, m_end: int, starts: frozenset = frozenset(),
                 capital: bool = False) -> str:
    head = folded[max(sent_start, m_start - 70):m_start]
    tail = folded[m_end:m_end + 40]
    gate = _HEAD_GATES.mask(head)
    if lx.TIME_AFTER_RE.match(tail):
        return "time"
    if _HOSPITAL_AFTER.match(tail) and _TAKEN_BEFORE.search(head[-50:]):
        return "hospital"
    if lx.GOVERNMENT_AFTER_RE.match(tail) or (capital and (
            lx.CAPITAL_ACTOR_AFTER_RE.match(tail) or lx.CAPITAL_ACTOR_BEFORE_RE.search(head[-20:]))):
        return "government"
    if _SEA_AFTER.match(tail) or (" of" in head[-12:] and _SEA_BEFORE.search(head[-20:])):
        return "sea"
    if tail.startswith(" ") and (_DESCRIPTOR_AFTER.match(tail) or (
            tail.startswith(" of ") and _GENERIC_END.search(folded, m_start, m_end))):
        return "descriptor"  # "the Volga city of Saratov", "the Black Sea port of Odesa": a word about another place
    if _ROLE_HINTS.search(head[-40:]) or _UNIT_AFTER.match(tail):
        if _RIVER_BEFORE.search(head[-20:]):
            return "river"  # "на правый берег реки Оскол": the river, not the town of its name
        if _UNIT_BEFORE.search(head[-40:]) or _UNIT_AFTER.match(tail):
            return "unit"  # "группировка войск «Днепр»", "the Dnipro group of forces": a name, not a place
    if (gate & _H_STREET and lx.STREET_RE.search(head[-20:])) or lx.STREET_AFTER_RE.match(tail):
        return "street"
    first = _FIRST_NAME_BEFORE.search(text, max(0, m_start - 25), m_start) if _SURNAME_END.search(
        text, m_start, m_end) else None
    # "Alexey Smirnov", "Вячеслав Гладков"; a capital that only opens the sentence ("Ночью Харьков") is
    # a first name only if it is one
    if first is not None and (folded[first.start():first.end()].strip() in lx.FIRST_NAMES
                              or text[sent_start:first.start()].strip(" \"'«“„")):
        return "person"
    surname = _SURNAME_AFTER.match(text[m_end:m_end + 30])
    if surname and (m_end + len(surname.group()) - len(surname.group().lstrip()) not in starts
                    or folded[m_start:m_end] in lx.FIRST_NAMES):
        return "person"
    if not text[sent_start:m_start].strip(" \"'«") and _is_dateline(text, m_start, m_end):
        # dateline "KYIV—", "Курск. 10 октября.": where the report was filed; a capital's dateline is the
        # wire desk, not a stand-in place for what the story reports
        return "dateline" if capital else "authority"
    if gate & _H_ORIGIN:
        origin = lx.ORIGIN_BEFORE_RE.search(head)
        # "в одном из ресторанов Кривого Рога", "в одному з сіл": one of many, not a launch area
        # "debris from downed drones damaged houses in Bucha": the place has a preposition of its own
        if origin is not None and not _PARTITIVE_BEFORE.search(head, 0, origin.start()) \
                and not _OWN_PREPOSITION.search(head, origin.start() + 5) \
                and not _INSTRUMENT_FROM.match(head, origin.start()):
            return "origin"
    if (gate & _H_AUTHORITY and lx.AUTHORITY_BEFORE_RE.search(head)) or lx.AUTHORITY_AFTER_RE.match(tail):
        return "authority"
    if gate & _H_NEAR and lx.NEAR_BEFORE_RE.search(head[-40:]):
        return "near"
    if any(u in head for u in lx.DISTANCE_UNITS) and lx.DISTANCE_BEFORE_RE.search(head[-40:]):
        return "near"  # "60 km southeast of Moscow": a reference point
    if gate & _H_HEADING and lx.HEADING_BEFORE_RE.search(head[-50:]):
        return "heading"
    return "event"


# "обстреляли из артиллерии Корабельный район", "shelled from tanks": the weapon fired, not a launch area
_INSTRUMENT_FROM = re.compile(
    r"(?:из|з|із|зі|from)\s+(?:[\w'-]+\s+)?(?:артиллери\w*|артилері\w*|мином[её]т\w*|міномет\w*|рсзо|рсзв|"
    r"танк\w*|пушк\w*|гармат\w*|гаубиц\w*|град\w*|ствольн\w*|реактивн\w*|ракетн\w*|artillery|mortars?|tanks?|"
    r"mlrs|rocket launchers?|guns?|дрон\w*|бпла|беспилотник\w*|безпілотник\w*|fpv\S*)(?![\w'])")
_PARTITIVE_BEFORE = re.compile(r"(?<![\w'])(?:одн\w*|один|кажд\w*|кожн\w*|нескольк\w*|декільк\w*|кількох)\s+$")
_JOINER = re.compile(r"^\s*(?:,|и|і|й|та|and|,\s*(?:и|і|та|and))\s*$")
_CHAIN_GAP = re.compile(r"^[\s,()'’s]*(?:(?:of|in|in the|of the|у|в|на)\s+)?"
                        r"(?:the\s+)?(?:(?:region|oblast|district|city)['’]s\s+)?"
                        r"(?:(?:city|town|village|settlement|місто|город|села?|селі|міста|г\.|м\.|с\.)\s+)?$")
_DISTRICT_WORD = re.compile(r"(?<![\w'])(?:districts?|raions?|район\w*|округ\w*|okrugs?)(?![\w'])")


def is_ancestor(p, q) -> bool:
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
class ArticleCtx:
    admin1: set[str]
    cities: set[str]
    capitals: dict[str, object]
    main: set[str] = field(default_factory=set)  # the most mentioned region(s)
    facilities: bool = True  # the article may name a plant, port or airfield (`_facility_town`)


def article_context(mentions, folded: str, facilities: bool = True) -> ArticleCtx:
    admin1: set[str] = set()
    cities: set[str] = set()
    freq: dict[str, int] = {}
    for m in mentions:
        if not m.places:
            continue
        p = m.places[0]
        if p.kind == "admin1" and m.generic not in (None, "region"):
            p = next((q for q in m.places if q.kind != "admin1"), p)  # "Приморский район": not the krai
        if m.weak and m.generic is None and not (
                p.kind == "admin1" and lx.AUTHORITY_AFTER_RE.match(folded, m.end, m.end + 40)):
            continue
        unambiguous = len({q.admin1 for q in m.places}) == 1
        named = m.generic is not None or (p.kind == "admin2" and not m.weak)
        if p.kind == "admin1" or (named and unambiguous) or (p.population or 0) >= 100_000:
            admin1.add(p.admin1)
            freq[p.admin1] = freq.get(p.admin1, 0) + 1
        if p.kind == "locality" and ((p.population or 0) >= CITY_POPULATION or m.generic == "city"):
            cities.add(p.name)
    top = max(freq.values(), default=0)
    return ArticleCtx(admin1, cities, {}, {a for a, n in freq.items() if n == top}, facilities)


def _pick(gaz, m, ctx_admin1: set[str], actx: ArticleCtx, district: Place | None,
          near_cities: frozenset[str] = frozenset()):
    """Resolve a mention, adding the preferences the gazetteer cannot know from one mention; a city
    district is one of the city the sentence names ("In Kharkiv ... the Kyivskyi district"), else of a
    city the article names."""
    cands = m.places
    if cands and cands[0].kind == "admin1" and m.generic in (None, "region"):
        if m.weak:  # "по Оріхову, Приморського": a bare adjective, a village of the region the text is about
            local = [p for p in cands if p.kind in ("locality", "hromada") and p.admin1 in ctx_admin1]
            if local:
                return local[0]
        return cands[0]  # "Крым" is Crimea even in a sentence about Rostov region and its village Krym
    if m.generic == "region":
        plain = [p for p in cands if p.kind == "admin1" and p.admin1 not in CITY_ADMIN1]
        if plain:
            return plain[0]
    city_districts = [p for p in cands if p.kind == "city_district" and p.city in actx.cities]
    if city_districts and m.generic in (None, "district", "city_district"):
        inside = [p for p in city_districts if p.city in near_cities] \
            or [p for p in city_districts if p.admin1 in ctx_admin1] or city_districts
        return inside[0]
    if district is not None:
        inside = [p for p in cands if p.kind in ("locality", "hromada") and p.admin1 == district.admin1
                  and p.admin2 == _admin2_of(district)]
        if m.generic == "hromada":  # "the Mezhova community" is the hromada, not its town
            inside.sort(key=lambda p: p.kind != "hromada")
        if inside:
            return inside[0]
    return gaz.resolve(m, ctx_admin1)


# "from <five words> in X": X is governed by "in", not by the "from" several words back.
_OWN_PREPOSITION = re.compile(r"\s(?:in|at|on|into|near|over)\s+(?:the\s+)?$")
# A preposition of place right before the name, or an attack verb with at most one word between.
_PLACE_ROLE_BEFORE = re.compile(
    r"(?:(?<![\w'])(?:в|во|у|на|над|по|під|под|біля|возле|около|near|in|over)"
    r"|(?<![\w'])(?:атаковал\w*|атакував\w*|атакувал\w*|attacked|struck|shelled|обстреля\w*|обстріля\w*)"
    r"(?:\s+[\w-]+)?)\s+$")
_SETTLEMENT_BEFORE = re.compile(
    r"(?<![\w'])(?:г|м|с|п|пос|пгт|смт|с-ще|сел|дер|ст|х)\.\s*$|(?<![\w'])(?:пгт|смт|village of|town of|city of"
    r"|rural locality of|settlement of|village|town|город\w*|мст\w*|місто|міста|місті|сел[оаеіу]\w*|селищ\w*"
    r"|поселок\w*|поселк\w*|станиц\w*|хутор\w*|деревн\w*)\s+$")


def _localise(m, place, sent_admin1: set[str], actx: ArticleCtx):
    """A settlement or district far from the regions the text names is a namesake: "the village of Murom"
    in a sentence about Belgorod region is not the Murom of Vladimir region."""
    if place.kind == "admin1":
        return place
    if sent_admin1 and place.admin1 not in sent_admin1 and len(sent_admin1) == 1:
        inside = [p for p in m.places if p.admin1 in sent_admin1]
        if inside:
            return inside[0]
        if place.kind in ("locality", "hromada") and m.generic in ("village", "city", "hromada"):
            return _fallback(m, place, next(iter(sent_admin1)))
        return place if (place.population or 0) >= 100_000 else None
    if not sent_admin1 and actx.admin1 and place.admin1 not in actx.admin1 and place.kind in ("admin2", "city_district") \
            and m.generic is not None:
        return None
    return place


def _village_of_district(m, place, district, written_after: bool = False):
    """"в Шебекинском округе в селе X": the district named before a village contains it. A village the
    gazetteer has only in another region is the district's own, missing from the gazetteer (not the
    namesake elsewhere); so is a name with its district right after it ("Горняк Рыльского района")."""
    if district is None or place.kind != "locality":
        return place
    if place.admin1 == district.admin1 and place.admin2 is None:
        return replace(place, admin2=_admin2_of(district))  # a Russian village, its district unknown to GeoNames
    if (m.generic != "village" and not written_after) or (place.population or 0) >= 20_000 \
            or any(p.admin1 == district.admin1 for p in m.places):
        return place  # "в місті Урюпінськ" after another region's district is still that town
    return replace(_fallback(m, place, district.admin1), admin2=_admin2_of(district))


# "the village of X in the region's Y community": the words that may stand between a place and its container
_CONTAINER_GAP = re.compile(r"[\s,]*(?:(?:in|of)\s+(?:the\s+)?(?:(?:region|oblast)['’]s\s+)?)?")
# The container's own generic word, inside its mention; a generic shared along a list ("в Таганроге,
# Каменском, Миллеровском и Азовском районах") makes the names items of the list, not containers.
_CONTAINER_WORD = re.compile(r"(?<![\w'])(?:districts?|raions?|rayons?|район\w*|округ\w*|okrugs?|громад\w*|"
                             r"hromadas?|communit\w*|municipalit\w*)(?![\w'])")


def _container_after(gaz, local, i: int, folded: str, preferred: set[str]):
    """"поселок Горняк Рыльского района", "село Миропілля Краснопільської громади": the district or hromada
    written right after a settlement is the one that contains it (of the hromadas of that name, the one in
    a region where the settlement's name is known)."""
    m = local[i]
    if i + 1 >= len(local) or m.generic not in (None, "village", "city") or not m.places \
            or m.places[0].kind not in ("locality", "hromada"):
        return None
    nxt = local[i + 1]
    if nxt.generic not in ("district", "hromada") or not nxt.places or not _CONTAINER_GAP.fullmatch(
            folded, m.end, nxt.start) or not _CONTAINER_WORD.search(folded, nxt.start, nxt.end):
        return None
    if nxt.generic == "district":
        place = gaz.resolve(nxt, preferred)
        return place if place is not None and place.kind == "admin2" else None
    regions = {p.admin1 for p in m.places}
    return next((p for p in nxt.places if p.kind == "hromada" and p.admin1 in regions), None)


def _admin2_of(container) -> str | None:
    return container.name if container.kind == "admin2" else container.admin2


def _fallback(m, place, admin1: str):
    """A settlement of that name in `admin1` that the gazetteer lacks (no coordinates, no district).
    A namesake across the border keeps the text's spelling, not the other country's form of it."""
    from transforms.gazetteer import Place

    if place.country == admin1[:2] and admin1[:2] == "UA":
        name = place.name  # a Ukrainian namesake gives the official transliteration of the Russian spelling
    else:  # the text's own spelling, transliterated ("Березовка" -> Berezovka, not a namesake's Beryozovka)
        name = settlement_name(_GENERIC_WORD.sub("", m.surface).strip(" ,."), place.kind == "hromada", admin1[:2])[0]
    return Place(f"fallback:{admin1}:{name}", place.kind, name, admin1[:2], admin1, None, None, None, None, None)


def _in_prior_region(gaz, m, place, prior: set[str]):
    """A village of a roundup about one region is that region's village of the name, even when another
    region's namesake is larger or the text spells it the Russian way ("Mikhaylovka" for Mykhailivka)."""
    pop = place.population or 0
    # "the village of Nikolskoye" is no town of 50,000 in another region (but no village is in a city region)
    village = m.generic == "village" and not prior & CITY_ADMIN1
    if not village and (pop >= 100_000 or (pop >= 20_000 and m.generic == "city")):  # "the city of Uman" is not Umanske
        return place
    inside = [p for p in m.places if p.admin1 in prior]
    if inside:
        return inside[0]
    if pop >= 20_000 and not m.weak and not village:
        return place  # a town of its own name is not to be bent into a look-alike of that region (Ramenki)
    region = next(iter(prior))
    near = fuzzy_cached(gaz, m.surface, region, ("locality", "hromada"))
    if near is not None:
        return near
    if m.generic in ("village", "city") and (village or pop < 20_000):
        return _fallback(m, place, region)  # "деревня Горицы": a village the gazetteer lacks, in that region
    return place


def _next_region(local, i: int, folded: str) -> str | None:
    """Admin1 of a region mention written right after mention i ("X district, Y region"), if any."""
    if i + 1 >= len(local):
        return None
    nxt = local[i + 1]
    region = next((p.admin1 for p in nxt.places if p.kind == "admin1"), None)
    if nxt.generic != "region" or region is None:
        return None
    gap = folded[local[i].end:nxt.start]
    return region if len(gap) <= 4 and not gap.strip(" ,") else None


_GENERIC_WORD = re.compile(r"(?i)\s*(?:район\w*|district|raion|округ\w*|городск\w*|муниципальн\w*|міськ\w*)")


def fuzzy_cached(gaz, surface: str, admin1: str, kinds=("admin2", "city_district", "locality")):
    name = _GENERIC_WORD.sub("", surface)
    key = (gaz.version, name, admin1)
    if key not in _FUZZY:
        if len(_FUZZY) > 4096:
            _FUZZY.clear()
        try:
            _FUZZY[key] = gaz.fuzzy(name, admin1, kinds)
        except Exception:  # noqa: BLE001 - fuzzy lookup is a best-effort extra
            _FUZZY[key] = None
    return _FUZZY[key]


def _plausible(m, place, actx: ArticleCtx, sent_has_district: bool, folded: str = "") -> bool:
    """Small places far from the article's regions are usually surnames or common words."""
    if place.kind == "admin1":
        return not m.weak or m.generic is not None
    if m.generic is not None or _SETTLEMENT_BEFORE.search(folded[max(0, m.start - 25):m.start]):
        return True
    if place.kind == "admin2":  # a district's own form ("Нікопольщина") is no namesake; its bare adjective may be
        return not m.weak or (sent_has_district and place.admin1 in actx.admin1)
    pop = place.population or 0
    # "Дрон атаковал Рыльск", "в Курчатове": a name where the sentence puts a place, with one region.
    placed = len({p.admin1 for p in m.places}) == 1 and _PLACE_ROLE_BEFORE.search(folded, max(0, m.start - 30), m.start)
    if m.weak:
        return (place.admin1 in actx.admin1 or bool(placed)) and pop >= 20_000
    if place.admin1 in actx.admin1 or pop >= 100_000 or (placed and place.kind == "locality"):
        return True
    # A town of its own name (no common word, no namesake) stands alone: "Drones attacked Tuapse".
    if len(m.places) == 1 and (place.population or 0) >= 20_000:
        return True
    # A town that gives its name to a district or hromada is notable enough to stand alone.
    stem = place.name[:4]
    return place.kind == "locality" and any(p.kind in ("admin2", "hromada") and p.name[:4] == stem
                                            for p in m.places)


@dataclass(slots=True)
class _Sentence:
    """One sentence as every step of `resolve_mentions` sees it, so a step's signature names only what
    that step adds."""
    text: str
    folded: str
    mentions: Sequence[Mention]  # the gazetteer mentions inside the sentence, in text order
    start: int
    end: int
    clauses: list[tuple[int, int]]  # clause spans, relative to `start`
    gate: int  # which place patterns can match here (sentence_gate)
    has_district: bool  # a district word is written, so bare names next to a district may be districts
    seen: frozenset[str] = frozenset()  # ids of the places earlier sentences of the article named


@dataclass(slots=True)
class _Regions:
    """Where the sentence and the article say we are: namesakes are resolved towards these regions."""
    named: set[str]  # regions of the sentence's unambiguous region-level names
    written: set[str]  # regions written as regions ("Курской области"), not only as a town of one
    preferred: set[str]  # to choose among namesakes: the sentence's regions, else the article's
    prior: set[str]  # the region the text is about when this sentence names none


@dataclass(slots=True)
class _Resolved:
    """A mention with its place and role. Later steps revise these in place and in text order, so that a
    rule sees what the rules before it decided about the neighbouring mentions."""
    mention: Mention
    place: Place
    role: str  # see mention_role: "event", "near", "authority", "origin", "heading", "sea", ...
    accepted: bool  # plausible as a place here, not a surname or a common word
    headed: bool = False  # an item of a list the generic word heads ("громад: Білопільській, ...")


_EXCLUDING_ROLES = ("origin", "sea", "heading")  # a launch area, a sea, where drones flew: not the target


def resolve_mentions(gaz, text: str, folded: str, local, s_start: int, s_end: int,
                      actx: ArticleCtx, clauses, prior_admin1: str | None = None,
                      seen: frozenset[str] = frozenset(), heading=None) -> tuple[list[PlaceRef], list, bool]:
    """Event places of one sentence (finest of each chain), authority places, and whether every
    mention was excluded as a launch area or similar (then the sentence has no place of its own)."""
    gate = sentence_gate(folded[s_start:s_end])
    if not local:
        refs = _centre_of_prior_region(gaz, folded, s_start, s_end, gate, actx, clauses, prior_admin1)
        return refs, [], False
    sent = _Sentence(text, folded, local, s_start, s_end, clauses, gate,
                     bool(gate & G_DISTRICT_WORD and _DISTRICT_WORD.search(folded, s_start, s_end)), seen)
    regions = _sentence_regions([m for m in local if not _government(folded, m)], actx, prior_admin1)
    resolved = _resolve_each(gaz, sent, regions, actx, heading)
    _accept_listed_adjectives(resolved, folded)
    _accept_coordinated(resolved, folded)
    if len(resolved) > 1:  # rules on a list's items need a neighbour
        _spread_roles(resolved, text)
        _districts_in_lists(gaz, sent, resolved)
    authority = [r.place for r in resolved if r.role == "authority" and r.accepted]
    events = _event_mentions(resolved)
    excluded = bool(resolved) and not events and any(r.role in _EXCLUDING_ROLES for r in resolved)
    refs = _with_regional_centre(gaz, sent, _finest_of_chains(sent, events), regions.named, actx)
    return _first_of_each_place(refs), authority, excluded


_COORDINATOR = re.compile(r"\s*(?:,\s*)?(?:and|и|й|і|та)\s+|\s*,\s*")


def _accept_coordinated(resolved: list[_Resolved], folded: str) -> None:
    """"shelled Alyoshki and Golaya Pristan": a small town coordinated with an accepted place of the same
    region is a place too, not a surname or a common word."""
    anchored = {id(r) for r in resolved if len({p.admin1 for p in r.mention.places}) == 1}
    for _ in range(2):  # both directions: "X and Y" where either may be the known one
        for a, b in pairwise(resolved):
            if not _COORDINATOR.fullmatch(folded, a.mention.end, b.mention.start):
                continue
            for known, other in ((a, b), (b, a)):
                if id(known) in anchored and _same_region_namesake(known, other):
                    anchored.add(id(other))
            if a.accepted == b.accepted or a.place.admin1 != b.place.admin1:
                continue
            weak = b if not b.accepted else a
            if weak.place.kind == "locality" and not weak.mention.weak:
                weak.accepted = True


def _same_region_namesake(known: _Resolved, other: _Resolved) -> bool:
    """"по Оріхову, Щербакам та Кам'янському": a list item with a namesake in the region of a neighbour
    whose region is sure (Orikhiv has no namesake, so Shcherbaky and then Kamianske follow it) is that
    namesake: Zaporizhzhia's village, not the big city. True when `other` is now in that region."""
    if known.place.kind not in ("locality", "hromada") or other.place.kind != "locality" \
            or (known.place.population or 0) >= 100_000:  # "Sumy and Kharkiv": two cities, not a village list
        return False
    if other.place.admin1 == known.place.admin1:
        return True
    near = [p for p in other.mention.places if p.admin1 == known.place.admin1 and p.kind == "locality"]
    if near:
        other.place = near[0]
    return bool(near)


def _region_of(m: Mention) -> str | None:
    """The region a mention names: "Kyiv region" is the oblast, not the city of Kyiv (as `_pick`)."""
    regions = [p for p in m.places if p.kind == "admin1"]
    if m.generic == "region":
        regions = [p for p in regions if p.admin1 not in CITY_ADMIN1] or regions
    elif m.generic is not None:  # "the city of Kherson" is in Kherson's region; "Приморский район" in no one region
        fitting = [p for p in m.places if p.kind != "admin1"]
        one = fitting and (len({p.admin1 for p in fitting}) == 1 or (fitting[0].population or 0) >= 100_000)
        return fitting[0].admin1 if one else None
    return regions[0].admin1 if regions else None


def _government(folded: str, m: Mention) -> bool:
    """"глава подконтрольной Киеву администрации", "the Kyiv regime": a capital standing for its government,
    which says nothing about the region of the sentence's places."""
    return bool(m.places) and m.places[0].admin1 in _CAPITALS and bool(
        lx.CAPITAL_ACTOR_BEFORE_RE.search(folded, max(0, m.start - 30), m.start)
        or lx.GOVERNMENT_AFTER_RE.match(folded[m.end:m.end + 40]))


def _sentence_regions(local: Sequence[Mention], actx: ArticleCtx, prior_admin1: str | None) -> _Regions:
    """Only names that cannot be a namesake elsewhere (a region, or a name with its generic word in one
    region only) set the sentence's region; weak names could be common words."""
    named = {m.places[0].admin1 for m in local
             if m.places and (m.generic is not None or m.places[0].kind == "admin1") and not m.weak
             and len({p.admin1 for p in m.places}) == 1}
    # "в Приморском районе" is a district named like Primorsky Krai: its generic word says it is no region
    written = {_region_of(m) for m in local if not m.weak and (m.generic == "region" or (
        m.places and m.places[0].kind == "admin1"))} - {None}
    # When this sentence names no region, the text is still about the one just reported, else the article's.
    prior = {prior_admin1} if prior_admin1 else (actx.main if len(actx.main) == 1 else set())
    return _Regions(named, written, named or actx.main or actx.admin1, prior)  # type: ignore[arg-type]


def _resolve_each(gaz: Gazetteer, sent: _Sentence, regions: _Regions, actx: ArticleCtx,
                  heading=None) -> list[_Resolved]:
    """A place and a role for each mention, in text order: the last district named decides among the
    namesakes of the villages after it, and a region written right after a name decides its region."""
    text, folded, local, s_start = sent.text, sent.folded, sent.mentions, sent.start
    has_district = sent.has_district
    starts = frozenset([m.start for m in local])
    resolved: list[_Resolved] = []
    district = heading  # "Грайворонский округ. ... В селе Дунайка": the paragraph's heading district
    forced: dict[int, object] = {}  # a district or hromada already resolved as its village's container
    near_cities = frozenset(m.places[0].name for m in local if m.places and m.places[0].kind == "locality")
    for i, m in enumerate(local):
        after = _container_after(gaz, local, i, folded, regions.preferred)
        if after is not None:
            forced[i + 1] = after
        place = forced.get(i) or _pick(gaz, m, regions.preferred, actx, after or district, near_cities)
        if place is None:
            continue
        place = _village_of_district(m, place, after or district, after is not None)
        region = _next_region(local, i, folded)
        place = _fit_to_regions(gaz, m, place, region, regions, actx)
        if place is None:
            continue
        town = _facility_town(gaz, m, text) if actx.facilities and m.places[0].kind in (
            "admin1", "admin2", "locality") else None
        if town is not None:
            place = town  # "Рязанский НПЗ", "the Saratov refinery": the plant of the town, not a district
        if place.kind == "admin2":
            district = place
        role = mention_role(text, folded, s_start, m.start, m.end, starts, place.admin1 in _CAPITALS)
        # "громад: Білопільської, Великописарівської ... У Великописарівській": named before, a name now
        accepted = (_plausible(m, place, actx, has_district, folded) or region == place.admin1
                    or place.id in sent.seen or town is not None or _opens_line_in(heading, m, place, text))
        resolved.append(_Resolved(m, place, role, accepted))
    return resolved


def _opens_line_in(heading, m, place, text: str) -> bool:
    """"Краматорський район ... Миколаївка. Уночі ...": a name that opens a paragraph under a district heading
    is that district's town, even a name a hundred villages share."""
    return heading is not None and place.kind in ("locality", "hromada") and place.admin1 == heading.admin1 \
        and place.admin2 == _admin2_of(heading) and (m.start == 0 or text[m.start - 1] == "\n")


# A plant or base named by its town's adjective: "Туапсинский НПЗ", "Саратовський НПЗ", "Рязанский
# нефтеперерабатывающий завод", "Energy plant" is left out: only the kinds that strikes hit by name.
_FACILITY_WORD = (
    r"(?:нпз|нефтеперерабатывающ\w*|нафтопереробн\w*|нефтебаз\w*|нафтобаз\w*|аэродром\w*|аеродром\w*|"
    r"аэропорт\w*|аеропорт\w*|морск\w+ порт\w*|морськ\w+ порт\w*|тэц|тец|refinery|airfield|air base|airbase|"
    r"oil depot|fuel depot)(?![\w'])")
_FACILITY_AFTER = re.compile(r"\s+[«\"„]?" + _FACILITY_WORD, re.IGNORECASE)
_ADJ_END = re.compile(r"(?:(?:in|ov|ev)?sk(?:y|iy|ii|oy|a|aya|oye|e)?)$")


# The literals every plant word starts with (read off the pattern, so the two cannot drift): an article
# without any names no plant, port or airfield, and the plant checks are skipped (extract.py finds
# them in its one automaton pass over the folded text).
FACILITY_WORDS = tuple(sorted(prefixes(re.compile(_FACILITY_WORD))))  # type: ignore[arg-type]  # it has some


def _facility_town(gaz: Gazetteer, m: Mention, text: str) -> Place | None:
    """The town a district adjective names when a plant follows it: the district's most populous
    locality whose name the adjective starts with."""
    if not _FACILITY_AFTER.match(text, m.end):
        return None
    districts = [p for p in m.places if p.kind == "admin2"]
    if any(p.kind == "admin1" for p in m.places):  # "Рязанську ТЕЦ": the regional adjective of the city
        adj = _TOWN_ADJECTIVE.search(m.surface)
        city = next((c for stem in _stems(adj) for c in _city_of_stem(gaz, stem)), None) if adj else None
        city = [city] if city else []
        if city and city[0].admin1 == m.places[0].admin1:
            return city[0]
    if not districts:  # "Афипский НПЗ": the gold codes a plant named after a settlement at the district
        return None
    for d in districts:
        town = _district_town(gaz, d)
        if town is not None:
            return town
    return None


def _district_town(gaz: Gazetteer, district: Place) -> Place | None:
    key = (gaz.version, district.id)
    if key not in _DISTRICT_TOWNS:
        stem = _ADJ_END.sub("", district.name)
        best = None
        if len(stem) >= 4:
            for p in gaz.places:
                if p.admin1 == district.admin1 and p.kind == "locality" and p.name.startswith(stem[:-1]) \
                        and (p.population or 0) > ((best.population or 0) if best else 0):
                    best = p
        _DISTRICT_TOWNS[key] = best
    return _DISTRICT_TOWNS[key]


_DISTRICT_TOWNS: dict[tuple, Place | None] = {}


def _fit_to_regions(gaz: Gazetteer, m: Mention, place: Place, region: str | None, regions: _Regions,
                    actx: ArticleCtx) -> Place | None:
    """The gazetteer's pick knows one mention; the sentence's regions can show it is a namesake (then the
    place of that name in the right region, or None when there is none)."""
    if region is not None and place.admin1 != region and place.kind != "admin1":
        found = _in_written_region(gaz, m, region)
        if found is None:
            return None
        place = found
    place = _localise(m, place, regions.written, actx)
    if place is None:
        return None
    if not regions.written and regions.prior and place.admin1 not in regions.prior \
            and place.kind in ("locality", "hromada"):
        place = _in_prior_region(gaz, m, place, regions.prior)
    if m.generic == "district" and place.kind == "locality" and place.admin2:
        place = _town_district(m, place)
    return place


def _in_written_region(gaz: Gazetteer, m: Mention, region: str) -> Place | None:
    """"Каменском районе Ростовской области": the region written next to the name decides."""
    inside = [p for p in m.places if p.admin1 == region]
    if inside:
        return inside[0]
    near = fuzzy_cached(gaz, m.surface, region)
    if near is None and m.generic in ("village", "city") and m.places and m.places[0].kind == "locality":
        return _fallback(m, m.places[0], region)  # "у селищі Октябрський Тверської області": a village it lacks
    return near


def _town_district(m: Mention, place: Place) -> Place:
    """"Novy Oskol city district" is the district named after its town, not the town."""
    alt = [p for p in m.places if p.kind == "admin2" and p.admin1 == place.admin1]
    return alt[0] if alt else place


def _districts_in_lists(gaz: Gazetteer, sent: _Sentence, resolved: list[_Resolved]) -> None:
    """In a list of districts a name read as a village is the district of the same name: the list, not
    the gazetteer's preference for the village, says what kind of place it is."""
    if not sent.has_district:
        return
    for i, r in enumerate(resolved):
        if r.place.kind not in ("locality", "admin2"):
            continue
        near = _listed_district(resolved, i, sent.folded)
        if near is None or (r.place.kind == "admin2" and near.place.admin1 == r.place.admin1):
            continue  # a district of the list's region already ("Каменском, Миллеровском районах")
        admin1 = near.place.admin1
        alt = [p for p in r.mention.places if p.kind == "admin2" and p.admin1 == admin1]
        district = alt[0] if alt else fuzzy_cached(gaz, r.mention.surface, admin1, ("admin2",))
        if district is not None:
            r.place, r.accepted = district, True


def _listed_district(resolved: list[_Resolved], i: int, folded: str) -> _Resolved | None:
    """The accepted district joined to item i by a comma or "and" (the one before it first)."""
    r = resolved[i]
    for j in (i - 1, i + 1):
        if 0 <= j < len(resolved):
            other = resolved[j]
            if other.place.kind == "admin2" and other.accepted and _JOINER.match(
                    folded[min(r.mention.end, other.mention.end):max(r.mention.start, other.mention.start)]):
                return other
    return None


def _event_mentions(resolved: list[_Resolved]) -> list[_Resolved]:
    """"Near X" is the event's place only when the sentence names no place of the event itself."""
    events = [r for r in resolved if r.accepted and r.role in ("event", "near")]
    nears = [r.place for r in events if r.role == "near"]
    # "near Oleshky in the Kherson region": the region only says where Oleshky is
    if len(events) > 1 and any(r.role == "event" and not any(is_ancestor(r.place, p) for p in nears)
                               for r in events):
        return [r for r in events if r.role == "event"]
    for r in events:  # "shot down near Belgorod": around the town, in its district, not in the town
        if r.role == "near" and r.place.kind == "locality":
            r.place = _town_district(r.mention, r.place)
    return events


def _finest_of_chains(sent: _Sentence, events: list[_Resolved]) -> list[PlaceRef]:
    """A chain ("Тёткино Глушковского района Курской области") is one place, its finest, which keeps
    the district it was named with."""
    refs: list[PlaceRef] = []
    current_admin2: str | None = None  # the district named last: it passes to its villages after it
    for r in events:
        m, place = r.mention, r.place
        if _is_regional_centre(sent, m):
            continue  # "обласний центр" read as a name: _with_regional_centre adds the capital instead
        if place.kind == "admin2":
            current_admin2 = place.name
        ref = _named_ref(place, m, clause_of(sent.clauses, m.start - sent.start), current_admin2)
        if not (refs and _chain_onto(refs, ref, sent)):
            refs.append(ref)
    return refs


def _is_regional_centre(sent: _Sentence, m: Mention) -> bool:
    """A mention may run past the sentence, beyond what the sentence gate looked at."""
    return bool((sent.gate & G_CENTRE or m.end > sent.end)
                and lx.REGIONAL_CENTRE_RE.search(sent.folded, m.start, m.end))


def _named_ref(place: Place, m: Mention, clause: int, current_admin2: str | None) -> PlaceRef:
    """A ref that records which levels the text itself names: only those are reported, not every level
    the gazetteer knows of the place."""
    kind = place.kind
    if kind in ("admin2", "city_district"):
        return PlaceRef(place, m.start, m.end, clause, place.name, kind == "city_district")
    if kind in ("locality", "hromada"):
        named = current_admin2 if current_admin2 and place.admin2 == current_admin2 else None
        return PlaceRef(place, m.start, m.end, clause, named, True)
    return PlaceRef(place, m.start, m.end, clause)


def _chain_onto(refs: list[PlaceRef], ref: PlaceRef, sent: _Sentence) -> bool:
    """Merge `ref` into the chain of refs[-1] when one contains the other and only a chain's words stand
    between them; False when `ref` is a place of its own."""
    prev = refs[-1]
    gap = sent.folded[max(prev.end, prev.chain_end):ref.start]
    if len(gap) > 30 or not _CHAIN_GAP.match(gap) or (
            "," in gap and not _coarse_generic(prev, ref, sent.mentions)):
        return False
    if is_ancestor(prev.place, ref.place):
        _absorb_chain(ref, prev)
        ref.chain_end = ref.end
        refs[-1] = ref
        return True
    if is_ancestor(ref.place, prev.place):
        _absorb_chain(prev, ref)
        prev.chain_end = ref.end
        return True
    return False


def _centre_ref(gaz: Gazetteer, centre: re.Match, admin1: str, actx: ArticleCtx,
                clauses: list[tuple[int, int]], s_start: int) -> PlaceRef | None:
    cap = regional_capital(gaz, admin1, actx)
    if cap is None:
        return None
    clause = clause_of(clauses, centre.start() - s_start)
    return PlaceRef(cap, centre.start(), centre.end(), clause, None, True)


def _centre_of_prior_region(gaz: Gazetteer, folded: str, s_start: int, s_end: int, gate: int,
                            actx: ArticleCtx, clauses: list[tuple[int, int]],
                            prior_admin1: str | None) -> list[PlaceRef]:
    """"В обласному центрі" in a sentence naming no place: the capital of the region just reported on,
    else of the article's main region."""
    if not gate & G_CENTRE:
        return []
    centre = lx.REGIONAL_CENTRE_RE.search(folded, s_start, s_end)
    admin1 = prior_admin1 or (min(actx.main) if actx.main else None)
    if centre is None or not admin1:
        return []
    ref = _centre_ref(gaz, centre, admin1, actx, clauses, s_start)
    return [ref] if ref is not None else []


def _with_regional_centre(gaz: Gazetteer, sent: _Sentence, refs: list[PlaceRef], named: set[str],
                          actx: ArticleCtx) -> list[PlaceRef]:
    """"В обласному центрі" of the region just named is its capital, which replaces the region itself."""
    if not sent.gate & G_CENTRE:
        return refs
    centre = lx.REGIONAL_CENTRE_RE.search(sent.folded, sent.start, sent.end)
    if centre is None:
        return refs
    # With several regions named, the one written last before the phrase ("Kherson and Odesa regions...
    # in the regional centre"), else the first one written: text order, never set order.
    in_named = [m for m in sent.mentions if m.places and m.places[0].admin1 in named]
    before = [m for m in in_named if m.start < centre.start()]
    pick = before[-1] if before else (in_named[0] if in_named else None)
    admin1 = pick.places[0].admin1 if pick is not None else (refs[0].place.admin1 if refs else None)
    ref = _centre_ref(gaz, centre, admin1, actx, sent.clauses, sent.start) if admin1 else None
    if ref is None:
        return refs
    return [r for r in refs if r.place.kind != "admin1"] + [ref]


def _first_of_each_place(refs: list[PlaceRef]) -> list[PlaceRef]:
    """A place named twice in a sentence is still one place of the event."""
    if len(refs) < 2:
        return refs
    seen, unique = set(), []
    for ref in refs:
        if ref.place.id not in seen:
            seen.add(ref.place.id)
            unique.append(ref)
    return unique


# Between two items of a list of regions: a separator, then perhaps the next item's count and
# preposition ("Белгородской, два над Волгоградской", "Kursk and, four - over Bryansk").
_LIST_JOINER = re.compile(
    r"^\s*(?:[,;]|(?<=\s)(?:и|і|й|та|and|а также|as well as)(?=\s))?\s*(?:(?:и|і|та|and|а также|as well as)\s+)?"
    r"(?:(?:по\s+)?(?:\d+|[a-zа-яіїєґ'-]+)\s+)?(?:[-:–—]\s*)?(?:(?:над|в|у|на|по|over|in)\s+)?"
    r"(?:(?:территорией|територією|the territory of|the)\s+)?$")


_LIST_HEAD = re.compile(r"(?<![\w'])(?:громад|областей|областях|районів|районах|районов|районах|regions|districts|"
                        r"communities|hromadas|oblasts)\s*:\s*$")


def _accept_listed_adjectives(resolved: list[_Resolved], folded: str) -> None:
    """A bare region or district adjective is a name when it stands in a list with a named neighbour
    of its kind: "Київської та Хмельницької областей", "над Брянской областью, четыре - над Курской"."""
    def listed(a: _Resolved, b: _Resolved) -> bool:
        return a.place.kind == b.place.kind and bool(_LIST_JOINER.match(folded[a.mention.end:b.mention.start]))

    for i in range(len(resolved) - 2, -1, -1):  # the generic word at the end of the list
        if not resolved[i].accepted and resolved[i + 1].accepted and listed(resolved[i], resolved[i + 1]):
            resolved[i].accepted = True
    for i in range(1, len(resolved)):  # a named item first, bare ones after it
        if not resolved[i].accepted and resolved[i - 1].accepted and resolved[i].place.kind == "admin1" \
                and listed(resolved[i - 1], resolved[i]):
            resolved[i].accepted = True
    # "по територіях громад: Білопільській, Краснопільській": the generic word heads the list.
    for i, r in enumerate(resolved):
        if r.accepted:
            continue
        after_head = i and resolved[i - 1].accepted and resolved[i - 1].headed and listed(resolved[i - 1], r)
        if after_head or _LIST_HEAD.search(folded, max(0, r.mention.start - 30), r.mention.start):
            r.accepted, r.headed = True, True


# Between two items of one list, perhaps with a name the gazetteer lacks between ("Крим; Єйськ, Курськ").
_SEP = r"(?:\s*[,;]\s*|\s+(?:и|і|й|та|and|or|или|чи|або)\s+|\s*[,;]\s*(?:и|і|й|та|and|or)\s+)"
_PLAIN_JOINER = re.compile(rf"^(?:{_SEP}[A-ZА-ЯІЇЄҐ][\w'’-]*(?:\s[A-ZА-ЯІЇЄҐ][\w'’-]*)?){{0,3}}{_SEP}$")
# "Гвардійське — ТОТ Криму", "Hvardiiske (occupied Crimea)": the region the item is in, named after it
_ITS_REGION = re.compile(r"^\s*(?:[-–—(,]\s*)(?:тот|ткт|тимчасово окупован\w+|временно оккупированн\w+|occupied)?\s*$",
                         re.IGNORECASE)


def _spread_roles(resolved: list[_Resolved], text: str) -> None:
    """"із напрямків: Курськ, Орел, Міллерово": every item of a list has the role of its head (launch
    areas, the direction drones flew), not only the one the preposition stands before."""
    for i in range(1, len(resolved)):
        prev, cur = resolved[i - 1], resolved[i]
        gap = text[prev.mention.end:cur.mention.start]
        if prev.role in ("origin", "heading") and cur.role == "event" and (
                _PLAIN_JOINER.match(gap) or (cur.place.kind == "admin1" and _ITS_REGION.match(gap))):
            cur.role = prev.role


def _coarse_generic(a: PlaceRef, b: PlaceRef, local) -> bool:
    """After a comma, "Nikopol, Dnipropetrovsk region" is a chain but "Chertkovsky, Bokovsky" a list."""
    coarse = a if is_ancestor(a.place, b.place) else b
    # the generic word written with the name, not one the list's last item lends it ("Каменском, ... районах")
    return any(m.start == coarse.start and m.generic is not None and (" " in m.surface or "-" in m.surface)
               for m in local)


_REGIONAL_CAPITALS: dict[tuple[str, str], object] = {}


def regional_capital(gaz, admin1: str, actx: ArticleCtx):
    """The most populous locality of a region: what "the regional centre" means."""
    key = (gaz.version, admin1)
    if key not in _REGIONAL_CAPITALS:
        best = None
        for p in gaz.places:
            if p.admin1 == admin1 and p.kind == "locality" and (p.population or 0) > ((best.population or 0) if best else 0):
                best = p
        _REGIONAL_CAPITALS[key] = best
    return _REGIONAL_CAPITALS[key]


def _absorb_chain(fine: PlaceRef, coarse: PlaceRef) -> None:
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


# Which place patterns can match in a folded sentence (one automaton pass, see transforms.gates). The
# patterns on the original text are gated by literals they must contain, folded like the sentence.
_GATES = Gates([
    lx.REGIONAL_CENTRE_RE, _DISTRICT_WORD, ("district", "район", "raion"),
    ("village", "town", "settlement", "rural locality", "сел", "посел", "пос.", "станиц", "хутор", "деревн",
     "смт", "пгт", "с.", "м.", "г.", "громад", "hromada", "community"),
])
G_CENTRE, G_DISTRICT_WORD, G_DISTRICT_NAME, G_SETTLEMENT = 1, 2, 4, 8
sentence_gate = lru_cache(maxsize=16)(_GATES.mask)


def fuzzy_places(gaz, text: str, s_start: int, s_end: int, local, admin1: str | None, clauses):
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
        place = fuzzy_cached(gaz, name, admin1)
        if place is not None:
            ref = PlaceRef(place, start, m.end(), clause_of(clauses, start - s_start))
            if place.kind in ("admin2", "city_district"):
                ref.admin2_named = place.name
            ref.locality_named = place.kind != "admin2"
            out.append(ref)
    return out


def new_districts(places: list, fuzzy: list) -> list:
    """"в поселке Хомутовка Хомутовского района": a district the gazetteer read only loosely, written after a
    settlement it contains, names that settlement's district, not a place of its own."""
    out = []
    for ref in fuzzy:
        inside = [p for p in places if p.place.kind in ("locality", "hromada") and p.place.admin2 == ref.place.admin2
                  and p.place.admin1 == ref.place.admin1 and 0 <= ref.start - p.end <= 3]
        for p in inside:
            p.admin2_named = ref.place.admin2
        if not inside:
            out.append(ref)
    return out


def fallback_places(text: str, sent, places: list[PlaceRef], ctx: list[PlaceRef], admin1: str | None,
                     clauses) -> list[PlaceRef]:
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
        if any(a <= start < b and b >= end for a, b in covered):
            continue  # the gazetteer knows the name (a second word it also knows, "Zori", is no place alone)
        if any(a <= start < b for a, b in covered):
            # "поселок Белая Березка ... Трубчевского района": the gazetteer knew only "Белая", a village of another
            # region; the two words are one name, in the region of the district the sentence names
            partial = [p for p in places if start <= p.start < end]
            region = next((p.place.admin1 for p in places if p.place.kind in ("admin2", "hromada") and p not in partial),
                          None)
            if partial and (region is None or all(p.place.admin1 == region for p in partial)):
                continue  # the gazetteer's reading of the first word stands
            places[:] = [p for p in places if p not in partial]
            admin1 = region or admin1
        name, kind = settlement_name(m.group(group), group == 2, admin1[:2])
        place = Place(f"fallback:{admin1}:{name}", kind, name, admin1[:2], admin1, admin2, None, None, None, None)
        out.append(PlaceRef(place, start, end, clause_of(clauses, start - sent.start), named, True))
    # Names of a list headed by "villages of": each is a settlement, also where the gazetteer only knows
    # its namesakes in other regions (then no place was resolved at its position).
    resolved = [(p.start, p.end) for p in places] + [(r.start, r.end) for r in out]
    for start, end in listed_settlements(text, sent.start, sent.end):
        if any(a <= start < b or a < end <= b for a, b in resolved):
            continue
        name, kind = settlement_name(text[start:end], False, admin1[:2])
        place = Place(f"fallback:{admin1}:{name}", kind, name, admin1[:2], admin1, admin2, None, None, None, None)
        out.append(PlaceRef(place, start, end, clause_of(clauses, start - sent.start), named, True))
    if out and named:  # the district was only the container of the new settlement
        places[:] = [p for p in places if p.place.kind != "admin2" or p.place.name != named]
    return out


_TOWN_ADJECTIVE = re.compile(r"([A-ZА-ЯІЇЄҐ][\w'-]{2,}?)(?:инск|ськ|ск)\w*\s*$")


def facility_places(text: str, sent, mentions: list, clauses, gaz=None) -> list[PlaceRef]:
    """"Туапский нефтеперерабатывающий завод" with an adjective the gazetteer lacks: the town of that
    stem the article names elsewhere ("Туапсе"), where the plant is; else a city of 100,000+ whose name
    is the stem with a usual ending ("Рязанську ТЕЦ" -> Рязань)."""
    out = []
    for f in _FACILITY_AFTER.finditer(text, sent.start, sent.end):
        adj = _TOWN_ADJECTIVE.search(text, max(sent.start, f.start() - 30), f.start())
        if adj is None or any(m.start <= adj.start() < m.end for m in sent.mentions):
            continue
        stem = fold(adj.group(1))
        towns = [m.places[0] for m in mentions if m.places and m.places[0].kind == "locality"
                 and fold(m.surface).startswith(stem) and len(stem) >= 4]
        if not towns and gaz is not None:
            towns = next((c for s in _stems(adj) if (c := _city_of_stem(gaz, s))), [])
        if towns:
            start, end = adj.start(), adj.end()
            out.append(PlaceRef(towns[0], start, end, clause_of(clauses, start - sent.start), None, True))
    return out


def _stems(adj: re.Match) -> list[str]:
    """What a town adjective may be built on: "Рязан-ський" on Рязань, "Курськ-ий" on Курськ itself."""
    stem = fold(adj.group(1))
    return [s for s in (stem, stem + ("ськ" if "ськ" in fold(adj.group(0)) else "ск")) if len(s) >= 4]


def _city_of_stem(gaz, stem: str) -> list:
    """Cities of 100,000+ named by the stem and a usual nominative ending (Рязан-ь, Туапс-е, Саратов)."""
    if stem not in _CITY_OF_STEM:
        found = []
        for ending in ("", "ь", "е", "а", "о", "и"):
            for m in gaz.find((stem + ending).title()):
                if fold(m.surface) == stem + ending:
                    found += [p for p in m.places if p.kind == "locality" and (p.population or 0) >= 100_000]
        _CITY_OF_STEM[stem] = found[:1]
    return _CITY_OF_STEM[stem]


_CITY_OF_STEM: dict[str, list] = {}


def leaves(places: list, cities_apart: bool = False) -> set[str]:
    """Ids of the places that contain no other place of the list (Sumy Oblast + a hromada in it -> 1).
    `cities_apart`: a city whose district the gazetteer does not give is not inside a district named
    beside it ("over Voronezh and the Liskinsky district" is two places: a city is its own okrug)."""
    if len(places) < 2:  # a place is not its own ancestor
        return {p.id for p in places}
    return {p.id for p in places if not any(is_ancestor(p, q) and not (cities_apart and _own_okrug(p, q))
                                            for q in places)}


def _own_okrug(district, place) -> bool:
    return district.kind == "admin2" and place.kind == "locality" and place.admin2 is None \
        and (place.population or 0) >= CITY_POPULATION



"""What happened and how many: event cues, weapons and weapon counts in one sentence.

Cues come per event type with their position, so that a count or a place goes to the nearest cue
("20 drones were destroyed, there were hits in Cherkasy": the 20 are intercepted, the hits are a
strike). Counts are numbers tied to a weapon noun or to a place in a roundup ("seven over the Kursk
region"); a count over a list of places is not split.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import pairwise

from transforms import lexicon as lx
from transforms.casualties import VERB_BEFORE
from transforms.gates import Gates
from transforms.numbers import MONTH_AFTER, number_spans, parse_number
from transforms.places import PlaceRef
from transforms.sentences import clause_of, coarse_clauses, contrast_parts

_NEGATION_BEFORE = re.compile(
    r"(?<![\w'])(?:no|not|without|avoided|absence of|lack of|без|не|нет|ни|немає|ніхто|никто|нема)\s+(?:[\w'-]+\s+){0,2}$")
_NEGATION_AFTER = re.compile(
    r"^\s*(?:[\w'-]+\s+){0,5}?(?:нет|немає|нема|were avoided|was avoided|не зафиксирован\w*|не было|не було|не зафіксовано)")

# "None of the Iskander-Ms was intercepted", "ни одна ракета не была сбита", "жодну не вдалося збити": no
# interception ("не менее 20 сбиты", "ППО не лише збила дрони" are).
_NONE_DOWNED_BEFORE = re.compile(
    r"(?:(?<![\w'])(?:none|no)\s+(?:[\w'-]+\s+){0,4}?(?:was|were|has been|have been)\s+"
    r"|(?<![\w'])not\s+(?:been\s+|be\s+)?|(?<![\w'])не\s+(?!менее|более|меньше|раз|только|менше|більше|лише|тільки)(?:[\w'-]+\s+)?)$")
# "no hits", "без влучань", "ни одного попадания": a strike word that says none happened.
_NO_HIT_BEFORE = re.compile(r"(?<![\w'])(?:no|not a single|without|без|ни одного|жодного)\s+(?:[\w'-]+\s+)?$")


def _negated(folded: str, start: int, end: int) -> bool:
    before = folded[max(0, start - 30):start]
    after = folded[end:end + 60]
    return bool(_NEGATION_BEFORE.search(before) or _NEGATION_AFTER.match(after))


def has_damage(folded: str) -> bool:
    return any(not _negated(folded, m.start(), m.end()) for m in _hits(folded).finditer(_G_DAMAGE, lx.DAMAGE_RE))


_FALL_VERB = re.compile(r"(?<![\w'])(?:crash(?:ed|es)|fell|упал\w*|упав\w*|впал\w*|впав|рухнул\w*|hit\w*|damag\w*)(?![\w'])")
# Things destroyed on the ground: a strike on them, not an interception.
_GROUND_TARGET = re.compile(
    r"(?<![\w'])(?:launchers?|пусков\w*|установк\w*|склад\w*|depots?|radars?|радар\w*|техник\w*|tanks?|танк\w*|"
    r"бмп|бтр|позици\w*|позиці\w*|опорн\w*|зрк|с-400|с-300|s-400|s-300|комплекс\w*|vehicles?|catapult\w*|"
    r"howitzers?|гаубиц\w*|батаре\w*|dugouts?|bunkers?|trenches|positions?|command posts?|trucks?|mortars?|"
    r"ammunition|armou?red|self-propelled|guns?|warehouses?|personnel|troops|soldiers|"
    r"огнев\w* точ\w*|вогнев\w* точ\w*|военнослужащ\w*|військовослужбов\w*|личн\w* состав\w*|особов\w* склад\w*|"
    r"живой силы|живої сили|houses?|homes?|buildings?|дом(?:а|ов)?|здани\w*|будин\w*|пункт\w* (?:временн|управлен|дислокац|базир)\w*|укрытие|укриття|бліндаж\w*|блиндаж\w*|окоп\w*|корабл\w*|ships?|warships?)(?![\w'])")
# "9 вибухів", "6 прилетов", "12 explosions": counted impacts are hits.
_BY_WEAPON = re.compile(r"\s+(?:by|with)\s+(?:[\w-]+\s+){0,3}?(?:drones?|uavs?|missiles?|rockets?|bombs?|shells?)(?![\w'])")
_COUNTED_BLASTS = re.compile(r"(?<![\w'])\d+\s+(?:вибух\w*|взрыв\w*|explosions|прил[её]т\w*|прильот\w*|влучан\w*|удар(?:ів|ов)|"
                             r"попадан\w*|hits|impacts)(?![\w'])")
_HIT = re.compile(r"hits?|struck|влуч|попадан|прил[еіь]т|вибух|взрыв|explo")
_PASSIVE_DESTROY = re.compile(r"(?<![\w'])(?:were destroyed|was destroyed|уничтожен[ыо]?|знищен[іо]?|знищено|знищені)(?![\w'])")
_RUBBLE_BEFORE = re.compile(r"(?<![\w'])(?:clear\w*|remov\w*|search\w* (?:through|in)|dig\w* through|under|beneath|"
                            r"from under|pulled from)\s+(?:the\s+)?$")
_FELL_ONTO = re.compile(r"\s+(?:на|у|в|on|onto|into)\s+(?:the\s+|a\s+)?(?:территори\w*|територі\w*|крыш\w*|дах\w*|"
                        r"двор\w*|подвір\w*|домовладени\w*|домоволодін\w*|жил\w+ дом\w*|житлов\w+ будин\w*|"
                        r"roof|house|yard|home|building|residential)")
_NEXT_CLAUSE = re.compile(r",\s+(?:and|while|but|а|и|і|та|й)\s|;")
# Who or what struck from the air: a weapon, or the crews that fly them ("оператори БпЛА", "pilots").
_AIR_MEANS = re.compile(
    r"(?<![\w'])(?:drones?|uavs?|fpv|бпла|бпак|дрон\w*|безпілотн\w*|беспилотн\w*|пілот\w*|пилот\w*|pilots?|"
    r"оператор\w*|operators?|авіаці\w*|авиаци\w*|aviation|air ?strikes?|missiles?|ракет\w*|bombs?|бомб\w*|каб)(?![\w'])")
_MEANS_OF_TARGET = re.compile(r"(?:управлени\w*|управлінн\w*|протидії|противодействи\w*|запуска|запуску|"
                              r"control|launch(?:ers?|ing)?|склад\w*|depots?|for|для)\s+(?:[\w-]+\s+)?$")
# A downed weapon as the subject of damage ("сбитые беспилотники повредили", "збиті дрони пошкодили").
_DOWNED_SUBJECT = re.compile(r"(?:сбитые|сбитый|сбитая|збиті|збитий|збита)$")
_DOWNED = re.compile(r"downed|сбит|збит")
# "Another downed drone damaged a technical room": the downed drone as the subject of what it hit.
_DOWNED_DID = re.compile(r"\s+(?:[\w-]+\s+)?(?:drones?|uavs?|missiles?|rockets?|shaheds?)\s+(?:\w+\s+)?"
                         r"(?:damaged|hit|struck|fell|crashed|set|started|caused|injured|wounded|landed)(?![\w'])")

_TIME_ADVERB = re.compile(r"(?<![\w'])(?:earlier|later|до этого|перед этим|позже|затем|пізніше|згодом|раніше|ранее)"
                          r"(?![\w'])")
# One automaton pass per sentence tells which of these patterns can match at all (see transforms.gates).
_GATES = Gates([
    lx.DAMAGE_RE, lx.DEBRIS_RE, lx.INTERCEPT_STRONG, _GROUND_TARGET, lx.INTERCEPT_DESTROY, _PASSIVE_DESTROY,
    lx.FALL_RE, _FALL_VERB, ("вибух", "взрыв", "explosions", "прил", "прильот", "влучан", "удар", "попадан", "hits", "impacts"),
    lx.STRIKE_STRONG, lx.STRIKE_WEAK, lx.WEAPON_STOP, lx.SHELLING_RE, lx.COUNTABLE_RE, *lx.WEAPON_PATTERNS.values(),
    lx.SINGULAR_RE, _TIME_ADVERB,
])
(_G_DAMAGE, _G_DEBRIS, _G_INTERCEPT, _G_GROUND, _G_DESTROY, _G_PASSIVE, _G_FALL, _G_FALL_VERB, _G_BLASTS,
 _G_STRIKE, _G_WEAK, _G_STOP, _G_SHELLING, _G_COUNTABLE) = [1 << i for i in range(14)]
_G_WEAPONS = tuple(1 << i for i in range(14, 14 + len(lx.WEAPON_PATTERNS)))
_G_SINGULAR = 1 << (14 + len(lx.WEAPON_PATTERNS))
_G_TIME = _G_SINGULAR << 1
_hits = lru_cache(maxsize=16)(_GATES.hits)


def strong_strike(folded: str) -> re.Match[str] | None:
    """`lexicon.STRIKE_STRONG.search(folded)`, skipping the sentence positions where it cannot start."""
    return _hits(folded).search(_G_STRIKE, lx.STRIKE_STRONG)


def singular_weapons(folded: str) -> list[int]:
    """Start positions of `lexicon.SINGULAR_RE` matches ("a drone", "ракету")."""
    found = [m.start() for m in _hits(folded).finditer(_G_SINGULAR, lx.SINGULAR_RE)]
    if "бпла" in folded or " бла" in folded:  # not the "бла" inside "область"
        found = sorted(set(found).union([m.start() for m in lx.SINGULAR_BPLA_RE.finditer(folded)]))
    return found


def cue_types(folded: str, countable: list[tuple[int, int]], follow_up: bool) -> tuple[dict[str, int], bool]:
    """Event types cued in a sentence with the position of each cue, and whether the interception is
    only implied by a participle next to debris words ("debris of a downed drone").
    `follow_up`: the previous sentence counted weapons, so "all of them were destroyed" refers to them."""
    types: dict[str, int] = {}
    hits = _hits(folded)
    debris = hits.search(_G_DEBRIS, lx.DEBRIS_RE)
    if debris is not None and _RUBBLE_BEFORE.search(folded, max(0, debris.start() - 30), debris.start()):
        debris = None  # "rescuers were clearing the debris": the rubble of a building, not a weapon's wreckage
    says_how = _says_how(folded)
    intercept = next((m for m in hits.finditer(_G_INTERCEPT, lx.INTERCEPT_STRONG)
                      if not lx.MODAL_BEFORE_RE.search(folded, max(0, m.start() - 25), m.start())
                      and not _NONE_DOWNED_BEFORE.search(folded, max(0, m.start() - 45), m.start())
                      and not (says_how and _how_they_do(folded, m))
                      and not _disposal(folded, m)), None)
    if intercept is None and not hits.search(_G_GROUND, _GROUND_TARGET):
        for m in hits.finditer(_G_DESTROY, lx.INTERCEPT_DESTROY):
            if _BY_WEAPON.match(folded, m.end()) or _disposal(folded, m):
                continue  # "aircraft destroyed by drones": the drones struck
            if any(abs(a - m.start()) < 70 or abs(m.end() - b) < 70 for a, b in countable):
                intercept = m
                break
        if intercept is None and follow_up:
            intercept = hits.search(_G_PASSIVE, _PASSIVE_DESTROY)
    damage = has_damage(folded)
    falls = hits.search(_G_FALL, lx.FALL_RE)
    fall_verb = next((m for m in hits.finditer(_G_FALL_VERB, _FALL_VERB)
                      if not _negated(folded, m.start(), m.end())), None)  # not "no damage"
    implied = False
    if debris is not None and (damage or fall_verb):
        types["debris"] = debris.start()
    elif intercept is not None and falls is not None and _DOWNED.search(folded) and fall_verb:
        types["debris"] = falls.start()
    elif intercept is not None and damage and (_DOWNED_SUBJECT.match(intercept.group()) or (
            intercept.group() == "downed" and _DOWNED_DID.match(folded, intercept.end()))):
        types["debris"] = intercept.start()  # "Сбитые беспилотники нанесли ущерб": what the downed drones hit
    if intercept is not None:
        types["interception"] = intercept.start()
        implied = "debris" in types
    strike = hits.search(_G_BLASTS, _COUNTED_BLASTS) or next(
        (m for m in hits.finditer(_G_STRIKE, lx.STRIKE_STRONG)
         if not lx.MODAL_BEFORE_RE.search(folded, max(0, m.start() - 25), m.start())
         and not lx.PLANNED_BEFORE_RE.search(folded, max(0, m.start() - 45), m.start())
         and not _NO_HIT_BEFORE.search(folded, max(0, m.start() - 30), m.start())), None)
    if strike is None:
        weak = hits.search(_G_WEAK, lx.STRIKE_WEAK)
        if weak is not None and damage and not _disposal(folded, weak):
            strike = weak
    if strike is None and falls is not None and "debris" not in types and debris is None and (
            damage or _FELL_ONTO.match(folded, falls.end())):
        strike = falls  # "a drone fell on the territory of a private house": where it came down, no shoot-down said
    if strike is None and intercept is None and debris is None:
        strike = _air_kill(folded, hits)
    if strike is not None and "debris" not in types and debris is None and (
            "interception" not in types or damage or _HIT.match(strike.group())):
        types["strike"] = strike.start()
    elif strike is not None and debris is not None and "debris" in types and _HIT.match(strike.group()) \
            and strike.end() < debris.start() and _NEXT_CLAUSE.search(folded, strike.end(), debris.start()):
        types["strike"] = strike.start()  # "a drone hit the roof, and fragments of another smashed windows"
    return types, implied


def spared_parts(folded: str) -> list[tuple[int, int]]:
    """Parts of a sentence that say their places were not hit ("while the governors of X and Y
    reported no hits", "а на Київщині обійшлося без влучань") and cue no event of their own."""
    if not lx.QUIET_RE.search(folded):
        return []
    return [(a, b) for a, b in contrast_parts(folded)
            if lx.QUIET_RE.search(folded, a, b) and not cue_types(folded[a:b], [], False)[0]]


def _air_kill(folded: str, hits) -> re.Match[str] | None:
    """"Drone operators destroyed a tank near X", "пілоти знищили склад БК": a ground target destroyed
    from the air is a strike; one destroyed by ground troops ("motor riflemen destroyed ...") is not
    the air war."""
    if hits.search(_G_GROUND, _GROUND_TARGET) is None:
        return None
    found = [*hits.finditer(_G_DESTROY, lx.INTERCEPT_DESTROY), *hits.finditer(_G_PASSIVE, _PASSIVE_DESTROY)]
    return next((m for m in sorted(found, key=lambda m: m.start()) if not _disposal(folded, m)
                 and (_air_means_before(folded, m.start()) or _BY_WEAPON.match(folded, m.end()))), None)


def _air_means_before(folded: str, end: int) -> bool:
    """The means named before the verb, as its subject or instrument; not a target's attribute (the
    drones of "пункты управления БПЛА", "склад систем протидії безпілотникам")."""
    return any(not _MEANS_OF_TARGET.search(folded, max(0, m.start() - 30), m.start())
               for m in _AIR_MEANS.finditer(folded, 0, end))


def _disposal(folded: str, m: re.Match) -> bool:
    """"Сапери знешкодили авіабомбу", "destroyed an unexploded shell": ordnance made safe, no interception."""
    return lx.DISPOSAL_RE.search(folded, max(0, m.start() - 60), m.end() + 60) is not None


def _how_they_do(folded: str, m: re.Match) -> bool:
    """"How mobile fire groups shoot down drones", "як ... збивають": a feature about the craft, present
    tense, no event."""
    return bool(_PRESENT_VERB.search(m.group()) and _HOW_BEFORE.search(folded, max(0, m.start() - 50), m.start()))


def _says_how(folded: str) -> bool:
    return "how " in folded or "як " in folded or "как " in folded


_HOW_BEFORE = re.compile(r"(?<![\w'])(?:how|як|как)\s+(?:[\w'-]+\s+){0,4}$")
_PRESENT_VERB = re.compile(r"(?:ють|ают|яют|shoot|shoots|intercept|intercepts|down)$")


def weapons_in(folded: str) -> tuple[set[str], bool]:
    hits = _hits(folded)
    stop = [(m.start(), m.end()) for m in hits.finditer(_G_STOP, lx.WEAPON_STOP)]
    found: dict[str, re.Match] = {}
    for (name, pattern), bit in zip(lx.WEAPON_PATTERNS.items(), _G_WEAPONS, strict=True):
        for m in hits.finditer(bit, pattern):
            if not any(a <= m.start() < b for a, b in stop):
                found[name] = m
                break
    shelling = hits.search(_G_SHELLING, lx.SHELLING_RE)
    if shelling is not None and found and "artillery" not in found and not _with_instrument(folded, shelling, found) \
            and not _MISSILE_SHELLING.search(folded, max(0, shelling.start() - 12), shelling.start()):
        found["artillery"] = shelling  # "came under fire and air strikes": shelling is artillery, so mixed
    return set(found), shelling is not None and not found


def _with_instrument(folded: str, shelling: re.Match, found: dict[str, re.Match]) -> bool:
    """"обстріляли ... авіабомбами": the bombs are the shelling ("під вогнем та авіаударами" is not)."""
    if shelling.group().startswith(("fired", "opened fire")):
        return True  # "fired 53 Grad rockets at", "missiles were fired at": firing is only shelling when nothing is named
    return shelling.group().startswith(("обстр", "shell")) and any(
        _INSTRUMENT.search(folded, m.start(), m.end() + 12)
        and not _COORDINATED.search(folded, max(0, m.start() - 25), m.start()) for m in found.values())
    return found, shelling is not None and not found


# A weapon in the instrumental ("обстріляли керованими авіабомбами", "shelled with drones") is what
# the shelling was done with, not a second weapon beside guns.
# "під обстрілами та авіаударами": a second means beside the shelling, not what it was done with
_COORDINATED = re.compile(r"(?<![\w'])(?:та|і|и|й|and)\s+(?:[\w'-]+\s+)?$")
_INSTRUMENT = re.compile(r"(?:ами|ями|ими|ыми|ом|ою|ой)(?![\w'])|(?<=with )")
_MISSILE_SHELLING = re.compile(r"(?:ракетн\w*|missile|rocket|drone|дронов\w*|артиллер\w*|артилер\w*|"
                               r"мінометн\w*|минометн\w*)\s+$")


def countables(folded: str) -> list[tuple[int, int]]:
    hits = _hits(folded)
    if not hits.mask & _G_COUNTABLE:
        return []
    stop = [(m.start(), m.end()) for m in hits.finditer(_G_STOP, lx.WEAPON_STOP)]
    return [(m.start(), m.end()) for m in hits.finditer(_G_COUNTABLE, lx.COUNTABLE_RE)
            if not any(a <= m.start() < b for a, b in stop)]


_GAP_STOP = (r"(?!(?:in|on|at|by|from|to|were|was|are|is|killed|injured|wounded|people|persons|civilians|and|or|after|"
             r"before|since|following|during|после|після|в|на|по|у|"
             r"з|из|от|и|та|і|й|или|человек\w*|людей|люди|погиб\w*|ранен\w*|загин\w*|поранен\w*)\s)")
_COUNT_GAP = (r"\s*(?:more\s+|еще\s+|ще\s+|of the\s+|из\s+|зі\s+|з\s+|із\s+)?(?:" + _GAP_STOP
              + r"[\w'«»\"“”-]+\s+){0,3}?[«\"“]?")
_COUNTED = re.compile(_COUNT_GAP + "(?:" + lx.COUNTABLE_RE.pattern + "|" + lx.IMPACTS_RE.pattern + ")")
_IMPACTS_ONLY = re.compile(r"\s+(?:of the|из|з|із|зі)\s+(?:[\w'-]+\s+)?" + lx.IMPACTS_RE.pattern)


def _impacts_only(tail: str) -> bool:
    """"one of the (heaviest) strikes": a part of the hits, which counts no weapon ("one of the drones" does)."""
    m = _IMPACTS_ONLY.match(tail)
    return m is not None and lx.COUNTABLE_RE.search(tail, 0, m.end()) is None


_UNIT_AFTER = re.compile(r"\s*-?\s*(?:year|летн|річн|:\d|мм\b|mm\b|км\b|km\b|%)")
# "В течение 3 часов беспилотники атаковали", "упродовж 3 годин", "for 3 hours": a duration, not a count
_DURATION_AFTER = re.compile(
    r"\s*-?\s*(?:hours?|minutes?|days?|weeks?|months?|years?|час|часа|часов|минут[аы]?|сутки|суток|день|дня|дней|"
    r"недел[июяь]\w*|месяц\w*|лет|год|года|годов|годин[аиу]?|хвилин[аиу]?|доби|діб|дні|днів|тиж\w*|місяц\w*|"
    r"рік|роки|років)(?![\w'])")
_OF_THEM = re.compile(r"\s+(?:of them|из них|з них|із них)\s")
# "A dozen drones attacked ...; nine were shot down": the weapons just named, left unsaid.
_ELLIPTIC_DOWNED = re.compile(r"\s+(?:were|have been|had been) (?:\w+ )?(?:shot down|downed|destroyed|intercepted|"
                              r"neutrali[sz]ed)(?![\w'])")
_PARTITIVE = re.compile(r"\s+(?:of them|of the|из них|з них|із них|из|зі|з|із)\s")
# "five people were injured; three of them were hospitalised": a part of the people, not of the weapons.
_OF_THEM_PEOPLE = re.compile(
    r"\s+(?:of them|из них|з них|із них)\s+(?:[\w'-]+\s+){0,2}?(?:hospitali|injur|wound|kill|died|dead|"
    r"in (?:a )?(?:serious|critical)|child|госпитализ|ранен|погиб|пострада|в тяж[её]л|дет|ребен|госпіталіз|поранен|"
    r"загин|постражда|у важк|діт|дитин)")
class _Span:
    __slots__ = ("_a", "_b")

    def __init__(self, a: int, b: int) -> None:
        self._a, self._b = a, b

    def start(self) -> int:
        return self._a

    def end(self) -> int:
        return self._b


_ROUNDUP_AFTER = re.compile(r"\s*(?:more\s+|еще\s+|ще\s+)?(?:each\s+|по\s+)?(?:[-–—]\s*)?"
                            r"(?:over|above|near|around|над|in|across|в|у|на|біля|поблизу|возле|около|под)\s")
# "девять — Курской": the count, a spaced dash, its place; "над Курской — девять", "Курская область: 9":
# the place, a spaced dash or a colon, its count
_DASH_AFTER = re.compile(r"\s+[-–—]\s+")
_WORD_AFTER = re.compile(r"\s*[^\W\d_]")
_PLACE_DASH = re.compile(r"(?:\s+[-–—]|\s*:)\s+(?:(?:еще|ще|more)\s+)?")


# "the ministry earlier said ...": the time of the report, not of a second wave of drones
_REPORT_AFTER = re.compile(r"\s+(?:said|says|reported|stated|announced|сообщал\w*|сообщил\w*|заявлял\w*|заявил\w*|"
                           r"повідомля\w*|повідомил\w*|повідомив|заявля\w*|заявив|писал\w*|писав)(?![\w'])")
_N_OF_M = re.compile(r"\s+(?:of|out of|из|з|із|зі)\s+$")


# "killed three people ...: two in Kostiantynivka and one in Pokrovsk", "пострадали 7 человек: 4 в
# Шебекино, 3 в Грайвороне": the figures after the colon share out the people, not weapons.
_CASUALTY_WORD = (r"(?<![\w'])(?:killed|killing|wounded|wounding|injured|injuring|dead|died|hurt|погиб\w*|ранен\w*|"
                  r"пострадал\w*|загинул\w*|загинуло|загиблих|поранен\w*|постраждал\w*|травмован\w*)(?![\w'])")
_PEOPLE_TOTAL = re.compile(_CASUALTY_WORD + r"[^:;.]{0,80}:")


_PEOPLE_IN_BEFORE = re.compile(_CASUALTY_WORD + r"\s+(?:in|в|у|во)\s")
_IN_AFTER = re.compile(r"\S+\s+(?:(?:people|persons|of them|человек\w*|людей|осіб)\s+)?(?:in|в|у|во)\s")


def people_listed(folded: str, pos: int) -> bool:
    """Does the number at `pos` share out a casualty total given before a colon in this sentence, or
    continue a casualty list ("seven people were hurt in X and two in Y")?"""
    return _PEOPLE_TOTAL.search(folded, max(0, pos - 120), pos) is not None or (
        _PEOPLE_IN_BEFORE.search(folded, max(0, pos - 120), pos) is not None
        and _IN_AFTER.match(folded, pos) is not None)


_NUMBER_IN_BEFORE = re.compile(r"(?<![\w'])(?P<num>[\w'-]+)\s+(?:in|в|у|во)\s+(?:the\s+)?$")


def listed_people(folded: str, place_pos: int) -> int | None:
    """The people a distributive casualty list gives to the place at `place_pos` ("two in X"), if any."""
    if not people_listed(folded, place_pos):
        return None
    m = _NUMBER_IN_BEFORE.search(folded, max(0, place_pos - 30), place_pos)
    return parse_number(m.group("num")) if m else None


def _clock_or_date(folded: str, start: int, end: int) -> bool:
    """A part of "03:00" or "15.30" / "5.03": no count ("около 03:00 ... ракетный удар" is not 0 missiles)."""
    before = folded[start - 2:start] if start >= 2 else ""
    after = folded[end:end + 2]
    return (len(before) == 2 and before[1] in ":." and before[0].isdigit()) or \
        (len(after) == 2 and after[0] in ":." and after[1].isdigit())


def weapon_counts(folded: str, places: list[tuple[int, int]]) -> list[tuple[int, int, bool, bool, bool]]:
    """(position, value, exact, additive, a part of a count given before) for numbers that count weapons or impacts."""
    out = []
    numbers = number_spans(folded)
    time_adverb: bool | None = None  # "earlier", "later": the same for every number of the sentence
    # "15 of 18 missiles were shot down": 15 is the count, 18 the total it is taken from.
    totals = {i + 1 for i in range(len(numbers) - 1)
              if _N_OF_M.match(folded, numbers[i][1], numbers[i + 1][0])} if len(numbers) > 1 else set()
    for i, (n_start, n_end, value) in enumerate(numbers):
        if i in totals:
            continue
        if i + 1 in totals:
            n_end = numbers[i + 1][1]  # read what is counted after the total
        elif i + 1 < len(numbers) and numbers[i + 1][0] - n_end <= 2:
            continue  # "26 три ..." : a date remnant before the real count
        if _UNIT_AFTER.match(folded[n_end:n_end + 8]) or _DURATION_AFTER.match(folded, n_end) \
                or MONTH_AFTER.match(folded, n_end) or _clock_or_date(folded, n_start, n_end):
            continue
        m = _Span(n_start, n_end)
        tail = folded[m.end():m.end() + 60]
        counted = _COUNTED.match(tail) is not None
        if not counted and not people_listed(folded, m.start()) \
                and not VERB_BEFORE.search(folded, max(0, m.start() - 40), m.start()):
            if (roundup := _ROUNDUP_AFTER.match(tail)) is not None:
                after = m.end() + roundup.end()
                counted = any(a - after <= 25 and a >= after for a, _ in places)
            elif (dash := _DASH_AFTER.match(tail)) is not None:
                after = m.end() + dash.end()
                counted = any(a == after for a, _ in places)
            if not counted and not _WORD_AFTER.match(tail):  # "Ізюмський район – 2 чоловіків": people
                counted = any(b <= m.start() and m.start() - b <= 12 and _PLACE_DASH.fullmatch(folded, b, m.start())
                              for _, b in places)
        partitive = (bool(_PARTITIVE.match(folded, m.end())) and (
            counted or bool(_OF_THEM.match(folded[m.end():m.end() + 12]))) \
            and not _OF_THEM_PEOPLE.match(folded, m.end(), m.end() + 60)) \
            or (_ELLIPTIC_DOWNED.match(folded, m.end(), m.end() + 40) is not None
                and lx.COUNTABLE_RE.search(folded, 0, m.start()) is not None)
        counted = counted or partitive
        if not counted or (partitive and _impacts_only(tail)):
            continue  # "один із ударів припав на ...": one of the hits, not a count of weapons
        before = folded[max(0, m.start() - 25):m.start()]
        exact = not lx.INEXACT_BEFORE_RE.search(before)
        additive = bool(lx.ADDITIVE_RE.search(folded[max(0, m.start() - 12):m.end() + 12]))
        if not additive:
            if time_adverb is None:
                time_adverb = any(not _REPORT_AFTER.match(folded, m.end())
                                  for m in _hits(folded).finditer(_G_TIME, _TIME_ADVERB))
            additive = time_adverb
        out.append((m.start(), value, exact, additive, partitive))
    # "launched 45 drones ...; 38 of them were shot down": what was launched is not what was shot down
    # or hit, when the sentence counts that too.
    launched = {c[0] for c in out if _launched(folded, c[0])} if len(out) > 1 else set()
    if launched and len(launched) < len(out):
        out = [c for c in out if c[0] not in launched]
    # "two glide bombs ..., one of the bombs hit a wood": a subset of a count already given.
    first_full = min((c[0] for c in out if not c[4]), default=None)
    return [c for c in out if not (c[4] and first_full is not None and c[0] > first_full)]


_LAUNCH_BEFORE = re.compile(r"(?<![\w'])(?:launched|launching|fired|запустил\w*|запустив\w*|выпустил\w*|випустил\w*"
                            r"|випустив)(?:\s+[\w-]+){0,3}?\s+$")
_LAUNCH_AFTER = re.compile(r"\s+(?:[\w-]+\s+){0,3}?(?:launched|fired|выпущенн\w*|запущенн\w*|випущен\w*|запущен\w*)"
                           r"(?![\w'])")


def _launched(folded: str, start: int) -> bool:
    """Is the count at `start` one of weapons launched ("launched 45 drones", "of the 20 missiles fired")?"""
    if _LAUNCH_BEFORE.search(folded, max(0, start - 40), start):
        return True
    end = start
    while end < len(folded) and folded[end].isdigit():
        end += 1
    return _LAUNCH_AFTER.match(folded, end, end + 45) is not None


def types_for_place(clauses, c_idx: int, cue_pos: dict[str, int], places: list[PlaceRef]) -> set[str]:
    """Event types for a place: the cues of its own clause, else those of clauses without a place."""
    types = set(cue_pos)
    if c_idx < 0 or len(clauses) == 1 or len({p.place.id for p in places}) == 1:
        return types  # one place: everything the sentence says is about it
    a, b = clauses[c_idx]
    own_types = {t for t, pos in cue_pos.items() if a <= pos < b}
    if own_types:
        return own_types
    place_clauses = {p.clause for p in places}
    free = {t for t, pos in cue_pos.items() if clause_of(clauses, pos) not in place_clauses}
    if free:
        return free
    before = [(pos, t) for t, pos in cue_pos.items() if pos < a]
    if before:  # "debris of downed drones fell in X ..., and in Y": what the last clause with cues said
        last = clause_of(clauses, max(before)[0])
        return {t for pos, t in before if clause_of(clauses, pos) == last}
    return types


def quantity_for(etype, clauses, c_idx, counts, singular, cue_pos, multi, f, implied, places, offset=0):
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
        each = [c for c in counts if _EACH_BEFORE.search(f, max(0, c[0] - 4), c[0])
                or _EACH_AFTER.match(f, c[0], c[0] + 30)]
        if each and c_idx >= 0:
            # "по одному БПЛА – над Орловской и Тульской областями": the count of the clause and the list it heads
            mine = [c for c in each if clause_of(clauses, c[0]) <= c_idx
                    and all(clause_of(clauses, o[0]) <= clause_of(clauses, c[0]) or clause_of(clauses, o[0]) > c_idx
                            for o in counts)]
            if mine:
                c = max(mine, key=lambda c: c[0])
                return c[1], c[2], c[3]
        return None, True, False
    if offset >= 0 and places and len(counts) > 1:
        # "12 drones ..., five of them over the sea and seven over the Kursk region": the count next to
        # the place wins over the sentence's total.
        pos = places[0].start - offset
        a, b = next(((a, b) for a, b in coarse_clauses(f) if a <= pos < b), (0, len(f)))
        near = [c for c in counts if a <= c[0] < b and owner(c[0]) == etype]
        if near and len(near) < len(counts) and _total_and_parts(counts, f):
            return _sum_counts(near)
    mine = [c for c in counts if owner(c[0]) == etype]
    if mine:
        return _sum_counts(mine)
    if counts:
        return None, True, False
    if any(owner(p) == etype for p in singular):
        return 1, True, False
    return None, True, False


def _total_and_parts(counts, f: str) -> bool:
    """Do the sentence's counts share out a total ("12 drones ..., five of them over the sea and seven over
    the Kursk region", "10 drones, 4 over the Kursk region")? Else they are a place's shelling tallied by
    kind ("артобстріл (4 вибухи), мінометний обстріл (4 вибухи) та обстріл з АГС (10 вибухів)"), summed:
    counts of hits or explosions only, standing together, none a total of the ones after it."""
    if any(c[4] for c in counts) or max(c[0] for c in counts) - min(c[0] for c in counts) > _PARTS_SPAN:
        return True
    if not all(_IMPACT_COUNT.match(f, c[0]) for c in counts):
        return True
    values = [c[1] for c in sorted(counts)]  # a total stands before its parts
    return values[0] >= sum(values[1:])


_IMPACT_COUNT = re.compile(r"(?:[\w'-]+\s+)??[\w'-]+" + _COUNT_GAP + "(?:" + lx.IMPACTS_RE.pattern + ")")
_PARTS_SPAN = 150


# "по одному БПЛА – над Орловской и Тульской областями", "one each over X and Y": a count for every place
# of the list ("15 ракет по Києву та Львову" is a total: that "по" is the preposition after the count).
_EACH_BEFORE = re.compile(r"(?<![\w'])по\s+$")
_EACH_AFTER = re.compile(r"\S*\s+(?:[\w-]+\s+){0,2}?each(?![\w'])")
_LIST_GAP = re.compile(r"^\s*(?:,|and|or|и|или|і|й|та|чи)?\s*(?:and\s+|и\s+|та\s+|і\s+)?(?:the\s+)?$"
                       # names the gazetteer did not place between two listed ones: "X, Y, Z"
                       r"|^\s*,\s*(?:[^\W\d_][\w'’-]*(?:\s+[^\W\d_][\w'’-]*)?\s*,\s*){1,2}$")


def _in_list(places: list[PlaceRef], c_idx: int, f: str, offset: int) -> bool:
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

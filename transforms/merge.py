"""From raw sentence-level findings to incidents: one per event type and place.

Several reports of the same type at the same place are one incident (counts added when the text says
"more"/"later", restatements not double-counted, the latest casualty figure wins). A region-level
report folds into the single finer place of the same type; a hromada named after a city is that city.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from transforms.gazetteer import Place
from transforms.lexicon import AIR_STRIKE
from transforms.places import CITY_ADMIN1
from transforms.scoring import normalise_name


@dataclass(slots=True)
class RawIncident:
    etype: str
    place: Place
    admin2_named: str | None
    locality_named: bool
    weapons: set[str]
    shelling_only: bool
    quantity: int | None
    exact: bool  # False for "over 30", "dozens": quantity stays None but counts as said
    additive: bool | str  # True, False or "partitive" (a part of a total said elsewhere)
    killed: int | None
    injured: int | None
    sent: int
    span: tuple[int, int]
    implied: bool = False
    cas_at: int = -1  # sentence of the latest casualty figure
    edate: date | None = None
    dprec: str = "unknown"
    folded: str = ""  # folded evidence sentence (for the date words)
    bare_attack: bool = False  # a strike only said to be an "attack", with no hit, damage, count or casualty
    weak_cue: bool = False  # a strike only of an "attack"/"raid" with damage, no hit said ("fires after a raid")


def set_casualties(raw: RawIncident, killed: int | None, injured: int | None, at: int) -> None:
    if killed is not None:
        raw.killed = killed
    if injured is not None:
        raw.injured = injured
    if killed is not None or injured is not None:
        raw.cas_at = at


# --- merging ---------------------------------------------------------------------------------
def _fields(r: RawIncident) -> tuple[str | None, str | None]:
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


def merge(raws: list[RawIncident]) -> list[RawIncident]:
    groups: dict[tuple, list[RawIncident]] = {}
    for r in raws:
        admin2, locality = _fields(r)
        key = (r.etype, r.place.admin1, admin2 if (r.admin2_named or r.place.kind in ("admin2", "city_district"))
               else None, locality)
        groups.setdefault(key, []).append(r)
    merged = [_combine(g) for g in groups.values()]
    # A region-level report folds into the one finer place of the same type ("2 over Krasnodar
    # Region" + "a downed drone over Sochi"); with several finer places it only disappears.
    out = []
    named_of = [_named_dict(r) for r in merged]  # place fields only: the loop below never changes them
    implied_in: set[int] = set()  # implied interceptions folded into their region's explicit one
    same: dict[tuple, list[int]] = {}  # indexes of the incidents of one type and region, in order
    for j, o in enumerate(merged):
        same.setdefault((o.etype, o.place.admin1), []).append(j)
    for i, r in enumerate(merged):
        mine = named_of[i]
        named = len(mine)
        finer = [o for j in same[(r.etype, r.place.admin1)] if (o := merged[j]) is not r
                 and ((len(named_of[j]) > named and all(named_of[j].get(k) == v for k, v in mine.items()))
                      or _hromada_of(r, o))]
        if not finer or _ONE_OF.search(r.folded or ""):  # "in one of the region's villages": not the city named
            out.append(r)
            continue
        if len(finer) == 1 and finer[0].implied and not r.implied and r.etype == "interception" \
                and not _SAYS_SHOT.search(finer[0].folded or ""):
            # "air defence shot down 12 drones over the region; debris of a downed one fell in Zatoka": the
            # region's interception stands, the one the debris only implied is part of it
            implied_in.add(id(finer[0]))
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
            if not f.weapons and not f.shelling_only:  # "200 shells on the hromadas; in village X houses ..."
                f.weapons, f.shelling_only = set(r.weapons), r.shelling_only
            f.implied = False
    out = [r for r in out if id(r) not in implied_in]
    _debris_from_interception(out)
    # "Drones attacked Kyiv" next to the interceptions and debris of that night says no more than they do.
    shot = {(r.place.admin1) for r in out if r.etype in ("interception", "debris")}
    return [r for r in out if not (r.etype == "strike" and r.quantity is None and (
        (r.bare_attack and (_said_by_debris(r, out) or (r.killed is None and r.injured is None and r.place.admin1 in shot)))
        # "fires were reported at a fuel facility in Volgograd" ... "fragments of a drone started a fire there"
        or (r.weak_cue and r.place.kind != "admin1" and _said_by_debris(r, out))))]


def _within(inner, outer) -> bool:
    """`inner` is `outer` or lies in it (a district of the city, a village of the district)."""
    if inner.admin1 != outer.admin1:
        return False
    if inner.id == outer.id or outer.kind == "admin1":
        return True
    if outer.kind == "locality":
        return inner.kind == "city_district" and inner.city == outer.name
    return outer.kind == "admin2" and inner.kind != "admin2" and inner.admin2 == outer.admin2


# The sentence of an interception the debris implies says no shoot-down of its own ("shot down several
# drones over the city, and debris fell on a plant" does)
_SAYS_SHOT = re.compile(r"(?<![\w'])(?:shot down|shoots? down|brought down|сбил[аи]?|збил[аи]?|збив|сбиты|збито|збиті|"
                        r"уничтожил[аи]?|знищил[аи]?|перехватил[аи]?|перехопил[аи]?)(?![\w'])")
_ONE_OF = re.compile(r"(?<![\w'])(?:(?:в|у|во) (?:одн\w+|одному) (?:из|з|із) (?:сел|сіл|населен|громад|район|поселк|селищ)"
                     r"|in one of the (?:villages|settlements|communities|districts|towns))")


def _said_by_debris(strike: RawIncident, incidents: list[RawIncident]) -> bool:
    """"Drones attacked Saratov" ... "the downed drones' debris fell on houses in Saratov; four people were
    hurt": the attack is the debris fall. The debris takes the figures the attack was given."""
    same = [d for d in incidents if d.etype == "debris" and _within(d.place, strike.place)]
    for d in same[:1]:
        d.killed = strike.killed if d.killed is None else d.killed
        d.injured = strike.injured if d.injured is None else d.injured
    return bool(same)


def _debris_from_interception(incidents: list[RawIncident]) -> None:
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


def _hromada_of(h: RawIncident, o: RawIncident) -> bool:
    """"Сумська громада" and a strike in Sumy's Kovpakivskyi district are the same place."""
    if h.place.kind != "hromada" or o.place.kind not in ("locality", "city_district"):
        return False
    city = o.place.city if o.place.kind == "city_district" else o.place.name
    a, b = normalise_name(h.place.name) or "", (normalise_name(city) or "").rstrip("aeiouy")
    k = max(3, len(b) - 2)
    return len(b) >= 3 and a[:k] == b[:k]


def _named_dict(r: RawIncident) -> dict[str, str | None]:
    d: dict[str, str | None] = {}
    admin2, locality = _fields(r)
    if r.admin2_named or r.place.kind in ("admin2", "city_district"):
        d["admin2"] = admin2
    if r.place.kind in ("locality", "hromada", "city_district"):
        d["locality"] = locality
    return d


def _combine(group: list[RawIncident]) -> RawIncident:
    if len(group) == 1:  # the most common case: what the general rules below give for one incident
        r = group[0]
        weapons = set(r.weapons)
        return RawIncident(r.etype, r.place, r.admin2_named or None, bool(r.locality_named), weapons,
                           r.shelling_only and not weapons, r.quantity if r.exact else None, bool(r.exact), False,
                           r.killed, r.injured, r.sent, r.span, implied=bool(r.implied), cas_at=max(-1, r.cas_at),
                           edate=r.edate, dprec=r.dprec, folded=r.folded, bare_attack=bool(r.bare_attack),
                           weak_cue=bool(r.weak_cue))
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
            quantity += r.quantity  # type: ignore[operator]  # exact: a number
        elif r.quantity != quantity:
            quantity = max(quantity, r.quantity)  # type: ignore[type-var]
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
    weapons = set()
    shelling = False
    for r in group:
        weapons |= r.weapons
        shelling = shelling or r.shelling_only
    bare = all(r.bare_attack for r in group)
    out = RawIncident(head.etype, best.place, next((r.admin2_named for r in group if r.admin2_named), None),
               any(r.locality_named for r in group), weapons, shelling and not weapons, quantity, exact, False,
               killed, injured, best.sent, best.span, implied=all(r.implied for r in group), cas_at=cas_at,
               edate=best.edate, dprec=best.dprec, folded=best.folded, bare_attack=bare,
               weak_cue=all(r.weak_cue for r in group))
    return out


def to_dict(r: RawIncident, text: str) -> dict:
    p = r.place
    admin2, locality = _fields(r)
    weapons = set(r.weapons)
    if len(weapons) == 1:
        weapon = next(iter(weapons))
    elif not weapons and r.shelling_only:
        weapon = "artillery"
    else:
        weapon = None
    if AIR_STRIKE in weapons:  # "an air strike with glide bombs" is the bombs; alone or beside guns, unknown
        aerial = weapons - {AIR_STRIKE}
        weapon = next(iter(aerial)) if len(aerial) == 1 and aerial <= {"glide_bomb", "missile"} else None
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

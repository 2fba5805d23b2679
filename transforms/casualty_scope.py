"""Which incidents a statement of no casualties covers (gold/README.md: "A statement of no casualties
covers every incident of the attack it refers to, wherever in the report the statement stands").

A report says "no one was hurt" once, for the attack it describes: before the incidents, after them
or at the end of a summary, and interceptions are covered too. The attack is read off where the
statement stands: the region of the sentence's own places, else of the places just reported; when
those span several regions (an Air Force summary), or the statement says so ("any of the attacks"),
it covers the article's incidents in that country. A weapon named with the statement limits it to
incidents of that weapon (a missile's "no victims" is not the drones'). An incident with casualty
figures of its own keeps them, and a statement does not reach a field that another incident in its
scope counts (then it was about one place after all). In a report written in sections, one paragraph per
place, a statement inside a section is about that section's attack (`_paragraph_scope`).
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from transforms.places import CITY_POPULATION

_WHOLE = re.compile(
    r"(?<![\w'])(?:any of the attacks|all (?:the |of the )?attacks|all regions|в целом|всех атак|ни в одном|"
    r"загалом|усіх атак|всіх атак|жодному|обоих|both attacks)(?![\w'])")


# "Nobody was hurt there", "там никто не пострадал": the place just named, not the whole report.
_THERE = re.compile(r"(?<![\w'])(?:there(?! (?:were|was|is|are|have|has|had|will|would)(?![\w']))|там|тут|здесь|"
                    r"на месте|на місці)(?![\w'])")  # not the "there" of "there were no casualties"


# "no one was hurt in the districts", "в районах пострадавших нет": the region's districts, not its cities
_DISTRICTS = re.compile(r"(?<![\w'])(?:in the (?:region's |oblast's )?(?:districts|rural areas)|в районах|у районах|по районах)"
                        r"(?![\w'])")


@dataclass(frozen=True, slots=True)
class NoneStatement:
    """A sentence saying there were no victims (killed) and/or no one hurt (injured)."""

    sent: int
    killed: bool
    injured: bool
    admin1: frozenset[str] | None  # the regions it covers; None: the whole `country`
    country: str | None  # None: every country
    weapons: frozenset[str]  # the weapons it is about; empty: any
    places: frozenset[str] | None = None  # "no one was hurt there": only these places (ids)
    districts: bool = False  # "in the districts": not the cities the report names


def none_statement(sent: int, killed: int | None, injured: int | None, folded: str, admin1: set[str],
                   country: str | None, weapons: set[str], recent: AbstractSet[str] = frozenset(),
                   own: AbstractSet[str] = frozenset()) -> NoneStatement | None:
    """The statement a sentence makes, if it says no one was killed or hurt and counts nobody.
    `admin1`/`country`/`weapons`: what the sentence is about (its own places, else those just reported);
    `recent`: the places just reported, which a "there" points back to; `own`: the places of the event the
    same sentence reports ("Kramatorsk came under fire; a building was damaged, with no casualties")."""
    if not (killed == 0 or injured == 0) or killed or injured:
        return None
    regional = len(admin1) == 1 and not _WHOLE.search(folded)
    there = frozenset(recent) if recent and _THERE.search(folded) else frozenset(own) if own else None
    return NoneStatement(sent, killed == 0, injured == 0, frozenset(admin1) if regional else None, country,
                         frozenset(weapons), there, _DISTRICTS.search(folded) is not None)


def _covers(st: NoneStatement, r) -> bool:
    if st.places is not None and r.place.id not in st.places:
        return False
    if st.admin1 is not None and r.place.admin1 not in st.admin1:
        return False
    if st.country is not None and r.place.country != st.country:
        return False
    if st.districts and _is_city(r.place):
        return False
    return not st.weapons or not r.weapons or bool(r.weapons & st.weapons)


def _is_city(place) -> bool:
    return place.kind == "city_district" or (place.kind == "locality" and (place.population or 0) >= CITY_POPULATION)


def apply_none_statements(incidents: list, statements: list[NoneStatement], lines: list[int]) -> None:
    """Set killed/injured to 0 on the incidents each statement covers (see the module docstring).
    `incidents`: merged incidents with `place`, `weapons`, `killed`, `injured`, `sent` (the sentence
    they were read from) and `cas_at` (the sentence of their own figures); `lines`: the paragraph of
    each sentence."""
    for st in statements:
        scope = _paragraph_scope(st, [r for r in incidents if _covers(st, r)], statements, lines)
        own = [r for r in scope if r.cas_at >= 0 and r.cas_at != st.sent]
        for field, says in (("killed", st.killed), ("injured", st.injured)):
            if not says or any(getattr(r, field) for r in scope):
                continue
            for r in scope:
                if r not in own and getattr(r, field) is None:
                    setattr(r, field, 0)


def _paragraph_scope(st: NoneStatement, scope: list, statements: list[NoneStatement], lines: list[int]) -> list:
    """A report in sections, one per place ("Белгородский район. ... Пострадавших нет." then "Шебекинский
    округ. ... Мужчина ранен."): a statement inside a section that reports incidents is about that
    section's attack. A report is read as sectioned when, within the statement's scope, another paragraph
    gives casualties of its own (figures, or a statement of its own); otherwise the statement covers its
    whole scope ("debris damaged a shop in Novomoskovsk; no one was hurt" still covers the interception
    over the Tula region the ministry's paragraph reports)."""
    here = lines[st.sent]
    section = [r for r in scope if lines[r.sent] == here]
    if not section or len(section) == len(scope):
        return scope
    elsewhere = any(lines[r.sent] != here and r.cas_at >= 0 and r.cas_at != st.sent for r in scope) or any(
        lines[other.sent] != here and any(_covers(other, r) for r in scope) for other in statements if other is not st)
    return section if elsewhere else scope

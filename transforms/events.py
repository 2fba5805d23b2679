"""Incidents from different articles merged into events: one real occurrence, many reports.

One attack reported by five outlets is five incidents; analysts count attacks. These rules
decide which incidents describe the same occurrence. They are pure (plain records or Arrow in,
plain records or Arrow out) so the warehouse mart and `incidents eval --merge` run the very same
code, and a test can state a rule with three made-up records.

Two incidents may describe one occurrence when:
- they come from different articles (within an article, the extractor's own merge has decided);
- they have the same admin1 and the same kind: an interception never merges with an impact,
  while a strike and a debris fall may (one outlet writes "a drone hit", another "debris fell");
- their places fit: equal, or one finer than and inside the other (a town inside the district the
  other names). A region-wide report (admin1 only) fits only another region-wide one: a regional
  total and a district report inside it are different records. One exception, where the counts
  equate them: a region-wide interception and an interception at a finer place inside the region
  that give the same count (2 or more), "eight drones over Krasnodar krai" and "eight near
  Tuapse" the same night. Region-wide strikes and debris falls never fit a finer place;
- their dates fit: the same day, or a day apart when at least one of the two dates is only the
  publication date standing in (an attack "overnight" is published the next day; a page can be
  dated the evening before the night it describes). Two dates the texts themselves give, a day
  apart, are two nights;
- their weapons fit (null fits anything).

Events are grown so that every two members from different articles fit (complete link, so a
chain of "a day apart" never spans three nights); two members from one article share an event
only as the strike and the debris fall at one place, joined through other articles. Reports
with the same profile (region, kind, type, place, day, weapon, an interception's count) move
together, so a thousand copies of one report cost about what one does. Profiles are visited in a canonical order (day,
finest place first, smallest incident id), so the result does not depend on input order.

A count equates two reports only when it points at one occurrence: when a region-wide count could
equate the regional report with finer reports that cannot be one occurrence themselves (eight
near Tuapse and eight near Sochi), the count equates nothing, see `_settle_counts`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from itertools import combinations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from model.schema import EVENT_ASSIGNMENTS, EVENT_KINDS
from transforms.places import CITY_ADMIN1
from transforms.scoring import normalise_name

INTERCEPTION, IMPACT = EVENT_KINDS
_KIND = {"interception": INTERCEPTION, "strike": IMPACT, "debris": IMPACT}
_DAY = timedelta(days=1)
MIN_EQUATING_COUNT = 2  # one drone downed is too common a count to tell one occurrence by


@dataclass(frozen=True)
class Members:
    """The incidents of one profile as the clustering sees them: each incident's rank among all
    incident ids (ascending) and its article's code, aligned. Ids are only compared (incident ids
    for order, article ids for equality), so ranks and codes give the same events; and two int
    arrays per profile, not a Python object per incident, keep the merge's memory small (on
    552,753 incidents: a peak ~80 MB lower, and a third of the time)."""

    ranks: np.ndarray
    articles: np.ndarray

    def __len__(self) -> int:
        return len(self.ranks)

    @property
    def first(self) -> int:
        return int(self.ranks[0])


@dataclass(frozen=True, order=True)
class Place:
    """A place inside one admin1, names normalised (`Tuapse district` and `Tuapse raion` are equal)."""

    admin2: str | None = None
    locality: str | None = None

    @property
    def region_wide(self) -> bool:
        return self.admin2 is None and self.locality is None

    @property
    def rank(self) -> int:
        """How fine the place is: region 0, district 1, town 2, town with its district 3."""
        return (2 if self.locality else 0) + (1 if self.admin2 else 0)


@dataclass(frozen=True, order=True)
class When:
    """The day an incident happened, and whether the article's words give it (`firm`) or only
    its publication date stands in for it."""

    day: date | None = None
    firm: bool = False


@dataclass(frozen=True, order=True)
class Profile:
    """What the rules look at in an incident, apart from its article. `count` is set only where a
    count can equate two reports (an interception's quantity, 2 or more: see `count_of`), so
    impacts with different figures still share one profile."""

    admin1: str | None
    event_type: str
    place: Place
    when: When
    weapon: str | None = None
    count: int | None = None

    @property
    def kind(self) -> str:
        return _KIND.get(self.event_type, self.event_type)

    @property
    def mergeable(self) -> bool:
        return self.admin1 is not None and self.when.day is not None


@dataclass(frozen=True)
class Report:
    """One incident as the merge sees it: its ids and its profile."""

    incident_id: str
    article_id: str
    profile: Profile


@dataclass(frozen=True)
class Event:
    """A group of incidents taken for one occurrence; `event_id` is the smallest member id, so it
    stays the same across reruns on the same data."""

    event_id: str
    incident_ids: tuple[str, ...]
    event_date: date | None
    date_precision: str


# --- the pairwise rules ---------------------------------------------------------------------
@lru_cache(maxsize=65536)
def place_of(admin1: str | None, admin2: str | None, locality: str | None) -> Place:
    """The place key of an incident. In a city of special status (Kyiv, Moscow, Sevastopol) the
    city is the admin1, so its name as a locality adds nothing finer."""
    if admin1 in CITY_ADMIN1:
        locality = None
    return Place(normalise_name(admin2), normalise_name(locality))


@lru_cache(maxsize=65536)
def when_of(event_date: date | None, date_precision: str | None, published: date | datetime | None) -> When:
    """The incident's own day when it has one; else the article's publication date (a date given
    to the month only counts when the article was published in that month)."""
    pub = published.date() if isinstance(published, datetime) else published
    if event_date is not None and date_precision == "day":
        return When(event_date, firm=event_date != pub)
    if pub is None:
        return When()
    if event_date is not None and (event_date.year, event_date.month) != (pub.year, pub.month):
        return When()
    return When(pub, firm=False)


def count_of(event_type: str, quantity: int | None) -> int | None:
    """The count that may equate a region-wide interception with a finer one: an interception's
    quantity when it is `MIN_EQUATING_COUNT` or more; else None (it equates nothing)."""
    if _KIND.get(event_type, event_type) != INTERCEPTION or quantity is None or quantity < MIN_EQUATING_COUNT:
        return None
    return int(quantity)


def places_fit(a: Place, b: Place) -> bool:
    """Equal places, or a town and the district it lies in; a region-wide report fits only another."""
    if a.region_wide or b.region_wide:
        return a.region_wide and b.region_wide
    if a.locality and b.locality:
        return a.locality == b.locality and (a.admin2 is None or b.admin2 is None or a.admin2 == b.admin2)
    if a.locality or b.locality:  # a town against a district: the town must be said to lie in it
        town, district = (a, b) if a.locality else (b, a)
        return town.admin2 == district.admin2
    return a.admin2 == b.admin2


def dates_fit(a: When, b: When) -> bool:
    """Same day, or a day apart unless both days come from the texts themselves (two nights)."""
    if a.day is None or b.day is None:
        return False
    gap = abs((a.day - b.day).days)
    return gap == 0 or (gap == 1 and not (a.firm and b.firm))


def weapons_fit(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a == b


def counts_equate(p: Profile, q: Profile) -> bool:
    """A region-wide interception and an interception at a finer place with the same count: the
    ministry's "eight over Krasnodar krai" and the town's "eight near Tuapse" are one engagement.
    Only interceptions (a region-wide strike is never equated with a town's) and only counts of
    `MIN_EQUATING_COUNT` or more; the admin1, dates and weapons must fit too (`profiles_fit`)."""
    return (
        p.kind == q.kind == INTERCEPTION
        and p.count is not None and p.count == q.count
        and p.place.region_wide != q.place.region_wide
    )


def profiles_fit(p: Profile, q: Profile) -> bool:
    """May incidents with these profiles, from two different articles, report one occurrence?"""
    return (
        p.mergeable and q.mergeable
        and p.admin1 == q.admin1
        and p.kind == q.kind
        and (places_fit(p.place, q.place) or counts_equate(p, q))
        and dates_fit(p.when, q.when)
        and weapons_fit(p.weapon, q.weapon)
    )


def can_merge(a: Report, b: Report) -> bool:
    """May two incidents be reports of one occurrence? Never two of the same article."""
    return a.article_id != b.article_id and profiles_fit(a.profile, b.profile)


def may_share_event(p: Profile, q: Profile) -> bool:
    """May two incidents of one article sit in one event (joined through other articles)? Only
    the strike and the debris fall at one place: one article may code both for one impact."""
    return p.kind == q.kind == IMPACT and p.event_type != q.event_type and p.place == q.place


# --- clustering -----------------------------------------------------------------------------
@dataclass
class _Cluster:
    """A growing event. Its distinct profiles stand for its members in the complete-link test."""

    seed: int  # smallest incident rank: the event id, and the tie-breaker that keeps runs identical
    day: date
    ranks: list[np.ndarray] = field(default_factory=list)  # its members' ranks, group by group
    profiles: dict[Profile, int] = field(default_factory=dict)  # profile -> members
    groups: list[tuple[Profile, np.ndarray]] = field(default_factory=list)  # each group's articles, sorted

    def add(self, profile: Profile, members: Members) -> None:
        """Add a group: members that share one profile, at most one per article (`_split`)."""
        self.profiles[profile] = self.profiles.get(profile, 0) + len(members)
        self.ranks.append(members.ranks)
        self.groups.append((profile, members.articles if len(members) == 1 else np.sort(members.articles)))
        self.seed = min(self.seed, members.first)

    def absorb(self, other: _Cluster) -> None:
        for p, n in other.profiles.items():
            self.profiles[p] = self.profiles.get(p, 0) + n
        self.ranks.extend(other.ranks)
        self.groups.extend(other.groups)
        self.seed = min(self.seed, other.seed)

    @property
    def size(self) -> int:
        return sum(self.profiles.values())

    def only_article(self) -> int | None:
        """The article all members come from, if they come from one."""
        first = self.groups[0][1]
        if len(first) != 1 or any(len(arts) != 1 or arts[0] != first[0] for _, arts in self.groups):
            return None
        return int(first[0])


def _share(a: np.ndarray, b: np.ndarray) -> bool:
    """Do two sorted arrays of article codes have one in common?"""
    if len(a) > len(b):
        a, b = b, a
    if len(b) <= 16:  # most groups are a few reports: a set is faster than numpy's calls
        return not set(a.tolist()).isdisjoint(b.tolist())
    at = np.searchsorted(b, a)
    inside = at < len(b)
    return bool(np.any(b[at[inside]] == a[inside]))


def _fits(c: _Cluster, d: _Cluster) -> bool:
    """Would `c` and `d` together still be one event (every cross-article pair fits)?"""
    if not all(profiles_fit(p, q) for p in c.profiles for q in d.profiles):
        return False
    only = c.only_article()
    if only is not None and only == d.only_article():
        return False  # only incidents of different articles are ever joined
    # two incidents of one article: only as the strike and the debris fall at one place
    return not any(not may_share_event(p, q) and _share(a, b) for p, a in c.groups for q, b in d.groups)


def _lookup_keys(profile: Profile) -> tuple[tuple, ...]:
    """Index keys under which clusters that may hold a fitting profile are filed."""
    place = profile.place
    if place.region_wide:
        keys: tuple[tuple, ...] = (("region",),)
    elif place.locality:
        keys = (("town", place.locality),) + ((("district", place.admin2),) if place.admin2 else ())
    else:
        keys = (("inside", place.admin2),)
    if profile.count is not None:  # the other side of `counts_equate`
        keys += (("count", not place.region_wide, profile.count),)
    return keys


def _index_keys(profile: Profile) -> tuple[tuple, ...]:
    """Index keys a cluster holding `profile` is filed under (the mirror of `_lookup_keys`)."""
    place = profile.place
    if place.region_wide:
        keys: tuple[tuple, ...] = (("region",),)
    else:
        inside = (("inside", place.admin2),) if place.admin2 else ()
        keys = inside + ((("town", place.locality),) if place.locality else (("district", place.admin2),))
    if profile.count is not None:
        keys += (("count", place.region_wide, profile.count),)
    return keys


@dataclass
class _Block:
    """The clusters of one admin1 and kind, filed by day and place key."""

    clusters: list[_Cluster] = field(default_factory=list)
    index: dict[tuple, set[int]] = field(default_factory=lambda: defaultdict(set))

    def file(self, cid: int, day: date, profile: Profile) -> None:
        for key in _index_keys(profile):
            self.index[(day, *key)].add(cid)

    def candidates(self, profile: Profile, days: Iterable[date]) -> set[int]:
        found: set[int] = set()
        for d in days:
            for key in _lookup_keys(profile):
                found |= self.index.get((d, *key), set())
        return found


_Group = tuple[Profile, Members]  # a profile and its members


def _split(profile: Profile, members: Members) -> list[_Group]:
    """One group per profile, except that a second incident of one article starts another group:
    an article's k-th incident (in rank order) goes to group k."""
    arts = members.articles
    if len(np.unique(arts)) == len(arts):
        return [(profile, members)]
    order = np.argsort(arts, kind="stable")  # each article's incidents together, in rank order
    sorted_arts = arts[order]
    starts = np.flatnonzero(np.r_[True, sorted_arts[1:] != sorted_arts[:-1]])
    run_start = np.repeat(starts, np.diff(np.r_[starts, len(arts)]))
    occurrence = np.empty(len(arts), np.int64)
    occurrence[order] = np.arange(len(arts)) - run_start
    return [(profile, Members(members.ranks[occurrence == k], arts[occurrence == k]))
            for k in range(int(occurrence.max()) + 1)]


def _preference(c: _Cluster, place: Place) -> tuple:
    """Which fitting cluster a group joins: most members at its very place, then the largest, then
    the smallest seed (so the choice never depends on input order)."""
    return (-sum(n for p, n in c.profiles.items() if p.place == place), -c.size, c.seed)


def _grow(block: _Block, groups: list[_Group]) -> None:
    """First pass: each group joins the best fitting cluster of its own day, or starts one."""
    for profile, members in sorted(groups, key=lambda g: (g[0].when.day, -g[0].place.rank, g[1].first)):
        day, place = profile.when.day, profile.place
        single = _Cluster(seed=members.first, day=day)
        single.add(profile, members)
        fitting = [cid for cid in block.candidates(profile, [day]) if _fits(block.clusters[cid], single)]
        if fitting:
            cid = min(fitting, key=lambda k: _preference(block.clusters[k], place))
            block.clusters[cid].add(profile, members)
        else:
            cid = len(block.clusters)
            block.clusters.append(single)
        block.file(cid, day, profile)


def _pairs(block: _Block) -> list[tuple[int, int]]:
    """The second pass's candidate pairs of clusters: same day first, then a day apart."""
    found: set[tuple[int, int, int]] = set()
    for cid, c in enumerate(block.clusters):
        for p in c.profiles:
            for other in block.candidates(p, [c.day, c.day + _DAY]):
                if other != cid:
                    gap = abs((block.clusters[other].day - c.day).days)
                    found.add((gap, min(cid, other), max(cid, other)))
    ordered = sorted(found, key=lambda t: (t[0], block.clusters[t[1]].seed, block.clusters[t[2]].seed))
    return [(a, b) for _, a, b in ordered]


def _join(block: _Block) -> list[_Cluster]:
    """Second pass: join clusters that fit as a whole (the strike and debris of one article that
    the first pass kept apart, reports a day apart); repeated while anything joins, since a join
    can make a pair of one article's incidents joinable."""
    root = list(range(len(block.clusters)))

    def find(cid: int) -> int:
        while root[cid] != cid:
            root[cid] = root[root[cid]]
            cid = root[cid]
        return cid

    pairs = _pairs(block)
    changed = True
    while changed:
        changed = False
        for a, b in pairs:
            ra, rb = find(a), find(b)
            if ra != rb and _fits(block.clusters[ra], block.clusters[rb]):
                keep, gone = (ra, rb) if block.clusters[ra].size >= block.clusters[rb].size else (rb, ra)
                block.clusters[keep].absorb(block.clusters[gone])
                root[gone] = keep
                changed = True
    return [c for cid, c in enumerate(block.clusters) if find(cid) == cid]


def _settle_counts(groups: list[_Group]) -> list[_Group]:
    """Drop the count of every report whose count points at more than one occurrence.

    A count equates a region-wide interception with a finer one (`counts_equate`). When the
    ministry's "eight over Krasnodar krai" finds two partners that cannot be one occurrence
    themselves, "eight near Tuapse" and "eight near Sochi" (or the same town two nights apart),
    the count says the regional report is one of them but not which; likewise a town's count
    that two regional reports of different nights share. Such a report is not joined to either:
    its count is dropped (it is clustered as if it gave none, so a region-wide report still joins
    other region-wide ones). Refusing, rather than picking one partner by size or incident id,
    because such a pick would rest on nothing the texts say (ids are arbitrary), would let an
    unrelated report elsewhere in the input decide the choice, and a wrong join costs precision
    in both events; the rule is there for the one case the counts settle. The partners are
    read from the whole block at once (all reports of the admin1, same count, a day around it,
    any article), before any clustering, so the outcome does not depend on input order, and
    dropping counts only removes fits: every two members of an event still fit."""
    by_count: dict[tuple[int, bool, date], set[Profile]] = defaultdict(set)
    for profile, _ in groups:
        if profile.count is not None:
            by_count[(profile.count, profile.place.region_wide, profile.when.day)].add(profile)
    if not any(region_wide for _, region_wide, _ in by_count):
        return groups
    ambiguous: set[Profile] = set()
    for (count, region_wide, day), profiles in by_count.items():
        near = [q for d in (day - _DAY, day, day + _DAY) for q in by_count.get((count, not region_wide, d), ())]
        if len(near) < 2:
            continue
        for p in profiles:
            partners = [q for q in near if profiles_fit(p, q)]
            if any(not profiles_fit(a, b) for a, b in combinations(partners, 2)):
                ambiguous.add(p)
    if not ambiguous:
        return groups
    return [(replace(p, count=None) if p in ambiguous else p, members) for p, members in groups]


@dataclass(frozen=True)
class _Formed:
    """Events as ranks: one event of all `ranks` (its id the first), or with `alone` one event per
    rank (reports that cannot be placed beside another)."""

    ranks: np.ndarray  # ascending
    alone: bool
    day: date | None
    precision: str


def _formed(c: _Cluster) -> _Formed:
    """The day the texts give, if any does; else the most common day (the earliest on a tie)."""
    days: Counter[date] = Counter()
    firm = {p.when.day for p in c.profiles if p.when.firm}
    for p, n in c.profiles.items():
        if not firm or p.when.day in firm:
            days[p.when.day] += n
    day = min(days, key=lambda d: (-days[d], d))
    ranks = c.ranks[0] if len(c.ranks) == 1 else np.sort(np.concatenate(c.ranks))  # a group's are sorted
    return _Formed(ranks, False, day, "day")


def _cluster_profiles(members: dict[Profile, Members]) -> list[_Formed]:
    blocks: dict[tuple[str, str], list[_Group]] = defaultdict(list)
    formed: list[_Formed] = []
    for profile, group in members.items():
        if not profile.mergeable:  # no region or no day: it cannot be placed beside another report
            day = profile.when.day
            formed.append(_Formed(group.ranks, True, day, "day" if day else "unknown"))
            continue
        blocks[(profile.admin1, profile.kind)].extend(_split(profile, group))
    for key in sorted(blocks):
        block = _Block()
        _grow(block, _settle_counts(blocks[key]))
        formed.extend(_formed(c) for c in _join(block))
    return formed


def _members(ranks: np.ndarray, articles: np.ndarray) -> Members:
    if len(ranks) == 1:
        return Members(ranks, articles)
    order = np.argsort(ranks)
    return Members(ranks[order], articles[order])


def cluster(reports: Iterable[Report]) -> list[Event]:
    """Group reports into events (every report in exactly one), sorted by event id. Incident ids
    are unique, as in the warehouse."""
    reports = list(reports)
    ids = sorted(r.incident_id for r in reports)
    rank = {iid: k for k, iid in enumerate(ids)}
    code: dict[str, int] = {}
    grouped: dict[Profile, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for r in reports:
        ranks, articles = grouped[r.profile]
        ranks.append(rank[r.incident_id])
        articles.append(code.setdefault(r.article_id, len(code)))
    members = {p: _members(np.array(rs, np.int64), np.array(arts, np.int64)) for p, (rs, arts) in grouped.items()}
    events: list[Event] = []
    for f in _cluster_profiles(members):
        names = tuple(ids[k] for k in f.ranks.tolist())
        if f.alone:
            events.extend(Event(name, (name,), f.day, f.precision) for name in names)
        else:
            events.append(Event(names[0], names, f.day, f.precision))
    return sorted(events, key=lambda e: e.event_id)


# --- records and Arrow ------------------------------------------------------------------------
def report_of(row: dict) -> Report:
    """A Report from an incident row (`incidents` columns) plus its article's `published`."""
    admin1 = row.get("admin1")
    profile = Profile(
        admin1=admin1,
        event_type=row["event_type"],
        place=place_of(admin1, row.get("admin2"), row.get("locality")),
        when=when_of(row.get("event_date"), row.get("date_precision"), _day(row.get("published"))),
        weapon=row.get("weapon"),
        count=count_of(row["event_type"], row.get("quantity")),
    )
    return Report(row["incident_id"], row["article_id"], profile)


def _day(published: date | datetime | None) -> date | None:
    return published.date() if isinstance(published, datetime) else published


_KEYS = ("admin1", "event_type", "admin2", "locality", "event_date", "date_precision", "published", "weapon", "count")
_INTERCEPTION_TYPES = sorted(t for t, kind in _KIND.items() if kind == INTERCEPTION)


def _profiles_of(incidents: pa.Table, order: pa.Array) -> dict[Profile, Members]:
    """Members by profile, grouped in Arrow: Python sees one row per distinct profile key, and a
    profile's members come as slices of two int arrays (`Members`). `order`: the rows in incident
    id order; a member's rank (its place in that order) stands for its id."""
    n = incidents.num_rows
    quantity = incidents.column("quantity") if "quantity" in incidents.column_names else pa.nulls(n, pa.int64())
    equating = pc.and_(  # count_of, column by column (test_events_rules holds the two paths equal)
        pc.is_in(incidents.column("event_type"), pa.array(_INTERCEPTION_TYPES, pa.string())),
        pc.greater_equal(quantity, MIN_EQUATING_COUNT),
    )
    rank = np.empty(n, np.int64)
    rank[order.to_numpy()] = np.arange(n, dtype=np.int64)  # row -> its place in id order
    keys = pa.table({
        **{c: incidents.column(c) for c in ("admin1", "event_type", "admin2", "locality", "date_precision", "weapon")},
        "event_date": _epoch_days(incidents.column("event_date")),
        "published": _epoch_days(incidents.column("published")),
        "count": pc.cast(pc.if_else(equating, quantity, pa.scalar(None, quantity.type)), pa.int64()),
        "article": pc.dictionary_encode(incidents.column("article_id").combine_chunks()).indices.cast(pa.int64()),
        "rank": rank,
    })
    grouped = keys.group_by(list(_KEYS), use_threads=False).aggregate([("rank", "list"), ("article", "list")])
    ranks, articles = (grouped.column(f"{c}_list").combine_chunks() for c in ("rank", "article"))
    at = ranks.offsets.to_numpy()  # both lists come from one pass: the same offsets, rows aligned
    rank_values, article_values = ranks.values.to_numpy(), articles.values.to_numpy()
    parts: dict[Profile, list[tuple[np.ndarray, np.ndarray]]] = defaultdict(list)
    for k, g in enumerate(grouped.select(list(_KEYS)).to_pylist()):
        admin1, etype = g["admin1"], g["event_type"]
        when = when_of(_date(g["event_date"]), g["date_precision"], _date(g["published"]))
        profile = Profile(admin1, etype, place_of(admin1, g["admin2"], g["locality"]), when, g["weapon"], g["count"])
        parts[profile].append((rank_values[at[k]:at[k + 1]], article_values[at[k]:at[k + 1]]))
    return {p: _members(*(np.concatenate(x) for x in zip(*ps))) for p, ps in parts.items()}


_EPOCH = date(1970, 1, 1)


def _epoch_days(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """Dates (or UTC days of timestamps) as day numbers: only the distinct ones become dates."""
    if pa.types.is_timestamp(column.type):
        column = pc.cast(column, pa.date32())
    return pc.cast(column, pa.int32())


@lru_cache(maxsize=65536)
def _date(days: int | None) -> date | None:
    return None if days is None else _EPOCH + timedelta(days=days)


def assign_events(incidents: pa.Table) -> pa.Table:
    """Each incident's event (id, and the event's date): the input of the warehouse's events mart.

    `incidents` needs the columns incident_id, article_id, event_type, weapon, admin1, admin2,
    locality, event_date, date_precision and published (the article's); `quantity` is read when
    present (without it, no count equates a region-wide interception with a finer one)."""
    order = pc.sort_indices(incidents.column("incident_id"))  # the rows by id (ids are unique)
    formed = _cluster_profiles(_profiles_of(incidents, order))
    if formed:
        ranks = np.concatenate([f.ranks for f in formed])
        seeds = np.concatenate([f.ranks if f.alone else np.full(len(f.ranks), f.ranks[0]) for f in formed])
        which = np.repeat(np.arange(len(formed)), [len(f.ranks) for f in formed])
    else:
        ranks = seeds = which = np.empty(0, np.int64)
    rows = np.lexsort((ranks, seeds))  # event by event (by event id), each event's members in id order
    which = pa.array(which[rows])
    ids = incidents.column("incident_id")
    return pa.table(
        {
            "incident_id": ids.take(order.take(pa.array(ranks[rows]))),
            "event_id": ids.take(order.take(pa.array(seeds[rows]))),
            "event_date": pa.array([f.day for f in formed], pa.date32()).take(which),
            "date_precision": pa.array([f.precision for f in formed], pa.string()).take(which),
        },
        schema=EVENT_ASSIGNMENTS,
    )

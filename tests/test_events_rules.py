"""The merge of incidents into events (transforms/events.py), on made-up incident records.

Each record is what the extractor would code from a short report written for this test, in the
style of an English, Russian or Ukrainian outlet (the sentence is in the comment)."""

from __future__ import annotations

import itertools
import random
from datetime import UTC, date, datetime, timedelta

import pyarrow as pa

from transforms.event_scoring import keyed_incidents, score_pairs
from transforms.events import Report, assign_events, can_merge, cluster, may_share_event, report_of

D = date(2025, 8, 14)


def rep(iid: str, aid: str, event_type: str = "strike", admin1: str | None = "RU-KDA", *, admin2: str | None = None,
        locality: str | None = None, day: date | None = D, published: date | datetime | None = D,
        precision: str = "day", weapon: str | None = "drone", quantity: int | None = None) -> Report:
    return report_of({
        "incident_id": iid, "article_id": aid, "event_type": event_type, "weapon": weapon, "admin1": admin1,
        "admin2": admin2, "locality": locality, "event_date": day, "date_precision": precision, "published": published,
        "quantity": quantity,
    })


def groups(reports: list[Report]) -> set[frozenset[str]]:
    return {frozenset(e.incident_ids) for e in cluster(reports)}


def test_one_attack_told_in_three_languages_is_one_event():
    reports = [
        rep("i3", "en", locality="Novorossiysk"),  # "A drone struck an oil terminal in Novorossiysk overnight"
        rep("i1", "ru", locality="Novorossiysk"),  # "Ночью беспилотник атаковал нефтебазу в Новороссийске"
        rep("i2", "uk", locality="Novorossiysk"),  # "Уночі дрон уразив нафтобазу в Новоросійську"
    ]
    events = cluster(reports)
    assert [e.incident_ids for e in events] == [("i1", "i2", "i3")]
    assert events[0].event_id == "i1"  # the smallest member id: stable across reruns
    assert events[0].event_date == D and events[0].date_precision == "day"


def test_a_strike_and_a_debris_fall_merge_but_never_with_an_interception():
    strike = rep("s", "en", "strike", locality="Tuapse")  # "a drone hit the refinery in Tuapse"
    debris = rep("d", "ru", "debris", locality="Tuapse")  # "обломки беспилотника упали на НПЗ в Туапсе"
    downed = rep("x", "uk", "interception", locality="Tuapse")  # "над Туапсе збили дрон"
    assert can_merge(strike, debris)
    assert not can_merge(strike, downed) and not can_merge(debris, downed)
    assert groups([strike, debris, downed]) == {frozenset({"s", "d"}), frozenset({"x"})}


def test_a_regional_total_and_a_district_report_inside_it_stay_apart():
    total = rep("t", "mod", "interception", admin1="RU-BRY")  # "27 drones destroyed over Bryansk region"
    district = rep("d", "gov", "interception", admin1="RU-BRY", admin2="Klintsovsky")  # "...over Klintsy district"
    town = rep("v", "ru", "interception", admin1="RU-BRY", locality="Klintsy")  # "под Клинцами сбит беспилотник"
    other_total = rep("o", "uk", "interception", admin1="RU-BRY")  # "над Брянською областю збили 27 дронів"
    assert not can_merge(total, district) and not can_merge(total, town)
    assert can_merge(total, other_total)
    assert groups([total, district, other_total]) == {frozenset({"t", "o"}), frozenset({"d"})}


def test_a_regional_count_equal_to_a_town_s_count_is_the_same_interception():
    # "Air defence destroyed twelve drones over the Voronezh region overnight, the ministry said"
    total = rep("t", "mod", "interception", admin1="RU-VOR", quantity=12)
    # "Ночью над Лисками Лискинского района сбиты двенадцать беспилотников, сообщил глава района"
    town = rep("l", "ru", "interception", admin1="RU-VOR", admin2="Liskinsky", locality="Liski", quantity=12)
    # "Над Лискинським районом уночі збили 12 дронів" (a district, published the next morning)
    district = rep("d", "uk", "interception", admin1="RU-VOR", admin2="Liskinsky", quantity=12,
                   day=D.replace(day=15), published=D.replace(day=15))
    assert can_merge(total, town) and can_merge(town, total) and can_merge(total, district)
    assert groups([total, town, district]) == {frozenset({"t", "l", "d"})}
    # another region's twelve, another night told by both texts, or one article: no
    assert not can_merge(rep("o", "mod2", "interception", admin1="RU-BEL", quantity=12), town)
    assert not can_merge(rep("n", "gov", "interception", admin1="RU-VOR", quantity=12, published=D.replace(day=16)),
                         rep("m", "ru2", "interception", admin1="RU-VOR", locality="Liski", quantity=12,
                             day=D.replace(day=15), published=D.replace(day=16)))
    assert not can_merge(total, rep("s", "mod", "interception", admin1="RU-VOR", locality="Liski", quantity=12))


def test_different_counts_or_no_count_keep_a_regional_total_apart():
    total = rep("t", "mod", "interception", admin1="RU-VOR", quantity=12)  # "twelve drones over the Voronezh region"
    fewer = rep("r", "ru", "interception", admin1="RU-VOR", locality="Rossosh", quantity=4)  # "над Россошью сбиты четыре БПЛА"
    unsaid = rep("u", "uk", "interception", admin1="RU-VOR", locality="Rossosh")  # "над Россошшю працювала ППО"
    assert not can_merge(total, fewer) and not can_merge(total, unsaid)
    assert not can_merge(rep("v", "gov", "interception", admin1="RU-VOR"), unsaid)  # neither gives a count
    assert groups([total, fewer, unsaid]) == {frozenset({"t"}), frozenset({"r", "u"})}


def test_equal_counts_never_equate_a_regional_strike_or_debris_fall_with_a_town_s():
    # "Три беспилотника атаковали объекты в Воронежской области" / "three drones hit Liski"
    strike = rep("s", "ru", "strike", admin1="RU-VOR", quantity=3)
    town = rep("l", "en", "strike", admin1="RU-VOR", locality="Liski", quantity=3)
    debris = rep("d", "uk", "debris", admin1="RU-VOR", quantity=3)  # "уламки трьох дронів упали в області"
    assert not can_merge(strike, town) and not can_merge(debris, town)
    assert groups([strike, town, debris]) == {frozenset({"s", "d"}), frozenset({"l"})}


def test_a_count_of_one_equates_nothing():
    total = rep("t", "mod", "interception", admin1="UA-18", weapon="missile", quantity=1)  # "one missile downed over Zhytomyr oblast"
    town = rep("k", "uk", "interception", admin1="UA-18", locality="Korosten", weapon="missile", quantity=1)  # "над Коростенем збито ракету"
    assert not can_merge(total, town)
    assert len(cluster([total, town])) == 2


def test_a_regional_count_that_fits_two_towns_joins_neither():
    # "six drones over the Voronezh region" / "шесть БПЛА над Лисками" / "шість дронів над Россошшю"
    total = rep("t", "mod", "interception", admin1="RU-VOR", quantity=6)
    liski = rep("l", "ru", "interception", admin1="RU-VOR", locality="Liski", quantity=6)
    rossosh = rep("r", "uk", "interception", admin1="RU-VOR", locality="Rossosh", quantity=6)
    copy = rep("c", "en", "interception", admin1="RU-VOR", quantity=6)  # another outlet's regional six
    assert can_merge(total, liski) and can_merge(total, rossosh)  # each pair alone would merge
    reports = [total, liski, rossosh, copy]
    assert groups(reports) == {frozenset({"t", "c"}), frozenset({"l"}), frozenset({"r"})}
    for perm in itertools.permutations(reports):
        assert groups(list(perm)) == groups(reports)
    # one town on two nights the texts give is two occurrences too: the regional six joins neither
    # ("в ночь на 13 августа над Лисками сбиты шесть БПЛА", "в ночь на 15 августа ... шесть")
    nights = [rep(f"n{d}", f"ru{d}", "interception", admin1="RU-VOR", locality="Liski", quantity=6,
                  day=D.replace(day=d), published=D.replace(day=16)) for d in (13, 15)]
    vague = rep("v", "gov", "interception", admin1="RU-VOR", quantity=6)  # dated the 14th by its page only
    assert can_merge(vague, nights[0]) and can_merge(vague, nights[1]) and not can_merge(*nights)
    assert groups([vague, *nights]) == {frozenset({"v"}), frozenset({"n13"}), frozenset({"n15"})}


def test_a_regional_count_never_joins_an_event_holding_another_count():
    # every two members from different articles fit: the regional twelve and a town's fifteen do not
    total = rep("t", "mod", "interception", admin1="RU-VOR", quantity=12)
    twelve = rep("a", "ru", "interception", admin1="RU-VOR", locality="Liski", quantity=12)
    fifteen = rep("b", "uk", "interception", admin1="RU-VOR", locality="Liski", quantity=15)
    assert can_merge(twelve, fifteen) and can_merge(total, twelve) and not can_merge(total, fifteen)
    assert all(not {"t", "b"} <= set(e.incident_ids) for e in cluster([total, twelve, fifteen]))


def test_a_town_merges_with_the_district_it_lies_in_and_names_compare_normalised():
    district = rep("a", "en", admin1="UA-63", admin2="Kharkiv district")  # "shelling of Kharkiv district"
    town = rep("b", "uk", admin1="UA-63", admin2="Kharkivskyi", locality="Mala Danylivka")  # "Мала Данилівка Харківського району"
    same_district = rep("c", "ru", admin1="UA-63", admin2="Kharkiv raion")  # "обстрел Харьковского района"
    assert can_merge(district, town) and can_merge(district, same_district)
    assert groups([district, town, same_district]) == {frozenset({"a", "b", "c"})}


def test_places_that_do_not_nest_stay_apart():
    town = rep("a", "en", locality="Tuapse")
    other_town = rep("b", "ru", locality="Sochi")
    district = rep("c", "uk", admin2="Tuapsinsky")
    town_in_other_district = rep("d", "ru", admin2="Apsheronsky", locality="Tuapse")
    assert not can_merge(town, other_town)
    assert not can_merge(town, district)  # the town is not said to lie in that district
    assert not can_merge(district, town_in_other_district)
    assert not can_merge(rep("e", "en", admin1="RU-BEL", locality="Tuapse"), town)  # another admin1


def test_an_overnight_attack_published_the_next_morning_is_the_same_event():
    evening = rep("a", "ru", locality="Tuapse", day=D, published=D)  # published on the 14th: "атака на Туапсе"
    # published on the 15th: "overnight, a drone hit Tuapse" (the date it gives is the publication's)
    morning = rep("b", "en", locality="Tuapse", day=D.replace(day=15), published=D.replace(day=15))
    assert can_merge(evening, morning)


def test_a_page_dated_the_evening_before_the_night_it_describes_is_the_same_event():
    # dated the 13th, the text itself says nothing of the day: its date is the publication's
    early = rep("a", "uk", locality="Tuapse", day=D.replace(day=13), published=D.replace(day=13))
    told = rep("b", "ru", locality="Tuapse", day=D, published=D.replace(day=15))  # "в ночь на 14 августа"
    assert can_merge(early, told)


def test_the_same_place_another_night_is_another_event():
    night1 = rep("a", "en", locality="Tuapse", day=D, published=D.replace(day=16))  # "on the night of 14 August"
    night2 = rep("b", "ru", locality="Tuapse", day=D.replace(day=15), published=D.replace(day=16))  # "в ночь на 15 августа"
    week_later = rep("c", "uk", locality="Tuapse", day=D.replace(day=21), published=D.replace(day=21))
    assert not can_merge(night1, night2)  # both days are given by the texts
    assert not can_merge(night1, week_later) and not can_merge(night2, week_later)
    assert len(cluster([night1, night2, week_later])) == 3


def test_an_event_never_spans_three_nights():
    days = [D.replace(day=13), D, D.replace(day=15)]
    reports = [rep(f"i{n}", f"a{n}", locality="Tuapse", day=d, published=d) for n, d in enumerate(days)]
    events = cluster(reports)
    assert len(events) == 2
    members = {r.incident_id: r for r in reports}
    for e in events:
        spread = {members[i].profile.when.day for i in e.incident_ids}
        assert (max(spread) - min(spread)).days <= 1


def test_reports_of_a_night_join_their_own_night_first():
    first = [rep("a1", "x1", locality="Tuapse", day=D, published=D.replace(day=16)),
             rep("a2", "x2", locality="Tuapse", day=D, published=D.replace(day=16))]
    second = [rep("b1", "y1", locality="Tuapse", day=D.replace(day=15), published=D.replace(day=16)),
              rep("b2", "y2", locality="Tuapse", day=D.replace(day=15), published=D.replace(day=16))]
    vague = rep("c", "z", locality="Tuapse", day=D.replace(day=15), published=D.replace(day=15))  # "overnight"
    assert groups(first + second + [vague]) == {frozenset({"a1", "a2"}), frozenset({"b1", "b2", "c"})}


def test_weapons_fit_when_equal_or_unsaid():
    drone = rep("a", "en", locality="Belgorod", weapon="drone")
    unsaid = rep("b", "ru", locality="Belgorod", weapon=None)  # "взрывы в Белгороде"
    missile = rep("c", "uk", locality="Belgorod", weapon="missile")
    assert can_merge(drone, unsaid) and can_merge(unsaid, missile)
    assert not can_merge(drone, missile)
    assert len(cluster([drone, unsaid, missile])) == 2  # never all three: drone and missile disagree


def test_incidents_of_one_article_are_never_joined_by_themselves():
    strike = rep("s", "one", "strike", locality="Tuapse")
    debris = rep("d", "one", "debris", locality="Tuapse")
    assert not can_merge(strike, debris)
    assert len(cluster([strike, debris])) == 2
    # another outlet's report joins both: one article may code the hit and the debris of one impact
    other = rep("o", "two", "strike", locality="Tuapse")
    assert groups([strike, debris, other]) == {frozenset({"s", "d", "o"})}
    # but two strikes of one article at nested places stay two events
    nested = [rep("t", "one", "strike", admin2="Tuapsinsky", locality="Tuapse"), rep("u", "one", "strike", admin2="Tuapsinsky"),
              rep("v", "two", "strike", admin2="Tuapsinsky", locality="Tuapse")]
    assert all(len(e.incident_ids) < 3 for e in cluster(nested))


def test_the_result_does_not_depend_on_input_order():
    reports = [
        rep("a", "en", locality="Tuapse"), rep("b", "ru", "debris", locality="Tuapse"),
        rep("c", "uk", admin2="Tuapsinsky", locality="Tuapse"), rep("d", "en2", admin2="Tuapsinsky"),
        rep("e", "ru2", locality="Tuapse", day=D.replace(day=15), published=D.replace(day=15)),
        rep("f", "uk2", "interception"), rep("g", "en3", "interception"),
    ]
    first = cluster(reports)
    for perm in itertools.islice(itertools.permutations(reports), 0, 5040, 97):
        assert cluster(list(perm)) == first


def test_what_has_no_day_or_no_region_stays_alone():
    undated = rep("a", "en", locality="Tuapse", day=None, published=None, precision="unknown")
    dated = rep("b", "ru", locality="Tuapse")
    nowhere = rep("c", "uk", admin1=None)
    assert not can_merge(undated, dated)
    events = {e.event_id: e for e in cluster([undated, dated, nowhere, rep("d", "en2", admin1=None)])}
    assert len(events) == 4
    assert events["a"].event_date is None and events["a"].date_precision == "unknown"


def test_without_a_day_of_its_own_an_incident_takes_its_publication_date():
    no_day = rep("a", "en", locality="Tuapse", day=None, precision="unknown", published=datetime(2025, 8, 14, 21, 30, tzinfo=UTC))
    assert no_day.profile.when.day == D and not no_day.profile.when.firm
    month_only = rep("b", "ru", locality="Tuapse", day=date(2025, 8, 1), precision="month", published=D)  # "в августе"
    assert month_only.profile.when.day == D
    assert can_merge(no_day, month_only)


def test_a_city_of_special_status_is_its_own_region():
    city = rep("a", "uk", admin1="UA-30", locality="Kyiv", weapon="missile")  # "ракетний удар по Києву"
    region = rep("b", "en", admin1="UA-30", weapon="missile")  # "a missile attack on Kyiv" coded at admin1
    district = rep("c", "ru", admin1="UA-30", admin2="Darnytskyi", locality="Kyiv", weapon="missile")
    assert can_merge(city, region)
    assert not can_merge(city, district)  # the city-wide report and one district's stay apart


def test_assign_events_gives_one_row_per_incident_from_arrow():
    published = datetime(2025, 8, 14, 6, 0, tzinfo=UTC)
    rows = [
        {"incident_id": iid, "article_id": aid, "event_type": et, "weapon": "drone", "admin1": "RU-KDA", "admin2": None,
         "locality": "Tuapse", "event_date": D, "date_precision": "day", "published": published}
        for iid, aid, et in (("i1", "a1", "strike"), ("i2", "a2", "debris"), ("i3", "a3", "interception"))
    ]
    table = pa.Table.from_pylist(rows, schema=pa.schema([
        ("incident_id", pa.string()), ("article_id", pa.string()), ("event_type", pa.string()), ("weapon", pa.string()),
        ("admin1", pa.string()), ("admin2", pa.string()), ("locality", pa.string()), ("event_date", pa.date32()),
        ("date_precision", pa.string()), ("published", pa.timestamp("us", tz="UTC")),
    ]))
    out = assign_events(table).to_pylist()
    assert [(r["incident_id"], r["event_id"]) for r in out] == [("i1", "i1"), ("i2", "i1"), ("i3", "i3")]
    assert {r["event_date"] for r in out} == {D}


def test_assign_events_reads_the_quantity_when_the_table_has_it():
    rows = [
        {"incident_id": iid, "article_id": aid, "event_type": "interception", "weapon": "drone", "admin1": "RU-VOR",
         "admin2": None, "locality": loc, "event_date": D, "date_precision": "day", "published": D, "quantity": 9}
        for iid, aid, loc in (("i1", "mod", None), ("i2", "ru", "Rossosh"))  # "nine over the region" / "девять над Россошью"
    ]
    table = pa.Table.from_pylist(rows)
    assert {r["event_id"] for r in assign_events(table).to_pylist()} == {"i1"}
    without = table.drop_columns(["quantity"])  # no count to equate them: apart, as before the rule
    assert {r["event_id"] for r in assign_events(without).to_pylist()} == {"i1", "i2"}


def test_pair_scores_count_only_pairs_of_matched_incidents_from_different_articles():
    gold = [
        {"article_id": "a", "incidents": [{"event_type": "strike", "admin1": "RU-KDA", "admin2": None, "event_key": "k1"},
                                           {"event_type": "interception", "admin1": "RU-KDA", "admin2": None, "event_key": "k2"}]},
        {"article_id": "b", "incidents": [{"event_type": "strike", "admin1": "RU-KDA", "admin2": None, "event_key": "k1"}]},
        {"article_id": "c", "incidents": [{"event_type": "interception", "admin1": "RU-KDA", "admin2": None, "event_key": "k3"}]},
    ]
    predicted = {
        "a": [{"incident_id": "pa1", "event_type": "strike", "admin1": "RU-KDA"},
              {"incident_id": "pa2", "event_type": "interception", "admin1": "RU-KDA"}],
        "b": [{"incident_id": "pb1", "event_type": "strike", "admin1": "RU-KDA"},
              {"incident_id": "pb2", "event_type": "debris", "admin1": "RU-KDA"}],  # unmatched: in no pair
        "c": [{"incident_id": "pc1", "event_type": "interception", "admin1": "RU-KDA"}],
    }
    keyed = keyed_incidents(gold, predicted)
    assert len(keyed) == 4
    # pa1+pb1 merged (tp); pa2+pc1 merged although their keys differ (fp); pb2 counts for nothing
    scores, misses = score_pairs(keyed, {"pa1": "e1", "pb1": "e1", "pb2": "e1", "pa2": "e2", "pc1": "e2"})
    assert scores == {"precision": 0.5, "recall": 1.0, "tp": 1, "fp": 1, "fn": 0}
    assert [m.kind for m in misses] == ["fp"]
    scores, _ = score_pairs(keyed, {k: k for k in ("pa1", "pa2", "pb1", "pc1")})
    assert scores == {"precision": None, "recall": 0.0, "tp": 0, "fp": 0, "fn": 1}


def _random_incidents(rng: random.Random, n: int) -> list[dict]:
    """Made-up incidents dense enough to merge: few regions, places, days and articles; ids in no
    particular order (some not ASCII), so ranks and codes must stand in for them exactly."""
    places = [(None, None), ("Tuapse district", None), ("Tuapse district", "Tuapse"), (None, "Tuapse"),
              (None, "Sochi"), ("Sochi", None), (None, "Kyiv")]
    rows = []
    for _ in range(n):
        admin2, locality = rng.choice(places)
        day = rng.choice([None, D, D + timedelta(days=1), D + timedelta(days=2)])
        rows.append({
            "incident_id": rng.choice(["i", "ж", "é", "Z"]) + str(rng.randrange(10**6)),
            "article_id": f"a{rng.randrange(n // 3 + 1)}",
            "event_type": rng.choice(["strike", "debris", "interception"]),
            "weapon": rng.choice(["drone", None, "missile"]),
            "admin1": rng.choice(["RU-KDA", "RU-KDA", "UA-30", None]),
            "admin2": admin2, "locality": locality, "event_date": day,
            "date_precision": rng.choice(["day", "day", "month"]) if day else None,
            "published": rng.choice([D, D + timedelta(days=1), None]),
            "quantity": rng.choice([None, 1, 2, 8, 8]),
        })
    unique = {r["incident_id"]: r for r in rows}  # ids are unique in the warehouse
    return list(unique.values())


def test_assign_events_on_arrow_is_cluster_on_records():
    """The warehouse's path (Arrow, members as row ranks and article codes) and the records' path
    (`cluster`, members as id strings) make the same events, on random dense inputs."""
    rng = random.Random(7)
    merged = 0
    for _ in range(60):
        rows = _random_incidents(rng, rng.randrange(1, 80))
        rng.shuffle(rows)
        expected = {iid: e.event_id for e in cluster([report_of(r) for r in rows]) for iid in e.incident_ids}
        out = assign_events(pa.Table.from_pylist(rows))
        assert dict(zip(out.column("incident_id").to_pylist(), out.column("event_id").to_pylist())) == expected
        merged += len(rows) - len(set(expected.values()))
    assert merged > 300  # the inputs do merge: most events have several members


def test_on_random_inputs_every_event_keeps_the_rules_and_ignores_input_order():
    """Whatever the clustering's inner workings: every incident in exactly one event, named by its
    smallest id; every two members from different articles may merge (complete link), two from one
    article only as the strike and the debris fall at one place; shuffled input, same events."""
    rng = random.Random(11)
    pairs = 0
    for _ in range(80):
        reports = [report_of(r) for r in _random_incidents(rng, rng.randrange(2, 100))]
        events = cluster(reports)
        by_id = {r.incident_id: r for r in reports}
        assert sorted(i for e in events for i in e.incident_ids) == sorted(by_id)
        for e in events:
            assert list(e.incident_ids) == sorted(e.incident_ids) and e.event_id == e.incident_ids[0]
            for a, b in itertools.combinations([by_id[i] for i in e.incident_ids], 2):
                assert can_merge(a, b) if a.article_id != b.article_id else may_share_event(a.profile, b.profile)
                pairs += 1
        rng.shuffle(reports)
        assert cluster(reports) == events
    assert pairs > 1_000  # the inputs do merge

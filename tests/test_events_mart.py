"""The events mart after real pipeline runs (Prefect engine, Parquet, GX, DuckDB), its rebuild
by `reprocess`, and its place in the load's transaction.

The input is a handful of short reports written for this test: one drone interception over the
Kursk region told by an English and a Russian outlet (the English one carried by two feeds), the
same region another night, and one impact in Tuapse told three times as the count of injured grew.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from runtime.settings import Settings
from sources.spec import SourceSpec

KURSK_EN = "Air defence shot down five drones over the Kursk region overnight, the governor said."
FEED_A = [
    {"article_id": "k1", "published": "2025-05-02T06:00:00+00:00", "text": KURSK_EN},
    {"article_id": "t1", "published": "2025-05-02T07:00:00+00:00",
     "text": "A drone hit an oil depot in Tuapse overnight and started a fire. Two people were injured, "
             "the regional headquarters said."},
]
FEED_B = [
    {"url": "https://example.org/kursk-copy", "published": "2025-05-02T06:30:00+00:00", "text": KURSK_EN},
    {"article_id": "k2", "published": "2025-05-02T09:00:00+00:00",
     "text": "Ночью над Курской областью средствами ПВО уничтожены пять беспилотников, сообщил губернатор."},
    {"article_id": "t2", "published": "2025-05-02T18:00:00+00:00",
     "text": "В Туапсе после удара беспилотника по нефтебазе пострадали три человека, сообщил оперштаб края."},
    {"article_id": "t3", "published": "2025-05-03T08:00:00+00:00",
     "text": "Уламки збитого дрона впали на територію нафтобази в Туапсе у ніч на 2 травня, повідомили місцеві власті."},
    {"article_id": "k3", "published": "2025-05-09T07:00:00+00:00",
     "text": "Вночі над Курською областю збили два безпілотники, повідомив губернатор."},
]


def _jsonl(path: Path, records: list[dict]) -> SourceSpec:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return SourceSpec(name=path.stem, kind="jsonl", location=str(path))


def _rows(data: Path, sql: str) -> list[dict]:
    con = duckdb.connect(str(data / "warehouse.duckdb"), read_only=True)
    try:
        return con.sql(sql).to_arrow_table().to_pylist()
    finally:
        con.close()


def _mart(data: Path) -> dict[str, list[dict]]:
    return {
        "events": _rows(data, "SELECT * FROM events ORDER BY event_id"),
        "event_members": _rows(data, "SELECT * FROM event_members ORDER BY incident_id"),
    }


def _event_of(mart: dict, article_id: str, event_type: str | None = None) -> dict:
    incidents = {m["incident_id"]: m for m in mart["event_members"] if m["article_id"] == article_id}
    ids = {m["event_id"] for m in incidents.values()}
    events = [e for e in mart["events"] if e["event_id"] in ids and (event_type is None or e["event_type"] == event_type)]
    assert len(events) == 1, (article_id, events)
    return events[0]


def _check_consistent(data: Path, mart: dict) -> None:
    """Every incident in exactly one event; each event's counts and figures are its members'."""
    incidents = _rows(data, "SELECT i.*, a.published FROM incidents i JOIN articles a USING (article_id)")
    assert sorted(m["incident_id"] for m in mart["event_members"]) == sorted(i["incident_id"] for i in incidents)
    by_id = {i["incident_id"]: i for i in incidents}
    sources = {}
    for r in _rows(data, "SELECT article_id, source FROM article_sources"):
        sources.setdefault(r["article_id"], set()).add(r["source"])
    for e in mart["events"]:
        members = [by_id[m["incident_id"]] for m in mart["event_members"] if m["event_id"] == e["event_id"]]
        assert e["event_id"] == min(m["incident_id"] for m in members)
        assert e["n_incidents"] == len(members)
        assert e["n_articles"] == len({m["article_id"] for m in members})
        assert e["n_sources"] == len(set().union(*(sources[m["article_id"]] for m in members)))
        assert e["event_type"] == ("interception" if members[0]["event_type"] == "interception" else "impact")
        assert {m["admin1"] for m in members} == {e["admin1"]}
        assert e["first_published"] == min(m["published"] for m in members)
        assert e["last_published"] == max(m["published"] for m in members)
        assert e["evidence"] in {m["evidence"] for m in members}
        for figure in ("quantity", "killed", "injured"):
            given = [m for m in members if m[figure] is not None]
            assert e[f"{figure}_min"] == (min(m[figure] for m in given) if given else None)
            assert e[f"{figure}_max"] == (max(m[figure] for m in given) if given else None)
            latest = max(given, key=lambda m: (m["published"], m[figure]), default=None)
            assert e[f"{figure}_best"] == (latest[figure] if latest else None)


@pytest.fixture()
def specs(tmp_path) -> list[SourceSpec]:
    return [_jsonl(tmp_path / "feed_a.jsonl", FEED_A), _jsonl(tmp_path / "feed_b.jsonl", FEED_B)]


def test_a_run_builds_the_events_mart_and_a_rerun_changes_nothing(prefect_engine, tmp_path, specs):
    from flows.pipeline import ingest

    data = tmp_path / "data"
    first = ingest(specs, Settings(data_dir=data, batch_size=3))
    mart = _mart(data)
    _check_consistent(data, mart)
    n_incidents = _rows(data, "SELECT count(*) AS n FROM incidents")[0]["n"]
    assert len(mart["event_members"]) == n_incidents
    assert first.events == len(mart["events"]) < n_incidents  # some reports were merged

    kursk = _event_of(mart, "k1")
    assert kursk == _event_of(mart, "k2")  # the English and the Russian report of one night
    assert (kursk["event_type"], kursk["admin1"], kursk["n_articles"], kursk["n_sources"]) == ("interception", "RU-KRS", 2, 2)
    assert kursk["quantity_best"] == 5 and str(kursk["event_date"]) == "2025-05-02"
    assert _event_of(mart, "k3")["event_id"] != kursk["event_id"]  # the same region another night

    tuapse = _event_of(mart, "t1", "impact")
    assert tuapse == _event_of(mart, "t2", "impact") == _event_of(mart, "t3", "impact")  # strike, strike, debris
    assert (tuapse["locality"], tuapse["n_articles"]) == ("Tuapse", 3)
    # the count of injured grew during the day: the latest report that gives one wins
    assert (tuapse["injured_min"], tuapse["injured_max"], tuapse["injured_best"]) == (2, 3, 3)
    types = {m["incident_id"]: m for m in _rows(data, "SELECT incident_id, event_type FROM incidents")}
    members = [m for m in mart["event_members"] if m["event_id"] == tuapse["event_id"]]
    assert {types[m["incident_id"]]["event_type"] for m in members} == {"strike", "debris"}  # the members keep their types

    built = _rows(data, "SELECT * FROM derived_state")
    second = ingest(specs, Settings(data_dir=data, batch_size=3))
    assert not second.changed and second.events == first.events
    assert _mart(data) == mart
    assert _rows(data, "SELECT * FROM derived_state") == built  # nothing new: not even rebuilt


def test_reprocess_swaps_incidents_and_events_together(prefect_engine, tmp_path, specs, monkeypatch):
    import flows.pipeline as fp
    import transforms.batch as tb
    from flows.pipeline import ingest, reprocess

    data = tmp_path / "data"
    ingest(specs, Settings(data_dir=data, batch_size=3))
    mart = _mart(data)

    # a warehouse whose mart is missing (built before the mart existed): a reprocess builds the same one
    con = duckdb.connect(str(data / "warehouse.duckdb"))
    con.execute("DELETE FROM events; DELETE FROM event_members; DELETE FROM derived_state;")
    con.close()
    monkeypatch.setattr(tb, "EXTRACTOR_VERSION", "test-next")
    monkeypatch.setattr(fp, "EXTRACTOR_VERSION", "test-next")
    s = reprocess(Settings(data_dir=data, batch_size=3))
    assert s.events == len(mart["events"])
    assert _mart(data) == mart

    # a new extractor that no longer finds the second Tuapse report: its incidents and its place in
    # the event go in the same swap
    real = tb.extract_batch
    monkeypatch.setattr(tb, "extract_batch", lambda articles: [
        [] if article[0] == "t2" else found for article, found in zip(articles, real(articles), strict=True)])
    reprocess(Settings(data_dir=data, batch_size=3), everything=True)
    after = _mart(data)
    _check_consistent(data, after)
    assert all(m["article_id"] != "t2" for m in after["event_members"])
    tuapse = _event_of(after, "t1", "impact")
    assert (tuapse["n_articles"], tuapse["injured_min"], tuapse["injured_max"], tuapse["injured_best"]) == (2, 2, 2, 2)


def test_a_failed_mart_rebuild_rolls_the_whole_load_back(tmp_path):
    """The mart is rebuilt inside the load's transaction: if the rebuild fails, neither the new
    rows nor a half-built mart are seen; the previous state stays."""
    from transforms.batch import extract_incidents, prepare_articles
    from warehouse import duck, lake, mart

    lake_dir, db = tmp_path / "lake", tmp_path / "w.duckdb"

    def publish(records: list[dict], run_id: str) -> dict:
        arts = prepare_articles(records, run_id=run_id, fetched_at=datetime.now(UTC))
        incidents, _ = extract_incidents(arts, run_id=run_id)
        return {"articles": lake.write_rows(lake_dir, "articles", arts, run_id, 1),
                "incidents": lake.write_rows(lake_dir, "incidents", incidents, run_id, 1)}

    records = [{"article_id": r["article_id"], "source": "s", "text": r["text"],
                "published": datetime.fromisoformat(r["published"])} for r in FEED_A + FEED_B[1:3]]
    first = publish(records[:2], "r1")
    counts = duck.load_files(db, lake_dir, first, "r1", derive=mart.rebuild_events)
    before = duck.query(db, "SELECT * FROM events ORDER BY event_id")
    assert counts["derived"] == before.num_rows > 0

    def broken(con: duckdb.DuckDBPyConnection) -> int:
        mart.rebuild_events(con)  # the new mart is written ...
        raise RuntimeError("disk full")  # ... and the transaction fails after it

    second = publish(records[2:], "r2")
    with pytest.raises(RuntimeError):
        duck.load_files(db, lake_dir, second, "r2", derive=broken)
    assert duck.query(db, "SELECT count(*) AS n FROM articles").to_pylist() == [{"n": 2}]
    assert duck.query(db, "SELECT * FROM events ORDER BY event_id").equals(before)
    # the same load, retried without the fault: the Russian reports join the English ones' events
    assert duck.load_files(db, lake_dir, second, "r2", derive=mart.rebuild_events)["derived"] == before.num_rows
    got = duck.query(db, "SELECT sum(n_incidents) AS n, max(n_articles) AS most FROM events").to_pylist()
    assert got == [{"n": duck.query(db, "SELECT count(*) AS n FROM incidents").to_pylist()[0]["n"], "most": 2}]


def test_a_load_retried_for_memory_reuses_the_events_it_merged(tmp_path, monkeypatch):
    """On a large warehouse the mart's SQL can run out of the load's memory cap; the load is then
    retried whole with a larger cap, and the retry (same inputs, same code) must not merge the
    incidents into events a second time. The out-of-memory error is raised, once, where DuckDB
    raises it: at the mart's statement, after the merge."""
    from transforms.batch import extract_incidents, prepare_articles
    from warehouse import duck, lake, mart

    monkeypatch.setitem(duck._WRITER, "memory_limit", "64MB")  # the retry raises it for the process
    lake_dir, db = tmp_path / "lake", tmp_path / "w.duckdb"
    records = [{"article_id": r["article_id"], "source": "s", "text": r["text"],
                "published": datetime.fromisoformat(r["published"])} for r in FEED_A + FEED_B[1:]]
    arts = prepare_articles(records, run_id="r1", fetched_at=datetime.now(UTC))
    incidents, _ = extract_incidents(arts, run_id="r1")
    files = {"articles": lake.write_rows(lake_dir, "articles", arts, "r1", 1),
             "incidents": lake.write_rows(lake_dir, "incidents", incidents, "r1", 1)}

    merges = []
    real_assign = mart.events.assign_events
    monkeypatch.setattr(mart.events, "assign_events", lambda table: merges.append(1) or real_assign(table))

    class OutOfMemoryOnce:
        """The load's connection, whose first run of the mart's statement fails as DuckDB's would."""

        def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
            self._con = con

        def __getattr__(self, name: str):
            return getattr(self._con, name)

        def execute(self, query: str, *args):
            if query == duck.sql("replace_events") and not failed:
                failed.append(1)
                raise duckdb.OutOfMemoryException("could not allocate block of size 256.0 KiB")
            return self._con.execute(query, *args)

    failed: list[int] = []
    counts = duck.load_files(db, lake_dir, files, "r1", derive=lambda con: mart.rebuild_events(OutOfMemoryOnce(con)))
    assert failed and merges == [1]  # it ran out once, was retried, and merged once
    assert duck._WRITER["memory_limit"] != "64MB"
    assert counts["derived"] == duck.query(db, "SELECT count(*) AS n FROM events").to_pylist()[0]["n"] > 0
    assert duck.query(db, "SELECT count(*) AS n FROM event_members").to_pylist() == \
        duck.query(db, "SELECT count(*) AS n FROM incidents").to_pylist()
    assert mart._pending == {}  # nothing held once built

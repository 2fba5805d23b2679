"""The whole pipeline through the real Prefect engine, real Parquet, GX and DuckDB."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from conftest import fail_extraction_for

from runtime.config import load_config
from runtime.settings import Settings
from sources.spec import SourceSpec

SAMPLE = Path(__file__).resolve().parents[1] / "incidents" / "sample"


def _run(specs, data_dir: Path):
    from flows.pipeline import ingest

    return ingest(list(specs), Settings(data_dir=data_dir, batch_size=3))


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _jsonl(path: Path, records: list[dict]) -> SourceSpec:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return SourceSpec(name=path.stem, kind="jsonl", location=str(path))


def _rows(data_dir: Path, sql: str, params=None):
    con = duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True)
    try:
        return con.execute(sql, params or {}).fetchall()
    finally:
        con.close()


def _snapshot(data_dir: Path) -> dict:
    return {
        t: sorted(r[0] for r in _rows(data_dir, f"SELECT {k} FROM {t}"))
        for t, k in (("articles", "article_id"), ("incidents", "incident_id"), ("quarantine", "quarantine_id"))
    }


@pytest.fixture(scope="module")
def sample_run(prefect_engine, tmp_path_factory):
    """The shipped sample, run once: (its summary, the data directory). Read by the test of the
    lake's readers; the idempotence test reruns it (writing only when the sources were checked)."""
    data = tmp_path_factory.mktemp("sample")
    return _run(load_config().sources, data), data


def test_sample_run_is_complete_and_idempotent(sample_run):
    specs = load_config().sources
    first, data = sample_run
    assert not first.source_errors
    n_articles = len(_lines(SAMPLE / "articles.jsonl")) + 3  # + 3 feed items
    assert first.articles_read == n_articles
    assert first.articles_new == n_articles
    snap = _snapshot(data)
    assert len(snap["articles"]) == n_articles
    assert len(snap["incidents"]) == first.incidents_extracted > 0
    # every incident is explainable: evidence is the exact span of its article's text
    for aid, ev, s, e, text in _rows(
        data,
        "SELECT i.article_id, evidence, evidence_start, evidence_end, a.text FROM incidents i JOIN articles a USING (article_id)",
    ):
        assert text[s:e] == ev, aid

    lake_files = sorted(p.relative_to(data) for p in (data / "lake").rglob("*") if p.is_file())
    second = _run(specs, data)
    assert not second.changed
    assert second.articles_new == 0
    assert _snapshot(data) == snap
    # the rerun found nothing new: it wrote no lake file and no `runs` row, only when it checked
    assert sorted(p.relative_to(data) for p in (data / "lake").rglob("*") if p.is_file()) == lake_files
    assert _rows(data, "SELECT run_id, status FROM runs") == [(first.run_id, "ok")]
    assert _rows(data, "SELECT DISTINCT run_id FROM source_state") == [(second.run_id,)]
    # what the validations found is kept for the run that validated rows; the rerun validated none
    kept = _rows(data, "SELECT run_id, table_name, success, rows_checked FROM validations ORDER BY 2")
    assert kept == [(first.run_id, "articles", True, n_articles),
                    (first.run_id, "incidents", True, first.incidents_extracted)]


def test_seed_gives_the_seven_gold_incidents(prefect_engine, tmp_path, shared):
    from transforms.scoring import score

    seed_gold = [g for g in _lines(shared / "gold" / "dev.jsonl") if g["article_id"] == "seed-000"]
    seed = _lines(SAMPLE / "articles.jsonl")[0]
    assert seed["article_id"] == "seed-000"
    summary = _run([_jsonl(tmp_path / "seed.jsonl", [seed])], tmp_path / "data")
    assert summary.incidents_extracted == 7
    con = duckdb.connect(str(tmp_path / "data" / "warehouse.duckdb"), read_only=True)
    got = con.sql("SELECT * FROM incidents").to_arrow_table().to_pylist()
    con.close()
    report = score(seed_gold, {"seed-000": got})
    assert report["overall"]["f1"] == 1.0, report["misses"]
    assert all(v == 1.0 for v in report["fields"].values() if v is not None), report["misses"]


def test_bad_sources_are_reported_and_good_ones_still_load(prefect_engine, tmp_path):
    good = _jsonl(
        tmp_path / "good.jsonl",
        [{"article_id": "g1", "text": "Air defence shot down two drones over the Kursk region overnight."}],
    )
    broken_xml = tmp_path / "broken.xml"
    broken_xml.write_text("<rss><channel><item><title>cut off", encoding="utf-8")
    bad_lines = tmp_path / "mixed.jsonl"
    bad_lines.write_text(
        '{"article_id": "m1", "text": "Three drones were destroyed over the Belgorod region."}\n'
        "{this is not json\n"
        '{"article_id": "m2", "title": "no text"}\n',
        encoding="utf-8",
    )
    specs = [
        SourceSpec(name="missing", kind="jsonl", location=str(tmp_path / "nope.jsonl")),
        SourceSpec(name="broken", kind="rss", location=str(broken_xml)),
        good,
        SourceSpec(name="mixed", kind="jsonl", location=str(bad_lines)),
    ]
    s = _run(specs, tmp_path / "data")
    assert set(s.source_errors) == {"missing", "broken"}
    assert "nope.jsonl" in s.source_errors["missing"]
    assert s.status == "failed_sources"
    data = tmp_path / "data"
    assert sorted(r[0] for r in _rows(data, "SELECT article_id FROM articles")) == ["g1", "m1"]
    q = _rows(data, "SELECT source, record_id, rule FROM quarantine ORDER BY record_id")
    assert [(r[0], r[2]) for r in q] == [("mixed", "source_record"), ("mixed", "source_record")]
    run = _rows(data, "SELECT status, sources_failed, source_errors FROM runs")[0]
    assert run[0] == "failed_sources" and run[1] == 2 and "broken" in run[2]


def test_contract_failures_go_to_quarantine(prefect_engine, tmp_path):
    spec = _jsonl(
        tmp_path / "odd.jsonl",
        [
            {"article_id": "ok", "url": "https://example.org/a",
             "text": "Air defence forces destroyed four drones over the Bryansk region, the governor said."},
            {"article_id": "badurl", "url": "javascript:alert(1)",
             "text": "Air defence forces destroyed four drones over the Oryol region, the governor said."},
            {"article_id": "absurd",
             "text": "Air defence forces destroyed 10,000,000 drones over the Kursk region, the governor said."},
        ],
    )
    s = _run([spec], tmp_path / "data")
    data = tmp_path / "data"
    arts = sorted(r[0] for r in _rows(data, "SELECT article_id FROM articles"))
    assert arts == ["absurd", "ok"]
    q = {(r[0], r[1], r[2]) for r in _rows(data, "SELECT table_name, article_id, rule FROM quarantine")}
    assert ("articles", "badurl", "expect_column_values_to_match_regex") in q
    assert ("incidents", "absurd", "expect_column_values_to_be_between") in q
    inc = _rows(data, "SELECT article_id, admin1, quantity FROM incidents")
    assert ("ok", "RU-BRY", 4) in inc
    assert all(r[0] != "absurd" for r in inc)
    assert s.rows_quarantined == len(q)
    # The run keeps GX's result over every row it validated, the quarantined ones included.
    kept = {t: (ok, n, json.loads(r)) for t, ok, n, r in _rows(data, "SELECT table_name, success, rows_checked, result FROM validations")}
    assert kept["articles"][:2] == (False, 3)
    assert kept["incidents"][:2] == (False, s.incidents_extracted + 1)  # + the absurd one, quarantined
    failed = {(t, res["expectation_config"]["type"], res["expectation_config"]["kwargs"].get("column")): res["result"]
              for t, (_, _, r) in kept.items() for res in r["results"] if not res["success"]}
    assert set(failed) == {("articles", "expect_column_values_to_match_regex", "url"),
                           ("incidents", "expect_column_values_to_be_between", "quantity")}
    url = failed[("articles", "expect_column_values_to_match_regex", "url")]
    assert (url["element_count"], url["unexpected_count"], url["partial_unexpected_list"]) == (3, 1, ["javascript:alert(1)"])
    assert failed[("incidents", "expect_column_values_to_be_between", "quantity")]["unexpected_count"] == 1


def test_crash_between_lake_and_warehouse_recovers_exactly_once(prefect_engine, tmp_path, monkeypatch):
    from flows import tasks

    spec = _jsonl(
        tmp_path / "a.jsonl",
        [{"article_id": f"a{i}", "text": f"Air defence shot down {i + 1} drones over the Kursk region."} for i in range(7)],
    )
    real = tasks.duck.load_files

    class Crash(BaseException):
        """Not an Exception, so no retry or handler swallows it: the process would die here."""

    def crash(*a, **k):
        raise Crash("simulated crash before the warehouse load")

    monkeypatch.setattr(tasks.duck, "load_files", crash)
    with pytest.raises(Crash):
        _run([spec], tmp_path / "data")
    monkeypatch.setattr(tasks.duck, "load_files", real)
    lake_files = list((tmp_path / "data" / "lake" / "articles").rglob("*.parquet"))
    assert lake_files, "the crashed run published its lake files"

    published = len(pd.read_parquet(tmp_path / "data" / "lake" / "articles"))
    assert 0 < published < 7, "batches are published one by one: the crash came after the first"

    s = _run([spec], tmp_path / "data")
    assert s.recovered.get("articles") == published
    assert s.articles_seen == published and s.articles_new == 7 - published
    data = tmp_path / "data"
    assert _rows(data, "SELECT count(*), count(DISTINCT article_id) FROM articles") == [(7, 7)]
    lake_articles = pd.read_parquet(data / "lake" / "articles")
    assert len(lake_articles) == 7 and lake_articles["article_id"].is_unique


def test_lake_is_readable_by_pandas_and_duckdb(sample_run):
    _, data = sample_run
    inc = pd.read_parquet(data / "lake" / "incidents")
    assert {"incident_id", "admin1", "evidence", "month"} <= set(inc.columns)
    con = duckdb.connect()
    n = con.execute(
        "SELECT count(*) FROM read_parquet($p, hive_partitioning = true)",
        {"p": str(data / "lake" / "incidents" / "**" / "*.parquet")},
    ).fetchone()[0]
    assert n == len(inc) == _rows(data, "SELECT count(*) FROM incidents")[0][0]
    assert not list((data / "lake").rglob("_tmp/*")), "no staging leftovers"


def test_reprocess_swaps_incidents_for_the_new_extractor_version(prefect_engine, tmp_path, monkeypatch):
    import flows.pipeline as fp
    import transforms.batch as tb
    from flows.pipeline import reprocess

    data = tmp_path / "data"
    _run(load_config().sources, data)
    before = _rows(data, "SELECT incident_id, extractor_version FROM incidents ORDER BY 1")
    assert before
    monkeypatch.setattr(tb, "EXTRACTOR_VERSION", "test-next")
    monkeypatch.setattr(fp, "EXTRACTOR_VERSION", "test-next")
    s = reprocess(Settings(data_dir=data, batch_size=3))
    assert s.articles_read == len(_rows(data, "SELECT article_id FROM articles"))
    after = _rows(data, "SELECT incident_id, extractor_version FROM incidents ORDER BY 1")
    assert [r[0] for r in after] == [r[0] for r in before]
    assert {r[1] for r in after} == {"test-next"}
    lake_inc = pd.read_parquet(data / "lake" / "incidents")
    assert sorted(lake_inc["incident_id"]) == [r[0] for r in after], "lake rebuilt from the warehouse"
    assert set(lake_inc["extractor_version"]) == {"test-next"}
    # nothing outdated is left: a second reprocess only revisits articles without incidents
    again = reprocess(Settings(data_dir=data, batch_size=3))
    with_incidents = _rows(data, "SELECT count(DISTINCT article_id) FROM incidents")[0][0]
    assert again.articles_read == s.articles_read - with_incidents
    assert _rows(data, "SELECT incident_id, extractor_version FROM incidents ORDER BY 1") == after
    kinds = [r[0] for r in _rows(data, "SELECT kind FROM runs ORDER BY started_at")]
    assert kinds == ["run", "reprocess", "reprocess"]
    # a reprocess keeps what its incidents' validation found; the second one extracted nothing
    kept = _rows(data, "SELECT r.kind, v.table_name, v.rows_checked FROM validations v JOIN runs r USING (run_id) "
                       "ORDER BY r.started_at, 2")
    assert kept == [("run", "articles", s.articles_read), ("run", "incidents", len(before)),
                    ("reprocess", "incidents", len(after))]


def test_backfill_window_and_provenance_of_duplicates(prefect_engine, tmp_path):
    text = "Air defence shot down two drones over the Kursk region, the governor said."
    a = _jsonl(tmp_path / "feed_a.jsonl", [
        {"article_id": "x1", "published": "2025-03-01", "text": text},
        {"article_id": "x2", "published": "2025-04-15", "text": "Three drones were destroyed over the Bryansk region."},
        {"article_id": "x3", "text": "Undated: a drone was shot down over the Oryol region."},
    ])
    b = _jsonl(tmp_path / "feed_b.jsonl", [{"url": "https://example.org/copy", "published": "2025-03-01", "text": text}])
    from datetime import date

    from flows.pipeline import ingest
    from transforms.batch import Window

    data = tmp_path / "data"
    s = ingest([a, b], Settings(data_dir=data), Window(since=date(2025, 3, 1), until=date(2025, 3, 31)))
    assert s.articles_outside_window == 2
    assert _rows(data, "SELECT article_id FROM articles") == [("x1",)]
    # the same text from a second source is stored once, with both sources recorded
    assert sorted(_rows(data, "SELECT article_id, source FROM article_sources")) == [("x1", "feed_a"), ("x1", "feed_b")]
    # a backfill does not mark sources as read: the full run afterwards picks up the rest
    full = ingest([a, b], Settings(data_dir=data))
    assert full.sources_unchanged == 0 and full.articles_new == 2
    assert sorted(r[0] for r in _rows(data, "SELECT article_id FROM articles")) == ["x1", "x2", "x3"]


def test_an_extractor_failure_is_quarantined_not_dropped(prefect_engine, tmp_path, monkeypatch):
    fail_extraction_for(monkeypatch, "boom", RuntimeError("rule bug met by an odd article"))
    spec = _jsonl(tmp_path / "a.jsonl", [
        {"article_id": "fine", "text": "Air defence shot down two drones over the Kursk region."},
        {"article_id": "boom", "text": "Air defence shot down three drones over the Bryansk region."},
    ])
    s = _run([spec], tmp_path / "data")
    data = tmp_path / "data"
    assert sorted(r[0] for r in _rows(data, "SELECT article_id FROM articles")) == ["boom", "fine"]
    assert [r[0] for r in _rows(data, "SELECT article_id FROM incidents")] == ["fine"]
    q = _rows(data, "SELECT article_id, rule, reason FROM quarantine")
    assert q == [("boom", "extraction_error", "RuntimeError: rule bug met by an odd article")]
    assert s.rows_quarantined == 1


def test_repeats_within_and_across_batches_are_stored_once(prefect_engine, tmp_path):
    """Batches of 3: repeats in the same batch, in the next one (staged but not loaded yet) and
    two batches later (loaded by then) all resolve to the first copy."""
    texts = [f"Air defence shot down {n} drones over the Kursk region, the governor said." for n in range(2, 9)]
    rows = [
        {"article_id": "r0", "text": texts[0]}, {"article_id": "r1", "text": texts[1]},
        {"article_id": "r0", "text": texts[0]},                       # same batch, same id
        {"url": "https://example.org/copy-of-r1", "text": texts[1]},  # next batch, same text
        {"article_id": "r4", "text": texts[4]}, {"article_id": "r5", "text": texts[5]},
        {"article_id": "r6", "text": texts[6]}, {"article_id": "r1", "text": texts[1]},  # two batches on
        {"url": "https://example.org/another-copy-of-r0", "text": "  " + texts[0].replace(" ", "\u00a0", 2)},
    ]
    spec = _jsonl(tmp_path / "rep.jsonl", rows)
    s = _run([spec], tmp_path / "data")
    data = tmp_path / "data"
    ids = sorted(r[0] for r in _rows(data, "SELECT article_id FROM articles"))
    assert ids == ["r0", "r1", "r4", "r5", "r6"]
    assert s.articles_new == 5 and s.articles_seen == 4
    assert _rows(data, "SELECT count(*), count(DISTINCT article_id) FROM article_sources") == [(5, 5)]
    assert _rows(data, "SELECT count(DISTINCT article_id) FROM incidents") == [(5,)]


def test_small_sources_share_one_publish(prefect_engine, tmp_path):
    """Many small feeds must not cost one warehouse load each: their batches are published together."""
    from flows.pipeline import ingest

    specs = [
        _jsonl(tmp_path / f"feed{i}.jsonl", [{"article_id": f"s{i}", "text": f"Air defence shot down {i + 2} drones over the Kursk region."}])
        for i in range(5)
    ]
    data = tmp_path / "data"
    s = ingest(specs, Settings(data_dir=data, batch_size=100))
    assert s.articles_new == 5 and s.loaded["articles"] == 5
    assert len(list((data / "lake" / "articles").rglob("*.parquet"))) == 1
    assert _rows(data, "SELECT count(DISTINCT run_id), count(*) FROM lake_files WHERE table_name = 'articles'") == [(1, 1)]
    assert _rows(data, "SELECT count(*) FROM incidents") == [(5,)]

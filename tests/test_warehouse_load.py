"""The warehouse load on real DuckDB files and real Parquet lake files."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from transforms.batch import prepare_articles
from warehouse import duck, lake


def _articles(ids_and_texts: list[tuple[str, str]], run_id: str):
    records = [{"article_id": a, "source": "s", "text": t} for a, t in ids_and_texts]
    return prepare_articles(records, run_id=run_id, fetched_at=datetime.now(UTC))


def test_recovering_batches_that_share_a_key_keeps_one_row_the_latest(tmp_path):
    """Two crashed runs can leave unloaded files holding the same article; loading them
    together must neither fail on the key nor keep two rows."""
    lake_dir, db = tmp_path / "lake", tmp_path / "w.duckdb"
    first = lake.write_rows(lake_dir, "articles", _articles([("a1", "old text"), ("a2", "two")], "20260101T000000-aaaa"), "20260101T000000-aaaa", 1)
    second = lake.write_rows(lake_dir, "articles", _articles([("a1", "new text")], "20260102T000000-bbbb"), "20260102T000000-bbbb", 1)
    pending = duck.unloaded_files(db, lake_dir)
    assert sorted(pending["articles"]) == sorted(first + second)
    counts = duck.load_files(db, lake_dir, pending, "recovered")
    assert counts == {"articles": 3}  # rows read from the files
    rows = duck.query(db, "SELECT article_id, text, run_id FROM articles ORDER BY article_id").to_pylist()
    assert rows == [
        {"article_id": "a1", "text": "new text", "run_id": "20260102T000000-bbbb"},
        {"article_id": "a2", "text": "two", "run_id": "20260101T000000-aaaa"},
    ]
    assert duck.unloaded_files(db, lake_dir) == {}


def test_a_batch_that_repeats_a_key_is_refused_whole(tmp_path):
    """The lake tables have no key index (model/schema.py): the load itself refuses a batch whose
    files repeat a key, in any of its month files, and loads none of it."""
    lake_dir, db = tmp_path / "lake", tmp_path / "w.duckdb"
    good = lake.write_rows(lake_dir, "articles", _articles([("a1", "one")], "r1"), "r1", 1)
    duck.load_files(db, lake_dir, {"articles": good}, "r1")
    records = [
        {"article_id": "a2", "source": "s", "text": "two", "published": datetime(2026, 1, 5, tzinfo=UTC)},
        {"article_id": "a2", "source": "s", "text": "two again", "published": datetime(2026, 2, 5, tzinfo=UTC)},
        {"article_id": "a3", "source": "s", "text": "three", "published": datetime(2026, 2, 6, tzinfo=UTC)},
    ]
    bad = lake.write_rows(lake_dir, "articles", prepare_articles(records, run_id="r2", fetched_at=datetime.now(UTC)), "r2", 1)
    assert len(bad) == 2  # the repeat spans two month files
    with pytest.raises(duck.WarehouseError, match="articles: 1 key"):
        duck.load_files(db, lake_dir, {"articles": bad}, "r2")
    assert duck.query(db, "SELECT article_id FROM articles").to_pylist() == [{"article_id": "a1"}]
    assert duck.unloaded_files(db, lake_dir) == {"articles": bad}


def test_a_batch_published_across_months_loads_in_one_upsert(tmp_path):
    lake_dir, db = tmp_path / "lake", tmp_path / "w.duckdb"
    records = [
        {"article_id": f"m{i}", "source": "s", "text": f"article {i}", "published": datetime(2026, 1 + i % 3, 5, tzinfo=UTC)}
        for i in range(9)
    ]
    files = lake.write_rows(lake_dir, "articles", prepare_articles(records, run_id="r", fetched_at=datetime.now(UTC)), "r", 1)
    assert len(files) == 3
    assert duck.load_files(db, lake_dir, {"articles": files}, "r") == {"articles": 9}
    again = duck.load_files(db, lake_dir, {"articles": files}, "r")  # idempotent
    assert again == {"articles": 9}
    got = duck.query(db, "SELECT month, count(*) AS n FROM articles GROUP BY month ORDER BY month").to_pylist()
    assert got == [{"month": "2026-01", "n": 3}, {"month": "2026-02", "n": 3}, {"month": "2026-03", "n": 3}]


def test_a_warehouse_that_outgrew_the_load_cap_raises_it_instead_of_failing(tmp_path, monkeypatch):
    """A load's memory grows with the warehouse (the upsert's join over the stored keys): a large
    warehouse needs more than a small cap, and the load must then retry with a larger one, not
    stop the run."""
    import hashlib

    import pyarrow as pa

    from model.schema import ARTICLE_SOURCES

    monkeypatch.setitem(duck._WRITER, "memory_limit", "4MB")
    lake_dir, db = tmp_path / "lake", tmp_path / "w.duckdb"
    n = 60_000
    for seq in (1, 2):
        ids = [hashlib.sha1(f"{seq}-{i}".encode()).hexdigest() for i in range(n)]
        rows = pa.table(
            {"article_id": ids, "source": ["s"] * n, "url": [None] * n, "run_id": ["r"] * n, "month": ["2026-01"] * n}
        ).cast(ARTICLE_SOURCES)
        files = lake.write_rows(lake_dir, "article_sources", rows, "r", seq)
        assert duck.load_files(db, lake_dir, {"article_sources": files}, "r") == {"article_sources": n}
    assert duck.query(db, "SELECT count(*) AS n FROM article_sources").to_pylist() == [{"n": 2 * n}]
    assert duck._WRITER["memory_limit"] != "4MB"  # raised, and kept for the next loads

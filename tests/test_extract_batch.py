"""`extract_batch`, the pipeline's call: each article gets what `extract_article` gives it, whatever the
order of the work, and one article's failure is that article's result, not the batch's."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import fail_extraction_for

import transforms.extract as ex

# Our own paraphrases of the kinds of reports the pipeline reads (English, Russian, Ukrainian), one with
# Telegram markup (its evidence offsets are mapped back to the original), one with no incident.
TEXTS = [
    ("Air defence forces shot down three drones over the Bryansk region overnight, the governor said. "
     "Nobody was hurt."),
    "Ночью над Курской областью сбили два беспилотника. В селе Глушково обломки повредили крышу дома.",
    "Уночі ворог атакував Харків ударними дронами: пошкоджено два будинки, поранено трьох людей.",
    "**Белгородская** **область**: ракетный удар по Шебекино, ранены двое мирных жителей.",
    "The city council approved a new budget for public parks on Tuesday.",
]


def _articles(n: int) -> list[tuple[str, str, date | None]]:
    """More articles than one chunk of the batch's passes, with varied dates (some missing)."""
    return [(f"a{i}", TEXTS[i % len(TEXTS)], None if i % 7 == 0 else date(2026, 3, 1 + i % 28)) for i in range(n)]


def test_each_article_gets_what_extract_article_gives_it():
    articles = _articles(2 * ex._CHUNK + 5) + [("odd", None, None), ("empty", "", None)]
    results = ex.extract_batch(articles)
    expected = [ex.extract_article(text, article_id=aid, published=pub) for aid, text, pub in articles]
    assert results == expected
    assert sum(map(len, results)) >= len(articles) // 2  # the texts do report incidents
    marked = results[3]  # the markup: evidence is the original's text at the original's offsets
    assert marked and all(TEXTS[3][i["evidence_start"]:i["evidence_end"]] == i["evidence"] for i in marked)


def test_a_failing_article_is_its_own_result_and_the_others_are_read(monkeypatch):
    articles = _articles(10)
    expected = ex.extract_batch(articles)
    fail_extraction_for(monkeypatch, "a2", ValueError("rule bug met by an odd article"))
    results = ex.extract_batch(articles)
    assert isinstance(results[2], ValueError) and str(results[2]) == "rule bug met by an odd article"
    assert results[:2] + results[3:] == expected[:2] + expected[3:]
    with pytest.raises(ValueError, match="odd article"):  # one article at a time, the failure is raised
        ex.extract_article(articles[2][1], article_id="a2", published=articles[2][2])


def test_a_failure_in_an_article_wide_pass_is_that_articles_result(monkeypatch):
    articles = _articles(10)
    expected = ex.extract_batch(articles)

    def names(pending):
        if pending.article_id == "a6":
            raise KeyError("a broken gazetteer entry")
        ex._named(pending)

    monkeypatch.setattr(ex, "_PASSES", tuple(names if step is ex._named else step for step in ex._PASSES))
    results = ex.extract_batch(articles)
    assert isinstance(results[6], KeyError)
    assert results[:6] + results[7:] == expected[:6] + expected[7:]


def test_a_batch_table_over_several_slices_is_every_articles_incidents_in_order(monkeypatch):
    """`extract_incidents` turns each slice's incidents into Arrow before the next slice (a chunk's
    dicts at once stayed in a worker's memory): the table is still every article's incidents in
    article order, one chunk, and an article that fails is its quarantine item."""
    from datetime import UTC, datetime

    from model.schema import TABLES
    from transforms.batch import _slices, extract_incidents, prepare_articles

    records = [{"article_id": aid, "source": "t", "text": text, "published": datetime(2026, 3, 2, tzinfo=UTC)}
               for aid, text, _ in _articles(1_234)]
    articles = prepare_articles(records, run_id="r", fetched_at=datetime.now(UTC))
    assert len(list(_slices(articles))) == 3
    fail_extraction_for(monkeypatch, "a700", ValueError("odd article"))

    table, errors = extract_incidents(articles, run_id="r")
    assert table.schema.equals(TABLES["incidents"].schema) and table.column(0).num_chunks == 1
    expected = [(r["article_id"], inc["evidence_start"], inc["event_type"])
                for r in records if r["article_id"] != "a700"
                for inc in ex.extract_article(r["text"], article_id=r["article_id"], published=date(2026, 3, 2))]
    assert list(zip(*(table.column(c).to_pylist() for c in ("article_id", "evidence_start", "event_type")))) == expected
    assert [e["record_id"] for e in errors] == ["a700"] and "odd article" in errors[0]["reason"]
    empty, none = extract_incidents(articles.slice(0, 0), run_id="r")
    assert empty.num_rows == 0 and empty.schema.equals(table.schema) and none == []

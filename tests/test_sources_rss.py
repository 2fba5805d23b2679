"""RSS/Atom reading: shared real feeds, the feedparser corpus, encodings and hostile XML."""

from __future__ import annotations

import time
from pathlib import Path
from xml.dom import minidom

import pytest

from sources import SourceError, SourceSpec, detect_kind, read_source

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
FEEDS = SHARED / "inputs" / "feeds"
CORPUS = SHARED / "inputs" / "feedparser-tests"


def load(path: Path, **options):
    spec = SourceSpec(name=path.name, kind="rss", location=str(path), options=options)
    batches, _, _ = read_source(spec)
    out = list(batches)
    return [r for b in out for r in b.records], [j for b in out for j in b.rejects]


def need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} not available")
    return path


def test_cp1251_feed_decoded_dates_and_rejects():
    records, rejects = load(FIXTURES / "cp1251_feed.xml")
    assert [r["title"] for r in records] == ["Беспилотник сбит над Курском", "Уламки ракети впали у Києві"]
    first, second = records
    assert first["text"] == "Ночью силы ПВО сбили два беспилотника над областью.\nПострадавших нет."
    assert first["article_id"] == "cp1251-item-1"
    assert first["published"].isoformat() == "2024-05-14T03:12:00+00:00"  # +0300 -> UTC
    assert first["language"] == "ru"
    assert second["published"] is None  # 1970-01-01 placeholder
    assert second["article_id"] is None  # no guid: identity will use the URL
    assert [(j["locator"], j["reason"]) for j in rejects] == [("item 3", "no text and no title")]


def test_atom_title_fallback_and_richest_text():
    records, rejects = load(FIXTURES / "atom_minimal.xml")
    assert rejects == []
    assert records[0]["text"] == "Only a title here"
    assert records[0]["published"].isoformat() == "2025-06-01T06:30:00+00:00"
    assert records[1]["text"] == "First paragraph about a drone.\nSecond paragraph."
    assert {r["language"] for r in records} == {"uk"}


@pytest.mark.parametrize("name", ["billion_laughs.xml", "external_entity.xml"])
def test_xml_bombs_are_harmless(name):
    started = time.monotonic()
    try:
        records, _ = load(FIXTURES / name)
    except SourceError:
        records = []
    assert time.monotonic() - started < 2
    for r in records:
        assert len(r["text"]) < 1000  # entities were not expanded
        assert "root:" not in r["text"]  # /etc/passwd was not read


def _count_items(path: Path) -> int:
    doc = minidom.parse(str(path))
    return len(doc.getElementsByTagName("item")) + len(doc.getElementsByTagName("entry"))


def test_shared_feeds_load_every_item():
    paths = sorted(need(FEEDS).glob("*.xml"))
    assert len(paths) == 7
    for path in paths:
        assert detect_kind(str(path)) == "rss"
        records, rejects = load(path)
        assert len(records) + len(rejects) == _count_items(path), path.name
        assert rejects == [], path.name  # every item of these feeds has at least a title
        assert all(r["text"] and r["source"] == path.name for r in records)
        assert all(r["published"] is None or r["published"].utcoffset().total_seconds() == 0 for r in records)


def test_meduza_epoch_dates_and_homepage_links():
    records, _ = load(need(FEEDS / "egfedorov_meduza.xml"))
    assert len(records) == 24
    assert all(r["published"] is None for r in records)
    from transforms.identity import article_id

    assert len({article_id(r) for r in records}) == 24


def test_kyiv_independent_html_is_cleaned():
    records, _ = load(need(FEEDS / "plakhov_kyivindependent_2024-07-26.xml"))
    text = records[0]["text"]
    assert "<p>" not in text and "&lt;" not in text
    assert text.count("\n") > 20  # paragraphs kept apart
    lines = [line for r in records for line in r["text"].split("\n")]
    assert not [line for line in lines if line.endswith("…")]  # "related article" teaser cards removed


def test_youtube_atom_media_description():
    records, _ = load(need(FEEDS / "gesab001_aljazeeraenglish_2021-10-18.xml"))
    assert len(records) == 15
    assert all(r["article_id"].startswith("yt:video:") for r in records)
    assert sum(len(r["text"]) > len(r["title"]) for r in records) >= 10  # text came from media:description


def test_feedparser_corpus_never_crashes():
    paths = sorted(need(CORPUS).rglob("*.xml"))
    assert len(paths) == 961
    errors = 0
    for path in paths:
        try:
            load(path)
        except SourceError as err:
            assert "\n" not in str(err)
            errors += 1
    assert errors < 20  # only the truly unreadable documents fail as a whole


def test_corpus_non_utf8_encodings():
    records, _ = load(need(CORPUS / "encoding" / "euc-kr-item.xml"))
    assert records[0]["text"] == "\ub144"
    records, _ = load(CORPUS / "encoding" / "http_text_xml_charset_2.xml")
    assert records[0]["text"] == "This is a \xa3\u201ctest.\u201d"


def test_empty_document_is_source_error():
    with pytest.raises(SourceError, match="not a readable feed|not a feed"):
        load(need(CORPUS / "illformed" / "rss_empty_document.xml"))


def test_not_a_feed(tmp_path):
    page = tmp_path / "page.xml"
    page.write_text("just some words, no markup at all", encoding="utf-8")
    with pytest.raises(SourceError):
        load(page)


def test_undeclared_cyrillic_feed_is_not_mojibake(tmp_path):
    title = "Сбит беспилотник над областью"
    body = "Обломки упали на поле, пострадавших нет; в соседнем районе объявлена тревога."
    feed = f"<rss version='2.0'><channel><title>Лента</title><item><title>{title}</title>"
    feed += f"<description>{body}</description></item></channel></rss>"
    for encoding in ("cp1251", "koi8-r"):
        path = tmp_path / f"{encoding}.xml"
        path.write_bytes(feed.encode(encoding))
        records, _ = load(path)
        assert [(r["title"], r["text"]) for r in records] == [(title, body)], encoding


def test_corpus_undeclared_koi8():
    import re

    path = need(CORPUS / "illformed" / "chardet" / "koi8r.xml")
    expected = re.search(r"<title>(.*?)</title>", path.read_bytes().decode("koi8-r")).group(1)
    records, _ = load(path)
    assert records[0]["title"] == expected
    # and a Western windows-1252 feed is left alone
    records, _ = load(CORPUS / "encoding" / "http_text_xml_charset_2.xml")
    assert records[0]["text"].endswith("\u201ctest.\u201d")

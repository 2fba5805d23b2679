"""Folders of saved articles: file types, titles, filename dates, rejects."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sources import SourceSpec, detect_kind, read_source

FIXTURES = Path(__file__).parent / "fixtures" / "sources" / "folder"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def load(path: Path, **options):
    batches, _, _ = read_source(SourceSpec("folder-test", "folder", str(path), options))
    out = list(batches)
    return [r for b in out for r in b.records], [j for b in out for j in b.rejects]


def test_fixture_folder():
    assert detect_kind(str(FIXTURES)) == "folder"
    records, rejects = load(FIXTURES)
    assert rejects == []
    txt, md, html = records  # sorted by path; notes.pdf ignored
    assert txt["title"] is None
    assert txt["published"].isoformat() == "2023-01-02T03:04:05+00:00"
    assert txt["text"] == "A plain text article about a debris fall in a village.\nSecond line."
    assert md["title"] == "Interceptions overnight"
    assert md["published"].isoformat() == "2024-05-01T00:00:00+00:00"
    assert md["text"].startswith("Interceptions overnight\n")  # heading marker stripped
    assert html["title"] == "Page title here" and html["published"] is None
    assert html["text"].split("\n") == [
        "Missile strike damages depot",
        "A missile struck a fuel depot on the outskirts of the city early on Tuesday, officials said.",
        "Two people were injured and taken to hospital, the regional administration reported.",
        "Firefighters worked through the morning to contain the blaze at the site.",
    ]
    assert all(r["url"] is None and r["article_id"] is None for r in records)


def test_bad_files_are_rejected(tmp_path):
    shutil.copytree(FIXTURES, tmp_path / "f")
    (tmp_path / "f" / "empty.txt").write_text("   \n")
    (tmp_path / "f" / "latin1.txt").write_bytes("caf\xe9 attack".encode("latin-1"))
    records, rejects = load(tmp_path / "f")
    assert len(records) == 3
    assert sorted((j["locator"], j["reason"]) for j in rejects) == [
        ("file empty.txt", "no text"),
        ("file latin1.txt", "undecodable bytes (not UTF-8, no charset found)"),
    ]


def test_single_file_location():
    path = FIXTURES / "sub" / "page.html"
    assert detect_kind(str(path)) == "folder"
    records, _ = load(path)
    assert [r["title"] for r in records] == ["Page title here"]


def test_shared_text_folder():
    folder = SHARED / "inputs" / "text" / "hellaskella_gdelt_articles"
    if not folder.exists():
        pytest.skip("shared inputs absent")
    files = sorted(folder.glob("*.txt"))
    records, rejects = load(folder)
    assert len(records) == len(files) == 15 and rejects == []
    for path, record in zip(files, records, strict=True):
        stamp = path.name[:16]  # 20220321T191500Z
        assert record["published"].strftime("%Y%m%dT%H%M%SZ") == stamp
        assert record["text"] == path.read_text(encoding="utf-8").strip()


def test_legacy_cyrillic_files(tmp_path):
    ru = "Ночью над городом сбили три беспилотника, обломки повредили крышу дома."
    uk = "Уламки збитої ракети впали у дворі; є поранені, їх госпіталізовано."
    (tmp_path / "a_ru.txt").write_bytes(ru.encode("cp1251"))
    (tmp_path / "b_uk.txt").write_bytes(uk.encode("koi8-u"))
    page = f'<html><head><meta charset="windows-1251"><title>Т</title></head><body><p>{ru}</p></body></html>'
    (tmp_path / "c.html").write_bytes(page.encode("cp1251"))
    records, rejects = load(tmp_path)
    assert rejects == []
    assert [r["text"] for r in records] == [ru, uk, ru]

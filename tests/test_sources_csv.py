"""CSV dumps: quoted multi-line fields, Telegram markdown, per-row rejects, shared Telegram CSVs."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from sources import SourceError, SourceSpec, detect_kind, read_source

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def load(path: Path, **options):
    spec = SourceSpec(name="csv-test", kind="csv", location=str(path), options=options)
    batches, _, _ = read_source(spec)
    out = list(batches)
    return [r for b in out for r in b.records], [j for b in out for j in b.rejects]


def test_rows_multiline_markdown_and_rejects(tmp_path):
    content = (
        "date,datetime,drone_count,text_snippet\n"
        '2025-03-16,2025-03-16 16:54,3,"**Сбиты три БпЛА** над областью.\n'
        'Подробнее: [канал](https://t.me/example/1)"\n'
        "2025-03-17,,0,\"Plain row, with a comma\"\n"
        "2025-03-18,2025-03-18 07:00,1,\n"
        "2025-03-19,not a date,1,text with bad date\n"
        "2025-03-20,2025-03-20 3:30,1,unpadded hour is fine\n"
        "only,three,fields\n"
    ).encode() + b"2025-03-21,,1,\"bytes \xff here\"\n"
    path = tmp_path / "dump.csv"
    path.write_bytes(content)
    records, rejects = load(path)
    assert [r["text"] for r in records] == [
        "Сбиты три БпЛА над областью.\nПодробнее: канал",
        "Plain row, with a comma",
        "unpadded hour is fine",
    ]
    # datetime wins over date when both exist; an empty datetime falls back to date.
    assert [r["published"].isoformat() for r in records] == [
        "2025-03-16T16:54:00+00:00",
        "2025-03-17T00:00:00+00:00",
        "2025-03-20T03:30:00+00:00",
    ]
    assert [(j["locator"], j["reason"].split(" (")[0].split(":")[0]) for j in rejects] == [
        ("line 5", "missing or empty text"),
        ("line 6", "unparsable date 'not a date'"),
        ("line 8", "3 fields, header has 4"),
        ("line 9", "undecodable bytes"),
    ]
    assert all(r["article_id"] is None and r["url"] is None for r in records)


def test_custom_fields_delimiter_and_encoding(tmp_path):
    path = tmp_path / "custom.txt"
    path.write_bytes("ид;заголовок;тело\n7;Заголовок;Уламки впали на дах\n".encode("cp1251"))
    records, rejects = load(path, fields={"text": "тело", "title": "заголовок", "article_id": "ид"},
                            delimiter=";", encoding="cp1251")
    assert rejects == []
    assert records[0]["text"] == "Уламки впали на дах"
    assert records[0]["title"] == "Заголовок" and records[0]["article_id"] == "7"


def test_missing_text_column_is_source_error(tmp_path):
    path = tmp_path / "no_text.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(SourceError, match="no text column"):
        load(path)


@pytest.mark.parametrize("name", ["mod_russia_v2_last2000.csv", "dronbomber_v2_last2000.csv"])
def test_shared_telegram_csv(name):
    path = SHARED / "inputs" / "telegram" / name
    if not path.exists():
        pytest.skip("shared inputs absent")
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    expected = sum(1 for row in rows if row["text_snippet"].strip())
    assert len(rows) == 2000
    assert detect_kind(str(path)) == "csv"
    records, rejects = load(path)
    assert len(records) == expected
    assert len(records) + len(rejects) == len(rows)
    assert all("**" not in r["text"] and "](" not in r["text"] for r in records)
    assert all(r["published"] is not None for r in records)

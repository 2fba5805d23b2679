"""JSON Lines: per-line rejects, date rules, field mapping, entries documents, streaming."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import pytest

from sources import SourceSpec, detect_kind, read_source

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def load(path: Path, **options):
    spec = SourceSpec(name="test-jsonl", kind="jsonl", location=str(path), options=options)
    batches, _, unchanged = read_source(spec)
    assert not unchanged
    out = list(batches)
    return [r for b in out for r in b.records], [j for b in out for j in b.rejects]


def test_good_and_bad_lines(tmp_path):
    lines = [
        b'\xef\xbb\xbf{"text": "Two drones were shot down over the bay.", "published": "2025-03-01"}',
        (
            b'{"text": "Missile debris hit a school.", "published": "2025-03-02T10:15:00Z", "article_id": 42,'
            b' "url": "https://ex.org/a", "title": "  Debris \\n hits school ", "language": "en-GB", "extra": 1}'
        ),
        b"{not json",
        b"[1, 2]",
        b'{"title": "no text here"}',
        b'{"text": "   "}',
        b'{"text": "date is junk", "published": "yesterday-ish"}',
        b'{"text": "bad bytes \xff\xfe here"}',
        b"",
        '{"text": "Ракета влучила в склад.", "published": "2025-03-03T01:00:00+02:00", "language": "uk"}'.encode(),
        b'{"text": "naive time", "published": "2025-03-04 05:06:07"}',
    ]
    path = tmp_path / "a.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    records, rejects = load(path)

    assert [r["text"] for r in records] == [
        "Two drones were shot down over the bay.",
        "Missile debris hit a school.",
        "Ракета влучила в склад.",
        "naive time",
    ]
    assert [r["published"].isoformat() for r in records] == [
        "2025-03-01T00:00:00+00:00",
        "2025-03-02T10:15:00+00:00",
        "2025-03-02T23:00:00+00:00",
        "2025-03-04T05:06:07+00:00",
    ]
    second = records[1]
    assert second["article_id"] == "42" and second["url"] == "https://ex.org/a"
    assert second["title"] == "Debris hits school" and second["language"] == "en"
    assert set(second) == {"article_id", "url", "title", "published", "text", "language", "source"}
    assert second["source"] == "test-jsonl"

    by_line = {j["locator"]: j["reason"] for j in rejects}
    assert list(by_line) == ["line 3", "line 4", "line 5", "line 6", "line 7", "line 8"]
    assert by_line["line 3"].startswith("invalid JSON")
    assert by_line["line 4"] == "not a JSON object (list)"
    assert by_line["line 5"] == by_line["line 6"] == "missing or empty text"
    assert "unparsable date" in by_line["line 7"]
    assert by_line["line 8"].startswith("undecodable bytes")
    assert all("\n" not in j["reason"] and len(j["record"]) <= 2000 for j in rejects)


def test_field_mapping_and_timezone(tmp_path):
    path = tmp_path / "m.ndjson"
    path.write_text(json.dumps({"body": "Сбит беспилотник.", "when": "2025-01-01T03:00:00", "lnk": "u"}) + "\n")
    records, rejects = load(path, fields={"text": "body", "published": "when", "url": "lnk"},
                            timezone="Europe/Moscow", language="ru")
    assert rejects == []
    assert records[0]["published"].isoformat() == "2025-01-01T00:00:00+00:00"
    assert records[0]["url"] == "u" and records[0]["language"] == "ru"


def test_entries_document(tmp_path):
    doc = {"entries": [
        {"link": "https://ex.org/1", "title": "Strike on depot", "description": "A depot was hit.",
         "date_published": "2022-10-10 07:30:00+00:00", "language": "en"},
        {"link": "https://ex.org/2", "title": "Headline only", "description": "",
         "date_published": "2022-10-10 08:00:00+00:00"},
        {"link": "https://ex.org/3"},
    ]}
    path = tmp_path / "x_entries.json"
    path.write_text(json.dumps(doc))
    assert detect_kind(str(path)) == "jsonl"
    records, rejects = load(path)
    assert [r["text"] for r in records] == ["A depot was hit.", "Headline only"]
    assert records[0]["published"].isoformat() == "2022-10-10T07:30:00+00:00"
    assert [(j["locator"], j["reason"]) for j in rejects] == [("item 3", "missing or empty text")]


def test_shared_entries_files():
    folder = SHARED / "inputs" / "feeds" / "json"
    if not folder.exists():
        pytest.skip("shared inputs absent")
    for path in sorted(folder.glob("*.json")):
        expected = len(json.loads(path.read_text())["entries"])
        assert detect_kind(str(path)) == "jsonl"
        records, rejects = load(path)
        assert len(records) + len(rejects) == expected
        assert all(r["published"] is not None and r["url"].startswith("http") for r in records)


def test_gold_dev_is_a_valid_source():
    path = SHARED / "gold" / "dev.jsonl"
    if not path.exists():
        pytest.skip("gold absent")
    expected = sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    records, rejects = load(path)
    assert rejects == [] and len(records) == expected and expected >= 89
    assert all(r["article_id"] for r in records)


def test_streams_large_file_in_bounded_memory(tmp_path):
    path = tmp_path / "big.jsonl"
    line = json.dumps({"text": "x" * 400 + " drone"}) + "\n"
    n = 40_000
    with path.open("w") as fh:
        fh.write(line * n)
    size = path.stat().st_size  # ~16 MB
    tracemalloc.start()
    try:
        batches, _, _ = read_source(SourceSpec("big", "jsonl", str(path)), batch_size=1000)
        total = 0
        for batch in batches:
            total += len(batch.records)
            assert len(batch.records) <= 1000
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert total == n
    assert peak < size / 4, (peak, size)


def test_runaway_line_is_rejected_not_loaded(tmp_path, monkeypatch):
    from sources import jsonl

    monkeypatch.setattr(jsonl, "MAX_LINE_BYTES", 100)
    path = tmp_path / "long.jsonl"
    path.write_text('{"text": "short one"}\n{"text": "' + "z" * 500 + '"}\n{"text": "after"}\n')
    records, rejects = load(path)
    assert [r["text"] for r in records] == ["short one", "after"]
    assert [(j["locator"], j["reason"]) for j in rejects] == [("line 2", "line longer than 100 bytes")]

"""Telegram Desktop exports: entity lists, ids, urls, skipped service and media-only posts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sources import SourceError, SourceSpec, detect_kind, read_source

EXPORT = Path(__file__).parent / "fixtures" / "sources" / "result.json"


def load(path: Path, **options):
    batches, _, _ = read_source(SourceSpec("tg-test", "telegram", str(path), options))
    out = list(batches)
    return [r for b in out for r in b.records], [j for b in out for j in b.rejects]


def test_export_messages_and_skips():
    assert detect_kind(str(EXPORT)) == "telegram"
    records, rejects = load(EXPORT)
    assert [r["article_id"] for r in records] == ["tg:1234567890:2", "tg:1234567890:4"]
    assert records[0]["text"] == "Над областю збито три дрони. Деталі: example.org"
    assert records[0]["published"].isoformat() == "2025-05-14T06:12:00+00:00"  # from date_unixtime
    assert records[1]["published"].isoformat() == "2025-05-14T08:30:00+00:00"  # naive date, UTC assumed
    assert all(r["url"] is None for r in records)  # no username known
    assert [(j["locator"], j["reason"]) for j in rejects] == [
        ("message 1", "service message"),
        ("message 3", "media-only post (no text)"),
        ("message 5", "service message"),
    ]
    assert json.loads(rejects[1]["record"])["photo"] == "photos/photo_1.jpg"
    assert all(j["skip"] for j in rejects), "not bad input: counted, not quarantined"


def test_username_gives_urls_and_timezone(tmp_path):
    records, _ = load(EXPORT, username="@test_alerts", timezone="Europe/Kyiv")
    assert [r["url"] for r in records] == ["https://t.me/test_alerts/2", "https://t.me/test_alerts/4"]
    assert records[1]["published"].isoformat() == "2025-05-14T05:30:00+00:00"  # 08:30 EEST


def test_sniffed_without_file_name(tmp_path):
    path = tmp_path / "channel_dump.json"
    path.write_text(json.dumps({"name": "x", "type": "public_channel", "id": 5, "messages": []}))
    assert detect_kind(str(path)) == "telegram"
    assert load(path) == ([], [])


def test_not_an_export(tmp_path):
    path = tmp_path / "result.json"
    path.write_text('{"name": "x"}')
    with pytest.raises(SourceError, match="no 'messages' list"):
        load(path)

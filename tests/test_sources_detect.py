"""Kind detection for ad-hoc locations."""

from __future__ import annotations

import codecs

import pytest

from sources import SourceError, detect_kind


@pytest.mark.parametrize(
    ("location", "kind"),
    [
        ("https://example.org/feed", "rss"),
        ("https://example.org/rss.xml?x=1", "rss"),
        ("https://example.org/dump.jsonl", "jsonl"),
        ("https://example.org/data.csv", "csv"),
        ("https://example.org/export/result.json", "telegram"),
    ],
)
def test_urls(location, kind):
    assert detect_kind(location) == kind


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("a.jsonl", b'{"text": "x"}\n', "jsonl"),
        ("a.NDJSON", b"", "jsonl"),
        ("a.csv", b"text\nx\n", "csv"),
        ("a.md", b"# x", "folder"),
        ("noext", b'<?xml version="1.0"?><rss version="2.0"></rss>', "rss"),
        ("feed.data", b"\n  <feed xmlns='http://www.w3.org/2005/Atom'></feed>", "rss"),
        ("utf16feed", codecs.BOM_UTF16_LE + '<rss version="2.0"></rss>'.encode("utf-16-le"), "rss"),
        ("lines.json", b'{"text": "a"}\n{"text": "b"}\n', "jsonl"),
        ("entries.json", b'{"entries": [{"title": "t"}]}', "jsonl"),
        ("array.json", b'[{"text": "t"}]', "jsonl"),
        ("export.json", b'{"name": "c", "id": 1, "messages": [{"id": 1}]}', "telegram"),
    ],
)
def test_files(tmp_path, name, content, kind):
    path = tmp_path / name
    path.write_bytes(content)
    assert detect_kind(str(path)) == kind


def test_directory(tmp_path):
    assert detect_kind(str(tmp_path)) == "folder"


def test_missing_and_unknown(tmp_path):
    with pytest.raises(SourceError, match="does not exist"):
        detect_kind(str(tmp_path / "nope.jsonl"))
    odd = tmp_path / "blob.bin"
    odd.write_bytes(b"\x00\x01binary")
    with pytest.raises(SourceError, match="unknown kind"):
        detect_kind(str(odd))
    obj = tmp_path / "config.json"
    obj.write_text('{"setting": 1}')
    with pytest.raises(SourceError, match="unknown kind"):
        detect_kind(str(obj))

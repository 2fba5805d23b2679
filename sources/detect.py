"""Guess a source's kind from its location so ad-hoc `incidents run some/path` needs no config."""

from __future__ import annotations

import codecs
import re
from pathlib import Path
from urllib.parse import urlsplit

from sources.spec import SourceError

_SNIFF_BYTES = 65536
_TEXT_SUFFIXES = (".txt", ".md", ".html", ".htm")
_FEED_SUFFIXES = (".xml", ".rss", ".atom", ".rdf")
_FEED_MARKERS = re.compile(rb"<(?:rss|feed|rdf:RDF|RDF|channel)[\s>/]|<\?xml")
_TELEGRAM_MARKER = re.compile(rb'"messages"\s*:\s*\[')
_ENTRIES_MARKER = re.compile(rb'^\s*(?:\[|\{\s*"(?:entries|items|articles)"\s*:\s*\[)')


def is_url(location: str) -> bool:
    return urlsplit(location).scheme.lower() in ("http", "https")


def _suffix_kind(name: str) -> str | None:
    lower = name.lower()
    if lower.endswith((".jsonl", ".ndjson", ".jsonl.gz")):
        return "jsonl"
    if lower.endswith((".csv", ".tsv")):
        return "csv"
    if lower.endswith(_TEXT_SUFFIXES):
        return "folder"
    if lower.endswith(_FEED_SUFFIXES):
        return "rss"
    return None


def _head_as_utf8(head: bytes) -> bytes:
    """Sniff UTF-16/32 feeds too: their markers are not ASCII bytes until decoded."""
    for bom, enc in (
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if head.startswith(bom):
            return head[len(bom) :].decode(enc, errors="ignore").encode("utf-8")
    if head[:4] in (b"<\x00?\x00", b"\x00<\x00?", b"<\x00\x00\x00", b"\x00\x00\x00<"):
        return head.replace(b"\x00", b"")
    return head.removeprefix(codecs.BOM_UTF8)


def sniff_kind(head: bytes) -> str | None:
    """Kind from the first bytes of a document; None when nothing matches."""
    head = _head_as_utf8(head)
    stripped = head.lstrip()
    if stripped.startswith((b"{", b"[")):
        if _TELEGRAM_MARKER.search(head):
            return "telegram"
        if _ENTRIES_MARKER.match(head):
            return "jsonl"  # a JSON document holding a list of articles, read by the jsonl reader
        if stripped.startswith(b"{") and b"\n{" in stripped:
            return "jsonl"
        return None
    if _FEED_MARKERS.search(head[:4096]) or stripped.startswith(b"<"):
        return "rss"
    return None


def detect_kind(location: str) -> str:
    """Suffix first (cheap, explicit), then content sniffing for local files.

    URLs cannot be sniffed without a request, so an http(s) location without a telling suffix is
    taken to be a feed: that is what people point a news pipeline at.
    """
    if is_url(location):
        path = urlsplit(location).path
        if path.lower().endswith("result.json"):
            return "telegram"
        if path.lower().endswith(".json"):
            return "jsonl"
        kind = _suffix_kind(path)
        return kind if kind and kind != "folder" else "rss"
    path = Path(location)
    if not path.exists():
        raise SourceError(f"{location} does not exist")
    if path.is_dir():
        return "folder"
    if path.name.lower() == "result.json":
        return "telegram"
    kind = _suffix_kind(path.name)
    if kind is not None:
        return kind
    try:
        with path.open("rb") as fh:
            head = fh.read(_SNIFF_BYTES)
    except OSError as err:
        raise SourceError(f"{location} cannot be read: {err.strerror or err}") from err
    kind = sniff_kind(head)
    if kind is None:
        raise SourceError(f"{location}: unknown kind (not a feed, JSON Lines, CSV, text or Telegram export)")
    return kind

"""JSON Lines articles, streamed line by line; plus JSON documents that wrap a list of articles.

A bad line must cost one reject, never the file, so every line is decoded and parsed on its own.
The document form ({"entries": [...]}, {"items": [...]}, {"articles": [...]} or a bare [...]) covers
feed-entry dumps such as shared/inputs/feeds/json; it is loaded whole (capped by max_document_bytes).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import IO, Any

from sources.dates import DateError, parse_datetime, zone
from sources.records import Item, field_names, make_record, pick
from sources.spec import SourceError, SourceSpec, reject

TEXT = ("text",)
DOC_TEXT = ("text", "content", "body", "description", "summary")
URL = ("url", "link")
TITLE = ("title",)
PUBLISHED = ("published", "date_published", "published_at", "datetime", "date")
ARTICLE_ID = ("article_id",)
LANGUAGE = ("language", "lang")
_LIST_KEYS = ("entries", "items", "articles")
MAX_DOCUMENT_BYTES = 256 * 1024 * 1024
MAX_LINE_BYTES = 64 * 1024 * 1024


class _Fields:
    def __init__(self, options: Mapping[str, Any], text_defaults: tuple[str, ...]):
        self.text = field_names(options, "text", text_defaults)
        self.url = field_names(options, "url", URL)
        self.title = field_names(options, "title", TITLE)
        self.published = field_names(options, "published", PUBLISHED)
        self.article_id = field_names(options, "article_id", ARTICLE_ID)
        self.language = field_names(options, "language", LANGUAGE)


def _convert(spec: SourceSpec, obj: Any, fields: _Fields, locator: str, raw: str, title_fallback: bool) -> Item:
    if not isinstance(obj, dict):
        return "reject", reject(locator, f"not a JSON object ({type(obj).__name__})", raw)
    text = pick(obj, fields.text)
    title = pick(obj, fields.title)
    if text is not None and not isinstance(text, str):
        return "reject", reject(locator, f"text is not a string ({type(text).__name__})", raw)
    if (text is None or not text.strip()) and title_fallback and isinstance(title, str):
        text = title
    if text is None or not text.strip():
        return "reject", reject(locator, "missing or empty text", raw)
    try:
        published = parse_datetime(pick(obj, fields.published), zone(spec.options.get("timezone")))
    except DateError as err:
        return "reject", reject(locator, str(err), raw)
    record = make_record(
        spec,
        text=text,
        article_id=pick(obj, fields.article_id),
        url=pick(obj, fields.url),
        title=title if isinstance(title, str) else None,
        published=published,
        language=pick(obj, fields.language),
    )
    return "ok", record


def _is_document(head: bytes) -> bool:
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"["):
        return True
    if not stripped.startswith(b"{"):
        return False
    first_line = stripped.split(b"\n", 1)[0]
    try:
        obj = json.loads(first_line)
    except ValueError:
        # A pretty-printed document: its first line is not a whole object.
        return any(f'"{k}"'.encode() in head for k in _LIST_KEYS)
    return isinstance(obj, dict) and any(isinstance(obj.get(k), list) for k in _LIST_KEYS)


def _lines(fh: IO[bytes]) -> Iterator[tuple[bytes, bool]]:
    """(line, too_long): a runaway line (no newline for MAX_LINE_BYTES) is skipped, not loaded whole."""
    while True:
        raw = fh.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            while True:  # drain the rest of the oversized line
                more = fh.readline(MAX_LINE_BYTES)
                if not more or more.endswith(b"\n"):
                    break
            yield raw[:2000], True
        else:
            yield raw, False


def _read_lines(spec: SourceSpec, fh: IO[bytes], fields: _Fields) -> Iterator[Item]:
    for number, (raw, too_long) in enumerate(_lines(fh), start=1):
        locator = f"line {number}"
        if too_long:
            yield "reject", reject(locator, f"line longer than {MAX_LINE_BYTES} bytes", raw)
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as err:
            yield "reject", reject(locator, f"undecodable bytes (not UTF-8): {err.reason} at {err.start}", raw)
            continue
        if number == 1:
            line = line.removeprefix("\ufeff")
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError as err:
            yield "reject", reject(locator, f"invalid JSON: {err}", line)
            continue
        yield _convert(spec, obj, fields, locator, line, title_fallback=False)


def load_json_document(spec: SourceSpec, fh: IO[bytes], max_bytes: int, what: str) -> Any:
    """A whole JSON document (no streaming JSON parser among the dependencies), capped in size."""
    data = fh.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise SourceError(f"{spec.location}: {what} larger than {max_bytes} bytes")
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as err:
        raise SourceError(f"{spec.location}: invalid {what}: {err}") from err


def _read_document(spec: SourceSpec, fh: IO[bytes], fields: _Fields) -> Iterator[Item]:
    doc = load_json_document(spec, fh, MAX_DOCUMENT_BYTES, "JSON document")
    entries = doc if isinstance(doc, list) else next(
        (doc[k] for k in _LIST_KEYS if isinstance(doc, dict) and isinstance(doc.get(k), list)), None
    )
    if entries is None:
        raise SourceError(f"{spec.location}: JSON document without an entries/items/articles list")
    for number, obj in enumerate(entries, start=1):
        raw = json.dumps(obj, ensure_ascii=False)[:2000]
        yield _convert(spec, obj, fields, f"item {number}", raw, title_fallback=True)


def read_jsonl(spec: SourceSpec, fh: IO[bytes]) -> Iterator[Item]:
    """fh must be a binary stream positioned at the start; it is consumed lazily."""
    head = fh.peek(65536)[:65536] if hasattr(fh, "peek") else b""
    mode = spec.options.get("format")
    if mode is None:
        mode = "document" if _is_document(head) else "lines"
    if mode == "document":
        return _read_document(spec, fh, _Fields(spec.options, DOC_TEXT))
    return _read_lines(spec, fh, _Fields(spec.options, TEXT))

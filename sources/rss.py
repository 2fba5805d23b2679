"""RSS 0.9x/1.0/2.0 and Atom feeds via feedparser, bodies turned into plain text.

feedparser always gets a byte stream, never a str: a str would be taken for a URL or a file name
(and fetched or opened), and bytes let it honour the declared encoding. DTD entities are stripped by
feedparser to simple literals and external entities are never resolved, so XML bombs stay harmless.
"""

from __future__ import annotations

import io
import re
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import feedparser

from sources.cyrillic import guess_cyrillic, is_utf8
from sources.dates import from_struct
from sources.html import extract_article, html_to_text
from sources.records import Item, make_record
from sources.spec import SourceError, SourceSpec, reject

# Items shorter than this are worth a page fetch when full_text is on (summaries, teasers).
FULL_TEXT_MIN_CHARS = 600
_PLAIN = ("text/plain",)


def parse_feed(data: bytes, content_type: str | None = None) -> Any:
    headers = {"content-type": content_type} if content_type else {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return feedparser.parse(
            io.BytesIO(data),
            response_headers=headers,
            sanitize_html=False,  # we never render it; keeping class/id lets html.py spot boilerplate
            resolve_relative_uris=False,
        )


def _as_text(detail: Any) -> str:
    value = (detail or {}).get("value") or ""
    if (detail or {}).get("type") in _PLAIN:
        return value.strip()
    return html_to_text(value)


def _body(entry: Any) -> str:
    """The richest of content / summary (media:description lands in summary)."""
    candidates = [_as_text(c) for c in entry.get("content") or []]
    if entry.get("summary_detail"):
        candidates.append(_as_text(entry["summary_detail"]))
    elif entry.get("summary"):
        candidates.append(html_to_text(entry["summary"]))
    media = entry.get("media_description")
    if isinstance(media, str):
        candidates.append(html_to_text(media))
    return max(candidates, key=len, default="")


def _title(entry: Any) -> str | None:
    raw = entry.get("title") or ""
    if "<" in raw and (entry.get("title_detail") or {}).get("type") in ("text/html", "application/xhtml+xml"):
        raw = html_to_text(raw)
    return " ".join(raw.split()) or None


def _language(entry: Any, feed_language: str | None) -> str | None:
    for detail in [*(entry.get("content") or []), entry.get("summary_detail"), entry.get("title_detail")]:
        if detail and detail.get("language"):
            return detail["language"]
    return feed_language


def _is_url(value: str | None) -> bool:
    return bool(value) and value.lower().startswith(("http://", "https://"))


def _recode_cyrillic(parsed: Any, data: bytes) -> bytes | None:
    """UTF-8 bytes of an undeclared windows-1251/KOI8 feed that feedparser fell back to windows-1252 on."""
    exc = parsed.get("bozo_exception")
    if not isinstance(exc, feedparser.CharacterEncodingOverride):
        return None
    if (parsed.get("encoding") or "").lower() not in ("windows-1252", "iso-8859-1", "cp1252"):
        return None
    if "declared as utf-8" not in str(exc).lower() or is_utf8(data):
        return None  # an explicit legacy declaration was honoured, or the bytes are fine
    guess = guess_cyrillic(data)
    return data.decode(guess, errors="replace").encode("utf-8") if guess else None


def _real_error(exc: BaseException | None) -> bool:
    """Encoding overrides and odd content types are notes, not failures: the feed was still read."""
    benign = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)
    return exc is not None and not isinstance(exc, benign)


def _broken_xml(exc: BaseException | None) -> bool:
    """A document that is not well-formed (truncated, invalid tokens) is a broken source even when
    feedparser's loose parser recovered items from it; an undefined HTML entity is a mere quirk."""
    import xml.sax

    return isinstance(exc, xml.sax.SAXParseException) and "undefined entity" not in str(exc)


def feed_error(parsed: Any) -> str:
    exc = parsed.get("bozo_exception")
    text = f"{type(exc).__name__}: {exc}" if exc else "unparsable feed"
    return " ".join(text.split())[:300]


def read_rss(
    spec: SourceSpec,
    data: bytes,
    content_type: str | None = None,
    fetch_page: Callable[[str], tuple[bytes, str | None]] | None = None,
) -> Iterator[Item]:
    """Parse eagerly (so a broken feed raises SourceError at once), then yield entries."""
    parsed = parse_feed(data, content_type)
    recoded = _recode_cyrillic(parsed, data)
    if recoded is not None:
        parsed = parse_feed(recoded, None)
    entries = parsed.get("entries") or []
    # An empty channel whose title merely held an HTML entity is a feed; a document yielding nothing is not.
    recovered = bool(parsed.get("feed"))
    if not entries and not recovered and parsed.get("bozo") and _real_error(parsed.get("bozo_exception")):
        raise SourceError(f"{spec.location}: not a readable feed: {feed_error(parsed)}")
    if not entries and not parsed.get("version"):
        raise SourceError(f"{spec.location}: not a feed (no RSS/Atom elements found)")
    full_text = bool(spec.options.get("full_text")) and fetch_page is not None
    min_chars = int(spec.options.get("full_text_min_chars", FULL_TEXT_MIN_CHARS))
    items = _entries(spec, parsed, entries, fetch_page if full_text else None, min_chars)
    if parsed.get("bozo") and _broken_xml(parsed.get("bozo_exception")):
        return _then_fail(items, f"{spec.location}: malformed XML: {feed_error(parsed)}")
    return items


def _then_fail(items: Iterator[Item], message: str) -> Iterator[Item]:
    """Load what could be recovered, then report the source as failed so a scheduler notices."""
    n = 0
    for item in items:
        n += item[0] == "ok"
        yield item
    raise SourceError(f"{message} ({n} recovered item(s) loaded)" if n else message)


def _entries(
    spec: SourceSpec,
    parsed: Any,
    entries: list,
    fetch_page: Callable[[str], tuple[bytes, str | None]] | None,
    min_chars: int,
) -> Iterator[Item]:
    feed_language = (parsed.get("feed") or {}).get("language")
    ids = Counter(e.get("id") for e in entries)
    for number, entry in enumerate(entries, start=1):
        locator = f"item {number}"
        title = _title(entry)
        link = entry.get("link") or None
        guid = entry.get("id") or None
        # Only absolute http(s) links identify a page; feedparser falls back to the guid for Atom links.
        url = link if _is_url(link) else (guid if _is_url(guid) else None)
        # A non-URL guid is the source's own id; reused guids (generators that set one constant) are not.
        article_id = guid if guid and not _is_url(guid) and ids[guid] == 1 else None
        text = _body(entry)
        if fetch_page is not None and len(text) < min_chars and _is_url(url):
            text = max(text, _page_text(fetch_page, url), key=len)
        if not text and title:
            text = title
        if not text:
            yield "reject", reject(locator, "no text and no title", repr(dict(entry))[:2000])
            continue
        # dict.get bypasses FeedParserDict's deprecated updated->published key aliasing (and its warning).
        published = (
            from_struct(dict.get(entry, "published_parsed"))
            or from_struct(dict.get(entry, "updated_parsed"))
            or from_struct(dict.get(entry, "created_parsed"))
        )
        yield "ok", make_record(
            spec,
            text=text,
            article_id=article_id,
            url=url,
            title=title,
            published=published,
            language=_language(entry, feed_language),
        )


def _page_text(fetch_page: Callable[[str], tuple[bytes, str | None]], url: str) -> str:
    """Best effort: a page that fails to load keeps the feed's own text rather than losing the item."""
    try:
        page, content_type = fetch_page(url)
    except SourceError:
        return ""
    return extract_article(decode_html(page, content_type))[1]


_CHARSET = re.compile(rb"""charset=["']?([A-Za-z0-9_.:-]+)""")


def decode_html(data: bytes, content_type: str | None = None) -> str:
    """HTTP header charset, then <meta charset>, then UTF-8 with replacement."""
    for source in (content_type.encode("latin-1", "ignore") if content_type else b"", data[:4096]):
        m = _CHARSET.search(source)
        if m:
            try:
                return data.decode(m.group(1).decode("ascii"), errors="replace")
            except (LookupError, UnicodeError):  # unknown, or a codec without errors="replace" (idna)
                pass
    return data.decode("utf-8", errors="replace")

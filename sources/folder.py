"""A folder of saved articles (*.txt, *.md, *.html, *.htm), one article per file.

Such folders come from scrapers that keep no metadata, so the only date is a YYYYMMDD / YYYY-MM-DD
prefix in the file name; url and article_id stay None and identity hashes the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from sources.cyrillic import guess_cyrillic
from sources.dates import from_filename
from sources.html import extract_article, html_to_text
from sources.records import Item, make_record
from sources.spec import SourceError, SourceSpec, reject

SUFFIXES = (".txt", ".md", ".html", ".htm")
MAX_FILE_BYTES = 50 * 1024 * 1024
_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_MD_HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.MULTILINE)
_MD_HEADING_MARK = re.compile(r"^#{1,6}\s+", re.MULTILINE)


def list_files(spec: SourceSpec) -> list[Path]:
    root = Path(spec.location)
    if root.is_file():
        return [root]
    if not root.is_dir():
        raise SourceError(f"{spec.location} does not exist")
    pattern = spec.options.get("glob", "**/*")
    return sorted(p for p in root.glob(pattern) if p.is_file() and p.suffix.lower() in SUFFIXES)


def _decode(data: bytes, suffix: str) -> str | None:
    """UTF-8 (or UTF-16 with BOM); else an HTML page's declared charset; else a Cyrillic code page guess."""
    encodings = ["utf-16"] if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ["utf-8-sig"]
    if suffix in (".html", ".htm"):
        m = _META_CHARSET.search(data[:4096])
        if m:
            encodings.append(m.group(1).decode("ascii"))
    guess = guess_cyrillic(data)
    if guess:
        encodings.append(guess)
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return None


def _article(path: Path, text: str) -> tuple[str | None, str]:
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        title, body = extract_article(text)
        if len(body) < 200:  # pages without a clear article block: keep everything readable
            body = max(body, html_to_text(text), key=len)
        return title, body
    if suffix == ".md":
        m = _MD_HEADING.search(text)
        # Heading markers would end up inside evidence quotes; the words themselves are kept.
        return (m.group(1) if m else None), _MD_HEADING_MARK.sub("", text)
    return None, text


def read_folder(spec: SourceSpec) -> Iterator[Item]:
    root = Path(spec.location)
    base = root if root.is_dir() else root.parent
    for path in list_files(spec):
        locator = f"file {path.relative_to(base).as_posix()}"
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                yield "reject", reject(locator, f"file larger than {MAX_FILE_BYTES} bytes", "")
                continue
            data = path.read_bytes()
        except OSError as err:
            yield "reject", reject(locator, f"unreadable: {err.strerror or err}", "")
            continue
        text = _decode(data, path.suffix.lower())
        if text is None:
            yield "reject", reject(locator, "undecodable bytes (not UTF-8, no charset found)", data[:2000])
            continue
        title, body = _article(path, text)
        if not body.strip():
            yield "reject", reject(locator, "no text", text)
            continue
        yield "ok", make_record(spec, text=body, title=title, published=from_filename(path.name))

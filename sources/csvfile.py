"""CSV dumps (one article per row), streamed with the csv module so quoted multi-line fields work.

Bytes are decoded with surrogateescape so one row with broken bytes is rejected on its own instead
of a UnicodeDecodeError killing the file halfway through.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections.abc import Iterator
from typing import IO

from sources.dates import DateError, parse_datetime, zone
from sources.records import Item, field_names, make_record, pick
from sources.spec import SourceError, SourceSpec, reject
from sources.text import flatten_markdown

TEXT = ("text", "text_snippet", "body", "content")
TITLE = ("title",)
URL = ("url", "link")
PUBLISHED = ("published", "datetime", "date")
ARTICLE_ID = ("id",)
LANGUAGE = ("language",)

# Article bodies can exceed the csv module's 128 KiB default; this limit is process-wide.
_FIELD_LIMIT = min(sys.maxsize, 2**31 - 1)


_SURROGATE = re.compile("[\udc80-\udcff]")


def _has_surrogates(values: list[str]) -> bool:
    return any(_SURROGATE.search(v) for v in values)


def read_csv(spec: SourceSpec, fh: IO[bytes]) -> Iterator[Item]:
    options = spec.options
    csv.field_size_limit(_FIELD_LIMIT)
    encoding = options.get("encoding", "utf-8-sig")
    text = io.TextIOWrapper(fh, encoding=encoding, errors="surrogateescape", newline="")
    delimiter = options.get("delimiter") or ("\t" if spec.location.lower().endswith(".tsv") else ",")
    reader = csv.reader(text, delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as err:
        raise SourceError(f"{spec.location}: unreadable CSV header: {err}") from err
    header = [h.strip() for h in header]
    cols = {
        key: [c for c in field_names(options, key, defaults) if c in header]
        for key, defaults in (
            ("text", TEXT),
            ("title", TITLE),
            ("url", URL),
            ("published", PUBLISHED),
            ("article_id", ARTICLE_ID),
            ("language", LANGUAGE),
        )
    }
    if not cols["text"]:
        wanted = "|".join(field_names(options, "text", TEXT))
        raise SourceError(f"{spec.location}: no text column ({wanted}) in header {header[:20]}")
    flatten = options.get("markdown", True)
    tz = zone(options.get("timezone"))
    line = reader.line_num + 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            yield "reject", reject(f"line {line}", f"CSV error: {err}", "")
            line = reader.line_num + 1
            continue
        locator, line = f"line {line}", reader.line_num + 1
        raw = delimiter.join(values).encode("utf-8", "surrogateescape")
        if not any(v.strip() for v in values):
            continue
        if _has_surrogates(values):
            yield "reject", reject(locator, f"undecodable bytes (not {encoding})", raw)
            continue
        if len(values) != len(header):
            yield "reject", reject(locator, f"{len(values)} fields, header has {len(header)}", raw)
            continue
        row = dict(zip(header, values, strict=True))
        body = pick(row, cols["text"])
        if body is None or not body.strip():
            yield "reject", reject(locator, "missing or empty text", raw)
            continue
        try:
            published = parse_datetime(pick(row, cols["published"]), tz)
        except DateError as err:
            yield "reject", reject(locator, str(err), raw)
            continue
        title = pick(row, cols["title"])
        if flatten:
            body = flatten_markdown(body)
            title = flatten_markdown(title) if title else title
        yield "ok", make_record(
            spec,
            text=body,
            article_id=pick(row, cols["article_id"]),
            url=pick(row, cols["url"]),
            title=title,
            published=published,
            language=pick(row, cols["language"]),
        )

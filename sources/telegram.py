"""Telegram Desktop channel exports (result.json).

The export is one JSON document, so it is loaded whole (json.load; ijson is not a dependency):
fine for exports up to a few hundred MB. Messages are then emitted one by one.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import IO, Any

from sources.dates import DateError, parse_datetime, zone
from sources.jsonl import load_json_document
from sources.records import Item, make_record
from sources.spec import SourceError, SourceSpec, reject

MAX_EXPORT_BYTES = 512 * 1024 * 1024


def message_text(value: Any) -> str:
    """`text` is a plain string or a list mixing strings and {"type", "text"} entity objects."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "".join(part if isinstance(part, str) else str(part.get("text", "")) for part in value
                       if isinstance(part, str | dict))
    return ""


def _published(message: dict, tz: Any) -> datetime | None:
    unix = message.get("date_unixtime")
    if isinstance(unix, str | int) and str(unix).strip().isdigit():
        try:
            return datetime.fromtimestamp(int(unix), tz=UTC)
        except (OverflowError, OSError, ValueError) as err:  # "²", or beyond year 9999 or time_t
            raise DateError(f"unreadable date_unixtime {unix!r}") from err
    # "date" is the exporting machine's local time; the source options may name that zone.
    return parse_datetime(message.get("date"), tz)


def read_telegram(spec: SourceSpec, fh: IO[bytes]) -> Iterator[Item]:
    export = load_json_document(spec, fh, MAX_EXPORT_BYTES, "Telegram export")
    if not isinstance(export, dict) or not isinstance(export.get("messages"), list):
        raise SourceError(f"{spec.location}: not a Telegram export (no 'messages' list)")
    channel_id = export.get("id")
    username = spec.options.get("username") or export.get("username")
    username = str(username).lstrip("@") if username else None
    tz = zone(spec.options.get("timezone"))
    for number, message in enumerate(export["messages"], start=1):
        msg_id = message.get("id") if isinstance(message, dict) else None
        locator = f"message {msg_id}" if msg_id is not None else f"item {number}"
        raw = json.dumps(message, ensure_ascii=False)[:2000]
        if not isinstance(message, dict):
            yield "reject", reject(locator, "not a JSON object", raw)
            continue
        if message.get("type", "message") != "message":
            yield "reject", reject(locator, "service message", raw, skip=True)
            continue
        text = message_text(message.get("text"))
        if not text.strip():
            yield "reject", reject(locator, "media-only post (no text)", raw, skip=True)
            continue
        try:
            published = _published(message, tz)
        except DateError as err:
            yield "reject", reject(locator, str(err), raw)
            continue
        yield "ok", make_record(
            spec,
            text=text,
            article_id=f"tg:{channel_id}:{msg_id}" if msg_id is not None else None,
            url=f"https://t.me/{username}/{msg_id}" if username and msg_id is not None else None,
            published=published,
        )

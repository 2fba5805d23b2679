"""Shape of one good record, built the same way by every reader."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from typing import Any

from sources.spec import Batch, SourceSpec
from sources.text import language_tag

# A reader yields ("ok", record) or ("reject", reject); batching is done once, in batches().
Item = tuple[str, dict]


def _clean_str(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def make_record(
    spec: SourceSpec,
    *,
    text: str,
    article_id: Any = None,
    url: Any = None,
    title: Any = None,
    published: datetime | None = None,
    language: Any = None,
) -> dict:
    return {
        "article_id": _clean_str(article_id),
        "url": _clean_str(url),
        "title": " ".join(str(title).split()) or None if title is not None else None,
        "published": published,
        "text": text.strip(),
        "language": language_tag(language) or language_tag(spec.options.get("language")),
        "source": spec.name,
    }


def pick(row: Mapping[str, Any], names: Iterable[str]) -> Any:
    """First present, non-empty field among the aliases, so one default mapping fits many dumps."""
    for name in names:
        value = row.get(name)
        if value is not None and value != "":
            return value
    return None


def field_names(options: Mapping[str, Any], key: str, defaults: tuple[str, ...]) -> tuple[str, ...]:
    """options["fields"][key] may be one column name or a list of candidates."""
    mapped = (options.get("fields") or {}).get(key)
    if mapped is None:
        return defaults
    return (mapped,) if isinstance(mapped, str) else tuple(mapped)


def batches(items: Iterator[Item], batch_size: int) -> Iterator[Batch]:
    """Cut a reader's stream into bounded batches; rejects count too, so memory stays bounded."""
    batch = Batch()
    for kind, item in items:
        (batch.records if kind == "ok" else batch.rejects).append(item)
        if len(batch) >= batch_size:
            # Yield through a list emptied by pop(): a local would keep the batch alive here
            # while the consumer works on it, so two batches of records would sit in memory.
            full, batch = [batch], Batch()
            yield full.pop()
    if len(batch):
        full, batch = [batch], Batch()
        yield full.pop()

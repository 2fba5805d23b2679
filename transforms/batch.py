"""Batch-level transforms: raw source records -> `articles` rows -> `incidents` rows.

They take and return Arrow tables (plus plain lists for rejects) and know nothing of
Prefect, files or the warehouse, so the flow, `incidents eval` and the tests run the very
same code.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import pyarrow as pa

from model.schema import ARTICLE_SOURCES, ARTICLES, INCIDENTS, QUARANTINE
from transforms import identity
from transforms.extract import EXTRACTOR_VERSION, extract_batch
from transforms.language import detect_languages

UNKNOWN_MONTH = "unknown"
EXTRACTION_COLUMNS = ("article_id", "text", "published", "month")  # what extract_incidents reads


@dataclass(frozen=True)
class Window:
    """A publication-date window for backfills; undated articles fall outside any window."""

    since: date | None = None
    until: date | None = None

    def contains(self, published: datetime | None) -> bool:
        if published is None:
            return False
        day = published.date()
        return (self.since is None or day >= self.since) and (self.until is None or day <= self.until)


def month_of(value: date | datetime | None) -> str:
    return value.strftime("%Y-%m") if value else UNKNOWN_MONTH


def quarantine_id(*parts: object) -> str:
    """Deterministic, so quarantining the same bad record twice keeps one row."""
    return hashlib.sha1("\x1f".join("" if p is None else str(p) for p in parts).encode()).hexdigest()[:20]


def quarantine_rows(items: Iterable[dict], *, run_id: str, now: datetime) -> pa.Table:
    """Build quarantine rows; each item has table_name, rule, reason and optional ids/record."""
    rows = []
    ids: set[str] = set()
    for it in items:
        qid = quarantine_id(it["table_name"], it.get("source"), it.get("record_id"), it["rule"], it["reason"])
        if qid in ids:  # the same failure twice in a batch is one quarantine row (the key)
            continue
        ids.add(qid)
        record = it.get("record")
        if record is not None and not isinstance(record, str):
            record = json.dumps(record, ensure_ascii=False, default=str)
        if record is not None and len(record) > 4000:
            record = record[:4000] + "…"
        rows.append(
            {
                "quarantine_id": qid,
                "table_name": it["table_name"],
                "record_id": it.get("record_id"),
                "article_id": it.get("article_id"),
                "source": it.get("source"),
                "rule": it["rule"],
                "reason": it["reason"],
                "record": record,
                "run_id": run_id,
                "quarantined_at": now,
                "month": month_of(now),
            }
        )
    return pa.Table.from_pylist(rows, schema=QUARANTINE)


def article_source_rows(pairs: pa.Table, *, run_id: str, now: datetime) -> pa.Table:
    """Provenance rows (article_id, source, url) for pairs not recorded before."""
    n = pairs.num_rows
    return pa.table(
        {
            "article_id": pairs.column("article_id"),
            "source": pairs.column("source"),
            "url": pairs.column("url"),
            "run_id": [run_id] * n,
            "month": [month_of(now)] * n,
        }
    ).cast(ARTICLE_SOURCES)


_SLICE = 1000  # texts per column-wise pass in prepare_articles


def prepare_articles(records: Sequence[dict], *, run_id: str, fetched_at: datetime) -> pa.Table:
    """Give each raw record its stable id, text hash, detected language and partition (column-wise)."""
    n = len(records)
    texts = [r["text"] for r in records]
    text_column = pa.array(texts, pa.string())
    if text_column.null_count:  # a record without text: fail as content_hash(None) always did
        hashes = [identity.content_hash(t) for t in texts]
    else:  # once per text (article_id reuses it); in slices, so numpy's temporaries stay small
        hashes = [h for i in range(0, n, _SLICE) for h in identity.content_hashes(text_column.slice(i, _SLICE))]
    published = [r.get("published") for r in records]
    columns = {
        "article_id": [identity.article_id(r, h if r.get("text") else None) for r, h in zip(records, hashes)],
        "source": [r["source"] for r in records],
        "url": [r.get("url") for r in records],
        "title": [r.get("title") for r in records],
        "published": published,
        "language": [lang for i in range(0, n, _SLICE) for lang in detect_languages(text_column.slice(i, _SLICE))],
        "text": text_column,
        "content_hash": hashes,
        "fetched_at": [fetched_at] * n,
        "run_id": [run_id] * n,
        "month": [month_of(p) for p in published],
    }
    return pa.table(columns, schema=ARTICLES)


def _slices(articles: pa.Table, slice_rows: int = 500) -> Iterator[list[tuple]]:
    """The extraction columns as Python values, a slice at a time: only a slice's texts are
    ever Python strings at once, so a worker's memory does not grow with its chunk."""
    for part in articles.to_batches(max_chunksize=slice_rows):
        cols = part.to_pydict()
        yield list(zip(*(cols[name] for name in EXTRACTION_COLUMNS)))


def extract_incidents(articles: pa.Table, *, run_id: str) -> tuple[pa.Table, list[dict]]:
    """Run the extractor over a batch (its own prefilter keeps irrelevant articles almost free).

    Returns the incidents and one quarantine item per article the extractor failed on: a bug
    met by one odd article must neither stop the batch nor pass silently.
    """
    tables: list[pa.Table] = []
    errors: list[dict] = []
    for part in _slices(articles.select(list(EXTRACTION_COLUMNS))):
        results = extract_batch([(aid, text, published.date() if published else None) for aid, text, published, _ in part])
        rows: list[dict] = []
        for (aid, _, _, month), found in zip(part, results, strict=True):
            if isinstance(found, Exception):
                errors.append({"table_name": "incidents", "record_id": aid, "article_id": aid,
                               "rule": "extraction_error", "reason": f"{type(found).__name__}: {found}"})
                continue
            rows.extend(_incident_row(inc, aid, month, run_id) for inc in found)
        # Arrow per slice: a chunk's incidents as Python dicts (~45 MB for 5,000 attack-dense
        # articles) stayed in a worker's memory after the chunk, freed but never given back.
        tables.append(pa.Table.from_pylist(rows, schema=INCIDENTS))
    if not tables:
        return INCIDENTS.empty_table(), errors
    return pa.concat_tables(tables).combine_chunks(), errors


def _incident_row(found: dict, aid: str, month: str, run_id: str) -> dict:
    inc = dict(found)
    inc["article_id"] = aid
    inc["incident_id"] = identity.incident_id(aid, inc["event_type"], inc.get("admin1"), inc.get("admin2"), inc.get("locality"))
    inc["extractor_version"] = EXTRACTOR_VERSION
    inc["run_id"] = run_id
    inc["month"] = month_of(inc.get("event_date")) if inc.get("event_date") else month
    return inc

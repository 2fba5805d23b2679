"""The data contract between source readers and the Prefect flow.

Kept free of I/O so the flow, the CLI and tests can import it without pulling in httpx or feedparser.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

KINDS = ("rss", "jsonl", "folder", "csv", "telegram")

# Every good record carries exactly these keys, so the flow can build a table without guessing.
RECORD_KEYS = ("article_id", "url", "title", "published", "text", "language", "source")

# A reject keeps at most this much of the raw record: enough to debug, small enough for quarantine.
MAX_SNIPPET = 2000


class SourceError(Exception):
    """The whole source cannot be read or parsed; str(err) is one line saying why."""


@dataclass(frozen=True)
class SourceSpec:
    name: str
    kind: str
    location: str
    options: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))


@dataclass
class Batch:
    records: list[dict] = field(default_factory=list)
    rejects: list[dict] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.records) + len(self.rejects)


@dataclass
class FetchState:
    """Persisted per source between runs so unchanged inputs are skipped without parsing."""

    etag: str | None = None
    last_modified: str | None = None
    fingerprint: str | None = None


def reject(locator: str, reason: str, record: Any, *, skip: bool = False) -> dict:
    """Build a reject row; reasons are flattened to one line because they land in a table cell."""
    if isinstance(record, bytes):
        record = record.decode("utf-8", errors="replace")
    elif not isinstance(record, str):
        record = repr(record)
    # skip=True marks records that are not articles by nature (a channel's service messages,
    # media-only posts): counted in the run summary, not quarantined as bad input.
    return {"locator": locator, "reason": " ".join(str(reason).split()), "record": record[:MAX_SNIPPET], "skip": skip}

"""Prefect tasks: thin wrappers that put the pure transforms and the storage calls on the
engine, one task per step per batch of articles (never per article).

No caching (idempotence lives in the warehouse keys) and no result persistence: batches
pass between tasks in memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
from prefect import task
from prefect.cache_policies import NO_CACHE

from expectations.suites import ARTICLE_LENGTH, TEXT_LENGTH
from expectations.validate import validate
from sources.spec import Batch
from transforms import batch as tb
from warehouse import duck, lake


@dataclass
class BatchResult:
    articles_read: int = 0
    articles_new: int = 0
    articles_seen: int = 0
    incidents: int = 0
    quarantined: int = 0
    files: dict[str, list[Path]] = field(default_factory=dict)

    def add(self, other: BatchResult) -> None:
        self.articles_read += other.articles_read
        self.articles_new += other.articles_new
        self.articles_seen += other.articles_seen
        self.incidents += other.incidents
        self.quarantined += other.quarantined
        for t, ps in other.files.items():
            self.files.setdefault(t, []).extend(ps)


def _split(table: pa.Table, bad_rows: set[int]) -> tuple[pa.Table, pa.Table]:
    mask = pa.array([i in bad_rows for i in range(table.num_rows)], pa.bool_())
    return table.filter(pc.invert(mask)), table.filter(mask)


def _checked(table_name: str, rows: pa.Table, frame, key: str) -> tuple[pa.Table, list[dict]]:
    """Validate a batch; return the rows that pass and quarantine items for the rest."""
    failures = validate(table_name, frame)
    if not failures:
        return rows, []
    ids = rows.column(key).to_pylist()
    aids = rows.column("article_id").to_pylist()
    items = [
        {
            "table_name": table_name,
            "record_id": ids[f.row],
            "article_id": aids[f.row],
            "rule": f.rule,
            "reason": f.reason,
            "record": {k: v for k, v in rows.slice(f.row, 1).to_pylist()[0].items() if k != "text"},
        }
        for f in failures
    ]
    good, _ = _split(rows, {f.row for f in failures})
    return good, items


@task(name="process-batch", cache_policy=NO_CACHE, retries=0)
def process_batch(
    raw: Batch,
    *,
    source: str,
    seq: int,
    run_id: str,
    fetched_at: datetime,
    db_path: Path,
    lake_dir: Path,
    seen_in_run: set[str],
) -> BatchResult:
    """Dedupe, extract, validate and publish one batch of articles to the lake."""
    res = BatchResult(articles_read=len(raw.records))
    quarantine: list[dict] = [
        {
            "table_name": "articles",
            "source": source,
            "record_id": r["locator"],
            "rule": "source_record",
            "reason": r["reason"],
            "record": r["record"],
        }
        for r in raw.rejects
    ]
    articles = tb.prepare_articles(raw.records, run_id=run_id, fetched_at=fetched_at)

    # Drop what the warehouse already holds (same id or identical text) and in-run repeats.
    stored = duck.seen_articles(db_path, articles.select(["article_id", "content_hash"]))
    keep, hashes_here = [], set()
    for aid, h in zip(articles.column("article_id").to_pylist(), articles.column("content_hash").to_pylist()):
        fresh = aid not in stored and aid not in seen_in_run and h not in seen_in_run and h not in hashes_here
        keep.append(fresh)
        if fresh:
            seen_in_run.add(aid)
            seen_in_run.add(h)
            hashes_here.add(h)
    articles = articles.filter(pa.array(keep, pa.bool_()))
    res.articles_seen = res.articles_read - articles.num_rows

    frame = articles.to_pandas()
    frame[TEXT_LENGTH] = pc.utf8_length(articles.column("text")).to_numpy(zero_copy_only=False)
    good, items = _checked("articles", articles, frame, "article_id")
    quarantine += items
    res.articles_new = good.num_rows

    incidents = tb.extract_incidents(good, run_id=run_id)
    if incidents.num_rows:
        lengths = dict(
            zip(good.column("article_id").to_pylist(), pc.utf8_length(good.column("text")).to_pylist())
        )
        iframe = incidents.to_pandas()
        iframe[ARTICLE_LENGTH] = [lengths[a] for a in incidents.column("article_id").to_pylist()]
        incidents, items = _checked("incidents", incidents, iframe, "incident_id")
        quarantine += items
    res.incidents = incidents.num_rows

    qtable = tb.quarantine_rows(quarantine, run_id=run_id, now=fetched_at)
    res.quarantined = qtable.num_rows
    for name, rows in (("articles", good), ("incidents", incidents), ("quarantine", qtable)):
        paths = lake.write_rows(lake_dir, name, rows, run_id, seq)
        if paths:
            res.files.setdefault(name, []).extend(paths)
    return res


@task(name="load-warehouse", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=2)
def load_warehouse(db_path: Path, lake_dir: Path, files: dict[str, list[Path]], run_id: str) -> dict[str, int]:
    return duck.load_files(db_path, lake_dir, files, run_id)


@task(name="recover-unloaded", cache_policy=NO_CACHE)
def recover_unloaded(db_path: Path, lake_dir: Path) -> dict[str, int]:
    """Finish the load of a run that crashed after publishing its lake files."""
    lake.clear_staging(lake_dir)
    pending = duck.unloaded_files(db_path, lake_dir)
    if not pending:
        return {}
    return duck.load_files(db_path, lake_dir, pending, run_id="recovered")

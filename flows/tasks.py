"""Prefect tasks: thin wrappers that put the pure transforms and the storage calls on the
engine, one task per step per batch of articles (never per article).

A batch goes through two tasks: `stage_batch` (dedupe, articles contract, extraction started
in the worker pool) and `publish_batch` (incidents contract, lake, warehouse). The flow stages
batch N+1 before it publishes batch N, so the main process's work overlaps the extraction.

No caching (idempotence lives in the warehouse keys) and no result persistence: batches
pass between tasks in memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture
from prefect.runtime import task_run
from prefect.utilities.annotations import quote

from expectations.outcome import Outcome, merge
from expectations.suites import ARTICLE_LENGTH
from expectations.validate import frame_for, validate
from flows import cluster
from flows.parallel import Extraction
from sources.spec import Batch
from transforms import batch as tb
from transforms.batch import Window
from warehouse import duck, lake, mart
from warehouse.crashpoints import checkpoint, scope


@dataclass(kw_only=True)
class Counts:
    """Article and row counts, per batch and (summed) per run."""

    articles_read: int = 0
    articles_new: int = 0
    articles_seen: int = 0
    articles_outside_window: int = 0
    records_skipped: int = 0
    incidents_extracted: int = 0
    rows_quarantined: int = 0

    def counts(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(Counts)}


@dataclass(kw_only=True)
class BatchResult(Counts):
    """One batch's counts, the lake files it published, the rows it loaded and what its
    validations counted (per table; added up over the run and stored with it for the Data Docs)."""

    files: dict[str, list[Path]] = field(default_factory=dict)
    loaded: dict[str, int] = field(default_factory=dict)  # rows loaded into the warehouse, per table
    validations: dict[str, Outcome] = field(default_factory=dict)

    def add(self, other: BatchResult) -> None:
        for name, value in other.counts().items():
            setattr(self, name, getattr(self, name) + value)
        for t, ps in other.files.items():
            self.files.setdefault(t, []).extend(ps)
        for t, n in other.loaded.items():
            self.loaded[t] = self.loaded.get(t, 0) + n
        merge(self.validations, other.validations)


def _without(table: pa.Table, bad_rows: set[int]) -> pa.Table:
    return table.filter(pa.array([i not in bad_rows for i in range(table.num_rows)], pa.bool_()))


def _checked(
    table_name: str, rows: pa.Table, helpers: dict | None, key: str, res: BatchResult
) -> tuple[pa.Table, list[dict]]:
    """Validate a batch; return the rows that pass and quarantine items for the rest (and add
    what the validation counted to `res`)."""
    checked = validate(table_name, frame_for(rows, helpers))
    if checked.outcome is not None:
        merge(res.validations, {table_name: checked.outcome})
    failures = checked.failures
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
    return _without(rows, {f.row for f in failures}), items


def _incidents_checked(
    articles: pa.Table, incidents: pa.Table, errors: list[dict], res: BatchResult
) -> tuple[pa.Table, list[dict]]:
    """Hold a batch's extracted incidents to the incidents contract."""
    if not incidents.num_rows:
        return incidents, errors
    lengths = dict(
        zip(articles.column("article_id").to_pylist(), pc.utf8_length(articles.column("text")).to_pylist())
    )
    helpers = {ARTICLE_LENGTH: [lengths[a] for a in incidents.column("article_id").to_pylist()]}
    good, items = _checked("incidents", incidents, helpers, "incident_id", res)
    return good, errors + items


def _new_quarantine(db_path: Path, qtable: pa.Table) -> pa.Table:
    """Drop quarantine rows the warehouse holds already: a source read again (changed, or after
    a crash) finds its bad records again, and the lake must not hold them twice."""
    stored = duck.seen_quarantine(db_path, qtable.select(["quarantine_id"]))
    if not stored:
        return qtable
    return qtable.filter(pc.invert(pc.is_in(qtable.column("quarantine_id"), pa.array(sorted(stored), pa.string()))))


@dataclass(kw_only=True)
class StagedBatch:
    """A batch whose new articles passed their contract and are being extracted in the pool."""

    seq: int
    result: BatchResult
    articles: pa.Table
    provenance: pa.Table
    quarantine: list[dict]
    extraction: Extraction | PrefectFuture  # .result() -> (incidents, extraction errors)
    seen: dict  # id / text hash / (id, source) -> stored id, for the next batch's dedupe


class _Seen:
    """This batch's keys, looked up after those of the batches staged but not loaded yet."""

    def __init__(self, unloaded: list[dict]) -> None:
        self.own: dict = {}
        self._unloaded = unloaded

    def get(self, key: object) -> str | None:
        found = self.own.get(key)
        for earlier in self._unloaded:
            if found is not None:
                break
            found = earlier.get(key)
        return found

    def setdefault(self, key: object, value: str) -> None:
        if self.get(key) is None:
            self.own[key] = value


def _prepare(records: list[dict], *, run_id: str, fetched_at: datetime, slice_rows: int = 1000) -> pa.Table:
    """Articles from records a slice at a time, each slice's records dropped once converted.

    A converted text would otherwise be held three times until the whole batch is done: the
    Python string, the UTF-8 copy Python caches inside it, and Arrow's.
    """
    parts = []
    while records:
        parts.append(tb.prepare_articles(records[:slice_rows], run_id=run_id, fetched_at=fetched_at))
        del records[:slice_rows]
    return pa.concat_tables(parts) if parts else tb.prepare_articles([], run_id=run_id, fetched_at=fetched_at)


@task(name="stage-batch", cache_policy=NO_CACHE, retries=0)
def stage_batch(
    raw: Batch,
    *,
    source: str,
    seq: int,
    run_id: str,
    fetched_at: datetime,
    db_path: Path,
    unloaded: list[dict] | None = None,
    window: Window | None = None,
    spool_dir: Path | None = None,
) -> StagedBatch:
    """Dedupe a batch of articles, hold them to the articles contract and start their extraction."""
    res = BatchResult()
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
        if not r.get("skip")
    ]
    res.records_skipped = sum(1 for r in raw.rejects if r.get("skip"))
    records, raw.records = raw.records, []  # consumed below, see _prepare
    res.articles_read = len(records)
    if window is not None:
        inside = [r for r in records if window.contains(r.get("published"))]
        res.articles_outside_window = len(records) - len(inside)
        records = inside
    n_records = len(records)
    articles = _prepare(records, run_id=run_id, fetched_at=fetched_at)

    # Drop what the warehouse already holds (same id or identical text) and repeats within this
    # batch or the ones staged before it but not loaded yet (`unloaded`), but remember every source
    # an article came from. Older batches are in the warehouse, so this memory stays flat.
    seen = _Seen(unloaded or [])
    stored = duck.seen_articles(db_path, articles.select(["article_id", "content_hash"]))
    keep: list[bool] = []
    final_ids: list[str] = []
    for aid, h in zip(articles.column("article_id").to_pylist(), articles.column("content_hash").to_pylist()):
        known = stored.get(aid) or seen.get(aid) or seen.get(h)
        keep.append(known is None)
        final = known or aid
        final_ids.append(final)
        seen.setdefault(aid, final)
        seen.setdefault(h, final)
    pairs = pa.table(
        {"article_id": final_ids, "source": [source] * len(final_ids), "url": articles.column("url").to_pylist()}
    )
    known_pairs = duck.seen_pairs(db_path, pairs.select(["article_id", "source"]))
    fresh_pairs = []
    for i, a in enumerate(final_ids):  # once per (article, source), even when a batch repeats an article
        if (a, source) not in known_pairs and seen.get((a, source)) is None:
            seen.setdefault((a, source), a)
            fresh_pairs.append(i)
    provenance = tb.article_source_rows(pairs.take(pa.array(fresh_pairs, pa.int64())), run_id=run_id, now=fetched_at)
    articles = articles.filter(pa.array(keep, pa.bool_()))
    res.articles_seen = n_records - articles.num_rows

    good, items = _checked("articles", articles, None, "article_id", res)
    quarantine += items
    res.articles_new = good.num_rows
    if items:  # no provenance for an article that did not make it in
        rejected = pa.array(sorted({it["article_id"] for it in items}), pa.string())
        provenance = provenance.filter(pc.invert(pc.is_in(provenance.column("article_id"), rejected)))
    return StagedBatch(
        seq=seq, result=res, articles=good, provenance=provenance, quarantine=quarantine,
        extraction=_start_extraction(good, run_id, seq, spool_dir), seen=seen.own,
    )


def _start_extraction(articles: pa.Table, run_id: str, seq: int, spool_dir: Path | None) -> Extraction | PrefectFuture:
    """Start a batch's extraction on the process pool, or on the flow's Dask cluster if it has one."""
    if cluster.active() is None:
        return Extraction(articles, run_id, spool_dir)
    return extract_batch.submit(quote(articles), run_id=run_id, seq=seq)


def _lost_to_the_cluster(task, run, state) -> bool:  # Prefect's retry_condition_fn
    """Retry an attempt the cluster lost; an error of the extraction code itself would only recur."""
    return isinstance(state.data, cluster.ClusterLost)


@task(name="extract-batch", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=2,
      retry_condition_fn=_lost_to_the_cluster)
def extract_batch(articles: pa.Table, *, run_id: str, seq: int) -> tuple[pa.Table, list[dict]]:
    """Extract a batch on the flow's Dask cluster; a worker lost mid-batch fails the attempt and
    Prefect retries the whole batch (the delay lets a nanny restart the worker). Runs on a thread
    of the flow process while the flow stages the next batch."""
    attempt = task_run.run_count
    try:
        incidents, errors, reports = cluster.extract(cluster.active(), articles, run_id, seq, attempt)
    except cluster.ClusterLost as exc:
        get_run_logger().warning("batch %d lost on the Dask cluster (attempt %d of %d): %s",
                                 seq, attempt, extract_batch.retries + 1, exc)
        raise
    get_run_logger().info(
        "batch %d: %d articles extracted on %d Dask worker process(es), %.1f CPU s",
        seq, sum(r.articles for r in reports), len({(r.worker, r.pid) for r in reports}), sum(r.cpu_s for r in reports),
    )
    return incidents, errors


@task(name="publish-batch", cache_policy=NO_CACHE, retries=0)
def publish_batch(
    group: list[StagedBatch], *, run_id: str, fetched_at: datetime, db_path: Path, lake_dir: lake.Lake | Path
) -> BatchResult:
    """Collect the incidents of staged batches, publish all their rows to the lake and load them.

    One transaction per call: a reader sees an article together with its incidents and
    provenance, or not yet; the write lock is held for one load only. Small batches (many
    small sources) come as one group, so they share one load.
    """
    res = BatchResult()
    for staged in group:
        res.add(staged.result)
    articles = pa.concat_tables([staged.articles for staged in group])
    parts = [staged.extraction.result() for staged in group]
    incidents, items = _incidents_checked(
        articles, pa.concat_tables([t for t, _ in parts]), [e for _, errs in parts for e in errs], res
    )
    res.incidents_extracted = incidents.num_rows
    quarantine = [item for staged in group for item in staged.quarantine] + items
    qtable = _new_quarantine(db_path, tb.quarantine_rows(quarantine, run_id=run_id, now=fetched_at))
    res.rows_quarantined = qtable.num_rows
    outputs = {
        "articles": articles, "article_sources": pa.concat_tables([st.provenance for st in group]),
        "incidents": incidents, "quarantine": qtable,
    }
    # One batch: the next run loads all of its files or none (a crash can publish part of it).
    for name, paths in lake.write_batch(lake_dir, outputs, run_id, group[0].seq).items():
        res.files.setdefault(name, []).extend(paths)
    if res.files:
        res.loaded = duck.load_files(db_path, lake_dir, res.files, run_id)
    return res


@task(name="load-warehouse", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=2)
def load_warehouse(
    db_path: Path, lake_dir: lake.Lake | Path, files: dict[str, list[Path]], run_id: str, events: bool = False
) -> dict[str, int]:
    """Load lake files; with `events`, also rebuild the events mart in the same transaction
    (the run's last load: the mart then reflects everything the run loaded, or nothing of it)."""
    counts = duck.load_files(db_path, lake_dir, files, run_id, derive=mart.rebuild_events if events else None)
    if "derived" in counts:
        counts["events"] = counts.pop("derived")
    return counts


@task(name="replace-incidents", cache_policy=NO_CACHE)
def replace_incidents(db_path: Path, lake_dir: Path, reprocessed: pa.Table, staged: list[Path]) -> int:
    """Swap the reprocessed articles' incidents, and the events mart built on them, in one step."""
    return duck.replace_incidents(db_path, lake_dir, reprocessed, staged, derive=mart.rebuild_events)


@task(name="rebuild-lake", cache_policy=NO_CACHE)
def rebuild_lake(db_path: Path, lake_dir: lake.Lake | Path, table: str, run_id: str) -> int:
    return duck.rebuild_lake_table(db_path, lake_dir, table, run_id)


@task(name="recover-unloaded", cache_policy=NO_CACHE)
def recover_unloaded(db_path: Path, lake_dir: lake.Lake | Path, scratch: Path | None = None) -> dict[str, int]:
    """Finish what an interrupted run left: a lake rebuild owed, lake files not yet loaded.
    `scratch`: the run's local temporary folder, when it is not the lake's own `_tmp/`."""
    with scope("recover"):
        # Staging first: a rebuild that died left its export (and the retired table) there.
        lake.clear_staging(lake_dir)
        if scratch is not None:
            lake.clear_folder(scratch)
        checkpoint("staging_cleared")
        for table in lake.pending_rebuilds(lake_dir):
            duck.rebuild_lake_table(db_path, lake_dir, table, run_id="recovered")
            lake.unmark_rebuild(lake_dir, table)
            checkpoint("rebuild.marker_removed")
        pending, partial = lake.split_partial(lake_dir, duck.unloaded_files(db_path, lake_dir))
        for path in partial:  # part of a batch a crash interrupted: its sources are read again
            lake.delete_files(lake_dir, [path])
            checkpoint("partial_removed")
        if not pending:
            return {}
        return duck.load_files(db_path, lake_dir, pending, run_id="recovered")


@task(name="reprocess-batch", cache_policy=NO_CACHE)
def reprocess_batch(
    articles: pa.Table, *, seq: int, run_id: str, now: datetime, db_path: Path, lake_dir: Path, staging: Path
) -> BatchResult:
    """Re-extract stored articles: new incidents go to a staging area until the swap."""
    res = BatchResult(articles_read=articles.num_rows)
    incidents, items = _incidents_checked(articles, *_start_extraction(articles, run_id, seq, staging).result(), res)
    res.incidents_extracted = incidents.num_rows
    staged = lake.write_rows(staging, "incidents", incidents, run_id, seq)
    if staged:
        res.files["staged_incidents"] = staged
    qtable = _new_quarantine(db_path, tb.quarantine_rows(items, run_id=run_id, now=now))
    res.rows_quarantined = qtable.num_rows
    if qtable.num_rows:
        res.files["quarantine"] = lake.write_rows(lake_dir, "quarantine", qtable, run_id, seq)
    return res

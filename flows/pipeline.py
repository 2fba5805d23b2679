"""The main job: read sources -> articles -> incidents -> validate -> lake -> warehouse -> runs.

This module only wires steps together; what each step does lives in `sources/`,
`transforms/`, `expectations/` and `warehouse/`.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

import pyarrow as pa
from prefect import flow, get_run_logger
from prefect.utilities.annotations import quote

from expectations.outcome import stored
from flows import cluster, parallel
from flows.tasks import (
    BatchResult,
    Counts,
    StagedBatch,
    load_warehouse,
    publish_batch,
    rebuild_lake,
    recover_unloaded,
    replace_incidents,
    reprocess_batch,
    stage_batch,
)
from model.schema import RUNS, VALIDATIONS
from runtime.lock import run_lock
from runtime.settings import Settings
from sources import FetchState, SourceError, SourceSpec, read_source
from transforms.batch import Window, month_of
from transforms.extract import EXTRACTOR_VERSION
from warehouse import duck, lake
from warehouse.crashpoints import checkpoint, scope


@dataclass(kw_only=True)
class RunSummary(Counts):
    run_id: str
    kind: str = "run"
    status: str = "running"
    sources_read: int = 0
    sources_unchanged: int = 0
    source_errors: dict[str, str] = field(default_factory=dict)
    recovered: dict[str, int] = field(default_factory=dict)
    loaded: dict[str, int] = field(default_factory=dict)
    events: int = 0  # rows of the events mart after the run
    data_dir: str = ""

    @property
    def changed(self) -> bool:
        return bool(self.loaded or self.recovered)

    def as_dict(self) -> dict:
        d = asdict(self)
        d["changed"] = self.changed
        return d


def _run_row(s: RunSummary, started: datetime, finished: datetime) -> pa.Table:
    row = {
        "run_id": s.run_id,
        "kind": s.kind,
        "started_at": started,
        "finished_at": finished,
        "status": s.status,
        "sources_read": s.sources_read,
        "sources_failed": len(s.source_errors),
        "source_errors": json.dumps(s.source_errors, ensure_ascii=False) if s.source_errors else None,
        "articles_read": s.articles_read,
        "articles_new": s.articles_new,
        "articles_seen": s.articles_seen,
        "incidents_extracted": s.incidents_extracted,
        "incidents_new": s.loaded.get("incidents", 0),
        "rows_quarantined": s.rows_quarantined,
        "extractor_version": EXTRACTOR_VERSION,
        "month": month_of(started),
    }
    return pa.Table.from_pylist([row], schema=RUNS)


def _run_rows(s: RunSummary, validations: dict, started: datetime, finished: datetime) -> dict[str, pa.Table]:
    """The run's `runs` row and what its validations found (one lake batch: both or neither)."""
    found = [{**row, "month": month_of(started)} for row in stored(validations, s.run_id, started)]
    return {"runs": _run_row(s, started, finished), "validations": pa.Table.from_pylist(found, schema=VALIDATIONS)}


def _new_run_id(started: datetime) -> str:
    return started.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]


@flow(name="incidents-run", log_prints=False, persist_result=False, validate_parameters=False)
def ingest(sources: list[SourceSpec], settings: Settings, window: Window | None = None) -> RunSummary:
    with run_lock(settings.data_dir), scope("run"), cluster.using(settings.dask, settings.workers):
        checkpoint("locked")  # Prefect has recorded the flow run as running
        return _ingest(sources, settings, window)


def _ingest(sources: list[SourceSpec], settings: Settings, window: Window | None) -> RunSummary:
    log = get_run_logger()
    started = datetime.now(UTC)
    run_id = _new_run_id(started)
    db_path, lake_dir = settings.warehouse_path, lake.at(settings.lake_url)
    summary = RunSummary(run_id=run_id, data_dir=str(settings.data_dir))

    summary.recovered = recover_unloaded(db_path, lake_dir, settings.scratch_dir)
    checkpoint("task.recover-unloaded")
    if summary.recovered:
        log.warning("loaded lake files left by an interrupted run: %s", summary.recovered)

    states = duck.source_states(db_path)
    new_states: list[dict] = []
    total = BatchResult()
    seq = 0
    pending: list[StagedBatch] = []  # staged, not yet published: one batch, or several small ones
    publish_args = {"run_id": run_id, "fetched_at": started, "db_path": db_path, "lake_dir": lake_dir}
    for spec in sources:
        old = states.get(spec.name)
        state = FetchState(old["etag"], old["last_modified"], old["fingerprint"]) if old else None
        try:
            batches, new_state, unchanged = read_source(
                spec, batch_size=settings.batch_size, state=None if window else state
            )
            if unchanged:
                summary.sources_unchanged += 1
                log.info("%s: unchanged since the last run, skipped", spec.name)
            for raw in batches:
                seq += 1
                # quote(): Prefect would otherwise walk every record on each call to track
                # dependencies, which costs more than the work itself.
                staged = stage_batch(
                    quote(raw), source=spec.name, seq=seq, run_id=run_id, fetched_at=started,
                    db_path=db_path, unloaded=quote([st.seen for st in pending]), window=window,
                    spool_dir=settings.scratch_dir,
                )
                del raw  # its records are in `staged` now: free them before the next batch is read
                checkpoint("task.stage-batch")
                # Batch N is published while batch N+1 is being extracted by the workers; small
                # batches (small sources) wait for each other, so that they share one load.
                if sum(st.result.articles_read for st in pending) >= settings.batch_size // 2:
                    total.add(publish_batch(quote(pending), **publish_args))
                    checkpoint("task.publish-batch")
                    pending = []
                pending.append(staged)
        except SourceError as exc:
            summary.source_errors[spec.name] = str(exc)
            log.error("source %s failed: %s", spec.name, exc)
            continue
        summary.sources_read += 1
        if window is not None:
            continue  # a backfill read only part of each source: the next full run must read it all
        new_states.append(
            {
                "source": spec.name,
                "location": spec.location,
                "etag": new_state.etag,
                "last_modified": new_state.last_modified,
                "fingerprint": new_state.fingerprint,
                "run_id": run_id,
                "updated_at": started,
            }
        )

    if pending:
        total.add(publish_batch(quote(pending), **publish_args))
        checkpoint("task.publish-batch")
    parallel.release()  # every batch is extracted: the last load and the mart run without the workers

    for name, value in total.counts().items():
        setattr(summary, name, value)
    summary.status = "failed_sources" if summary.source_errors else "ok"
    summary.loaded = dict(total.loaded)

    finished = datetime.now(UTC)
    files: dict = {}
    if summary.changed or summary.source_errors:
        files = lake.write_batch(lake_dir, _run_rows(summary, total.validations, started, finished), run_id, 0)
    else:  # a rerun with nothing new writes nothing: its check is the sources' `source_state` row
        log.info("run %s: nothing new, no lake object or `runs` row written", run_id)
    # The events mart is rebuilt with the run's last load, every run: a run that died before this
    # point left the mart behind its incidents, and the next run (even one with nothing new) heals it.
    summary.events = load_warehouse(db_path, lake_dir, files, run_id, events=True).get("events", 0)
    checkpoint("task.load-warehouse")
    # Source state is saved only after the data it describes is loaded: a crash before this
    # point makes the next run read the sources again (and find every article already stored).
    duck.save_source_states(db_path, new_states)
    checkpoint("returning")  # Prefect has not recorded the flow run's end yet
    log.info("run %s: %s", run_id, json.dumps(summary.as_dict(), default=str))
    return summary


@flow(name="incidents-scheduled", log_prints=False, persist_result=False)
def scheduled_run(config: str | None = None, data_dir: str | None = None) -> dict:
    """The deployable entry point (`incidents serve`, work pools): plain parameters only."""
    from runtime.config import load_config
    from runtime.settings import load_settings

    summary = ingest(list(load_config(config).sources), load_settings(data_dir))
    return summary.as_dict()


@flow(name="incidents-reprocess", log_prints=False, persist_result=False, validate_parameters=False)
def reprocess(settings: Settings, everything: bool = False) -> RunSummary:
    """Re-extract stored articles with the current extractor and swap their incidents in one step."""
    with run_lock(settings.data_dir), scope("reprocess"), cluster.using(settings.dask, settings.workers):
        checkpoint("locked")
        return _reprocess(settings, everything)


def _reprocess(settings: Settings, everything: bool) -> RunSummary:
    log = get_run_logger()
    started = datetime.now(UTC)
    run_id = _new_run_id(started)
    db_path, lake_dir = settings.warehouse_path, lake.at(settings.lake_url)
    summary = RunSummary(run_id=run_id, kind="reprocess", data_dir=str(settings.data_dir))
    summary.recovered = recover_unloaded(db_path, lake_dir, settings.scratch_dir)
    checkpoint("task.recover-unloaded")
    staging = settings.scratch_dir / f"reprocess-{run_id}"  # local: only the swap reads it
    total = BatchResult()
    ids: list[pa.Array] = []
    batches = duck.articles_to_reprocess(db_path, EXTRACTOR_VERSION, everything, settings.batch_size)
    for seq, articles in enumerate(batches, start=1):
        ids.append(articles.column("article_id").combine_chunks())
        total.add(
            reprocess_batch(
                quote(articles), seq=seq, run_id=run_id, now=started, db_path=db_path, lake_dir=lake_dir,
                staging=staging,
            )
        )
        checkpoint("task.reprocess-batch")
    parallel.release()
    for name, value in total.counts().items():
        setattr(summary, name, value)
    if ids:
        reprocessed = pa.table({"article_id": pa.concat_arrays(ids)})
        before = duck.table_counts(db_path).get("incidents", 0)
        # The lake rebuild is owed from the moment the warehouse changes: a marker makes an
        # interrupted reprocess finish the rebuild at the start of the next run.
        lake.mark_rebuild(lake_dir, "incidents")
        checkpoint("marker_set")
        after = replace_incidents(db_path, lake_dir, reprocessed, total.files.get("staged_incidents", []))
        checkpoint("task.replace-incidents")
        rebuild_lake(db_path, lake_dir, "incidents", run_id)
        checkpoint("task.rebuild-lake")
        lake.unmark_rebuild(lake_dir, "incidents")
        checkpoint("marker_removed")
        summary.loaded = {"incidents": after - before} if after != before else {}
    summary.status = "ok"
    files = {"quarantine": total.files.get("quarantine", [])}
    files |= lake.write_batch(lake_dir, _run_rows(summary, total.validations, started, datetime.now(UTC)), run_id, 0)
    # The swap above rebuilt the events mart with the new incidents; here it is only checked (and
    # built when nothing was swapped and the mart is missing, e.g. in a warehouse older than it).
    summary.events = load_warehouse(db_path, lake_dir, files, run_id, events=True).get("events", 0)
    checkpoint("task.load-warehouse")
    import shutil

    shutil.rmtree(staging, ignore_errors=True)
    checkpoint("returning")
    log.info("reprocess %s: %s", run_id, json.dumps(summary.as_dict(), default=str))
    return summary

"""Extraction on every core: a process pool that lives while a run extracts.

Extraction is pure Python and CPU-bound, so threads would not help; each batch is split into
equal tasks, one per worker but none over `MAX_PER_TASK` articles, and extracted in worker
processes. The CLI forks the workers before Prefect or GX start any thread and after the
gazetteer is loaded, so the workers share its memory copy-on-write instead of loading three
copies (`start_pool`). Without that (a flow run started by a Prefect worker), a spawned pool is
made on first use. With one worker, or a batch too small to be worth the round trip,
extraction runs in-process.

`Extraction` submits a batch and returns at once, so the flow prepares, validates and loads
the neighbouring batches in the main process while the workers extract this one.
"""

from __future__ import annotations

import atexit
import gc
import multiprocessing
import os
import tempfile
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

import pyarrow as pa

from runtime.settings import load_settings
from transforms.batch import EXTRACTION_COLUMNS, extract_incidents
from warehouse.crashpoints import checkpoint

MIN_PER_WORKER = 200  # below this, pickling the chunk costs more than it saves
# A task's result (its incidents as Arrow, pickled back) and the Python objects it makes are freed
# after the task but stay in the worker's heap: tasks of at most this many articles keep a worker's
# memory near its gazetteer (20,000 attack-dense articles: a worker's peak 173 -> 122 MB PSS; the
# 100,000 run's peak 1,150 -> 1,072 MB, bench/README).
MAX_PER_TASK = 1_000

_pool: ProcessPoolExecutor | None = None
_pool_size = 0
_forked = False  # the pool is start_pool's: this command's own, for its one flow run


def workers() -> int:
    """Extraction processes (INCIDENTS_WORKERS, default one per core), read when a pool is sized."""
    return load_settings().workers


def _warm() -> None:
    from transforms import gazetteer
    from transforms.extract import extract_article

    extract_article("warm-up", article_id="warm-up")  # loads the gazetteer and compiles the rules
    gazetteer.load().fuzzy("warm-up", "RU-MOS")  # builds the fuzzy index once, before any fork


def _get_pool(n: int) -> ProcessPoolExecutor:
    global _pool, _pool_size
    if _pool is None or _pool_size != n:
        shutdown()
        _pool = ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("spawn"), initializer=_warm)
        _pool_size = n
    return _pool


def start_pool() -> None:
    """Fork the extraction workers now; call before anything starts a thread (Prefect, GX)."""
    global _pool, _pool_size, _forked
    n = workers()
    if n <= 1 or _pool is not None or threading.active_count() > 1:
        return
    _warm()  # load the gazetteer in the parent: the forked workers share its pages
    # Objects alive now are never collected: the children's garbage collector then leaves
    # them (and their pages) alone instead of copying every page it walks.
    gc.freeze()
    _pool = ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("fork"))
    _pool_size = n
    _forked = True
    list(_pool.map(_noop, range(n)))  # start the workers while the parent is still single-threaded


def _noop(_: int) -> None:
    return None


def shutdown() -> None:
    global _pool
    if _pool is not None:
        _pool.shutdown(cancel_futures=True)
        _pool = None


atexit.register(shutdown)


def release() -> None:
    """Stop the workers `start_pool` forked for this command once its flow has extracted its last
    batch: the run's last load and the events mart's rebuild then run without two idle workers
    beside them (on 100,000 attack-dense articles the run's memory peaked there). A pool made on
    first use (`incidents serve`, a Prefect worker) stays for the next flow run."""
    global _forked
    if _forked:
        shutdown()
        _forked = False


class Extraction:
    """A batch's extraction, running in the worker pool while the caller does other work.

    The batch reaches the workers as an Arrow IPC file in `spool_dir` that each worker
    memory-maps, not as pickles: a pickled chunk is a copy held by the caller until the chunk
    is done, plus the pickle bytes on both sides, ~4x the batch's text in transit. The file is
    removed once the results are in; a crashed run's leftovers go with the lake's staging area.
    """

    def __init__(self, articles: pa.Table, run_id: str, spool_dir: Path | None = None) -> None:
        n = min(workers(), articles.num_rows // MIN_PER_WORKER)
        self._done: tuple[pa.Table, list[dict]] | None = None
        self._futures: list[Future] = []
        self._spool: Path | None = None
        if n <= 1:
            self._done = extract_incidents(articles, run_id=run_id)
            return
        pool = _get_pool(workers())
        self._spool = _spool(articles.select(list(EXTRACTION_COLUMNS)), spool_dir)
        checkpoint("extract.spooled")
        size = min(-(-articles.num_rows // n), MAX_PER_TASK)
        self._futures = [
            pool.submit(_extract_chunk, str(self._spool), i, size, run_id)
            for i in range(0, articles.num_rows, size)
        ]

    def result(self) -> tuple[pa.Table, list[dict]]:
        if self._done is None:
            try:
                parts = [f.result() for f in self._futures]
            finally:
                self._discard()
            self._done = pa.concat_tables([t for t, _ in parts]), [e for _, errs in parts for e in errs]
            self._futures = []
        return self._done

    def _discard(self) -> None:
        if self._spool is not None:
            self._spool.unlink(missing_ok=True)
            self._spool = None


def _spool(table: pa.Table, spool_dir: Path | None) -> Path:
    """Write the table uncompressed, so that a worker's memory map reads it without a copy."""
    if spool_dir is not None:
        spool_dir.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix="extract-", suffix=".arrow", dir=spool_dir)
    with os.fdopen(fd, "wb") as fh, pa.ipc.new_file(fh, table.schema) as writer:
        writer.write_table(table)
    return Path(name)


def _extract_chunk(path: str, offset: int, length: int, run_id: str) -> tuple[pa.Table, list[dict]]:
    with pa.memory_map(path) as source:
        chunk = pa.ipc.open_file(source).read_all().slice(offset, length)
        return extract_incidents(chunk, run_id=run_id)

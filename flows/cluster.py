"""Extraction on a Dask cluster (`incidents run --dask ADDRESS`, `--dask local`).

The flow keeps its shape: stage and publish run in the flow process (the warehouse keeps one
writer) and only the extraction of each batch goes to the cluster, from the `extract-batch`
Prefect task (`flows/tasks.py`), which runs on a thread of the flow process and uses a Dask
client. Why not prefect-dask's DaskTaskRunner, which would run that task inside a worker
(measured, bench/README.md "Extraction on a Dask cluster"):

- Prefect's retries live in the task's engine. Here the engine stays in the flow process, so a
  worker that dies mid-batch fails one attempt and Prefect runs the batch again; in a worker the
  retry loop dies with the worker (PrefectHQ/prefect#5925).
- Workers need this package's extraction code and nothing else: no Prefect engine per chunk, no
  route back to the run's Prefect API (the CLI's temporary server listens on 127.0.0.1 only).

What travels: a batch is cut into one chunk per worker thread (at least MIN_CHUNK articles each);
each chunk goes out as an Arrow IPC stream of the four columns the extractor reads (scattered to
the workers, not pickled records), and comes back as the incidents' Arrow IPC stream, the
extraction errors (quarantine items) and a `WorkerReport`. A worker process loads the gazetteer
once (`transforms.gazetteer.load` is cached per process): the first chunk it takes pays for it.

Nothing is doubled: results exist only in the flow, assembled once every chunk of an attempt is
in. An attempt that lost a chunk (worker died, scheduler gone) is dropped whole and the batch is
extracted again. Futures are released as soon as their results are in, so a worker dying later
holds nothing the scheduler would recompute (PrefectHQ/prefect#15442).

`distributed` is imported only when a cluster is used: the default path (the process pool of
`flows/parallel.py`) does not pay for it.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

import pyarrow as pa

from warehouse.crashpoints import checkpoint

if TYPE_CHECKING:
    from distributed import Client, LocalCluster

LOCAL = "local"  # INCIDENTS_DASK_ADDRESS / --dask value that starts a LocalCluster
MIN_CHUNK = 200  # articles; below this a chunk's round trip costs more than it saves
SLICE = 250  # articles per extraction call on a worker (a crash point between slices)
EVENT_TOPIC = "incidents-extraction"  # the workers' records of what they extracted (Client.get_events)


class ClusterError(Exception):
    """The cluster cannot be used (unreachable, no workers); one line for the user."""


class ClusterLost(Exception):
    """An attempt lost work to the cluster (a worker died, the scheduler went away): retry the batch."""


@dataclass(frozen=True)
class WorkerReport:
    """What one worker did with one chunk: the evidence that extraction ran there."""

    worker: str  # the worker's address
    pid: int
    batch: int  # the batch's sequence number in its run
    chunk: int  # the chunk's place in its batch, from 0
    articles: int
    incidents: int
    cpu_s: float  # CPU time of the worker thread that extracted the chunk
    gazetteer_loads: int  # gazetteer loads in this worker process so far: 1 once it is warm
    extractor_version: str  # the worker's code: must be the run's (incidents carry it, reprocess reads it)


@dataclass
class Cluster:
    """A client connected to a scheduler, and the LocalCluster behind it when we started one."""

    address: str  # as asked for: a scheduler address or "local"
    client: Client
    local: LocalCluster | None = None

    def threads(self) -> int:
        """Worker threads now: how many chunks a batch is cut into."""
        return sum(self.client.nthreads().values())

    def close(self) -> None:
        self.client.close()
        if self.local is None:
            return
        # Every result is in by now. A worker slow to exit (a loaded machine) is killed by its nanny
        # after 4 s, which Dask logs as a WARNING; nothing is lost, so a good run's log stays clean.
        nanny = logging.getLogger("distributed.nanny")
        level = nanny.level
        nanny.setLevel(logging.ERROR)
        try:
            self.local.close()
        finally:
            nanny.setLevel(level)


_connected: Cluster | None = None  # set by connect(), kept for the process (the CLI's run)
_active: Cluster | None = None  # the cluster of the flow run in progress, see using()


def connect(address: str, workers: int = 1) -> Cluster:
    """Connect to the scheduler at `address`, or start a LocalCluster of `workers` single-threaded
    worker processes for "local". Raises ClusterError with a one-line reason."""
    global _connected
    if _connected is not None and _connected.address == address:
        return _connected
    disconnect()
    import distributed  # noqa: F401 - sets up Dask's logging, which the next line quiets

    # Dask logs each connection, worker and cluster step at INFO; a run's log shows WARNING and up.
    logging.getLogger("distributed").setLevel(logging.WARNING)
    cluster = _local(workers) if address == LOCAL else _remote(address)
    try:
        _same_extractor(cluster.client.run(_extractor_version).items())
    except BaseException:
        cluster.close()
        raise
    _connected = cluster
    return cluster


def _extractor_version() -> str:
    """On each worker, at connection: also loads the gazetteer there, before the first chunk."""
    from transforms.extract import EXTRACTOR_VERSION

    return EXTRACTOR_VERSION


def _same_extractor(versions: Iterable[tuple[str, str]]) -> None:
    """A worker on other code would write incidents of another extractor version into this run."""
    from transforms.extract import EXTRACTOR_VERSION

    other = {worker: v for worker, v in versions if v != EXTRACTOR_VERSION}
    if other:
        worker, version = next(iter(other.items()))
        raise ClusterError(
            f"{len(other)} Dask worker(s) run another extractor ({worker}: {version}; this run: {EXTRACTOR_VERSION}): "
            "start them from the same version of the project"
        )


def _timeout() -> float:
    """Dask's own connect timeout (DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT, default 30 s)."""
    import dask
    from dask.utils import parse_timedelta

    return parse_timedelta(dask.config.get("distributed.comm.timeouts.connect"), default="seconds")


def _remote(address: str) -> Cluster:
    from distributed import Client

    timeout = _timeout()
    try:
        client = Client(address, set_as_default=False, timeout=timeout)
    except (OSError, TimeoutError, ValueError) as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at {address}: {_one_line(exc)}") from None
    try:
        client.wait_for_workers(1, timeout=timeout)
    except (OSError, TimeoutError) as exc:
        client.close()
        raise ClusterError(f"the Dask scheduler at {address} has no workers ({_one_line(exc)})") from None
    return Cluster(address, client)


def _local(workers: int) -> Cluster:
    """Worker processes with one thread each: extraction is pure Python, so threads of one
    process would share one core (the GIL). No dashboard (bokeh is not a dependency)."""
    from distributed import Client, LocalCluster

    local = LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
        dashboard_address=None, silence_logs=logging.WARNING,
    )
    return Cluster(LOCAL, Client(local, set_as_default=False), local)


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 300 else text[:300] + "…"


def disconnect() -> None:
    global _connected
    if _connected is not None:
        cluster, _connected = _connected, None
        cluster.close()


def active() -> Cluster | None:
    """The cluster the running flow extracts on; None: the process pool."""
    return _active


@contextmanager
def using(address: str | None, workers: int = 1) -> Iterator[Cluster | None]:
    """Extract on `address` for the duration of a flow run (None: the process pool).

    A cluster the CLI connected before the flow started is reused (and left to the CLI to
    close); otherwise the flow connects here and disconnects at the end.
    """
    global _active
    owned = address is not None and (_connected is None or _connected.address != address)
    _active = connect(address, workers) if address is not None else None
    try:
        yield _active
    finally:
        _active = None
        if owned:
            disconnect()


def to_ipc(table: pa.Table) -> pa.Buffer:
    """One Arrow IPC stream: a single buffer Dask sends without pickling its contents."""
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue()


def from_ipc(buf: pa.Buffer) -> pa.Table:
    return pa.ipc.open_stream(buf).read_all()


def extract(
    cluster: Cluster, articles: pa.Table, run_id: str, seq: int, attempt: int,
) -> tuple[pa.Table, list[dict], list[WorkerReport]]:
    """Extract batch `seq` on the cluster, chunk by chunk; raise ClusterLost if any chunk is lost.

    A worker that dies takes the chunks scattered to it with it, whichever batch they belong to:
    each of those batches fails its attempt and is retried whole."""
    from transforms.batch import EXTRACTION_COLUMNS

    client = cluster.client
    columns = articles.select(list(EXTRACTION_COLUMNS))
    n = max(1, min(cluster.threads(), columns.num_rows // MIN_CHUNK))
    size = max(1, -(-columns.num_rows // n))
    chunks = [to_ipc(columns.slice(i, size)) for i in range(0, max(columns.num_rows, 1), size)]
    data, futures = [], []
    try:
        data = client.scatter(chunks, hash=False)  # round robin over the workers
        futures = [client.submit(extract_chunk, d, run_id, seq, i, attempt, pure=False) for i, d in enumerate(data)]
        results = client.gather(futures)
    except _lost_errors() as exc:
        client.cancel(futures)
        raise ClusterLost(f"{type(exc).__name__}: {_one_line(exc)}") from None
    finally:
        for f in [*futures, *data]:
            f.release()
    _same_extractor((r.worker, r.extractor_version) for _, _, r in results)  # a worker that joined later
    tables = [from_ipc(buf) for buf, _, _ in results]
    return pa.concat_tables(tables), [e for _, errs, _ in results for e in errs], [r for _, _, r in results]


def _lost_errors() -> tuple[type[BaseException], ...]:
    """What the cluster raises when it lost work: the chunk's worker died (its scattered input
    went with it: FutureCancelledError), the scheduler gave up on it (KilledWorker), or the
    connection broke. An exception raised by the extraction code itself is not among them."""
    from distributed.client import FutureCancelledError
    from distributed.comm.core import CommClosedError
    from distributed.scheduler import KilledWorker

    return (FutureCancelledError, KilledWorker, CommClosedError, asyncio.CancelledError, OSError, TimeoutError)


def extract_chunk(
    ipc: pa.Buffer, run_id: str, seq: int, chunk: int, attempt: int,
) -> tuple[pa.Buffer, list[dict], WorkerReport]:
    """On a worker: extract one chunk (Arrow in, Arrow out) and record it with the scheduler."""
    from transforms import gazetteer
    from transforms.batch import extract_incidents
    from transforms.extract import EXTRACTOR_VERSION

    start = time.thread_time()
    articles = from_ipc(ipc)
    parts, errors = [], []
    for offset in range(0, max(articles.num_rows, 1), SLICE):
        table, errs = extract_incidents(articles.slice(offset, SLICE), run_id=run_id)
        parts.append(table)
        errors.extend(errs)
        checkpoint(f"worker.batch-{seq}.chunk-{chunk}.attempt-{attempt}")  # the crash test's worker dies here
    incidents = pa.concat_tables(parts)
    report = WorkerReport(
        worker=_worker_address(), pid=os.getpid(), batch=seq, chunk=chunk, articles=articles.num_rows,
        incidents=incidents.num_rows,
        cpu_s=round(time.thread_time() - start, 3), gazetteer_loads=gazetteer.load.cache_info().misses,
        extractor_version=EXTRACTOR_VERSION,
    )
    _record(report)
    return to_ipc(incidents), errors, report


def _worker_address() -> str:
    from distributed import get_worker

    try:
        return get_worker().address
    except ValueError:  # called outside a worker (a test of the function itself)
        return ""


def _record(report: WorkerReport) -> None:
    """Log the chunk in the scheduler's event log, where `Client.get_events` (and the dashboard) show it."""
    from distributed import get_worker

    try:
        get_worker().log_event(EVENT_TOPIC, asdict(report))
    except ValueError:
        pass

"""The two designs' flows for `bench/dask_designs.py`, in a module of their own so that Dask
pickles them by reference (workers import it: the bench puts bench/ on their PYTHONPATH). A flow
or task defined in the running script would be pickled by value with the globals it uses, the
batches included, into every task a DaskTaskRunner submits.

Imported after Prefect's API is set up (Prefect reads PREFECT_API_URL once, at import).
"""

from __future__ import annotations

from collections import deque

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.utilities.annotations import quote

from flows import cluster
from flows.tasks import extract_batch

IN_FLIGHT = 2  # batches being extracted at once, as flows/pipeline.py keeps them
BATCHES: list = []  # read by the flows, never passed to them (a flow run's parameters travel with its tasks)


@flow(name="bench-shipped", persist_result=False, validate_parameters=False)
def shipped(first: int, last: int, address: str) -> int:
    """The shipped design: `extract-batch` in the flow process, chunks to the workers by a client."""
    incidents, inflight = 0, deque()
    with cluster.using(address):
        for seq, batch in enumerate(BATCHES[first:last], start=first + 1):
            inflight.append(extract_batch.submit(quote(batch), run_id="bench", seq=seq))
            if len(inflight) >= IN_FLIGHT:
                incidents += inflight.popleft().result()[0].num_rows
        while inflight:
            incidents += inflight.popleft().result()[0].num_rows
    return incidents


@task(name="extract-chunk", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=2)
def extract_chunk(articles, run_id: str, seq: int, chunk: int):
    """The DaskTaskRunner design: Prefect's engine runs this task inside a worker."""
    from prefect.runtime import task_run

    from transforms.batch import extract_incidents
    from warehouse.crashpoints import checkpoint

    out = extract_incidents(articles, run_id=run_id)
    checkpoint(f"worker.batch-{seq}.chunk-{chunk}.attempt-{task_run.run_count}")  # where --kill's worker dies
    return out


@flow(name="bench-task-runner", persist_result=False, validate_parameters=False)
def runner(first: int, last: int, n_workers: int) -> int:
    """One task per chunk (a chunk per worker), submitted to the flow's DaskTaskRunner."""
    incidents, inflight = 0, deque()
    for seq, batch in enumerate(BATCHES[first:last], start=first + 1):
        size = -(-batch.num_rows // n_workers)
        # no quote() here: Dask takes the NamedTuple apart and the task would get a tuple
        inflight.append([extract_chunk.submit(batch.slice(offset, size), "bench", seq, i)
                         for i, offset in enumerate(range(0, batch.num_rows, size))])
        if len(inflight) >= IN_FLIGHT:
            incidents += sum(f.result()[0].num_rows for f in inflight.popleft())
    while inflight:
        incidents += sum(f.result()[0].num_rows for f in inflight.popleft())
    return incidents

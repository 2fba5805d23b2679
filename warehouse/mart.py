"""The events mart: `events` and `event_members`, rebuilt from the whole warehouse.

Rebuilt rather than updated: one new report can change which reports of neighbouring days belong
together, and the rules are deterministic, so a rebuild on the same incidents gives the same rows.
The rebuild runs inside the caller's transaction (the run's last load, or the incidents swap of a
reprocess), so a reader sees the old mart or the new one, never half of one, and never new
incidents beside an old mart after a reprocess. It is skipped while its inputs and code are
unchanged (`derived_state`), so a run that finds nothing new writes nothing; a run that died
before its last load leaves a fingerprint that no longer matches, and the next run rebuilds.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from importlib import resources

import duckdb
import pyarrow as pa

from model.schema import DERIVED_STATE, EVENT_MEMBERS, EVENTS
from transforms import events, scoring
from warehouse.crashpoints import checkpoint
from warehouse.duck import sql

MART = "events"
_CODE = ("event_inputs", "replace_events", "events_fingerprint")


def code_version() -> str:
    """Changes whenever the merge rules, the name normalisation, the mart's SQL or its schema do."""
    h = hashlib.sha256()
    for module in (events, scoring):
        h.update(resources.files("transforms").joinpath(f"{module.__name__.rsplit('.', 1)[1]}.py").read_bytes())
    for name in _CODE:
        h.update(sql(name).encode())
    h.update(str((EVENTS, EVENT_MEMBERS, sorted(events.CITY_ADMIN1))).encode())
    return h.hexdigest()[:16]


def _fingerprint(con: duckdb.DuckDBPyConnection) -> str:
    return code_version() + "|" + con.execute(sql("events_fingerprint")).fetchall()[0][0]


def _built_from(con: duckdb.DuckDBPyConnection) -> tuple[str, int] | None:
    rows = con.execute(sql("derived_state_of"), {"name": MART}).fetchall()
    return (rows[0][0], int(rows[0][1])) if rows else None


# The last rebuild's assignments, by fingerprint, until it commits: a load that runs out of memory
# is retried whole with a larger cap (`duck._transaction`; on a large warehouse the mart's SQL is
# what needs it), and the retry, on the same inputs and code, reuses them instead of merging again.
_pending: dict[str, pa.Table] = {}


def rebuild_events(con: duckdb.DuckDBPyConnection) -> int:
    """Recompute the mart from `incidents` and `articles` (inside a transaction) unless it is
    already built from exactly these; returns the number of events."""
    fingerprint = _fingerprint(con)
    built = _built_from(con)
    if built is not None and built[0] == fingerprint:
        return built[1]
    assignments = _pending.get(fingerprint)
    if assignments is None:
        _pending.clear()
        # the inputs (every incident) are freed once assigned, before the mart's SQL runs
        assignments = events.assign_events(con.sql(sql("event_inputs")).to_arrow_table())
        _pending[fingerprint] = assignments
    con.register("event_assignments", assignments)
    # not unregistered on failure: in an aborted transaction that call fails too, and would hide
    # the error the caller must see (an out-of-memory error is retried with a larger cap)
    con.execute(sql("replace_events"))
    con.unregister("event_assignments")
    checkpoint("events.rebuilt")
    n = int(con.execute(sql("count_events")).fetchall()[0][0])
    state = [{"name": MART, "fingerprint": fingerprint, "rows": n, "built_at": datetime.now(UTC)}]
    con.register("new_derived_state", pa.Table.from_pylist(state, schema=DERIVED_STATE))
    con.execute(sql("upsert_derived_state"))
    con.unregister("new_derived_state")
    _pending.clear()  # built (the caller commits; a failure after this point is not out of memory here)
    return n

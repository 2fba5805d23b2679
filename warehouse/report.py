"""`incidents report`: read what the report shows from the warehouse, on one read-only connection.

All queries run on one connection opened read-only and closed before the page is drawn (as
`incidents export` does), so the report sees one committed state of the warehouse and a run's
next load waits for no more than these reads. The SQL is in `warehouse/sql/report_*.sql`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from warehouse import duck

LATEST = 20  # events shown with their reports


def _rows(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    statement = duck.sql(name)
    used = {k: v for k, v in params.items() if f"${k}" in statement}
    return con.sql(statement, params=used).to_arrow_table().to_pylist()


def _validations(con: duckdb.DuckDBPyConnection, params: dict[str, Any]) -> dict[str, str]:
    """What the last run's validations found, per table (GX's JSON): none in a warehouse older
    than the `validations` table, or when the run validated no new rows."""
    if params["run_id"] is None or not duck._has_table(con, "validations"):
        return {}
    return {r["table_name"]: r["result"] for r in _rows(con, "report_validations", params)}


def read_report(db_path: Path, since: date | None = None, until: date | None = None) -> dict[str, Any]:
    """The rows of every report query for events dated in [since, until] (None: open)."""
    with duck.connect(db_path, read_only=True) as con:
        for table in ("events", "event_members", "runs"):
            if not duck._has_table(con, table):
                raise duck.WarehouseError(f"the warehouse at {db_path} has no {table} table yet: run `incidents run` first")
        try:
            con.execute("SET TimeZone = 'UTC'")
            params: dict[str, Any] = {"since": since, "until": until, "limit": LATEST}
            last = _rows(con, "report_last_run", params)
            params["run_id"] = last[0]["run_id"] if last else None
            return {
                "totals": _rows(con, "report_totals", params)[0],
                "daily": _rows(con, "report_daily", params),
                "points": _rows(con, "report_points", params),
                "places": _rows(con, "report_places", params),
                "latest": _rows(con, "report_latest", params),
                "quarantine": _rows(con, "report_quarantine", params),
                "last_run": last[0] if last else None,
                "ua_interceptions": _rows(con, "report_ua_interceptions", params),
                "validations": _validations(con, params),
            }
        except duckdb.Error as exc:
            raise duck.WarehouseError(str(exc).splitlines()[0]) from None

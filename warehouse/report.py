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
import pandas as pd
import pyarrow as pa

from model.schema import TABLES
from warehouse import duck

LATEST = 20  # events shown with their reports


def _rows(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    statement = duck.sql(name)
    used = {k: v for k, v in params.items() if f"${k}" in statement}
    return con.sql(statement, params=used).to_arrow_table().to_pylist()


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
            }
        except duckdb.Error as exc:
            raise duck.WarehouseError(str(exc).splitlines()[0]) from None


def last_run_frames(db_path: Path, run_id: str) -> dict[str, pd.DataFrame]:
    """The rows the run `run_id` loaded into `articles` and `incidents`, shaped as the pipeline's
    validator saw them (large texts as their lengths: `expectations.validate.frame_for`), to run
    the contracts on again for GX's Data Docs."""
    from expectations.suites import ARTICLE_LENGTH, TEXT_LENGTH

    frames: dict[str, pd.DataFrame] = {}
    with duck.connect(db_path, read_only=True) as con:
        con.execute("SET TimeZone = 'UTC'")
        for table, helper, name in (("articles", TEXT_LENGTH, "report_validation_articles"),
                                    ("incidents", ARTICLE_LENGTH, "report_validation_incidents")):
            rows = con.sql(duck.sql(name), params={"run_id": run_id}).to_arrow_table()
            schema = TABLES[table].schema
            columns = [f.name for f in schema if f.name in rows.column_names and f.name != "text"]
            typed = pa.table({c: rows.column(c).cast(schema.field(c).type) for c in columns})
            frame = typed.to_pandas()
            frame[helper] = rows.column(helper).to_pandas()
            frames[table] = frame
    return frames

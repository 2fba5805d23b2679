"""The one source of truth for every table's shape and the values its columns may hold.

The Parquet writer, the DuckDB DDL (`ddl()`), and the Great Expectations suites
(`expectations/`) are all derived from the pyarrow schemas below, so a column added
here reaches every layer at once. It lives outside `warehouse/` because extraction
(`transforms/`) builds rows of these shapes and uses the allowed values (event types,
weapons, languages) too, and extraction must not depend on the storage layer.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

EVENT_TYPES = ("interception", "strike", "debris")
EVENT_KINDS = ("interception", "impact")  # events: an impact is a strike or a debris fall
WEAPONS = ("drone", "missile", "glide_bomb", "artillery")
GEO_PRECISIONS = ("admin1", "admin2", "locality")
DATE_PRECISIONS = ("day", "month", "unknown")
LANGUAGES = ("en", "ru", "uk", "other")

_TS = pa.timestamp("us", tz="UTC")

ARTICLES = pa.schema(
    [
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("source", pa.string(), nullable=False),
        pa.field("url", pa.string()),
        pa.field("title", pa.string()),
        pa.field("published", _TS),
        pa.field("language", pa.string()),
        pa.field("text", pa.string(), nullable=False),
        pa.field("content_hash", pa.string(), nullable=False),
        pa.field("fetched_at", _TS, nullable=False),
        pa.field("run_id", pa.string(), nullable=False),
        pa.field("month", pa.string(), nullable=False),
    ]
)

# Which sources carried each article: the same story from two feeds is stored once in
# `articles`, with one row here per (article, source).
ARTICLE_SOURCES = pa.schema(
    [
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("source", pa.string(), nullable=False),
        pa.field("url", pa.string()),
        pa.field("run_id", pa.string(), nullable=False),
        pa.field("month", pa.string(), nullable=False),
    ]
)

# The columns an incident and an event share: the weapon, the place and the day (one definition).
_WHAT_WHERE_WHEN = [
        pa.field("weapon", pa.string()),
        pa.field("country", pa.string()),
        pa.field("admin1", pa.string()),
        pa.field("admin2", pa.string()),
        pa.field("locality", pa.string()),
        pa.field("latitude", pa.float64()),
        pa.field("longitude", pa.float64()),
        pa.field("geo_precision", pa.string()),
        pa.field("event_date", pa.date32()),
        pa.field("date_precision", pa.string()),
]

INCIDENTS = pa.schema(
    [
        pa.field("incident_id", pa.string(), nullable=False),
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("event_type", pa.string(), nullable=False),
        *_WHAT_WHERE_WHEN,
        pa.field("quantity", pa.int64()),
        pa.field("killed", pa.int64()),
        pa.field("injured", pa.int64()),
        pa.field("evidence", pa.string(), nullable=False),
        pa.field("evidence_start", pa.int64(), nullable=False),
        pa.field("evidence_end", pa.int64(), nullable=False),
        pa.field("extractor_version", pa.string(), nullable=False),
        pa.field("run_id", pa.string(), nullable=False),
        pa.field("month", pa.string(), nullable=False),
    ]
)

QUARANTINE = pa.schema(
    [
        pa.field("quarantine_id", pa.string(), nullable=False),
        pa.field("table_name", pa.string(), nullable=False),
        pa.field("record_id", pa.string()),
        pa.field("article_id", pa.string()),
        pa.field("source", pa.string()),
        pa.field("rule", pa.string(), nullable=False),
        pa.field("reason", pa.string(), nullable=False),
        pa.field("record", pa.string()),
        pa.field("run_id", pa.string(), nullable=False),
        pa.field("quarantined_at", _TS, nullable=False),
        pa.field("month", pa.string(), nullable=False),
    ]
)

RUNS = pa.schema(
    [
        pa.field("run_id", pa.string(), nullable=False),
        pa.field("kind", pa.string(), nullable=False),
        pa.field("started_at", _TS, nullable=False),
        pa.field("finished_at", _TS),
        pa.field("status", pa.string(), nullable=False),
        pa.field("sources_read", pa.int64()),
        pa.field("sources_failed", pa.int64()),
        pa.field("source_errors", pa.string()),
        pa.field("articles_read", pa.int64()),
        pa.field("articles_new", pa.int64()),
        pa.field("articles_seen", pa.int64()),
        pa.field("incidents_extracted", pa.int64()),
        pa.field("incidents_new", pa.int64()),
        pa.field("rows_quarantined", pa.int64()),
        pa.field("extractor_version", pa.string()),
        pa.field("month", pa.string(), nullable=False),
    ]
)

# What a run's validations found: per table, one Great Expectations suite result over every batch
# the run validated (`result`: GX's JSON, expectations/outcome.py), so that `incidents report`
# builds GX's Data Docs from it instead of validating the rows a second time. Written with the
# run's `runs` row, in the same lake batch and load; a run that validated nothing writes none.
VALIDATIONS = pa.schema(
    [
        pa.field("run_id", pa.string(), nullable=False),
        pa.field("table_name", pa.string(), nullable=False),
        pa.field("suite_name", pa.string(), nullable=False),
        pa.field("success", pa.bool_(), nullable=False),
        pa.field("batches", pa.int64(), nullable=False),
        pa.field("rows_checked", pa.int64(), nullable=False),
        pa.field("rules_failed", pa.int64(), nullable=False),
        pa.field("result", pa.string(), nullable=False),
        pa.field("month", pa.string(), nullable=False),
    ]
)


# The events mart (warehouse only, no Parquet): incidents of different articles that report one
# occurrence, merged by transforms/events.py and rebuilt by every run and reprocess.
_COUNT = pa.int64()
EVENTS = pa.schema(
    [
        pa.field("event_id", pa.string(), nullable=False),
        pa.field("event_type", pa.string(), nullable=False),
        *_WHAT_WHERE_WHEN,
        pa.field("n_incidents", _COUNT, nullable=False),
        pa.field("n_articles", _COUNT, nullable=False),
        pa.field("n_sources", _COUNT, nullable=False),
        pa.field("quantity_min", _COUNT),
        pa.field("quantity_max", _COUNT),
        pa.field("killed_min", _COUNT),
        pa.field("killed_max", _COUNT),
        pa.field("injured_min", _COUNT),
        pa.field("injured_max", _COUNT),
        pa.field("killed_best", _COUNT),
        pa.field("injured_best", _COUNT),
        pa.field("quantity_best", _COUNT),
        pa.field("first_published", _TS),
        pa.field("last_published", _TS),
        pa.field("evidence", pa.string(), nullable=False),
        pa.field("month", pa.string(), nullable=False),
    ]
)

EVENT_MEMBERS = pa.schema(
    [
        pa.field("event_id", pa.string(), nullable=False),
        pa.field("incident_id", pa.string(), nullable=False),
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("source", pa.string()),
    ]
)


# Not a table: what the merge (transforms/events.py) hands the mart's SQL (replace_events.sql),
# one row per incident with its event and the event's date.
EVENT_ASSIGNMENTS = pa.schema(
    [
        pa.field("incident_id", pa.string(), nullable=False),
        pa.field("event_id", pa.string(), nullable=False),
        pa.field("event_date", pa.date32()),
        pa.field("date_precision", pa.string(), nullable=False),
    ]
)


# Bookkeeping kept only in the warehouse (no Parquet): which lake files are loaded, and
# what each source looked like last time (for conditional GET and unchanged-file skips).
LAKE_FILES = pa.schema(
    [
        pa.field("path", pa.string(), nullable=False),
        pa.field("table_name", pa.string(), nullable=False),
        pa.field("run_id", pa.string(), nullable=False),
        pa.field("rows", pa.int64(), nullable=False),
        pa.field("loaded_at", _TS, nullable=False),
    ]
)

# What each derived table (the events mart) was last built from: its inputs' fingerprint and
# the code's version, so a run that changed nothing does not rebuild it.
DERIVED_STATE = pa.schema(
    [
        pa.field("name", pa.string(), nullable=False),
        pa.field("fingerprint", pa.string(), nullable=False),
        pa.field("rows", pa.int64(), nullable=False),
        pa.field("built_at", _TS, nullable=False),
    ]
)

SOURCE_STATE = pa.schema(
    [
        pa.field("source", pa.string(), nullable=False),
        pa.field("location", pa.string(), nullable=False),
        pa.field("etag", pa.string()),
        pa.field("last_modified", pa.string()),
        pa.field("fingerprint", pa.string()),
        pa.field("run_id", pa.string(), nullable=False),
        pa.field("updated_at", _TS, nullable=False),
    ]
)


@dataclass(frozen=True)
class Table:
    name: str
    schema: pa.Schema
    key: tuple[str, ...]
    in_lake: bool = True
    # Every table has one row per key. Only the small bookkeeping tables, which INSERT OR REPLACE
    # their rows, have a PRIMARY KEY index for it. The others keep their keys by how they are built:
    # the lake tables are loaded batch by batch, each batch's files checked for a repeated key and
    # the stored rows of their keys deleted before they are inserted (`warehouse/duck.py`,
    # upsert_from_parquet); the events mart is rebuilt whole by GROUP BY. DuckDB keeps an index in
    # memory and checks it at every COMMIT at a cost that grows with the table: a 10,000-article
    # batch's incidents took 3.3 s to load into a warehouse of 550,000 with it, 0.4 s without.
    # `warehouse.integrity` checks every table's keys after every crash test.
    indexed: bool = False


TABLES: dict[str, Table] = {
    "articles": Table("articles", ARTICLES, ("article_id",)),
    "article_sources": Table("article_sources", ARTICLE_SOURCES, ("article_id", "source")),
    "incidents": Table("incidents", INCIDENTS, ("incident_id",)),
    "quarantine": Table("quarantine", QUARANTINE, ("quarantine_id",)),
    "runs": Table("runs", RUNS, ("run_id",)),
    "validations": Table("validations", VALIDATIONS, ("run_id", "table_name")),
    "events": Table("events", EVENTS, ("event_id",), in_lake=False),
    "event_members": Table("event_members", EVENT_MEMBERS, ("incident_id",), in_lake=False),
    "lake_files": Table("lake_files", LAKE_FILES, ("path",), in_lake=False, indexed=True),
    "source_state": Table("source_state", SOURCE_STATE, ("source",), in_lake=False, indexed=True),
    "derived_state": Table("derived_state", DERIVED_STATE, ("name",), in_lake=False, indexed=True),
}
LAKE_TABLES = tuple(name for name, t in TABLES.items() if t.in_lake)

_DUCK_TYPES = {
    pa.string(): "VARCHAR",
    pa.int64(): "BIGINT",
    pa.bool_(): "BOOLEAN",
    pa.float64(): "DOUBLE",
    pa.date32(): "DATE",
    _TS: "TIMESTAMPTZ",
    pa.list_(pa.string()): "VARCHAR[]",
}


def duck_type(t: pa.DataType) -> str:
    try:
        return _DUCK_TYPES[t]
    except KeyError as exc:  # a new type in a schema must be mapped on purpose
        raise TypeError(f"no DuckDB type mapped for {t}") from exc


def ddl(table: Table) -> str:
    """CREATE TABLE statement for DuckDB, derived from the pyarrow schema."""
    cols = []
    for f in table.schema:
        null = "" if f.nullable else " NOT NULL"
        cols.append(f'    "{f.name}" {duck_type(f.type)}{null}')
    if table.indexed:
        cols.append(f"    PRIMARY KEY ({', '.join(table.key)})")
    return f"CREATE TABLE IF NOT EXISTS {table.name} (\n" + ",\n".join(cols) + "\n);"


def empty(table: str) -> pa.Table:
    return TABLES[table].schema.empty_table()

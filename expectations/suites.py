"""The data contracts for `articles` and `incidents`, as Great Expectations suites.

Column presence and not-null checks are derived from `model.schema`, so the contract
cannot drift from the tables; the domain rules (enums, code shapes, plausible ranges,
evidence offsets inside the text) are listed here, once. Bounds are deliberately generous:
they catch parser accidents ("10,000,000 drones"), not rare real events.
"""

from __future__ import annotations

from model.schema import (
    DATE_PRECISIONS,
    EVENT_TYPES,
    GEO_PRECISIONS,
    LANGUAGES,
    TABLES,
    WEAPONS,
)

# Helper columns the validator adds to the frame (never stored).
ARTICLE_LENGTH = "_article_length"
TEXT_LENGTH = "_text_length"

# Large text columns are checked through a helper column of their lengths (null where the
# text is null): GX filters and hashes the whole frame for each expectation, and carrying
# kilobytes of text per row through that cost more than all the rest of the contract.
CHECKED_BY_LENGTH = {"text": TEXT_LENGTH}

MAX_QUANTITY = 2_000  # the largest single-night launches reported are under 1,000
MAX_KILLED = 1_000
MAX_INJURED = 5_000
MAX_TEXT = 5_000_000


def _gxe():
    # Imported on first validation only: GX takes seconds to import, and a run with
    # nothing new to validate should not pay for it.
    import great_expectations.expectations as gxe

    return gxe


def _schema_checks(table: str) -> list:
    gxe = _gxe()
    schema = TABLES[table].schema
    columns = [CHECKED_BY_LENGTH.get(f.name, f.name) for f in schema if f.name != "month"]  # month: in the path
    # One table-level check for every column's presence (GX's cost is per expectation, and a
    # column-by-column ExpectColumnToExist doubled the suite for the same guarantee).
    checks: list = [gxe.ExpectTableColumnsToMatchSet(column_set=columns, exact_match=False)]
    for f in schema:
        if f.name != "month" and not f.nullable:
            checks.append(gxe.ExpectColumnValuesToNotBeNull(column=CHECKED_BY_LENGTH.get(f.name, f.name)))
    key = TABLES[table].key
    if len(key) == 1:
        checks.append(gxe.ExpectColumnValuesToBeUnique(column=key[0]))
    return checks


def article_checks() -> list:
    gxe = _gxe()
    return _schema_checks("articles") + [
        gxe.ExpectColumnValuesToMatchRegex(column="content_hash", regex=r"^[0-9a-f]{64}$"),
        gxe.ExpectColumnValuesToBeInSet(column="language", value_set=list(LANGUAGES)),
        gxe.ExpectColumnValuesToMatchRegex(column="url", regex=r"^(?:https?|file|tg)://\S+$"),
        gxe.ExpectColumnValuesToBeBetween(column=TEXT_LENGTH, min_value=1, max_value=MAX_TEXT),
    ]


def incident_checks() -> list:
    gxe = _gxe()
    return _schema_checks("incidents") + [
        gxe.ExpectColumnValuesToBeInSet(column="event_type", value_set=list(EVENT_TYPES)),
        gxe.ExpectColumnValuesToBeInSet(column="weapon", value_set=list(WEAPONS)),
        gxe.ExpectColumnValuesToBeInSet(column="geo_precision", value_set=list(GEO_PRECISIONS)),
        gxe.ExpectColumnValuesToBeInSet(column="date_precision", value_set=list(DATE_PRECISIONS)),
        gxe.ExpectColumnValuesToMatchRegex(column="country", regex=r"^[A-Z]{2}$"),
        gxe.ExpectColumnValuesToMatchRegex(column="admin1", regex=r"^[A-Z]{2}-[A-Z0-9]{1,3}$"),
        gxe.ExpectColumnValuesToBeBetween(column="quantity", min_value=0, max_value=MAX_QUANTITY),
        gxe.ExpectColumnValuesToBeBetween(column="killed", min_value=0, max_value=MAX_KILLED),
        gxe.ExpectColumnValuesToBeBetween(column="injured", min_value=0, max_value=MAX_INJURED),
        gxe.ExpectColumnValuesToBeBetween(column="latitude", min_value=-90, max_value=90),
        gxe.ExpectColumnValuesToBeBetween(column="longitude", min_value=-180, max_value=180),
        gxe.ExpectColumnValuesToBeBetween(column="evidence_start", min_value=0),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="evidence_end", column_B="evidence_start", or_equal=False
        ),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A=ARTICLE_LENGTH, column_B="evidence_end", or_equal=True
        ),
    ]


SUITES = {"articles": article_checks, "incidents": incident_checks}

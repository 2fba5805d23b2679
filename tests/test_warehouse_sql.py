"""Statements live in warehouse/sql/ with named parameters; a table name reaches SQL text only
from the schema's fixed set."""

from __future__ import annotations

import pytest

from warehouse import duck


def test_table_names_in_sql_text_come_from_the_schema_only():
    text = duck.sql_on_table("delete_keys_in_parquet", "article_sources")
    assert "DELETE FROM article_sources AS t" in text
    assert "t.article_id = s.article_id AND t.source = s.source" in text
    assert "{" + "table}" not in text
    with pytest.raises(ValueError, match="not a table"):
        duck.sql_on_table("insert_from_parquet", "incidents; DROP TABLE articles")

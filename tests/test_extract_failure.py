"""An extraction that fails raises, and the batch layer turns it into a quarantine row, not a crash."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from conftest import fail_extraction_for

import transforms.batch as tb
import transforms.extract as ex


def test_extract_article_lets_a_failure_out(monkeypatch):
    def broken(*args):
        raise RuntimeError("rule bug")

    monkeypatch.setattr(ex, "_extract", broken)
    with pytest.raises(RuntimeError, match="rule bug"):
        ex.extract_article("Air defence shot down two drones over the Kursk region.", article_id="a")


def test_a_raising_extraction_becomes_a_quarantine_row_with_its_reason(monkeypatch):
    fail_extraction_for(monkeypatch, "boom", ValueError("odd article"))
    records = [
        {"article_id": aid, "source": "t", "text": "Air defence shot down two drones over the Kursk region.",
         "published": datetime(2026, 3, 1, tzinfo=UTC)}
        for aid in ("fine", "boom")
    ]
    articles = tb.prepare_articles(records, run_id="r", fetched_at=datetime.now(UTC))
    incidents, errors = tb.extract_incidents(articles, run_id="r")
    assert set(incidents.column("article_id").to_pylist()) == {"fine"}
    assert errors == [{"table_name": "incidents", "record_id": "boom", "article_id": "boom",
                       "rule": "extraction_error", "reason": "ValueError: odd article"}]

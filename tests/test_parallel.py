"""Extraction on the worker pool: the same incidents as in-process, and no spool file left."""

from __future__ import annotations

from datetime import UTC, datetime

from flows.parallel import MIN_PER_WORKER, Extraction, shutdown, workers
from transforms.batch import extract_incidents, prepare_articles

REPORTS = [
    "Air defence destroyed {n} drones over the Belgorod region overnight, the governor said.",
    "Ночью над Курской областью сбили {n} беспилотников, сообщил губернатор.",
    "Уламки дрона впали на житловий будинок у Харкові, {n} людей поранено.",
    "The city council approved a new budget for {n} schools on Tuesday.",
]


def test_the_pool_gives_the_incidents_of_in_process_extraction_and_cleans_its_spool(tmp_path, monkeypatch):
    monkeypatch.setenv("INCIDENTS_WORKERS", "2")
    n = 2 * MIN_PER_WORKER + 50  # enough for two chunks on two workers
    records = [
        {"article_id": f"p{i}", "source": "t", "text": REPORTS[i % len(REPORTS)].format(n=2 + i % 7),
         "published": datetime(2026, 3, 1 + i % 20, tzinfo=UTC)}
        for i in range(n)
    ]
    articles = prepare_articles(records, run_id="r", fetched_at=datetime.now(UTC))
    spool = tmp_path / "spool"
    try:
        assert workers() == 2
        pooled, pooled_errors = Extraction(articles, "r", spool).result()
    finally:
        shutdown()
    alone, alone_errors = extract_incidents(articles, run_id="r")
    assert pooled.num_rows == alone.num_rows > n // 2
    assert pooled.sort_by("incident_id").equals(alone.sort_by("incident_id"))
    assert pooled_errors == alone_errors == []
    assert list(spool.iterdir()) == []  # the batch's Arrow file is gone once extracted

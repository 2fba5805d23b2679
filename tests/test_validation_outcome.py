"""What a run keeps of its validations (expectations/outcome.py), held to GX itself.

The run validates batch by batch, asking GX for pass/fail only unless a batch fails, and adds the
batches up into one suite result per table. That result must say what GX says when it validates
all those rows at once with the SUMMARY format (what the report used to do, a second time): the
same success, counts, percentages and first unexpected values for every rule. Real GX, no stubs;
the batches mix passing and failing ones, nulls in optional columns, a rule failing more often
than the 20 examples GX keeps, and a column pair with one side missing.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

import pandas as pd
import pyarrow as pa
import pytest

from expectations import outcome as oc
from expectations.suites import ARTICLE_LENGTH
from expectations.validate import ROW, _definition, frame_for, validate
from model.schema import ARTICLES, INCIDENTS

NOW = datetime(2025, 4, 14, 6, 0, tzinfo=UTC)
INDEX_KEYS = {"partial_unexpected_index_list", "unexpected_index_column_names"}  # row numbers of one batch


def _article(i: int) -> dict:
    text = f"Air defence shot down {i + 1} drones over the Kursk region."
    return {"article_id": f"a{i:03d}", "source": "wire", "url": f"https://example.org/{i}",
            "title": None if i % 4 == 0 else f"Drones {i}", "published": None if i % 5 == 0 else NOW,
            "language": "en", "text": text, "content_hash": hashlib.sha256(text.encode()).hexdigest(),
            "fetched_at": NOW, "run_id": "r1", "month": "2025-04"}


def _articles(n: int, bad: dict[int, dict]) -> pa.Table:
    return pa.Table.from_pylist([{**_article(i), **bad.get(i, {})} for i in range(n)], schema=ARTICLES)


def _incident(i: int) -> dict:
    return {"incident_id": f"i{i:03d}", "article_id": f"a{i:03d}", "event_type": "interception", "weapon": "drone",
            "country": "RU", "admin1": "RU-KRS", "admin2": None, "locality": None if i % 3 else "Kursk",
            "latitude": None if i % 3 else 51.7, "longitude": None if i % 3 else 36.2, "geo_precision": "admin1",
            "event_date": NOW.date(), "date_precision": "day", "quantity": i + 1, "killed": None, "injured": None,
            "evidence": "shot down drones", "evidence_start": 10, "evidence_end": 40,
            "extractor_version": "v1", "run_id": "r1", "month": "2025-04"}


def _incidents(n: int, bad: dict[int, dict]) -> tuple[pa.Table, list[int]]:
    rows = pa.Table.from_pylist([{**_incident(i), **bad.get(i, {})} for i in range(n)], schema=INCIDENTS)
    return rows, [60] * n


# Three batches per table: a passing one, one that fails several rules, one with a rule failing
# in most rows (more unexpected values than GX keeps as examples, spread over two batches).
ARTICLE_BATCHES = [
    (0, {}),
    (30, {31: {"url": "javascript:alert(1)"}, 33: {"language": "xx"}, 35: {"content_hash": "nothex"}}),
    (60, {i: {"language": f"x{i}"} for i in range(60, 85)}),  # distinct values: the examples' order shows
]
INCIDENT_BATCHES = [
    (0, {}),
    (30, {31: {"weapon": "laser"}, 32: {"killed": 5000}, 33: {"evidence_end": 5}, 34: {"quantity": 10_000_000},
          35: {"admin1": "Kursk"}}),
    (60, {**{i: {"admin1": f"Kursk-{i}"} for i in range(60, 84)}, 85: {"latitude": 123.0}}),
]


def _article_frames() -> list[pd.DataFrame]:
    return [frame_for(_articles(start + 30, bad).slice(start, 30)) for start, bad in ARTICLE_BATCHES]


def _incident_frames() -> list[pd.DataFrame]:
    frames = []
    for start, bad in INCIDENT_BATCHES:
        rows, lengths = _incidents(start + 30, bad)
        frames.append(frame_for(rows.slice(start, 30), {ARTICLE_LENGTH: lengths[start:]}))
    return frames


def _gx_at_once(table: str, frames: list[pd.DataFrame]):
    """GX's SUMMARY result over all the batches' rows at once (the old report's second validation)."""
    data = pd.concat(frames, ignore_index=True)
    data[ROW] = range(len(data))
    return _definition(table).run(batch_parameters={"dataframe": data}, result_format={"result_format": "SUMMARY"})


def _comparable(result) -> dict:
    from great_expectations.util import convert_to_json_serializable

    out = {}
    for res in result.results:
        config = res.expectation_config
        key = json.dumps([config.type, {k: v for k, v in config.kwargs.items() if k != "batch_id"}], sort_keys=True)
        body = {k: v for k, v in (res.result or {}).items() if k not in INDEX_KEYS}
        out[key] = (res.success, json.dumps(convert_to_json_serializable(body), sort_keys=True))
    return out


@pytest.mark.parametrize(("table", "frames"), [("articles", _article_frames), ("incidents", _incident_frames)])
def test_the_kept_result_is_what_gx_says_over_all_rows(table, frames):
    frames = frames()
    total: dict[str, oc.Outcome] = {}
    failures = 0
    for frame in frames:
        checked = validate(table, frame)
        failures += len(checked.failures)
        oc.merge(total, {table: checked.outcome})
    assert failures >= 4  # the failing batches failed, through the pipeline's own validate()
    kept = oc.from_json(oc.to_json(oc.suite_result(total[table], "r1", NOW)))  # through GX's JSON and back
    at_once = _gx_at_once(table, frames)
    assert _comparable(kept) == _comparable(at_once)
    assert kept.success is at_once.success is False
    assert kept.statistics == at_once.statistics
    assert total[table].batches == 3 and total[table].rows == 90


def test_a_passing_batch_needs_no_counts_from_gx():
    """The passing batch's counts (BOOLEAN_ONLY gives none) equal GX's BASIC counts on it."""
    frame = _incident_frames()[0]
    checked = validate("incidents", frame)
    assert checked.failures == [] and checked.outcome.batches == 1
    kept = oc.suite_result(checked.outcome, "r1", NOW)
    data = frame.copy()
    data[ROW] = range(len(data))
    basic = _definition("incidents").run(batch_parameters={"dataframe": data}, result_format={"result_format": "BASIC"})
    derived = {k: (ok, json.loads(body)) for k, (ok, body) in _comparable(kept).items()}
    for key, (ok, body) in _comparable(basic).items():
        gx_says = json.loads(body)
        assert derived[key][0] == ok
        assert {k: derived[key][1].get(k) for k in gx_says} == gx_says, key  # SUMMARY only adds value counts
    missing = {json.loads(k)[1].get("column"): body.get("missing_count") for k, (_, body) in derived.items()}
    assert missing["latitude"] == 20 and missing["killed"] == 30  # nulls in optional columns are counted


def test_no_rule_relies_on_mostly():
    """A pass means no unexpected row only without `mostly`: the passing-batch counts rely on it."""
    from expectations.suites import SUITES

    for table, checks in SUITES.items():
        assert all(getattr(e, "mostly", 1) in (None, 1) for e in checks()), table


def test_an_empty_batch_validates_nothing():
    checked = validate("articles", _article_frames()[0].iloc[0:0])
    assert checked.failures == [] and checked.outcome is None
    assert oc.stored({}, "r1", NOW) == []

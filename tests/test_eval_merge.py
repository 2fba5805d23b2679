"""`incidents eval --merge` as a user runs it, on the shared merge gold set and on a tiny own one.

The command runs in-process through `incidents.cli.main`, as the console script calls it
(`conftest.run_cli`), without a process start's ~14 s of imports."""

from __future__ import annotations

import json

import pytest
from conftest import run_cli
from typer.testing import CliRunner

from incidents.cli import app
from incidents.evaluate_merge import evaluate_merge_records

# What the merge reached on ../shared/gold/merge_dev.jsonl with the extractor of 2026-12-06 (end of
# day) and the rule that equal counts equate a region-wide interception with a town's: precision
# 1.000, recall 1.000 (22 tp). The set was read while the rules were written, so this is an upper
# bound; the floors sit 0.03 below.
PRECISION_FLOOR = 0.97
RECALL_FLOOR = 0.97


def test_merge_scores_on_the_shared_merge_set(shared, capsys, monkeypatch):
    gold = shared / "gold" / "merge_dev.jsonl"
    code, out, err = run_cli(capsys, monkeypatch, "eval", "--merge", str(gold), "--json")
    assert code == 0, err
    report = json.loads(out)
    assert set(report) == {"pairs", "matched", "gold_incidents"}
    assert set(report["pairs"]) == {"precision", "recall", "tp", "fp", "fn"}
    n_gold = sum(len(json.loads(line)["incidents"]) for line in gold.read_text(encoding="utf-8").splitlines() if line.strip())
    assert report["gold_incidents"] == n_gold
    assert 0 < report["matched"] <= n_gold
    pairs = report["pairs"]
    assert pairs["precision"] >= PRECISION_FLOOR, pairs
    assert pairs["recall"] >= RECALL_FLOOR, pairs


def test_merge_eval_on_own_reports(tmp_path):
    base = {"language": "en", "title": None, "truncated": False}
    drone = {"event_type": "interception", "weapon": "drone", "country": "RU", "admin1": "RU-KRS", "admin2": None,
             "locality": None, "killed": None, "injured": None}
    gold = [
        {**base, "article_id": "g1", "published": "2025-05-02",
         "text": "Air defence shot down five drones over the Kursk region overnight, the governor said.",
         "incidents": [{**drone, "quantity": 5, "event_key": "0502_kursk"}]},
        {**base, "article_id": "g2", "published": "2025-05-02",
         "text": "Five Ukrainian drones were destroyed over the Kursk region last night, the ministry said.",
         "incidents": [{**drone, "quantity": 5, "event_key": "0502_kursk"}]},
        {**base, "article_id": "g3", "published": "2025-05-09",
         "text": "Air defence shot down two drones over the Kursk region overnight, the governor said.",
         "incidents": [{**drone, "quantity": 2, "event_key": "0509_kursk"}]},
    ]
    report = evaluate_merge_records(gold)  # in-process: the command's own function, without its start-up
    assert report["gold_incidents"] == 3 and report["matched"] == 3
    assert report["pairs"] == {"precision": 1.0, "recall": 1.0, "tp": 1, "fp": 0, "fn": 0}
    assert report["misses"] == []
    path = tmp_path / "merge.jsonl"
    path.write_text("".join(json.dumps(g) + "\n" for g in gold), encoding="utf-8")
    text = CliRunner().invoke(app, ["eval", "--merge", str(path)])
    assert text.exit_code == 0, text.output
    assert "precision" in text.output and "matched 3 of 3 gold incidents" in text.output


def test_a_gold_file_without_event_keys_is_refused():
    gold = [{"article_id": "x", "published": "2025-05-02", "text": "Two drones were shot down over the Oryol region.",
             "incidents": [{"event_type": "interception", "admin1": "RU-ORL", "admin2": None}]}]
    with pytest.raises(ValueError, match="event_key"):
        evaluate_merge_records(gold)

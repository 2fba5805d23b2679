"""The `incidents` command as a user runs it, on real files.

The commands run in-process through `incidents.cli.main`, as the console script calls it
(`conftest.run_cli`: exit codes, stdout and stderr as the user sees them): a process start costs
~14 s here, nearly all of it imports. The console script as a process (`python -m incidents`)
is checked where the process is what is tested: `test_clean_logs.py` (runs with their own
temporary Prefect server, which stops with them and leaves no process behind, a rerun on the
same data directory, a failing source: exit 1, one ERROR line, no traceback), `test_dask.py`
(a user error: exit 2, one line), `test_serve.py`, `test_export.py` and `test_sql_sandbox.py`.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from conftest import run_cli

from runtime.settings import Settings


@pytest.fixture(scope="module")
def warehouse(prefect_engine, tmp_path_factory) -> Path:
    from flows.pipeline import ingest
    from runtime.config import load_config

    data = tmp_path_factory.mktemp("cli-data")
    ingest(list(load_config().sources), Settings(data_dir=data))
    return data


def test_sql_formats(warehouse, capsys, monkeypatch):
    q = "SELECT article_id, event_type FROM incidents WHERE article_id = 'seed-000' ORDER BY incident_id"
    code, out, err = run_cli(capsys, monkeypatch, "sql", q, "--data-dir", str(warehouse), "--format", "json")
    assert code == 0, err
    rows = json.loads(out)
    assert len(rows) == 7 and set(rows[0]) == {"article_id", "event_type"}
    code, out, _ = run_cli(capsys, monkeypatch, "sql", q, "--data-dir", str(warehouse), "--format", "csv")
    parsed = list(csv.reader(io.StringIO(out)))
    assert code == 0 and parsed[0] == ["article_id", "event_type"] and len(parsed) == 8
    code, out, _ = run_cli(capsys, monkeypatch, "sql", "SELECT count(*) AS n FROM articles", "--data-dir", str(warehouse))
    assert code == 0 and "n" in out


def test_sql_errors_are_one_line(warehouse, capsys, monkeypatch):
    code, _, err = run_cli(capsys, monkeypatch, "sql", "SELECT nope FROM incidents", "--data-dir", str(warehouse))
    assert code != 0
    assert "SQL error" in err and "Traceback" not in err
    code, _, _ = run_cli(capsys, monkeypatch, "sql", "DELETE FROM incidents", "--data-dir", str(warehouse))
    assert code != 0, "the warehouse is opened read-only for ad-hoc SQL"
    code, _, err = run_cli(capsys, monkeypatch, "sql", "SELECT 1", "--data-dir", str(warehouse / "nowhere"))
    assert code != 0 and "incidents run" in err


def test_eval_json_on_own_annotations(tmp_path, capsys, monkeypatch):
    gold = [
        {"article_id": "t1", "published": "2025-05-02", "language": "en", "title": None,
         "text": "Russian air defence forces shot down three Ukrainian drones over the Kursk region overnight, "
                 "the governor said. No one was hurt.",
         "incidents": [{"event_type": "interception", "weapon": "drone", "country": "RU", "admin1": "RU-KRS",
                        "admin2": None, "locality": None, "quantity": 3, "killed": 0, "injured": 0}]},
        {"article_id": "t2", "published": "2025-05-02", "language": "en", "title": None,
         "text": "The parliament discussed the budget for road repairs on Tuesday.",
         "incidents": [{"event_type": "strike", "weapon": "missile", "country": "UA", "admin1": "UA-51",
                        "admin2": None, "locality": "Odesa", "quantity": 1, "killed": None, "injured": None}]},
    ]
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(json.dumps(g) + "\n" for g in gold), encoding="utf-8")
    code, out, err = run_cli(capsys, monkeypatch, "eval", str(path), "--json")
    assert code == 0, err
    report = json.loads(out)
    assert set(report) == {"articles", "overall", "by_type", "fields"}
    assert report["articles"] == 2
    assert report["overall"]["tp"] == 1 and report["overall"]["fp"] == 0 and report["overall"]["fn"] == 1
    assert report["overall"]["precision"] == 1.0 and report["overall"]["recall"] == 0.5
    assert report["fields"]["quantity"] == 1.0 and report["fields"]["killed"] == 1.0
    code, out, _ = run_cli(capsys, monkeypatch, "eval", str(path))
    assert code == 0 and "t2" in out  # the miss is listed


def test_eval_on_shared_dev_counts_every_article(shared, capsys, monkeypatch):
    code, out, err = run_cli(capsys, monkeypatch, "eval", str(shared / "gold" / "dev.jsonl"), "--json")
    assert code == 0, err
    n = sum(1 for line in (shared / "gold" / "dev.jsonl").read_text(encoding="utf-8").splitlines() if line.strip())
    report = json.loads(out)
    assert report["articles"] == n
    assert set(report["by_type"]) == {"interception", "strike", "debris"}


def test_user_errors_exit_nonzero_without_traceback(tmp_path, capsys, monkeypatch):
    code, _, err = run_cli(capsys, monkeypatch, "run", "--source", "no-such-source", "--data-dir", str(tmp_path / "d"))
    assert code == 2 and "unknown source" in err and "Traceback" not in err
    badcfg = tmp_path / "bad.toml"
    badcfg.write_text("[[sources]]\nname = 'x'\n", encoding="utf-8")
    code, _, err = run_cli(capsys, monkeypatch, "run", "--config", str(badcfg), "--data-dir", str(tmp_path / "d"))
    assert code == 2 and "location" in err and "Traceback" not in err
    code, _, err = run_cli(capsys, monkeypatch, "eval", str(tmp_path / "missing.jsonl"))
    assert code == 2 and "cannot read" in err


def test_run_with_a_broken_source_exits_nonzero_but_loads_the_rest(prefect_engine, tmp_path, capsys, monkeypatch):
    from prefect.settings import PREFECT_API_URL

    monkeypatch.setenv("PREFECT_API_URL", PREFECT_API_URL.value())  # the session's server, not a new one
    good = tmp_path / "good.jsonl"
    good.write_text(json.dumps({"article_id": "x1", "text": "Two drones were shot down over the Oryol region."}) + "\n")
    broken = tmp_path / "broken.xml"
    broken.write_text("<rss><channel><item>", encoding="utf-8")
    data = tmp_path / "data"
    code, out, err = run_cli(capsys, monkeypatch, "run", "--source", str(good), "--source", str(broken),
                             "--data-dir", str(data), "--json")
    assert code == 1, err
    summary = json.loads(out.strip().splitlines()[-1])
    assert summary["articles_new"] == 1 and str(broken) in summary["source_errors"]
    assert "Traceback" not in err
    code, out, _ = run_cli(capsys, monkeypatch, "sql", "SELECT article_id FROM articles", "--data-dir", str(data),
                           "--format", "json")
    assert code == 0 and json.loads(out) == [{"article_id": "x1"}]

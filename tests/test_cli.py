"""The `incidents` console script as a user runs it (subprocesses, real files)."""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from runtime.settings import Settings


def cli(*args: str, cwd: Path | None = None, api: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.pop("PREFECT_HOME", None)  # the CLI keeps Prefect's home in its data directory
    if api:  # reuse the session's Prefect server instead of starting a temporary one
        env["PREFECT_API_URL"] = api
    return subprocess.run(
        [sys.executable, "-m", "incidents", *args],
        check=False, capture_output=True, text=True, env=env, cwd=cwd, timeout=180,
    )


@pytest.fixture(scope="module")
def warehouse(prefect_engine, tmp_path_factory) -> Path:
    from flows.pipeline import ingest
    from runtime.config import load_config

    data = tmp_path_factory.mktemp("cli-data")
    ingest(list(load_config().sources), Settings(data_dir=data))
    return data


def test_sql_formats(warehouse):
    q = "SELECT article_id, event_type FROM incidents WHERE article_id = 'seed-000' ORDER BY incident_id"
    as_json = cli("sql", q, "--data-dir", str(warehouse), "--format", "json")
    assert as_json.returncode == 0, as_json.stderr
    rows = json.loads(as_json.stdout)
    assert len(rows) == 7 and set(rows[0]) == {"article_id", "event_type"}
    as_csv = cli("sql", q, "--data-dir", str(warehouse), "--format", "csv")
    parsed = list(csv.reader(io.StringIO(as_csv.stdout)))
    assert parsed[0] == ["article_id", "event_type"] and len(parsed) == 8
    table = cli("sql", "SELECT count(*) AS n FROM articles", "--data-dir", str(warehouse))
    assert table.returncode == 0 and "n" in table.stdout


def test_sql_errors_are_one_line(warehouse):
    bad = cli("sql", "SELECT nope FROM incidents", "--data-dir", str(warehouse))
    assert bad.returncode != 0
    assert "SQL error" in bad.stderr and "Traceback" not in bad.stderr
    write = cli("sql", "DELETE FROM incidents", "--data-dir", str(warehouse))
    assert write.returncode != 0, "the warehouse is opened read-only for ad-hoc SQL"
    missing = cli("sql", "SELECT 1", "--data-dir", str(warehouse / "nowhere"))
    assert missing.returncode != 0 and "incidents run" in missing.stderr


def test_eval_json_on_own_annotations(tmp_path):
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
    res = cli("eval", str(path), "--json")
    assert res.returncode == 0, res.stderr
    report = json.loads(res.stdout)
    assert set(report) == {"articles", "overall", "by_type", "fields"}
    assert report["articles"] == 2
    assert report["overall"]["tp"] == 1 and report["overall"]["fp"] == 0 and report["overall"]["fn"] == 1
    assert report["overall"]["precision"] == 1.0 and report["overall"]["recall"] == 0.5
    assert report["fields"]["quantity"] == 1.0 and report["fields"]["killed"] == 1.0
    text = cli("eval", str(path))
    assert text.returncode == 0 and "t2" in text.stdout  # the miss is listed


def test_eval_on_shared_dev_counts_every_article(shared):
    res = cli("eval", str(shared / "gold" / "dev.jsonl"), "--json")
    assert res.returncode == 0, res.stderr
    n = sum(1 for line in (shared / "gold" / "dev.jsonl").read_text(encoding="utf-8").splitlines() if line.strip())
    report = json.loads(res.stdout)
    assert report["articles"] == n
    assert set(report["by_type"]) == {"interception", "strike", "debris"}


def test_user_errors_exit_nonzero_without_traceback(tmp_path):
    unknown = cli("run", "--source", "no-such-source", "--data-dir", str(tmp_path / "d"))
    assert unknown.returncode == 2 and "unknown source" in unknown.stderr and "Traceback" not in unknown.stderr
    badcfg = tmp_path / "bad.toml"
    badcfg.write_text("[[sources]]\nname = 'x'\n", encoding="utf-8")
    bad = cli("run", "--config", str(badcfg), "--data-dir", str(tmp_path / "d"))
    assert bad.returncode == 2 and "location" in bad.stderr and "Traceback" not in bad.stderr
    noeval = cli("eval", str(tmp_path / "missing.jsonl"))
    assert noeval.returncode == 2 and "cannot read" in noeval.stderr


def test_run_with_a_broken_source_exits_nonzero_but_loads_the_rest(prefect_engine, tmp_path):
    from prefect.settings import PREFECT_API_URL

    good = tmp_path / "good.jsonl"
    good.write_text(json.dumps({"article_id": "x1", "text": "Two drones were shot down over the Oryol region."}) + "\n")
    broken = tmp_path / "broken.xml"
    broken.write_text("<rss><channel><item>", encoding="utf-8")
    data = tmp_path / "data"
    res = cli(
        "run", "--source", str(good), "--source", str(broken), "--data-dir", str(data), "--json",
        api=PREFECT_API_URL.value(),
    )
    assert res.returncode == 1, res.stderr
    summary = json.loads(res.stdout.strip().splitlines()[-1])
    assert summary["articles_new"] == 1 and str(broken) in summary["source_errors"]
    assert "Traceback" not in res.stderr
    rows = cli("sql", "SELECT article_id FROM articles", "--data-dir", str(data), "--format", "json")
    assert json.loads(rows.stdout) == [{"article_id": "x1"}]


def test_run_without_a_prefect_server_starts_a_temporary_one_and_stops_it(tmp_path):
    """No PREFECT_API_URL: the CLI serves Prefect's temporary API itself, with its database in
    the data directory (created from the shipped template), stops it at the end and leaves no
    process behind; the log has no errors or warnings."""
    src = tmp_path / "one.jsonl"
    src.write_text(json.dumps({"article_id": "t1", "text": "Two drones were shot down over the Kursk region."}) + "\n")
    data = tmp_path / "data"
    env_api = os.environ.pop("PREFECT_API_URL", None)
    try:
        res = cli("run", "--source", str(src), "--data-dir", str(data), "--json")
        again = cli("run", "--source", str(src), "--data-dir", str(data), "--json")
    finally:
        if env_api is not None:
            os.environ["PREFECT_API_URL"] = env_api
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout.strip().splitlines()[-1])["incidents_extracted"] == 1
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout.strip().splitlines()[-1])["changed"] is False
    db = data / ".prefect" / "prefect.db"
    assert db.is_file()
    with sqlite3.connect(db) as con:  # the flow runs were recorded there, by the real server
        assert con.execute("SELECT count(*) FROM flow_run WHERE state_type = 'COMPLETED'").fetchone()[0] == 2
    noise = [line for line in res.stderr.splitlines() + again.stderr.splitlines() if "ERROR" in line or "WARNING" in line]
    assert noise == []
    # the workers are forks of the run (same command line): nothing of it is left behind
    assert _processes_with_arg(str(data)) == [], "the run's processes were stopped"


def _processes_with_arg(arg: str) -> list[int]:
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if arg.encode() in args:
            found.append(int(pid))
    return found

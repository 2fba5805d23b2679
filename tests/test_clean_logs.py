"""A run's output is clean however many sources it reads: a scheduler reading the log sees
failure only where there is one.

Every source is a Prefect task, and Prefect's temporary server records task runs from their
events more slowly than a run of many small sources emits them. Stopped with that backlog, the
server logged `ERROR ... Error flushing 1 events` with CancelledError tracebacks after a
successful run (100 feeds: 4 tracebacks, and 23 of 103 task runs never recorded).

The runs are the console script as a user starts it, with no PREFECT_API_URL: each serves
Prefect's temporary API itself, with its database in the data directory (created from the
shipped template), stops it at the end and leaves no process behind. (The rerun on the same data
directory was test_cli's own pair of runs; one process start here costs ~14 s.)
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

# Log-level markers, not words: Prefect's "12:00:00.000 | ERROR   | ..." and the standard
# library's / uvicorn's "ERROR:    ..." at the start of a line.
LEVEL = re.compile(r"^(?:\S+ \| (?:ERROR|WARNING|CRITICAL)\s*\||(?:ERROR|WARNING|CRITICAL):)")

N_FEEDS = 100  # enough to leave Prefect's recorder behind when the flow returns (measured)
REPORT = "Two drones were shot down over the Kursk region."  # feed 0's item: one incident


def _start(*args: str) -> subprocess.Popen:
    """The real CLI with its own temporary Prefect server (no PREFECT_API_URL)."""
    env = {k: v for k, v in os.environ.items() if k not in ("PREFECT_API_URL", "PREFECT_HOME")}
    return subprocess.Popen(
        [sys.executable, "-m", "incidents", "run", *args],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
    )


def _finish(proc: subprocess.Popen) -> tuple[int, str]:
    """Exit code and combined stdout + stderr."""
    output, _ = proc.communicate(timeout=180)
    return proc.returncode, output


def _feed(path: Path, i: int, text: str | None = None) -> str:
    """A one-item feed; without text the item is quarantined (cheap: many tasks, quickly)."""
    body = f"<title>Report {i}</title><description>{text}</description>" if text else ""
    path.write_text(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>feed {i}</title>'
        f"<item><link>http://example.org/{i}</link>{body}</item></channel></rss>",
        encoding="utf-8",
    )
    return str(path)


def _level_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if LEVEL.match(line)]


def _summary(output: str) -> dict:
    """The run's JSON summary (`--json`), the one JSON line of its output."""
    [line] = [line for line in output.splitlines() if line.startswith("{")]
    return json.loads(line)


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


def test_level_marker_pattern():
    assert _level_lines("21:50:37.795 | ERROR   | prefect.server.services.task_run_recorder - Error flushing")
    assert _level_lines("12:00:00.000 | WARNING | prefect - x")
    assert _level_lines("ERROR:    Exception in 'lifespan' protocol")
    assert not _level_lines(" source failed            feeds/bad.xml: malformed XML")
    assert not _level_lines("Air defence ERROR WARNING in a title")


def test_run_output_is_clean_for_many_sources_and_one_error_line_for_a_failing_one(tmp_path):
    many, one_bad = tmp_path / "many", tmp_path / "one-bad"
    many.mkdir()
    one_bad.mkdir()
    args = [a for i in range(N_FEEDS) for a in ("--source", _feed(many / f"f{i:03d}.xml", i, REPORT if i == 0 else None))]
    bad = one_bad / "broken-feed.xml"
    bad.write_text('<?xml version="1.0"?><rss version="2.0"><channel><item><title>cut', encoding="utf-8")
    # the two runs (own data directories, own Prefect servers) side by side: half the wait
    clean = _start(*args, "--data-dir", str(many / "data"), "--json")
    failing = _start("--source", _feed(one_bad / "good.xml", 1), "--source", str(bad), "--data-dir", str(one_bad / "data"))
    code, output = _finish(clean)
    bad_code, bad_output = _finish(failing)

    # a successful run over many sources: no traceback, no ERROR or WARNING, every task recorded
    assert code == 0, output[-3000:]
    summary = _summary(output)
    assert summary["sources_read"] == N_FEEDS and summary["incidents_extracted"] == 1, summary
    assert "Traceback" not in output, output[-3000:]
    assert _level_lines(output) == [], output[-3000:]
    assert [line for line in output.splitlines() if "ERROR" in line or "WARNING" in line] == []
    db = many / "data" / ".prefect" / "prefect.db"
    assert db.is_file()  # Prefect's home is in the data directory
    with sqlite3.connect(db) as con:
        staged = con.execute("SELECT count(*) FROM task_run WHERE name LIKE 'stage-batch%' AND state_type = 'COMPLETED'")
        assert staged.fetchone()[0] == N_FEEDS

    # a source that fails: exit 1 and one ERROR line, naming it with its reason
    assert bad_code == 1, bad_output[-3000:]
    assert "Traceback" not in bad_output, bad_output[-3000:]
    lines = _level_lines(bad_output)
    assert len(lines) == 1, lines
    assert "| ERROR" in lines[0] and "broken-feed.xml failed" in lines[0] and "XML" in lines[0], lines[0]

    # the same run again: a temporary server on the database the first left, nothing new, clean
    again_code, again = _finish(_start(*args, "--data-dir", str(many / "data"), "--json"))
    assert again_code == 0, again[-3000:]
    assert _summary(again)["changed"] is False
    assert "Traceback" not in again and _level_lines(again) == [], again[-3000:]
    assert [line for line in again.splitlines() if "ERROR" in line or "WARNING" in line] == []
    with sqlite3.connect(db) as con:  # both flow runs were recorded there, by the real server
        assert con.execute("SELECT count(*) FROM flow_run WHERE state_type = 'COMPLETED'").fetchone()[0] == 2
    # the workers are forks of the run (same command line): nothing of the runs is left behind
    assert _processes_with_arg(str(many / "data")) == [], "the runs' processes were stopped"
    assert _processes_with_arg(str(one_bad / "data")) == [], "the failing run's processes were stopped"

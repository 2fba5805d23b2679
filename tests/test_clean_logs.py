"""A run's output is clean however many sources it reads: a scheduler reading the log sees
failure only where there is one.

Every source is a Prefect task, and Prefect's temporary server records task runs from their
events more slowly than a run of many small sources emits them. Stopped with that backlog, the
server logged `ERROR ... Error flushing 1 events` with CancelledError tracebacks after a
successful run (100 feeds: 4 tracebacks, and 23 of 103 task runs never recorded).
"""

from __future__ import annotations

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
    args = [a for i in range(N_FEEDS) for a in ("--source", _feed(many / f"f{i:03d}.xml", i))]
    bad = one_bad / "broken-feed.xml"
    bad.write_text('<?xml version="1.0"?><rss version="2.0"><channel><item><title>cut', encoding="utf-8")
    # the two runs (own data directories, own Prefect servers) side by side: half the wait
    clean = _start(*args, "--data-dir", str(many / "data"), "--json")
    failing = _start("--source", _feed(one_bad / "good.xml", 1), "--source", str(bad), "--data-dir", str(one_bad / "data"))
    code, output = _finish(clean)
    bad_code, bad_output = _finish(failing)

    # a successful run over many sources: no traceback, no ERROR or WARNING, every task recorded
    assert code == 0, output[-3000:]
    assert f'"sources_read": {N_FEEDS}' in output
    assert "Traceback" not in output, output[-3000:]
    assert _level_lines(output) == [], output[-3000:]
    with sqlite3.connect(many / "data" / ".prefect" / "prefect.db") as con:
        staged = con.execute("SELECT count(*) FROM task_run WHERE name LIKE 'stage-batch%' AND state_type = 'COMPLETED'")
        assert staged.fetchone()[0] == N_FEEDS

    # a source that fails: exit 1 and one ERROR line, naming it with its reason
    assert bad_code == 1, bad_output[-3000:]
    assert "Traceback" not in bad_output, bad_output[-3000:]
    lines = _level_lines(bad_output)
    assert len(lines) == 1, lines
    assert "| ERROR" in lines[0] and "broken-feed.xml failed" in lines[0] and "XML" in lines[0], lines[0]

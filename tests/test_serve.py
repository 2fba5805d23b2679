"""`incidents serve`: scheduled runs through a real local Prefect server, stopped by SIGTERM."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time

import duckdb
import httpx
import pytest


def _runs(db) -> int:
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error:
        return 0  # not created yet, or a run is loading right now
    try:
        return con.execute("SELECT count(*) FROM runs").fetchall()[0][0]
    except duckdb.Error:
        return 0
    finally:
        con.close()


def test_serve_runs_on_schedule_and_stops_cleanly(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("PREFECT_HOME", "PREFECT_API_URL")}
    data = tmp_path / "data"
    proc = subprocess.Popen(
        [sys.executable, "-m", "incidents", "serve", "--interval", "2", "--data-dir", str(data)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, text=True,
    )
    try:
        deadline = time.monotonic() + 240
        while _runs(data / "warehouse.duckdb") < 1:
            assert proc.poll() is None, proc.stdout.read()
            assert time.monotonic() < deadline, "no scheduled run within 240 s"
            time.sleep(1)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            out, _ = proc.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            raise AssertionError("serve did not stop within 120 s of SIGTERM") from None
    con = duckdb.connect(str(data / "warehouse.duckdb"), read_only=True)
    statuses = {r[0] for r in con.execute("SELECT status FROM runs").fetchall()}
    articles = con.execute("SELECT count(*) FROM articles").fetchall()[0][0]
    con.close()
    assert statuses == {"ok"}
    assert articles == 8  # the shipped sample, loaded once however many runs happened
    assert (data / ".prefect").is_dir(), "Prefect's home lives in the data directory"
    assert "PREFECT_API_URL" in (data / ".prefect" / "server.log").read_text(), "the server's log is in its home"
    api = re.search(r"serving on the Prefect API at (\S+);", out).group(1)
    with pytest.raises(httpx.TransportError):  # the local server stopped with serve
        httpx.get(f"{api}/health", timeout=2)


_CHATTY = """
import argparse, http.server, sys
args = argparse.ArgumentParser()
args.add_argument("--host")
args.add_argument("--port", type=int)
a = args.parse_args()
sys.stderr.write("database is locked\\n" * 50_000)  # ~1 MB, as a server logging late runs for hours
sys.stderr.flush()

class Health(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        sys.stderr.write("request\\n")

http.server.HTTPServer((a.host, a.port), Health).serve_forever()
"""


def test_a_server_that_logs_a_lot_still_answers(tmp_path, monkeypatch):
    """The scheduling server's output once went to a pipe nobody read: after 64 KB of it (Prefect's
    server logs every late run with a traceback, many under load) its writes blocked, the API stopped
    answering and serve could not stop. Its output goes to a file in Prefect's home instead."""
    from incidents.server import LocalServer

    (tmp_path / "chatty_server.py").write_text(_CHATTY)
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    server = LocalServer(["chatty_server"], tmp_path / "home" / "server.log")
    try:
        api = server.wait(timeout_s=30)
        for _ in range(3):
            assert httpx.get(f"{api}/health", timeout=5).status_code == 200
    finally:
        server.stop()
    assert (tmp_path / "home" / "server.log").stat().st_size > 900_000

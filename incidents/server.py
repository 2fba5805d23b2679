"""Local Prefect API servers, started by the CLI when no PREFECT_API_URL is configured.

- `run` serves Prefect's temporary API (the app Prefect's own temporary server runs: no UI,
  only an ephemeral server's services) under uvicorn on a thread of the run's own process.
  Prefect would start it as a second Python process, which imports most of what the run has
  imported already: ~180 MB, against ~80 MB on a thread.
- `serve` needs a server that schedules (`prefect server start`, services on).

Both run on 127.0.0.1 with the project's Prefect home and stop with the command; with
PREFECT_API_URL set, that server is used instead and nothing is started.

The thread server stops only once Prefect is done with it: the client's event and log workers
are drained into it, then its services are given the time to handle what they have received.
Stopped earlier, with Prefect's task run recorder still behind (by default it writes one event
per transaction: feedparser's 961 test feeds left ~670 events queued when the flow returned),
the stop cancelled a write in progress, which Prefect logs as `ERROR ... Error flushing 1
events` with a CancelledError traceback, and dropped the task runs still queued.
"""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from runtime.settings import load_settings
from warehouse.crashpoints import checkpoint


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalServer:
    """A Prefect API server child process: start now, wait for it only when it is needed."""

    def __init__(self, command: list[str], log: Path) -> None:
        self.port = load_settings().prefect_port or _free_port()
        self.api = f"http://127.0.0.1:{self.port}/api"
        # A file, not a pipe: a pipe nobody reads fills up (64 KB) once the server logs enough
        # (under load it logs every late run with a traceback), and then its every write blocks:
        # the API stops answering and serve can no longer stop.
        self.log = log
        log.parent.mkdir(parents=True, exist_ok=True)
        with open(log, "wb") as out:
            self._proc = subprocess.Popen(
                [sys.executable, "-m", *command, "--host", "127.0.0.1", "--port", str(self.port)],
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def _log_tail(self) -> str:
        try:
            return self.log.read_text(errors="replace")[-500:]
        except OSError:
            return ""

    def wait(self, timeout_s: float = 90.0) -> str:
        """Block until the API answers; return its URL."""
        import httpx

        deadline = time.monotonic() + timeout_s
        while True:
            if self._proc.poll() is not None:
                raise RuntimeError(f"the local Prefect server stopped at start ({self.log}): {self._log_tail()}")
            try:
                if httpx.get(f"{self.api}/health", timeout=2).status_code == 200:
                    return self.api
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the local Prefect server did not answer within {timeout_s:.0f} s")
            time.sleep(0.1)

    def stop(self) -> None:
        if self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()


# The run's server lives as long as the run. Its task run recorder writes in batches (with
# Prefect's default of one event per transaction, the 961 feeds took 38 s, 4 of them waiting for
# the recorder at the end; 27 s so), and it and the event persister write what they still hold
# when the server stops rather than on a 5 s timer, so a stop never cancels a timed write in
# progress. A user's own values win.
_RUN_SERVER_ENV = {
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_BATCH_SIZE": "100",
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_FLUSH_INTERVAL": "86400",
    "PREFECT_SERVER_SERVICES_EVENT_PERSISTER_FLUSH_INTERVAL": "86400",
}


class ThreadServer:
    """Prefect's temporary API app under uvicorn, on a daemon thread of this process."""

    def __init__(self) -> None:
        self.port = load_settings().prefect_port or _free_port()
        self.api = f"http://127.0.0.1:{self.port}/api"
        os.environ["PREFECT_API_URL"] = self.api  # before Prefect's settings are first read
        for key, value in _RUN_SERVER_ENV.items():
            os.environ.setdefault(key, value)
        import uvicorn
        from prefect.server.api.server import create_app

        config = uvicorn.Config(
            create_app(ephemeral=True, final=True), host="127.0.0.1", port=self.port,
            log_level="error", lifespan="on", loop="asyncio",  # no global loop policy change (uvloop)
        )
        self._server = uvicorn.Server(config)
        self._backlog_at_start = _broker_backlog() or 0  # another server of this process left some
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._serve, name="prefect-api", daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        try:
            self._server.run()
        except BaseException as exc:  # noqa: BLE001 - reported by wait()
            self._error = exc

    def wait(self, timeout_s: float = 90.0) -> str:
        """Block until the server is up (a fresh database is created first); return its URL."""
        deadline = time.monotonic() + timeout_s
        while not self._server.started:
            if not self._thread.is_alive():
                raise RuntimeError(f"the local Prefect server stopped at start: {self._error!r}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the local Prefect server did not start within {timeout_s:.0f} s")
            time.sleep(0.05)
        return self.api

    def stop(self, settle_timeout_s: float = 120.0, stall_s: float = 3.0) -> None:
        """Stop once the client has sent everything and the server has handled it."""
        if self._server.started and self._thread.is_alive():
            _drain_client_workers(timeout_s=30.0)
            checkpoint("server.drained")  # the server is writing what it received to its database
            self._wait_until_handled(settle_timeout_s, stall_s)
        _quiet_pool_teardown()
        self._server.should_exit = True
        self._thread.join(timeout=15)

    def _wait_until_handled(self, timeout_s: float, stall_s: float) -> None:
        """Wait while the server's services work through the messages they have received.

        Gives up after `timeout_s`, or when the backlog has not shrunk for `stall_s` (a message
        Prefect moved to its dead-letter folder is never handled); stopping then lets Prefect
        report what it could not write.
        """
        deadline = time.monotonic() + timeout_s
        last, last_change = None, time.monotonic()
        while (backlog := _broker_backlog()) is not None and backlog > self._backlog_at_start:
            now = time.monotonic()
            if backlog != last:
                last, last_change = backlog, now
            elif now - last_change > stall_s:
                return
            if now > deadline:
                return
            time.sleep(0.02)


class _PoolResetAtTeardown(logging.Filter):
    """SQLAlchemy logs 'Exception during reset or similar' at ERROR when the server's event loop ends
    while a pooled SQLite connection is being returned: the connection is discarded with the server,
    after everything was handled and written (stop() waits for that), so no data is at stake. Only
    this record, from this logger, once the server is being stopped, is dropped: a successful run's
    log carries no ERROR line."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Exception during reset or similar")


def _quiet_pool_teardown() -> None:
    pool_log = logging.getLogger("sqlalchemy.pool.impl.AsyncAdaptedQueuePool")
    if not any(isinstance(f, _PoolResetAtTeardown) for f in pool_log.filters):
        pool_log.addFilter(_PoolResetAtTeardown())


def _drain_client_workers(timeout_s: float) -> None:
    """Send what Prefect's client still holds (events, logs for the API) before the server stops.

    Prefect drains these workers at interpreter exit, when this server is gone; its own test
    harness drains them before it stops its server, as here. The workers start again on use.
    """
    if "prefect" not in sys.modules:
        return
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    for worker in (APILogWorker, EventsWorker):  # logs first: writing them emits no events
        worker.drain_all(timeout=timeout_s, at_exit=False)


def _broker_backlog() -> int | None:
    """Messages the server's in-memory broker has delivered that its services have not finished
    handling (queued, or being written); None when Prefect has no such broker or it is unused.

    Prefect counts, per topic, deliveries to subscriptions and messages a consumer finished;
    the difference is what a stop would cancel or drop.
    """
    memory = sys.modules.get("prefect.server.utilities.messaging.memory")
    metrics = getattr(memory, "METRICS", None)
    if not isinstance(metrics, dict):
        return None
    try:
        return sum(int(m["published"]) - int(m["consumed"]) for m in list(metrics.values()))
    except (KeyError, TypeError, ValueError):
        return None


def start_run_server() -> ThreadServer | None:
    """Start Prefect's temporary API server and point PREFECT_API_URL at it.

    Call before Prefect is imported (it reads PREFECT_API_URL once) and after the worker pool
    is forked (a fork copies no thread but this one). Returns None when a server is
    configured already.
    """
    if os.environ.get("PREFECT_API_URL"):
        return None
    _seed_home()
    return ThreadServer()


def _seed_home() -> None:
    from incidents import prefect_home

    if os.environ.get("PREFECT_HOME"):
        prefect_home.seed(Path(os.environ["PREFECT_HOME"]))


@contextmanager
def local_server(timeout_s: float = 90.0) -> Iterator[str]:
    """A scheduling Prefect server for `serve`, for as long as the block runs."""
    if os.environ.get("PREFECT_API_URL"):
        yield os.environ["PREFECT_API_URL"]
        return
    _seed_home()
    home = Path(os.environ.get("PREFECT_HOME") or load_settings().prefect_home)
    server = LocalServer(["prefect", "server", "start"], home / "server.log")
    try:
        os.environ["PREFECT_API_URL"] = server.wait(timeout_s)
        yield server.api
    finally:
        server.stop()

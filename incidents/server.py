"""Local Prefect API servers, started by the CLI when no PREFECT_API_URL is configured.

- `run` starts the same temporary server Prefect would start by itself (its API app under
  uvicorn, services off), but at the very beginning of the command, so the server's start-up
  (4-6 s; 8-10 s more on a fresh database) overlaps the imports, the gazetteer load and the
  worker fork instead of following them. Prefect, when it is imported, finds PREFECT_API_URL
  and uses that server.
- `serve` needs a server that schedules (`prefect server start`, services on).

Both run on 127.0.0.1 with the project's Prefect home and stop with the command; with
PREFECT_API_URL set, that server is used instead and nothing is started.
"""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalServer:
    """A Prefect API server child process: start now, wait for it only when it is needed."""

    def __init__(self, command: list[str], env: dict[str, str] | None = None) -> None:
        self.port = int(os.environ.get("INCIDENTS_PREFECT_PORT") or _free_port())
        self.api = f"http://127.0.0.1:{self.port}/api"
        self._proc = subprocess.Popen(
            [sys.executable, "-m", *command, "--host", "127.0.0.1", "--port", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, **(env or {})},
        )

    def wait(self, timeout_s: float = 90.0) -> str:
        """Block until the API answers; return its URL."""
        import httpx

        deadline = time.monotonic() + timeout_s
        while True:
            if self._proc.poll() is not None:
                raise RuntimeError(f"the local Prefect server stopped at start: {self._proc.stderr.read()[-500:]}")
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
        if self._proc.stderr:
            self._proc.stderr.close()


def start_run_server() -> LocalServer | None:
    """Start Prefect's temporary API server now and point PREFECT_API_URL at it.

    Call before Prefect is imported (it reads PREFECT_API_URL once). Returns None when a
    server is configured already.
    """
    if os.environ.get("PREFECT_API_URL"):
        return None
    spec = importlib.util.find_spec("prefect")
    if spec is None or not spec.origin:
        return None
    site = str(Path(spec.origin).parent.parent)
    server = LocalServer(
        ["uvicorn", "--app-dir", site, "--factory", "prefect.server.api.server:create_app",
         "--log-level", "error", "--lifespan", "on"],
        # what Prefect sets for its own temporary server: no UI, no background services
        env={"PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"},
    )
    os.environ["PREFECT_API_URL"] = server.api
    return server


@contextmanager
def local_server(timeout_s: float = 90.0) -> Iterator[str]:
    """A scheduling Prefect server for `serve`, for as long as the block runs."""
    if os.environ.get("PREFECT_API_URL"):
        yield os.environ["PREFECT_API_URL"]
        return
    server = LocalServer(["prefect", "server", "start"])
    try:
        os.environ["PREFECT_API_URL"] = server.wait(timeout_s)
        yield server.api
    finally:
        server.stop()

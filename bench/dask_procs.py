"""An external Dask cluster on 127.0.0.1, started as a user starts one (README, "Scaling out"):
`dask scheduler` and `dask worker` processes from the project's environment. Used by the tests
(`tests/test_dask.py`) and by `bench/run_bench.py`; nothing is downloaded, no dashboard is served.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

DASK = str(Path(sys.executable).with_name("dask"))


@dataclass
class ExternalCluster:
    """A scheduler and its workers (one `dask worker` process, a nanny, per worker)."""

    address: str
    scheduler: subprocess.Popen
    nannies: list[subprocess.Popen] = field(default_factory=list)
    logs: list[Path] = field(default_factory=list)
    timeout_s: float = 90.0
    _ready: bool = False

    def ready(self) -> ExternalCluster:
        """Wait until every worker has registered with the scheduler (once)."""
        if not self._ready:
            _wait_for_workers(self.address, len(self.nannies), self.timeout_s)
            self._ready = True
        return self

    def worker_pids(self) -> list[int]:
        """The worker processes (children of the nannies): where the extraction runs."""
        return [pid for nanny in self.nannies for pid in children(nanny.pid)]

    def pids(self) -> dict[str, int]:
        """Every process of the cluster by role, for memory sampling."""
        roles = {"scheduler": self.scheduler.pid}
        for i, nanny in enumerate(self.nannies):
            roles[f"nanny-{i}"] = nanny.pid
            for pid in children(nanny.pid):
                roles[f"worker-{i}"] = pid
        return roles

    def stop(self) -> None:
        """SIGTERM to the nannies (they stop their workers) and then to the scheduler."""
        for proc in [*self.nannies, self.scheduler]:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def children(pid: int) -> list[int]:
    """The worker processes a nanny started (from any of its threads), not multiprocessing's
    resource tracker."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            continue
    return [p for p in found if b"resource_tracker" not in _cmdline(p)]


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def start(
    directory: Path, n_workers: int = 2, env: dict[str, str] | None = None, timeout_s: float = 90.0, wait: bool = True,
) -> ExternalCluster:
    """Start a scheduler on a free port and `n_workers` single-threaded workers; with `wait`, wait
    until all are in (else call `ready()` before use, to do something else while they start)."""
    directory.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, **(env or {})}
    info = directory / "scheduler.json"
    info.unlink(missing_ok=True)
    log = directory / "scheduler.log"
    scheduler = subprocess.Popen(
        [DASK, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
         "--dashboard-address", "127.0.0.1:0", "--scheduler-file", str(info)],
        stdout=subprocess.DEVNULL, stderr=log.open("w"), env=env,
    )
    cluster = ExternalCluster(address="", scheduler=scheduler, logs=[log], timeout_s=timeout_s)
    try:
        cluster.address = _address(info, scheduler, time.monotonic() + timeout_s)
        for i in range(n_workers):
            wlog = directory / f"worker-{i}.log"
            cluster.logs.append(wlog)
            cluster.nannies.append(subprocess.Popen(
                [DASK, "worker", cluster.address, "--nworkers", "1", "--nthreads", "1", "--no-dashboard",
                 "--host", "127.0.0.1", "--name", f"w{i}", "--local-directory", str(directory / f"w{i}")],
                stdout=subprocess.DEVNULL, stderr=wlog.open("w"), env=env,
            ))
        if wait:
            cluster.ready()
    except BaseException:
        cluster.stop()
        raise
    return cluster


def _address(info: Path, scheduler: subprocess.Popen, deadline: float) -> str:
    while time.monotonic() < deadline:
        if scheduler.poll() is not None:
            raise RuntimeError(f"dask scheduler exited with {scheduler.returncode}")
        try:
            return json.loads(info.read_text())["address"]
        except (OSError, ValueError, KeyError):
            time.sleep(0.1)
    raise TimeoutError("dask scheduler did not start")


def _wait_for_workers(address: str, n: int, timeout_s: float) -> None:
    from distributed import Client

    with Client(address, set_as_default=False, timeout=timeout_s) as client:
        client.wait_for_workers(n, timeout=timeout_s)

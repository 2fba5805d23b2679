"""One pipeline run per data directory at a time.

Two runs on one data directory would race on the lake and the warehouse (one's recovery step
could load the other's files mid-run). An advisory file lock makes the second one wait a
little, then stop with a clear message; a crashed run's lock dies with its process.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class Busy(Exception):
    """Another run holds the data directory."""


@contextmanager
def run_lock(data_dir: Path, wait_s: float = 10.0) -> Iterator[None]:
    data_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(data_dir / ".run.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait_s
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise Busy(f"another run is using {data_dir}; try again when it has finished") from None
                time.sleep(0.2)
        yield
    finally:
        os.close(fd)  # closing releases the lock

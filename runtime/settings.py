"""Run-time settings: every knob in one object, defaults that work out of the box, environment overrides.

`load_settings()` reads the environment when it is called, never at import, so the CLI, a test or a
user of the flows can set a variable before a run and have it seen. The flows get the object from
their caller; the parts deep inside a run that have no object handed to them (the worker count, the
DuckDB writer's cap and compression, HTTP's User-Agent, the Prefect server's port) call
`load_settings()` when they need the value. The variable names below are an interface (the README's
settings table, schedulers' and other tools' environments): keep them.

Not here, by design: the crash-test hook's `INCIDENTS_CRASH_AT`, `INCIDENTS_CRASH_SKIP` and
`INCIDENTS_CRASH_TRACE` (`warehouse/crashpoints.py`) are read once, at import, so that an unset hook
costs one comparison per checkpoint; they are a testing aid, not a setting of the pipeline. Nor is
`INCIDENTS_NATIVE=0` (`transforms/__init__.py`): which build of the same extractor code runs is decided
once, when the package is imported, before any settings object exists; it changes no output.

Prefect, Great Expectations and Arrow read their settings from the environment when they are
imported, so `apply_environment()` must run before any of them is imported; the CLI and the
test suite call it first thing.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

DEFAULT_DATA_DIR = Path("data")
# Articles per batch (one Prefect task pair each), and the batch of a source read on its own
# (`sources.read_source`): one default, so a library caller and a run cut batches alike.
DEFAULT_BATCH_SIZE = 10_000
DEFAULT_DUCKDB_MEMORY = "64MB"  # why this cap: warehouse/duck.py, at the writer's configuration
DEFAULT_DUCKDB_COMPRESSION = "zstd"  # why not DuckDB's own choice: warehouse/duck.py


def default_workers() -> int:
    """One extraction process per core."""
    return max(1, os.cpu_count() or 1)


@cache  # the installed version does not change within a process; looking it up costs ~1 ms
def default_user_agent() -> str:
    """Say who is fetching; operators add their contact with INCIDENTS_USER_AGENT, as polite crawlers do."""
    try:
        v = version("incidents")
    except PackageNotFoundError:
        v = "0"
    return f"incidents-pipeline/{v} (news incident extraction; batch feed reader)"


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    batch_size: int = DEFAULT_BATCH_SIZE  # INCIDENTS_BATCH_SIZE
    workers: int = field(default_factory=default_workers)  # INCIDENTS_WORKERS
    duckdb_memory: str = DEFAULT_DUCKDB_MEMORY  # INCIDENTS_DUCKDB_MEMORY
    duckdb_compression: str = DEFAULT_DUCKDB_COMPRESSION  # INCIDENTS_DUCKDB_COMPRESSION
    user_agent: str = field(default_factory=default_user_agent)  # INCIDENTS_USER_AGENT
    prefect_port: int | None = None  # INCIDENTS_PREFECT_PORT; None: a free port
    reference: Path | None = None  # INCIDENTS_REFERENCE (`incidents report`)
    dask: str | None = None  # INCIDENTS_DASK_ADDRESS: "local" or a scheduler address; None: the process pool
    lake: str | None = None  # INCIDENTS_LAKE / --lake: a folder or a URL (s3://...); None: <data-dir>/lake

    @property
    def lake_url(self) -> str:
        """Where the lake is: a local folder, or a pyarrow filesystem URL (`warehouse.lake.at`)."""
        return self.lake or str(self.data_dir / "lake")

    @property
    def lake_remote(self) -> bool:
        return "://" in self.lake_url and not self.lake_url.startswith("file://")

    @property
    def lake_dir(self) -> Path | None:
        """The lake's local folder; None when the lake is on object storage (see `lake_url`)."""
        return None if self.lake_remote else Path(self.lake_url.removeprefix("file://"))

    @property
    def scratch_dir(self) -> Path:
        """Local temporary files of a run (the extraction's spool, a reprocess's staged incidents):
        the lake's `_tmp/` when the lake is local, as always; `<data-dir>/_tmp/` beside a remote one."""
        return (self.data_dir if self.lake_dir is None else self.lake_dir) / "_tmp"

    @property
    def warehouse_path(self) -> Path:
        return self.data_dir / "warehouse.duckdb"

    @property
    def prefect_home(self) -> Path:
        return self.data_dir / ".prefect"


def _positive(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip() or str(default)
    value = int(raw) if raw.isdigit() else 0
    if value < 1:
        raise ValueError(f"{name} must be a positive integer, not {raw!r}")
    return value


def dask_address(raw: str, name: str = "INCIDENTS_DASK_ADDRESS") -> str | None:
    """`local`, or a scheduler address as Dask writes it (`tcp://host:8786`, `host:8786`); checked
    for its form here so that a typo fails by name (`name`: the variable or flag) before anything
    starts. Empty: None, the process pool."""
    raw = raw.strip()
    if not raw or raw == "local":
        return raw or None
    _, _, rest = raw.rpartition("://")
    host, _, port = rest.rpartition(":")
    if not host or not port.isdigit() or "/" in host:
        raise ValueError(f"{name} must be 'local' or a scheduler address like tcp://host:8786, not {raw!r}")
    return raw


def load_settings(
    data_dir: str | Path | None = None, env: Mapping[str, str] | None = None, lake: str | None = None
) -> Settings:
    """Flags beat environment variables, which beat defaults. A bad value fails here, by name."""
    env = os.environ if env is None else env
    chosen = data_dir or env.get("INCIDENTS_DATA_DIR") or DEFAULT_DATA_DIR
    compression = env.get("INCIDENTS_DUCKDB_COMPRESSION", "").strip().lower() or DEFAULT_DUCKDB_COMPRESSION
    if not compression.isidentifier():  # it reaches a SET statement as a value, but say so early
        raise ValueError(f"INCIDENTS_DUCKDB_COMPRESSION: not a compression name: {compression!r}")
    port = env.get("INCIDENTS_PREFECT_PORT", "").strip()
    if port and not port.isdigit():
        raise ValueError(f"INCIDENTS_PREFECT_PORT must be a port number, not {port!r}")
    reference = env.get("INCIDENTS_REFERENCE", "").strip()
    return Settings(
        data_dir=Path(chosen).expanduser().resolve(),
        batch_size=_positive(env, "INCIDENTS_BATCH_SIZE", DEFAULT_BATCH_SIZE),
        workers=_positive(env, "INCIDENTS_WORKERS", default_workers()),
        duckdb_memory=env.get("INCIDENTS_DUCKDB_MEMORY", "").strip() or DEFAULT_DUCKDB_MEMORY,
        duckdb_compression=compression,
        user_agent=env.get("INCIDENTS_USER_AGENT", "").strip() or default_user_agent(),
        prefect_port=int(port) if port else None,
        reference=Path(reference).expanduser() if reference else None,
        dask=dask_address(env.get("INCIDENTS_DASK_ADDRESS", "")),
        lake=_lake(lake or env.get("INCIDENTS_LAKE", "")),
    )


def _lake(location: str) -> str | None:
    """A URL as given (checked when the lake is opened); a local folder made absolute."""
    location = location.strip()
    if not location:
        return None
    if "://" in location and not location.startswith("file://"):
        scheme = location.split("://", 1)[0]
        if not scheme.replace("+", "").isalnum() or not location.split("://", 1)[1].strip("/"):
            raise ValueError(f"INCIDENTS_LAKE: not a folder or a filesystem URL (s3://bucket/prefix): {location!r}")
        return location.rstrip("/")
    return str(Path(location.removeprefix("file://")).expanduser().resolve())


# Offline by design: no telemetry from Prefect (SDK and server) or GX, and Prefect's
# home kept inside the project's data directory rather than the user's ~/.prefect.
_OFFLINE_ENV = {
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "GX_ANALYTICS_ENABLED": "False",
    "PREFECT_UI_ENABLED": "false",
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_SERVER_LOGGING_LEVEL": "WARNING",
    "PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW": "ignore",
    "PREFECT_RESULTS_PERSIST_BY_DEFAULT": "false",
    "PREFECT_TASKS_REFRESH_CACHE": "false",
    # Arrow's buffers from the C library's allocator, not its bundled mimalloc, which kept
    # ~65 MB of freed batches per process (100,000 articles: peak ~1,070 -> ~970 MB, same CPU).
    "ARROW_DEFAULT_MEMORY_POOL": "system",
}


def apply_environment(settings: Settings) -> None:
    """Set the environment Prefect and GX read at import time (user values win)."""
    for key, value in _OFFLINE_ENV.items():
        os.environ.setdefault(key, value)
    os.environ.setdefault("PREFECT_HOME", str(settings.prefect_home))
    settings.data_dir.mkdir(parents=True, exist_ok=True)

"""Shared fixtures. The environment is made offline before Prefect or GX is imported."""

from __future__ import annotations

import importlib.util
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

_HOME = tempfile.mkdtemp(prefix="incidents-test-prefect-")
for key, value in {
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "GX_ANALYTICS_ENABLED": "False",
    "PREFECT_HOME": _HOME,
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_SERVER_LOGGING_LEVEL": "WARNING",
}.items():
    os.environ[key] = value

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def bench_module(name: str):
    """A script of bench/ as a module (the corpus generator, the output comparison, the scorer, ...)."""
    spec = importlib.util.spec_from_file_location(name, REPO / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.exists():
        pytest.skip("../shared is not beside the checkout")
    return SHARED


@pytest.fixture(scope="session")
def prefect_engine():
    """The real Prefect engine (temporary server and database), started once per session (per
    xdist worker). Its database starts from the template the CLI seeds every new data directory
    with (`incidents/prefect_home.py`: the tables Prefect's migrations create, for the locked
    version) instead of running the migrations again: ~8 s less per start. With another Prefect
    version the template is skipped and the harness migrates as usual."""
    from prefect.testing import utilities

    from incidents import prefect_home

    real_mkdtemp = utilities.mkdtemp

    def seeded_mkdtemp(*args, **kwargs):
        folder = Path(real_mkdtemp(*args, **kwargs))
        if prefect_home.seed(folder):
            (folder / "prefect.db").rename(folder / "prefect-test.db")  # the harness's database name
        return str(folder)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(utilities, "mkdtemp", seeded_mkdtemp)
        harness = utilities.prefect_test_harness(server_startup_timeout=60)
        harness.__enter__()
    try:
        yield
    finally:
        harness.__exit__(None, None, None)


# The lake on object storage (tests/test_lake_s3*.py): a real S3-compatible server, moto's, in
# server mode in its own process on 127.0.0.1 (real HTTP), found through AWS_ENDPOINT_URL.
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def s3_server():
    """moto's S3 server on a free port of 127.0.0.1, for the module's tests."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{url}/moto-api/", timeout=1).close()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail("moto's S3 server did not start")
            time.sleep(0.1)
    try:
        yield url
    finally:  # never left running: a server that ignores SIGTERM for 10 s is killed
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def new_bucket(s3_server: str, name: str) -> dict[str, str]:
    """Create bucket `name` on the server; the standard AWS_* variables that point at it."""
    from pyarrow.fs import S3FileSystem

    # a client of its own, allowed to create buckets (the pipeline never creates one); the
    # constructor, unlike `FileSystem.from_uri`, ignores AWS_ENDPOINT_URL (pyarrow 26): say it
    S3FileSystem(endpoint_override=s3_server, allow_bucket_creation=True).create_dir(name)
    return {
        "AWS_ENDPOINT_URL": s3_server, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true",
    }


@pytest.fixture
def bucket(s3_server, monkeypatch, request) -> str:
    """A new bucket, and the test's environment pointed at the server (the standard AWS_* names)."""
    name = re.sub(r"[^a-z0-9]+", "-", request.node.name.lower())[:50].strip("-")
    for key, value in new_bucket(s3_server, name).items():
        monkeypatch.setenv(key, value)
    return name


def run_cli(capsys, monkeypatch, *argv: str) -> tuple[int, str, str]:
    """Run `incidents ARGV` in-process as the console script does: (exit code, stdout, stderr)."""
    monkeypatch.setattr(sys, "argv", ["incidents", *argv])
    capsys.readouterr()
    code = call_main()
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def call_main() -> int:
    """`incidents.cli.main()` with the current sys.argv, as the console script calls it: its exit code."""
    from incidents.cli import main

    try:
        main()
    except SystemExit as exc:
        return exc.code or 0
    return 0


# The longest files first (measured with --durations): with two xdist workers taking whole files
# in collection order (`--no-loadscope-reorder` in pyproject.toml), a long file collected last
# (say test_serve.py) kept one worker busy while the other sat idle. The crash soak, the longest,
# starts at once on one worker while the other works through the next ones. Within a file the
# order is unchanged (a stable sort by file).
_LONGEST_FIRST = (
    "test_crash_anywhere.py", "test_dask.py", "test_lake_s3.py", "test_clean_logs.py", "test_serve.py",
    "test_report.py", "test_pipeline.py", "test_shared_inputs.py", "test_cli.py", "test_big_inputs.py",
    "test_events_mart.py", "test_properties.py", "test_extract_robustness.py", "test_validation_outcome.py",
    "test_sql_sandbox.py", "test_export.py",
)


def pytest_collection_modifyitems(items):
    rank = {name: i for i, name in enumerate(_LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))


def fail_extraction_for(monkeypatch, article_id: str, error: Exception) -> None:
    """Make the extractor raise `error` on one article (as a rule bug met by an odd article would),
    after its article-wide passes, and read the others as usual."""
    import transforms.extract as ex

    real = ex._read

    def flaky(pending):
        if pending.article_id == article_id:
            raise error
        return real(pending)

    monkeypatch.setattr(ex, "_read", flaky)

"""Shared fixtures. The environment is made offline before Prefect or GX is imported."""

from __future__ import annotations

import os
import sys
import tempfile
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


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.exists():
        pytest.skip("../shared is not beside the checkout")
    return SHARED


@pytest.fixture(scope="session")
def prefect_engine():
    """The real Prefect engine (temporary server and database), started once per session."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=60):
        yield


def run_cli(capsys, monkeypatch, *argv: str) -> tuple[int, str, str]:
    """Run `incidents ARGV` in-process as the console script does: (exit code, stdout, stderr)."""
    from incidents.cli import main

    monkeypatch.setattr(sys, "argv", ["incidents", *argv])
    capsys.readouterr()
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = exc.code or 0
    captured = capsys.readouterr()
    return code, captured.out, captured.err

"""The Prefect database template that spares a new data directory Prefect's migrations."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from importlib.metadata import version

from incidents import prefect_home


def test_the_shipped_template_is_for_the_locked_prefect():
    """Otherwise every new data directory silently pays the migrations again: `make prefect-db`."""
    _, meta = prefect_home.template_files()
    assert json.loads(meta.read_text(encoding="utf-8"))["prefect_version"] == version("prefect")


def test_a_new_home_gets_the_template_and_an_existing_database_is_left_alone(tmp_path, monkeypatch):
    monkeypatch.delenv("PREFECT_API_DATABASE_CONNECTION_URL", raising=False)
    monkeypatch.delenv("PREFECT_SERVER_DATABASE_CONNECTION_URL", raising=False)
    home = tmp_path / ".prefect"
    assert prefect_home.seed(home) is True
    db = home / "prefect.db"
    _, meta = prefect_home.template_files()
    assert hashlib.sha256(db.read_bytes()).hexdigest() == json.loads(meta.read_text(encoding="utf-8"))["sha256"]
    with sqlite3.connect(db) as con:  # a migrated Prefect database, with no run in it
        assert con.execute("SELECT count(*) FROM alembic_version").fetchone()[0] == 1
        assert con.execute("SELECT count(*) FROM flow_run").fetchone()[0] == 0
    db.write_bytes(b"not replaced")
    assert prefect_home.seed(home) is False
    assert db.read_bytes() == b"not replaced"
    assert [p.name for p in home.iterdir()] == ["prefect.db"]  # no temporary file left


def test_a_database_configured_elsewhere_is_not_seeded(tmp_path, monkeypatch):
    monkeypatch.setenv("PREFECT_API_DATABASE_CONNECTION_URL", "postgresql+asyncpg://db/prefect")
    assert prefect_home.seed(tmp_path / ".prefect") is False
    assert not (tmp_path / ".prefect" / "prefect.db").exists()

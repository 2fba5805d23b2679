"""Settings: flags beat environment beat defaults; the offline environment is applied."""

from __future__ import annotations

import pytest

from runtime.settings import apply_environment, load_settings


def test_precedence(monkeypatch, tmp_path):
    monkeypatch.delenv("INCIDENTS_DATA_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    assert load_settings().data_dir == tmp_path / "data"
    monkeypatch.setenv("INCIDENTS_DATA_DIR", str(tmp_path / "env"))
    assert load_settings().data_dir == tmp_path / "env"
    assert load_settings(tmp_path / "flag").data_dir == tmp_path / "flag"
    monkeypatch.setenv("INCIDENTS_BATCH_SIZE", "0")
    with pytest.raises(ValueError, match="positive"):
        load_settings()


def test_offline_environment_and_prefect_home(monkeypatch, tmp_path):
    for key in ("DO_NOT_TRACK", "PREFECT_SERVER_ANALYTICS_ENABLED", "GX_ANALYTICS_ENABLED", "PREFECT_HOME"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("PREFECT_UI_ENABLED", "true")  # a user's own choice is kept
    settings = load_settings(tmp_path / "d")
    apply_environment(settings)
    import os

    assert os.environ["DO_NOT_TRACK"] == "1"
    assert os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] == "false"
    assert os.environ["GX_ANALYTICS_ENABLED"] == "False"
    assert os.environ["PREFECT_HOME"] == str(tmp_path / "d" / ".prefect")
    assert os.environ["PREFECT_UI_ENABLED"] == "true"
    assert (tmp_path / "d").is_dir()


def test_every_knob_has_a_default_and_an_environment_override(tmp_path):
    from runtime.settings import DEFAULT_BATCH_SIZE

    defaults = load_settings(tmp_path, env={})
    assert (defaults.batch_size, defaults.duckdb_memory, defaults.duckdb_compression) == (10_000, "64MB", "zstd")
    assert defaults.workers >= 1 and defaults.prefect_port is None and defaults.reference is None
    assert defaults.user_agent.startswith("incidents-pipeline/")
    env = {
        "INCIDENTS_BATCH_SIZE": "250", "INCIDENTS_WORKERS": "3", "INCIDENTS_DUCKDB_MEMORY": "1GB",
        "INCIDENTS_DUCKDB_COMPRESSION": "AUTO", "INCIDENTS_USER_AGENT": "me (me@example.org)",
        "INCIDENTS_PREFECT_PORT": "4321", "INCIDENTS_REFERENCE": str(tmp_path / "ref.csv"),
    }
    s = load_settings(tmp_path, env=env)
    assert (s.batch_size, s.workers, s.duckdb_memory, s.duckdb_compression) == (250, 3, "1GB", "auto")
    assert (s.user_agent, s.prefect_port, s.reference) == ("me (me@example.org)", 4321, tmp_path / "ref.csv")
    # one batch size: a source read on its own cuts batches as a run does
    import inspect

    from sources import read_source

    assert inspect.signature(read_source).parameters["batch_size"].default == DEFAULT_BATCH_SIZE == 10_000
    for bad in ({"INCIDENTS_WORKERS": "0"}, {"INCIDENTS_DUCKDB_COMPRESSION": "zstd'; --"},
                {"INCIDENTS_PREFECT_PORT": "http"}):
        with pytest.raises(ValueError, match=next(iter(bad))):
            load_settings(tmp_path, env=bad)


def test_knobs_are_read_when_used_not_at_import(monkeypatch):
    from flows.parallel import workers
    from sources.http import HttpConfig

    monkeypatch.setenv("INCIDENTS_WORKERS", "5")
    monkeypatch.setenv("INCIDENTS_USER_AGENT", "later (ops@example.org)")
    assert workers() == 5
    assert HttpConfig().user_agent == "later (ops@example.org)"


def test_the_lake_is_a_folder_or_a_url(tmp_path):
    local = load_settings(tmp_path)
    assert (local.lake_url, local.lake_dir, local.scratch_dir) == (
        str(tmp_path.resolve() / "lake"), tmp_path.resolve() / "lake", tmp_path.resolve() / "lake" / "_tmp")
    moved = load_settings(tmp_path, env={"INCIDENTS_LAKE": str(tmp_path / "elsewhere")})
    assert moved.lake_dir == tmp_path.resolve() / "elsewhere" and not moved.lake_remote
    remote = load_settings(tmp_path, env={"INCIDENTS_LAKE": "s3://bucket/lake/"}, lake=None)
    assert (remote.lake_url, remote.lake_remote, remote.lake_dir) == ("s3://bucket/lake", True, None)
    assert remote.scratch_dir == tmp_path.resolve() / "_tmp", "local temporary files stay local"
    assert load_settings(tmp_path, env={"INCIDENTS_LAKE": "s3://a/b"}, lake="gs://c/d").lake_url == "gs://c/d"
    for bad in ("s3://", "s 3://bucket/x"):
        with pytest.raises(ValueError, match="INCIDENTS_LAKE"):
            load_settings(tmp_path, env={"INCIDENTS_LAKE": bad})

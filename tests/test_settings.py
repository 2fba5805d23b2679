"""Settings: flags beat environment beat defaults; the offline environment is applied."""

from __future__ import annotations

import pytest

from incidents.settings import apply_environment, load_settings


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

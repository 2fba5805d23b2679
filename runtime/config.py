"""The sources file (TOML): which sources a run reads, and the schedule for `incidents serve`.

Relative locations are resolved against the config file's folder, so a config can travel
with its data. Without `--config`, the sample config shipped in the package is used.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from sources.spec import SourceSpec

KINDS = ("rss", "jsonl", "folder", "csv", "telegram")


class ConfigError(Exception):
    """The config file is missing or not valid: the message says where and why."""


@dataclass(frozen=True)
class Schedule:
    cron: str = "0 * * * *"
    timezone: str = "UTC"


@dataclass(frozen=True)
class Config:
    path: Path
    sources: tuple[SourceSpec, ...]
    schedule: Schedule = field(default_factory=Schedule)

    def source(self, name: str) -> SourceSpec | None:
        return next((s for s in self.sources if s.name == name), None)


def default_config_path() -> Path:
    """The sample config shipped with the CLI package, located without importing that package
    (`find_spec` only finds it), so the flows can load a config and still not import the CLI."""
    spec = find_spec("incidents")
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError("no --config given and the sample config is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "sample" / "sources.toml"


def _is_url(location: str) -> bool:
    return location.startswith(("http://", "https://"))


def load_config(path: str | Path | None = None) -> Config:
    cfg_path = Path(path) if path else default_config_path()
    try:
        raw = tomllib.loads(cfg_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {cfg_path}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"config file {cfg_path} is not valid TOML: {exc}") from None
    base = cfg_path.resolve().parent
    specs: list[SourceSpec] = []
    for i, entry in enumerate(raw.get("sources", []), start=1):
        if not isinstance(entry, dict):
            raise ConfigError(f"{cfg_path}: [[sources]] entry {i} is not a table")
        name, kind, location = entry.get("name"), entry.get("kind"), entry.get("location")
        if not name or not location:
            raise ConfigError(f"{cfg_path}: source {i} needs both 'name' and 'location'")
        if kind is not None and kind not in KINDS:
            raise ConfigError(f"{cfg_path}: source {name!r} has unknown kind {kind!r} (one of {', '.join(KINDS)})")
        if any(s.name == name for s in specs):
            raise ConfigError(f"{cfg_path}: source name {name!r} is used twice")
        loc = str(location)
        if not _is_url(loc):
            loc = str((base / loc).resolve())
        if kind is None:
            from sources.detect import detect_kind

            kind = detect_kind(loc)
        options: dict[str, Any] = dict(entry.get("options", {}))
        specs.append(SourceSpec(name=str(name), kind=str(kind), location=loc, options=options))
    sched = raw.get("schedule", {})
    schedule = Schedule(cron=str(sched.get("cron", Schedule.cron)), timezone=str(sched.get("timezone", "UTC")))
    return Config(path=cfg_path.resolve(), sources=tuple(specs), schedule=schedule)


def ad_hoc_source(location: str) -> SourceSpec:
    """A `--source PATH|URL` given on the command line: kind detected, name = the location."""
    from sources.detect import detect_kind

    loc = location if _is_url(location) else str(Path(location).expanduser().resolve())
    return SourceSpec(name=location, kind=detect_kind(loc), location=loc, options={})

"""Pure extraction and normalisation: plain data or Arrow in, plain data or Arrow out.

The hottest modules may also exist compiled (`tools/build_native.py`, `make native`) in `_native/`,
beside `sources.json`, the SHA-256 of each source they were built from. That folder goes first on the
package's path only while every hash matches, so an edited module is never shadowed by a stale build;
`INCIDENTS_NATIVE=0` keeps the pure Python modules (same output, ~20 % slower).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

_HERE = Path(__file__).parent
NATIVE_DIR = _HERE / "_native"
MANIFEST = NATIVE_DIR / "sources.json"


def source_digests(names: tuple[str, ...] | list[str]) -> dict[str, str]:
    """SHA-256 of each named module's source: what a compiled build must have been made from."""
    return {name: hashlib.sha256((_HERE / f"{name}.py").read_bytes()).hexdigest() for name in names}


def built_from() -> dict[str, str]:
    """The digests the compiled build in NATIVE_DIR was made from (empty: no usable build)."""
    try:
        built = json.loads(MANIFEST.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return built if isinstance(built, dict) else {}


def _native_matches() -> bool:
    built = built_from()
    try:
        return bool(built) and source_digests(list(built)) == built
    except OSError:  # a module the build names is gone
        return False


NATIVE = os.environ.get("INCIDENTS_NATIVE", "1") != "0" and _native_matches()
if NATIVE:
    __path__.insert(0, str(NATIVE_DIR))

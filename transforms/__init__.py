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
_NATIVE = _HERE / "_native"


def _native_matches() -> bool:
    try:
        built = json.loads((_NATIVE / "sources.json").read_text(encoding="utf-8"))
        return bool(built) and all(
            hashlib.sha256((_HERE / f"{name}.py").read_bytes()).hexdigest() == digest for name, digest in built.items())
    except (OSError, ValueError, AttributeError):
        return False


NATIVE = os.environ.get("INCIDENTS_NATIVE", "1") != "0" and _native_matches()
if NATIVE:
    __path__.insert(0, str(_NATIVE))

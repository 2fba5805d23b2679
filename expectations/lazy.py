"""Defer the modules GX imports for expectations this project never runs.

`import great_expectations` imports every core expectation, and two of them pull in heavy
libraries at import time: the KL-divergence and KS-test expectations import `scipy.stats`, and
the KL-divergence one `altair` for its chart. Nothing here uses either, but every process that
validates paid for them: ~78 MB of memory and ~1.9 s of import (measured on GX 1.x here, of
~205 MB and ~4.9 s for GX in all). Loaded lazily (`importlib.util.LazyLoader`), the modules are
executed only if something reads an attribute of them, so behaviour is unchanged for a user who
does; they are not executed at all in a run.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import sys
from collections.abc import Sequence
from types import ModuleType

DEFERRED = ("scipy.stats", "altair")


class _LazyFinder(importlib.abc.MetaPathFinder):
    """Finds the named modules as the other finders would, with a loader that defers executing them."""

    def __init__(self, names: Sequence[str]) -> None:
        self.names = frozenset(names)

    def find_spec(self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
                  ) -> importlib.machinery.ModuleSpec | None:
        if fullname not in self.names:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return None  # not installed, or a loader LazyLoader cannot wrap: import as usual
        spec.loader = importlib.util.LazyLoader(spec.loader)
        return spec


def defer_unused_gx_imports() -> None:
    """Install the lazy finder once, ahead of the others (before GX is first imported)."""
    if not any(isinstance(f, _LazyFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _LazyFinder(DEFERRED))

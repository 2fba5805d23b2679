"""Named crash points, so that tests can kill the pipeline (SIGKILL) anywhere on purpose.

Crash safety is a claim about every instant of a run, and an outside `kill` lands where the
scheduler happens to be. The pipeline instead calls `checkpoint(name)` at the moments that
matter (after each task, between a Parquet file's temporary write and its rename, inside a load
transaction before COMMIT, during the lake rebuild of a reprocess, around Prefect's flow state
and the source state), and a test names the moment to die at:

- `INCIDENTS_CRASH_AT` -- `N`: the N-th checkpoint passed; `PATTERN` or `PATTERN:K`: the K-th
  (default first) checkpoint whose name matches PATTERN (fnmatch; a pattern without `/` is
  matched against the last segment of the name, so `load.in_transaction:2` is the second load;
  `A,B` matches either).
- `INCIDENTS_CRASH_SKIP` -- a file of names (one a line) never to die at: with
  `INCIDENTS_CRASH_AT='*'` the process dies at the first checkpoint not listed (a test that
  appends each death to the file walks forward through a run, one new point per rerun).
- `INCIDENTS_CRASH_TRACE` -- a file every checkpoint passed is appended to (`pass NAME`), then
  `kill NAME` before dying; written unbuffered, so the file survives the kill.

Names are `scope/.../point` (`run/recover/load.in_transaction`): `scope()` prefixes the names of
the checkpoints inside it, so a load during recovery is told apart from a batch's load.

Unset (in production) a checkpoint costs one global lookup and a comparison with None. The
process kills its own child processes (the extraction pool) and then itself with SIGKILL: no
`finally`, no atexit, no flush, as when the machine loses power or the OOM killer strikes.
"""

from __future__ import annotations

import fnmatch
import multiprocessing
import os
import signal
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ENV_AT = "INCIDENTS_CRASH_AT"
ENV_SKIP = "INCIDENTS_CRASH_SKIP"
ENV_TRACE = "INCIDENTS_CRASH_TRACE"


@dataclass
class Plan:
    """When to die (pure: `passes` decides, the caller kills)."""

    ordinal: int | None = None  # die at the N-th checkpoint
    pattern: str | None = None  # ... or at the K-th match of this pattern
    occurrence: int = 1
    skip: frozenset[str] = frozenset()
    seen: int = 0
    matched: int = 0

    def passes(self, name: str) -> bool:
        """Count `name` as passed; True if the process must die here."""
        self.seen += 1
        if self.ordinal is not None:
            return self.seen == self.ordinal
        if self.pattern is None or name in self.skip or not matches(self.pattern, name):
            return False
        self.matched += 1
        return self.matched == self.occurrence


def matches(pattern: str, name: str) -> bool:
    """Whether `name` matches the pattern, or one of its comma-separated alternatives."""
    for alternative in pattern.split(","):
        target = name if "/" in alternative else name.rsplit("/", 1)[-1]
        if fnmatch.fnmatchcase(target, alternative.strip()):
            return True
    return False


def parse(at: str | None, skip: frozenset[str] = frozenset()) -> Plan | None:
    """`N`, `PATTERN` or `PATTERN:K` (see the module's docstring); None or '' means never."""
    at = (at or "").strip()
    if not at:
        return None
    if at.isdigit():
        if int(at) < 1:
            raise ValueError(f"{ENV_AT}: checkpoints count from 1, not {at!r}")
        return Plan(ordinal=int(at), skip=skip)
    pattern, _, k = at.rpartition(":") if at.rpartition(":")[2].isdigit() else (at, "", "1")
    if int(k) < 1:
        raise ValueError(f"{ENV_AT}: occurrences count from 1, not {at!r}")
    return Plan(pattern=pattern, occurrence=int(k), skip=skip)


@dataclass
class _State:
    plan: Plan | None = None
    trace_fd: int | None = None
    scopes: list[str] = field(default_factory=list)


_state: _State | None = None  # None: no plan and no trace, every checkpoint returns at once


def configure(env: Mapping[str, str] = os.environ) -> None:
    """Read the variables again (done once at import; a forked test driver calls it per child)."""
    global _state
    if _state is not None and _state.trace_fd is not None:
        os.close(_state.trace_fd)
    at, trace, skip_file = env.get(ENV_AT), env.get(ENV_TRACE), env.get(ENV_SKIP)
    skip = frozenset()
    if skip_file and Path(skip_file).exists():
        skip = frozenset(n for n in Path(skip_file).read_text(encoding="utf-8").splitlines() if n)
    plan = parse(at, skip)
    if plan is None and not trace:
        _state = None
        return
    fd = os.open(trace, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644) if trace else None
    _state = _State(plan=plan, trace_fd=fd)


def checkpoint(name: str) -> None:
    """A moment a crash must be safe at; dies here when the configured plan says so."""
    if _state is None:
        return
    full = "/".join([*_state.scopes, name])
    die = _state.plan is not None and _state.plan.passes(full)
    if _state.trace_fd is not None:
        os.write(_state.trace_fd, f"{'kill' if die else 'pass'} {full}\n".encode())
    if die:
        _kill_all()


@contextmanager
def scope(name: str) -> Iterator[None]:
    """Prefix the checkpoints inside with `name/` (the flows run their steps one at a time)."""
    if _state is None:
        yield
        return
    _state.scopes.append(name)
    try:
        yield
    finally:
        if _state.scopes and _state.scopes[-1] == name:
            _state.scopes.pop()


def _kill_all() -> None:
    for child in multiprocessing.active_children():  # the extraction workers die with the run
        try:
            os.kill(child.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    os.kill(os.getpid(), signal.SIGKILL)


configure()

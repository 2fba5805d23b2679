"""Great Expectations' own Data Docs of the last run's validations, built offline into a folder.

The run keeps what its validations found: per table, one GX suite result over all its batches
(`outcome.py`, stored as GX's JSON in the warehouse's `validations`). The report puts those results
in an ephemeral context's validation results store, the contracts (`suites.py`) in its suites
store, and has GX build its static site from them: no row is read and nothing validated again,
so the pages show what the run saw, the rows it quarantined included (as unexpected values).

GX's pages link Bootstrap, jQuery, Font Awesome and Vega from CDNs. Building needs no network, but
opened offline the pages would wait on those fetches; `offline_pages` removes the remote `<script>`
and stylesheet tags (plain `<a href>` links stay), so the pages show GX's own local stylesheet and
their tables as static HTML. Sorting and filtering widgets, which need those scripts, are lost.

The site is built in a temporary folder beside `site_dir` and swapped in by two renames, so a
reader finds the old site or the new one, never a half-written one.

Importing GX is most of what the docs cost once nothing is validated (seconds: GX loads every
expectation and its datasources; `expectations/lazy.py` defers scipy and altair; rendering the
pages takes a fraction of that), and it needs nothing the report reads. So `DocsProcess` imports
GX in a second process, started before the report opens the warehouse: on a machine with a free
core the import runs while the report reads its rows and draws its page, and the docs then cost
the report little wall time (the same CPU time).
"""

from __future__ import annotations

import multiprocessing
import os
import re
import shutil
import sys
import uuid
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Self

SITE = "incidents"
_REMOTE_SCRIPT = re.compile(r"<script\b[^>]*\bsrc\s*=\s*[\"']https?://[^>]*>\s*</script>", re.IGNORECASE)
_REMOTE_LINK = re.compile(r"<link\b[^>]*\bhref\s*=\s*[\"']https?://[^>]*>", re.IGNORECASE)
_REMOTE_IMG = re.compile(r"(<img\b[^>]*\bsrc\s*=\s*)([\"'])https?://[^\"']*\2", re.IGNORECASE)


class DocsError(Exception):
    """The Data Docs could not be built; the message says why."""


class DocsProcess:
    """`build_data_docs` in a second process that imports GX as soon as it starts (see above).

    `build(results)` hands it the stored results, `index()` waits for the site. Closed without a
    build (the report failed first), the process is ended at once; after a build, it is waited for,
    so that a site is never cut off halfway through its swap."""

    def __init__(self, site_dir: Path) -> None:
        self.site_dir = site_dir
        context = multiprocessing.get_context("spawn")  # a fresh interpreter: no fork of a process holding DuckDB
        self._conn, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child, site_dir), name="data-docs", daemon=True)
        self._process.start()
        child.close()
        self._asked = False

    def build(self, results: dict[str, str]) -> None:
        self._conn.send(results)
        self._asked = True

    def index(self) -> Path:
        try:
            status, value = self._conn.recv()
        except EOFError:
            raise DocsError(f"the Data Docs process ended without a site (exit code {self._process.exitcode})") from None
        if status != "ok":
            raise DocsError(value)
        return Path(value)

    def close(self) -> None:
        self._conn.close()
        if not self._asked and self._process.is_alive():
            self._process.terminate()
        self._process.join()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _serve(conn: Connection, site_dir: Path) -> None:
    """The second process: import GX, wait for the results, build, answer ("ok", index) or ("error", why)."""
    _imports()  # the slow part, done while the report reads the warehouse
    try:
        results = conn.recv()
    except EOFError:  # the report ended without asking for docs
        return
    try:
        answer = ("ok", str(build_data_docs(results, site_dir)))
    except Exception as exc:  # noqa: BLE001 - sent back, the report shows it as one line
        answer = ("error", f"{type(exc).__name__}: {exc}")
    conn.send(answer)
    conn.close()
    sys.stdout.flush()
    sys.stderr.flush()
    # Its work is on disk and sent: the report need not wait while Python tears down GX's
    # thousands of modules (a second or more), so the process ends here.
    os._exit(0)


def _imports() -> None:
    import great_expectations  # noqa: F401
    from great_expectations.data_context.types import resource_identifiers  # noqa: F401

    from expectations import outcome, suites  # noqa: F401


def build_data_docs(results: dict[str, str], site_dir: Path) -> Path:
    """Build GX's Data Docs of stored suite results (table -> GX's JSON of its result) and the
    contracts into `site_dir`, replaced whole once built. Returns the site's index.html."""
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = _beside(site_dir, "new")
    try:
        _build(results, staging)
        for page in staging.rglob("*.html"):
            up = "../" * (len(page.relative_to(staging).parts) - 1)
            page.write_text(offline_page(page.read_text(encoding="utf-8"), up), encoding="utf-8")
        _swap(staging, site_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return site_dir / "index.html"


def _build(results: dict[str, str], folder: Path) -> None:
    import logging

    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )

    from expectations.outcome import from_json
    from expectations.suites import SUITES

    for name in [n for n in logging.root.manager.loggerDict if n.startswith("great_expectations")]:
        logging.getLogger(name).setLevel(logging.WARNING)
    ctx = gx.get_context(mode="ephemeral")
    ctx.variables.progress_bars = ProgressBarsConfig(globally=False)
    ctx.add_data_docs_site(site_name=SITE, site_config={
        "class_name": "SiteBuilder",
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(folder)},
    })
    for table, checks in SUITES.items():
        ctx.suites.add(gx.ExpectationSuite(name=f"{table}_contract", expectations=checks()))
    for table, text in sorted(results.items()):
        result = from_json(text)
        key = ValidationResultIdentifier(
            expectation_suite_identifier=ExpectationSuiteIdentifier(name=result.suite_name),
            run_id=result.meta["run_id"], batch_identifier=table,
        )
        ctx.validation_results_store.store_validation_results(result, key)
    ctx.build_data_docs(site_names=[SITE])


def _swap(staging: Path, site_dir: Path) -> None:
    """Put the new site in place: the old folder is renamed away, the new one renamed in."""
    retired = _beside(site_dir, "old") if site_dir.exists() else None
    if retired is not None:
        site_dir.rename(retired / site_dir.name)
    staging.rename(site_dir)
    if retired is not None:
        shutil.rmtree(retired, ignore_errors=True)


def _beside(site_dir: Path, what: str) -> Path:
    """A new empty folder next to `site_dir` (same file system, so renames are atomic), made with
    the user's umask like any folder the report writes (mkdtemp would make it private)."""
    folder = site_dir.parent / f".{site_dir.name}-{what}-{uuid.uuid4().hex[:12]}"
    folder.mkdir()
    return folder


def offline_page(html: str, up: str = "") -> str:
    """A Data Docs page without its remote scripts, stylesheets and images (links stay links)."""
    html = _REMOTE_SCRIPT.sub("", html)
    html = _REMOTE_LINK.sub("", html)
    return _REMOTE_IMG.sub(lambda m: f"{m.group(1)}{m.group(2)}{up}static/images/logo-long.png{m.group(2)}", html)

"""Great Expectations' own Data Docs for the last run's rows, built offline into a folder.

The pipeline validates every batch on an ephemeral context (no files: `validate.py`), so no
validation result outlives the run. The report rebuilds what GX users expect to open: the same
suites (`suites.py`) run again, through a GX Checkpoint with GX's `UpdateDataDocsAction`, on the rows
the last run loaded, and GX writes its static site into the given folder. Rows that failed a
contract were quarantined and are not among them (the report counts those by rule).

GX's pages link Bootstrap, jQuery, Font Awesome and Vega from CDNs. Building needs no network, but
opened offline the pages would wait on those fetches; `offline_pages` removes the remote `<script>`
and stylesheet tags (plain `<a href>` links stay), so the pages show GX's own local stylesheet and
their tables as static HTML. Sorting and filtering widgets, which need those scripts, are lost.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd

from expectations.suites import SUITES

SITE = "incidents"
_REMOTE_SCRIPT = re.compile(r"<script\b[^>]*\bsrc\s*=\s*[\"']https?://[^>]*>\s*</script>", re.IGNORECASE)
_REMOTE_LINK = re.compile(r"<link\b[^>]*\bhref\s*=\s*[\"']https?://[^>]*>", re.IGNORECASE)
_REMOTE_IMG = re.compile(r"(<img\b[^>]*\bsrc\s*=\s*)([\"'])https?://[^\"']*\2", re.IGNORECASE)


def build_data_docs(frames: dict[str, pd.DataFrame], site_dir: Path, run_name: str) -> Path:
    """Validate each table's frame with its contract and build GX's Data Docs into `site_dir`
    (replaced whole). Returns the site's index.html. `frames` are shaped as the pipeline's
    validator sees them (`validate.frame_for`)."""
    import logging

    import great_expectations as gx
    from great_expectations.checkpoint import UpdateDataDocsAction
    from great_expectations.data_context.types.base import ProgressBarsConfig

    for name in [n for n in logging.root.manager.loggerDict if n.startswith("great_expectations")]:
        logging.getLogger(name).setLevel(logging.WARNING)
    if site_dir.exists():
        shutil.rmtree(site_dir)
    ctx = gx.get_context(mode="ephemeral")
    ctx.variables.progress_bars = ProgressBarsConfig(globally=False)
    ctx.add_data_docs_site(site_name=SITE, site_config={
        "class_name": "SiteBuilder",
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(site_dir)},
    })
    source = ctx.data_sources.add_pandas(name="last_run")
    for table, frame in frames.items():
        suite = ctx.suites.add(gx.ExpectationSuite(name=f"{table}_contract"))
        for exp in SUITES[table]():
            suite.add_expectation(exp)
        batch = source.add_dataframe_asset(name=table).add_batch_definition_whole_dataframe(f"{table}_rows")
        definition = ctx.validation_definitions.add(
            gx.ValidationDefinition(name=f"{table}_validation", data=batch, suite=suite))
        checkpoint = ctx.checkpoints.add(gx.Checkpoint(
            name=f"{table}_{run_name}", validation_definitions=[definition],
            actions=[UpdateDataDocsAction(name="data_docs", site_names=[SITE])],
            result_format={"result_format": "SUMMARY"},
        ))
        checkpoint.run(batch_parameters={"dataframe": frame.reset_index(drop=True)})
    index = site_dir / "index.html"
    if not index.exists():  # no table had rows: still a site that says so
        ctx.build_data_docs(site_names=[SITE])
    for page in site_dir.rglob("*.html"):
        up = "../" * (len(page.relative_to(site_dir).parts) - 1)
        page.write_text(offline_page(page.read_text(encoding="utf-8"), up), encoding="utf-8")
    return index


def offline_page(html: str, up: str = "") -> str:
    """A Data Docs page without its remote scripts, stylesheets and images (links stay links)."""
    html = _REMOTE_SCRIPT.sub("", html)
    html = _REMOTE_LINK.sub("", html)
    return _REMOTE_IMG.sub(lambda m: f"{m.group(1)}{m.group(2)}{up}static/images/logo-long.png{m.group(2)}", html)

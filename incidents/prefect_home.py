"""A new data directory's Prefect database, from a template shipped in the package.

Prefect creates its database on the first start of a server in a new home by running every one
of its migrations (~8 s on the 2-core machine, longer than a 10,000-article batch). The package
ships that database as it is right after creation (tables, Prefect's block types; no run) for
the locked Prefect version, built by `tools/build_prefect_db.py`. A different Prefect version
skips the template and migrates as usual.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import tempfile
from importlib import resources
from importlib.metadata import version
from pathlib import Path

TEMPLATE = "prefect.db.gz"
META = "prefect.db.json"


def template_files() -> tuple[Path, Path]:
    data = Path(str(resources.files("incidents") / "data"))
    return data / TEMPLATE, data / META


def seed(home: Path) -> bool:
    """Put the template database into `home` if it has none; True if it did.

    Reads Prefect's version from its package metadata: importing Prefect here would fix its
    settings before the caller has set PREFECT_API_URL.
    """
    db = home / "prefect.db"
    template, meta = template_files()
    if db.exists() or not template.is_file() or not meta.is_file():
        return False
    if json.loads(meta.read_text(encoding="utf-8")).get("prefect_version") != version("prefect"):
        return False
    if os.environ.get("PREFECT_API_DATABASE_CONNECTION_URL") or os.environ.get("PREFECT_SERVER_DATABASE_CONNECTION_URL"):
        return False  # a database configured elsewhere (e.g. PostgreSQL): not ours to create
    home.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=home, prefix=".prefect.db.")
    try:
        with os.fdopen(fd, "wb") as out, gzip.open(template, "rb") as src:
            shutil.copyfileobj(src, out)
        os.replace(tmp, db)  # whole or not at all: a crash leaves no half database
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True

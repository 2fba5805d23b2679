"""Build incidents/data/prefect.db.gz: Prefect's database as a new server creates it.

Usage:
    python tools/build_prefect_db.py            # rebuild for the installed (locked) Prefect
    python tools/build_prefect_db.py --check    # exit 1 unless the shipped one is for this Prefect

The template saves a new data directory the ~8 s of Prefect's migrations (incidents/prefect_home.py).
It is made the way a run makes it: the run's own temporary server is started once in an empty
Prefect home, offline, and stopped; the database is then compacted into one file. It holds
Prefect's tables and block types, no flow run. Rebuild it whenever the lock file changes Prefect.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import sqlite3
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from incidents.prefect_home import template_files
from runtime.settings import Settings, apply_environment


def build() -> None:
    template, meta = template_files()
    with tempfile.TemporaryDirectory(prefix="prefect-template-") as tmp:
        os.environ.pop("PREFECT_API_URL", None)
        apply_environment(Settings(data_dir=Path(tmp)))
        home = Path(os.environ["PREFECT_HOME"])
        from incidents.server import ThreadServer

        server = ThreadServer()
        server.wait()
        server.stop()
        db = home / "prefect.db"
        con = sqlite3.connect(db)
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.execute("PRAGMA journal_mode=DELETE")
        con.execute("VACUUM")
        con.close()
        raw = db.read_bytes()
    template.parent.mkdir(parents=True, exist_ok=True)
    with open(template, "wb") as fh, gzip.GzipFile(fileobj=fh, mode="wb", mtime=0) as gz:
        gz.write(raw)
    meta.write_text(
        json.dumps({"prefect_version": version("prefect"), "sha256": hashlib.sha256(raw).hexdigest(),
                    "bytes": len(raw)}, indent=2) + "\n",
        encoding="utf-8",
    )
    print(f"wrote {template} ({template.stat().st_size} bytes) for Prefect {version('prefect')}")


def check() -> int:
    _, meta = template_files()
    shipped = json.loads(meta.read_text(encoding="utf-8"))["prefect_version"] if meta.is_file() else None
    if shipped != version("prefect"):
        print(f"the Prefect database template is for Prefect {shipped}, installed is {version('prefect')}: "
              "run `make prefect-db`")
        return 1
    print(f"the Prefect database template matches Prefect {shipped}")
    return 0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="only check the shipped template's Prefect version")
    args = ap.parse_args()
    if args.check:
        raise SystemExit(check())
    build()


if __name__ == "__main__":
    main()

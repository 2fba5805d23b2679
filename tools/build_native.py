"""Compile the extractor's hottest modules to C with mypyc: the same code, ~20 % less CPU per article.

`make run` and `make test` call this (`make native`); it rebuilds only when a source changed. The
compiled modules go to `transforms/_native/` with `sources.json`, the SHA-256 of each source they were
built from; `transforms/__init__.py` puts that folder first on the package's path only while every
hash still matches, so an edited module is never shadowed by a stale build, and without a build
(no C compiler, `INCIDENTS_NATIVE=0`) the same modules run as Python. The output is identical either
way (`tests/test_native.py` compares the two on real texts).

The build is written to a temporary folder and moved into place with its manifest last: a build that
fails or is killed half-way leaves the previous one, or none, never a mix.

    .venv/bin/python tools/build_native.py [--force]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# the package of this checkout, whose __init__ decides whether a build is used
from transforms import MANIFEST, built_from, source_digests
from transforms import NATIVE_DIR as NATIVE

# The modules the sentence loop spends its time in (bench/README, "Extraction speed", stop 26). The rest
# of `transforms` stays Python: compiling it gains nothing measurable.
MODULES = ("extract", "places", "cues", "gates", "sentences", "dates", "casualties", "merge")


def up_to_date() -> bool:
    return built_from() == source_digests(MODULES)


def build(work: Path) -> Path:
    """Compile into `work`; the folder of the built extension modules."""
    from mypyc.build import mypycify
    from setuptools import setup

    sources = [f"transforms/{name}.py" for name in MODULES]
    ext_modules = mypycify(["--config-file", str(ROOT / "pyproject.toml"), *sources], separate=True,
                           opt_level="3", target_dir=str(work / "c"))
    os.chdir(work)  # away from pyproject.toml, whose [project] table setuptools would read and warn about
    setup(name="incidents-native", packages=[], py_modules=[], ext_modules=ext_modules,
          script_args=["--quiet", "build_ext", "--build-lib", str(work / "lib"), "--build-temp", str(work / "tmp")])
    return work / "lib" / "transforms"


def install(built: Path, hashes: dict[str, str]) -> None:
    staged = NATIVE.with_name("_native.new")
    shutil.rmtree(staged, ignore_errors=True)
    staged.mkdir()
    for lib in built.glob("*.so"):
        shutil.copy2(lib, staged / lib.name)
    (staged / MANIFEST.name).write_text(json.dumps(hashes, indent=1), encoding="utf-8")
    shutil.rmtree(NATIVE, ignore_errors=True)
    staged.rename(NATIVE)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--force", action="store_true", help="rebuild even if the build matches the sources")
    args = ap.parse_args()
    if os.environ.get("INCIDENTS_NATIVE") == "0":
        return 0  # Python wanted (say while editing the rules: no 80 s rebuild before each `make test`)
    if not args.force and up_to_date():
        return 0
    hashes = source_digests(MODULES)
    cwd = Path.cwd()
    os.chdir(ROOT)  # mypyc names the modules by their paths relative to here
    try:
        with tempfile.TemporaryDirectory(prefix="incidents-native-") as tmp:
            install(build(Path(tmp)), hashes)
    except (Exception, SystemExit) as exc:  # noqa: BLE001 - no compiler: the modules run as Python
        shutil.rmtree(NATIVE, ignore_errors=True)
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        print(f"build_native: not compiled ({reason[:160]}{'...' if len(reason) > 160 else ''}); "
              "the extractor runs as plain Python, same output, ~20 % slower", file=sys.stderr)
        return 0
    finally:
        os.chdir(cwd)
    print(f"build_native: {len(MODULES)} modules compiled into {NATIVE.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

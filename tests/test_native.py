"""The compiled extractor (tools/build_native.py, `make native`) is the Python one, only faster.

`make test` builds it before the suite, so on a machine with a C compiler (CI's) these tests run against
the compiled modules; where none was built they are skipped, except under CI, where that is a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from conftest import REPO, bench_module

import transforms

sys.path.insert(0, str(REPO / "tools"))
import build_native


@pytest.fixture(scope="module")
def native() -> None:
    if not transforms.NATIVE:
        if os.environ.get("CI"):
            pytest.fail("`make test` builds the compiled modules and CI has a C compiler: see `make native`")
        pytest.skip("no compiled build matches the sources (`make native`)")


def test_the_compiled_modules_are_the_ones_imported(native):
    import transforms.extract  # noqa: F401 - loads every compiled module

    for name in build_native.MODULES:
        path = Path(sys.modules[f"transforms.{name}"].__file__)
        assert path.parent == build_native.NATIVE and path.suffix == ".so", path


def test_compiled_and_python_extract_exactly_the_same(native, shared, tmp_path):
    """The gold and seed texts, each with its variants (no date, markup, upper case, one line, cut
    paragraphs), and our blind records: the compiled extractor here, the Python one in a process with
    INCIDENTS_NATIVE=0. mypyc turns annotations into checks, so a wrong one would show up here as an error."""
    co = bench_module("compare_outputs")
    base = list(co._records(shared / "gold" / "dev.jsonl", "dev")) + [
        (f"seed#{p.name}", p.read_text(encoding="utf-8"), None) for p in sorted((shared / "seed").glob("*.txt"))]
    texts = base + [v for key, text, pub in base for v in co._variants(key, text, pub)]
    for path in sorted((REPO / "tests" / "blind").glob("synth*.jsonl")):
        texts += list(co._records(path, path.name))
    assert len(texts) > 900
    corpus, python_out = tmp_path / "corpus.json", tmp_path / "python.json"
    corpus.write_text(json.dumps(texts), encoding="utf-8")
    script = (
        "import json, sys\nfrom datetime import date\nimport transforms\nfrom transforms.extract import extract_batch\n"
        "assert not transforms.NATIVE\n"
        "texts = json.load(open(sys.argv[1], encoding='utf-8'))\n"
        "arts = [(k, t, date.fromisoformat(p) if p else None) for k, t, p in texts]\n"
        "out = [r if isinstance(r, list) else repr(r) for r in extract_batch(arts)]\n"
        "json.dump(out, open(sys.argv[2], 'w', encoding='utf-8'), sort_keys=True, default=str)\n")
    subprocess.run([sys.executable, "-c", script, str(corpus), str(python_out)], cwd=REPO, check=True,
                   env={**os.environ, "INCIDENTS_NATIVE": "0", "PYTHONPATH": str(REPO)})
    from transforms.extract import extract_batch

    arts = [(k, t, date.fromisoformat(p) if p else None) for k, t, p in texts]
    compiled = [r if isinstance(r, list) else repr(r) for r in extract_batch(arts)]
    compiled = json.loads(json.dumps(compiled, sort_keys=True, default=str))
    python = json.loads(python_out.read_text(encoding="utf-8"))
    differ = [texts[i][0] for i, (a, b) in enumerate(zip(compiled, python)) if a != b]
    assert not differ, differ[:5]
    assert sum(len(r) for r in python if isinstance(r, list)) > 1000  # incidents compared, not empty lists


def _imported(package_root: Path) -> dict:
    script = ("import json, transforms, transforms.cues as c, transforms.extract as e\n"
              "print(json.dumps({'native': transforms.NATIVE, 'cues': c.__file__, 'version': e.RULES_VERSION}))")
    done = subprocess.run([sys.executable, "-c", script], cwd=package_root, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(package_root)}, check=True)
    return json.loads(done.stdout)


def test_an_edited_module_is_never_shadowed_by_a_stale_build(native, tmp_path):
    """A copy of the package with its build: compiled while the sources match; once one module changes,
    every module is Python again (the build no longer matches), and the rules version follows the source."""
    copy = tmp_path / "transforms"
    shutil.copytree(REPO / "transforms", copy, ignore=shutil.ignore_patterns("__pycache__", "data"))
    before = _imported(tmp_path)
    assert before["native"] and before["cues"].endswith(".so")
    with (copy / "cues.py").open("a", encoding="utf-8") as f:
        f.write("\n# an edit after the build\n")
    after = _imported(tmp_path)
    assert not after["native"] and after["cues"] == str(copy / "cues.py")
    assert after["version"] != before["version"]

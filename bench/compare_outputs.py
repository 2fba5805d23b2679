"""Does the extractor give the same output as another version of it, on every text we have?

Speed work must not change a single incident. This script gathers the comparison corpus (the gold
files' texts, every file under `../shared/inputs` read by the project's own source readers, the shipped
sample, our own blind texts, 3,000 `make_corpus.py` articles), adds variants of each relevant text (no
publication date, HTML markup, upper case, one line, cut after each paragraph), runs
`transforms.extract.extract_article` on all of them once with this checkout's code and once with the
code of `--rev` (a temporary git worktree, its own gazetteer), and lists every text whose output
differs. Exit 1 when any differs.

    .venv/bin/python bench/compare_outputs.py --rev HEAD          # working tree vs the last commit
    .venv/bin/python bench/compare_outputs.py --rev f34d52d --show 5

The corpus is gathered once, in this process, so both versions read exactly the same strings.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _shared_texts(shared: Path) -> Iterator[tuple[str, str, str | None]]:
    """(key, text, published ISO date) for every article the source readers get from ../shared."""
    from sources import SourceError, read_source
    from sources.detect import detect_kind
    from sources.spec import SourceSpec

    inputs = shared / "inputs"
    paths = sorted(p for p in inputs.rglob("*") if p.is_file() and p.suffix not in (".md", "") and p.name != "LICENSE")
    folders = sorted({p.parent for p in paths if p.suffix == ".txt"})
    locations = [str(p) for p in paths if p.suffix != ".txt"] + [str(f) for f in folders]
    for loc in locations:
        try:
            spec = SourceSpec(name="cmp", kind=detect_kind(loc), location=loc)
            batches, _, _ = read_source(spec)
            n = 0
            for batch in batches:
                for rec in batch.records:
                    n += 1
                    pub = rec.get("published")
                    pub = pub.date().isoformat() if isinstance(pub, datetime) else None
                    yield f"{Path(loc).relative_to(inputs)}#{n}", rec["text"], pub
        except SourceError:  # a file no reader takes (a malformed feed, a CSV reference table) is not a text
            continue


def _records(path: Path, prefix: str) -> Iterator[tuple[str, str, str | None]]:
    for line in path.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        if rec.get("text"):
            yield f"{prefix}#{rec['article_id']}", rec["text"], rec.get("published")


def _bench_corpus(n: int) -> Iterator[tuple[str, str, str | None]]:
    from make_corpus import generate

    with tempfile.TemporaryDirectory() as tmp:
        path = generate(n, Path(tmp) / "corpus.jsonl")
        for line in path.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            yield f"bench#{rec['article_id']}", rec["text"], rec["published"]


def _variants(key: str, text: str, pub: str | None) -> Iterator[tuple[str, str, str | None]]:
    yield key + "~nodate", text, None
    yield key + "~html", "<p>" + text.replace("\n\n", "</p>\n<p>").replace("\n", "<br/>") + "</p>", pub
    yield key + "~upper", text.upper(), pub
    yield key + "~oneline", " ".join(text.split()), pub
    paras = text.split("\n\n")
    for i in range(1, min(len(paras), 6)):
        yield f"{key}~cut{i}", "\n\n".join(paras[:i]), pub


def gather(shared: Path, bench_n: int) -> list[tuple[str, str, str | None]]:
    base: list[tuple[str, str, str | None]] = []
    gold = shared / "gold"
    for name in ("dev.jsonl", "merge_dev.jsonl"):
        if (gold / name).exists():
            base += _records(gold / name, name)
    base += [(f"seed#{p.name}", p.read_text(encoding="utf-8"), None) for p in sorted((shared / "seed").glob("*.txt"))]
    for path in sorted((ROOT / "tests" / "blind").glob("synth*.jsonl")):
        base += _records(path, path.name)
    base += list(_shared_texts(shared))
    base += list(_bench_corpus(bench_n))
    out = list(base)
    for key, text, pub in base:
        if not key.startswith("bench#"):
            out += _variants(key, text, pub)
    seen: set[str] = set()
    return [t for t in out if not (t[0] in seen or seen.add(t[0]))]  # type: ignore[func-returns-value]


def run_extractor(corpus_path: Path, out_path: Path) -> None:
    """Worker: extract every text of the corpus file with the `transforms` of the current directory."""
    sys.path.insert(0, os.getcwd())
    from transforms.extract import extract_article

    assert Path(sys.modules["transforms"].__file__).resolve().parent.parent == Path.cwd().resolve()

    with corpus_path.open(encoding="utf-8") as src, out_path.open("w", encoding="utf-8") as dst:
        for line in src:
            key, text, pub = json.loads(line)
            published = date.fromisoformat(pub) if pub else None
            try:
                got = extract_article(text, article_id="cmp", published=published)
            except Exception as err:  # noqa: BLE001 - a crash is an output too: it must not differ either
                got = [{"error": f"{type(err).__name__}: {err}"}]
            dst.write(json.dumps([key, got], ensure_ascii=False, sort_keys=True, default=str) + "\n")


def _outputs(code_root: Path, corpus_path: Path, out_path: Path) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(code_root))
    subprocess.run([sys.executable, __file__, "--worker", str(corpus_path), str(out_path)],
                   env=env, cwd=code_root, check=True)
    outs = {}
    for line in out_path.read_text(encoding="utf-8").splitlines():
        key, got = json.loads(line)
        outs[key] = json.dumps(got, ensure_ascii=False, sort_keys=True)
    return outs


_BRIEF = ("event_type", "weapon", "admin1", "admin2", "locality", "quantity", "killed", "injured", "evidence")


def _changed(old: str | None, new: str) -> tuple[list[str], list[str]]:
    """The incidents only one side has, one line each (the fields an analyst reads, evidence cut short)."""
    def rows(blob: str | None) -> list[str]:
        incs = json.loads(blob) if blob else []
        return [" | ".join(str(i.get(k))[:70] for k in _BRIEF) for i in incs]
    before, after = rows(old), rows(new)
    return [r for r in before if r not in after], [r for r in after if r not in before]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rev", default="HEAD", help="the version to compare with (default: HEAD)")
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--bench-n", type=int, default=3000)
    ap.add_argument("--show", type=int, default=3, help="print this many differing outputs in full")
    ap.add_argument("--worker", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        run_extractor(*args.worker)
        return 0

    sys.path[:0] = [str(ROOT), str(ROOT / "bench")]  # the worker imports only the code it is pointed at
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        corpus = gather(args.shared, args.bench_n)
        corpus_path = tmp_path / "corpus.jsonl"
        corpus_path.write_text("".join(json.dumps(t, ensure_ascii=False) + "\n" for t in corpus), encoding="utf-8")
        tree = tmp_path / "rev"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "--quiet", str(tree), args.rev], check=True)
        try:
            old = _outputs(tree, corpus_path, tmp_path / "old.jsonl")
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=True)
        new = _outputs(ROOT, corpus_path, tmp_path / "new.jsonl")

    differ = [k for k in new if new[k] != old.get(k)]
    incidents = sum(len(json.loads(v)) for v in new.values())
    digest = hashlib.sha256("".join(new[k] for k in sorted(new)).encode()).hexdigest()[:12]
    print(json.dumps({"texts": len(new), "incidents": incidents, "differ": len(differ), "rev": args.rev,
                      "outputs_sha256": digest}))
    for key in differ[: args.show]:
        gone, came = _changed(old.get(key), new[key])
        print(f"--- {key}")
        print("".join(f"  - {row}\n" for row in gone) + "".join(f"  + {row}\n" for row in came), end="")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())

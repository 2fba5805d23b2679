"""Extraction quality with breakdowns: `incidents eval`'s scoring, split by language and by subset.

    .venv/bin/python bench/quality.py ../shared/gold/dev.jsonl [--split-prefix a-] [--misses]
    .venv/bin/python bench/quality.py --blind            # the first blind set, tests/blind/pages_2026-12.jsonl
    .venv/bin/python bench/quality.py --blind channels   # the second, tests/blind/channels_2026-12.jsonl
    .venv/bin/python bench/quality.py --blind synth      # our own texts (kept with their annotations)
    .venv/bin/python bench/quality.py --blind synth2     # more of our own texts (also synth3, synth4)

`--blind [NAME]` scores `tests/blind/NAME_2026-12.jsonl` (default `pages`; its `split` halves: `open`,
whose errors may be read while rules are written, and `sealed`, never read). `--split-prefix P` reports the records whose article_id starts with P apart from the rest (the dev
records added on 2026-12-06 start with "a-", "b-", "c-"...). Texts of the blind set are read from
`../shared/inputs` through their locators; the annotations hold no text (but the `synth*` sets', whose texts are ours).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from incidents.evaluate import evaluate_records, read_gold

BLIND = ROOT / "tests" / "blind" / "{}_2026-12.jsonl"


def _line(name: str, res: dict) -> str:
    o = res["overall"]
    f = lambda v: "  -  " if v is None else f"{v:.3f}"
    types = " ".join(f"{t[:5]}={f(r['f1'])}" for t, r in res["by_type"].items())
    fields = " ".join(f"{k[:4]}={f(v)}" for k, v in res["fields"].items())
    return (f"{name:18} n={res['articles']:3d} P={f(o['precision'])} R={f(o['recall'])} F1={f(o['f1'])} "
            f"tp={o['tp']} fp={o['fp']} fn={o['fn']} | {types} | {fields}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("gold", nargs="?")
    ap.add_argument("--blind", nargs="?", const="pages", choices=("pages", "channels", "feeds", "synth", "synth2", "synth3", "synth4"),
                    help="score one of the repository's blind sets")
    ap.add_argument("--split-prefix", action="append", default=[], help="comma-separated id prefixes")
    ap.add_argument("--misses", action="store_true")
    ap.add_argument("--only-split", help="score only the records of this split (the blind set's open or sealed half)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    gold = read_gold(Path(str(BLIND).format(args.blind)) if args.blind else Path(args.gold), ROOT.parent / "shared")
    if args.only_split:
        gold = [g for g in gold if g.get("split") == args.only_split]
    groups = {"all": gold}
    for split in sorted({g["split"] for g in gold if g.get("split")}):
        groups[f"split={split}"] = [g for g in gold if g.get("split") == split]
    if any(g.get("sealed_until") for g in gold):  # a half kept sealed until that day, opened since
        groups["was-sealed"] = [g for g in gold if g.get("sealed_until")]
    for lang in ("en", "ru", "uk"):
        groups[f"lang={lang}"] = [g for g in gold if g.get("language") == lang]
    for spec in args.split_prefix:  # "a-,b-,c-": those records apart from the rest
        prefixes = tuple(spec.split(","))
        groups[f"id^={spec}"] = [g for g in gold if g["article_id"].startswith(prefixes)]
        groups["other"] = [g for g in gold if not g["article_id"].startswith(prefixes)]
    results = {name: evaluate_records(recs) for name, recs in groups.items() if recs}
    if args.json:
        print(json.dumps({k: {x: v[x] for x in ("articles", "overall", "by_type", "fields")}
                          for k, v in results.items()}))
        return
    if args.misses:
        for m in results["all"]["misses"]:
            extra = f" [{m['field']}]" if m.get("field") else ""
            print(f"  {m['article_id']:10} {m['kind']}{extra}: expected={m['expected']} got={m['got']}")
    for name, res in results.items():
        print(_line(name, res))


if __name__ == "__main__":
    main()

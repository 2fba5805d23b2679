"""Independent end-to-end quality check: score the `incidents` table of a real `incidents run`.

    .venv/bin/python bench/score_run.py [GOLD.jsonl ...] [--texts ../shared] [--json] [--misses]
                                        [--data-dir DIR [--no-run]] [--no-eval]

Without GOLD files it scores the two blind sets, tests/blind/pages_2026-12.jsonl and
tests/blind/channels_2026-12.jsonl. Steps:

1. Collect the source files the gold records' locators name (`locator.file`, under `--texts`); a
   record that carries its own `text` (dev.jsonl style) makes its gold file a source itself.
2. Run the real pipeline once over those whole files: `incidents run --source F ... --data-dir D
   --json` in a fresh temporary data directory (removed afterwards unless `--keep`/`--data-dir`).
3. Read the `incidents` table of that run from the warehouse (`warehouse.duckdb`, read-only) and
   check it against the Parquet lake (`lake/incidents/**/*.parquet`): the rows of the annotated
   articles must be the same in both.
4. Score those rows against the gold with this file's own implementation of the "Scoring" section
   of ../shared/gold/README.md (nothing is imported from transforms.scoring or incidents.evaluate):
   per article, a one-to-one matching of gold and table incidents that agree on event_type and
   admin1 (and on the normalised admin2 where the gold gives one); the matching has the most pairs
   possible, and among such matchings the most agreeing fields (a tie-break the README leaves open).
5. Run `incidents eval GOLD --texts DIR --json` on the same records (and on their per-language and
   per-split subsets) and print its figures beside the table's, flagging every difference.

The table's `article_id` is the locator's `article_id` (a JSON Lines source keeps its own ids; CSV
dumps and text folders get the pipeline's ids, which the blind sets' locators record).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BLIND_SETS = (ROOT / "tests" / "blind" / "pages_2026-12.jsonl", ROOT / "tests" / "blind" / "channels_2026-12.jsonl")
DEFAULT_TEXTS = ROOT.parent / "shared"

EVENT_TYPES = ("interception", "strike", "debris")
FIELDS = ("weapon", "admin2", "locality", "quantity", "killed", "injured")
# Compared only where the gold value is not null (an inferred district the text does not name is no error).
NAME_FIELDS = frozenset({"admin2", "locality"})
INCIDENT_COLUMNS = ("event_type", "weapon", "country", "admin1", "admin2", "locality", "quantity", "killed", "injured")

# --- names ------------------------------------------------------------------------------------------
# README: lower case, ASCII transliteration, generic words removed, adjectival endings cut, then a
# final "-sk" cut (words longer than 4 letters).

GENERIC_WORDS = frozenset({
    "district", "raion", "rayon", "okrug", "municipal", "urban", "city", "oblast", "region", "krai", "hromada",
    "community", "settlement",
})
ADJECTIVAL_ENDINGS = ("sky", "skiy", "skii", "skyi", "skyy", "ski", "skoy", "skaya", "ska")

# Transliteration of Cyrillic that reaches a name field (the gold and the table are meant to hold
# English names already). Ukrainian words (і, ї, є, ґ, or the soft "-ськ-"/"-цьк-") follow Ukraine's
# official romanisation, other words a common English romanisation of Russian.
_UK = {"а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie", "ж": "zh", "з": "z",
       "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
       "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
       "щ": "shch", "ь": "", "ю": "iu", "я": "ia", "ъ": "", "ы": "y", "э": "e", "ё": "e"}
_RU = {**_UK, "г": "g", "и": "i", "й": "y", "ю": "yu", "я": "ya", "е": "e", "є": "e", "і": "i", "ї": "yi"}
_UK_WORD = re.compile(r"[іїєґ]|[сц]ьк")
_CYRILLIC_WORD = re.compile(r"[\u0400-\u04ff]+")
_APOSTROPHES = re.compile(r"['’ʼ`´]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def _transliterate(text: str) -> str:
    def word(m: re.Match) -> str:
        table = _UK if _UK_WORD.search(m.group(0)) else _RU
        return "".join(table.get(ch, ch) for ch in m.group(0))

    text = _CYRILLIC_WORD.sub(word, text)
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _cut_word(word: str) -> str:
    for ending in ADJECTIVAL_ENDINGS:  # no ending of the list is a suffix of another: at most one applies
        if word.endswith(ending) and len(word) > len(ending):
            word = word[: -len(ending)]
            break
    if len(word) > 4 and word.endswith("sk"):
        word = word[:-2]
    return word


def normalise_name(name: str | None) -> str | None:
    """`Kharkivskyi`, `Kharkiv raion` -> `kharkiv`; `Kursky`, `Kursk district` -> `kur`; None stays None."""
    if name is None:
        return None
    text = _APOSTROPHES.sub("", _transliterate(str(name).lower()))
    words = [_cut_word(w) for w in _NON_ALNUM.sub(" ", text).split() if w not in GENERIC_WORDS]
    return " ".join(w for w in words if w) or None


# --- matching and scoring ---------------------------------------------------------------------------

def can_match(gold: dict, pred: dict) -> bool:
    """Same event type and admin1; same normalised admin2 where the gold gives one."""
    if gold.get("event_type") != pred.get("event_type") or gold.get("admin1") != pred.get("admin1"):
        return False
    return gold.get("admin2") is None or normalise_name(gold["admin2"]) == normalise_name(pred.get("admin2"))


def compared_fields(gold: dict) -> list[str]:
    return [f for f in FIELDS if f not in NAME_FIELDS or gold.get(f) is not None]


def field_agrees(field: str, gold_value, pred_value) -> bool:
    if field in NAME_FIELDS:
        return normalise_name(gold_value) == normalise_name(pred_value)
    return gold_value == pred_value  # null and 0 are different answers


def _agreement(gold: dict, pred: dict) -> tuple[int, int]:
    """(same place names, agreeing other fields) of a candidate pair, for choosing among matchings.

    Place names count when the normalised values are equal, nulls included: an incident is an event
    type at the finest place named, so a region-level prediction is the same place as a region-level
    gold incident, and a prediction naming village X the same place as gold village X."""
    places = sum(normalise_name(gold.get(f)) == normalise_name(pred.get(f)) for f in NAME_FIELDS)
    others = sum(field_agrees(f, gold.get(f), pred.get(f)) for f in FIELDS if f not in NAME_FIELDS)
    return places, others


def match_article(gold: list[dict], pred: list[dict]) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, predicted index), chosen lexicographically: as many pairs as
    possible (the README's rule); then, where several matchings have that many pairs (a choice the
    README leaves open), as many same place names (admin2, locality) as possible; then as many
    agreeing weapon/quantity/killed/injured. A maximum-weight assignment whose weights keep that
    order (each level outweighs everything below it summed over any matching)."""
    allowed = [[can_match(g, p) for p in pred] for g in gold]
    if not any(any(row) for row in allowed):
        return []
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    n = min(len(gold), len(pred))
    other_unit = 1
    place_unit = (len(FIELDS) - len(NAME_FIELDS)) * n + 1
    pair_unit = len(NAME_FIELDS) * n * place_unit + place_unit
    weight = np.zeros((len(gold), len(pred)))
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            if allowed[gi][pi]:
                places, others = _agreement(g, p)
                weight[gi, pi] = pair_unit + places * place_unit + others * other_unit
    rows, cols = linear_sum_assignment(weight, maximize=True)
    return sorted((int(g), int(p)) for g, p in zip(rows, cols) if allowed[g][p])


def _prf(tp: int, fp: int, fn: int) -> dict:
    """A ratio with nothing to count is null (absent), never a perfect 1.0."""
    return {
        "precision": tp / (tp + fp) if tp + fp else None,
        "recall": tp / (tp + fn) if tp + fn else None,
        "f1": 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else None,
        "tp": tp, "fp": fp, "fn": fn,
    }


def gold_key(record: dict) -> str:
    """The id the article has in the pipeline's tables: the locator's id for a record without text
    (its source file is run), else the record's own (its gold file is run as a JSON Lines source)."""
    loc = record.get("locator") or {}
    if "text" not in record and loc.get("article_id"):
        return str(loc["article_id"])
    return str(record["article_id"])


def score(gold: list[dict], predicted: dict[str, list[dict]]) -> dict:
    """Scores of `predicted` (table rows by article id) against gold records (README "Scoring")."""
    by_type: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # tp, fp, fn
    by_language: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    by_split: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    fields = {f: [0, 0] for f in FIELDS}  # correct, compared
    misses: list[dict] = []
    for record in gold:
        aid = gold_key(record)
        g_list = list(record.get("incidents") or [])
        p_list = list(predicted.get(aid) or [])
        pairs = match_article(g_list, p_list)
        counters = [by_language[record.get("language") or "unknown"]]
        if record.get("split"):
            counters.append(by_split[record["split"]])
        for gi, pi in pairs:
            g, p = g_list[gi], p_list[pi]
            by_type[g["event_type"]][0] += 1
            for c in counters:
                c[0] += 1
            for f in compared_fields(g):
                fields[f][1] += 1
                if field_agrees(f, g.get(f), p.get(f)):
                    fields[f][0] += 1
                else:
                    misses.append({"article_id": aid, "kind": "field", "field": f, "expected": g.get(f),
                                   "got": p.get(f), "incident": _brief(g)})
        matched_g, matched_p = {gi for gi, _ in pairs}, {pi for _, pi in pairs}
        for pi, p in enumerate(p_list):
            if pi not in matched_p:
                by_type[p.get("event_type")][1] += 1
                for c in counters:
                    c[1] += 1
                misses.append({"article_id": aid, "kind": "spurious", "expected": None, "got": _brief(p)})
        for gi, g in enumerate(g_list):
            if gi not in matched_g:
                by_type[g["event_type"]][2] += 1
                for c in counters:
                    c[2] += 1
                misses.append({"article_id": aid, "kind": "missed", "expected": _brief(g), "got": None})
    total = [sum(c[i] for c in by_type.values()) for i in range(3)]
    types = list(EVENT_TYPES) + sorted(str(t) for t in by_type if t not in EVENT_TYPES)
    return {
        "articles": len(gold),
        "gold_incidents": sum(len(r.get("incidents") or []) for r in gold),
        "overall": _prf(*total),
        "by_type": {t: _prf(*by_type.get(t, [0, 0, 0])) for t in types},
        "by_language": {k: _prf(*v) for k, v in sorted(by_language.items())},
        "by_split": {k: _prf(*v) for k, v in sorted(by_split.items())},
        "fields": {f: (c / n if n else None) for f, (c, n) in fields.items()},
        "field_counts": {f: {"correct": c, "compared": n} for f, (c, n) in fields.items()},
        "misses": misses,
    }


def _brief(incident: dict) -> str:
    keys = ("event_type", "weapon", "admin1", "admin2", "locality", "quantity", "killed", "injured")
    return " ".join(f"{k}={incident.get(k)}" for k in keys)


# --- gold files and sources -------------------------------------------------------------------------

def read_jsonl(path: Path) -> list[dict]:
    records = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            if line.strip():
                try:
                    records.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise SystemExit(f"{path}:{n}: not valid JSON: {exc.msg}") from None
    return records


def sources_of(gold_files: dict[Path, list[dict]], texts: Path) -> list[Path]:
    """Whole source files to run, in order of first mention: located files, and gold files with texts."""
    found: dict[Path, None] = {}
    for path, records in gold_files.items():
        for r in records:
            if r.get("locator") and "text" not in r:
                src = (texts / r["locator"]["file"]).resolve()
                if not src.exists():
                    raise SystemExit(f"{path.name}: {r['article_id']}: {src} not found (give --texts DIR)")
                found.setdefault(src)
            elif "text" in r:
                found.setdefault(path.resolve())
            else:
                raise SystemExit(f"{path.name}: {r.get('article_id')}: neither a text nor a locator")
    return list(found)


# --- the run and the table ----------------------------------------------------------------------------

def _cli() -> list[str]:
    beside = Path(sys.executable).parent / "incidents"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("incidents")
    if not found:
        raise SystemExit("the `incidents` command is not installed (make setup)")
    return [found]


PACKAGES = ("incidents", "flows", "transforms", "expectations", "warehouse", "sources")  # pyproject's wheel


def code_fingerprint(base: Path = ROOT) -> str:
    """A hash of the packages' files (code, gazetteer and other package data) under `base`."""
    h = hashlib.sha256()
    for folder in PACKAGES:
        for path in sorted((base / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                h.update(str(path.relative_to(base)).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:12]


def snapshot_code(dest: Path, rev: str | None = None) -> dict[str, str]:
    """Freeze the packages in `dest` and return an environment that imports them from there.

    From the working tree, or with `rev` from that git revision (`git archive`, read-only). The run
    and every `incidents eval` then execute the same code even while someone edits the checkout
    (the editable install's path comes after PYTHONPATH on sys.path)."""
    if rev:
        import io
        import tarfile

        proc = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", rev, *PACKAGES],
                              capture_output=True, check=False)
        if proc.returncode:
            raise SystemExit(f"git archive {rev}: {proc.stderr.decode(errors='replace').strip()}")
        dest.mkdir(parents=True)
        with tarfile.open(fileobj=io.BytesIO(proc.stdout)) as tar:
            tar.extractall(dest, filter="data")
    else:
        for folder in PACKAGES:
            shutil.copytree(ROOT / folder, dest / folder, ignore=shutil.ignore_patterns("__pycache__"))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(dest), os.environ.get("PYTHONPATH")]))}
    probe = subprocess.run([sys.executable, "-c", "import transforms, incidents; print(transforms.__file__)"],
                           env=env, capture_output=True, text=True, cwd=dest.parent, check=False)
    if not probe.stdout.strip().startswith(str(dest)):
        raise SystemExit(f"the code snapshot in {dest} is not what Python imports: {probe.stdout}{probe.stderr}")
    return env


def run_pipeline(sources: list[Path], data_dir: Path, env: dict | None = None) -> dict:
    data_dir.mkdir(parents=True, exist_ok=True)
    cmd = [*_cli(), "run", "--data-dir", str(data_dir), "--json"]
    for src in sources:
        cmd += ["--source", str(src)]
    started = time.monotonic()
    proc = subprocess.run(cmd, cwd=data_dir.parent, capture_output=True, text=True, env=env, check=False)
    seconds = time.monotonic() - started
    summary = None
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith("{"):
            summary = json.loads(line)
            break
    if proc.returncode not in (0, 1) or summary is None:
        raise SystemExit(f"incidents run failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}{proc.stdout[-2000:]}")
    return {"command": cmd, "exit_code": proc.returncode, "seconds": round(seconds, 1), "summary": summary}


def read_table(data_dir: Path, ids: set[str]) -> dict:
    """Incident rows of the given articles from the warehouse, checked against the Parquet lake."""
    import duckdb

    cols = ", ".join(("incident_id", "article_id", *INCIDENT_COLUMNS))
    con = duckdb.connect()
    con.execute("CREATE TEMP TABLE wanted (article_id VARCHAR)")
    con.executemany("INSERT INTO wanted VALUES (?)", [(i,) for i in sorted(ids)])
    con.execute(f"ATTACH '{data_dir / 'warehouse.duckdb'}' AS wh (READ_ONLY)")
    rows = con.execute(f"SELECT {cols} FROM wh.incidents JOIN wanted USING (article_id) ORDER BY incident_id").fetchall()
    names = ["incident_id", "article_id", *INCIDENT_COLUMNS]
    incidents = [dict(zip(names, r)) for r in rows]
    stored = {r[0] for r in con.execute("SELECT article_id FROM wh.articles JOIN wanted USING (article_id)").fetchall()}
    quarantined = [dict(zip(("article_id", "rule", "reason"), r)) for r in con.execute(
        "SELECT article_id, rule, reason FROM wh.quarantine JOIN wanted USING (article_id) "
        "WHERE table_name = 'incidents'").fetchall()]
    versions = sorted(r[0] for r in con.execute("SELECT DISTINCT extractor_version FROM wh.incidents").fetchall())
    total = con.execute("SELECT count(*) FROM wh.incidents").fetchone()[0]
    lake_glob = (data_dir / "lake" / "incidents" / "**" / "*.parquet").as_posix()
    lake_rows = con.execute(
        f"SELECT {cols} FROM read_parquet('{lake_glob}', hive_partitioning = true) "
        "JOIN wanted USING (article_id) ORDER BY incident_id").fetchall()
    con.close()
    return {"incidents": incidents, "articles_stored": stored, "quarantined": quarantined,
            "extractor_versions": versions, "table_rows": total, "lake_agrees": sorted(lake_rows) == sorted(rows)}


# --- `incidents eval` beside it -------------------------------------------------------------------------

def run_eval(gold_path: Path, texts: Path, env: dict | None = None) -> dict:
    proc = subprocess.run([*_cli(), "eval", str(gold_path), "--texts", str(texts), "--json"],
                          cwd=gold_path.parent, capture_output=True, text=True, env=env, check=False)
    if proc.returncode != 0:
        return {"error": (proc.stderr or proc.stdout).strip()[-500:]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def subsets(records: list[dict]) -> dict[str, list[dict]]:
    """The scopes scored apart: per language, per `split` half, and the records once sealed."""
    groups = {"all": records}
    for lang in sorted({r.get("language") or "unknown" for r in records}):
        groups[f"language={lang}"] = [r for r in records if (r.get("language") or "unknown") == lang]
    for split in sorted({r["split"] for r in records if r.get("split")}):
        groups[f"split={split}"] = [r for r in records if r.get("split") == split]
    if any(r.get("sealed_until") for r in records):  # a half kept sealed until that day, opened since
        groups["was_sealed"] = [r for r in records if r.get("sealed_until")]
    return groups


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) < 1e-9


def compare(table: dict, evals: dict[str, dict]) -> list[str]:
    """Every figure where the table's score and `incidents eval`'s differ."""
    diffs = []

    def prf(scope: str, mine: dict, theirs: dict | None) -> None:
        if theirs is None:
            diffs.append(f"{scope}: no eval figure")
            return
        for k in ("tp", "fp", "fn", "precision", "recall", "f1"):
            if not _same(mine.get(k), theirs.get(k)):
                diffs.append(f"{scope} {k}: table {_fmt(mine.get(k))} vs eval {_fmt(theirs.get(k))}")

    ev = evals.get("all", {})
    if "error" in ev:
        return [f"incidents eval failed: {ev['error']}"]
    if ev.get("articles") != table["articles"]:
        diffs.append(f"articles: table {table['articles']} vs eval {ev.get('articles')}")
    prf("overall", table["overall"], ev.get("overall"))
    for t, r in table["by_type"].items():
        prf(t, r, (ev.get("by_type") or {}).get(t))
    for name, r in table["scopes"].items():
        sub = evals.get(name) or {}
        if "error" in sub:
            diffs.append(f"{name}: incidents eval failed: {sub['error']}")
        else:
            prf(name, r, sub.get("overall"))
    for f, v in table["fields"].items():
        if not _same(v, (ev.get("fields") or {}).get(f)):
            diffs.append(f"field {f}: table {_fmt(v)} vs eval {_fmt((ev.get('fields') or {}).get(f))}")
    return diffs


# --- report -----------------------------------------------------------------------------------------------

def _fmt(v) -> str:
    if v is None:
        return "-"
    return f"{v:.3f}" if isinstance(v, float) else str(v)


def render(name: str, res: dict) -> str:
    t, evals, diag = res["table"], res["eval"], res["checks"]
    lines = [(f"== {name}: {t['articles']} articles, {t['gold_incidents']} gold incidents, "
              f"{diag['table_rows_for_these_articles']} table rows for them")]
    head = f"{'scope':18}{'P':>7}{'R':>7}{'F1':>7}{'tp':>5}{'fp':>5}{'fn':>5}   |{'eval P':>8}{'R':>7}{'F1':>7}{'tp':>5}{'fp':>5}{'fn':>5}"
    lines.append(head)
    ev_all = evals.get("all") or {}
    rows = [("overall", t["overall"], ev_all.get("overall"))]
    rows += [(k, v, (ev_all.get("by_type") or {}).get(k)) for k, v in t["by_type"].items()]
    rows += [(k, v, (evals.get(k) or {}).get("overall")) for k, v in t["scopes"].items()]
    for scope, mine, theirs in rows:
        line = f"{scope:18}" + "".join(f"{_fmt(mine[k]):>7}" for k in ("precision", "recall", "f1"))
        line += "".join(f"{mine[k]:5d}" for k in ("tp", "fp", "fn")) + "   |"
        if theirs is None:
            line += f"{'n/a':>8}"
        else:
            line += f"{_fmt(theirs['precision']):>8}" + "".join(f"{_fmt(theirs[k]):>7}" for k in ("recall", "f1"))
            line += "".join(f"{theirs[k]:5d}" for k in ("tp", "fp", "fn"))
            same = all(_same(mine[k], theirs[k]) for k in ("tp", "fp", "fn", "precision", "recall", "f1"))
            line += "" if same else "   <-- DIFFERS"
        lines.append(line)
    lines.append(f"{'field accuracy':18}{'table':>16}   |{'eval':>8}")
    for f in FIELDS:
        c = t["field_counts"][f]
        theirs = (ev_all.get("fields") or {}).get(f)
        mark = "" if _same(t["fields"][f], theirs) else "   <-- DIFFERS"
        lines.append(f"{f:18}{_fmt(t['fields'][f]):>7} ({c['correct']:3d}/{c['compared']:3d})   |{_fmt(theirs):>8}{mark}")
    for problem in diag["problems"]:
        lines.append(f"check: {problem}")
    if res["differences"]:
        lines.append(f"DIFFERENCES from incidents eval ({len(res['differences'])}):")
        lines += [f"  {d}" for d in res["differences"]]
    elif evals:
        lines.append("incidents eval: every figure identical")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("gold", nargs="*", type=Path, help="gold JSONL files (default: the two blind sets)")
    ap.add_argument("--texts", type=Path, default=DEFAULT_TEXTS, help="folder the locators point into (default ../shared)")
    ap.add_argument("--data-dir", type=Path, help="run into this data directory and keep it (default: a fresh temporary one)")
    ap.add_argument("--no-run", action="store_true", help="score the existing --data-dir without running")
    ap.add_argument("--keep", action="store_true", help="keep the temporary data directory")
    ap.add_argument("--no-eval", action="store_true", help="do not run `incidents eval` beside it")
    ap.add_argument("--rev", help="run the code of this git revision (e.g. HEAD) instead of the working tree's")
    ap.add_argument("--live", action="store_true",
                    help="run the checkout's code as it is (default: a snapshot taken at the start, so the run "
                         "and every eval use the same code while others edit the checkout)")
    ap.add_argument("--misses", action="store_true", help="list every miss of the table-based scoring")
    ap.add_argument("--json", action="store_true", help="print everything as one JSON object")
    args = ap.parse_args(argv)
    if args.no_run and not args.data_dir:
        ap.error("--no-run needs --data-dir")
    if args.live and args.rev:
        ap.error("--live and --rev exclude each other")
    texts = args.texts.resolve()
    gold_paths = [p.resolve() for p in (args.gold or BLIND_SETS)]
    gold_files = {p: read_jsonl(p) for p in gold_paths}
    sources = sources_of(gold_files, texts)

    work = Path(tempfile.mkdtemp(prefix="score-run-"))
    data_dir = args.data_dir.resolve() if args.data_dir else work / "data"
    report: dict = {"data_dir": str(data_dir), "sources": [str(s) for s in sources]}
    try:
        if args.live:
            env, code_dir = None, ROOT
        else:
            code_dir = work / "code"
            env = snapshot_code(code_dir, args.rev)
        fingerprint = code_fingerprint(code_dir)
        report["code"] = {"snapshot": not args.live, "rev": args.rev, "fingerprint": fingerprint}
        stamp = data_dir / ".score_run_code"  # the code fingerprint of the run that made this table
        if args.no_run:
            report["run"] = None
            made_by = stamp.read_text().strip() if stamp.exists() else None
            report["code"]["table_made_by"] = made_by
        else:
            if not args.json:
                print(f"incidents run over {len(sources)} source file(s) into {data_dir} ...", file=sys.stderr, flush=True)
            report["run"] = run_pipeline(sources, data_dir, env)
            stamp.write_text(fingerprint + "\n")
        ids = {gold_key(r) for recs in gold_files.values() for r in recs}
        table = read_table(data_dir, ids)
        predicted: dict[str, list[dict]] = defaultdict(list)
        for row in table["incidents"]:
            predicted[row["article_id"]].append(row)
        report["extractor_versions"] = table["extractor_versions"]
        report["table_rows"] = table["table_rows"]

        # `incidents eval` on each gold file and its subsets, two at a time (2 cores).
        jobs: dict[tuple[Path, str], Path] = {}
        for path, records in gold_files.items():
            for name, subset in (() if args.no_eval else subsets(records).items()):
                # the records as read at the start (a gold file edited meanwhile does not count)
                sub = work / f"{path.stem}.{name.replace('=', '_')}.jsonl"
                sub.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in subset), encoding="utf-8")
                jobs[(path, name)] = sub
        if jobs and not args.json:
            print(f"incidents eval on {len(jobs)} gold file(s)/subsets ...", file=sys.stderr, flush=True)
        with ThreadPoolExecutor(max_workers=2) as pool:
            futures = {key: pool.submit(run_eval, sub, texts, env) for key, sub in jobs.items()}
            eval_results = {key: f.result() for key, f in futures.items()}
        fingerprint_after = code_fingerprint(code_dir)
        report["code"]["checkout_changed_meanwhile"] = (not args.live and not args.rev
                                                        and code_fingerprint(ROOT) != fingerprint)

        report["sets"] = {}
        for path, records in gold_files.items():
            keys = [gold_key(r) for r in records]
            dup = sorted({k for k in keys if keys.count(k) > 1})
            result = score(records, predicted)
            result["scopes"] = {name: score(subset, predicted)["overall"]
                                for name, subset in subsets(records).items() if name != "all"}
            problems = []
            if report["run"] and report["run"]["exit_code"]:
                problems.append(f"incidents run exited {report['run']['exit_code']}: "
                                f"{report['run']['summary'].get('source_errors')}")
            missing = sorted(set(keys) - table["articles_stored"])
            if missing:
                problems.append(f"{len(missing)} annotated article(s) not in the articles table: {missing[:10]}")
            quarantined = [q for q in table["quarantined"] if q["article_id"] in set(keys)]
            if quarantined:
                problems.append(f"{len(quarantined)} incident row(s) of annotated articles quarantined: "
                                + "; ".join(f"{q['article_id']} {q['reason']}" for q in quarantined[:5]))
            if not table["lake_agrees"]:
                problems.append("the warehouse's incidents and the Parquet lake's differ for these articles")
            if args.no_run and report["code"]["table_made_by"] != fingerprint:
                problems.append(f"--no-run: the table was made by code {report['code']['table_made_by'] or 'unknown'}, "
                                f"`incidents eval` ran code {fingerprint}: differences may come from that")
            if dup:
                problems.append(f"articles annotated twice: {dup[:10]}")
            if fingerprint_after != fingerprint:
                problems.append("the checkout's code changed during the check (--live): the run and "
                                "`incidents eval` may have used different code")
            evals = {name: eval_results[(p, name)] for (p, name) in eval_results if p == path}
            res = {
                "gold": str(path),
                "table": {k: v for k, v in result.items() if k != "misses"},
                "eval": evals,
                "checks": {"table_rows_for_these_articles": sum(len(predicted.get(k, [])) for k in set(keys)),
                           "articles_missing_from_table": missing, "quarantined_incidents": quarantined,
                           "lake_agrees_with_warehouse": table["lake_agrees"], "problems": problems},
            }
            res["differences"] = compare(result, evals) if evals else []
            if args.misses:
                res["misses"] = result["misses"]
            report["sets"][path.stem] = res
    finally:
        if args.data_dir or not args.keep:  # the run's own --data-dir is never removed
            shutil.rmtree(work, ignore_errors=True)

    if args.json:
        print(json.dumps(report, default=str, ensure_ascii=False))
    else:
        run = report["run"]
        if run:
            s = run["summary"]
            print(f"incidents run: {len(sources)} source file(s), {s.get('articles_read')} articles read, "
                  f"{s.get('incidents_extracted')} incidents, {s.get('rows_quarantined')} rows quarantined, "
                  f"exit {run['exit_code']}, {run['seconds']} s; extractor {', '.join(report['extractor_versions'])}")
        code = report["code"]
        what = (f"git revision {code['rev']}" if code["rev"] else
                "snapshot of the checkout taken at the start" if code["snapshot"] else "the live checkout")
        print(f"code: {what}, "
              f"fingerprint {code['fingerprint']}"
              + (" (the checkout has changed since; the figures are the snapshot's)"
                 if code.get("checkout_changed_meanwhile") else ""))
        if args.keep and not args.data_dir:
            print(f"data directory kept: {data_dir}")
        for name, res in report["sets"].items():
            print()
            if args.misses:
                for m in res["misses"]:
                    extra = f" [{m['field']}]" if m.get("field") else ""
                    print(f"  {m['article_id']:20} {m['kind']}{extra}: expected={m['expected']} got={m['got']}")
            print(render(name, res))
    differs = any(res["differences"] or res["checks"]["problems"] for res in report["sets"].values())
    return 1 if differs else 0


if __name__ == "__main__":
    sys.exit(main())

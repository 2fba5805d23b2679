"""Randomised kill-anywhere soak: `incidents run` / `reprocess --all` killed at random points.

The suite's test (`tests/test_crash_anywhere.py`) walks chosen points on a few dozen articles;
this one kills the real CLI, as a user starts it (its own process, Prefect's server on a thread,
the extraction pool of one worker per core), at a random checkpoint (`INCIDENTS_CRASH_AT=N`)
on a larger corpus whose second source grows over the rounds, as feeds do. After every kill the
rules that hold at any instant are checked (`warehouse.integrity.crash_problems`); at the end a
run without a kill must leave exactly the rows of a clean run over the final inputs, the lake
equal to the warehouse and nothing temporary behind.

    .venv/bin/python bench/crash_soak.py --rounds 20 --seed 1 [--articles 3000] [--batch-size 500]

Prints one line per round and a JSON summary; exit code 1 if any rule broke.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_corpus import generate

from warehouse import integrity

GROWTH_STEPS = 3  # the second source grows in this many steps over the rounds


def _inputs(work: Path, n: int, seed: int) -> tuple[Path, list[dict]]:
    """Source A (60 % of the corpus) and the records of source B, which grows; B repeats some
    of A's texts under other ids and carries records that are quarantined."""
    rows = [json.loads(line) for line in generate(n, work / "corpus.jsonl", seed=seed, relevant_share=0.3)
            .read_text(encoding="utf-8").splitlines()]
    cut = n * 6 // 10
    a = work / "wire.jsonl"
    a.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows[:cut]), encoding="utf-8")
    b = list(rows[cut:])
    rng = random.Random(seed)
    for i in range(max(3, n // 100)):
        b.insert(rng.randrange(len(b) + 1), {**rows[rng.randrange(cut)], "article_id": f"repeat-{i}",
                                            "url": f"https://example.net/repeat/{i}"})
    for i in range(3):
        b.insert(rng.randrange(len(b) + 1), {"article_id": f"empty-{i}", "url": f"https://example.net/e/{i}"})
    return a, b


def _write_b(path: Path, records: list[dict], step: int) -> None:
    """Source B as of growth step `step` (1..GROWTH_STEPS), replaced whole (a new fingerprint)."""
    upto = len(records) * step // GROWTH_STEPS
    tmp = path.with_suffix(".tmp")
    tmp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records[:upto]), encoding="utf-8")
    os.replace(tmp, path)


def _cli(args: list[str], data_dir: Path, env: dict[str, str], trace: Path | None = None,
         at: int | None = None) -> tuple[int, float]:
    env = dict(env)
    if trace is not None:
        env["INCIDENTS_CRASH_TRACE"] = str(trace)
    if at is not None:
        env["INCIDENTS_CRASH_AT"] = str(at)
    started = time.monotonic()
    done = subprocess.run([str(ROOT / ".venv" / "bin" / "incidents"), *args, "--data-dir", str(data_dir), "--json"],
                          env=env, capture_output=True, text=True, check=False)
    if done.returncode not in (0, -9):
        sys.stderr.write(done.stderr[-2000:])
    return done.returncode, time.monotonic() - started


def _trace(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--articles", type=int, default=3000)
    ap.add_argument("--batch-size", type=int, default=500)
    ap.add_argument("--reprocess-share", type=float, default=0.3)
    ap.add_argument("--work", type=Path, default=None, help="keep the data directories here")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    work = args.work or Path(tempfile.mkdtemp(prefix="crash-soak-"))
    work.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "INCIDENTS_"))}
    env["INCIDENTS_BATCH_SIZE"] = str(args.batch_size)
    wire, regional_records = _inputs(work, args.articles, args.seed)
    regional = work / "regional.jsonl"
    sources = ["run", "--source", str(wire), "--source", str(regional)]

    # A clean run over the final inputs, traced: the reference rows and how many points a run passes.
    _write_b(regional, regional_records, GROWTH_STEPS)
    clean = work / "clean"
    _cli(sources, clean, env, trace=work / "clean-run.trace")
    _cli(["reprocess", "--all"], clean, env, trace=work / "clean-reprocess.trace")
    reference = integrity.content(clean)
    length = {"run": len(_trace(work / "clean-run.trace")), "reprocess": len(_trace(work / "clean-reprocess.trace"))}

    data = work / "data"
    rounds, broken, started = [], [], time.monotonic()
    clean_length = dict(length)
    for i in range(args.rounds):
        step = 1 + i * GROWTH_STEPS // args.rounds
        if i and step != rounds[-1]["growth"]:
            length = dict(clean_length)  # new input: a run passes about as many points as the clean one
        _write_b(regional, regional_records, step)
        kind = "reprocess" if (data / "warehouse.duckdb").exists() and rng.random() < args.reprocess_share else "run"
        argv = sources if kind == "run" else ["reprocess", "--all"]
        at = rng.randint(1, length[kind])
        trace = work / f"round-{i:03d}.trace"
        code, seconds = _cli(argv, data, env, trace=trace, at=at)
        lines = _trace(trace)
        point = next((ln.split(" ", 1)[1] for ln in lines if ln.startswith("kill ")), None)
        problems = integrity.crash_problems(data)
        rounds.append({"round": i, "command": kind, "growth": step, "at": at, "killed": code == -9, "point": point,
                       "exit": code, "seconds": round(seconds, 1), "problems": problems})
        broken += [f"round {i} ({kind} at {point}): {p}" for p in problems]
        if code == 0:  # it passed fewer points than that (nothing new to do): aim within them next
            length[kind] = max(1, len(lines))
        if code not in (0, -9):
            broken.append(f"round {i} ({kind}): exit code {code}")
        print(f"round {i:3d} {kind:9s} growth {step} at {at:4d} -> {point or 'completed'} "
              f"({seconds:.1f} s) {'; '.join(problems) or 'ok'}", flush=True)

    _write_b(regional, regional_records, GROWTH_STEPS)
    code, _ = _cli(sources, data, env)
    final = integrity.complete_problems(data)
    if code != 0:
        final.append(f"the final run exited {code}")
    content = integrity.content(data)
    differs = [t for t in integrity.CONTENT_TABLES if content[t] != reference[t]]
    final += [f"{t}: differs from the clean run ({len(content[t])} vs {len(reference[t])} rows)" for t in differs]
    broken += final
    kills = [r for r in rounds if r["killed"]]
    summary = {
        "rounds": args.rounds, "seed": args.seed, "articles": args.articles, "batch_size": args.batch_size,
        "kills": len(kills), "distinct_points": len({r["point"] for r in kills}),
        "points": sorted({r["point"] for r in kills}), "completed_rounds": len(rounds) - len(kills),
        "minutes": round((time.monotonic() - started) / 60, 1), "final_problems": final, "ok": not broken,
        "reference_rows": {t: len(r) for t, r in reference.items()}, "work": str(work),
    }
    print(json.dumps(summary, indent=1))
    return 0 if not broken else 1


if __name__ == "__main__":
    sys.exit(main())

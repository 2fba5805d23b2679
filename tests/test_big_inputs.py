"""Large inputs stay bounded: a 50 MB feed and a large JSON Lines file in a fresh process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

# The child's own peak (VmHWM of its address space). Not ru_maxrss: Linux carries the parent's peak
# across fork/vfork + exec into it, so a big pytest process (an xdist worker that has run Prefect)
# would be measured instead of the reader.
_MEASURE = """
import re, sys
from sources import read_source
from sources.spec import SourceSpec
batches, _, _ = read_source(SourceSpec(name="big", kind=sys.argv[2], location=sys.argv[1]), batch_size=2000)
n = sum(len(b.records) for b in batches)
with open("/proc/self/status", encoding="ascii") as fh:
    peak_kb = int(re.search(r"^VmHWM:\\s+(\\d+) kB", fh.read(), re.M).group(1))
print(n, peak_kb // 1024)
"""


def _measure(path: Path, kind: str) -> tuple[int, int]:
    out = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(path), kind], capture_output=True, text=True, check=True, timeout=120
    )
    n, mb = out.stdout.split()
    return int(n), int(mb)


def test_fifty_megabyte_feed(tmp_path):
    body = "Drones were shot down over the region overnight, the governor said. " * 20
    path = tmp_path / "big.xml"
    n = 0
    with open(path, "w", encoding="utf-8") as fh:
        fh.write('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Big</title>\n')
        while fh.tell() < 50_000_000:
            fh.write(f"<item><title>Item {n}</title><link>https://example.org/a/{n}</link>"
                     f"<description>{body}</description></item>\n")
            n += 1
        fh.write("</channel></rss>")
    count, peak_mb = _measure(path, "rss")
    assert count == n
    assert peak_mb < 600, f"{peak_mb} MB for a 50 MB feed"


def test_jsonl_memory_does_not_follow_file_size(tmp_path):
    text = "Air defence destroyed drones over the region, officials said. " * 40
    small, large = tmp_path / "small.jsonl", tmp_path / "large.jsonl"
    for path, lines in ((small, 5_000), (large, 50_000)):
        with open(path, "w", encoding="utf-8") as fh:
            fh.writelines(json.dumps({"article_id": f"a{i}", "text": f"{i} {text}"}) + "\n" for i in range(lines))
    n_small, mb_small = _measure(small, "jsonl")
    n_large, mb_large = _measure(large, "jsonl")
    assert (n_small, n_large) == (5_000, 50_000)
    # ten times the input (about 130 MB), about the same memory: the file is streamed in batches
    assert mb_large < mb_small + 60, (mb_small, mb_large)


def test_a_batch_of_long_articles_loads_under_the_warehouse_memory_cap(tmp_path, monkeypatch):
    """A batch's lake file is loaded row group by row group within DuckDB's memory cap,
    however long its articles (one whole-file row group or INSERT OR REPLACE ran out of memory)."""
    import random
    from datetime import UTC, datetime

    import pyarrow.parquet as pq

    from transforms.batch import prepare_articles
    from warehouse import duck, lake

    monkeypatch.setitem(duck._WRITER, "memory_limit", "48MB")
    rnd = random.Random(5)
    words = [f"w{i}" for i in range(5000)] + ["дрон", "область", "село"]
    records = [
        {"article_id": f"long-{i}", "source": "t", "text": " ".join(rnd.choice(words) for _ in range(8000))}
        for i in range(600)
    ]  # ~40 KB each, ~25 MB of text in one batch: more than half the cap in one file
    articles = prepare_articles(records, run_id="r1", fetched_at=datetime.now(UTC))
    lake_dir, db = tmp_path / "lake", tmp_path / "w.duckdb"
    files = lake.write_rows(lake_dir, "articles", articles, "r1", 1)
    assert pq.ParquetFile(files[0]).metadata.num_row_groups > 1
    assert duck.load_files(db, lake_dir, {"articles": files}, "r1") == {"articles": 600}
    # loading the same file again replaces by key: no duplicates, same texts
    duck.load_files(db, lake_dir, {"articles": files}, "r2")
    got = duck.query(db, "SELECT count(*) AS n, count(DISTINCT article_id) AS d, sum(length(text)) AS chars FROM articles")
    assert got.to_pylist() == [{"n": 600, "d": 600, "chars": sum(len(r["text"]) for r in records)}]

"""Large inputs stay bounded: a 50 MB feed and a large JSON Lines file in a fresh process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

_MEASURE = """
import resource, sys
from sources import read_source
from sources.spec import SourceSpec
batches, _, _ = read_source(SourceSpec(name="big", kind=sys.argv[2], location=sys.argv[1]), batch_size=2000)
n = sum(len(b.records) for b in batches)
print(n, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
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

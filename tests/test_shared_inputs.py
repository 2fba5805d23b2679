"""Every real file in ../shared/inputs through one real pipeline run each."""

from __future__ import annotations

import ast
import csv
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import duckdb

from runtime.config import ad_hoc_source
from runtime.settings import Settings
from sources.spec import SourceSpec


def _items(path: Path) -> int:
    root = ET.fromstring(path.read_bytes())
    return sum(1 for el in root.iter() if el.tag in ("item", "{http://www.w3.org/2005/Atom}entry"))


def _csv_rows(path: Path) -> int:
    csv.field_size_limit(1 << 24)
    with open(path, encoding="utf-8", newline="") as fh:
        return sum(1 for _ in csv.DictReader(fh))


def test_all_real_inputs_load_in_one_run(prefect_engine, tmp_path, shared):
    from flows.pipeline import ingest

    inputs = shared / "inputs"
    feeds = sorted((inputs / "feeds").glob("*.xml"))
    entries = sorted((inputs / "feeds" / "json").glob("*.json"))
    dumps = sorted((inputs / "telegram").glob("*.csv"))
    folder = inputs / "text" / "hellaskella_gdelt_articles"
    specs = [ad_hoc_source(str(p)) for p in [*feeds, *entries, *dumps, folder]]
    expected = (
        sum(_items(p) for p in feeds)
        + sum(len(json.loads(p.read_text(encoding="utf-8"))["entries"]) for p in entries)
        + sum(_csv_rows(p) for p in dumps)
        + len(list(folder.glob("*.txt")))
    )
    s = ingest(specs, Settings(data_dir=tmp_path))
    assert s.source_errors == {}
    assert s.articles_read == expected
    assert s.articles_new + s.articles_seen == expected
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True)
    stored = con.execute("SELECT count(*) FROM articles").fetchall()[0][0]
    per_source = dict(con.execute("SELECT source, count(*) FROM article_sources GROUP BY ALL").fetchall())
    con.close()
    assert stored == s.articles_new
    assert set(per_source) == {spec.name for spec in specs}
    assert s.incidents_extracted > 0  # the Ukrainian and Russian war reports hold incidents


def test_feedparser_corpus_in_one_run_never_crashes(prefect_engine, tmp_path, shared):
    from flows.pipeline import ingest

    corpus = shared / "inputs" / "feedparser-tests"
    files = sorted(p for p in corpus.rglob("*") if p.is_file() and p.name != "LICENSE")
    assert len(files) > 900
    specs = [SourceSpec(name=str(p.relative_to(corpus)), kind="rss", location=str(p)) for p in files]
    s = ingest(specs, Settings(data_dir=tmp_path))
    # every file is either read or reported with its reason, none silently lost
    assert s.sources_read + len(s.source_errors) == len(files)
    assert all(reason.strip() for reason in s.source_errors.values())
    assert len(s.source_errors) < 40, s.source_errors
    assert s.articles_read > 100
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True)
    errors = con.execute("SELECT sources_failed FROM runs").fetchall()[0][0]
    con.close()
    assert errors == len(s.source_errors)


def _expected_descriptions(corpus: Path) -> list[tuple[Path, str]]:
    """The corpus states in each file what the first entry's text must decode to."""
    found = []
    for path in sorted((corpus / "encoding").glob("*.xml")):
        head = path.read_bytes()[:2000].decode("latin-1")
        m = re.search(r"entries\[0\]\['description'\] == ('[^'<&]+')", head)
        o = re.search(r"ord\(entries\[0\]\['description'\]\) == (\d+)", head)
        if m:
            found.append((path, ast.literal_eval(m.group(1))))
        elif o:
            found.append((path, chr(int(o.group(1)))))
    return found


def test_declared_encodings_decode_right(shared):
    from sources import read_source

    cases = _expected_descriptions(shared / "inputs" / "feedparser-tests")
    assert len(cases) >= 6
    for path, expected in cases:
        batches, _, _ = read_source(SourceSpec(name="x", kind="rss", location=str(path)))
        texts = [r["text"] for b in batches for r in b.records]
        assert texts and expected in texts[0], (path.name, expected, texts)

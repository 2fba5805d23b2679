"""read_source(): fingerprints and 'unchanged', batching, source-level errors."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest

from sources import FetchState, SourceError, SourceSpec, read_source

FIXTURES = Path(__file__).parent / "fixtures" / "sources"


def test_local_file_fingerprint_skips_unchanged(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text('{"text": "one"}\n{"text": "two"}\n')
    spec = SourceSpec("a", "jsonl", str(path))
    batches, state, unchanged = read_source(spec)
    assert not unchanged and sum(len(b.records) for b in batches) == 2
    assert state.etag is None and str(path.resolve()) in state.fingerprint

    batches, state2, unchanged = read_source(spec, state=state)
    assert unchanged and list(batches) == [] and state2.fingerprint == state.fingerprint

    path.write_text('{"text": "one"}\n{"text": "two"}\n{"text": "three"}\n')
    batches, state3, unchanged = read_source(spec, state=state)
    assert not unchanged and state3.fingerprint != state.fingerprint
    assert sum(len(b.records) for b in batches) == 3


def test_folder_fingerprint_sees_new_files(tmp_path):
    (tmp_path / "a.txt").write_text("first article")
    spec = SourceSpec("f", "folder", str(tmp_path))
    _, state, _ = read_source(spec)
    assert read_source(spec, state=state)[2] is True
    (tmp_path / "b.txt").write_text("second article")
    batches, _, unchanged = read_source(spec, state=state)
    assert not unchanged and sum(len(b.records) for b in batches) == 2


def test_touch_changes_fingerprint(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("text\nhello\n")
    spec = SourceSpec("c", "csv", str(path))
    _, state, _ = read_source(spec)
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    assert read_source(spec, state=state)[2] is False


def test_batches_are_bounded(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text("".join(f'{{"text": "article {i}"}}\n' for i in range(7)) + "not json\n")
    batches = list(read_source(SourceSpec("a", "jsonl", str(path)), batch_size=3)[0])
    assert [(len(b.records), len(b.rejects)) for b in batches] == [(3, 0), (3, 0), (1, 1)]


def test_gzipped_jsonl(tmp_path):
    path = tmp_path / "a.jsonl.gz"
    path.write_bytes(gzip.compress(b'{"text": "compressed article"}\n'))
    batches, _, _ = read_source(SourceSpec("gz", "jsonl", str(path)))
    assert [r["text"] for b in batches for r in b.records] == ["compressed article"]


def test_source_level_errors(tmp_path):
    with pytest.raises(SourceError, match="does not exist"):
        read_source(SourceSpec("x", "jsonl", str(tmp_path / "missing.jsonl")))
    with pytest.raises(SourceError, match="unknown kind"):
        read_source(SourceSpec("x", "pdf", str(tmp_path)))
    with pytest.raises(SourceError, match="is a folder"):
        read_source(SourceSpec("x", "csv", str(tmp_path)))
    with pytest.raises(SourceError, match="cannot be a URL"):
        read_source(SourceSpec("x", "folder", "https://example.org/"))


def test_unchanged_state_roundtrip_with_fixture():
    spec = SourceSpec("cp", "rss", str(FIXTURES / "cp1251_feed.xml"))
    _, state, _ = read_source(spec)
    again = FetchState(**vars(state))  # what the lead persists and restores
    assert read_source(spec, state=again)[2] is True


def test_bad_options_fail_early(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("text\nhello\n")
    with pytest.raises(SourceError, match="unknown timezone"):
        read_source(SourceSpec("c", "csv", str(path), {"timezone": "Mars/Olympus"}))
    with pytest.raises(SourceError, match="unknown encoding"):
        read_source(SourceSpec("c", "csv", str(path), {"encoding": "no-such-codec"}))
    with pytest.raises(SourceError, match="fields"):
        read_source(SourceSpec("c", "csv", str(path), {"fields": "text"}))


def test_changed_options_reread_same_file(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("body,text\nreal body,other\n")
    _, state, _ = read_source(SourceSpec("c", "csv", str(path)))
    assert read_source(SourceSpec("c", "csv", str(path)), state=state)[2] is True
    batches, _, unchanged = read_source(SourceSpec("c", "csv", str(path), {"fields": {"text": "body"}}), state=state)
    assert not unchanged
    assert [r["text"] for b in batches for r in b.records] == ["real body"]

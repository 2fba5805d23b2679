"""HTTP fetching against a local throw-away server: retries, 304, limits, redirects, full-text pages."""

from __future__ import annotations

import gzip
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import httpx
import pytest

from sources import FetchState, HttpConfig, SourceError, SourceSpec, fetch, read_source

FEED = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Local</title>
<item><title>Drone downed near the port</title><link>LINK/article</link>
<guid isPermaLink="false">local-1</guid>
<pubDate>Wed, 14 May 2025 06:12:00 GMT</pubDate>
<description>Teaser only.</description></item>
</channel></rss>"""

ARTICLE = b"""<html><head><title>Article</title></head><body><nav>Menu Home News</nav>
<div class="content"><p>Air defence forces shot down a drone approaching the port overnight, the governor said.</p>
<p>Debris fell on a warehouse roof; nobody was hurt.</p></div>
<div class="share-buttons"><p>Share this on social media</p></div></body></html>"""

FAST = HttpConfig(timeout=0.5, retries=3, backoff=0.01, max_backoff=0.05, max_bytes=100_000)


class Handler(BaseHTTPRequestHandler):
    hits: ClassVar[Counter] = Counter()
    seen_headers: ClassVar[dict] = {}

    def log_message(self, *args):  # keep pytest output clean
        pass

    def _send(self, status: int, body: bytes = b"", headers: dict | None = None) -> None:
        try:
            self._write(status, body, headers)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up first (timeouts, size caps): that is the point of those tests

    def _write(self, status: int, body: bytes, headers: dict | None) -> None:
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        if "Content-Length" not in (headers or {}) and status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if status != 304:
            self.wfile.write(body)

    def do_GET(self):  # http.server dispatches on this exact name
        path = self.path
        self.hits[path] += 1
        self.seen_headers[path] = dict(self.headers)
        base = f"http://127.0.0.1:{self.server.server_port}"
        if path == "/feed.xml":
            if self.headers.get("If-None-Match") == '"v1"':
                return self._send(304, headers={"ETag": '"v1"'})
            body = FEED.replace(b"LINK", base.encode())
            return self._send(200, body, {"ETag": '"v1"', "Content-Type": "application/rss+xml"})
        if path == "/article":
            return self._send(200, ARTICLE, {"Content-Type": "text/html; charset=utf-8"})
        if path == "/flaky":
            if self.hits[path] <= 2:
                return self._send(500, b"oops")
            return self._send(200, b"recovered")
        if path == "/always500":
            return self._send(503, b"down")
        if path == "/ratelimited":
            if self.hits[path] == 1:
                return self._send(429, b"slow down", {"Retry-After": "0"})
            return self._send(200, b"ok after 429")
        if path == "/missing":
            return self._send(404, b"nope")
        if path == "/slow":
            time.sleep(1.5)
            return self._send(200, b"too late")
        if path == "/big":
            # No Content-Length: the size is only known by counting streamed bytes.
            self.send_response(200)
            self.send_header("Connection", "close")
            self.end_headers()
            chunk = b"x" * 65536
            try:
                for _ in range(40):
                    self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
            return None
        if path == "/declared":
            # An honest but too large Content-Length: still refused once the counted bytes pass the cap.
            body = b"y" * 300_000
            return self._send(200, body, {"Content-Length": str(len(body))})
        if path == "/trickle":
            self.send_response(200)
            self.send_header("Connection", "close")
            self.end_headers()
            try:
                for _ in range(30):
                    self.wfile.write(b"z" * 10)
                    self.wfile.flush()
                    time.sleep(0.05)
            except (BrokenPipeError, ConnectionResetError):
                pass
            return None
        if path == "/gz":
            return self._send(200, gzip.compress(b"plain after gunzip"), {"Content-Encoding": "gzip"})
        if path.startswith("/loop"):
            n = int(path[5:] or 0)
            return self._send(302, b"", {"Location": f"/loop{n + 1}"})
        if path == "/modified":
            if self.headers.get("If-Modified-Since") == "Wed, 14 May 2025 06:00:00 GMT":
                return self._send(304)
            return self._send(200, b"fresh", {"Last-Modified": "Wed, 14 May 2025 06:00:00 GMT"})
        if path == "/lines.jsonl":
            body = b'{"text": "first line article"}\n{"text": ""}\n{"text": "third", "published": "2025-01-02"}\n'
            return self._send(200, body)
        return self._send(404)


@pytest.fixture(scope="module")
def server():
    Handler.hits = Counter()
    Handler.seen_headers = {}
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


def test_retries_500_twice_then_recovers(server):
    result = fetch(server + "/flaky", FAST)
    assert result.content == b"recovered"
    assert Handler.hits["/flaky"] == 3


def test_gives_up_after_retries(server):
    cfg = HttpConfig(timeout=0.5, retries=2, backoff=0.01, max_backoff=0.02)
    with pytest.raises(SourceError, match="503.*3 attempts"):
        fetch(server + "/always500", cfg)
    assert Handler.hits["/always500"] == 3


def test_429_is_retried(server):
    assert fetch(server + "/ratelimited", FAST).content == b"ok after 429"


def test_404_is_not_retried(server):
    with pytest.raises(SourceError, match="HTTP 404"):
        fetch(server + "/missing", FAST)
    assert Handler.hits["/missing"] == 1


def test_slow_server_times_out(server):
    cfg = HttpConfig(timeout=0.2, retries=1, backoff=0.01)
    started = time.monotonic()
    with pytest.raises(SourceError, match="timeout"):
        fetch(server + "/slow", cfg)
    assert time.monotonic() - started < 1.5
    assert Handler.hits["/slow"] == 2


def test_oversized_body_is_cut_off(server):
    with pytest.raises(SourceError, match="max_bytes"):
        fetch(server + "/big", FAST)
    with pytest.raises(SourceError, match="max_bytes"):
        fetch(server + "/declared", FAST)


def test_trickling_body_hits_deadline_without_retry(server):
    cfg = HttpConfig(timeout=1.0, retries=3, backoff=0.01, deadline=0.3)
    with pytest.raises(SourceError, match="longer than 0.3s"):
        fetch(server + "/trickle", cfg)
    assert Handler.hits["/trickle"] == 1


def test_gzip_is_decoded(server):
    assert fetch(server + "/gz", FAST).content == b"plain after gunzip"


def test_redirect_loop(server):
    with pytest.raises(SourceError, match="redirects"):
        fetch(server + "/loop", FAST)
    # max_redirects=5: the first request plus five followed redirects, then stop.
    assert sum(v for k, v in Handler.hits.items() if k.startswith("/loop")) == 6


def test_user_agent_and_if_modified_since(server):
    first = fetch(server + "/modified", FAST)
    assert first.content == b"fresh"
    assert Handler.seen_headers["/modified"]["User-Agent"].startswith("incidents-pipeline/")
    again = fetch(server + "/modified", FAST, FetchState(last_modified=first.last_modified))
    assert again.not_modified and again.content is None


def test_read_source_feed_then_304(server):
    spec = SourceSpec(name="local", kind="rss", location=server + "/feed.xml")
    batches, state, unchanged = read_source(spec, http=FAST)
    records = [r for b in batches for r in b.records]
    assert not unchanged
    assert state.etag == '"v1"' and state.fingerprint.startswith("sha256:")
    assert [r["text"] for r in records] == ["Teaser only."]
    assert records[0]["article_id"] == "local-1"
    assert records[0]["published"].isoformat() == "2025-05-14T06:12:00+00:00"

    batches2, state2, unchanged2 = read_source(spec, http=FAST, state=state)
    assert unchanged2 and list(batches2) == []
    assert state2.etag == '"v1"' and state2.fingerprint == state.fingerprint
    assert Handler.seen_headers["/feed.xml"]["If-None-Match"] == '"v1"'


def test_same_body_without_etag_support_is_unchanged(server):
    spec = SourceSpec(name="j", kind="jsonl", location=server + "/lines.jsonl")
    batches, state, unchanged = read_source(spec, http=FAST)
    out = list(batches)
    assert not unchanged
    assert [r["text"] for b in out for r in b.records] == ["first line article", "third"]
    assert [j["locator"] for b in out for j in b.rejects] == ["line 2"]
    _, _, unchanged2 = read_source(spec, http=FAST, state=FetchState(fingerprint=state.fingerprint))
    assert unchanged2


def test_full_text_fetches_short_items(server):
    spec = SourceSpec(name="ft", kind="rss", location=server + "/feed.xml", options={"full_text": True})
    batches, _, _ = read_source(spec, http=FAST)
    (record,) = [r for b in batches for r in b.records]
    assert record["text"] == (
        "Air defence forces shot down a drone approaching the port overnight, the governor said.\n"
        "Debris fell on a warehouse roof; nobody was hurt."
    )


def test_unreachable_host_is_source_error():
    cfg = HttpConfig(timeout=0.2, retries=0)
    with pytest.raises(SourceError):
        fetch("http://127.0.0.1:9/feed.xml", cfg)


def test_full_text_does_not_follow_feed_links_to_internal_addresses(server, tmp_path):
    # The same feed, saved locally: its item links now point at a local address that is not the
    # feed's own host, as a hostile feed's would (SSRF). They are not fetched unless allowed.
    local = tmp_path / "feed.xml"
    local.write_bytes(httpx.get(server + "/feed.xml").content)
    blocked = SourceSpec(name="ft", kind="rss", location=str(local), options={"full_text": True})
    batches, _, _ = read_source(blocked, http=FAST)
    (record,) = [r for b in batches for r in b.records]
    assert "Debris fell on a warehouse roof" not in record["text"]
    allowed = SourceSpec(
        name="ft", kind="rss", location=str(local), options={"full_text": True, "allow_private_links": True}
    )
    batches, _, _ = read_source(allowed, http=FAST)
    (record,) = [r for b in batches for r in b.records]
    assert "Debris fell on a warehouse roof" in record["text"]

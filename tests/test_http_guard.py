"""SSRF guard on every hop, against real servers on 127.0.0.1.

"Public" is simulated without the network: the resolver is replaced so that test names map to
127.0.0.1 (where the server is) or to private addresses (never connected to), and, where a test needs
a public-looking host, the address check is told that 127.0.0.1 alone counts as public. Names such as
news.example cannot be resolved by the system, so a fetch that succeeds proves the connection went to
the address the guard checked.
"""

from __future__ import annotations

import datetime as dt
import gzip
import ssl
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest

import sources.http as http_mod
from sources import HttpConfig, SourceError, SourceSpec, fetch, read_source
from sources.http import is_internal_address, make_client

FAST = HttpConfig(timeout=1.0, retries=0, backoff=0.01, max_backoff=0.05, max_bytes=100_000)

ARTICLE = b"""<html><body><div class="content">
<p>Air defence forces shot down a drone approaching the port overnight, the governor said.</p>
<p>Debris fell on a warehouse roof; nobody was hurt.</p></div></body></html>"""

FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Guard</title>
<item><title>Drone downed</title><link>{link}</link><guid isPermaLink="false">g-1</guid>
<pubDate>Wed, 14 May 2025 06:12:00 GMT</pubDate><description>Teaser only.</description></item>
</channel></rss>"""


class Handler(BaseHTTPRequestHandler):
    hits: ClassVar[Counter] = Counter()
    hosts: ClassVar[dict] = {}  # path -> Host header seen
    local: ClassVar[dict] = {}  # path -> address the connection arrived at (the one dialled)

    def log_message(self, *args):
        pass

    def _send(self, status: int, body: bytes = b"", headers: dict | None = None) -> None:
        try:
            self.send_response(status)
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def do_GET(self):  # http.server dispatches on this exact name
        path = self.path
        self.hits[path] += 1
        self.hosts[path] = self.headers.get("Host")
        self.local[path] = self.connection.getsockname()[0]
        port = self.server.server_port
        if path == "/feed.xml":  # links to its own host, which redirects to an internal name
            body = FEED.format(link=f"http://127.0.0.1:{port}/hop").encode()
            return self._send(200, body, {"Content-Type": "application/rss+xml"})
        if path == "/hop":
            return self._send(302, headers={"Location": f"http://internal.test:{port}/secret"})
        if path == "/to-internal-ip":
            return self._send(302, headers={"Location": f"http://10.0.0.7:{port}/secret"})
        if path == "/to-mapped":
            return self._send(302, headers={"Location": f"http://mapped.test:{port}/secret"})
        if path == "/to-public":
            return self._send(302, headers={"Location": f"http://news.example:{port}/article"})
        if path == "/moved.jsonl":
            return self._send(301, headers={"Location": f"http://internal.test:{port}/lines.jsonl"})
        if path == "/lines.jsonl":
            return self._send(200, b'{"text": "a line from the internal host"}\n')
        if path == "/article":
            return self._send(200, ARTICLE, {"Content-Type": "text/html; charset=utf-8"})
        if path == "/secret":
            return self._send(200, b"internal metadata")
        if path == "/bomb":
            return self._send(200, BOMB, {"Content-Encoding": "gzip"})
        return self._send(404)


BOMB = gzip.compress(b"\0" * (20 * 1024 * 1024), compresslevel=1)  # ~20 MB from ~20 KB


def _serve(httpd):
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


@pytest.fixture(scope="module")
def server():
    httpd = _serve(ThreadingHTTPServer(("127.0.0.1", 0), Handler))
    yield httpd.server_port
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(autouse=True)
def _reset():
    Handler.hits.clear()
    Handler.hosts.clear()
    Handler.local.clear()


class FakeDNS:
    """Maps test names to answers (a list per call: the last one repeats); anything else is real."""

    def __init__(self, answers: dict[str, list[list[str]]]):
        self.answers = answers
        self.calls: Counter = Counter()
        self._real = http_mod.resolve_host

    def __call__(self, host: str, port: int) -> list[str]:
        if host not in self.answers:
            return self._real(host, port)
        self.calls[host] += 1
        seq = self.answers[host]
        return seq[min(self.calls[host], len(seq)) - 1]


@pytest.fixture
def dns(monkeypatch):
    fake = FakeDNS(
        {
            "internal.test": [["127.0.0.1"]],
            "news.example": [["127.0.0.1"]],
            "mapped.test": [["::ffff:10.0.0.7"]],
            "mixed.test": [["127.0.0.1", "10.0.0.7"]],
        }
    )
    monkeypatch.setattr(http_mod, "resolve_host", fake)
    return fake


@pytest.fixture
def loopback_is_public(monkeypatch):
    """127.0.0.1 stands in for a public address; every other address is judged as in production."""
    real = http_mod.is_internal_address
    monkeypatch.setattr(http_mod, "is_internal_address", lambda a: str(a) != "127.0.0.1" and real(a))


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "224.0.0.1",
        "240.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.7",
        "::ffff:169.254.169.254",
        "64:ff9b::a00:7",
        "2002:a00:7::1",
        "::7f00:1",
        "fe80::1%eth0",
    ],
)
def test_internal_addresses(address):
    assert is_internal_address(address)


@pytest.mark.parametrize("address", ["8.8.8.8", "93.184.216.34", "2606:4700::1111", "::ffff:8.8.8.8"])
def test_public_addresses(address):
    assert not is_internal_address(address)


def test_full_text_link_redirecting_to_internal_name_is_refused(server, dns):
    # The feed's own host is trusted (the user named it), but its page redirects to another name
    # that resolves to a loopback address: the hop is refused and the item keeps the feed's text.
    spec = SourceSpec(
        name="g", kind="rss", location=f"http://127.0.0.1:{server}/feed.xml", options={"full_text": True}
    )
    batches, _, _ = read_source(spec, http=FAST)
    (record,) = [r for b in batches for r in b.records]
    assert record["text"] == "Teaser only."
    assert Handler.hits["/hop"] == 1 and Handler.hits["/secret"] == 0


def test_refused_hop_is_one_clear_line(server, dns):
    base = f"http://127.0.0.1:{server}"
    with make_client(FAST, trusted_hosts=["127.0.0.1"]) as client, pytest.raises(SourceError) as err:
        fetch(base + "/hop", FAST, None, client)
    message = str(err.value)
    assert message == (
        f"redirect to a private address refused: {base}/hop -> http://internal.test:{server}/secret (127.0.0.1)"
    )
    assert "\n" not in message
    assert Handler.hits["/secret"] == 0


def test_feed_redirect_to_internal_host_is_source_error_unless_allowed(server, dns):
    location = f"http://127.0.0.1:{server}/moved.jsonl"
    spec = SourceSpec(name="j", kind="jsonl", location=location)
    with pytest.raises(SourceError, match="^redirect to a private address refused: .*internal.test"):
        read_source(spec, http=FAST)
    assert Handler.hits["/lines.jsonl"] == 0
    allowed = SourceSpec(name="j", kind="jsonl", location=location, options={"allow_private_links": True})
    batches, _, _ = read_source(allowed, http=FAST)
    assert [r["text"] for b in batches for r in b.records] == ["a line from the internal host"]


def test_public_link_redirecting_to_private_address_is_refused(server, dns, loopback_is_public, tmp_path):
    # A local feed (nothing trusted) links to a "public" host; it redirects to 10.0.0.7, to a name
    # resolving to an IPv4-mapped private address, and to a name with one private answer among public ones.
    for target, shown in (
        ("/to-internal-ip", "10.0.0.7"),
        ("/to-mapped", "::ffff:10.0.0.7"),
    ):
        with make_client(FAST) as client, pytest.raises(SourceError) as err:
            fetch(f"http://news.example:{server}{target}", FAST, None, client)
        assert str(err.value).startswith("redirect to a private address refused: http://news.example:")
        assert str(err.value).endswith(f"({shown})")
    with (
        make_client(FAST) as client,
        pytest.raises(SourceError, match=r"private or local address \(10.0.0.7\)"),
    ):
        fetch(f"http://mixed.test:{server}/article", FAST, None, client)
    assert Handler.hits["/secret"] == 0 and Handler.hits["/article"] == 0

    feed = tmp_path / "feed.xml"
    feed.write_text(FEED.format(link=f"http://news.example:{server}/to-internal-ip"))
    spec = SourceSpec(name="g", kind="rss", location=str(feed), options={"full_text": True})
    batches, _, _ = read_source(spec, http=FAST)
    (record,) = [r for b in batches for r in b.records]
    assert record["text"] == "Teaser only."


def test_public_redirects_are_followed_with_host_header_kept(server, dns, loopback_is_public, tmp_path):
    feed = tmp_path / "feed.xml"
    feed.write_text(FEED.format(link=f"http://news.example:{server}/article"))
    spec = SourceSpec(name="g", kind="rss", location=str(feed), options={"full_text": True})
    batches, _, _ = read_source(spec, http=FAST)
    (record,) = [r for b in batches for r in b.records]
    assert "Debris fell on a warehouse roof" in record["text"]
    assert Handler.hosts["/article"] == f"news.example:{server}"

    with make_client(FAST, trusted_hosts=["127.0.0.1"]) as client:
        result = fetch(f"http://127.0.0.1:{server}/to-public", FAST, None, client)
    assert result.url == f"http://news.example:{server}/article"
    assert b"Debris" in (result.content or b"")


def test_connection_goes_to_the_checked_address(server, dns, loopback_is_public):
    # DNS rebinding: the first answer is "public", every later one private. The name is resolved
    # once per request and the connection is made to that very answer, or refused.
    dns.answers["rebind.test"] = [["127.0.0.1"], ["10.0.0.7"]]
    with make_client(FAST) as client:
        result = fetch(f"http://rebind.test:{server}/article", FAST, None, client)
    assert b"Debris" in (result.content or b"")
    assert dns.calls["rebind.test"] == 1
    assert Handler.local["/article"] == "127.0.0.1"  # the address dialled is the one checked
    assert Handler.hosts["/article"] == f"rebind.test:{server}"
    with make_client(FAST) as client, pytest.raises(SourceError, match=r"\(10.0.0.7\); not fetched"):
        fetch(f"http://rebind.test:{server}/secret", FAST, None, client)
    assert Handler.hits["/secret"] == 0


def test_tls_keeps_sni_and_certificate_check_for_the_name(dns, loopback_is_public, monkeypatch, tmp_path):
    pytest.importorskip("cryptography")
    cert, key = _self_signed(tmp_path, "news.example")
    seen_sni: list[str | None] = []
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)
    ctx.sni_callback = lambda sock, name, c: seen_sni.append(name)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
    _serve(httpd)
    try:
        monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # httpx trusts this CA file (trust_env)
        with make_client(FAST) as client:
            result = fetch(f"https://news.example:{httpd.server_port}/article", FAST, None, client)
        assert b"Debris" in (result.content or b"")
        assert seen_sni == ["news.example"]
        assert Handler.hosts["/article"] == f"news.example:{httpd.server_port}"
        # The certificate is checked against the name, not the pinned IP: another name fails.
        dns.answers["other.example"] = [["127.0.0.1"]]
        with (
            make_client(FAST) as client,
            pytest.raises(SourceError, match="CERTIFICATE_VERIFY_FAILED|certificate"),
        ):
            fetch(f"https://other.example:{httpd.server_port}/article", FAST, None, client)
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_gzip_bomb_is_stopped_by_decoded_size_cap(server):
    with pytest.raises(SourceError, match="max_bytes=100000"):
        fetch(f"http://127.0.0.1:{server}/bomb", FAST)


def _self_signed(tmp_path, name: str):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_path, key_path

"""Stable ids: the same article seen twice must map to one id, different articles must not collide."""

from __future__ import annotations

import hashlib

from transforms.identity import article_id, canonical_url, content_hash, incident_id, normalise_text


def test_canonical_url_drops_tracking_fragment_default_port_and_sorts_query():
    url = "HTTPS://Example.COM:443/news/Story?utm_source=rss&b=2&fbclid=xyz&a=1&at_medium=RSS#comments"
    assert canonical_url(url) == "https://example.com/news/Story?a=1&b=2"


def test_canonical_url_keeps_meaningful_parts():
    assert canonical_url("http://example.com:8080/a?id=7") == "http://example.com:8080/a?id=7"
    assert canonical_url("http://example.com") == "http://example.com/"
    # publisher feeds tag every link with campaign parameters
    assert canonical_url(
        "https://www.dailymail.co.uk/news/article-1/x.html?ns_mchannel=rss&ito=1490&ns_campaign=1490"
    ) == "https://www.dailymail.co.uk/news/article-1/x.html"
    assert canonical_url(None) is None
    assert canonical_url("   ") is None


def test_normalise_text_nfc_whitespace_zero_width():
    decomposed = "Ки\u0438\u0306в"  # и + combining breve -> й (NFC)
    assert normalise_text(f"  {decomposed}\u200b  над\n\tмістом\u00a0 ") == "Кийв над містом"
    assert normalise_text("a\u200bb  \n c\ufeff") == "ab c"
    assert normalise_text("\u0438\u0306") == "\u0439"


def test_content_hash_ignores_layout_only():
    a = content_hash("Drone  shot down\nover the city.")
    assert a == content_hash("Drone shot down over the city.\u200b")
    assert a == hashlib.sha256(b"Drone shot down over the city.").hexdigest()
    assert a != content_hash("Drones shot down over the city.")


def test_article_id_priority():
    assert article_id({"article_id": "tg:1:2", "url": "https://x.org/a", "text": "t"}) == "tg:1:2"
    by_url = article_id({"url": "https://x.org/a?utm_source=feed", "text": "one"})
    assert by_url == article_id({"url": "https://X.org/a#top", "text": "two"})
    assert by_url == "u:" + hashlib.sha1(b"https://x.org/a").hexdigest()[:16]
    # A bare homepage link (generated feeds) must not merge different articles.
    home_a = article_id({"url": "https://meduza.io/", "text": "Первая статья"})
    home_b = article_id({"url": "https://meduza.io/", "text": "Друга стаття"})
    assert home_a.startswith("h:") and home_b.startswith("h:") and home_a != home_b
    assert home_a == "h:" + content_hash("Первая статья")[:16]
    assert article_id({"article_id": "  ", "url": None, "text": "x"}) == "h:" + content_hash("x")[:16]


def test_incident_id_stable_and_normalised():
    a = incident_id("u:abc", "strike", "UA-63", None, "Kharkiv")
    assert a == incident_id("u:abc", "Strike", "UA-63", "", "  kharkiv ")
    assert len(a) == 20 and all(c in "0123456789abcdef" for c in a)
    assert a != incident_id("u:abc", "interception", "UA-63", None, "Kharkiv")
    assert a != incident_id("u:abd", "strike", "UA-63", None, "Kharkiv")
    # parts are separated, so shifting text between fields changes the id
    assert incident_id("a", "strike", "UA-1", "2", None) != incident_id("a", "strike", "UA-12", None, None)


def test_canonical_url_ipv6_credentials_and_bad_port():
    assert canonical_url("http://[::1]:80/a#x") == "http://[::1]/a"
    assert canonical_url("https://user:pw@Ex.com/a?utm_x=1&q=2") == "https://ex.com/a?q=2"
    assert canonical_url("https://example.com:abc/x") == "https://example.com/x"

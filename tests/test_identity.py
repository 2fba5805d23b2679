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


# --- content_hashes (column-wise) must equal content_hash text by text --------------------------

import random

import pyarrow as pa

from transforms.identity import content_hashes

_TRICKY = [
    None,
    "",
    " ",
    " \t\n\r\x0b\x0c ",
    "Ракети\u00a0над\u00a0містом",
    "line one\u2028line two\u2029three",
    "fields\x1cgroups\x1drecords\x1eunits\x1fend",
    "next\x85line",
    "tabs\tand\nnewlines\r\n  mixed",
    "a \u200b b",
    " \u200b \u200c\u2060 \ufeff x",
    "soft\u00adhy\u180ephen",
    "cafe\u0301 and re\u0301sume\u0301",
    "Зи\u0306ма в Ки\u0457ві",  # decomposed й (и + breve); ї as і + diaeresis below
    "\u0456\u0308жак",
    "  leading and trailing  ",
    "\u3000ideographic\u3000space\u3000",
    "ogham\u1680space and\u205fmath\u202fnarrow",
    "en\u2000quad\u2001em quad (NFC maps U+2001 to U+2003)",
    "emoji \U0001f680\U0001f525 burst",
    "\u1100\u1161\u11a8 jamo",
    "x\u0301\u0316 reordered marks",
    "Сирена\u200b\u00a0\u200bлунала довго",
    "Над областю збито дрони. " * 2000,
]


def _assert_same(values: list, arr) -> None:
    assert content_hashes(arr) == [content_hash(v or "") for v in values]


def test_content_hashes_tricky_inputs():
    _assert_same(_TRICKY, pa.array(_TRICKY, pa.string()))
    _assert_same(_TRICKY, pa.array(_TRICKY, pa.large_string()))
    assert content_hashes(pa.array([], pa.string())) == []


def _random_texts(n: int, seed: int) -> list[str | None]:
    rng = random.Random(seed)
    pieces = list(" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u200a\u2028\u2029\u202f\u205f\u3000")
    pieces += list("\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u0301\u0306\u0308\u0316")
    pieces += list("abcxyzABC.,0аиійїєґыэъёЁЇ") + ["\U0001f600", "\u1100", "\u1161", "\u11a8", "\uac00", "é", "\x00"]
    out: list[str | None] = []
    for _ in range(n):
        if rng.random() < 0.02:
            out.append(None)
        else:
            out.append("".join(rng.choice(pieces) for _ in range(rng.randrange(0, 40))))
    return out


def test_content_hashes_random_mix():
    texts = _random_texts(4000, seed=20250601)
    _assert_same(texts, pa.array(texts, pa.string()))


def test_content_hashes_on_slices_and_chunks():
    texts = _random_texts(1500, seed=7) + _TRICKY
    arr = pa.array(texts, pa.string())
    _assert_same(texts[37:1200], arr.slice(37, 1163))
    _assert_same(texts[1:], arr.slice(1))
    chunked = pa.chunked_array([arr.slice(5, 300), arr.slice(900), pa.array([], pa.string())])
    _assert_same(texts[5:305] + texts[900:], chunked)
    _assert_same(texts[3:50], arr.cast(pa.large_string()).slice(3, 47))


def test_article_id_reuses_a_given_hash():
    record = {"url": "https://meduza.io/", "text": "Первая статья"}
    assert article_id(record, content_hash("Первая статья")) == article_id(record)
    assert article_id({"url": None, "text": "x"}, "f" * 64) == "h:" + "f" * 16

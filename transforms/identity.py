"""Stable identities for articles and incidents, so re-runs and re-fetches upsert instead of duplicating.

Pure functions: the same article seen in two feeds, or the same feed read twice, must get the same id.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Parameters that identify the click, not the document.
_TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "yclid", "msclkid", "mc_cid", "mc_eid", "igshid",
        "ref", "ref_src", "ref_url", "referrer", "cmpid", "ito", "_ga", "_gl", "spm", "smid",
        "ns_mchannel", "ns_campaign", "ns_source", "ns_linkname", "ns_fee",
    }
)  # fmt: skip
_TRACKING_PREFIXES = ("utm_", "at_", "pk_", "mtm_", "oly_", "__")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e]")
_SEP = "\x1f"


def _is_tracking(name: str) -> bool:
    lower = name.lower()
    return lower in _TRACKING_PARAMS or lower.startswith(_TRACKING_PREFIXES)


def canonical_url(url: str | None) -> str | None:
    """Same article, same string: case-insensitive parts lowered, tracking noise and fragments dropped."""
    if url is None:
        return None
    url = url.strip()
    if not url:
        return None
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        return url
    host = (parts.hostname or "").rstrip(".")
    if ":" in host:  # IPv6 literal: hostname drops the brackets the netloc needs
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port is None or port == _DEFAULT_PORTS.get(scheme) else f"{host}:{port}"
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k))
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(query), ""))


def _is_homepage(canonical: str) -> bool:
    """A link to a site's front page (e.g. every item of a generated feed) says nothing about the item."""
    parts = urlsplit(canonical)
    return parts.scheme in ("http", "https") and parts.path in ("", "/") and not parts.query


def normalise_text(text: str) -> str:
    """NFC, zero-width characters dropped, whitespace runs collapsed (str.split's notion of space).

    It runs on every article of every batch, so each step is one C-level pass and the common
    cases (already NFC, no zero-width characters) cost a scan only.
    """
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if _ZERO_WIDTH.search(text):
        text = _ZERO_WIDTH.sub("", text)
    return " ".join(text.split())


def content_hash(text: str) -> str:
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


def article_id(record: dict) -> str:
    """Source id if given, else the canonical URL (cross-feed dedup), else the text itself."""
    given = record.get("article_id")
    if given is not None and str(given).strip():
        return str(given).strip()
    url = canonical_url(record.get("url"))
    if url and not _is_homepage(url):
        return "u:" + hashlib.sha1(url.encode("utf-8")).hexdigest()[:16]
    return "h:" + content_hash(record.get("text") or "")[:16]


def incident_id(
    article_id: str, event_type: str, admin1: str | None, admin2: str | None, locality: str | None
) -> str:
    """One incident per article, event type and place: re-extraction of the same article upserts."""
    parts = [article_id.strip()] + [normalise_text(p or "").casefold() for p in (event_type, admin1, admin2, locality)]
    return hashlib.sha1(_SEP.join(parts).encode("utf-8")).hexdigest()[:20]

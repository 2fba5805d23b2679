"""Stable identities for articles and incidents, so re-runs and re-fetches upsert instead of duplicating.

Pure functions: the same article seen in two feeds, or the same feed read twice, must get the same id.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import numpy as np
import pyarrow as pa

from transforms.utf8 import column_pass, string_parts

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


def article_id(record: dict, text_hash: str | None = None) -> str:
    """Source id if given, else the canonical URL (cross-feed dedup), else the text itself.

    `text_hash`, when given, must be `content_hash(record.get("text") or "")` (a batch computes
    it anyway); it is then not computed a second time.
    """
    given = record.get("article_id")
    if given is not None and str(given).strip():
        return str(given).strip()
    url = canonical_url(record.get("url"))
    if url and not _is_homepage(url):
        return "u:" + hashlib.sha1(url.encode("utf-8")).hexdigest()[:16]
    if text_hash is None:
        text_hash = content_hash(record.get("text") or "")
    return "h:" + text_hash[:16]


# --- content_hash for a whole Arrow column -------------------------------------------------------
#
# `content_hashes` works on the UTF-8 bytes of the column with numpy and hashes slices of one
# buffer, instead of building, normalising and encoding a Python str per text. Exactness:
#  * whitespace is exactly str.isspace() (what str.split() splits on), zero-width characters are
#    exactly _ZERO_WIDTH's, both derived from Python at import;
#  * NFC is never recomputed outside Python: a text is left to `content_hash` itself when it holds
#    any character that NFC could change in some context under *Python's* Unicode database (a
#    combining mark, a character that NFC maps elsewhere, or the second half of a canonical
#    composition). Without such characters a text is NFC already (the Unicode quick check says
#    YES). Arrow's utf8_normalize is not used: its utf8proc has a newer Unicode version than
#    Python's unicodedata, and the two disagree on characters unassigned in the older one.
_WS_CHARS = "".join(c for c in map(chr, range(0x110000)) if c.isspace())
_ZW_CHARS = _ZERO_WIDTH.pattern[1:-1]


def _nfc_unsafe_codepoints() -> set[int]:
    unsafe: set[int] = set()
    for cp in range(0x110000):
        c = chr(cp)
        if unicodedata.combining(c):
            unsafe.add(cp)
        mapping = unicodedata.decomposition(c)
        # Only characters with a canonical decomposition (or Hangul syllables, decomposed by
        # algorithm) can change under NFC or have parts that compose.
        if (mapping and not mapping.startswith("<")) or 0xAC00 <= cp <= 0xD7A3:
            if unicodedata.normalize("NFC", c) != c:
                unsafe.add(cp)
            if mapping and not mapping.startswith("<"):
                unsafe.update(int(x, 16) for x in mapping.split()[1:])
            unsafe.update(ord(x) for x in unicodedata.normalize("NFD", c)[1:])
    return unsafe


# Per code point: 1 whitespace (non-ASCII), 2 zero-width, 3 NFC-unsafe.
_CP_WS, _CP_ZW, _CP_NFC = 1, 2, 3
_CP_KIND = np.zeros(0x110000, np.uint8)
_CP_KIND[sorted(_nfc_unsafe_codepoints())] = _CP_NFC
_CP_KIND[[ord(c) for c in _ZW_CHARS]] = _CP_ZW
_CP_KIND[[ord(c) for c in _WS_CHARS if ord(c) >= 0x80]] = _CP_WS
assert not _CP_KIND[:0x80].any()
_ASCII_WS = np.array([ord(c) for c in _WS_CHARS if ord(c) < 0x80], np.uint8)
# None of them is in U+0400-U+047F (lead bytes 0xD0/0xD1): the bulk of Cyrillic text is skipped.
_SKIP_CYRILLIC_LEADS = not _CP_KIND[0x400:0x480].any()
assert not (set(_ASCII_WS.tolist()) - set(range(9, 14)) - set(range(0x1C, 0x21)))
assert set(range(9, 14)) | set(range(0x1C, 0x21)) == set(_ASCII_WS.tolist())
_EMPTY_HASH = hashlib.sha256(b"").hexdigest()


@column_pass
def content_hashes(texts: pa.Array) -> list[str]:
    """`[content_hash(t or "") for t in texts]` for a whole string column (null hashes as "")."""
    n = len(texts)
    offsets, data = string_parts(texts)
    size = len(data)
    # Whitespace starts: ASCII bytes here, non-ASCII ones below (they begin with a byte >= 0xC0).
    ws = data <= 0x20
    low = np.flatnonzero(data < 0x20)  # sparse (newlines, tabs): of these 9-13 and 28-31 are spaces
    ws[low] = ((data[low] >= 0x09) & (data[low] <= 0x0D)) | (data[low] >= 0x1C)
    leads = data >= 0xC0
    if _SKIP_CYRILLIC_LEADS:
        leads &= (data & 0xFE) != 0xD0
    at = np.flatnonzero(leads)
    fallback = np.zeros(n, bool)
    dropped = ws_leads = np.zeros(0, np.int64)
    if len(at):
        b = [data[np.minimum(at + k, size - 1)].astype(np.int32) for k in range(4)]
        length = np.where(b[0] < 0xE0, 2, np.where(b[0] < 0xF0, 3, 4))
        cp = np.where(
            length == 2,
            ((b[0] & 0x1F) << 6) | (b[1] & 0x3F),
            np.where(
                length == 3,
                ((b[0] & 0x0F) << 12) | ((b[1] & 0x3F) << 6) | (b[2] & 0x3F),
                ((b[0] & 0x07) << 18) | ((b[1] & 0x3F) << 12) | ((b[2] & 0x3F) << 6) | (b[3] & 0x3F),
            ),
        )
        kind = _CP_KIND[np.minimum(cp, 0x10FFFF)]
        is_ws, is_zw = kind == _CP_WS, kind == _CP_ZW
        ws_leads = at[is_ws]
        ws[ws_leads] = True
        # Bytes that vanish: a zero-width character whole, the tail of a multi-byte space.
        first = np.concatenate([at[is_zw], at[is_ws] + 1])
        last = np.concatenate([at[is_zw] + length[is_zw], at[is_ws] + length[is_ws]])
        if len(first):
            order = np.argsort(first, kind="stable")
            first, last = first[order], last[order]
            counts = last - first
            dropped = np.repeat(first - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())
        unsafe = at[kind == _CP_NFC]
        if len(unsafe):
            fallback[np.searchsorted(offsets, unsafe, side="right") - 1] = True
    # A space stays when the last byte kept before it is not a space (runs collapse to their first);
    # a dropped byte passes on the state of the byte kept before it.
    prev_ws = ws
    if len(dropped):
        prev_ws = ws.copy()
        run_start = np.ones(len(dropped), bool)
        run_start[1:] = dropped[1:] != dropped[:-1] + 1
        before = dropped[run_start] - 1
        state = np.where(before >= 0, ws[np.maximum(before, 0)], False)
        prev_ws[dropped] = np.repeat(state, np.diff(np.append(np.flatnonzero(run_start), len(dropped))))
    repeat_ws = np.flatnonzero(ws[1:] & prev_ws[:-1]) + 1
    # Spaces other than U+0020 (sparse: newlines, tabs, NBSP...) become U+0020.
    other_ws = np.concatenate([low[ws[low]], ws_leads])
    out = data
    if len(other_ws):
        out = data.copy()
        out[other_ws] = 0x20
    gone = np.union1d(dropped, repeat_ws) if len(dropped) else repeat_ws
    if len(gone):
        out = np.delete(out, gone)
    new_offsets = offsets - np.searchsorted(gone, offsets)
    # At most one space is left at either end: trim it.
    starts, ends = new_offsets[:-1].copy(), new_offsets[1:].copy()
    if len(out):
        last_byte = len(out) - 1
        starts += (ends > starts) & (out[np.minimum(starts, last_byte)] == 0x20)
        ends -= (ends > starts) & (out[np.clip(ends - 1, 0, last_byte)] == 0x20)
    view = memoryview(out)
    sha256 = hashlib.sha256
    hashes = [sha256(view[s:e]).hexdigest() for s, e in zip(starts.tolist(), ends.tolist())]
    if texts.null_count:
        for i in np.flatnonzero(~texts.is_valid().to_numpy(zero_copy_only=False)).tolist():
            hashes[i] = _EMPTY_HASH
            fallback[i] = False
    if fallback.any():
        idx = np.flatnonzero(fallback)
        for i, text in zip(idx.tolist(), texts.take(pa.array(idx)).to_pylist()):
            hashes[i] = content_hash(text or "")
    return hashes


def incident_id(
    article_id: str, event_type: str, admin1: str | None, admin2: str | None, locality: str | None
) -> str:
    """One incident per article, event type and place: re-extraction of the same article upserts."""
    parts = [article_id.strip()] + [normalise_text(p or "").casefold() for p in (event_type, admin1, admin2, locality)]
    return hashlib.sha1(_SEP.join(parts).encode("utf-8")).hexdigest()[:20]

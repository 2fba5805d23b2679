"""Article sources: turn a SourceSpec into batches of uniform article records.

Entry point for the flow is read_source(); everything else is per-kind detail.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import json
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

import httpx

from runtime.settings import DEFAULT_BATCH_SIZE
from sources.csvfile import read_csv
from sources.dates import zone
from sources.detect import detect_kind, is_url
from sources.folder import list_files, read_folder
from sources.http import HttpConfig, HttpResult, fetch, make_client
from sources.jsonl import read_jsonl
from sources.records import Item, batches
from sources.rss import read_rss
from sources.spec import KINDS, Batch, FetchState, SourceError, SourceSpec
from sources.telegram import read_telegram

__all__ = [
    "KINDS",
    "Batch",
    "FetchState",
    "HttpConfig",
    "SourceError",
    "SourceSpec",
    "detect_kind",
    "fetch",
    "local_fingerprint",
    "read_source",
]

_BUFFER = 1 << 16
# feedparser needs the whole document in memory; a bigger local "feed" is a mistake, not a feed.
MAX_LOCAL_FEED_BYTES = 200 * 1024 * 1024


def local_fingerprint(location: str) -> str:
    """size + mtime_ns + path: cheap enough to run every time, and any rewrite changes it.

    For a folder the stat of every article file is folded in, so adding or editing one file counts.
    """
    path = Path(location).resolve()
    if not path.exists():
        raise SourceError(f"{location} does not exist")
    try:
        if path.is_dir():
            h = hashlib.sha1()
            for f in list_files(SourceSpec(name="", kind="folder", location=str(path))):
                st = f.stat()
                h.update(f"{f.relative_to(path).as_posix()}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
            return f"dir:{path}:{h.hexdigest()}"
        st = path.stat()
    except OSError as err:
        raise SourceError(f"{location} cannot be read: {err.strerror or err}") from err
    return f"file:{path}:{st.st_size}:{st.st_mtime_ns}"


def _open_local(location: str) -> IO[bytes]:
    path = Path(location)
    try:
        if location.lower().endswith(".gz"):
            import gzip

            return io.BufferedReader(gzip.open(path, "rb"), buffer_size=_BUFFER)  # type: ignore[arg-type]
        return path.open("rb", buffering=_BUFFER)
    except OSError as err:
        raise SourceError(f"{location} cannot be read: {err.strerror or err}") from err


def _stream_items(spec: SourceSpec, fh: IO[bytes]) -> Iterator[Item]:
    try:
        if spec.kind == "jsonl":
            yield from read_jsonl(spec, fh)
        elif spec.kind == "csv":
            yield from read_csv(spec, fh)
        elif spec.kind == "telegram":
            yield from read_telegram(spec, fh)
        else:  # pragma: no cover - guarded by read_source
            raise SourceError(f"unknown kind {spec.kind!r}")
    except OSError as err:
        raise SourceError(f"{spec.location}: read failed: {err}") from err
    except UnicodeError as err:  # a codec without a lossless error handler (UTF-16 cut or without its BOM)
        raise SourceError(f"{spec.location}: not readable in its encoding: {err}") from err
    finally:
        fh.close()


def read_source(
    spec: SourceSpec,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    state: FetchState | None = None,
    http: HttpConfig | None = None,
) -> tuple[Iterator[Batch], FetchState, bool]:
    """(batches, new_state, unchanged); the fetch and the feed parse happen here, file kinds stream lazily.

    unchanged=True (HTTP 304, same body hash, or same local fingerprint) means nothing was parsed and
    the iterator is empty. A source-level failure raises SourceError now or while iterating.
    """
    if spec.kind not in KINDS:
        raise SourceError(f"{spec.name}: unknown kind {spec.kind!r} (expected one of {', '.join(KINDS)})")
    if batch_size < 1:
        raise ValueError("batch_size must be >= 1")
    _check_options(spec)
    state = state or FetchState()
    http = http or HttpConfig()

    if is_url(spec.location):
        if spec.kind == "folder":
            raise SourceError(f"{spec.location}: a folder source cannot be a URL")
        # The source's own host is the user's choice and trusted at any address (as before); links
        # and redirects to other hosts are checked on every hop unless allow_private_links.
        feed_host = urlsplit(spec.location).hostname
        with make_client(http, trusted_hosts=[feed_host or ""], allow_private=_allow_private(spec)) as client:
            result = fetch(spec.location, http, state, client)
            if result.not_modified:
                return iter(()), _next_state(state, result, state.fingerprint), True
            content = result.content or b""
            fingerprint = "sha256:" + hashlib.sha256(content).hexdigest()
            new_state = _next_state(state, result, fingerprint)
            if state.fingerprint == fingerprint:
                return iter(()), new_state, True
            if spec.kind == "rss":
                items = list(read_rss(spec, content, result.content_type, _page_fetcher(client, http)))
                return batches(iter(items), batch_size), new_state, False
        stream = io.BufferedReader(io.BytesIO(content), buffer_size=_BUFFER)  # type: ignore[arg-type]
        return batches(_stream_items(spec, stream), batch_size), new_state, False

    fingerprint = local_fingerprint(spec.location) + _options_digest(spec)
    new_state = FetchState(etag=None, last_modified=None, fingerprint=fingerprint)
    if state.fingerprint == fingerprint:
        return iter(()), new_state, True
    if spec.kind == "folder":
        return batches(read_folder(spec), batch_size), new_state, False
    if spec.kind == "rss":
        with _open_local(spec.location) as fh:
            data = fh.read(MAX_LOCAL_FEED_BYTES + 1)
        if len(data) > MAX_LOCAL_FEED_BYTES:
            raise SourceError(f"{spec.location}: feed larger than {MAX_LOCAL_FEED_BYTES} bytes")
        if spec.options.get("full_text"):
            with make_client(http, allow_private=_allow_private(spec)) as client:
                items = list(read_rss(spec, data, None, _page_fetcher(client, http)))
        else:
            items = list(read_rss(spec, data))
        return batches(iter(items), batch_size), new_state, False
    if Path(spec.location).is_dir():
        raise SourceError(f"{spec.location} is a folder, not a {spec.kind} file")
    return batches(_stream_items(spec, _open_local(spec.location)), batch_size), new_state, False


def _options_digest(spec: SourceSpec) -> str:
    """Changing a source's kind or options (say, the field mapping) must re-read an unchanged file."""
    blob = json.dumps([spec.kind, dict(spec.options)], sort_keys=True, default=str)
    return ":" + hashlib.sha1(blob.encode()).hexdigest()[:12]


def _check_options(spec: SourceSpec) -> None:
    """Bad options are a source-level mistake: fail before reading, with the option's name."""
    options = spec.options
    try:
        zone(options.get("timezone"))
    except (LookupError, ValueError) as err:
        raise SourceError(f"{spec.name}: unknown timezone {options.get('timezone')!r}") from err
    if options.get("encoding"):
        try:
            codecs.lookup(options["encoding"])
        except LookupError as err:
            raise SourceError(f"{spec.name}: unknown encoding {options['encoding']!r}") from err
    fields = options.get("fields")
    if fields is not None and not isinstance(fields, Mapping):
        raise SourceError(f"{spec.name}: option 'fields' must be a table of field -> column name(s)")


def _next_state(old: FetchState, result: HttpResult, fingerprint: str | None) -> FetchState:
    return FetchState(
        etag=result.etag or old.etag,
        last_modified=result.last_modified or old.last_modified,
        fingerprint=fingerprint,
    )


def _allow_private(spec: SourceSpec) -> bool:
    return bool(spec.options.get("allow_private_links"))


def _page_fetcher(client: httpx.Client, http: HttpConfig) -> Callable[[str], tuple[bytes, str | None]]:
    """A feed is third-party input: its links must not make the pipeline call internal services
    (SSRF). The client's transport refuses private or local addresses on every hop and connects to
    the address it checked; links to the feed's own host, or any with allow_private_links, pass."""

    def fetch_page(url: str) -> tuple[bytes, str | None]:
        result = fetch(url, http, None, client)
        return result.content or b"", result.content_type

    return fetch_page

"""One careful HTTP GET for feeds and article pages.

Feeds are polled on a schedule, so the client must be polite (conditional GET, a real User-Agent),
patient with flaky servers (retry 5xx/429/timeouts with backoff) and defensive against hostile or
broken ones (redirect loops, endless or huge bodies: bytes are counted as they stream in).
"""

from __future__ import annotations

import os
import random
import time
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version

import httpx

from sources.spec import FetchState, SourceError


def _user_agent() -> str:
    """Say who is fetching; operators add their contact with INCIDENTS_USER_AGENT, as polite crawlers do."""
    custom = os.environ.get("INCIDENTS_USER_AGENT")
    if custom:
        return custom
    try:
        v = version("incidents")
    except PackageNotFoundError:
        v = "0"
    return f"incidents-pipeline/{v} (news incident extraction; batch feed reader)"


@dataclass(frozen=True)
class HttpConfig:
    timeout: float = 10.0  # per connect/read/write operation
    retries: int = 3  # extra attempts after the first, only for transient failures
    backoff: float = 0.5  # first wait; doubles each retry, with jitter
    max_backoff: float = 30.0
    max_redirects: int = 5
    max_bytes: int = 20 * 1024 * 1024  # decoded body bytes, counted while streaming
    deadline: float = 120.0  # whole-response wall clock, so a trickling server cannot hold a run
    user_agent: str = field(default_factory=_user_agent)


@dataclass
class HttpResult:
    url: str  # final URL after redirects
    status: int
    content: bytes | None  # None when not modified
    etag: str | None
    last_modified: str | None
    content_type: str | None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class _Transient(Exception):
    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


def make_client(config: HttpConfig) -> httpx.Client:
    return httpx.Client(
        timeout=httpx.Timeout(config.timeout),
        follow_redirects=True,
        max_redirects=config.max_redirects,
        headers={"User-Agent": config.user_agent, "Accept-Encoding": "gzip, deflate"},
    )


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if value and value.strip().isdigit():
        return float(value.strip())
    return None


def _once(client: httpx.Client, url: str, headers: dict[str, str], config: HttpConfig) -> HttpResult:
    started = time.monotonic()
    try:
        with client.stream("GET", url, headers=headers) as response:
            status = response.status_code
            if status == 429 or status >= 500:
                raise _Transient(f"HTTP {status} from {url}", _retry_after(response))
            if status == 304:
                content = None
            elif status >= 400:
                raise SourceError(f"HTTP {status} from {url}")
            else:
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > config.max_bytes:
                        raise SourceError(f"response from {url} exceeds max_bytes={config.max_bytes}")
                    if time.monotonic() - started > config.deadline:
                        # Not retried: a server trickling bytes would do the same again.
                        raise SourceError(f"response from {url} took longer than {config.deadline}s")
                    chunks.append(chunk)
                content = b"".join(chunks)
            return HttpResult(
                url=str(response.url),
                status=status,
                content=content,
                etag=response.headers.get("ETag"),
                last_modified=response.headers.get("Last-Modified"),
                content_type=response.headers.get("Content-Type"),
            )
    except httpx.TooManyRedirects as err:
        raise SourceError(f"too many redirects (> {config.max_redirects}) from {url}") from err
    except httpx.TimeoutException as err:
        raise _Transient(f"timeout after {config.timeout}s fetching {url}") from err
    except (httpx.NetworkError, httpx.RemoteProtocolError) as err:
        raise _Transient(f"network error fetching {url}: {type(err).__name__}: {err}") from err
    except httpx.DecodingError as err:
        raise SourceError(f"undecodable response body from {url}: {err}") from err
    except (httpx.UnsupportedProtocol, httpx.InvalidURL) as err:
        raise SourceError(f"bad URL {url!r}: {err}") from err
    except httpx.HTTPError as err:
        raise SourceError(f"HTTP failure fetching {url}: {type(err).__name__}: {err}") from err


def fetch(
    url: str,
    config: HttpConfig | None = None,
    state: FetchState | None = None,
    client: httpx.Client | None = None,
) -> HttpResult:
    """GET with conditional headers and retries; raises SourceError with a one-line reason."""
    config = config or HttpConfig()
    headers: dict[str, str] = {}
    if state is not None:
        if state.etag:
            headers["If-None-Match"] = state.etag
        if state.last_modified:
            headers["If-Modified-Since"] = state.last_modified
    own = client is None
    client = client or make_client(config)
    try:
        attempt = 0
        while True:
            try:
                return _once(client, url, headers, config)
            except _Transient as err:
                if attempt >= config.retries:
                    raise SourceError(f"{err} (gave up after {attempt + 1} attempts)") from err
                wait = min(config.max_backoff, config.backoff * 2**attempt)
                if err.retry_after is not None:
                    wait = min(config.max_backoff, max(wait, err.retry_after))
                time.sleep(wait * (1 + random.random() * 0.1))
                attempt += 1
    finally:
        if own:
            client.close()

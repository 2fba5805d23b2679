"""One careful HTTP GET for feeds and article pages.

Feeds are polled on a schedule, so the client must be polite (conditional GET, a real User-Agent),
patient with flaky servers (retry 5xx/429/timeouts with backoff) and defensive against hostile or
broken ones (redirect loops, endless or huge bodies: bytes are counted as they stream in).

Links come from third-party feeds, so every connection is also guarded against SSRF: the host name is
resolved once, every address it resolves to must be public, and the connection goes to that checked
address (the URL is pinned to the IP; the Host header and TLS SNI keep the name), so a DNS answer that
changes between check and connect cannot reach an internal service. Redirects are followed here, hop by
hop, so each hop gets the same check. Hosts the user named (a source's own URL) are trusted as before.
"""

from __future__ import annotations

import ipaddress
import random
import socket
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

import httpx

from runtime.settings import load_settings
from sources.spec import FetchState, SourceError


def _user_agent() -> str:
    """INCIDENTS_USER_AGENT (runtime.settings), read when a fetch is configured, not at import."""
    return load_settings().user_agent


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


class AddressRefused(SourceError):
    """A connection would go to a private, local or otherwise non-public address."""

    def __init__(self, url: str, host: str, address: str):
        super().__init__(f"{url}: {host} resolves to a private or local address ({address})")
        self.url = url
        self.host = host
        self.address = address


# IPv6 prefixes that carry an IPv4 address in their last 32 bits (NAT64 well-known and local-use).
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))


def is_internal_address(address: str | ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """True unless the address is a public unicast one (IPv6 forms that embed an IPv4 address included)."""
    ip = ipaddress.ip_address(address.split("%")[0]) if isinstance(address, str) else address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:  # ::ffff:a.b.c.d is the IPv4 address itself
            return is_internal_address(ip.ipv4_mapped)
        embedded = [ip.sixtofour, *(ip.teredo or ())]
        if any(ip in net for net in _NAT64) or (ip.packed[:12] == bytes(12) and int(ip) > 1):
            # NAT64, or the deprecated IPv4-compatible ::a.b.c.d
            embedded.append(ipaddress.IPv4Address(ip.packed[-4:]))
        if any(v4 is not None and is_internal_address(v4) for v4 in embedded):
            return True
    return (
        not ip.is_global
        or ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def resolve_host(host: str, port: int) -> list[str]:
    """Every address the name resolves to (IP literals resolve to themselves), in the resolver's order."""
    try:
        return [str(ipaddress.ip_address(host.strip("[]").split("%")[0]))]
    except ValueError:
        pass
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    out: list[str] = []
    for info in infos:
        address = str(info[4][0]).split("%")[0]
        if address not in out:
            out.append(address)
    return out


class GuardedTransport(httpx.BaseTransport):
    """Resolve once, refuse non-public addresses, connect to the checked address (pinned).

    The request URL is rewritten to the IP for the connection only; the Host header (already set
    from the name) and the TLS server name / certificate check (``sni_hostname``) keep the name.
    Each name gets its own connection pool, so a connection made for one name is never reused for
    another that happens to share the address. Names in ``trusted_hosts`` (what the user named), and
    every name when ``allow_private`` is set, are resolved and pinned the same way but not checked.
    """

    def __init__(self, *, trusted_hosts: Iterable[str] = (), allow_private: bool = False):
        self.trusted_hosts = frozenset(h.lower() for h in trusted_hosts if h)
        self.allow_private = allow_private
        self._pools: dict[str, httpx.HTTPTransport] = {}
        self._lock = threading.Lock()
        self._ssl = httpx.create_ssl_context()  # one CA bundle load for every per-name pool

    def _pool(self, host: str) -> httpx.HTTPTransport:
        with self._lock:
            if host not in self._pools:
                self._pools[host] = httpx.HTTPTransport(verify=self._ssl)
            return self._pools[host]

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        host = request.url.raw_host.decode("ascii").lower()  # IDNA form: what DNS and SNI see
        port = request.url.port or (443 if request.url.scheme == "https" else 80)
        try:
            addresses = resolve_host(host, port)
        except OSError as err:
            raise httpx.ConnectError(f"cannot resolve {host}: {err}", request=request) from err
        if not addresses:
            raise httpx.ConnectError(f"cannot resolve {host}: no address", request=request)
        trusted = host in self.trusted_hosts or request.url.host.lower() in self.trusted_hosts
        if not (self.allow_private or trusted):
            for address in addresses:  # one bad answer refuses the name: the resolver gets no choice
                if is_internal_address(address):
                    raise AddressRefused(str(request.url), host, address)
        pool = self._pool(host)
        last: httpx.ConnectError | None = None
        for address in addresses:
            pinned = httpx.Request(
                request.method,
                request.url.copy_with(host=address),
                headers=request.headers,  # Host: the name, set when the request was built
                stream=request.stream,
                extensions={**request.extensions, "sni_hostname": host},
            )
            try:
                return pool.handle_request(pinned)
            except httpx.ConnectError as err:
                last = err  # try the next checked address, as socket.create_connection would
        assert last is not None
        raise last

    def close(self) -> None:
        with self._lock:
            pools, self._pools = list(self._pools.values()), {}
        for pool in pools:
            pool.close()


def make_client(
    config: HttpConfig, *, trusted_hosts: Iterable[str] = (), allow_private: bool = False
) -> httpx.Client:
    """A client whose every connection is guarded (see GuardedTransport); redirects are followed by
    fetch(), hop by hop, never by httpx, so each hop is checked and reported by name."""
    return httpx.Client(
        timeout=httpx.Timeout(config.timeout),
        follow_redirects=False,
        transport=GuardedTransport(trusted_hosts=trusted_hosts, allow_private=allow_private),
        headers={"User-Agent": config.user_agent, "Accept-Encoding": "gzip, deflate"},
    )


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if value and value.strip().isdigit():
        return float(value.strip())
    return None


_REDIRECTS = (301, 302, 303, 307, 308)


def _once(client: httpx.Client, url: str, headers: dict[str, str], config: HttpConfig) -> HttpResult:
    started = time.monotonic()
    current, previous = url, None
    try:
        for _hop in range(config.max_redirects + 1):
            try:
                with client.stream("GET", current, headers=headers) as response:
                    status = response.status_code
                    if status in _REDIRECTS and "Location" in response.headers:
                        previous, current = current, _redirect_target(response, current)
                        continue
                    return _read(response, current, started, config)
            except AddressRefused as err:
                if previous is None:
                    raise SourceError(
                        f"{current}: points at a private or local address ({err.address}); not fetched"
                    ) from err
                raise SourceError(
                    f"redirect to a private address refused: {previous} -> {current} ({err.address})"
                ) from err
        raise SourceError(f"too many redirects (> {config.max_redirects}) from {url}")
    except httpx.TimeoutException as err:
        raise _Transient(f"timeout after {config.timeout}s fetching {current}") from err
    except (httpx.NetworkError, httpx.RemoteProtocolError) as err:
        raise _Transient(f"network error fetching {current}: {type(err).__name__}: {err}") from err
    except httpx.DecodingError as err:
        raise SourceError(f"undecodable response body from {current}: {err}") from err
    except (httpx.UnsupportedProtocol, httpx.InvalidURL) as err:
        raise SourceError(f"bad URL {current!r}: {err}") from err
    except httpx.HTTPError as err:
        raise SourceError(f"HTTP failure fetching {current}: {type(err).__name__}: {err}") from err


def _redirect_target(response: httpx.Response, current: str) -> str:
    try:
        target = response.url.join(response.headers["Location"])
    except httpx.InvalidURL as err:
        raise SourceError(f"bad redirect from {current}: {err}") from err
    if target.scheme not in ("http", "https"):
        raise SourceError(f"redirect from {current} to a non-HTTP URL {str(target)!r} refused")
    return str(target)


def _read(response: httpx.Response, url: str, started: float, config: HttpConfig) -> HttpResult:
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


def _parses(url: str) -> bool:
    try:
        httpx.URL(url)
    except httpx.InvalidURL:
        return False
    return True


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
    # A URL the caller names itself is trusted, whatever its address (a local test server, an
    # intranet feed); its redirects to other hosts, and links fetched with a shared client, are not.
    client = client or make_client(config, trusted_hosts=[httpx.URL(url).host] if _parses(url) else [])
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

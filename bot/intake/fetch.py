"""A polite, careful HTTP fetcher for feeds and article pages.

Polite: a User-Agent that names us, conditional GETs, one request at a time and at most one a `per_host_interval`
per host, Retry-After honoured, robots.txt for pages (`Fetcher.allowed`). Careful: http and https only, no
private or loopback addresses at any redirect unless `allow_private`, bounded time, size and redirects.

Known limit (DNS rebinding): a host's addresses are checked when we resolve it, and httpx resolves it again when
it connects, so a hostile DNS server could answer a public address to us and a private one to httpx. Pinning the
connection to the checked address would close that, but it has to keep TLS SNI, certificate checks and connection
reuse right per host name, which this small module does not attempt. An IP literal is checked exactly.
"""

from __future__ import annotations

import asyncio
import email.utils
import socket
import time
import urllib.robotparser
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from urllib.parse import urlsplit

import httpx

from bot.intake.urls import UnsafeURL, address_kind, check_url, resolve_link

try:
    __version__ = version("newsdesk")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0"

USER_AGENT = f"Newsdesk/{__version__} (+https://github.com/newsdesk; self-hosted news bot)"

REDIRECTS = frozenset({301, 302, 303, 307, 308})
ROBOTS_TTL = 3600.0  # seconds a host's robots.txt is trusted
PRIVATE_HINT = "set FEEDS_ALLOW_PRIVATE=true for an intranet feed"

# (host, port) -> the addresses it resolves to. Injectable so that tests can give a made-up name an address.
Resolver = Callable[[str, int], Awaitable[Iterable[str]]]


async def system_resolver(host: str, port: int) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [info[4][0] for info in infos]


@dataclass(frozen=True)
class FetchPolicy:
    user_agent: str = USER_AGENT
    connect_timeout: float = 5.0
    total_timeout: float = 20.0  # one request, headers and body
    max_bytes: int = 5_000_000  # of the decoded body
    max_redirects: int = 5
    per_host_interval: float = 1.0  # seconds between the starts of two requests to one host
    concurrency: int = 4  # requests in flight at once, all hosts together
    allow_private: bool = False
    max_retry_after: float = 3600.0  # a server asking for a day's pause gets an hour's


@dataclass
class Page:
    url: str  # after redirects
    status: int  # 200 (or another 2xx), or 304
    headers: dict[str, str] = field(default_factory=dict)  # lowercase names
    body: bytes = b""
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class FetchError(Exception):
    """A fetch that failed. `reason` is one line for a person; `permanent` says whether retrying is pointless."""

    def __init__(
        self, reason: str, *, status: int | None = None, retry_after: float | None = None, permanent: bool = False
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.retry_after = retry_after
        self.permanent = permanent


def parse_retry_after(value: str | None, cap: float, now: datetime | None = None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date), between 0 and `cap`; None if unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        seconds = float(value)
    else:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:  # HTTP dates are GMT
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    return min(max(seconds, 0.0), cap)


def backoff_seconds(failures: int, base: float = 60.0, cap: float = 6 * 3600) -> float:
    """How long to leave a feed alone after `failures` failures in a row: base, 2 base, 4 base, ... up to cap."""
    if failures <= 0:
        return 0.0
    return min(cap, base * 2 ** min(failures - 1, 32))


def _seconds(value: float) -> str:
    return f"{value:g} s"


def _permanent_status(status: int) -> bool:
    # A client error will not fix itself by asking again, except a timeout, "too early" and "too many requests".
    return 400 <= status < 500 and status not in (408, 425, 429)


def _refusal(host: str, ip: str, kind: str) -> FetchError:
    article = "an" if kind[0] in "aeiou" else "a"
    what = f"{ip} is" if host == ip else f"{host} resolves to {ip},"
    return FetchError(f"refused: {what} {article} {kind} address ({PRIVATE_HINT})", permanent=True)


@dataclass
class _Host:
    """What we remember about one host: its turn, the time of its last request, and a pause it asked for."""

    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    last_request: float = float("-inf")
    paused_until: float = 0.0
    pause_error: FetchError | None = None


class Fetcher:
    def __init__(
        self,
        policy: FetchPolicy = FetchPolicy(),  # noqa: B008 (frozen, so sharing the default is harmless)
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        resolver: Resolver | None = None,
    ) -> None:
        self.policy = policy
        self._resolve = resolver or system_resolver
        self._client = httpx.AsyncClient(
            transport=transport,
            follow_redirects=False,  # we follow them ourselves, checking every hop
            timeout=httpx.Timeout(policy.total_timeout, connect=policy.connect_timeout),
            headers={"User-Agent": policy.user_agent, "Accept-Encoding": "gzip"},
        )
        self._slots = asyncio.Semaphore(policy.concurrency)
        self._hosts: dict[str, _Host] = {}
        self._robots: dict[tuple[str, str], tuple[float, urllib.robotparser.RobotFileParser]] = {}

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    async def get(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None, accept: str = "*/*"
    ) -> Page:
        """GET `url`, following at most `max_redirects` redirects. A Page for 2xx and 304; FetchError otherwise."""
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        for _hop in range(self.policy.max_redirects + 1):
            await self._check(url)
            page = await self._request(url, headers)
            if page.status not in REDIRECTS:
                if page.not_modified:  # a 304 may leave out the validators; the ones we sent still hold
                    page.etag = page.etag or etag
                    page.last_modified = page.last_modified or last_modified
                return page
            location = page.headers.get("location")
            if not location:
                raise FetchError(f"HTTP {page.status} without a Location", status=page.status)
            url = resolve_link(url, location)
        raise FetchError(f"more than {self.policy.max_redirects} redirects")

    async def allowed(self, url: str) -> bool:
        """Whether robots.txt lets us fetch `url` (for article pages; feeds are meant to be fetched)."""
        try:
            check_url(url)
        except UnsafeURL:
            return False
        parts = urlsplit(url)
        key = (parts.scheme.lower(), parts.netloc.lower())
        cached = self._robots.get(key)
        if cached is None or time.monotonic() - cached[0] > ROBOTS_TTL:
            cached = (time.monotonic(), await self._read_robots(f"{key[0]}://{key[1]}/robots.txt"))
            self._robots[key] = cached
        return cached[1].can_fetch(self.policy.user_agent, url)

    async def _read_robots(self, robots_url: str) -> urllib.robotparser.RobotFileParser:
        parser = urllib.robotparser.RobotFileParser(robots_url)
        try:
            page = await self.get(robots_url, accept="text/plain")
        except FetchError as exc:
            # As RFC 9309 says: a robots.txt that is not there (any 4xx) sets no rules; one that cannot be read
            # (5xx, the network) forbids everything for now: the page is not fetched, the feed's text is used.
            if exc.status is not None and 400 <= exc.status < 500:
                parser.allow_all = True
            else:
                parser.disallow_all = True
            return parser
        parser.parse(page.body.decode("utf-8", errors="replace").splitlines())
        return parser

    async def _check(self, url: str) -> None:
        """Refuse a URL that is not http(s), or whose host is (or resolves to) a non-public address."""
        try:
            check_url(url)
        except UnsafeURL as exc:
            raise FetchError(str(exc), permanent=True) from None
        if self.policy.allow_private:
            return
        parts = urlsplit(url)
        host = parts.hostname or ""
        if address_kind(host) != "invalid":  # an IP literal: no DNS involved
            addresses: Iterable[str] = [host]
        else:
            try:
                addresses = list(await self._resolve(host, parts.port or (443 if parts.scheme == "https" else 80)))
            except OSError as exc:
                raise FetchError(f"could not resolve {host} ({exc})") from None
            if not addresses:
                raise FetchError(f"could not resolve {host}")
        for ip in addresses:
            kind = address_kind(ip)
            if kind is not None:  # one bad address is enough: we cannot tell which one httpx will use
                raise _refusal(host, ip, kind)

    def _host(self, host: str) -> _Host:
        return self._hosts.setdefault(host, _Host())

    async def _request(self, url: str, headers: dict[str, str]) -> Page:
        """One request, in its host's turn and within the concurrency limit. Redirects come back as Pages."""
        policy = self.policy
        host = self._host(urlsplit(url).hostname or "")
        async with host.lock:  # one request at a time per host ...
            self._raise_if_paused(host)
            wait = host.last_request + policy.per_host_interval - time.monotonic()
            if wait > 0:  # ... and at most one per interval
                await asyncio.sleep(wait)
            async with self._slots:
                host.last_request = time.monotonic()
                try:
                    async with asyncio.timeout(policy.total_timeout):
                        return await self._exchange(url, headers, host)
                except FetchError:
                    raise
                except TimeoutError:
                    raise FetchError(f"timed out after {_seconds(policy.total_timeout)}") from None
                except httpx.ConnectTimeout:
                    raise FetchError(f"could not connect within {_seconds(policy.connect_timeout)}") from None
                except httpx.TimeoutException:
                    raise FetchError(f"timed out after {_seconds(policy.total_timeout)}") from None
                except httpx.DecodingError:
                    raise FetchError("the body could not be decoded (bad gzip?)") from None
                except httpx.InvalidURL as exc:
                    raise FetchError(f"invalid URL ({exc})", permanent=True) from None
                except httpx.HTTPError as exc:
                    raise FetchError(f"network error: {exc or type(exc).__name__}") from None

    def _raise_if_paused(self, host: _Host) -> None:
        """Fail fast, without a request, while a host's Retry-After lasts."""
        left = host.paused_until - time.monotonic()
        if left > 0 and host.pause_error is not None:
            error = host.pause_error
            raise FetchError(error.reason, status=error.status, retry_after=left, permanent=False)

    async def _exchange(self, url: str, headers: dict[str, str], host: _Host) -> Page:
        policy = self.policy
        async with self._client.stream("GET", url, headers=headers) as response:
            status = response.status_code
            page = Page(
                url=str(response.url),
                status=status,
                headers={name.lower(): value for name, value in response.headers.items()},
                etag=response.headers.get("etag"),
                last_modified=response.headers.get("last-modified"),
            )
            if status in REDIRECTS or status == 304:
                return page  # bodies of these are not read: nothing in them is for us
            if not 200 <= status < 300:
                retry_after = None
                if status in (429, 503):
                    retry_after = parse_retry_after(response.headers.get("retry-after"), policy.max_retry_after)
                error = FetchError(
                    f"HTTP {status}", status=status, retry_after=retry_after, permanent=_permanent_status(status)
                )
                if retry_after:  # remember the pause, so that the next get to this host does not even ask
                    host.paused_until = time.monotonic() + retry_after
                    host.pause_error = error
                raise error
            too_large = FetchError(f"larger than {policy.max_bytes:,} bytes", status=status)
            length = response.headers.get("content-length", "")
            if length.isdigit() and int(length) > policy.max_bytes:
                raise too_large
            # Count decoded bytes as they come, so that an endless body or a gzip bomb stops at the cap (httpx
            # decodes a network read at a time, so one read of a bomb can still briefly expand ~1000 fold).
            chunks, size = [], 0
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > policy.max_bytes:
                    raise too_large
                chunks.append(chunk)
            page.body = b"".join(chunks)
            return page

"""The fetcher against a real HTTP server on 127.0.0.1 (never the internet), and the URL helpers."""

from __future__ import annotations

import gzip
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from bot.intake.fetch import (
    USER_AGENT,
    Fetcher,
    FetchError,
    FetchPolicy,
    backoff_seconds,
    parse_retry_after,
)
from bot.intake.urls import UnsafeURL, canonical_url, check_url, is_public_address, resolve_link

LOCAL = FetchPolicy(allow_private=True, per_host_interval=0)
FEED = b"<rss><channel><title>News</title></channel></rss>" * 50
ETAG = '"v1"'
LAST_MODIFIED = "Wed, 02 Dec 2026 10:00:00 GMT"
ROBOTS = b"User-agent: Newsdesk\nDisallow: /private\n\nUser-agent: *\nDisallow: /\n"


class Handler(BaseHTTPRequestHandler):
    server: LocalServer

    def log_message(self, *args: object) -> None:  # keep the test output quiet
        pass

    def send(self, status: int, body: bytes = b"", **headers: str) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        self.server.record(self)
        path = self.path
        if path == "/feed":
            self.send(200, gzip.compress(FEED), Content_Encoding="gzip", ETag=ETAG, Last_Modified=LAST_MODIFIED)
        elif path == "/cond":
            fresh = self.headers.get("If-None-Match") == ETAG or self.headers.get("If-Modified-Since") == LAST_MODIFIED
            if fresh:
                self.send(304, ETag=ETAG)
            else:
                self.send(200, FEED, ETag=ETAG, Last_Modified=LAST_MODIFIED)
        elif path == "/limited":
            self.send(429, b"slow down", Retry_After="120")
        elif path == "/broken":
            self.send(500, b"oops")
        elif path == "/gone":
            self.send(404, b"no")
        elif path == "/slow":
            time.sleep(3)
            self.send(200, b"late")
        elif path == "/endless":
            self.send_response(200)
            self.end_headers()
            chunk = b"x" * 8192
            deadline = time.monotonic() + 10  # the thread ends even if the client never hangs up
            try:
                while time.monotonic() < deadline:
                    self.wfile.write(chunk)
            except OSError:  # the client hung up, as it should
                pass
        elif path.startswith("/chain/"):
            left = int(path.rsplit("/", 1)[1])
            if left:
                self.send(302, Location=f"{left - 1}")  # relative, resolved against the current URL
            else:
                self.send(200, b"end")
        elif path == "/robots.txt":
            self.send(200, ROBOTS, Content_Type="text/plain")
        else:
            self.send(200, b"ok")


class LocalServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.hits: Counter[str] = Counter()
        self.requests: list[tuple[str, float, dict[str, str]]] = []
        self._lock = threading.Lock()

    def record(self, handler: Handler) -> None:
        with self._lock:
            self.hits[handler.path] += 1
            self.requests.append((handler.path, time.monotonic(), dict(handler.headers)))

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client hanging up on the slow or endless handler is expected

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"


@pytest.fixture
def server():
    srv = LocalServer()
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


async def test_gzip_feed(server: LocalServer) -> None:
    async with Fetcher(LOCAL) as fetcher:
        page = await fetcher.get(server.url("/feed"))
    assert page.status == 200 and not page.not_modified
    assert page.body == FEED
    assert page.etag == ETAG and page.last_modified == LAST_MODIFIED
    assert page.headers["content-encoding"] == "gzip"
    sent = server.requests[0][2]
    assert sent["User-Agent"] == USER_AGENT and USER_AGENT.startswith("Newsdesk/")
    assert "gzip" in sent["Accept-Encoding"]


@pytest.mark.parametrize(
    "validators", [{"etag": ETAG}, {"last_modified": LAST_MODIFIED}], ids=["etag", "last-modified"]
)
async def test_conditional_get(server: LocalServer, validators: dict[str, str]) -> None:
    async with Fetcher(LOCAL) as fetcher:
        first = await fetcher.get(server.url("/cond"))
        again = await fetcher.get(server.url("/cond"), **validators)
    assert first.status == 200 and first.body == FEED
    assert again.not_modified and again.status == 304 and again.body == b""
    assert again.etag == ETAG


async def test_retry_after_is_remembered(server: LocalServer) -> None:
    async with Fetcher(LOCAL) as fetcher:
        with pytest.raises(FetchError) as first:
            await fetcher.get(server.url("/limited"))
        assert first.value.status == 429 and first.value.retry_after == 120
        assert not first.value.permanent
        with pytest.raises(FetchError) as second:  # same host, within the pause: no request at all
            await fetcher.get(server.url("/other"))
    assert second.value.status == 429 and 119 < second.value.retry_after <= 120
    assert server.hits == {"/limited": 1}


async def test_server_error_is_temporary_not_found_permanent(server: LocalServer) -> None:
    async with Fetcher(LOCAL) as fetcher:
        with pytest.raises(FetchError) as broken:
            await fetcher.get(server.url("/broken"))
        with pytest.raises(FetchError) as gone:
            await fetcher.get(server.url("/gone"))
    assert broken.value.reason == "HTTP 500" and broken.value.status == 500 and not broken.value.permanent
    assert broken.value.retry_after is None
    assert gone.value.status == 404 and gone.value.permanent


async def test_slow_server_times_out(server: LocalServer) -> None:
    started = time.monotonic()
    async with Fetcher(FetchPolicy(allow_private=True, per_host_interval=0, total_timeout=1)) as fetcher:
        with pytest.raises(FetchError) as error:
            await fetcher.get(server.url("/slow"))
    assert error.value.reason == "timed out after 1 s" and not error.value.permanent
    assert time.monotonic() - started < 2.5


async def test_endless_body_is_cut_off(server: LocalServer) -> None:
    started = time.monotonic()
    async with Fetcher(FetchPolicy(allow_private=True, per_host_interval=0, max_bytes=100_000)) as fetcher:
        with pytest.raises(FetchError) as error:
            await fetcher.get(server.url("/endless"))
    assert error.value.reason == "larger than 100,000 bytes"
    assert time.monotonic() - started < 5


async def test_redirects_followed_up_to_the_limit(server: LocalServer) -> None:
    async with Fetcher(LOCAL) as fetcher:
        page = await fetcher.get(server.url("/chain/3"))
        assert page.url == server.url("/chain/0") and page.body == b"end"
        assert (await fetcher.get(server.url("/chain/5"))).url == server.url("/chain/0")  # 5 redirects: fine
        with pytest.raises(FetchError) as error:
            await fetcher.get(server.url("/chain/6"))
    assert error.value.reason == "more than 5 redirects"


async def test_loopback_refused_before_any_request(server: LocalServer) -> None:
    async with Fetcher(FetchPolicy(per_host_interval=0)) as fetcher:
        with pytest.raises(FetchError) as error:
            await fetcher.get(server.url("/feed"))
        with pytest.raises(FetchError) as numeric:  # 2130706433 is 127.0.0.1 spelt as one number
            await fetcher.get("http://2130706433/feed")
    assert error.value.permanent
    assert error.value.reason.startswith("refused: 127.0.0.1 is a loopback address (set FEEDS_ALLOW_PRIVATE=true")
    assert numeric.value.permanent and "loopback" in numeric.value.reason
    assert server.hits.total() == 0


def fake_dns(table: dict[str, list[str]]):
    async def resolve(host: str, port: int) -> list[str]:
        if host not in table:
            raise OSError(f"unknown host {host}")
        return table[host]

    return resolve


async def test_redirect_to_private_address_refused(server: LocalServer) -> None:
    """public.test resolves (in this test) to a public address and redirects to the loopback server."""
    seen: list[str] = []

    def public_site(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(302, headers={"Location": server.url("/feed")})

    dns = fake_dns({"public.test": ["93.184.216.34"], "intranet.test": ["93.184.216.35", "10.0.0.5"]})
    policy = FetchPolicy(per_host_interval=0)
    async with Fetcher(policy, transport=httpx.MockTransport(public_site), resolver=dns) as fetcher:
        with pytest.raises(FetchError) as error:
            await fetcher.get("https://public.test/feed")
        with pytest.raises(FetchError) as mixed:  # one private address among public ones is enough
            await fetcher.get("https://intranet.test/feed")
    assert seen == ["https://public.test/feed"]
    assert error.value.permanent and error.value.reason.startswith("refused: 127.0.0.1 is a loopback address")
    assert mixed.value.reason.startswith("refused: intranet.test resolves to 10.0.0.5, a private address")
    assert server.hits.total() == 0


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/feed", "file:///etc/passwd", "gopher://example.com/"])
async def test_other_schemes_refused(url: str) -> None:
    async with Fetcher(LOCAL) as fetcher:
        with pytest.raises(FetchError) as error:
            await fetcher.get(url)
    assert error.value.reason == "not http or https" and error.value.permanent


async def test_robots_txt(server: LocalServer) -> None:
    async with Fetcher(LOCAL) as fetcher:
        assert not await fetcher.allowed(server.url("/private/x"))
        assert await fetcher.allowed(server.url("/news/x"))  # "*" disallows it, but our own group allows it
        assert not await fetcher.allowed("ftp://127.0.0.1/news/x")
    assert server.hits["/robots.txt"] == 1  # cached per host


@pytest.mark.parametrize(
    ("status", "allowed"), [(404, True), (410, True), (401, True), (403, True), (500, False), (503, False)]
)
async def test_robots_txt_failures(status: int, allowed: bool) -> None:
    def site(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status if request.url.path == "/robots.txt" else 200)

    async with Fetcher(LOCAL, transport=httpx.MockTransport(site)) as fetcher:
        assert await fetcher.allowed("https://news.test/article") is allowed


async def test_per_host_spacing(server: LocalServer) -> None:
    async with Fetcher(FetchPolicy(allow_private=True, per_host_interval=0.3)) as fetcher:
        await fetcher.get(server.url("/a"))
        await fetcher.get(server.url("/b"))
    (_, first, _), (_, second, _) = server.requests
    assert second - first >= 0.25


def test_backoff_and_retry_after() -> None:
    assert [backoff_seconds(n) for n in range(4)] == [0, 60, 120, 240]
    assert backoff_seconds(100) == 6 * 3600
    now = datetime(2026, 12, 2, 10, 0, 0, tzinfo=UTC)
    assert parse_retry_after("Wed, 02 Dec 2026 10:02:00 GMT", cap=3600, now=now) == 120
    assert parse_retry_after("Wed, 02 Dec 2026 09:00:00 GMT", cap=3600, now=now) == 0
    assert parse_retry_after("86400", cap=3600) == 3600
    assert parse_retry_after("soon", cap=3600) is None


def test_canonical_url() -> None:
    url = "HTTP://News.Example.COM:80/World/Story?utm_source=rss&id=3&UTM_Medium=x&fbclid=abc&page=2#comments"
    assert canonical_url(url) == "http://news.example.com/World/Story?id=3&page=2"
    assert canonical_url("https://example.com:443") == "https://example.com/"
    assert canonical_url("https://example.com:8443/a?utm_campaign=z") == "https://example.com:8443/a"
    assert canonical_url("http://[::1]:80/x?q=a%20b") == "http://[::1]/x?q=a%20b"
    assert resolve_link("https://example.com/feeds/rss.xml", "../news/1") == "https://example.com/news/1"
    assert resolve_link("https://example.com/feed", "https://other.org/x") == "https://other.org/x"


def test_public_addresses() -> None:
    for ip in ["10.0.0.1", "169.254.1.1", "::1", "::ffff:127.0.0.1", "224.0.0.1", "127.0.0.1", "0.0.0.0"]:
        assert not is_public_address(ip), ip
    for ip in ["100.64.0.1", "192.168.1.1", "fe80::1%eth0", "2002:7f00:1::", "not an address"]:
        assert not is_public_address(ip), ip
    assert is_public_address("93.184.216.34")
    assert is_public_address("2606:2800:220:1:248:1893:25c8:1946")


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("ftp://example.com/", "not http or https"),
        ("//example.com/", "not http or https"),
        ("http:///path", "no host"),
        ("http://user:pw@example.com/", "credentials"),
        ("http://example.com:99999/", "malformed"),
        ("http://exa\nmple.com/", "control character"),
    ],
)
def test_check_url(url: str, why: str) -> None:
    with pytest.raises(UnsafeURL, match=why):
        check_url(url)
    check_url("https://example.com/feed.xml")

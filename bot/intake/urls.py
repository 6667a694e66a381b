"""URLs from feeds and pages: one spelling per item, and whether a URL is safe to fetch. Pure functions, no I/O."""

from __future__ import annotations

import ipaddress
from urllib.parse import unquote_plus, urljoin, urlsplit, urlunsplit

DEFAULT_PORTS = {"http": 80, "https": 443}

# Query parameters that say where a reader came from, not which item it is.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "ref_src",
        "cmpid",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "oly_anon_id",
        "oly_enc_id",
        "vero_id",
        "vero_conv",
    }
)
TRACKING_PREFIXES = ("utm_",)

MAX_URL_LENGTH = 8192


class UnsafeURL(ValueError):
    """A URL the fetcher will not request; the message says why in a few words."""


def _is_tracking(key: str) -> bool:
    key = unquote_plus(key).lower()
    return key in TRACKING_PARAMS or key.startswith(TRACKING_PREFIXES)


def canonical_url(url: str) -> str:
    """The spelling used to tell that two links are the same item: lowercase scheme and host, no default port, no
    fragment, no tracking parameters (the others kept as written, in their order), "/" for an empty path."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    netloc = parts.netloc
    if parts.hostname is not None:
        host = parts.hostname  # already lowercase, without IPv6 brackets
        if ":" in host:
            host = f"[{host}]"
        try:
            port = parts.port
        except ValueError:  # not a number: keep what was written
            port = None
            host = netloc.rpartition("@")[2].lower()
        if port is not None and port != DEFAULT_PORTS.get(scheme):
            host = f"{host}:{port}"
        userinfo, at, _ = netloc.rpartition("@")
        netloc = f"{userinfo}{at}{host}"
    # Split the raw query by hand so that the kept parameters keep their exact encoding.
    query = "&".join(p for p in parts.query.split("&") if p and not _is_tracking(p.partition("=")[0]))
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))


def resolve_link(base: str, link: str) -> str:
    """A feed's link, which may be relative, as an absolute URL."""
    return urljoin(base, link.strip())


def address_kind(ip: str) -> str | None:
    """None for a public address, else what it is ("loopback", "private", ...), for a refusal's message."""
    try:
        addr = ipaddress.ip_address(ip.split("%", 1)[0])  # drop an IPv6 zone ("fe80::1%eth0")
    except ValueError:
        return "invalid"
    if isinstance(addr, ipaddress.IPv6Address):
        # ::ffff:127.0.0.1 and 6to4's 2002:7f00:1:: reach the IPv4 address inside them.
        addr = addr.ipv4_mapped or addr.sixtofour or addr
    checks = (
        ("loopback", addr.is_loopback),
        ("unspecified", addr.is_unspecified),
        ("link-local", addr.is_link_local),
        ("multicast", addr.is_multicast),
        ("private", addr.is_private),
        ("reserved", addr.is_reserved),
        ("non-public", not addr.is_global),  # e.g. 100.64.0.0/10, carrier-grade NAT
    )
    return next((kind for kind, hit in checks if hit), None)


def is_public_address(ip: str) -> bool:
    return address_kind(ip) is None


def check_url(url: str) -> None:
    """Raise UnsafeURL unless `url` is an absolute http(s) URL with a host, without credentials."""
    if len(url) > MAX_URL_LENGTH:
        raise UnsafeURL(f"URL longer than {MAX_URL_LENGTH:,} characters")
    # urlsplit silently drops tabs and newlines; a URL carrying them was made to confuse someone.
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in url):
        raise UnsafeURL("control character in the URL")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:  # bad port, unbalanced IPv6 brackets
        raise UnsafeURL(f"malformed URL ({exc})") from None
    if parts.scheme.lower() not in DEFAULT_PORTS:
        raise UnsafeURL("not http or https")
    if not parts.hostname:
        raise UnsafeURL("no host in the URL")
    if parts.username is not None or parts.password is not None:
        raise UnsafeURL("credentials in the URL")
    if port == 0:
        raise UnsafeURL("port 0")

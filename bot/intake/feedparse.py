"""A feed's items, read with feedparser: RSS 2.0, RSS 1.0/RDF and Atom, with relative links made absolute.

feedparser reads the bytes as data: it runs no script and fetches nothing (it is given bytes, not a URL), and
the XML parser under it (expat) refuses entity-expansion bombs.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from html import unescape

import feedparser

from bot.intake.urls import canonical_url, resolve_link

_TAG = re.compile(r"<[^>]+>")
_BLOCK = re.compile(r"</?(?:p|div|br|li|h[1-6]|blockquote|tr)\b[^>]*>", re.IGNORECASE)


class NotAFeed(ValueError):
    """The bytes are no feed feedparser can read; the message says what was wrong."""


@dataclass(frozen=True)
class FeedItem:
    guid: str  # the item's own id, else its link
    url: str | None  # canonical
    title: str | None
    summary: str  # the feed's text for it (often a teaser), as plain text
    published: str | None  # ISO date-time (UTC) when the feed gives one
    author: str | None


@dataclass(frozen=True)
class ParsedFeed:
    title: str | None
    items: list[FeedItem]
    problem: str | None = None  # read, but not cleanly (feedparser's "bozo"): said, not fatal


def parse_feed(data: bytes, url: str) -> ParsedFeed:
    """The feed's items in its order. Raises NotAFeed when nothing in the bytes is a feed."""
    parsed = feedparser.parse(data, response_headers={"content-location": url}, sanitize_html=True)
    problem = f"{type(parsed.bozo_exception).__name__}: {parsed.bozo_exception}" if parsed.get("bozo") else None
    if not parsed.entries and (problem or not parsed.get("version")):
        raise NotAFeed(f"not a feed ({problem or 'no RSS or Atom in it'})")
    items = []
    for entry in parsed.entries:
        link = entry.get("link")
        link = canonical_url(resolve_link(url, link)) if link else None
        guid = str(entry.get("id") or link or entry.get("title") or "").strip()
        if not guid:
            continue  # nothing to know it again by
        items.append(
            FeedItem(
                guid=guid[:2000],
                url=link,
                title=_text(entry.get("title")) or None,
                summary=_summary(entry),
                published=_when(entry),
                author=_text(entry.get("author")) or None,
            )
        )
    return ParsedFeed(_text(parsed.feed.get("title")) or None, items, problem)


def _summary(entry) -> str:
    """The longest text the feed gives for an item (content:encoded or Atom content, else the description)."""
    texts = [c.get("value", "") for c in entry.get("content", [])] + [entry.get("summary", "")]
    return max((_text(t, paragraphs=True) for t in texts), key=len, default="")


def _text(value: str | None, paragraphs: bool = False) -> str:
    """Plain text of a feed's (sanitised) HTML: tags dropped, entities read; paragraphs kept apart if asked."""
    if not value:
        return ""
    value = _BLOCK.sub("\n\n" if paragraphs else " ", value)
    value = unescape(_TAG.sub(" ", value))
    if not paragraphs:
        return " ".join(value.split())
    return "\n\n".join(" ".join(p.split()) for p in value.split("\n\n") if p.strip())


def _when(entry) -> str | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        if parsed := entry.get(key):
            return datetime.fromtimestamp(calendar.timegm(parsed), UTC).isoformat(timespec="seconds")
    return None

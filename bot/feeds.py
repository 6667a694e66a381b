"""Following feeds: poll each one politely, take each item once, fetch its full article, and store it.

An item is new once: by its GUID in its feed, by its canonical URL in any feed or file, and by its text (the
ingest's same-text check). The page behind an item's link is fetched (robots.txt honoured) and its article
extracted; its text is preferred to the feed's when it says more. A feed that keeps failing is disabled with its
reason, and adding it again enables it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bot.archive import Archive, Feed, FetchOutcome
from bot.config import Settings
from bot.intake.feedparse import FeedItem, NotAFeed, parse_feed
from bot.intake.fetch import Fetcher, FetchError, FetchPolicy, backoff_seconds
from bot.intake.records import BadRecord, Record
from bot.intake.urls import UnsafeURL, canonical_url, check_url
from bot.workers import WorkerPool

log = logging.getLogger(__name__)

FEED_TYPES = "application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9, */*;q=0.8"
PAGE_TYPES = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
FAILURES_TO_DISABLE = 10  # in a row, over at least DISABLE_AFTER: then the feed is disabled, with why
DISABLE_AFTER = timedelta(days=1)
_CHARSET = re.compile(r"charset=[\"']?([\w.:-]+)", re.IGNORECASE)
MAX_ITEMS = 200  # of one fetch: a feed of thousands is taken in pieces, newest first


@dataclass(frozen=True)
class Later(BadRecord):
    """An item whose page could not be fetched for a passing reason (a timeout, a 503): not taken now, so that
    the next poll tries it again rather than keep its teaser for good."""


class FeedProblem(ValueError):
    """A feed cannot be added; the message says why."""


@dataclass
class FeedReport:
    feed: Feed
    outcome: str = "ok"  # ok, not modified, failed
    new: int = 0
    added: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (url or guid, why)
    error: str | None = None
    disabled: str | None = None


def now() -> datetime:
    return datetime.now(UTC)


def checked_feed_url(url: str) -> str:
    """The canonical form of a feed's URL, or FeedProblem saying what is wrong with it."""
    try:
        check_url(url.strip())
    except UnsafeURL as exc:
        raise FeedProblem(str(exc)) from exc
    return canonical_url(url.strip())


def policy_for(settings: Settings) -> FetchPolicy:
    return FetchPolicy(allow_private=settings.feeds_allow_private)


async def fetch_feeds(
    archive: Archive,
    settings: Settings,
    feeds: list[Feed],
    *,
    pool: WorkerPool | None = None,
    fetcher: Fetcher | None = None,
    on_feed: Callable[[FeedReport], None] | None = None,
) -> list[FeedReport]:
    """Fetch the feeds once, a few at a time (the fetcher spaces requests to one host), and store what is new."""
    own = fetcher is None
    fetcher = fetcher or Fetcher(policy_for(settings))
    try:
        reports = []
        for report in asyncio.as_completed([_safely(archive, settings, feed, fetcher, pool) for feed in feeds]):
            done = await report
            reports.append(done)
            if on_feed:
                on_feed(done)
        return sorted(reports, key=lambda r: r.feed.id)
    finally:
        if own:
            await fetcher.aclose()


async def _safely(archive: Archive, settings: Settings, feed: Feed, fetcher: Fetcher, pool) -> FeedReport:
    """One feed's fetch; a bug met on one feed is its failure (logged), not the others'."""
    try:
        return await _fetch_one(archive, settings, feed, fetcher, pool)
    except (FetchError, UnsafeURL, OSError, ValueError) as exc:
        log.exception("feed %s", feed.label)
        return await _failed(archive, settings, FeedReport(feed), f"error: {type(exc).__name__}: {exc}", None, False)


async def _fetch_one(archive: Archive, settings: Settings, feed: Feed, fetcher: Fetcher, pool) -> FeedReport:
    report = FeedReport(feed)
    try:
        page = await fetcher.get(feed.url, etag=feed.etag, last_modified=feed.last_modified, accept=FEED_TYPES)
    except FetchError as exc:
        # A feed that is gone (410) or refused is disabled at once; a 404 may be a site's passing mistake.
        gone = exc.permanent and exc.status != 404
        return await _failed(archive, settings, report, exc.reason, exc.retry_after, gone)
    if page.not_modified:
        report.outcome = "not modified"
        await archive.finish_fetch(feed.id, FetchOutcome("not modified", next_fetch_at=_next(settings, feed)))
        return report
    try:
        parsed = await asyncio.to_thread(parse_feed, page.body, page.url)
    except NotAFeed as exc:
        return await _failed(archive, settings, report, str(exc), None, False)
    items = parsed.items[:MAX_ITEMS]
    old_guids, old_urls = await archive.known_items(feed.id, [i.guid for i in items], [i.url for i in items if i.url])
    fresh, seen_urls = [], set()
    for item in items:
        if item.guid in old_guids or (item.url and (item.url in old_urls or item.url in seen_urls)):
            continue
        seen_urls.add(item.url)
        fresh.append(item)
    report.new = len(fresh)
    records = await asyncio.gather(*(_article(fetcher, item, parsed.title or feed.label) for item in fresh))
    later = [(item, rec) for item, rec in zip(fresh, records, strict=True) if isinstance(rec, Later)]
    fresh_records = [(item, rec) for item, rec in zip(fresh, records, strict=True) if not isinstance(rec, Later)]
    good = [(item, rec) for item, rec in fresh_records if isinstance(rec, Record)]
    outcomes = await _store(archive, settings, [(_key(item), rec) for item, rec in good], pool)
    rows = []
    for item, rec in fresh_records:
        outcome, note = ("skipped", rec.reason) if isinstance(rec, BadRecord) else outcomes[_key(item)]
        rows.append((item.guid, item.url, outcome, note))
        report.added += outcome in ("added", "updated")
        if outcome == "skipped":
            report.skipped.append((item.url or item.guid, note or ""))
    await archive.record_items(feed.id, rows)
    report.skipped += [(item.url or item.guid, f"{rec.reason}; tried again at the next poll") for item, rec in later]
    # With items left for later, the feed's new validators are not kept: the next poll must read it again.
    etag, modified = (None, None) if later else (page.etag, page.last_modified)
    done = FetchOutcome("ok", report.added, None, etag, modified, _next(settings, feed), None)  # well again
    await archive.finish_fetch(feed.id, done)
    return report


def _key(item: FeedItem) -> str:
    """Where an item's article is stored: its canonical URL, else its GUID in the feed's name space."""
    return item.url or f"feed-item:{item.guid}"


async def _article(fetcher: Fetcher, item: FeedItem, feed_title: str) -> Record | BadRecord:
    """The item's article: the page behind its link when that says more than the feed, else the feed's text."""
    from_feed = Record(item.summary, item.title, item.published, item.url, feed_title, item.author)
    page = await _page(fetcher, item.url) if item.url else None
    if isinstance(page, Record) and len(page.text.split()) > len(item.summary.split()):
        return Record(
            text=page.text,
            title=item.title or page.title,
            published=item.published or page.published,
            url=item.url,
            source=page.source or feed_title,
            author=item.author or page.author,
        )
    if isinstance(page, Later):
        return page
    if len(item.summary.split()) < 5:
        why = page.reason if isinstance(page, BadRecord) else "no text in the feed or behind its link"
        return BadRecord(f"no article: {why}")
    return from_feed


async def _page(fetcher: Fetcher, url: str) -> Record | BadRecord:
    from bot.intake.extract import extract_page

    try:
        if not await fetcher.allowed(url):
            return BadRecord("the site's robots.txt does not let Newsdesk fetch the page")
        page = await fetcher.get(url, accept=PAGE_TYPES)
    except FetchError as exc:
        why = f"page not fetched: {exc.reason}"
        return BadRecord(why) if exc.permanent else Later(why)
    # Extracting an article is tens of milliseconds of CPU: never on the event loop.
    charset = _CHARSET.search(page.headers.get("content-type", ""))
    return await asyncio.to_thread(extract_page, page.body, page.url, charset=charset and charset.group(1))


async def _store(archive, settings, records, pool):
    from bot.ingest import ingest_records

    if not records:
        return {}
    return await ingest_records(
        archive,
        records,
        max_bytes=settings.max_article_bytes,
        model=settings.nlp_model,
        pool=pool,
        file_seconds=settings.ingest_file_seconds,
        worker_mb=settings.ingest_worker_mb,
    )


async def _failed(archive, settings, report: FeedReport, why: str, retry_after, permanent: bool) -> FeedReport:
    feed = report.feed
    failures = feed.failures + 1
    first = datetime.fromisoformat(feed.first_failure_at) if feed.first_failure_at else now()
    disable = None
    if permanent:
        disable = why
    elif failures >= FAILURES_TO_DISABLE and now() - first >= DISABLE_AFTER:
        disable = f"failed {failures} times in a row since {first:%Y-%m-%d %H:%M} UTC; last: {why}"
    wait = max(retry_after or 0.0, backoff_seconds(failures))
    nxt = (now() + timedelta(seconds=wait)).isoformat(timespec="seconds")
    await archive.finish_fetch(feed.id, FetchOutcome("failed", error=why, next_fetch_at=nxt, disable=disable))
    report.outcome, report.error, report.disabled = "failed", why, disable
    log.warning("feed %s: %s%s", feed.label, why, f" (disabled: {disable})" if disable else "")
    return report


def _next(settings: Settings, feed: Feed) -> str | None:
    """When to poll the feed again: its period, offset by its number so that feeds added together spread out."""
    if not settings.feed_minutes:
        return None
    period = settings.feed_minutes * 60
    offset = (feed.id * 97) % max(period // 10, 1)  # up to a tenth of the period
    return (now() + timedelta(seconds=period + offset)).isoformat(timespec="seconds")


async def add_feed(archive: Archive, url: str, name: str | None, added_by: str | None) -> tuple[Feed, bool]:
    """Follow a feed (or follow it again: a disabled feed is enabled); (the feed, whether it is new). Only the
    URL is checked here; the feed itself is read at its first poll."""
    name = " ".join((name or "").split())[:100] or None
    return await archive.add_feed(checked_feed_url(url), name, added_by)


async def find_feed(archive: Archive, ref: str) -> Feed | None:
    """A feed by its number (as `feeds list` shows it) or its URL."""
    ref = ref.strip().lstrip("#")
    if ref.isdecimal():
        return await archive.feed(int(ref))
    try:
        return await archive.feed(checked_feed_url(ref))
    except FeedProblem:
        return None


async def due_feeds(archive: Archive) -> list[Feed]:
    return await archive.due_feeds(now().isoformat(timespec="seconds"))


class FeedPoller:
    """Polls the feeds that are due, in the background, one round at a time: each feed every FEED_MINUTES,
    spread out (see `_next`), later after failures (backoff, Retry-After)."""

    TICK_SECONDS = 60.0

    def __init__(self, archive: Archive, settings: Settings, pool: WorkerPool | None = None):
        self.archive, self.settings, self.pool = archive, settings, pool
        self.fetcher = Fetcher(policy_for(settings))
        self.last_round: list[FeedReport] = []
        self._task: asyncio.Task | None = None

    def start(self) -> None:
        if self.settings.feed_minutes > 0 and self._task is None:
            self._task = asyncio.create_task(self._poll_forever(), name="feed poll")

    async def _poll_forever(self) -> None:
        while True:
            try:
                await self.poll_once()
            except Exception:  # a broken round must not stop polling for good
                log.exception("feed poll failed")
            await asyncio.sleep(self.TICK_SECONDS)

    async def poll_once(self) -> list[FeedReport]:
        due = await due_feeds(self.archive)
        if due:
            self.last_round = await fetch_feeds(self.archive, self.settings, due, pool=self.pool, fetcher=self.fetcher)
        return self.last_round

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await self.fetcher.aclose()


async def list_feeds(archive: Archive) -> list[Feed]:
    return await archive.feeds()


async def remove_feed(archive: Archive, feed: Feed) -> bool:
    """Stop following the feed; the articles it brought stay."""
    return await archive.remove_feed(feed.id)

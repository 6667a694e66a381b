"""Feeds for real, on loopback: RSS 2.0, Atom and RDF, full articles behind teasers, 304s, failures, dedup."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot import feeds
from bot.config import Settings
from tests import conftest
from tests.news_site import NewsSite, unique_word


@pytest.fixture
def site():
    with NewsSite(items=12) as running:
        yield running


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(
        database_path=tmp_path / "db" / "newsdesk.db", archive_dir=tmp_path, feeds_allow_private=True, feed_minutes=15
    )


async def fetch_all(archive, settings):
    known = [f for f in await feeds.list_feeds(archive) if f.enabled]
    return await feeds.fetch_feeds(archive, settings, known, pool=conftest._pool)


async def test_items_become_full_articles_once(archive, settings, site):
    feed, new = await feeds.add_feed(archive, f"{site.base}/rss.xml", None, "test")
    assert new
    [report] = await fetch_all(archive, settings)
    assert (report.outcome, report.new, report.added, report.skipped) == ("ok", 12, 12, [])
    assert await archive.integrity_problems() == []
    # The page's text, not the teaser: a word only the page has is found; the comments and navigation are not.
    hits = await archive.search(unique_word(7))
    assert [h.url for h in hits.hits] == [f"{site.base}/news/7.html"]  # tracking parameters dropped
    assert (await archive.search("nightowl")).total == 0
    assert (await archive.search("newsletter")).total == 0
    hit = hits.hits[0]
    assert (hit.published, hit.source) == ("2026-10-08", "Loopback Gazette")
    # Again: the feed answers 304, nothing is fetched or added twice.
    pages = sum(n for path, n in site.hits.items() if path.startswith("/news/"))
    [again] = await fetch_all(archive, settings)
    assert (again.outcome, again.added) == ("not modified", 0) and site.not_modified == 1
    assert sum(n for path, n in site.hits.items() if path.startswith("/news/")) == pages
    assert (await archive.stats()).articles == 12


async def test_a_page_that_fails_for_a_passing_reason_is_tried_again_not_kept_as_a_teaser(archive, settings, site):
    site.unavailable.add("/news/3.html")
    await feeds.add_feed(archive, f"{site.base}/rss.xml", None, "test")
    [first] = await fetch_all(archive, settings)
    assert first.added == 11 and any("HTTP 503" in why and "next poll" in why for _, why in first.skipped)
    assert (await archive.search(unique_word(3))).total == 0
    [second] = await fetch_all(archive, settings)
    assert (second.outcome, second.new, second.added) == ("ok", 1, 1)  # read again, not a 304
    assert (await archive.search(unique_word(3))).total == 1  # the full page, not the teaser


async def test_an_item_seen_in_another_feed_or_again_without_etag_is_not_new(archive, settings, site):
    await feeds.add_feed(archive, f"{site.base}/rss.xml", None, "test")
    await fetch_all(archive, settings)
    # The same feed under another address (a tracking parameter): the items' URLs are known already.
    await feeds.add_feed(archive, f"{site.base}/rss.xml?via=mirror", "Mirror", "test")
    reports = await fetch_all(archive, settings)
    mirror = next(r for r in reports if r.feed.name == "Mirror")
    assert (mirror.outcome, mirror.new, mirror.added) == ("ok", 0, 0)
    assert (await archive.stats()).articles == 12


async def test_atom_and_rdf_with_relative_links_and_latin1(archive, settings, site):
    await feeds.add_feed(archive, f"{site.base}/atom.xml", None, "test")
    await feeds.add_feed(archive, f"{site.base}/rdf.xml", None, "test")
    reports = await fetch_all(archive, settings)
    assert [(r.outcome, r.added) for r in reports] == [("ok", 3), ("ok", 2)]
    hits = await archive.search(unique_word(101))
    assert [h.url for h in hits.hits] == [f"{site.base}/news/101.html"]  # "news/101.html" against xml:base


async def test_failures_are_recorded_and_a_feed_that_keeps_failing_is_disabled(archive, settings, site, tmp_path):
    feed, _ = await feeds.add_feed(archive, f"{site.base}/broken.xml", None, "test")
    [report] = await fetch_all(archive, settings)
    assert report.outcome == "failed" and "not a feed" in report.error
    stored = await archive.feed(feed.id)
    assert stored.enabled and stored.failures == 1 and "not a feed" in stored.last_error
    assert stored.next_fetch_at > datetime.now(UTC).isoformat()  # backed off
    # Nine more failures, the first of them a day ago: disabled, with why.
    with sqlite3.connect(archive.path) as db:
        since = (datetime.now(UTC) - timedelta(days=1, minutes=1)).isoformat(timespec="seconds")
        db.execute("UPDATE feeds SET failures = 9, first_failure_at = ? WHERE id = ?", (since, feed.id))
    [report] = await feeds.fetch_feeds(archive, settings, [await archive.feed(feed.id)], pool=conftest._pool)
    assert report.disabled and "10 times" in report.disabled
    stored = await archive.feed(feed.id)
    assert not stored.enabled and "10 times" in stored.disabled_reason
    assert await feeds.due_feeds(archive) == []
    # Adding it again enables it, failures forgotten.
    again, new = await feeds.add_feed(archive, f"{site.base}/broken.xml", None, "test")
    assert (new, again.enabled, again.failures, again.disabled_reason) == (False, True, 0, None)


async def test_a_private_address_is_refused_unless_allowed(archive, settings, site):
    strict = replace(settings, feeds_allow_private=False)
    feed, _ = await feeds.add_feed(archive, f"{site.base}/rss.xml", None, "test")
    [report] = await feeds.fetch_feeds(archive, strict, [feed])
    assert report.outcome == "failed" and "loopback" in report.error and report.disabled
    assert site.hits == {}  # not one request went out


def test_feed_urls_are_checked_when_added():
    with pytest.raises(feeds.FeedProblem):
        feeds.checked_feed_url("file:///etc/passwd")
    with pytest.raises(feeds.FeedProblem):
        feeds.checked_feed_url("javascript:alert(1)")
    assert feeds.checked_feed_url("HTTP://Example.COM:80/rss?utm_source=x#top") == "http://example.com/rss"


def test_from_the_terminal_fifty_items_with_their_full_text(tmp_path):
    """The issue's check: `newsdesk feeds add` and `newsdesk feeds fetch` on a loopback feed of 50 teasers."""
    from tests.test_cli import newsdesk

    env = {"DATABASE_PATH": str(tmp_path / "n.db"), "ARCHIVE_DIR": str(tmp_path), "FEEDS_ALLOW_PRIVATE": "true"}
    with NewsSite(items=50) as site:
        added = newsdesk("feeds", "add", f"{site.base}/rss.xml", "--name", "Gazette", cwd=tmp_path, **env)
        assert added.returncode == 0, added.stderr
        first = newsdesk("feeds", "fetch", cwd=tmp_path, **env)
        assert first.returncode == 0, first.stderr
        assert "50 article(s) added" in first.stdout
        second = newsdesk("feeds", "fetch", cwd=tmp_path, **env)
        assert "0 article(s) added, 1 not modified" in second.stdout and site.not_modified == 1
    search = newsdesk("search", unique_word(42), cwd=tmp_path, **env)
    assert "1 article(s) match" in search.stdout and "plan 42 (Loopback Gazette, 2026-11-12)" in search.stdout
    listing = newsdesk("feeds", "list", cwd=tmp_path, **env)
    assert (
        "#1 Gazette" in listing.stdout and "not modified, 0 new" in listing.stdout and "50 articles" in listing.stdout
    )
    with sqlite3.connect(tmp_path / "n.db") as db:
        rows = db.execute("SELECT published, source, url FROM articles").fetchall()
    assert len(rows) == 50 and len({p for p, _, _ in rows}) == 50  # each its own date
    assert {s for _, s, _ in rows} == {"Loopback Gazette"} and all(u.startswith(site.base) for _, _, u in rows)

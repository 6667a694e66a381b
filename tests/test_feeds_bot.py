"""/feeds end to end: the real discord.py client against the fake Discord, feeds from a news site on loopback."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.config import Settings
from tests import conftest
from tests.discord_harness import running_bot
from tests.fake_discord import MANAGE_GUILD, SEND
from tests.news_site import NewsSite, unique_word
from tests.test_bot import EPHEMERAL, answer_of, assert_within_limits, embed_text, opt, shown

ADMINISTRATOR = 1 << 3
MEMBER = 5000  # not the application's owner


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(
        database_path=tmp_path / "bot" / "newsdesk.db",
        archive_dir=tmp_path,
        ingest_on_start=False,
        feed_minutes=0,  # polled by hand below
        feeds_allow_private=True,
    )


@pytest.fixture
def site():
    with NewsSite(items=5) as running:
        yield running


async def test_the_owner_adds_a_feed_and_its_articles_arrive(fake, settings, site):
    async with running_bot(fake, settings) as bot:
        bot.feeds.pool = conftest._pool
        reply = await answer_of(fake, await fake.command("feeds add", [opt("url", f"{site.base}/rss.xml")]))
        assert reply["data"]["flags"] & EPHEMERAL and "Following feed #1" in reply["data"]["content"]
        [report] = await bot.feeds.poll_once()
        assert report.added == 5
        found = await answer_of(fake, await fake.command("search", [opt("query", unique_word(3))]))
        assert f"{site.base}/news/3.html" in str(found)
        listing = await answer_of(fake, await fake.command("feeds list"))
        [embed] = listing["data"]["embeds"]
        assert_within_limits(embed)
        assert "5 new" in embed_text(embed) and f"{site.base}/rss.xml" in embed_text(embed).replace("\\", "")
        _, status = await shown(fake, await fake.command("archive status"))
        assert "Feeds (1)" in embed_text(status["embeds"][0])
        gone = await answer_of(fake, await fake.command("feeds remove", [opt("feed", "1")]))
        assert "No longer following feed #1" in gone["data"]["content"]
        empty = await answer_of(fake, await fake.command("feeds list"))
        assert "No feeds yet" in embed_text(empty["data"]["embeds"][0])


async def test_only_the_owner_adds_feeds_unless_managers_may(fake, settings, site):
    url = [opt("url", f"{site.base}/rss.xml")]
    async with running_bot(fake, settings):
        refused = await answer_of(fake, await fake.command("feeds add", url, user_id=MEMBER, permissions=MANAGE_GUILD))
        assert refused["data"]["flags"] & EPHEMERAL and "bot's owner" in refused["data"]["content"]
    async with running_bot(fake, replace(settings, feeds_by_managers=True)):
        plain = await answer_of(fake, await fake.command("feeds add", url, user_id=MEMBER, permissions=SEND))
        assert "Manage Server" in plain["data"]["content"]
        manager = await answer_of(fake, await fake.command("feeds add", url, user_id=MEMBER, permissions=MANAGE_GUILD))
        assert "Following feed #1" in manager["data"]["content"]
        # An Administrator has every permission, whatever bits the interaction carries.
        admin = await answer_of(fake, await fake.command("feeds add", url, user_id=MEMBER, permissions=ADMINISTRATOR))
        assert "Following again feed #1" in admin["data"]["content"]


async def test_a_bad_feed_address_gets_a_clear_line(fake, settings):
    async with running_bot(fake, settings):
        reply = await answer_of(fake, await fake.command("feeds add", [opt("url", "file:///etc/passwd")]))
        assert reply["data"]["flags"] & EPHEMERAL and "not a feed address" in reply["data"]["content"]
        missing = await answer_of(fake, await fake.command("feeds remove", [opt("feed", "42")]))
        assert "No such feed" in missing["data"]["content"]

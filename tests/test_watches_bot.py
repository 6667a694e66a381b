"""/watch end to end: the real discord.py client against the fake Discord, articles ingested for real."""

from __future__ import annotations

import pytest

from bot.config import Settings
from tests.conftest import ingest
from tests.discord_harness import running_bot
from tests.fake_discord import CHANNEL_ID, MANAGE_GUILD, SEND
from tests.test_bot import EPHEMERAL, answer_of, embed_text, opt
from tests.test_watches import article, other


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(database_path=tmp_path / "bot" / "newsdesk.db", archive_dir=tmp_path, ingest_on_start=False)


@pytest.fixture
def folder(tmp_path):
    path = tmp_path / "articles"
    path.mkdir()
    (path / "old.txt").write_text(other(4, "Mosul"), encoding="utf-8")  # McGurk is known before he is watched
    return path


def posts(fake, channel_id: int = CHANNEL_ID) -> list[dict]:
    return [c.json for c in fake.calls if c.method == "POST" and c.path == f"channels/{channel_id}/messages"]


async def add_article(bot, folder, name: str, text: str) -> None:
    (folder / name).write_text(text, encoding="utf-8")
    await ingest(bot.archive, folder)


async def test_a_manager_watches_an_actor_and_the_channel_gets_one_alert(fake, settings, folder):
    async with running_bot(fake, settings) as bot:
        await ingest(bot.archive, folder)
        names = await answer_of(fake, await fake.autocomplete("watch add", "actor", "McGu"))
        assert "Brett McGurk" in [c["value"] for c in names["data"]["choices"]]
        watch = [opt("actor", "McGurk")]
        refused = await answer_of(fake, await fake.command("watch add", watch, permissions=SEND))
        assert refused["data"]["flags"] & EPHEMERAL and "Manage Server" in refused["data"]["content"]
        neither = await answer_of(fake, await fake.command("watch add", [], permissions=MANAGE_GUILD))
        assert neither["data"]["flags"] & EPHEMERAL and "either an actor or a topic" in neither["data"]["content"]
        added = await answer_of(fake, await fake.command("watch add", watch, permissions=MANAGE_GUILD))
        assert "Watching (#1)" in added["data"]["content"] and f"<#{CHANNEL_ID}>" in added["data"]["content"]

        text = article(1, "Daily Planet").replace("Washington", "Washington @everyone")
        await add_article(bot, folder, "a.txt", text)
        await bot.get_cog("WatchCog").desk.tick(bot.clock())
        await add_article(bot, folder, "b.txt", article(2, "Morning Wire", title="Officials in Erbil discuss water"))
        await bot.get_cog("WatchCog").desk.tick(bot.clock())
        [alert] = posts(fake)
        shown = embed_text(alert["embeds"][0])
        assert alert["allowed_mentions"] == {"parse": []}
        assert "Kurdish leaders weigh desalination plan" in shown and "Daily Planet (1)" in shown
        assert "welcomed the proposal" in shown and "\\@everyone" in shown  # escaped, and pinging no one


async def test_a_restart_between_two_alerts_neither_repeats_nor_drops_one(fake, settings, folder):
    async with running_bot(fake, settings) as bot:
        await ingest(bot.archive, folder)
        await answer_of(fake, await fake.command("watch add", [opt("actor", "McGurk")], permissions=MANAGE_GUILD))
        await add_article(bot, folder, "a.txt", article(1, "Daily Planet"))
        await bot.get_cog("WatchCog").desk.tick(bot.clock())
        assert len(posts(fake)) == 1
    async with running_bot(fake, settings) as bot:
        await add_article(bot, folder, "o.txt", other(0, "Kirkuk"))
        await bot.get_cog("WatchCog").desk.tick(bot.clock())  # beside the loop's own first round: no matter
        await fake.wait_for(lambda: len(posts(fake)) >= 2)
        await bot.get_cog("WatchCog").desk.tick(bot.clock())
    first, second = posts(fake)
    assert "desalination" in first["embeds"][0]["title"] and "Flooding" in second["embeds"][0]["title"]


async def test_a_channel_answering_403_pauses_the_watch_and_list_says_why(fake, settings, folder):
    async with running_bot(fake, settings) as bot:
        await ingest(bot.archive, folder)
        await answer_of(fake, await fake.command("watch add", [opt("topic", "desalination")], permissions=MANAGE_GUILD))
        fake.channel_errors[str(CHANNEL_ID)] = 403
        await add_article(bot, folder, "a.txt", article(1, "Daily Planet"))
        assert await bot.get_cog("WatchCog").desk.tick(bot.clock()) == [(CHANNEL_ID, "paused")]
        listing = await answer_of(fake, await fake.command("watch list"))
        shown = embed_text(listing["data"]["embeds"][0])
        assert "paused: the bot may not post" in shown and "Send Messages" in shown
        choices = await answer_of(fake, await fake.autocomplete("watch remove", "watch", ""))
        assert [c["value"] for c in choices["data"]["choices"]] == ["1"]
        gone = await answer_of(fake, await fake.command("watch remove", [opt("watch", "1")], permissions=MANAGE_GUILD))
        assert "Watch #1" in gone["data"]["content"] and "removed" in gone["data"]["content"]

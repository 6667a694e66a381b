"""Stories and the briefing by story, end to end: the real discord.py client against the fake Discord."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.config import Settings
from tests.conftest import ingest
from tests.discord_harness import running_bot
from tests.fake_discord import GUILD_ID, MANAGE_GUILD, text_channel
from tests.test_bot import BRIEFING_CHANNEL, answer_of, embed_text, opt
from tests.test_copies import WIRE, write
from tests.test_stories import ELSEWHERE, FOLLOW_UP, meta


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(database_path=tmp_path / "bot" / "newsdesk.db", archive_dir=tmp_path, ingest_on_start=False)


def briefing_posts(fake) -> list[str]:
    return [
        embed_text(c.json["embeds"][0])
        for c in fake.calls
        if c.method == "POST" and c.path == f"channels/{BRIEFING_CHANNEL}/messages"
    ]


async def test_the_briefing_lists_a_story_once_then_what_is_new_in_it(fake, settings, tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    write(folder, "a.txt", "Harbour to reopen after storm", "By Lena Berg, Coastal Wire", WIRE)
    write(folder, "b.txt", "Port Elling harbour reopens Wednesday", "By Staff, The Island Times", WIRE[1:])
    write(folder, "e.txt", "Wheat rises on dry weather", "By Staff", ELSEWHERE)
    rows = [("a.txt", "2026-11-02", "Coastal Wire"), ("b.txt", "2026-11-02", "The Island Times")]
    meta(folder, [*rows, ("e.txt", "2026-11-02", "Farm Wire")])
    async with running_bot(fake, settings) as bot:
        bot.get_cog("Briefing").ticker.cancel()  # the test turns the clock itself
        desk = bot.get_cog("Briefing").desk
        bot.clock = lambda: datetime(2026, 11, 2, 6, 0, tzinfo=UTC)
        options = [opt("channel", str(BRIEFING_CHANNEL), 7), opt("time", "08:00"), opt("timezone", "UTC")]
        resolved = {"channels": {str(BRIEFING_CHANNEL): text_channel(BRIEFING_CHANNEL, "briefing")}}
        await answer_of(fake, await fake.command("briefing setup", options, resolved, permissions=MANAGE_GUILD))
        await ingest(bot.archive, folder)
        assert await desk.tick(datetime(2026, 11, 2, 8, 0, tzinfo=UTC)) == [(GUILD_ID, "posted")]

        # The next day a third outlet follows the story up; the wheat story has nothing new.
        write(folder, "d.txt", "Ferries sail as Port Elling harbour reopens after storm", "By Jon Dale", FOLLOW_UP)
        meta(folder, [*rows, ("e.txt", "2026-11-02", "Farm Wire"), ("d.txt", "2026-11-03", "Harbour Post")])
        await ingest(bot.archive, folder)
        assert await desk.tick(datetime(2026, 11, 3, 8, 0, tzinfo=UTC)) == [(GUILD_ID, "posted")]

        listed = await answer_of(fake, await fake.command("stories", []))
        assert embed_text(listed["data"]["embeds"][0]).count("`story ") == 2

    first, second = briefing_posts(fake)
    # One entry for the story and its copy, naming both outlets; the copy is no entry of its own.
    assert "**Harbour to reopen after storm** · 2 outlet(s) · new" in first
    assert "also `#2` The Island Times" in first and "Port Elling harbour reopens Wednesday" not in first
    assert "Wheat rises on dry weather" in first
    # What the copy tells too is one event with two sources, not two events.
    assert first.count("The council will meet on Thursday") == 1 and "told reporters. `#1` `#2`" in first
    # The follow-up: the known story again, with how many outlets now and what is new, and no wheat.
    assert "3 outlet(s) · 1 new article(s) in it" in second and "Ferries sail" in second
    assert "Wheat rises" not in second

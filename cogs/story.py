"""/stories and /story: the same news across outlets and days, counted once with all its sources."""

from __future__ import annotations

from discord import app_commands
from discord.ext import commands

from bot import pictures, stories
from bot.render.stories import stories_answer, story_answer
from cogs.quotes import Date, Text, _range
from cogs.utils.replies import answer, choices


class Stories(commands.Cog):
    def __init__(self, bot):
        self.bot = bot

    @app_commands.command(
        name="stories", description="The biggest and newest stories, with how many sources carry each"
    )
    @app_commands.describe(
        topic="Words, e.g. takeover (default: every story)",
        date_from="Seen on or after (YYYY-MM-DD)",
        date_to="Seen on or before (YYYY-MM-DD)",
    )
    @app_commands.rename(date_from="from", date_to="to")
    async def stories(
        self, interaction, topic: Text | None = None, date_from: Date | None = None, date_to: Date | None = None
    ) -> None:
        subject = " · ".join(x for x in (topic, _range(date_from, date_to)) if x)

        async def work():
            return stories_answer(await stories.list_stories(self.bot.archive, topic, date_from, date_to), subject)

        await answer(interaction, work)

    @app_commands.command(name="story", description="One story: its summary, timeline, actors and sources")
    @app_commands.describe(story="Pick a story, or type words of its headline")
    async def story(self, interaction, story: Text) -> None:
        async def work():
            page = await stories.story_page(self.bot.archive, await stories.pick_story(self.bot.archive, story))
            return await self.bot.drawer.attach(story_answer(page), pictures.story_chart(self.bot.archive, page))

        await answer(interaction, work)

    @story.autocomplete("story")
    async def story_choices(self, interaction, current: str) -> list[app_commands.Choice[str]]:
        found = await stories.story_choices(self.bot.archive, current)
        return choices([(f"{s.title} ({s.sources} sources, {s.last_seen})", str(s.id)) for s in found])


async def setup(bot) -> None:
    await bot.add_cog(Stories(bot))

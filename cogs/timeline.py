"""/timeline: what happened when, of a topic or an actor."""

from __future__ import annotations

from discord import app_commands
from discord.ext import commands

from bot import pictures, services
from bot.render.answers import timeline_answer
from cogs.actor import actor_names
from cogs.quotes import Date, Text, _range
from cogs.utils.replies import answer


class Timeline(commands.Cog):
    def __init__(self, bot):
        self.bot = bot

    @app_commands.command(name="timeline", description="What happened when, of a topic or an actor")
    @app_commands.describe(
        topic="Words, e.g. referendum",
        actor="A person or organisation",
        date_from="On or after (YYYY-MM-DD)",
        date_to="On or before (YYYY-MM-DD)",
    )
    @app_commands.rename(date_from="from", date_to="to")
    async def timeline(
        self,
        interaction,
        topic: Text | None = None,
        actor: Text | None = None,
        date_from: Date | None = None,
        date_to: Date | None = None,
    ) -> None:
        subject = " · ".join(x for x in (topic, actor, _range(date_from, date_to)) if x)

        async def work():
            found = await services.timeline(self.bot.archive, topic, actor, date_from, date_to)
            made = timeline_answer(found.events, subject, found.total)
            return await self.bot.drawer.attach(made, pictures.timeline_chart(self.bot.archive, found, subject))

        await answer(interaction, work)

    @timeline.autocomplete("actor")
    async def actor_choices(self, interaction, current: str) -> list[app_commands.Choice[str]]:
        return await actor_names(self.bot, current)


async def setup(bot) -> None:
    await bot.add_cog(Timeline(bot))

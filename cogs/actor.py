"""/actor: who a person or organisation is, by the articles."""

from __future__ import annotations

from collections import Counter

from discord import app_commands
from discord.ext import commands

from bot import pictures, services
from bot.render.answers import actor_answer
from cogs.utils.replies import answer, choices


async def actor_names(bot, current: str) -> list[app_commands.Choice[str]]:
    """Autocomplete over actor names and aliases (shared with /quotes and /timeline)."""
    found = await services.actor_choices(bot.archive, current)
    names = Counter(a.name for a in found)
    # The name itself is what the command gets, readable in its answer; "#id" only when two actors share it.
    return choices([(f"{a.name} ({a.kind}, {a.mentions:,} mentions)", a.name if names[a.name] == 1 else f"#{a.id}")
                    for a in found])  # fmt: skip


class Actor(commands.Cog):
    def __init__(self, bot):
        self.bot = bot

    @app_commands.command(name="actor", description="Who a person or organisation is, by the articles")
    @app_commands.describe(name="A name or alias, e.g. McGurk")
    async def actor(self, interaction, name: app_commands.Range[str, 1, services.MAX_NAME_CHARS]) -> None:
        async def work():
            found = await services.actor(self.bot.archive, name)
            made = actor_answer(found, name)
            return await self.bot.drawer.attach(made, pictures.actor_chart(self.bot.archive, found))

        await answer(interaction, work)

    @actor.autocomplete("name")
    async def name_choices(self, interaction, current: str) -> list[app_commands.Choice[str]]:
        return await actor_names(self.bot, current)


async def setup(bot) -> None:
    await bot.add_cog(Actor(bot))

"""/search: full-text search over the archive, with snippets."""

from __future__ import annotations

from discord import app_commands
from discord.ext import commands

from bot import services
from bot.render.answers import search_answer
from cogs.utils.replies import answer


class Search(commands.Cog):
    def __init__(self, bot):
        self.bot = bot

    @app_commands.command(name="search", description="Full-text search over the archive")
    @app_commands.describe(query='Words, "a phrase" in quotes, or a prefix like econom*')
    async def search(self, interaction, query: app_commands.Range[str, 1, services.MAX_QUERY_CHARS]) -> None:
        async def work():
            return search_answer(await services.search(self.bot.archive, query, services.MAX_RESULTS))

        await answer(interaction, work)


async def setup(bot) -> None:
    await bot.add_cog(Search(bot))

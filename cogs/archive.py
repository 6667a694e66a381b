"""/archive status and /archive reload: what is loaded, and (managers only) loading the folder again."""

from __future__ import annotations

from discord import app_commands
from discord.ext import commands

from bot import feeds, pictures, services
from bot.render.answers import archive_answer
from bot.render.embeds import NO_MENTIONS
from cogs.utils.checks import manager_only
from cogs.utils.replies import answer


class ArchiveCog(commands.Cog):
    group = app_commands.Group(name="archive", description="What the archive holds")

    def __init__(self, bot):
        self.bot = bot

    @group.command(name="status", description="What is loaded: counts, dates, the last ingest, skipped files")
    async def status(self, interaction) -> None:
        async def work():
            stats = await services.archive_stats(self.bot.archive)
            made = archive_answer(stats, self.bot.ingester.describe(), await feeds.list_feeds(self.bot.archive))
            return await self.bot.drawer.attach(made, pictures.archive_chart(self.bot.archive, stats))

        await answer(interaction, work)

    @group.command(name="reload", description="Load new and changed files from the archive folder (Manage Server)")
    @manager_only()
    async def reload(self, interaction) -> None:
        started = self.bot.ingester.start(f"reload by {interaction.user.id}")
        text = (
            "Reloading the archive folder in the background; `/archive status` shows how far it is."
            if started
            else "An ingest is already running; `/archive status` shows how far it is."
        )
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)


async def setup(bot) -> None:
    await bot.add_cog(ArchiveCog(bot))

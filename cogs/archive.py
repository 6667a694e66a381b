"""/archive status and /archive reload: what is loaded, and (managers only) loading the folder again."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot import services
from bot.render.answers import archive_answer
from bot.render.embeds import NO_MENTIONS
from cogs.utils.replies import answer


def manager_only():
    """Manage Server, checked here on every use: Discord's own permission settings can be changed by admins."""

    def predicate(interaction: discord.Interaction) -> bool:
        if interaction.guild is None:
            raise app_commands.CheckFailure("This command works in a server, not in direct messages.")
        if not interaction.permissions.manage_guild:
            raise app_commands.CheckFailure("Only members with the Manage Server permission can do that.")
        return True

    return app_commands.check(predicate)


class ArchiveCog(commands.Cog):
    group = app_commands.Group(name="archive", description="What the archive holds")

    def __init__(self, bot):
        self.bot = bot

    @group.command(name="status", description="What is loaded: counts, dates, the last ingest, skipped files")
    async def status(self, interaction) -> None:
        async def work():
            stats = await services.archive_stats(self.bot.archive)
            return archive_answer(stats, self.bot.ingester.describe())

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

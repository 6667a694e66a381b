"""/watch add, list and remove, and the loop that posts each watch's alerts (once per story) in its channel."""

from __future__ import annotations

import logging

import discord
from discord import app_commands

from bot import services, watches
from bot.render.answers import watches_answer
from bot.render.embeds import NO_MENTIONS
from bot.render.limits import safe
from bot.services import UserError
from cogs.actor import actor_names
from cogs.utils.checks import manager_only
from cogs.utils.replies import answer, choices
from cogs.utils.rounds import RoundsCog

log = logging.getLogger(__name__)


class WatchCog(RoundsCog):
    rounds = "alert round"
    group = app_commands.Group(
        name="watch", description="Alerts in a channel when a story about an actor or topic appears"
    )

    def __init__(self, bot):
        self.bot = bot
        self.desk = watches.AlertDesk(bot.archive, self.post)

    @group.command(name="add", description="Alert a channel once per new story about an actor or topic (Manage Server)")
    @app_commands.describe(
        actor="A person or organisation, e.g. McGurk", topic="Words, e.g. referendum", channel="Where (default: here)"
    )
    @manager_only()
    async def add(
        self,
        interaction,
        actor: app_commands.Range[str, 1, services.MAX_NAME_CHARS] | None = None,
        topic: app_commands.Range[str, 1, 400] | None = None,
        channel: app_commands.AppCommandChannel | None = None,
    ) -> None:
        if channel is not None and channel.type not in (discord.ChannelType.text, discord.ChannelType.news):
            raise UserError("Pick a text or announcement channel for the alerts.")
        channel_id = channel.id if channel is not None else interaction.channel_id
        watch, new = await watches.add_watch(
            self.bot.archive, interaction.guild_id, channel_id, actor=actor, topic=topic,
            added_by=f"discord:{interaction.user.id}",
        )  # fmt: skip
        verb = "Watching" if new else "Watching again"
        what = f"{watch.kind} **{safe(watch.label, 100)}**"
        text = f"{verb} (#{watch.id}) {what} in <#{channel_id}>: one alert per new story."
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)

    @add.autocomplete("actor")
    async def actor_choices(self, interaction, current: str) -> list[app_commands.Choice[str]]:
        return await actor_names(self.bot, current)

    @group.command(name="list", description="This server's watches, their channels, and why one is paused")
    async def list(self, interaction) -> None:
        if interaction.guild_id is None:
            raise app_commands.CheckFailure("Watches belong to servers; use this command in one.")

        async def work():
            return watches_answer(await watches.list_watches(self.bot.archive, interaction.guild_id))

        await answer(interaction, work, ephemeral=True)

    @group.command(name="remove", description="Stop a watch (Manage Server)")
    @app_commands.describe(watch="The watch, by its number")
    @manager_only()
    async def remove(self, interaction, watch: app_commands.Range[str, 1, 20]) -> None:
        number = watch.strip().lstrip("#")
        if not (number.isdigit() and len(number) <= 18):
            raise UserError("Give the watch's number, as `/watch list` shows it.")
        gone = await watches.remove_watch(self.bot.archive, interaction.guild_id, int(number))
        text = f"Watch #{gone.id} ({gone.kind} **{safe(gone.label, 100)}**) removed."
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)

    @remove.autocomplete("watch")
    async def watch_choices(self, interaction, current: str) -> list[app_commands.Choice[str]]:
        if interaction.guild_id is None:
            return []
        current = current.casefold().lstrip("#")
        found = await watches.list_watches(self.bot.archive, interaction.guild_id)
        return choices([(f"#{w.id} {w.kind}: {w.label}", str(w.id)) for w in found
                        if current in w.label.casefold() or current == str(w.id)])  # fmt: skip


async def setup(bot) -> None:
    await bot.add_cog(WatchCog(bot))

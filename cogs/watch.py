"""/watch add, list and remove, and the loop that posts each watch's alerts (once per story) in its channel."""

from __future__ import annotations

import asyncio
import logging

import discord
from discord import app_commands
from discord.ext import commands, tasks

from bot import briefings, services, watches
from bot.render.answers import watches_answer
from bot.render.embeds import NO_MENTIONS, one_embed
from bot.render.limits import safe
from bot.render.pages import Answer
from bot.services import UserError
from cogs.actor import actor_names
from cogs.utils.checks import manager_only
from cogs.utils.replies import answer, choices

log = logging.getLogger(__name__)

TICK_SECONDS = 20
STOP_WAIT = 15.0  # seconds a round in flight may take to finish when the bot stops


class WatchCog(commands.Cog):
    group = app_commands.Group(
        name="watch", description="Alerts in a channel when a story about an actor or topic appears"
    )

    def __init__(self, bot):
        self.bot = bot
        self.desk = watches.AlertDesk(bot.archive, self.post)
        self.in_round = False

    async def cog_load(self) -> None:
        await self.desk.recover()
        self.ticker.start()

    async def cog_unload(self) -> None:
        # A round in flight finishes first (a while at most): stopping must neither cut a post nor repeat it.
        task = self.ticker.get_task()
        if task is None or task.done():
            return
        if not self.in_round:
            self.ticker.cancel()
            await asyncio.wait([task])
            return
        self.ticker.stop()
        _, pending = await asyncio.wait([task], timeout=STOP_WAIT)
        if pending:
            self.ticker.cancel()
            await asyncio.wait(pending)

    @tasks.loop(seconds=TICK_SECONDS)
    async def ticker(self) -> None:
        self.in_round = True
        try:
            await self.desk.tick(self.bot.clock())
        except Exception:  # a broken round must not stop the loop for good
            log.exception("alert round failed")
        finally:
            self.in_round = False

    @ticker.before_loop
    async def before_ticker(self) -> None:
        await self.bot.wait_until_ready()

    async def post(self, channel_id: int, answer: Answer) -> None:
        """Send an alert to a channel, as one message; PostRefused when Discord will not take it there."""
        channel = self.bot.get_partial_messageable(channel_id)
        try:
            await channel.send(embed=one_embed(answer), allowed_mentions=NO_MENTIONS)
        except discord.NotFound as exc:
            raise briefings.PostRefused(f"the channel <#{channel_id}> no longer exists") from exc
        except discord.Forbidden as exc:
            raise briefings.PostRefused(
                f"the bot may not post in <#{channel_id}> (it needs View Channel, Send Messages and Embed Links)"
            ) from exc

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

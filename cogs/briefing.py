"""/briefing setup, off, status and now, and the loop that posts each server's briefing when it is due."""

from __future__ import annotations

import logging

import discord
from discord import app_commands

from bot import briefings, schedule, services
from bot.render.answers import briefing_status_text
from bot.render.embeds import NO_MENTIONS
from cogs.utils.checks import manager_only
from cogs.utils.replies import answer, choices
from cogs.utils.rounds import RoundsCog

log = logging.getLogger(__name__)


class Briefing(RoundsCog):
    rounds = "briefing round"
    group = app_commands.Group(name="briefing", description="The daily briefing of what is new in the archive")

    def __init__(self, bot):
        self.bot = bot
        self.desk = briefings.BriefingDesk(bot.archive, self.post, catch_up=bot.settings.briefing_catch_up)

    @group.command(name="setup", description="Post a daily briefing in a channel, at a time (Manage Server)")
    @app_commands.describe(
        channel="Where to post it",
        time="Local time of day, HH:MM (24-hour), e.g. 07:30",
        timezone="The time zone of that time, e.g. Europe/London",
        when_empty="When nothing is new: say so, or stay quiet",
        now_posts="/briefing now: answer privately, or post in the channel",
    )
    @app_commands.choices(
        when_empty=[
            app_commands.Choice(name="say so", value="say"),
            app_commands.Choice(name="stay quiet", value="quiet"),
        ],
        now_posts=[
            app_commands.Choice(name="privately", value="private"),
            app_commands.Choice(name="in the channel", value="channel"),
        ],
    )
    @manager_only()
    async def setup_command(
        self,
        interaction,
        channel: app_commands.AppCommandChannel,
        time: app_commands.Range[str, 1, 10],
        timezone: app_commands.Range[str, 1, 64],
        when_empty: str = "say",
        now_posts: str = "private",
    ) -> None:
        if channel.type not in (discord.ChannelType.text, discord.ChannelType.news):
            raise services.UserError("Pick a text or announcement channel for the briefing.")
        cfg = await briefings.setup(
            self.bot.archive,
            interaction.guild_id,
            channel.id,
            time,
            timezone,
            when_empty=when_empty,
            now_in_channel=now_posts == "channel",
            now=self.bot.clock(),
        )
        state = await briefings.status(
            self.bot.archive, cfg.guild_id, self.bot.clock(), self.bot.settings.briefing_catch_up
        )
        await interaction.response.send_message(
            "Daily briefing set.\n" + briefing_status_text(state), ephemeral=True, allowed_mentions=NO_MENTIONS
        )

    @setup_command.autocomplete("timezone")
    async def timezone_choices(self, interaction, current: str) -> list[app_commands.Choice[str]]:
        return choices([(name, name) for name in schedule.matching_zones(current)])

    @group.command(name="off", description="Stop the daily briefing (Manage Server)")
    @manager_only()
    async def off(self, interaction) -> None:
        stopped = await briefings.turn_off(self.bot.archive, interaction.guild_id)
        text = "The daily briefing is off." if stopped else "There was no daily briefing to stop."
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)

    @group.command(name="status", description="The next and last briefing, and why it is paused if it is")
    async def status(self, interaction) -> None:
        if interaction.guild_id is None:
            raise app_commands.CheckFailure("Briefings belong to servers; use this command in one.")
        state = await briefings.status(
            self.bot.archive, interaction.guild_id, self.bot.clock(), self.bot.settings.briefing_catch_up
        )
        await interaction.response.send_message(
            briefing_status_text(state), ephemeral=True, allowed_mentions=NO_MENTIONS
        )

    @group.command(name="now", description="Today's briefing: what is new since the last one")
    async def now(self, interaction) -> None:
        cfg = await self.bot.archive.briefing(interaction.guild_id) if interaction.guild_id else None

        async def work():
            since, tz = ((cfg.since_id, cfg.since_at), cfg.timezone) if cfg else (None, None)
            return (await briefings.compose(self.bot.archive, since, tz, self.bot.clock()))[1]

        await answer(interaction, work, ephemeral=not (cfg and cfg.now_in_channel))


async def setup(bot) -> None:
    await bot.add_cog(Briefing(bot))

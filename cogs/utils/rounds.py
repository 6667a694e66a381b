"""A cog whose desk posts on its own (the briefing, the alerts): its rounds on a loop, a round in flight finished
before the bot stops, and one message to a channel, refused in words when Discord will not take it there."""

from __future__ import annotations

import asyncio
import logging

import discord
from discord.ext import commands, tasks

from bot.briefings import PostRefused
from bot.render.embeds import NO_MENTIONS, one_embed
from bot.render.pages import Answer

log = logging.getLogger(__name__)

TICK_SECONDS = 20
STOP_WAIT = 15.0  # seconds a round in flight may take to finish when the bot stops


class RoundsCog(commands.Cog):
    """Set `self.desk` (with `recover()` and `tick(now)`) in `__init__`; `post` is what the desk sends with."""

    desk = None
    rounds = "round"  # what a round is called in the log

    in_round = False

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
            log.exception("%s failed", self.rounds)
        finally:
            self.in_round = False

    @ticker.before_loop
    async def before_ticker(self) -> None:
        await self.bot.wait_until_ready()

    async def post(self, channel_id: int, answer: Answer) -> None:
        """Send to a channel, as one message; PostRefused when Discord will not take it there."""
        channel = self.bot.get_partial_messageable(channel_id)
        try:
            await channel.send(embed=one_embed(answer), allowed_mentions=NO_MENTIONS)
        except discord.NotFound as exc:
            raise PostRefused(f"the channel <#{channel_id}> no longer exists") from exc
        except discord.Forbidden as exc:
            raise PostRefused(
                f"the bot may not post in <#{channel_id}> (it needs View Channel, Send Messages and Embed Links)"
            ) from exc

"""The Discord client: connects, loads one cog per feature, syncs slash commands when they change, and answers
every failed command with one ephemeral line."""

from __future__ import annotations

import hashlib
import json
import logging
import math
from datetime import UTC, datetime

import discord
from discord import app_commands
from discord.ext import commands

from bot.archive import Archive
from bot.background import HealthFile, IngestRunner, LoopLag
from bot.config import Settings
from bot.drawing import Drawer
from bot.feeds import FeedPoller
from bot.render.embeds import NO_MENTIONS
from bot.services import UserError

log = logging.getLogger(__name__)
discord.VoiceClient.warn_nacl = False  # no voice here: no need to warn that its libraries are missing

EXTENSIONS = (
    "cogs.search",
    "cogs.summary",
    "cogs.actor",
    "cogs.quotes",
    "cogs.timeline",
    "cogs.story",
    "cogs.archive",
    "cogs.briefing",
    "cogs.feeds",
    "cogs.watch",
)
DEFER_AFTER = 0.5  # seconds: an answer not ready by then is deferred ("thinking…"), well inside Discord's 3


class NewsdeskTree(app_commands.CommandTree):
    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        original = getattr(error, "original", error)
        if isinstance(original, UserError):
            text = str(original)
        elif isinstance(error, app_commands.CheckFailure):
            text = str(error) or "You cannot use this command here."
        else:
            log.error("command %s failed (interaction %s)", _name(interaction), interaction.id, exc_info=original)
            text = f"Something went wrong on our side (reference {interaction.id}); the bot's log has the details."
        await send_error(interaction, text)


async def send_error(interaction: discord.Interaction, text: str) -> None:
    """One ephemeral line to whoever ran the command, whether or not it was answered or deferred yet."""
    try:
        if not interaction.response.is_done():
            await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
            return
        if interaction.response.type == discord.InteractionResponseType.deferred_channel_message:
            # A public "thinking…" would become a public error: remove it, then tell the user alone.
            await interaction.delete_original_response()
        await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
    except discord.HTTPException:
        log.warning("could not tell the user of interaction %s: %s", interaction.id, text)


def _name(interaction: discord.Interaction) -> str:
    command = interaction.command
    return command.qualified_name if command else "?"


class NewsdeskBot(commands.Bot):
    def __init__(self, settings: Settings, *, defer_after: float = DEFER_AFTER, **options):
        intents = discord.Intents.none()
        intents.guilds = True  # channels and permissions of the servers the bot is in; nothing privileged
        super().__init__(
            command_prefix=commands.when_mentioned,  # no prefix commands: slash commands only
            help_command=None,
            intents=intents,
            allowed_mentions=NO_MENTIONS,
            tree_cls=NewsdeskTree,
            **options,
        )
        self.settings = settings
        self.defer_after = defer_after
        self.lag = LoopLag()
        self.gateway_up = False
        self.health = HealthFile(settings.health_file, self._health) if settings.health_file else None
        self.clock = lambda: datetime.now(UTC)  # the briefing's clock; tests set their own
        self.archive: Archive
        self.ingester: IngestRunner
        self.feeds: FeedPoller

    def _health(self) -> dict:
        latency = self.latency if self.gateway_up and math.isfinite(self.latency) else None
        return {"connected": self.gateway_up, "latency_ms": round(latency * 1000) if latency is not None else None}

    async def setup_hook(self) -> None:
        self.lag.start()
        if self.health:
            self.health.start()
        self.archive = await Archive.open(self.settings.database_path)
        self.drawer = Drawer()
        self.ingester = IngestRunner(self.archive, self.settings)
        self.feeds = FeedPoller(self.archive, self.settings)
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        await self.sync_commands()
        if self.settings.ingest_on_start:
            self.ingester.start("start-up")
        self.ingester.scan_every(self.settings.scan_minutes)
        self.feeds.start()

    async def sync_commands(self) -> bool:
        """Register the slash commands with Discord if they differ from what was last registered.

        Discord rate-limits command registration, and re-registering on every start is pointless: the
        fingerprint of what was synced is kept in the database. With TEST_GUILD_ID, the commands go to that
        server only, where they appear at once.
        """
        guild = discord.Object(self.settings.test_guild_id) if self.settings.test_guild_id else None
        if guild is not None:
            self.tree.copy_global_to(guild=guild)
        payload = [command.to_dict(self.tree) for command in self.tree.get_commands(guild=guild)]
        digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
        key = f"synced-commands:{self.application_id}:{guild.id if guild else 'global'}"
        if await self.archive.get_state(key) == digest:
            log.info("slash commands unchanged since the last sync; not registering them again")
            return False
        await self.tree.sync(guild=guild)
        await self.archive.set_state(key, digest)
        log.info("registered %d slash command(s) %s", len(payload), f"in server {guild.id}" if guild else "globally")
        return True

    async def on_ready(self) -> None:
        self.gateway_up = True
        if self.health:
            self.health.write()  # healthy as soon as it is connected, not at the next beat
        log.info("connected as %s to %d server(s)", self.user, len(self.guilds))

    async def on_resumed(self) -> None:
        self.gateway_up = True

    async def on_disconnect(self) -> None:
        self.gateway_up = False

    async def close(self) -> None:
        if hasattr(self, "feeds"):
            await self.feeds.stop()
        if hasattr(self, "ingester"):
            await self.ingester.stop()
        await self.lag.stop()
        if self.health:
            await self.health.stop()
        await super().close()
        if hasattr(self, "drawer"):
            await self.drawer.close()
        if hasattr(self, "archive"):
            await self.archive.close()

"""Permission checks, made in code on every use (Discord's own command permissions can be changed by admins)."""

from __future__ import annotations

import discord
from discord import app_commands


def manager_only():
    """Manage Server, checked here on every use: Discord's own permission settings can be changed by admins."""

    def predicate(interaction: discord.Interaction) -> bool:
        if interaction.guild is None:
            raise app_commands.CheckFailure("This command works in a server, not in direct messages.")
        if not can_manage(interaction.permissions):
            raise app_commands.CheckFailure("Only members with the Manage Server permission can do that.")
        return True

    return app_commands.check(predicate)


def can_manage(permissions: discord.Permissions) -> bool:
    """Manage Server; an Administrator has every permission, whatever bits the interaction carries."""
    return permissions.administrator or permissions.manage_guild


def feed_keeper():
    """The bot's owner (the application's owner or team, as Discord reports it), and members with Manage Server
    too when FEEDS_BY_MANAGERS=true: the archive is one for the whole bot, so feeds are not any server's to set."""

    async def predicate(interaction: discord.Interaction) -> bool:
        bot = interaction.client
        if await bot.is_owner(interaction.user):
            return True
        if bot.settings.feeds_by_managers and interaction.guild is not None and can_manage(interaction.permissions):
            return True
        who = "the bot's owner or members with Manage Server" if bot.settings.feeds_by_managers else "the bot's owner"
        raise app_commands.CheckFailure(
            f"Only {who} can add or remove feeds: they feed the archive every server reads."
        )

    return app_commands.check(predicate)

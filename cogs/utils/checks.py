"""Permission checks, made in code on every use (Discord's own command permissions can be changed by admins)."""

from __future__ import annotations

import discord
from discord import app_commands


def manager_only():
    """Manage Server, checked here on every use: Discord's own permission settings can be changed by admins."""

    def predicate(interaction: discord.Interaction) -> bool:
        if interaction.guild is None:
            raise app_commands.CheckFailure("This command works in a server, not in direct messages.")
        if not interaction.permissions.manage_guild:
            raise app_commands.CheckFailure("Only members with the Manage Server permission can do that.")
        return True

    return app_commands.check(predicate)

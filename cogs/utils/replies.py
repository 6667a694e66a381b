"""Answering a command: in time, in pages, with no mentions."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import discord
from discord import app_commands

from bot.render.embeds import NO_MENTIONS, embeds_for, picture_file
from bot.render.limits import CHOICE_NAME, CHOICE_VALUE, CHOICES, clip, flat
from bot.render.pages import Answer
from cogs.utils.paginator import Paginator


async def answer(
    interaction: discord.Interaction, work: Callable[[], Awaitable[Answer]], *, ephemeral: bool = False
) -> None:
    """Send what `work` makes. If it is not ready within the bot's `defer_after`, defer first ("thinking…"),
    so Discord's 3-second deadline holds however slow the archive is; errors go to the tree's handler."""
    task = asyncio.ensure_future(work())
    done, _ = await asyncio.wait({task}, timeout=interaction.client.defer_after)  # type: ignore[attr-defined]
    if not done:
        try:
            await interaction.response.defer(thinking=True, ephemeral=ephemeral)
        except BaseException:  # too late (the interaction expired): the answer has nowhere to go
            task.cancel()
            raise
    made = await task
    pages = embeds_for(made)
    view = Paginator(pages, interaction.user.id, made) if len(pages) > 1 else None
    extra: dict = {"view": view} if view else {}
    if file := picture_file(made):
        extra["file"] = file
    if interaction.response.is_done():
        await interaction.followup.send(
            embed=pages[0], allowed_mentions=NO_MENTIONS, wait=True, ephemeral=ephemeral, **extra
        )
    else:
        await interaction.response.send_message(
            embed=pages[0], allowed_mentions=NO_MENTIONS, ephemeral=ephemeral, **extra
        )
    if view:
        view.interaction = interaction


def choices(pairs: list[tuple[str, str]]) -> list[app_commands.Choice[str]]:
    """Autocomplete choices within Discord's limits (25 of them, names and values of 100 characters)."""
    out = []
    for name, value in pairs[:CHOICES]:
        if len(value) <= CHOICE_VALUE:
            out.append(app_commands.Choice(name=clip(flat(name), CHOICE_NAME) or value, value=value))
    return out

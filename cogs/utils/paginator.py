"""Buttons to page through a long answer: only the person who asked can turn the pages, and the buttons go
quiet (disabled) when the view times out."""

from __future__ import annotations

import contextlib

import discord

from bot.render.embeds import NO_MENTIONS, picture_file
from bot.render.pages import Answer

TIMEOUT = 300.0  # seconds without a click before the buttons are disabled


class Paginator(discord.ui.View):
    def __init__(
        self, pages: list[discord.Embed], author_id: int, answer: Answer | None = None, timeout: float | None = None
    ):
        super().__init__(timeout=timeout or TIMEOUT)
        self.pages = pages
        self.answer = answer  # its picture belongs to the first page only
        self.author_id = author_id
        self.index = 0
        self.interaction: discord.Interaction | None = None  # the command's, to edit its answer on timeout
        self._refresh()

    def _refresh(self) -> None:
        self.previous.disabled = self.index == 0
        self.next.disabled = self.index == len(self.pages) - 1
        self.counter.label = f"{self.index + 1}/{len(self.pages)}"

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id == self.author_id:
            return True
        await interaction.response.send_message(
            "Only the person who asked can turn these pages; run the command yourself for your own copy.",
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )
        return False

    async def _show(self, interaction: discord.Interaction, index: int) -> None:
        self.index = max(0, min(index, len(self.pages) - 1))
        self._refresh()
        # The picture goes with the first page and comes back with it (a fresh upload: the old one was removed).
        file = picture_file(self.answer) if self.answer and self.index == 0 else None
        attachments = [file] if file else []
        await interaction.response.edit_message(embed=self.pages[self.index], view=self, attachments=attachments)
        self.interaction = interaction  # its token is fresh: the one to disable the buttons with on timeout

    @discord.ui.button(label="◀", style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await self._show(interaction, self.index - 1)

    @discord.ui.button(label="1/1", style=discord.ButtonStyle.secondary, disabled=True)
    async def counter(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        pass  # a label, never enabled

    @discord.ui.button(label="▶", style=discord.ButtonStyle.secondary)
    async def next(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await self._show(interaction, self.index + 1)

    async def on_timeout(self) -> None:
        for item in self.children:
            item.disabled = True  # type: ignore[attr-defined]
        if self.interaction is not None:
            # The message may be gone, or the token expired: then there is nothing left to disable.
            with contextlib.suppress(discord.HTTPException):
                await self.interaction.edit_original_response(view=self)

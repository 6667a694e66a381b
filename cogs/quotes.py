"""/quotes: who said what, where and when."""

from __future__ import annotations

from discord import app_commands
from discord.ext import commands

from bot import services
from bot.render.answers import quotes_answer
from cogs.actor import actor_names
from cogs.utils.replies import answer

Text = app_commands.Range[str, 1, services.MAX_QUERY_CHARS]
Date = app_commands.Range[str, 1, 40]


class Quotes(commands.Cog):
    def __init__(self, bot):
        self.bot = bot

    @app_commands.command(name="quotes", description="Who said what: by speaker, words, dates, or a mix")
    @app_commands.describe(
        speaker="Who said it (a name or alias)",
        words="Words in the quote",
        date_from="Published on or after (YYYY-MM-DD)",
        date_to="Published on or before (YYYY-MM-DD)",
    )
    @app_commands.rename(date_from="from", date_to="to")
    async def quotes(
        self,
        interaction,
        speaker: Text | None = None,
        words: Text | None = None,
        date_from: Date | None = None,
        date_to: Date | None = None,
    ) -> None:
        if not any((speaker, words, date_from, date_to)):
            raise services.UserError("Give a `speaker`, some `words`, or a date range (`from`, `to`).")
        asked = " · ".join(x for x in (speaker, f'"{words}"' if words else None, _range(date_from, date_to)) if x)

        async def work():
            found = await services.quotes(
                self.bot.archive, speaker, words, date_from, date_to, limit=services.MAX_RESULTS
            )
            return quotes_answer(found, asked)

        await answer(interaction, work)

    @quotes.autocomplete("speaker")
    async def speaker_choices(self, interaction, current: str) -> list[app_commands.Choice[str]]:
        return await actor_names(self.bot, current)


def _range(date_from: str | None, date_to: str | None) -> str | None:
    if not date_from and not date_to:
        return None
    return f"{date_from or '…'} to {date_to or '…'}"


async def setup(bot) -> None:
    await bot.add_cog(Quotes(bot))

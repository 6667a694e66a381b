"""/summary: the gist of one article (picked from its title) or of a topic across articles."""

from __future__ import annotations

from discord import app_commands
from discord.ext import commands

from bot import services
from bot.render.answers import summary_answer
from cogs.utils.replies import answer, choices


class Summary(commands.Cog):
    def __init__(self, bot):
        self.bot = bot

    @app_commands.command(name="summary", description="The gist of one article, or of a topic across articles")
    @app_commands.describe(article="An article: start typing its title", topic="Or a topic: words to search for")
    async def summary(
        self,
        interaction,
        article: app_commands.Range[str, 1, services.MAX_QUERY_CHARS] | None = None,
        topic: app_commands.Range[str, 1, services.MAX_QUERY_CHARS] | None = None,
    ) -> None:
        if not article and not topic:
            raise services.UserError("Pick an `article` (type part of its title) or give a `topic`.")

        async def work():
            archive = self.bot.archive
            if article:
                article_id = await services.pick_article(archive, article)
                ref = await archive.article_ref(article_id)
                return summary_answer(await services.article_summary(archive, article_id), ref.title)
            return summary_answer(await services.topic_summary(archive, topic), topic)

        await answer(interaction, work)

    @summary.autocomplete("article")
    async def article_choices(self, interaction, current: str) -> list[app_commands.Choice[str]]:
        refs = await services.article_choices(self.bot.archive, current)
        return choices([(f"{r.title} ({r.published or 'undated'})", str(r.id)) for r in refs])


async def setup(bot) -> None:
    await bot.add_cog(Summary(bot))

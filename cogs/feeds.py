"""/feeds add, remove and list: the RSS and Atom feeds the bot follows (adding and removing: the bot's owner)."""

from __future__ import annotations

from discord import app_commands
from discord.ext import commands

from bot import feeds
from bot.render.answers import feeds_answer
from bot.render.embeds import NO_MENTIONS
from bot.render.limits import safe
from bot.services import UserError
from cogs.utils.checks import feed_keeper
from cogs.utils.replies import answer, choices


class FeedsCog(commands.Cog):
    group = app_commands.Group(name="feeds", description="The RSS and Atom feeds that bring news into the archive")

    def __init__(self, bot):
        self.bot = bot

    @group.command(name="add", description="Follow a feed: its items and their full articles join the archive")
    @app_commands.describe(url="The feed's address (RSS or Atom)", name="What to call it (default: its title)")
    @feed_keeper()
    async def add(self, interaction, url: app_commands.Range[str, 1, 2000], name: str | None = None) -> None:
        try:
            feed, new = await feeds.add_feed(self.bot.archive, url, name, f"discord:{interaction.user.id}")
        except feeds.FeedProblem as exc:
            raise UserError(f"That is not a feed address Newsdesk can follow: {exc}.") from exc
        self.bot.feeds.start()
        verb = "Following" if new else "Following again"
        minutes = self.bot.settings.feed_minutes
        when = f"within {minutes} minutes" if minutes else "when `newsdesk feeds fetch` runs (polling is off)"
        text = f"{verb} feed #{feed.id}: {safe(feed.url, 300)}. Its first items arrive {when}."
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)

    @group.command(name="remove", description="Stop following a feed (the articles it brought stay)")
    @app_commands.describe(feed="The feed, by its number or address")
    @feed_keeper()
    async def remove(self, interaction, feed: app_commands.Range[str, 1, 2000]) -> None:
        found = await feeds.find_feed(self.bot.archive, feed)
        if found is None:
            raise UserError("No such feed; `/feeds list` shows them with their numbers.")
        await feeds.remove_feed(self.bot.archive, found)
        text = f"No longer following feed #{found.id}: {safe(found.label, 200)}. Its articles stay in the archive."
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)

    @remove.autocomplete("feed")
    async def feed_choices(self, interaction, current: str) -> list[app_commands.Choice[str]]:
        current = current.casefold()
        found = [
            f for f in await feeds.list_feeds(self.bot.archive) if current in f.label.casefold() or current in f.url
        ]
        return choices([(f"#{f.id} {f.label}", str(f.id)) for f in found])

    @group.command(name="list", description="Every feed: last fetch, new items, last error, disabled or not")
    async def list(self, interaction) -> None:
        async def work():
            return feeds_answer(await feeds.list_feeds(self.bot.archive))

        await answer(interaction, work, ephemeral=True)


async def setup(bot) -> None:
    await bot.add_cog(FeedsCog(bot))

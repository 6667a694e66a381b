"""Cards as discord.py embeds: the only rendering module that knows Discord's types."""

from __future__ import annotations

import io

import discord

from bot.render import limits
from bot.render.pages import ONE_MESSAGE_CHARS, Answer, Card, paginate

COLOUR = discord.Colour(0x2B6CB0)
NO_MENTIONS = discord.AllowedMentions.none()


def to_embed(card: Card) -> discord.Embed:
    embed = discord.Embed(title=card.title, description=card.description or None, url=card.url, colour=COLOUR)
    for name, value in card.fields:
        embed.add_field(name=name, value=value, inline=False)
    if card.footer:
        embed.set_footer(text=card.footer)
    return embed


def embeds_for(answer: Answer) -> list[discord.Embed]:
    """An answer's pages, one embed each; the first shows the answer's picture, if it has one."""
    pages = [to_embed(card) for card in paginate(answer)]
    if answer.picture:
        pages[0].set_image(url=f"attachment://{answer.picture.filename}")
    return pages


def picture_file(answer: Answer) -> discord.File | None:
    """The answer's picture as an attachment (a fresh one each time: a file is read once when it is sent)."""
    p = answer.picture
    if p is None:
        return None
    return discord.File(io.BytesIO(p.png), filename=p.filename, description=limits.clip(p.alt, limits.ALT_TEXT))


def one_embed(answer: Answer) -> discord.Embed:
    """An answer laid out to fit one embed (the briefing); what would not fit is left out, never cut through."""
    return to_embed(paginate(answer, ONE_MESSAGE_CHARS, limits.FIELDS)[0])

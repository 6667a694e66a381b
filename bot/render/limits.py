"""Discord's size limits, and the one place text is cut to fit them.

Every answer goes through `clip` (one string) or `pages.paginate` (a whole answer), so no message can be refused
for its size, whatever the archive holds. Cuts fall on word boundaries and end with a visible ellipsis.
"""

from __future__ import annotations

import re

# https://discord.com/developers/docs/resources/message#embed-object-embed-limits
TITLE = 256
DESCRIPTION = 4096
FIELD_NAME = 256
FIELD_VALUE = 1024
FIELDS = 25
FOOTER = 2048
EMBED_TOTAL = 6000
MESSAGE = 2000
CHOICES = 25  # autocomplete choices
CHOICE_NAME = 100
CHOICE_VALUE = 100
ALT_TEXT = 1024  # an attachment's description

ELLIPSIS = "…"

_MARKDOWN = re.compile(r"([\\*_~`|>#\[\]<@])")
_SPACE = re.compile(r"\s+")


def clip(text: str, limit: int) -> str:
    """`text` in at most `limit` characters: whole if it fits, else cut at a word boundary with an ellipsis."""
    if len(text) <= limit:
        return text
    if limit <= len(ELLIPSIS):
        return ELLIPSIS[:limit]
    cut = text[: limit - len(ELLIPSIS) + 1]
    space = cut.rfind(" ")
    # Cut at the last space unless that would throw away most of the room (one enormous word).
    cut = cut[:space] if space > limit // 2 else cut[: limit - len(ELLIPSIS)]
    return cut.rstrip() + ELLIPSIS


def flat(text: str) -> str:
    """Text from the archive on one line, with runs of white space as one space."""
    return _SPACE.sub(" ", text).strip()


def escape(text: str) -> str:
    """Archive text shown literally: no markdown, links, mentions or emoji codes of its own.

    Mentions are never pinged anyway (every message is sent with no allowed mentions); escaping `<@…>` and `@`
    also keeps them from being drawn as mentions.
    """
    return _MARKDOWN.sub(r"\\\1", text)


def safe(text: str, limit: int) -> str:
    """Archive text for a message: on one line, escaped, and cut to `limit` (counting the escapes)."""
    text = flat(text)
    escaped = escape(text)
    if len(escaped) <= limit:
        return escaped
    # Cut the plain text first so no escape is split in two, then make room for what the escapes add.
    room = limit
    while room > 0:
        candidate = escape(clip(text, room))
        if len(candidate) <= limit:
            return candidate
        room -= max(1, len(candidate) - limit)
    return ELLIPSIS[:limit]

"""The questions Newsdesk answers, as plain async functions over the archive.

The CLI and the Discord cogs both call these, so the two always give the same answers. User input is checked
here: a bad argument raises `UserError` with a message meant for the person who typed it.
"""

from __future__ import annotations

from bot.archive import Archive, ArchiveStats, SearchResult

MAX_QUERY_CHARS = 500
MAX_RESULTS = 25


class UserError(ValueError):
    """A command argument that cannot be used; the message tells the user what would work."""


async def search(archive: Archive, query: str, limit: int = 10) -> SearchResult:
    query = (query or "").strip()
    if not query:
        raise UserError('Give some words to search for, e.g. `referendum` or `"Quds Force"`.')
    if len(query) > MAX_QUERY_CHARS:
        raise UserError(f"That query is {len(query):,} characters long; keep it under {MAX_QUERY_CHARS}.")
    if not 1 <= limit <= MAX_RESULTS:
        raise UserError(f"Ask for between 1 and {MAX_RESULTS} results.")
    return await archive.search(query, limit)


async def archive_stats(archive: Archive) -> ArchiveStats:
    return await archive.stats()

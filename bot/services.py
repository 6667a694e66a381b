"""The questions Newsdesk answers, as plain async functions over the archive.

The CLI and the Discord cogs both call these, so the two always give the same answers. User input is checked
here: a bad argument raises `UserError` with a message meant for the person who typed it.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.archive import Archive, ArchiveStats, SearchResult
from bot.archive.records import ActorProfile, ActorSummary

MAX_QUERY_CHARS = 500
MAX_RESULTS = 25
MAX_NAME_CHARS = 200


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


@dataclass(frozen=True)
class ActorAnswer:
    profile: ActorProfile | None  # None: no actor by that name; see `matches`
    matches: list[ActorSummary]  # the other actors the name could mean, or the closest ones


async def actor(archive: Archive, name: str) -> ActorAnswer:
    """The profile of the actor a name means best; the other candidates beside it."""
    name = (name or "").strip()
    if not name:
        raise UserError("Give a name, e.g. `McGurk` or `Patriotic Union of Kurdistan`.")
    if len(name) > MAX_NAME_CHARS:
        raise UserError(f"That name is {len(name):,} characters long; keep it under {MAX_NAME_CHARS}.")
    matches = await archive.find_actors(name, limit=MAX_RESULTS)
    if not matches:
        return ActorAnswer(None, [])
    return ActorAnswer(await archive.actor_profile(matches[0].id), matches[1:])

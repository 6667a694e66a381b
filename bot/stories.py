"""Stories for the commands: the biggest and newest, one story's page, and the story picker. No Discord here."""

from __future__ import annotations

from dataclasses import dataclass

from bot.archive import Archive
from bot.archive.records import SummaryLine
from bot.archive.stories import StoryDetail, StorySummary
from bot.nlp.summary import across
from bot.services import MAX_QUERY_CHARS, MAX_RESULTS, UserError, _check_lengths, _date_range, check_count

STORY_SENTENCES = 5


@dataclass(frozen=True)
class StoryPage:
    detail: StoryDetail
    summary: list[SummaryLine]  # each fact once, each with its article


async def list_stories(
    archive: Archive,
    topic: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    limit: int = 10,
) -> list[StorySummary]:
    """The biggest and newest stories (of a topic, between two dates), the most sourced first."""
    check_count(limit, "stories", MAX_RESULTS)
    start, end = _date_range(date_from, date_to)
    topic = (topic or "").strip() or None
    _check_lengths(("topic", topic))
    return await archive.story_list(topic, start, end, limit)


async def story_page(archive: Archive, story_id: int, sentences: int = STORY_SENTENCES) -> StoryPage:
    detail = await archive.story(story_id) if 0 < story_id < 2**63 else None
    if detail is None:
        raise UserError(f"There is no story #{story_id}; `stories` lists them.")
    # The best sentences of its articles, the same fact told by two outlets given once, in the order they came.
    picked = across(detail.sentences, sentences)
    order = {ref.id: i for i, ref in enumerate(detail.articles)}
    picked.sort(key=lambda p: order.get(p[1].id, 0))
    return StoryPage(detail, [SummaryLine(text, ref) for text, ref in picked])


async def story_choices(archive: Archive, typed: str) -> list[StorySummary]:
    return await archive.story_choices((typed or "")[:MAX_QUERY_CHARS], MAX_RESULTS)


async def pick_story(archive: Archive, typed: str) -> int:
    """The story a user means: its number (what the picker sends) or words of a headline in it."""
    typed = (typed or "").strip().lstrip("#")
    _check_lengths(("story", typed))
    found = await archive.story_choices(typed, 1) if any(ch.isalnum() for ch in typed) else []
    if not found:
        raise UserError(f"No story matches {typed[:80]!r}; pick one from the list, or use `stories` to see them.")
    return found[0].id

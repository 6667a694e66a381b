"""What each answer's picture shows, taken from the archive (plain data: `bot.render.charts` draws it).

Each builder returns None when there is too little to draw: an answer then says nothing of a chart."""

from __future__ import annotations

import re
from datetime import date

from bot.archive import Archive, ArchiveStats
from bot.archive.actors import TOGETHER_ARTICLES
from bot.archive.records import TimelineEvent
from bot.render.charts.specs import (
    ActorChart,
    CoverageChart,
    Mark,
    Tie,
    TimelineChart,
    alt,
    bars,
    peak,
    plain,
)
from bot.services import ActorAnswer
from bot.stories import StoryPage
from bot.timelines import Timeline

MIN_EVENTS = 2  # a timeline of one event is its sentence, not a picture
SOURCE_CHARS = 28


def label(name: str, limit: int = SOURCE_CHARS) -> str:
    """A name for a legend: plain, short, and never starting with "_" (which matplotlib would hide)."""
    name = plain(name, limit) or "unknown"
    return "\u2009" + name if name.startswith("_") else name


def _day(iso: str) -> str:
    d = date.fromisoformat(iso)
    return f"{d.day} {d.strftime('%b')} {d.year}"


# A dateline before the news ("LONDON, March 12 - "), which a short label has no room for.
_DATELINE = re.compile(r"^[A-Z][A-Z .,'()/-]{1,40}(?:,\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2})?\s+[-\u2013\u2014]+\s+")


def _mark(e: TimelineEvent) -> Mark:
    when = _day(e.first) if e.first == e.last else e.value
    text = _DATELINE.sub("", e.text, count=1)
    return Mark(e.first, e.last, len(e.sources), f"{when} · {text}", expected=e.status == "expected")


async def timeline_chart(archive: Archive, found: Timeline, subject: str) -> TimelineChart | None:
    events = [e for e in found.events if _iso(e.first) and _iso(e.last)]
    if len(events) < MIN_EVENTS:
        return None
    asked = found.asked
    coverage = None
    if asked is not None:
        first, last = min(e.first for e in events), max(e.last for e in events)
        low, high = max(asked.date_from or first, first), min(asked.date_to or last, last)
        days = await archive.articles_by_day(
            asked.topic, asked.topic_actor_ids, asked.actor_ids, low, high
        ) if low <= high else {}  # fmt: skip
        coverage = bars({d: {"articles": n} for d, n in days.items()}, "articles",
                        date.fromisoformat(first), date.fromisoformat(last))  # fmt: skip
    top = max(events, key=lambda e: len(e.sources))
    text = (
        f"Timeline of {plain(subject, 100)}: {len(events)} events from {events[0].first} to "
        f"{max(e.last for e in events)}, marks sized by their sources; the most reported, "
        f"{_count(len(top.sources), 'source')}, on {top.value}."
    )
    if coverage:
        text += f" Beneath, {coverage.label} that match, {peak(coverage)}."
    return TimelineChart(f"Timeline: {plain(subject, 80)}", tuple(_mark(e) for e in events), coverage, alt(text))


async def actor_chart(archive: Archive, answer: ActorAnswer) -> ActorChart | None:
    profile = answer.profile
    if profile is None:
        return None
    actor = profile.actor
    days = await archive.articles_by_day(actor_ids=[actor.id])
    mentions = bars({d: {"articles": n} for d, n in days.items()}, "articles naming them")
    ties = tuple(Tie(label(a.name), a.kind, n) for a, n in profile.together)
    if mentions is None and not ties:
        return None
    parts = [f"{plain(actor.name, 100)} ({actor.kind})."]
    if mentions:
        parts.append(f"Articles naming them per {mentions.unit}, {peak(mentions)}.")
    if ties:
        parts.append(
            "Who they appear with, by sentences naming both: " + ", ".join(f"{t.name} {t.shared:,}" for t in ties) + "."
        )
    note = "ties: sentences naming both"
    if ties and actor.articles > TOGETHER_ARTICLES:
        note += f", in their latest {TOGETHER_ARTICLES:,} articles"
        parts[-1] = parts[-1][:-1] + f" (in their latest {TOGETHER_ARTICLES:,} articles)."
    chart = ActorChart(plain(actor.name, 80), label(actor.name), actor.kind, mentions, ties, alt(" ".join(parts)), note)
    return chart


async def archive_chart(archive: Archive, stats: ArchiveStats) -> CoverageChart | None:
    counts = await archive.sources_by_day()
    found = bars(_labelled(counts), "articles")
    if found is None:
        return None
    text = (
        f"Articles in the archive per {found.unit} by source, {found.starts[0]} to {stats.last_published}, "
        f"{peak(found)}; sources: {', '.join(s.name for s in found.series)}."
    )
    return CoverageChart("Archive: articles by source", found, alt(text), filename="archive.png")


async def story_chart(archive: Archive, page: StoryPage) -> CoverageChart | None:
    story = page.detail.story
    counts = await archive.story_sources_by_day(story.id)
    found = bars(_labelled(counts), "articles")
    if found is None or len(found.starts) < 2:
        return None  # a story of one day is its list of sources
    text = (
        f"Coverage of the story {plain(story.title, 150)}: articles per {found.unit} by source, copies included, "
        f"{peak(found)}; sources: {', '.join(s.name for s in found.series)}."
    )
    return CoverageChart(f"Story: {plain(story.title, 80)}", found, alt(text), filename="story.png")


def _labelled(counts: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    """Counts by source as their legend names them: two sources cut to one label are added up, not lost."""
    out: dict[str, dict[str, int]] = {}
    for day, by in counts.items():
        named = out.setdefault(day, {})
        for source, n in by.items():
            name = label(source)
            named[name] = named.get(name, 0) + n
    return out


def _count(n: int, what: str) -> str:
    return f"{n:,} {what}" if n == 1 else f"{n:,} {what}s"


def _iso(value: str | None) -> bool:
    try:
        date.fromisoformat(value or "")
    except ValueError:
        return False
    return True

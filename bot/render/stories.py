"""Stories as answers: the list (/stories, `newsdesk stories`) and one story's page (/story, `newsdesk story`),
for Discord (Answer) and for the terminal (text)."""

from __future__ import annotations

from bot.archive.stories import StorySummary
from bot.render.answers import COPIES_SHOWN, SENTENCE_CHARS, _copy, _event_line, cite, more_copies
from bot.render.limits import escape, flat, safe
from bot.render.pages import Answer, Section
from bot.render.text import _cite, _clip
from bot.stories import StoryPage

ACTORS_SHOWN = 8
SOURCES_SHOWN = 12


def _span(s: StorySummary) -> str:
    return s.first_seen if s.first_seen == s.last_seen else f"{s.first_seen} – {s.last_seen}"


def _size(s: StorySummary) -> str:
    return f"{s.sources:,} source(s), {s.articles:,} article(s)"


def stories_answer(stories: list[StorySummary], asked: str) -> Answer:
    title = f"Stories{f': {escape(flat(asked))}' if asked else ''}"
    if not stories:
        return Answer(title, "No story matches. Try other words or a wider range (`from`, `to`).")
    entries = [
        f"**{rank}.** `story {s.id}` {safe(s.title, 150)}\n{_size(s)} · {_span(s)}" for rank, s in enumerate(stories, 1)
    ]
    intro = (
        f"{len(stories)} stor{'y' if len(stories) == 1 else 'ies'}, the most widely carried first; `/story` shows one."
    )
    return Answer(title, intro, [Section("Stories", entries)], footer="Stories")


def story_answer(page: StoryPage) -> Answer:
    d = page.detail
    s = d.story
    intro = f"{_size(s)} · {_span(s)}"
    if page.summary:
        lines = [f"• {safe(line.text, SENTENCE_CHARS)} `#{line.article.id}`" for line in page.summary]
        intro += "\n" + "\n".join(lines)
    entries = []
    for ref in d.articles:
        entry = cite(ref)
        copies = tuple(d.copies.get(ref.id, ()))
        if copies:
            entry += f"\nAlso carried by: {', '.join(_copy(c) for c in copies[:COPIES_SHOWN])}{more_copies(copies)}"
        entries.append(entry)
    sections = [
        Section("Timeline", [_event_line(e) for e in d.events]),
        Section(
            "Actors", [", ".join(f"**{escape(a.name)}** ({n})" for a, n in d.actors[:ACTORS_SHOWN])] if d.actors else []
        ),
        Section("Sources", [", ".join(f"{safe(src, 60)} ({n})" for src, n in d.sources[:SOURCES_SHOWN])]),
        Section("Articles", entries),
    ]
    return Answer(safe(s.title, 200), intro, [x for x in sections if x.entries], footer=f"Story {s.id}")


# ---- terminal ------------------------------------------------------------------------------------------


def render_stories(stories: list[StorySummary]) -> str:
    if not stories:
        return "No story matches."
    return "\n".join(f"story {s.id}: {s.title}\n    {_size(s)}, {_span(s)}" for s in stories)


def render_story(page: StoryPage) -> str:
    d = page.detail
    s = d.story
    out = [f"story {s.id}: {s.title}", f"{_size(s)}, {_span(s)}"]
    if page.summary:
        out += ["Summary:"] + [f"  • {_clip(line.text, 400)} [{line.article.id}]" for line in page.summary]
    if d.events:
        out += ["Timeline:"] + [
            f"  {e.first}: {_clip(e.text, 250)} [{', '.join(str(r.id) for r in e.sources)}]" for e in d.events
        ]
    if d.actors:
        out.append("Actors: " + ", ".join(f"{a.name} ({n})" for a, n in d.actors[:ACTORS_SHOWN]))
    out.append("Sources: " + ", ".join(f"{src} ({n})" for src, n in d.sources[:SOURCES_SHOWN]))
    out.append("Articles:")
    for ref in d.articles:
        out.append(f"  {_cite(ref)}")
        copies = d.copies.get(ref.id, [])
        if copies:
            out.append("      also: " + "; ".join(_cite(c) for c in copies[:COPIES_SHOWN]) + more_copies(tuple(copies)))
    return "\n".join(out)

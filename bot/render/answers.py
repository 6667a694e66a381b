"""The bot's answers as `Answer`s (title, introduction, sections), in Discord markdown, every line citing its
article. Archive text is escaped here, so nothing in an article can format, link or mention."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import TYPE_CHECKING

from bot.archive import ArchiveStats, Feed, SearchResult
from bot.archive.records import (
    MARK_END,
    MARK_START,
    ArticleRef,
    BriefingContent,
    NewArticle,
    QuoteHit,
    SummaryLine,
    TimelineEvent,
)
from bot.render import limits
from bot.render.limits import escape, flat, safe
from bot.render.pages import Answer, Section
from bot.services import ActorAnswer, TopicSummary

if TYPE_CHECKING:
    from bot.briefings import Status as BriefingStatus

_LINKABLE = re.compile(r"https?://[^\s()<>\[\]\"']{1,200}")
MIN_TEXT = 120  # of archive text an entry keeps, whatever its citations take
QUOTE_CHARS = 600
SENTENCE_CHARS = 700
SNIPPET_CHARS = 400
COPIES_SHOWN = 5  # syndicated copies named beside an article
TITLE_CHARS = 150
LIST_LIMIT = 10


def cite(ref: ArticleRef, title_chars: int = TITLE_CHARS) -> str:
    """`[#12] Title · Source · 2017-09-25`, the title linked to the article when its URL is a plain web address."""
    title = safe(ref.title, title_chars)
    if ref.url and _LINKABLE.fullmatch(ref.url):
        title = f"[{title}]({ref.url})"
    where = " · ".join(safe(x, 80) for x in (ref.source, ref.published) if x) or "source and date unknown"
    return f"`#{ref.id}` {title} · {where}"


def more_copies(copies: tuple[ArticleRef, ...]) -> str:
    """ " and 3 more", for the copies past the COPIES_SHOWN named."""
    return f" and {len(copies) - COPIES_SHOWN:,} more" if len(copies) > COPIES_SHOWN else ""


def _copy(ref: ArticleRef) -> str:
    """A syndicated copy, in short: `#14` Source · date."""
    where = " · ".join(safe(x, 60) for x in (ref.source, ref.published) if x) or "source unknown"
    return f"`#{ref.id}` {where}"


def search_answer(result: SearchResult) -> Answer:
    title = f"Search: {escape(flat(result.query))}"
    if result.problem:
        return Answer(title, f"Nothing to search for: {result.problem}.")
    if not result.hits:
        return Answer(title, "No article matches. Try fewer or other words, or a prefix like `econom*`.")
    intro = f"{result.total:,} article(s) match."
    if not result.matched_all:
        intro = f"No article has every word; {result.total:,} have some."
    if result.ranked_among:
        intro += f" The best of the latest {result.ranked_among:,} are shown."
    entries = []
    for rank, hit in enumerate(result.hits, 1):
        ref = ArticleRef(hit.article_id, hit.title, hit.source, hit.published, hit.url)
        entry = f"**{rank}.** {cite(ref)}\n> {_snippet(hit.snippet)}"
        if hit.copies:
            shown = ", ".join(_copy(c) for c in hit.copies[:COPIES_SHOWN])
            entry += f"\nAlso carried by: {shown}{more_copies(hit.copies)}"
        entries.append(entry)
    return Answer(title, intro, [Section("Articles", entries)], footer="Search")


def actor_answer(answer: ActorAnswer, name: str) -> Answer:
    if answer.profile is None:
        if answer.matches:
            names = ", ".join(f"**{escape(m.name)}** ({m.kind})" for m in answer.matches)
            return Answer(f"No actor called {escape(flat(name))}", f"The closest names in the archive: {names}.")
        return Answer(f"No actor called {escape(flat(name))}", "Nobody in the archive has a name like that.")
    p = answer.profile
    a = p.actor
    kind = "publication" if a.publication else a.kind
    intro = f"**{kind}**, mentioned {a.mentions:,} time(s) in {a.articles:,} article(s)"
    if p.first_seen:
        intro += f"; first seen {p.first_seen}, last {p.last_seen}"
    intro += "."
    others = [al for al in p.aliases if al != a.name]
    if others:
        intro += "\nAlso called: " + ", ".join(safe(al, 100) for al in others[:LIST_LIMIT])
    sections = [
        Section("Roles", [f"{safe(r.text, 200)} — {cite(r.article)}" for r in p.roles]),
        Section("Notable quotes", [_quote_line(q, with_speaker=False) for q in p.quotes]),
        Section(
            "Appears most with", [", ".join(f"{escape(s.name)} ({n})" for s, n in p.together)] if p.together else []
        ),
        Section("Articles", [cite(ref) for ref in p.articles]),
    ]
    if answer.matches:
        sections.append(Section("Other actors by that name", [", ".join(escape(m.name) for m in answer.matches)]))
    return Answer(safe(a.name, 200), intro, [s for s in sections if s.entries], footer="Actor")


def quotes_answer(quotes: list[QuoteHit], asked: str) -> Answer:
    title = f"Quotes{f': {escape(flat(asked))}' if asked else ''}"
    if not quotes:
        return Answer(title, "No quote matches. Try another spelling of the name, fewer words, or a wider range.")
    return Answer(
        title,
        f"{len(quotes)} quote(s), the latest first.",
        [Section("Quotes", [_quote_line(q) for q in quotes])],
        footer="Quotes",
    )


def summary_answer(lines: list[SummaryLine], subject: str) -> Answer:
    title = f"Summary: {escape(flat(subject))}"
    if not lines:
        return Answer(title, "Nothing to summarise: no article matches.")
    sources = {line.article.id: line.article for line in lines}
    entries = [f"• {safe(line.text, SENTENCE_CHARS)} `#{line.article.id}`" for line in lines]
    note = lines.note if isinstance(lines, TopicSummary) else None  # the archive has little on the topic
    return Answer(
        title,
        "\n".join(([f"*{safe(note, SENTENCE_CHARS)}*"] if note else []) + entries),
        [Section("Sources", [cite(ref) for ref in sources.values()])],
        footer="Summary",
    )


def timeline_answer(events: list[TimelineEvent], subject: str, total: int | None = None) -> Answer:
    """The events shown, in date order; `total`, how many matched, says how many were left out."""
    title = f"Timeline: {escape(flat(subject))}"
    if not events:
        return Answer(title, "No dated event matches. Try a wider range or fewer words.")
    entries = []
    for e in events:
        tail = ["*Who:* " + ", ".join(safe(name, 60) for name in e.actors[:6])] if e.actors else []
        entries.append(_fit(f"**{event_when(e)}** ({event_basis(e)})\n", e.text, 400, tail, e.sources))
    intro = f"{len(events)} event(s), in the order they happened."
    if total is not None and total > len(events):
        intro = (
            f"The {len(events)} events most worth showing of {total:,} (those most reported, and the news before "
            f"the background), in the order they happened; {total - len(events):,} left out: `from` and `to` "
            "narrow it."
        )
    return Answer(title, intro, [Section("Events", entries)], footer="Timeline")


def event_when(e: TimelineEvent) -> str:
    when = e.first if e.first == e.last else f"{e.first} – {e.last}"
    return f"expected {when}" if e.status == "expected" else when


def event_basis(e: TimelineEvent) -> str:
    """How the event got its date, in words."""
    if e.certainty == "reported":
        return "undated in its sentence: the day of its article's news"
    return f"{e.granularity}, {e.certainty} certainty"


def archive_answer(stats: ArchiveStats, ingest_state: str | None = None, feeds: list[Feed] | None = None) -> Answer:
    dated = f"published {stats.first_published} to {stats.last_published}" if stats.first_published else "no dates"
    intro = (
        f"**{stats.articles:,}** articles ({stats.words:,} words), {dated}; {stats.undated:,} undated"
        + (f"; {stats.copies:,} of them syndicated copies, counted once" if stats.copies else "")
        + ".\n"
        f"Files: {', '.join(f'{n:,} {s}' for s, n in sorted(stats.files_by_status.items())) or 'none'}.\n"
        f"Database: {stats.database_bytes / 1e6:.1f} MB, schema version {stats.schema_version}."
    )
    if ingest_state:
        intro += f"\n{ingest_state}"
    sections = [Section("Sources", [", ".join(f"{safe(name, 60)} ({n:,})" for name, n in stats.sources)])]
    run = stats.last_run
    if run:
        state = f"finished {run.finished_at}" if run.finished_at else "did not finish (reload to complete it)"
        sections.append(
            Section(
                "Last ingest",
                [
                    f"Started {run.started_at}, {state}: added {run.added:,}, updated {run.updated:,}, "
                    f"unchanged {run.unchanged:,}, duplicates {run.duplicates:,}, skipped {run.skipped:,}, "
                    f"missing {run.missing:,}."
                ],
            )
        )
    skipped = stats.files_by_status.get("skipped", 0)
    if skipped:
        entries = [f"{safe(path, 120)}: {safe(why, 200)}" for path, why in stats.skipped]
        if skipped > len(entries):
            entries.append(f"…and {skipped - len(entries):,} more")
        sections.append(Section(f"Skipped files ({skipped:,})", entries))
    if feeds:
        sections.append(Section(f"Feeds ({len(feeds):,})", [_feed_line(f) for f in feeds]))
    return Answer("Archive", intro, [s for s in sections if any(s.entries)], footer="Archive")


def briefing_answer(content: BriefingContent, today: date, shown: int = 10) -> Answer:
    """The daily briefing: what is new since the last one, who is in it, a quote, and the dates it gives."""
    title = f"Newsdesk briefing · {today:%A %-d %B %Y}"
    since = content.since[:16].replace("T", " ")
    if content.total == 0:
        return Answer(title, f"Nothing new in the archive since {since} UTC.", footer="Briefing")
    intro = f"**{content.total:,}** new article(s) since {since} UTC"
    if content.stories is not None:
        intro += f", in **{content.stories:,}** stor{'y' if content.stories == 1 else 'ies'}"
    entries = [_new_story_entry(new) for new in content.articles[:shown]]
    listed = len(content.articles[:shown])
    left = (content.stories if content.stories is not None else content.total) - listed
    if left > 0:
        entries.append(f"…and {left:,} more (`/stories` and `/search` find them).")
    sections = [Section("New stories", entries)]
    if content.actors:
        names = ", ".join(f"**{escape(a.name)}** ({n:,})" for a, n in content.actors)
        sections.append(Section("In the news", [names]))
    if content.quote:
        sections.append(Section("Quote of the day", [_quote_line(content.quote)]))
    sections.append(Section("Recent events", [_event_line(e) for e in content.recent]))
    sections.append(Section("Coming up", [_event_line(e) for e in content.upcoming]))
    return Answer(title, intro, [s for s in sections if s.entries], footer="Briefing")


def _new_story_entry(new: NewArticle) -> str:
    """A story in the briefing: its headline, how widely it is carried, what is new in it, cited."""
    line = ""
    if new.in_a_story:
        what = f"{new.new_articles:,} new article(s) in it" if new.follow_up else "new"
        line = f"**{safe(new.story_title, TITLE_CHARS)}** · {new.outlets:,} outlet(s) · {what}\n"
    line += cite(new.article)
    if new.copies:
        line += f" · also {', '.join(_copy(c) for c in new.copies[:COPIES_SHOWN])}"
    if new.gist:
        line += f"\n> {safe(new.gist, 240)}"
    return line


def _event_line(e: TimelineEvent) -> str:
    return f"**{event_when(e)}** {safe(e.text, 250)} " + " ".join(f"`#{ref.id}`" for ref in e.sources[:3])


def briefing_status_text(state: BriefingStatus) -> str:
    """/briefing status in a few lines."""
    cfg = state.config
    if cfg is None:
        return "No daily briefing is set up here; a manager can start one with `/briefing setup`."
    lines = [f"Channel <#{cfg.channel_id}>, every day at {cfg.post_time} {cfg.timezone}."]
    if not cfg.enabled:
        lines.insert(0, "The daily briefing is **off** (`/briefing setup` turns it on again).")
    elif cfg.paused_reason:
        lines.insert(0, f"The daily briefing is **paused** since {cfg.paused_at}: {cfg.paused_reason}")
        lines.append("Fix that, then run `/briefing setup` again to resume.")
    elif state.next_at is not None:
        stamp = int(state.next_at.timestamp())
        lines.append(f"Next post: <t:{stamp}:F> (<t:{stamp}:R>).")
    if cfg.last_posted_at:
        last = int(datetime.fromisoformat(cfg.last_posted_at).timestamp())
        lines.append(f"Last post: <t:{last}:F>.")
    if cfg.last_outcome in ("quiet", "skipped") and cfg.last_local_date:
        why = "nothing was new" if cfg.last_outcome == "quiet" else "the bot was not running at the time"
        lines.append(f"On {cfg.last_local_date} nothing was posted: {why}.")
    lines.append(
        ("When nothing is new it says so." if cfg.when_empty == "say" else "When nothing is new it stays quiet.")
        + (" `/briefing now` posts in the channel." if cfg.now_in_channel else " `/briefing now` answers privately.")
    )
    return "\n".join(lines)


def _quote_line(q: QuoteHit, with_speaker: bool = True) -> str:
    who = f"**{safe(q.speaker, 100)}**" if q.speaker else "*unattributed*"
    cue = f" ({safe(q.cue or 'quoted', 40)}, in part)" if q.partial else f" ({safe(q.cue, 40)})" if q.cue else ""
    by = f"— {who}{cue}, " if with_speaker else "— "
    return _fit("“", q.text, QUOTE_CHARS, [], [q.article], close="”", lead=by)


def _fit(
    head: str, text: str, text_chars: int, tail: list[str], sources: list[ArticleRef], close: str = "", lead: str = ""
) -> str:
    """One entry within a field: its head, the archive text, then tail lines and citations, which are never cut
    through: the text gives way first, then whole citations (counted in a last line)."""
    cites = [cite(ref, 80 if len(sources) > 1 else TITLE_CHARS) for ref in sources[:3]]
    dropped = len(sources) - len(cites)

    def room() -> int:
        fixed = len(head) + len(close) + len(lead) + sum(len(x) + 1 for x in tail + cites)
        return limits.FIELD_VALUE - fixed - (40 if dropped else 0)

    while len(cites) > 1 and room() < MIN_TEXT:
        cites.pop()
        dropped += 1
    lines = [head + safe(text, max(1, min(text_chars, room()))) + close, *tail]
    if cites:
        lines.append(lead + cites[0])
        lines += cites[1:]
    if dropped:
        lines.append(f"…and {dropped} more source(s)")
    return "\n".join(lines)


def _snippet(snippet: str) -> str:
    """A search snippet with its matched words in bold (the markers survive escaping, then become `**`)."""
    text = safe(snippet, SNIPPET_CHARS)
    if text.count(MARK_START) > text.count(MARK_END):  # the cut fell inside a highlight
        text += MARK_END
    return text.replace(MARK_START, "**").replace(MARK_END, "**")


def feeds_answer(feeds: list[Feed]) -> Answer:
    if not feeds:
        return Answer("Feeds", "No feeds yet. The bot's owner adds one with `/feeds add`.", footer="Feeds")
    disabled = sum(not f.enabled for f in feeds)
    intro = f"**{len(feeds):,}** feed(s), {disabled:,} disabled."
    return Answer("Feeds", intro, [Section("Feeds", [_feed_line(f) for f in feeds])], footer="Feeds")


def _feed_line(f: Feed) -> str:
    return f"**#{f.id}** {safe(f.label, 80)} · {safe(f.url, 200)}\n{safe(feed_state(f), 400)}"


def feed_state(f: Feed) -> str:
    """One line on a feed: disabled and why, or its last fetch, what it brought and its last error."""
    if not f.enabled:
        return f"disabled: {f.disabled_reason or 'by hand'} (add it again to enable it)"
    if f.last_fetch_at is None:
        return "not fetched yet"
    state = f"last fetch {f.last_fetch_at[:16].replace('T', ' ')} UTC: {f.last_outcome}"
    if f.last_outcome != "failed":
        state += f", {f.last_new:,} new"
    state += f" · {f.items_total:,} articles in all"
    if f.last_error and f.failures:
        state += f" · failing ({f.failures} in a row): {f.last_error}"
    return state


# ---- watches and their alerts ----------------------------------------------------------------------------

from bot.archive.watches import AlertView, Watch  # noqa: E402  (kept with the renderers that use them)

SOURCES_NAMED = 8  # of a story's sources, in an alert


def alert_answer(view: AlertView) -> Answer:
    """One new story for a channel's watches: its headline, its sources so far, and the sentence that matched."""
    intro = f"New story for your watch: {_watch_names(view)}"
    sections = [Section(f"Sources so far ({len(view.sources):,})", [_alert_sources(view)]), _alert_why(view)]
    return Answer(safe(view.title, limits.TITLE - 10), intro, sections, footer="Watch alert")


def gathered_alerts_answer(views: list[AlertView]) -> Answer:
    """Several new stories in one message (the channel's alerts for this hour are used up)."""
    entries = [f"**{safe(v.title, TITLE_CHARS)}** · {_watch_names(v)}\n{_alert_sources(v)}\n{_alert_why(v).entries[0]}"
               for v in views]  # fmt: skip
    intro = f"**{len(views):,}** new stories for your watches, gathered into one message."
    return Answer("New stories for your watches", intro, [Section("Stories", entries)], footer="Watch alerts")


def _watch_names(view: AlertView) -> str:
    return ", ".join(f"**{safe(label, 80)}**" for label in view.watches)


def _alert_sources(view: AlertView) -> str:
    if not view.sources:
        return "source unknown"
    named = [f"{safe(s, 60)} ({n:,})" for s, n in view.sources[:SOURCES_NAMED]]
    more = f" and {len(view.sources) - SOURCES_NAMED:,} more" if len(view.sources) > SOURCES_NAMED else ""
    return ", ".join(named) + more


def _alert_why(view: AlertView) -> Section:
    if view.sentence:
        return Section("What matched", [_fit("> ", view.sentence, SENTENCE_CHARS, [], [view.article])])
    return Section("What matched", ["The headline. " + cite(view.article)])


def watches_answer(watches: list[Watch]) -> Answer:
    if not watches:
        return Answer("Watches", "No watches here. A manager adds one with `/watch add`.", footer="Watches")
    paused = sum(w.paused_reason is not None for w in watches)
    intro = f"**{len(watches):,}** watch(es), {paused:,} paused."
    return Answer("Watches", intro, [Section("Watches", [_watch_line(w) for w in watches])], footer="Watches")


def _watch_line(w: Watch) -> str:
    line = f"**#{w.id}** {w.kind} **{safe(w.label, 100)}** in <#{w.channel_id}>"
    if w.paused_reason:
        line += f"\npaused: {safe(w.paused_reason, 300)} (add it again to resume it)"
    return line

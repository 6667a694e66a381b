"""Plain-text rendering of answers, for the terminal."""

from __future__ import annotations

from bot.archive import ArchiveStats, Feed, SearchResult
from bot.archive.records import (
    MARK_END,
    MARK_START,
    ArticleRef,
    BriefingContent,
    QuoteHit,
    SummaryLine,
)
from bot.feeds import FeedReport
from bot.ingest import IngestReport
from bot.render.answers import COPIES_SHOWN, event_basis, event_when, feed_state, more_copies
from bot.services import ActorAnswer
from bot.timelines import Timeline

LIST_LIMIT = 20


def highlight(snippet: str, start: str = "*", end: str = "*") -> str:
    return " ".join(snippet.replace(MARK_START, start).replace(MARK_END, end).split())


def render_search(result: SearchResult) -> str:
    if result.problem:
        return f"Nothing to search for: {result.problem}."
    if not result.hits:
        return f"No article matches {result.query!r}."
    head = f"{result.total} article(s) match {result.query!r}"
    if not result.matched_all:
        head += " (none has every word; these have some)"
    if result.ranked_among:
        head += f" (the best of the latest {result.ranked_among:,})"
    lines = [head + ":"]
    for rank, hit in enumerate(result.hits, 1):
        lines.append(f"{rank:>2}. {_cite(ArticleRef(hit.article_id, hit.title, hit.source, hit.published))}")
        lines.append(f"    {highlight(hit.snippet)}")
        if hit.copies:
            lines.append(
                "    also: " + "; ".join(_cite(c) for c in hit.copies[:COPIES_SHOWN]) + more_copies(hit.copies)
            )
    return "\n".join(lines)


def render_stats(stats: ArchiveStats) -> str:
    dated = f"published {stats.first_published} to {stats.last_published}" if stats.first_published else "no dates"
    files = ", ".join(f"{n} {status}" for status, n in sorted(stats.files_by_status.items())) or "none"
    lines = [
        f"Articles: {stats.articles:,} ({stats.words:,} words), {dated}; {stats.undated:,} undated"
        + (f"; {stats.copies:,} of them copies of another, counted once" if stats.copies else ""),
        f"Files: {files}",
        "Sources: " + (", ".join(f"{name} ({n})" for name, n in stats.sources) or "none"),
        f"Database: {stats.database_bytes / 1e6:.1f} MB, schema version {stats.schema_version}",
    ]
    run = stats.last_run
    if run:
        state = f"finished {run.finished_at}" if run.finished_at else "did not finish (run ingest again)"
        lines.append(
            f"Last ingest: {run.folder}, started {run.started_at}, {state}: added {run.added}, "
            f"updated {run.updated}, unchanged {run.unchanged}, duplicates {run.duplicates}, "
            f"skipped {run.skipped}, missing {run.missing}"
        )
    lines += _listing(
        "Skipped files", [f"{p}: {why}" for p, why in stats.skipped], stats.files_by_status.get("skipped", 0)
    )
    lines += _listing(
        "Duplicates", [f"{p}: {why}" for p, why in stats.duplicates], stats.files_by_status.get("duplicate", 0)
    )
    lines += _listing("Missing files (their articles are kept)", stats.missing, stats.files_by_status.get("missing", 0))
    return "\n".join(lines)


def render_ingest(report: IngestReport) -> str:
    c = report.counts
    lines = [
        f"Ingested {report.folder}: {report.files_seen:,} file(s) in {report.seconds:.1f} s",
        f"  added {c['added']:,} · updated {c['updated']:,} · unchanged {c['unchanged']:,} · "
        f"duplicates {c['duplicate']:,} · skipped {c['skipped']:,} · missing {c['missing']:,}",
    ]
    lines += _listing("Skipped", [f"{p}: {why}" for p, why in report.skipped], len(report.skipped))
    lines += _listing(
        "Duplicates (stored once)", [f"{p}: {why}" for p, why in report.duplicates], len(report.duplicates)
    )
    lines += _listing("Analysed in part", [f"{p}: {why}" for p, why in report.in_part], len(report.in_part))
    lines += _listing("Missing (marked, not deleted)", report.missing, len(report.missing))
    lines += _listing("Metadata problems", report.metadata_problems, len(report.metadata_problems))
    return "\n".join(lines)


def render_actor(answer: ActorAnswer, name: str) -> str:
    if answer.profile is None:
        if answer.matches:
            return f"No actor called {name!r}. The closest names: " + ", ".join(
                f"{m.name} ({m.kind})" for m in answer.matches
            )
        return f"No actor called {name!r} in the archive."
    p = answer.profile
    a = p.actor
    kind = "publication" if a.publication else a.kind
    lines = [f"{a.name} ({kind})", f"  mentioned {a.mentions:,} time(s) in {a.articles:,} article(s)"]
    if p.first_seen:
        lines[-1] += f", first {p.first_seen}, last {p.last_seen}"
    others = [al for al in p.aliases if al != a.name]
    if others:
        lines.append("  also: " + ", ".join(others))
    if p.roles:
        lines.append("Roles:")
        lines += [f"  {r.text} — {_cite(r.article)}" for r in p.roles]
    if p.quotes:
        lines.append("Quotes:")
        lines += [f"  “{_clip(q.text)}” ({_cue(q) or 'quoted'}) — {_cite(q.article)}" for q in p.quotes]
    if p.together:
        lines.append("Appears with (sentences shared): " + ", ".join(f"{s.name} ({n})" for s, n in p.together))
    lines.append("Articles:")
    lines += [f"  {_cite(ref)}" for ref in p.articles]
    if answer.matches:
        lines.append("Other matches: " + ", ".join(f"{m.name} ({m.kind})" for m in answer.matches))
    return "\n".join(lines)


def render_quotes(quotes: list[QuoteHit]) -> str:
    if not quotes:
        return "No quote matches."
    lines = []
    for q in quotes:
        who = q.speaker or "unattributed"
        lines.append(f"“{_clip(q.text, 400)}”")
        cue = _cue(q)
        lines.append(f"    — {who}{f' ({cue})' if cue else ''}, {_cite(q.article)}")
    return "\n".join(lines)


def _cue(q: QuoteHit) -> str | None:
    """The cue, and "in part" for quoted words inside the writer's own sentence."""
    return f"{q.cue or 'quoted'}, in part" if q.partial else q.cue


def render_summary(lines: list[SummaryLine]) -> str:
    if not lines:
        return "Nothing to summarise."
    note = getattr(lines, "note", None)  # a topic summary says when the archive has little on its topic
    out = [_clip(note, 600)] if note else []
    for line in lines:
        out.append(f"• {_clip(line.text, 600)}")
        out.append(f"    {_cite(line.article)}")
    return "\n".join(out)


def render_timeline(timeline: Timeline) -> str:
    events = timeline.events
    if not events:
        return "No dated event matches."
    out = []
    if timeline.total > len(events):
        out.append(
            f"The {len(events)} events most worth showing of {timeline.total:,}, in the order they happened "
            f"({timeline.total - len(events):,} left out; --from and --to narrow it):"
        )
    for e in events:
        out.append(f"{event_when(e)} ({event_basis(e)}): {_clip(e.text, 300)}")
        if e.actors:
            out.append(f"    who: {', '.join(e.actors)}")
        out += [f"    {_cite(ref)}" for ref in e.sources]
    return "\n".join(out)


def render_briefing(content: BriefingContent) -> str:
    since = content.since[:16].replace("T", " ")
    if content.total == 0:
        return f"Nothing new in the archive since {since} UTC."
    in_stories = f", in {content.stories:,} stories" if content.stories is not None else ""
    lines = [f"{content.total:,} new article(s) since {since} UTC{in_stories}:"]
    for new in content.articles:
        if new.in_a_story:
            what = f"{new.new_articles:,} new article(s) in it" if new.follow_up else "new"
            lines.append(f"  story {new.story_id}: {new.story_title} ({new.outlets:,} outlet(s), {what})")
        lines.append(f"  {_cite(new.article)}")
        if new.copies:
            lines.append(
                "      also: " + "; ".join(_cite(c) for c in new.copies[:COPIES_SHOWN]) + more_copies(new.copies)
            )
        if new.gist:
            lines.append(f"      {_clip(new.gist, 280)}")
    left = (content.stories if content.stories is not None else content.total) - len(content.articles)
    if left > 0:
        lines.append(f"  … and {left:,} more")
    if content.actors:
        lines.append("In the news: " + ", ".join(f"{a.name} ({n})" for a, n in content.actors))
    if content.quote:
        q = content.quote
        lines.append(f"Quote of the day: “{_clip(q.text, 400)}” — {q.speaker}, {_cite(q.article)}")
    for title, events in (("Recent events", content.recent), ("Coming up", content.upcoming)):
        if events:
            lines.append(f"{title}:")
            lines += [f"  {e.first}: {_clip(e.text, 250)} [{', '.join(str(r.id) for r in e.sources)}]" for e in events]
    return "\n".join(lines)


def _clip(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _cite(ref: ArticleRef) -> str:
    where = ", ".join(x for x in (ref.source, ref.published) if x) or "source and date unknown"
    return f"[{ref.id}] {ref.title} ({where})"


def _listing(title: str, items: list[str], total: int) -> list[str]:
    if not items:
        return []
    lines = [f"{title} ({total}):"] + [f"  {item}" for item in items[:LIST_LIMIT]]
    if total > min(len(items), LIST_LIMIT):
        lines.append(f"  … and {total - min(len(items), LIST_LIMIT)} more")
    return lines


def render_feeds(feeds: list[Feed]) -> str:
    """Every feed with its state: last fetch, new items, last error, disabled and why."""
    if not feeds:
        return "No feeds. Add one with: newsdesk feeds add URL (or /feeds add in Discord)"
    lines = [f"{len(feeds):,} feed(s)"]
    for f in feeds:
        lines.append(f"#{f.id} {f.label}" + ("" if f.name is None else f"  <{f.url}>"))
        lines.append("  " + feed_state(f))
    return "\n".join(lines)


def render_feed_report(r: FeedReport) -> str:
    if r.outcome == "failed":
        return f"#{r.feed.id} {r.feed.label}: failed: {r.error}" + (f" (disabled: {r.disabled})" if r.disabled else "")
    if r.outcome == "not modified":
        return f"#{r.feed.id} {r.feed.label}: not modified"
    line = f"#{r.feed.id} {r.feed.label}: {r.new:,} new item(s), {r.added:,} article(s) added"
    return line + "".join(f"\n  skipped {what}: {why}" for what, why in r.skipped[:LIST_LIMIT])


def render_feed_reports(reports: list[FeedReport]) -> str:
    added = sum(r.added for r in reports)
    failed = sum(r.outcome == "failed" for r in reports)
    unchanged = sum(r.outcome == "not modified" for r in reports)
    return (
        f"Fetched {len(reports):,} feed(s): {added:,} article(s) added, {unchanged:,} not modified, {failed:,} failed"
    )


# ---- watches and their alerts ----------------------------------------------------------------------------

from bot.archive.watches import AlertView, Watch  # noqa: E402  (kept with the renderers that use them)


def render_alert(view: AlertView) -> str:
    """One alert, as the bot would post it: headline, watches, sources so far, the matching sentence, cited."""
    sources = ", ".join(f"{s} ({n})" for s, n in view.sources) or "source unknown"
    why = f"  > {_clip(view.sentence, 300)}" if view.sentence else "  (the headline matched)"
    return "\n".join([
        f"{view.title}",
        f"  for: {', '.join(view.watches)}",
        f"  sources so far ({len(view.sources)}): {sources}",
        why,
        f"  {_cite(view.article)}",
    ])  # fmt: skip


def render_gathered_alerts(views: list[AlertView]) -> str:
    return f"{len(views)} new stories, gathered into one message:\n" + "\n".join(
        "  " + render_alert(v).replace("\n", "\n  ") for v in views
    )


def render_watches(watches: list[Watch]) -> str:
    if not watches:
        return "No watches. Add one with: newsdesk watch add --guild ID --channel ID --actor NAME (or --topic WORDS)"
    lines = [f"{len(watches):,} watch(es)"]
    for w in watches:
        lines.append(f"#{w.id} {w.kind} {w.label!r} · server {w.guild_id} · channel {w.channel_id}")
        if w.paused_reason:
            lines.append(f"  paused: {w.paused_reason} (add it again to resume it)")
    return "\n".join(lines)

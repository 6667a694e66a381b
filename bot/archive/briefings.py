"""Daily briefings (a part of `Archive`): the SQL of the `briefings` table, and what the archive gained since the
last briefing."""

from __future__ import annotations

import dataclasses
import json
import sqlite3

from bot.archive.records import ARTICLE_REF as _ARTICLE_REF
from bot.archive.records import ArticleRef, BriefingConfig, BriefingContent, NewArticle, now_iso

RANKED_STORIES = 100  # a briefing's biggest stories, among which the most carried are listed
BRIEFING_SCAN = 2000  # a briefing's lists and counts look at no more than this many of the new articles
_BRIEFING = """guild_id, channel_id, post_time, timezone, when_empty, now_in_channel, enabled, paused_reason, paused_at,
    last_local_date, last_outcome, last_posted_at, since_id, since_at"""


def _briefing(row: sqlite3.Row) -> BriefingConfig:
    values = list(row)
    values[5], values[6] = bool(values[5]), bool(values[6])
    return BriefingConfig(*values)


class BriefingTables:
    async def save_briefing(self, cfg: BriefingConfig) -> None:
        """Create or replace a server's briefing (setup again also resumes a paused one)."""
        await self._execute(
            f"""INSERT INTO briefings ({_BRIEFING}, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (guild_id) DO UPDATE SET channel_id = excluded.channel_id,
                   post_time = excluded.post_time, timezone = excluded.timezone, when_empty = excluded.when_empty,
                   now_in_channel = excluded.now_in_channel, enabled = excluded.enabled,
                   paused_reason = excluded.paused_reason, paused_at = excluded.paused_at,
                   updated_at = excluded.updated_at""",
            (*dataclasses.astuple(cfg), now_iso()),
        )

    async def briefing(self, guild_id: int) -> BriefingConfig | None:
        rows = await self._rows(f"SELECT {_BRIEFING} FROM briefings WHERE guild_id = ?", (guild_id,))
        return _briefing(rows[0]) if rows else None

    async def active_briefings(self) -> list[BriefingConfig]:
        rows = await self._rows(
            f"SELECT {_BRIEFING} FROM briefings WHERE enabled AND paused_reason IS NULL ORDER BY guild_id"
        )
        return [_briefing(r) for r in rows]

    async def disable_briefing(self, guild_id: int) -> bool:
        changed, _ = await self._execute(
            "UPDATE briefings SET enabled = 0, updated_at = ? WHERE guild_id = ? AND enabled", (now_iso(), guild_id)
        )
        return changed > 0

    async def claim_briefing(self, guild_id: int, local_date: str) -> BriefingConfig | None:
        """Take the server's post for a local day, once, if its briefing is still on and not paused; returns the
        settings as they are now (None: the day is taken, or the briefing was turned off meanwhile). Claimed
        before sending, so a crash after the send cannot post it twice."""
        rows = await self._write_rows(
            f"""UPDATE briefings SET last_local_date = ?, last_outcome = 'posting', updated_at = ?
                WHERE guild_id = ? AND enabled AND paused_reason IS NULL
                AND (last_local_date IS NULL OR last_local_date < ?) RETURNING {_BRIEFING}""",
            (local_date, now_iso(), guild_id, local_date),
        )
        return _briefing(rows[0]) if rows else None

    async def release_briefing(self, guild_id: int, previous: BriefingConfig) -> None:
        """Give a claimed day back (the post failed for a passing reason and will be tried again)."""
        await self._execute(
            """UPDATE briefings SET last_local_date = ?, last_outcome = ?, updated_at = ?
               WHERE guild_id = ? AND last_outcome = 'posting'""",
            (previous.last_local_date, previous.last_outcome, now_iso(), guild_id),
        )

    async def finish_briefing(
        self, guild_id: int, outcome: str, posted_at: str | None = None, since: tuple[int, str] | None = None
    ) -> None:
        since_id, since_at = since or (None, None)
        await self._execute(
            """UPDATE briefings SET last_outcome = ?, last_posted_at = coalesce(?, last_posted_at),
                   since_id = coalesce(?, since_id), since_at = coalesce(?, since_at), updated_at = ?
               WHERE guild_id = ?""",
            (outcome, posted_at, since_id, since_at, now_iso(), guild_id),
        )

    async def pause_briefing(self, guild_id: int, channel_id: int, reason: str) -> None:
        """Pause a server's briefing because of its channel (not if setup has moved it to another meanwhile)."""
        await self._execute(
            """UPDATE briefings SET paused_reason = ?, paused_at = ?, updated_at = ?
               WHERE guild_id = ? AND channel_id = ?""",
            (reason, now_iso(), now_iso(), guild_id, channel_id),
        )

    async def interrupted_briefings(self) -> list[tuple[int, str]]:
        """Posts that were being sent when the bot stopped: marked so, never sent again (Discord may have them)."""
        rows = await self._write_rows(
            """UPDATE briefings SET last_outcome = 'interrupted', updated_at = ? WHERE last_outcome = 'posting'
               RETURNING guild_id, last_local_date""",
            (now_iso(),),
        )
        return [(r[0], r[1]) for r in rows]

    async def article_id_at(self, moment: str) -> int:
        """The newest article stored by `moment` (UTC ISO time), 0 if none: a briefing's starting point."""
        return await self._scalar("SELECT max(id) FROM articles WHERE created_at <= ?", (moment,))

    async def briefing_content(self, since_id: int, since_at: str, today: str, limit: int = 10) -> BriefingContent:
        """What the archive gained after article `since_id` (stored at `since_at`), for a briefing on the local day
        `today`: the new articles, who is in them, a quote, and the events they date.

        New means a greater id: ids grow in the order the single writer commits, so an article committed while
        this runs is beyond `until_id` and goes to the next briefing, never lost between two."""
        until_id = await self._scalar("SELECT max(id) FROM articles")
        total = await self._scalar(  # counted in small indexes: the table's pages hold the texts
            """SELECT (SELECT count(*) FROM articles INDEXED BY articles_published WHERE id > ?1 AND id <= ?2)
                    - (SELECT count(*) FROM articles INDEXED BY articles_copies
                       WHERE copy_of IS NOT NULL AND id > ?1 AND id <= ?2)""",
            (since_id, until_id),
        )
        # After a bulk import everything is new: a daily briefing then speaks of the latest stored only.
        window = (max(since_id, until_id - BRIEFING_SCAN), until_id)
        articles, stories = await self._new_stories(window, since_id, limit)
        # The new articles are an id range: every query below reads that range of an index, nothing more.
        counted = await self._rows(
            # CROSS JOIN keeps mentions outside: the planner would otherwise probe every person's mentions.
            """SELECT m.actor_id, count(*) FROM mentions m CROSS JOIN actors a ON a.id = m.actor_id
               WHERE m.article_id > ? AND m.article_id <= ? AND NOT a.publication
               AND a.kind IN ('person', 'organization')
               GROUP BY m.actor_id ORDER BY 2 DESC, m.actor_id LIMIT 5""",
            window,
        )
        actors = []
        for actor_id, n in counted:
            found = await self._actor_summaries("SELECT ?", (actor_id,), 1)
            actors += [(found[0], n)] if found else []
        quotes = await self._rows(
            """SELECT q.id FROM quotes q WHERE q.article_id > ? AND q.article_id <= ? AND q.actor_id IS NOT NULL
               AND length(q.text) BETWEEN 60 AND 400 ORDER BY length(q.text) DESC, q.id LIMIT 1""",
            window,
        )
        quote = (await self._quotes_by_id([quotes[0][0]]))[0] if quotes else None
        recent = await self._events_of_new(window, "e.last <= ? AND e.last >= date(?, '-7 days')", today)
        upcoming = await self._events_of_new(window, "e.first > ?", today)
        return BriefingContent(since_at, until_id, articles, total, actors, quote, recent, upcoming, stories)

    async def _new_stories(self, window: tuple[int, int], since_id: int, limit: int) -> tuple[list[NewArticle], int]:
        """The stories with new articles in the window (how many, and the most carried, each told once by its
        newest new article), with what is new in them."""
        story = "coalesce(ar.story_id, -ar.id)"  # an article not placed yet is a story of its own
        count = await self._scalar(
            f"SELECT count(DISTINCT {story}) FROM articles ar WHERE ar.id > ? AND ar.id <= ? AND ar.copy_of IS NULL",
            window,
        )
        groups = await self._rows(
            f"""SELECT ar.story_id, max(ar.id), count(*) FROM articles ar
                WHERE ar.id > ? AND ar.id <= ? AND ar.copy_of IS NULL
                GROUP BY {story} ORDER BY count(*) DESC, max(ar.id) DESC LIMIT ?""",
            (*window, RANKED_STORIES),
        )
        outlets = await self._source_counts([g[0] for g in groups if g[0] is not None])
        groups = sorted(groups, key=lambda g: (-outlets.get(g[0], 1), -g[2], -g[1]))[:limit]
        rows = await self._rows(
            f"SELECT {_ARTICLE_REF} FROM articles ar WHERE ar.id IN (SELECT value FROM json_each(?))",
            (json.dumps([g[1] for g in groups]),),
        )
        refs = {r[0]: ArticleRef(*r) for r in rows}
        copies = await self.copies(list(refs))
        return [await self._new_story(g, refs, copies, outlets, since_id) for g in groups], count

    async def _new_story(self, group, refs, copies, outlets, since_id: int) -> NewArticle:
        story_id, newest, n = group
        gist = await self._rows(
            """SELECT substr(a.body, s.start + 1, s.end - s.start) FROM sentences s JOIN articles a
               ON a.id = s.article_id WHERE s.article_id = ? ORDER BY s.score DESC, s.idx LIMIT 1""",
            (newest,),
        )
        title, first = None, newest
        if story_id is not None:
            title, first = (
                await self._rows(
                    "SELECT title, (SELECT min(id) FROM articles WHERE story_id = ?) FROM stories WHERE id = ?",
                    (story_id, story_id),
                )
            )[0]
        return NewArticle(
            refs[newest],
            (gist[0][0] if gist else "").strip() or None,
            tuple(copies.get(newest, ())),
            story_id=story_id,
            story_title=title,
            outlets=outlets.get(story_id, 1),
            new_articles=n,
            follow_up=first is not None and first <= since_id,
        )

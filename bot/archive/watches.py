"""Watches and their alerts: the SQL of the `watches` and `alerts` tables (a part of `Archive`)."""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass

from bot.archive import fts
from bot.archive.records import ArticleRef, now_iso


@dataclass(frozen=True)
class Watch:
    id: int
    guild_id: int
    channel_id: int
    kind: str  # actor, topic
    actor_id: int | None
    topic: str | None  # its FTS5 terms (fts.query_terms), as a JSON list
    label: str
    added_by: str | None
    added_at: str
    since_id: int
    paused_reason: str | None
    paused_at: str | None


@dataclass(frozen=True)
class PendingAlert:
    """A story a watch is to alert of (alert_id None: not stored, as a dry run sees it)."""

    alert_id: int | None
    watch_id: int
    story_id: int
    article_id: int
    sentence: int | None


@dataclass(frozen=True)
class AlertView:
    """What an alert says: the story, its sources so far, the matching sentence, its article, the watches."""

    story_id: int
    title: str
    sources: list[tuple[str, int]]  # (source, articles of the story from it)
    sentence: str | None  # None: the headline matched
    article: ArticleRef
    watches: list[str]  # the labels of the channel's watches it answers


_WATCH = """id, guild_id, channel_id, kind, actor_id, topic, label, added_by, added_at, since_id, paused_reason,
    paused_at"""
_WORD = re.compile(r"\w+")
SOURCES_SHOWN = 10


async def _query(db, sql: str, params=()) -> list[sqlite3.Row]:
    async with db.execute(sql, tuple(params)) as cursor:
        return list(await cursor.fetchall())


def _watch(row: sqlite3.Row) -> Watch:
    return Watch(*row)


def first_topic_sentence(sentences: list[tuple[int, str]], terms: list[str]) -> int | None:
    """The index of the first sentence holding a word of the topic (its stem, roughly: FTS5 stems with Porter),
    else None (the headline matched)."""
    stems = [w.casefold()[: max(3, len(w) - 2)] for t in terms for w in _WORD.findall(t)]
    for idx, text in sentences:
        words = [w.casefold() for w in _WORD.findall(text)]
        if any(w.startswith(s) for w in words for s in stems):
            return idx
    return None


class WatchTables:
    """Mixed into `Archive`, which gives `_rows`, `_write_rows`, `_transaction` and `_db`."""

    async def save_watch(
        self, guild_id: int, channel_id: int, kind: str, actor_id: int | None, topic: str | None, label: str,
        added_by: str | None,
    ) -> tuple[Watch, bool]:  # fmt: skip
        """Add a watch, or (the same thing watched in that server) move it to the channel and resume it;
        (the watch, whether it is new). A new one starts at the newest article: only what comes later alerts."""
        async with self._transaction():
            old = await _query(
                self._db,
                f"""SELECT {_WATCH} FROM watches WHERE guild_id = ? AND kind = ? AND coalesce(actor_id, 0) = ?
                    AND coalesce(topic, '') = ?""",
                (guild_id, kind, actor_id or 0, topic or ""),
            )
            if old:
                rows = await _query(
                    self._db,
                    f"""UPDATE watches SET channel_id = ?, label = ?, paused_reason = NULL, paused_at = NULL
                        WHERE id = ? RETURNING {_WATCH}""",
                    (channel_id, label, old[0][0]),
                )
            else:
                rows = await _query(
                    self._db,
                    f"""INSERT INTO watches (guild_id, channel_id, kind, actor_id, topic, label, added_by, added_at,
                            since_id)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, (SELECT coalesce(max(id), 0) FROM articles))
                        RETURNING {_WATCH}""",
                    (guild_id, channel_id, kind, actor_id, topic, label, added_by, now_iso()),
                )
        return _watch(rows[0]), not old

    async def watches(self, guild_id: int | None = None, active: bool = False) -> list[Watch]:
        rows = await self._rows(
            f"""SELECT {_WATCH} FROM watches WHERE (? IS NULL OR guild_id = ?)
                AND (NOT ? OR paused_reason IS NULL) ORDER BY guild_id, id""",
            (guild_id, guild_id, active),
        )
        return [_watch(r) for r in rows]

    async def remove_watch(self, guild_id: int, watch_id: int) -> Watch | None:
        rows = await self._write_rows(
            f"DELETE FROM watches WHERE guild_id = ? AND id = ? RETURNING {_WATCH}", (guild_id, watch_id)
        )
        return _watch(rows[0]) if rows else None

    async def pause_watches(self, channel_id: int, reason: str) -> int:
        """Pause every watch of a channel that refused a post; their claimed alerts go back to pending."""
        async with self._transaction():
            await self._db.execute(
                """UPDATE alerts SET status = 'pending', claimed_at = NULL, channel_id = NULL, post = NULL
                   WHERE status = 'sending' AND channel_id = ?""",
                (channel_id,),
            )
            cursor = await self._db.execute(
                "UPDATE watches SET paused_reason = ?, paused_at = ? WHERE channel_id = ? AND paused_reason IS NULL",
                (reason, now_iso(), channel_id),
            )
        return cursor.rowcount

    # ---- matching ------------------------------------------------------------------------------------------

    async def collect_alerts(self) -> int:
        """For each active watch, a pending alert per story it has not alerted of, among the articles new to it;
        its since_id moves forward. One transaction; returns how many alerts were added."""
        async with self._transaction():
            found = await self.alert_candidates(self._db)
            await self._db.executemany(
                """INSERT OR IGNORE INTO alerts (watch_id, story_id, article_id, sentence, created_at)
                   VALUES (?, ?, ?, ?, ?)""",
                [(p.watch_id, p.story_id, p.article_id, p.sentence, now_iso()) for p in found],
            )
            top = await self._top_placed(self._db)
            await self._db.execute("UPDATE watches SET since_id = max(since_id, ?) WHERE paused_reason IS NULL", (top,))
        return len(found)

    async def alert_candidates(self, db=None) -> list[PendingAlert]:
        """The alerts collecting would add now (read only: a dry run asks this too)."""
        db = db or self._reader()
        top = await self._top_placed(db)
        found: list[PendingAlert] = []
        for watch in [_watch(r) for r in await _query(db, f"SELECT {_WATCH} FROM watches WHERE paused_reason IS NULL")]:
            if watch.since_id >= top:
                continue
            if watch.kind == "actor":
                found += await self._actor_matches(db, watch, top)
            else:
                found += await self._topic_matches(db, watch, top)
        return found

    async def _top_placed(self, db) -> int:
        """The newest article such that every one up to it is in a story: matching stops there, so an article
        not yet placed (a crash between storing and placing) is matched once it is."""
        rows = await _query(
            db,
            """SELECT coalesce((SELECT min(id) - 1 FROM articles WHERE story_id IS NULL),
                               (SELECT max(id) FROM articles), 0)""",
        )
        return rows[0][0]

    async def _actor_matches(self, db, watch: Watch, top: int) -> list[PendingAlert]:
        rows = await _query(
            db,
            """SELECT a.story_id, a.id, (SELECT min(m.sentence) FROM mentions m
                                         WHERE m.article_id = a.id AND m.actor_id = ?)
               FROM articles a WHERE a.id > ? AND a.id <= ? AND a.story_id IS NOT NULL
               AND EXISTS (SELECT 1 FROM mentions m WHERE m.article_id = a.id AND m.actor_id = ?)
               AND NOT EXISTS (SELECT 1 FROM alerts al WHERE al.watch_id = ? AND al.story_id = a.story_id)
               ORDER BY a.id""",
            (watch.actor_id, watch.since_id, top, watch.actor_id, watch.id),
        )
        return _first_per_story(watch.id, [(r[0], r[1], r[2]) for r in rows])

    async def _topic_matches(self, db, watch: Watch, top: int) -> list[PendingAlert]:
        terms = json.loads(watch.topic or "[]")
        rows = await _query(
            db,
            """SELECT a.story_id, a.id FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
               WHERE articles_fts MATCH ? AND articles_fts.rowid > ? AND articles_fts.rowid <= ?
               AND a.story_id IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM alerts al WHERE al.watch_id = ? AND al.story_id = a.story_id)
               ORDER BY a.id""",
            (fts.all_of(terms), watch.since_id, top, watch.id),
        )
        picked = _first_per_story(watch.id, [(r[0], r[1], None) for r in rows])
        found = []
        for p in picked:
            sentences = await _query(
                db,
                """SELECT s.idx, substr(a.body, s.start + 1, s.end - s.start) FROM sentences s
                   JOIN articles a ON a.id = s.article_id WHERE s.article_id = ? ORDER BY s.idx""",
                (p.article_id,),
            )
            sentence = first_topic_sentence(sentences, terms)
            found.append(PendingAlert(None, p.watch_id, p.story_id, p.article_id, sentence))
        return found

    # ---- sending ---------------------------------------------------------------------------------------------

    async def pending_alerts(self) -> dict[int, list[PendingAlert]]:
        """The pending alerts of active watches, by channel, oldest first."""
        rows = await self._rows(
            """SELECT w.channel_id, al.id, al.watch_id, al.story_id, al.article_id, al.sentence
               FROM alerts al JOIN watches w ON w.id = al.watch_id
               WHERE al.status = 'pending' AND w.paused_reason IS NULL ORDER BY al.id"""
        )
        found: dict[int, list[PendingAlert]] = {}
        for r in rows:
            found.setdefault(r[0], []).append(PendingAlert(*r[1:]))
        return found

    async def posts_since(self, channel_id: int, since: str) -> int:
        """Alert messages posted (or being posted, or interrupted) in a channel since a UTC time."""
        return await self._scalar(
            """SELECT count(DISTINCT post) FROM alerts WHERE channel_id = ? AND status != 'pending'
               AND coalesce(sent_at, claimed_at) >= ?""",
            (channel_id, since),
        )

    async def claim_alerts(self, alert_ids: list[int], channel_id: int, now: str) -> list[int]:
        """Take pending alerts for one message before sending it, so a crash after the send cannot repeat it."""
        rows = await self._write_rows(
            """UPDATE alerts SET status = 'sending', claimed_at = ?, channel_id = ?,
                   post = (SELECT min(value) FROM json_each(?))
               WHERE status = 'pending' AND id IN (SELECT value FROM json_each(?)) RETURNING id""",
            (now, channel_id, json.dumps(alert_ids), json.dumps(alert_ids)),
        )
        return sorted(r[0] for r in rows)

    async def release_alerts(self, alert_ids: list[int]) -> None:
        """Give claimed alerts back (a passing failure: the next round tries again)."""
        await self._execute(
            """UPDATE alerts SET status = 'pending', claimed_at = NULL, channel_id = NULL, post = NULL
               WHERE status = 'sending' AND id IN (SELECT value FROM json_each(?))""",
            (json.dumps(alert_ids),),
        )

    async def finish_alerts(self, alert_ids: list[int], now: str, gathered: bool) -> None:
        await self._execute(
            """UPDATE alerts SET status = 'sent', sent_at = ?, gathered = ?
               WHERE status = 'sending' AND id IN (SELECT value FROM json_each(?))""",
            (now, gathered, json.dumps(alert_ids)),
        )

    async def interrupted_alerts(self) -> int:
        """Alerts a stopped bot was sending: marked so, never sent again (Discord may have them)."""
        rows = await self._write_rows("UPDATE alerts SET status = 'interrupted' WHERE status = 'sending' RETURNING id")
        return len(rows)

    async def alert_view(self, story_id: int, article_id: int, sentence: int | None, labels: list[str]) -> AlertView:
        rows = await self._rows(
            """SELECT coalesce(s.title, ar.title), ar.id, ar.title, ar.source, ar.published, ar.url,
                   (SELECT substr(ar.body, se.start + 1, se.end - se.start) FROM sentences se
                    WHERE se.article_id = ar.id AND se.idx = ?)
               FROM articles ar LEFT JOIN stories s ON s.id = ? WHERE ar.id = ?""",
            (sentence, story_id, article_id),
        )
        title, *ref, text = rows[0]
        sources = await self._rows(
            """SELECT source, count(*) FROM articles WHERE story_id = ? AND source IS NOT NULL
               GROUP BY source ORDER BY min(id)""",
            (story_id,),
        )
        return AlertView(
            story_id, title, [(r[0], r[1]) for r in sources], text.strip() if text else None, ArticleRef(*ref), labels
        )


def _first_per_story(watch_id: int, rows: list[tuple[int, int, int | None]]) -> list[PendingAlert]:
    """The first matching article of each story (rows in article order)."""
    seen: set[int] = set()
    found = []
    for story_id, article_id, sentence in rows:
        if story_id not in seen:
            seen.add(story_id)
            found.append(PendingAlert(None, watch_id, story_id, article_id, sentence))
    return found

"""Feeds and the items taken from them: the SQL of the `feeds` and `feed_items` tables (a part of `Archive`)."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from bot.archive.records import now_iso


@dataclass(frozen=True)
class Feed:
    id: int
    url: str
    name: str | None
    added_by: str | None
    added_at: str
    enabled: bool
    disabled_reason: str | None
    etag: str | None
    last_modified: str | None
    last_fetch_at: str | None
    last_outcome: str | None
    last_new: int
    items_total: int
    last_error: str | None
    failures: int
    first_failure_at: str | None
    next_fetch_at: str | None

    @property
    def label(self) -> str:
        return self.name or self.url


@dataclass(frozen=True)
class FetchOutcome:
    """What one poll of a feed did, to be recorded."""

    outcome: str  # ok, not modified, failed
    new: int = 0
    error: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    next_fetch_at: str | None = None  # not before this (Retry-After, backoff)
    disable: str | None = None  # stop polling it, and why


_FEED = """id, url, name, added_by, added_at, enabled, disabled_reason, etag, last_modified, last_fetch_at,
    last_outcome, last_new, items_total, last_error, failures, first_failure_at, next_fetch_at"""


def _feed(row: sqlite3.Row) -> Feed:
    values = list(row)
    values[5] = bool(values[5])
    return Feed(*values)


class FeedTables:
    """Mixed into `Archive`, which gives `_rows`, `_write_rows`, `_transaction` and `_db`."""

    async def add_feed(self, url: str, name: str | None, added_by: str | None) -> tuple[Feed, bool]:
        """Add a feed, or enable it again (failures forgotten) if it is there; (the feed, whether it is new)."""
        known = await self.feed(url)
        rows = await self._write_rows(
            f"""INSERT INTO feeds (url, name, added_by, added_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (url) DO UPDATE SET enabled = 1, disabled_reason = NULL, failures = 0,
                    first_failure_at = NULL, next_fetch_at = NULL, name = coalesce(excluded.name, feeds.name)
                RETURNING {_FEED}""",
            (url, name, added_by, now_iso()),
        )
        return _feed(rows[0]), known is None

    async def feed(self, ref: str | int) -> Feed | None:
        """A feed by its number or its (canonical) URL."""
        column = "id" if isinstance(ref, int) else "url"
        rows = await self._rows(f"SELECT {_FEED} FROM feeds WHERE {column} = ?", (ref,))
        return _feed(rows[0]) if rows else None

    async def remove_feed(self, feed_id: int) -> bool:
        """Stop following a feed; the articles it brought stay in the archive."""
        changed, _ = await self._execute("DELETE FROM feeds WHERE id = ?", (feed_id,))
        return changed > 0

    async def feeds(self) -> list[Feed]:
        return [_feed(r) for r in await self._rows(f"SELECT {_FEED} FROM feeds ORDER BY id")]

    async def due_feeds(self, now: str) -> list[Feed]:
        rows = await self._rows(
            f"""SELECT {_FEED} FROM feeds WHERE enabled AND (next_fetch_at IS NULL OR next_fetch_at <= ?)
                ORDER BY coalesce(last_fetch_at, ''), id""",
            (now,),
        )
        return [_feed(r) for r in rows]

    async def known_items(self, feed_id: int, guids: list[str], urls: list[str]) -> tuple[set[str], set[str]]:
        """Of the given GUIDs, those this feed gave before; of the URLs, those any feed gave or any file holds."""
        old_guids = {
            r[0]
            for r in await self._rows(
                "SELECT guid FROM feed_items WHERE feed_id = ? AND guid IN (SELECT value FROM json_each(?))",
                (feed_id, _json(guids)),
            )
        }
        old_urls = {
            r[0]
            for r in await self._rows(
                """SELECT url FROM feed_items WHERE url IN (SELECT value FROM json_each(?))
                   UNION SELECT path FROM files WHERE path IN (SELECT value FROM json_each(?))""",
                (_json(urls), _json(urls)),
            )
        }
        return old_guids, old_urls

    async def record_items(self, feed_id: int, items: list[tuple[str, str | None, str, str | None]]) -> None:
        """Items taken from a feed, as (guid, url, outcome, reason): each is new once."""
        async with self._transaction():
            await self._db.executemany(
                """INSERT INTO feed_items (feed_id, guid, url, outcome, reason, seen_at) VALUES (?, ?, ?, ?, ?, ?)
                   ON CONFLICT (feed_id, guid) DO UPDATE SET outcome = excluded.outcome, reason = excluded.reason""",
                [(feed_id, guid, url, outcome, reason, now_iso()) for guid, url, outcome, reason in items],
            )

    async def finish_fetch(self, feed_id: int, done: FetchOutcome) -> None:
        failed = done.outcome == "failed"
        await self._execute(
            """UPDATE feeds SET last_fetch_at = ?, last_outcome = ?, last_new = ?, items_total = items_total + ?,
                   last_error = CASE WHEN ? THEN ? ELSE last_error END,
                   failures = CASE WHEN ? THEN failures + 1 ELSE 0 END,
                   first_failure_at = CASE WHEN ? THEN coalesce(first_failure_at, ?) ELSE NULL END,
                   etag = coalesce(?, etag), last_modified = coalesce(?, last_modified), next_fetch_at = ?,
                   enabled = CASE WHEN ? IS NULL THEN enabled ELSE 0 END,
                   disabled_reason = coalesce(?, disabled_reason)
               WHERE id = ?""",
            (
                now_iso(),
                done.outcome,
                done.new,
                done.new,
                failed,
                done.error,
                failed,
                failed,
                now_iso(),
                done.etag,
                done.last_modified,
                done.next_fetch_at,
                done.disable,
                done.disable,
                feed_id,
            ),
        )


def _json(values: list[str]) -> str:
    return json.dumps(values)

"""Ingest runs and files (a part of `Archive`): the SQL of the `ingest_runs` and `files` tables, the batch writer's
turns, and what the archive holds (stats)."""

from __future__ import annotations

import asyncio
import sqlite3

from bot.archive.records import ArchiveStats, FileState, RunSummary, now_iso
from bot.archive.writer import BatchWriter, FileItem

LIST_LIMIT = 20


class RunTables:
    async def begin_run(self, folder: str) -> int:
        _, run_id = await self._execute(
            "INSERT INTO ingest_runs (folder, started_at) VALUES (?, ?)", (folder, now_iso())
        )
        return run_id

    async def finish_run(self, run_id: int, counts: dict[str, int]) -> None:
        await self._execute(
            """UPDATE ingest_runs SET finished_at = ?, added = ?, updated = ?, unchanged = ?, duplicates = ?,
               skipped = ?, missing = ? WHERE id = ?""",
            (
                now_iso(),
                *(counts.get(k, 0) for k in ("added", "updated", "unchanged", "duplicate", "skipped", "missing")),
                run_id,
            ),
        )

    async def file_states(self, folder: str) -> dict[str, FileState]:
        """Every file the archive knows under `folder` (an absolute path)."""
        prefix = folder.rstrip("/") + "/"
        rows = await self._rows(
            """SELECT path, size, mtime_ns, byte_sha, recipe_sha, status, article_id FROM files
               WHERE path >= ? AND path < ?""",
            (prefix, prefix[:-1] + "0"),  # "0" sorts right after "/": a range scan of the prefix
        )
        return {row[0]: FileState(*row) for row in rows}

    async def mark_missing(self, paths: list[str]) -> None:
        if paths:
            await self._write(self._writer().mark_missing, paths, now_iso())

    async def touch_unchanged(self, items: list[tuple[str, int, int]]) -> None:
        if items:
            await self._write(self._writer().touch_unchanged, items, now_iso())

    async def store_files(self, items: list[FileItem]) -> list[tuple[str, str | None]]:
        """Store a batch in one transaction; returns each item's outcome and, for a duplicate, what of.

        Outcomes: added, updated, unchanged, duplicate, skipped. Either the whole batch lands or none of it.
        """
        return await self._write(self._writer().store_batch, items, now_iso())

    async def place_stories(self, batch: int = 500) -> int:
        """Place the articles no story holds yet (stored before stories existed, or left by a crash between two
        batches), oldest first; returns how many."""
        placed = 0
        while count := await self._write(self._writer().place_stories, batch, now_iso()):
            placed += count
        return placed

    def _writer(self) -> BatchWriter:
        if self._batch_writer is None:
            self._batch_writer = BatchWriter.connect(self.path)
        return self._batch_writer

    async def _write(self, method, *args):
        # One thread hop per batch: the batch's many small statements run back to back off the event loop.
        # Shielded: a cancelled caller (Ctrl-C) leaves the batch to finish or roll back in its thread, and
        # close() waits for it before it closes the connection.
        async with self._write_lock:
            self._in_flight = asyncio.ensure_future(asyncio.to_thread(method, *args))
            return await asyncio.shield(self._in_flight)

    async def stats(self) -> ArchiveStats:
        """What the archive holds; kept until the archive changes (another connection commits: an ingest)."""
        version = await self._data_version()
        cached = self._cache.get(("stats",))
        if cached and cached[0] == version:
            return cached[1]
        stats = await self._stats()
        self._cache[("stats",)] = (version, stats)
        return stats

    async def _stats(self) -> ArchiveStats:
        articles, words, first, last = (
            await self._rows("SELECT count(*), sum(word_count), min(published), max(published) FROM articles")
        )[0]
        by_status = dict(await self._rows("SELECT status, count(*) FROM files GROUP BY status"))
        return ArchiveStats(
            articles=articles,
            words=words or 0,
            first_published=first,
            last_published=last,
            undated=await self._scalar("SELECT count(*) FROM articles WHERE published IS NULL"),
            files_by_status=by_status,
            skipped=[tuple(r) for r in await self._list_files("skipped", "path, reason")],
            duplicates=[tuple(r) for r in await self._list_files("duplicate", "path, reason")],
            missing=[r[0] for r in await self._list_files("missing", "path")],
            sources=[
                tuple(r)
                for r in await self._rows(
                    """SELECT coalesce(source, 'unknown'), count(*) FROM articles GROUP BY 1
                       ORDER BY 2 DESC, 1 LIMIT ?""",
                    (LIST_LIMIT,),
                )
            ],
            last_run=await self.last_run(),
            database_bytes=await self._scalar("SELECT page_count * page_size FROM pragma_page_count, pragma_page_size"),
            schema_version=await self.schema_version(),
            copies=await self._scalar("SELECT count(*) FROM articles WHERE copy_of IS NOT NULL"),
        )

    async def _list_files(self, status: str, columns: str) -> list[sqlite3.Row]:
        # `columns` is one of our own literals above, never user input.
        return await self._rows(
            f"SELECT {columns} FROM files WHERE status = ? ORDER BY path LIMIT ?", (status, LIST_LIMIT)
        )

    async def last_run(self) -> RunSummary | None:
        rows = await self._rows(
            """SELECT id, folder, started_at, finished_at, added, updated, unchanged, duplicates, skipped, missing
               FROM ingest_runs ORDER BY id DESC LIMIT 1"""
        )
        return RunSummary(*rows[0]) if rows else None

"""The SQLite archive: `Archive`, its connections, the schema and its migrations. The SQL of each part of the
archive is a mixin of its own module here (articles, actors, quotes, events, stories, briefings, feeds, watches,
charts, runs, state, checks, backups); `Archive` inherits them all.

One `Archive` wraps one aiosqlite connection. Writers (the ingest) open their own, so a long write transaction
never swallows a reader's query; WAL lets readers go on while it writes.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path

import aiosqlite

from bot.archive.actors import ActorTables
from bot.archive.articles import ArticleTables
from bot.archive.backups import Backups
from bot.archive.briefings import BriefingTables
from bot.archive.charts import ChartTables
from bot.archive.checks import IntegrityChecks
from bot.archive.errors import ArchiveError, explain_error
from bot.archive.events import EventTables
from bot.archive.feeds import FeedTables
from bot.archive.migrations import latest_version, migrations, statements
from bot.archive.quotes import QuoteTables
from bot.archive.runs import RunTables
from bot.archive.state import StateTables
from bot.archive.stories import StoryTables
from bot.archive.watches import WatchTables
from bot.archive.writer import BatchWriter

READERS = 2  # connections answering queries side by side (one per core of the machine we measure on)


class Archive(
    ArticleTables,
    ActorTables,
    QuoteTables,
    EventTables,
    BriefingTables,
    RunTables,
    StateTables,
    IntegrityChecks,
    Backups,
    FeedTables,
    StoryTables,
    WatchTables,
    ChartTables,
):
    """The archive over SQLite. One connection writes (the bot's small writes; the ingest's batches have a
    connection of their own), READERS others answer queries side by side: a write never waits behind a read that
    holds an old snapshot, and two queries run at once on two cores."""

    def __init__(self, db: aiosqlite.Connection, path: Path):
        self._db = db  # writes, and the schema
        self._readers: list[aiosqlite.Connection] = [db]  # until the schema is ready
        self._next_reader = 0
        self.path = path
        self._batch_writer: BatchWriter | None = None
        self._write_lock = asyncio.Lock()  # the batch writer's turns
        # The writing connection is shared by every coroutine: a statement sent while another's transaction is
        # open would join it (seen only when it commits, lost if it rolls back). Each write takes this first.
        self._db_lock = asyncio.Lock()
        self._in_flight: asyncio.Future | None = None
        self._cache: dict[tuple, tuple[int, object]] = {}  # (what, args) -> (data_version, answer)

    # ---- opening, schema -------------------------------------------------------------------------------

    @classmethod
    async def open(cls, path: Path) -> Archive:
        path = Path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ArchiveError(f"cannot create the folder for DATABASE_PATH {path}: {exc.strerror}") from exc
        try:
            db = await aiosqlite.connect(path, isolation_level=None)
        except sqlite3.Error as exc:
            raise ArchiveError(explain_error(exc, path)) from exc
        archive = cls(db, path)
        try:
            await archive._prepare()
            archive._readers = [await archive._connect_reader() for _ in range(READERS)]
        except BaseException as exc:
            with contextlib.suppress(sqlite3.Error):  # closing must not hide why the opening failed
                await archive.close()
            if isinstance(exc, sqlite3.Error):
                raise ArchiveError(explain_error(exc, path)) from exc
            raise
        return archive

    async def _connect_reader(self) -> aiosqlite.Connection:
        reader = await aiosqlite.connect(self.path, isolation_level=None)
        await reader.execute("PRAGMA busy_timeout = 10000")
        await reader.execute("PRAGMA foreign_keys = ON")
        await reader.execute("PRAGMA query_only = ON")
        return reader

    async def close(self) -> None:
        if self._in_flight is not None and not self._in_flight.done():
            await asyncio.wait([self._in_flight])
        if self._batch_writer is not None:
            await asyncio.to_thread(self._batch_writer.close)
        for reader in self._readers:
            if reader is not self._db:
                await reader.close()
        await self._db.close()

    async def __aenter__(self) -> Archive:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def _prepare(self) -> None:
        try:
            await self._db.execute("PRAGMA busy_timeout = 10000")
            await self._use_wal()
            await self._db.execute("PRAGMA synchronous = NORMAL")
            # Off while migrating: a migration that rebuilds a table (to change a CHECK) drops the old one, which
            # with foreign keys on would delete every row that points at it. Each migration checks them instead.
            await self._db.execute("PRAGMA foreign_keys = OFF")
            await self._migrate()
            await self._db.execute("PRAGMA foreign_keys = ON")
        except sqlite3.Error as exc:
            raise ArchiveError(explain_error(exc, self.path)) from exc

    async def _use_wal(self) -> None:
        # Two processes opening a new file at once: the journal mode changes only with the file to itself, and
        # SQLite may answer "locked" at once instead of waiting (busy_timeout), so ask again for a while.
        for attempt in range(100):
            try:
                await self._db.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or attempt == 99:
                    raise
                await asyncio.sleep(0.1)

    async def schema_version(self) -> int:
        return await self._scalar("PRAGMA user_version", db=self._db)

    async def _migrate(self) -> None:
        # One statement, so one snapshot: another process may be migrating the file at this moment.
        async with self._db.execute(
            "SELECT (SELECT user_version FROM pragma_user_version), (SELECT count(*) FROM sqlite_schema)"
        ) as cursor:
            current, tables = await cursor.fetchone()
        latest = latest_version()
        if current > latest:
            raise ArchiveError(
                f"the database at {self.path} has schema version {current}, newer than this Newsdesk knows "
                f"({latest}); upgrade Newsdesk, or point DATABASE_PATH at another file"
            )
        if current == 0 and tables:
            raise ArchiveError(f"{self.path} holds tables that are not Newsdesk's; point DATABASE_PATH elsewhere")
        for version, script in migrations():
            if version <= current:
                continue
            async with self._transaction():
                # Another process may have migrated while this one waited for the lock.
                if await self.schema_version() >= version:
                    continue
                for statement in statements(script):
                    await self._db.execute(statement)
                async with self._db.execute("PRAGMA foreign_key_check") as cursor:
                    if broken := await cursor.fetchone():
                        raise ArchiveError(f"migration {version} left a broken reference in table {broken[0]}")
                # PRAGMA takes no parameters; `version` is an int from our own file names.
                await self._db.execute(f"PRAGMA user_version = {version}")

    # ---- helpers ---------------------------------------------------------------------------------------

    def _reader(self) -> aiosqlite.Connection:
        self._next_reader = (self._next_reader + 1) % len(self._readers)
        return self._readers[self._next_reader]

    async def _scalar(self, sql: str, params: Iterable[object] = (), db: aiosqlite.Connection | None = None) -> int:
        async with (db or self._reader()).execute(sql, tuple(params)) as cursor:
            row = await cursor.fetchone()
        return row[0] if row and row[0] is not None else 0

    async def _rows(self, sql: str, params: Iterable[object] = ()) -> list[sqlite3.Row]:
        async with self._reader().execute(sql, tuple(params)) as cursor:
            return list(await cursor.fetchall())

    async def _write_rows(self, sql: str, params: Iterable[object] = ()) -> list[sqlite3.Row]:
        """A write that returns rows (UPDATE … RETURNING), on the writing connection."""
        async with self._db_lock, self._db.execute(sql, tuple(params)) as cursor:
            return list(await cursor.fetchall())

    async def _execute(self, sql: str, params: Iterable[object] = ()) -> tuple[int, int | None]:
        """One write on the writing connection, outside any transaction: (rows changed, the new row's id)."""
        async with self._db_lock, self._db.execute(sql, tuple(params)) as cursor:
            return cursor.rowcount, cursor.lastrowid

    async def _data_version(self) -> int:
        # Asked of one and the same connection every time: the number is per connection.
        return await self._scalar("PRAGMA data_version", db=self._readers[0])

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[None]:
        """BEGIN … COMMIT on the writing connection, which no other coroutine writes on meanwhile: inside, use
        `self._db` itself (`_execute` and `_write_rows` would wait for the transaction's own lock)."""
        async with self._db_lock:
            await self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                # SQLite may have rolled back already (a full disk, an I/O error): a failing ROLLBACK must not
                # hide the error that caused it.
                if self._db.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        await self._db.execute("ROLLBACK")
                raise
            await self._db.execute("COMMIT")

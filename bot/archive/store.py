"""The SQLite archive: the only module that speaks SQL.

One `Archive` wraps one aiosqlite connection. Writers (the ingest) open their own, so a long write transaction
never swallows a reader's query; WAL lets readers go on while it writes.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import os
import re
import sqlite3
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from difflib import SequenceMatcher
from pathlib import Path

import aiosqlite

from bot.archive import fts
from bot.archive.backups import PARTIAL, _backup_os_problem, _backup_problem, _publish, _remove_stale_partials
from bot.archive.charts import ChartTables
from bot.archive.errors import (
    CANNOT_OPEN,
    DAMAGED,
    NOT_A_DATABASE,
    READ_ONLY,
    error_kind,
    explain_error,
    sqlite_error_in,
)
from bot.archive.feeds import FeedTables
from bot.archive.migrations import latest_version, migrations, statements
from bot.archive.records import (
    ARTICLE_REF,
    MARK_END,
    MARK_START,
    ActorProfile,
    ActorSummary,
    ArchiveStats,
    ArticleRef,
    BriefingConfig,
    BriefingContent,
    EventCandidate,
    FileState,
    NewArticle,
    QuoteHit,
    Role,
    RunSummary,
    SearchHit,
    SearchResult,
    TimelineEvent,
    now_iso,
)
from bot.archive.stories import StoryTables
from bot.archive.watches import WatchTables
from bot.archive.writer import BatchWriter, FileItem
from bot.nlp.names import name_key

SNIPPET_TOKENS = 24
READERS = 2  # connections answering queries side by side (one per core of the machine we measure on)
TITLE_WEIGHT = 5.0
BODY_WEIGHT = 1.0
LIST_LIMIT = 20
QUOTES_IN_PROFILE = 3
TOGETHER_ARTICLES = 500  # "appears with" looks at this many of the actor's latest articles
TOGETHER = 12  # actors listed (and drawn) as appearing with one
BROAD_MATCHES = 10_000  # a search matching more articles ranks the latest this many only
BROAD_TIMELINE = 5_000  # a timeline of a topic in more articles (or event sentences) draws on the latest this many
RANKED_STORIES = 100  # a briefing's biggest stories, among which the most carried are listed
BRIEFING_SCAN = 2000  # a briefing's lists and counts look at no more than this many of the new articles
SCAN_FROM = 1000  # an actor in this many articles or more is looked up by walking the dates (see actor_profile)
MIN_PARTIAL_CHARS = 3  # a shorter name is looked up whole only: "al" would match half the archive
CLOSE_CANDIDATES = 50  # actors sharing the most trigrams with a mistyped name, ranked again by similarity
MIN_SIMILARITY = 0.6


class ArchiveError(Exception):
    """The database cannot be used; the message says why and what to do."""


_ARTICLE_REF = ARTICLE_REF
_EVENT = "e.id, e.value, e.granularity, e.first, e.last, e.certainty, e.text, e.status"  # a TimelineEvent's own
_BRIEFING = """guild_id, channel_id, post_time, timezone, when_empty, now_in_channel, enabled, paused_reason, paused_at,
    last_local_date, last_outcome, last_posted_at, since_id, since_at"""


def _latest_articles(count: int) -> str:
    """SQL for an actor's latest articles (params: actor id, limit), shaped for how many articles they are in;
    a syndicated copy is not listed again."""
    if count >= SCAN_FROM:  # walk the dates from the newest: an article that mentions them comes soon
        return f"""SELECT {_ARTICLE_REF} FROM articles ar INDEXED BY articles_published
                   WHERE EXISTS (SELECT 1 FROM mentions m WHERE m.actor_id = ? AND m.article_id = ar.id)
                   AND ar.copy_of IS NULL ORDER BY ar.published DESC LIMIT ?"""
    return f"""SELECT {_ARTICLE_REF} FROM articles ar
               WHERE ar.id IN (SELECT article_id FROM mentions WHERE actor_id = ?) AND ar.copy_of IS NULL
               ORDER BY ar.published DESC, ar.id DESC LIMIT ?"""


def _quote_hit(r) -> QuoteHit:
    """A row of `q.id, q.text, q.speaker, q.actor_id, q.cue, q.partial, {_ARTICLE_REF}`."""
    return QuoteHit(r[0], r[1], r[2], r[3], r[4], ArticleRef(*r[6:]), bool(r[5]))


def _briefing(row: sqlite3.Row) -> BriefingConfig:
    values = list(row)
    values[5], values[6] = bool(values[5]), bool(values[6])
    return BriefingConfig(*values)


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _unique_roles(roles: list[Role]) -> list[Role]:
    """One role phrase once, with the latest article that gives it."""
    seen: set[str] = set()
    unique = []
    for role in roles:
        if role.text.casefold() not in seen:
            seen.add(role.text.casefold())
            unique.append(role)
    return unique


def _likeness(typed: str, name: str) -> float:
    """How alike two name keys are, 0 to 1, in whatever order their words come ("Abadi Haidar")."""

    def words(key: str) -> str:
        return " ".join(sorted(key.replace("-", " ").split()))

    return max(SequenceMatcher(None, typed, name).ratio(), SequenceMatcher(None, words(typed), words(name)).ratio())


def _integrity_lines(rows: Iterable[sqlite3.Row]) -> list[str]:
    """PRAGMA integrity_check's answer as one problem a line (SQLite may put many lines in one row)."""
    lines = [line.strip() for row in rows if row[0] != "ok" for line in str(row[0]).splitlines()]
    return [line for line in lines if line and not line.startswith("*** in database")]


def _sqlite_check(path: Path) -> list[str]:
    """SQLite's integrity and foreign key checks of the file, on a read-only connection of their own. When the
    damage stops the whole check, each table is checked alone: the problems then say which tables are hit."""
    uri = Path(path).resolve().as_uri()
    try:
        con = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=10)
        con.execute("SELECT count(*) FROM sqlite_schema").fetchone()
    except sqlite3.OperationalError as exc:
        if error_kind(exc) not in (CANNOT_OPEN, READ_ONLY):
            raise
        # A read-only folder where the -shm file cannot be made: read the file as it is.
        con = sqlite3.connect(f"{uri}?immutable=1", uri=True, timeout=10)
    try:
        try:
            problems = _integrity_lines(con.execute("PRAGMA integrity_check").fetchall())
            return problems + [f"foreign key: {tuple(r)}" for r in con.execute("PRAGMA foreign_key_check")]
        except sqlite3.DatabaseError as exc:
            whole = exc
        problems = []
        tables = con.execute(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'"
        ).fetchall()
        for (name,) in tables:
            quoted = '"' + name.replace('"', '""') + '"'
            try:
                lines = _integrity_lines(con.execute(f"PRAGMA integrity_check({quoted})").fetchall())
            except sqlite3.DatabaseError as exc:
                lines = [str(exc)]
            problems += [f"table {name}: {line}" for line in lines]
        return problems or [f"the integrity check failed: {whole}"]
    finally:
        con.close()


class Archive(FeedTables, StoryTables, WatchTables, ChartTables):
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

    # ---- ingest: runs and files ------------------------------------------------------------------------

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

    # ---- queries ---------------------------------------------------------------------------------------

    async def search(self, text: str, limit: int = 10) -> SearchResult:
        terms = fts.query_terms(text)
        if not terms:
            return SearchResult(text, [], 0, problem="the query has no words to search for")
        limit = max(1, min(limit, 100))
        for matched_all, match in ((True, fts.all_of(terms)), (False, fts.any_of(terms))):
            total = await self._scalar("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", (match,))
            if total:
                total -= await self._matching_copies(match)
                floor = await self._broad_floor("articles_fts", total, BROAD_MATCHES)
                hits = await self._search_hits(match, limit, floor)
                ranked = BROAD_MATCHES if floor else None
                return SearchResult(text, hits, total, matched_all=matched_all, ranked_among=ranked)
            if len(terms) == 1:
                break
        return SearchResult(text, [], 0)

    async def _broad_floor(self, table: str, total: int, keep: int) -> int:
        """For a match in more than `keep` rows of an FTS table: the rowid above which about that many of them lie
        (the latest stored), so ranking or ordering them stays fast; 0 otherwise. Ranking every match of "said"
        across 200,000 articles would take a quarter of a second and tell nothing more."""
        if total <= keep:
            return 0
        top = await self._scalar(f"SELECT max(rowid) FROM {table}")  # `table`: our own FTS table names
        return max(0, top - top * keep // total + 1)

    async def _search_hits(self, match: str, limit: int, floor: int = 0) -> list[SearchHit]:
        rows = await self._rows(
            f"""SELECT a.id, a.title, a.source, a.published,
                   snippet(articles_fts, 1, ?, ?, '…', {SNIPPET_TOKENS}),
                   bm25(articles_fts, {TITLE_WEIGHT}, {BODY_WEIGHT}) AS score, a.url
               FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
               WHERE articles_fts MATCH ? AND articles_fts.rowid >= ? AND a.copy_of IS NULL ORDER BY score LIMIT ?""",
            (MARK_START, MARK_END, match, floor, limit),
        )
        copies = await self.copies([row[0] for row in rows])
        return [SearchHit(*row, copies=tuple(copies.get(row[0], ()))) for row in rows]

    async def _matching_copies(self, match: str) -> int:
        """How many of the articles a search matches are copies of another (counted once, with it)."""
        return await self._scalar(
            """SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?
               AND rowid IN (SELECT id FROM articles WHERE copy_of IS NOT NULL)""",
            (match,),
        )

    async def copies(self, article_ids: list[int]) -> dict[int, list[ArticleRef]]:
        """The syndicated copies of each article (other headlines, sources, dates), oldest first."""
        if not article_ids:
            return {}
        rows = await self._rows(
            f"""SELECT ar.copy_of, {_ARTICLE_REF} FROM articles ar
                WHERE ar.copy_of IN (SELECT value FROM json_each(?)) ORDER BY ar.published, ar.id""",
            (json.dumps(article_ids),),
        )
        found: dict[int, list[ArticleRef]] = {}
        for row in rows:
            found.setdefault(row[0], []).append(ArticleRef(*row[1:]))
        return found

    # ---- actors ----------------------------------------------------------------------------------------

    async def find_actors(self, name: str, limit: int = 10) -> list[ActorSummary]:
        """Actors by name or alias: exact matches first, then those with a word of their name starting so
        ("Carter" finds John Carter and Mary Carter), most mentioned first."""
        key = name_key(name)
        if not key:
            return []
        # Exact: the name itself, or the same name with words between its first and last ("iTunes Store" is
        # also the "iTunes Music Store", "Steve Jobs" "Steve P. Jobs").
        fuller = " % ".join(_like_escape(w) for w in key.split())
        exact = await self._actor_summaries(
            "SELECT actor_id FROM actor_aliases WHERE key = ? OR key LIKE ? ESCAPE '\\'", (key, fuller), limit
        )
        if len(key) < MIN_PARTIAL_CHARS:
            return exact
        pattern = _like_escape(key)
        partial = await self._actor_summaries(
            """SELECT actor_id FROM actor_aliases
               WHERE key LIKE ? ESCAPE '\\' OR key LIKE ? ESCAPE '\\' OR key LIKE ? ESCAPE '\\'""",
            (f"{pattern}%", f"% {pattern}%", f"%-{pattern}%"),
            limit,
        )
        found = {a.id for a in exact}
        exact = [dataclasses.replace(a, exact=True) for a in exact]
        return (exact + [a for a in partial if a.id not in found])[:limit]

    async def closest_actors(self, name: str, limit: int = 5) -> list[ActorSummary]:
        """Actors whose names look most like a name nobody has (a typo: "McGurck", "Barzan"), closest first."""
        key = name_key(name)
        grams = sorted({key[i : i + 3] for i in range(len(key) - 2)} - {"   "})[:64]
        if not grams:
            return []
        match = " OR ".join('"' + g.replace('"', '""') + '"' for g in grams)
        rows = await self._rows(
            "SELECT rowid, keys FROM actor_names_fts WHERE actor_names_fts MATCH ? ORDER BY rank LIMIT ?",
            (match, CLOSE_CANDIDATES),
        )
        score = {actor_id: max(_likeness(key, k) for k in keys.split(" | ")) for actor_id, keys in rows}
        close = [actor_id for actor_id, s in score.items() if s >= MIN_SIMILARITY]
        if not close:
            return []
        marks = ",".join("?" * len(close))
        found = await self._actor_summaries(f"SELECT id FROM actors WHERE id IN ({marks})", tuple(close), len(close))
        return sorted(found, key=lambda a: (-score[a.id], -a.mentions))[:limit]

    async def top_actors(self, limit: int = 25) -> list[ActorSummary]:
        """The most mentioned actors (what an empty name box suggests)."""
        return await self._actor_summaries("SELECT id FROM actors ORDER BY mention_count DESC LIMIT ?", (limit,), limit)

    async def _actor_summaries(self, ids_sql: str, params: tuple, limit: int) -> list[ActorSummary]:
        rows = await self._rows(
            f"""SELECT a.id, a.name, a.kind, a.publication, a.mention_count, a.article_count
               FROM actors a WHERE a.id IN ({ids_sql}) ORDER BY a.mention_count DESC, a.name LIMIT ?""",
            (*params, limit),
        )
        return [ActorSummary(r[0], r[1], r[2], bool(r[3]), r[4], r[5]) for r in rows]

    async def actor_profile(self, actor_id: int, limit: int = 10) -> ActorProfile | None:
        found = await self._actor_summaries("SELECT ?", (actor_id,), 1)
        if not found:
            return None
        aliases = [
            r[0]
            for r in await self._rows(
                "SELECT alias FROM actor_aliases WHERE actor_id = ? ORDER BY length(alias) DESC, alias", (actor_id,)
            )
        ]
        roles = [
            Role(r[0], ArticleRef(*r[1:]))
            for r in await self._rows(
                f"""SELECT d.text, {_ARTICLE_REF} FROM descriptions d JOIN articles ar ON ar.id = d.article_id
                    WHERE d.actor_id = ? ORDER BY ar.published DESC, d.id LIMIT ?""",
                (actor_id, 4 * limit),
            )
        ]
        first, last = await self._first_last_seen(actor_id, many=found[0].articles >= SCAN_FROM)
        # Who appears with the actor: in the same sentences, most often first (publications aside), in the
        # latest articles that mention them (all of them, for all but the most mentioned actors).
        together = await self._rows(
            """SELECT m2.actor_id, count(DISTINCT (m1.article_id << 20) + m1.sentence) AS shared FROM mentions m1
               JOIN mentions m2 ON m2.article_id = m1.article_id AND m2.sentence = m1.sentence
               JOIN actors a2 ON a2.id = m2.actor_id AND a2.publication = 0
               WHERE m1.actor_id = ? AND m2.actor_id <> m1.actor_id AND m1.article_id IN
                   (SELECT DISTINCT article_id FROM mentions WHERE actor_id = ? ORDER BY article_id DESC LIMIT ?)
               GROUP BY m2.actor_id ORDER BY shared DESC LIMIT ?""",
            (actor_id, actor_id, TOGETHER_ARTICLES, TOGETHER),
        )
        partners = {
            a.id: a
            for a in await self._actor_summaries(
                "SELECT value FROM json_each(?)", (json.dumps([r[0] for r in together]),), TOGETHER
            )
        }
        articles = [ArticleRef(*r) for r in await self._rows(_latest_articles(found[0].articles), (actor_id, limit))]
        quotes = await self.quotes(actor_ids=[actor_id], limit=QUOTES_IN_PROFILE)
        return ActorProfile(
            quotes=quotes,
            actor=found[0],
            aliases=aliases,
            roles=_unique_roles(roles)[:limit],
            first_seen=first,
            last_seen=last,
            together=[(partners[r[0]], r[1]) for r in together if r[0] in partners],
            articles=articles,
        )

    # ---- quotes ----------------------------------------------------------------------------------------

    async def _first_last_seen(self, actor_id: int, many: bool) -> tuple[str | None, str | None]:
        if not many:
            rows = await self._rows(
                """SELECT min(published), max(published) FROM articles
                   WHERE id IN (SELECT article_id FROM mentions WHERE actor_id = ?)""",
                (actor_id,),
            )
            return rows[0][0], rows[0][1]
        # An actor in thousands of articles: walk the dates from each end, the first article that mentions
        # them ends the walk (their article set is too big to gather and sort).
        ends = []
        for order in ("", "DESC"):
            rows = await self._rows(
                f"""SELECT published FROM articles INDEXED BY articles_published WHERE published IS NOT NULL
                    AND EXISTS (SELECT 1 FROM mentions m WHERE m.actor_id = ? AND m.article_id = articles.id)
                    ORDER BY published {order} LIMIT 1""",
                (actor_id,),
            )
            ends.append(rows[0][0] if rows else None)
        return ends[0], ends[1]

    async def quotes(
        self,
        *,
        actor_ids: list[int] | None = None,
        speaker_words: str | None = None,
        words: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        limit: int = 10,
    ) -> list[QuoteHit]:
        """Quotes by speaker (actors, or words of an unnamed speaker's description), words in the quote
        (full-text), publication date range, or any mix; latest first."""
        where, params = [], []
        if speaker_words:
            actor_ids = None
        elif actor_ids is not None:
            where.append("q.actor_id IN (SELECT value FROM json_each(?))")
            params.append(json.dumps(actor_ids))
        for column, text in (("speaker", speaker_words), ("text", words)):
            if not text:
                continue
            terms = fts.query_terms(text)
            if not terms:
                return []
            where.append("q.id IN (SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH ?)")
            params.append(" AND ".join(f"{column} : {t}" for t in terms))
        if date_from:
            where.append("ar.published >= ?")
            params.append(date_from)
        if date_to:
            where.append("ar.published <= ?")
            params.append(date_to)
        rows = await self._rows(
            f"""SELECT q.id, q.text, q.speaker, q.actor_id, q.cue, q.partial, {_ARTICLE_REF}
                FROM quotes q JOIN articles ar ON ar.id = q.article_id
                WHERE {" AND ".join(where) or "1"}
                ORDER BY ar.published DESC, q.article_id DESC, q.start LIMIT ?""",
            (*params, limit),
        )
        return [_quote_hit(r) for r in rows]

    # ---- timelines and summaries -----------------------------------------------------------------------

    async def timeline_candidates(
        self,
        *,
        topic: str | None = None,
        topic_actor_ids: list[int] | None = None,
        actor_ids: list[int] | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        limit: int = 2000,
    ) -> list[EventCandidate]:
        """The events a timeline may show, the latest reported first: of a topic (its words in the event's
        sentence, or one of `topic_actor_ids` in the event), of actors, within a date range, or a mix."""
        where, params = [], []
        if topic:
            terms = fts.query_terms(topic)
            if not terms and not topic_actor_ids:
                return []
            clauses = []
            if terms:
                match = fts.all_of(terms)
                # A topic in most of the archive ("said") is drawn from its latest mentions (see _broad_floor).
                total = await self._scalar("SELECT count(*) FROM events_fts WHERE events_fts MATCH ?", (match,))
                floor = await self._broad_floor("events_fts", total, BROAD_TIMELINE)
                words = "e.id IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ? AND rowid >= ?)"
                params += [match, floor]
                if topic_actor_ids:
                    # The words are no match when they are the topic's actor named in another clause than the
                    # event's date ("in 1998 Apple introduced the iMac, in 2001 the iPod": 1998 is not the iPod's).
                    words += """ AND NOT EXISTS (SELECT 1 FROM event_sources s JOIN mentions m
                        ON m.article_id = s.article_id AND m.sentence = s.sentence
                        WHERE s.event_id = e.id AND m.actor_id IN (SELECT value FROM json_each(?)))"""
                    params.append(json.dumps(topic_actor_ids))
                clauses.append(words)
            if topic_actor_ids:
                clauses.append(
                    "e.id IN (SELECT event_id FROM event_actors WHERE actor_id IN (SELECT value FROM json_each(?)))"
                )
                params.append(json.dumps(topic_actor_ids))
            where.append(f"({' OR '.join(clauses)})")
        if actor_ids is not None:
            where.append(
                "e.id IN (SELECT event_id FROM event_actors WHERE actor_id IN (SELECT value FROM json_each(?)))"
            )
            params.append(json.dumps(actor_ids))
        if date_from:
            where.append("e.last >= ?")
            params.append(date_from)
        if date_to:
            where.append("e.first <= ?")
            params.append(date_to)
        rows = await self._rows(
            f"""SELECT e.id, e.value, e.granularity, e.first, e.last, e.certainty, e.status FROM events e
                WHERE {" AND ".join(where) or "1"} ORDER BY e.id DESC LIMIT ?""",
            (*params, limit),
        )
        # What each is weighed by, for all of them in one pass over their sources and one over their actors.
        ids = json.dumps([r[0] for r in rows])
        sources = {
            r[0]: r[1:]
            for r in await self._rows(
                """SELECT s.event_id, json_group_array(DISTINCT s.article_id), max(ar.published), max(s.sentence = -1)
                   FROM event_sources s JOIN articles ar ON ar.id = s.article_id
                   WHERE s.event_id IN (SELECT value FROM json_each(?)) GROUP BY s.event_id""",
                (ids,),
            )
        }
        # Whether an actor asked for (or one the topic names) is what the event's sentence is about.
        asked = json.dumps((actor_ids or []) + (topic_actor_ids or []))
        actors = {
            r[0]: r[1:]
            for r in await self._rows(
                """SELECT event_id, count(DISTINCT actor_id),
                          max(central AND actor_id IN (SELECT value FROM json_each(?)))
                   FROM event_actors WHERE event_id IN (SELECT value FROM json_each(?)) GROUP BY event_id""",
                (asked, ids),
            )
        }
        candidates = []
        for r in rows:
            articles, published, headline = sources.get(r[0], ("[]", None, 0))
            count, central = actors.get(r[0], (0, 0))
            candidates.append(
                EventCandidate(*r, tuple(json.loads(articles)), published, bool(headline), count, bool(central))
            )
        return candidates

    async def events(self, event_ids: list[int]) -> list[TimelineEvent]:
        """The events, in the order asked, with their sources and actors."""
        rows = await self._rows(
            f"SELECT {_EVENT} FROM events e WHERE e.id IN (SELECT value FROM json_each(?))",
            (json.dumps(event_ids),),
        )
        by_id = {row[0]: row for row in rows}
        return await self._complete_events([by_id[i] for i in event_ids if i in by_id])

    async def event_passages(self, event_ids: list[int]) -> dict[int, list[tuple[ArticleRef, str]]]:
        """Each event's sources with the sentence each reports it in (a headline for sentence -1)."""
        found: dict[int, list[tuple[ArticleRef, str]]] = {}
        for row in await self._rows(
            f"""SELECT es.event_id, {_ARTICLE_REF},
                       coalesce(trim(substr(ar.body, s.start + 1, s.end - s.start)), ar.title)
                FROM event_sources es JOIN articles ar ON ar.id = es.article_id
                LEFT JOIN sentences s ON s.article_id = es.article_id AND s.idx = es.sentence
                WHERE es.event_id IN (SELECT value FROM json_each(?)) ORDER BY es.event_id, ar.published, ar.id""",
            (json.dumps(event_ids),),
        ):
            found.setdefault(row[0], []).append((ArticleRef(*row[1:-1]), row[-1]))
        return found

    async def _complete_events(self, rows: list[sqlite3.Row]) -> list[TimelineEvent]:
        """Events from rows of `_EVENT`, with sources and actors (two queries for all of them, not two per
        event)."""
        ids = json.dumps([row[0] for row in rows])
        sources: dict[int, list[ArticleRef]] = {}
        for r in await self._rows(
            f"""SELECT DISTINCT s.event_id, {_ARTICLE_REF} FROM event_sources s JOIN articles ar ON ar.id = s.article_id
                WHERE s.event_id IN (SELECT value FROM json_each(?)) ORDER BY s.event_id, ar.published, ar.id""",
            (ids,),
        ):
            sources.setdefault(r[0], []).append(ArticleRef(*r[1:]))
        actors: dict[int, list[str]] = {}
        for r in await self._rows(
            # CROSS JOIN: the events' actors first; left to choose, SQLite walks every person and organisation.
            """SELECT DISTINCT ea.event_id, a.name FROM event_actors ea CROSS JOIN actors a ON a.id = ea.actor_id
               WHERE ea.event_id IN (SELECT value FROM json_each(?)) AND a.kind IN ('person', 'organization')
               ORDER BY ea.event_id, a.name""",
            (ids,),
        ):
            actors.setdefault(r[0], []).append(r[1])
        return [
            TimelineEvent(*row[:7], sources=sources.get(row[0], []), actors=actors.get(row[0], []), status=row[7])
            for row in rows
        ]

    async def _events_of_new(self, window: tuple[int, int], condition: str, today: str, limit: int = 5):
        # `condition` is one of briefing_content's own SQL literals; the values are parameters.
        rows = await self._rows(
            f"""SELECT {_EVENT} FROM events e
                WHERE e.id IN (SELECT event_id FROM event_sources WHERE article_id > ? AND article_id <= ?)
                AND e.granularity IN ('day', 'weekend', 'week', 'month') AND e.certainty != 'reported'
                AND {condition}
                ORDER BY e.first, e.id LIMIT ?""",
            (*window, *([today] * condition.count("?")), limit),
        )
        return await self._complete_events(rows)

    async def _quotes_by_id(self, ids: list[int]) -> list[QuoteHit]:
        rows = await self._rows(
            f"""SELECT q.id, q.text, q.speaker, q.actor_id, q.cue, q.partial, {_ARTICLE_REF}
                FROM quotes q JOIN articles ar ON ar.id = q.article_id
                WHERE q.id IN (SELECT value FROM json_each(?))""",
            (json.dumps(ids),),
        )
        return [_quote_hit(r) for r in rows]

    async def article_sentences(self, article_id: int) -> list[tuple[str, float]]:
        """An article's sentences in reading order, with their importance."""
        rows = await self._rows(
            """SELECT substr(a.body, s.start + 1, s.end - s.start), s.score FROM sentences s
               JOIN articles a ON a.id = s.article_id WHERE s.article_id = ? ORDER BY s.idx""",
            (article_id,),
        )
        return [(text.strip(), score) for text, score in rows]

    async def article_choices(self, text: str, limit: int = 25) -> list[ArticleRef]:
        """Articles for a picker: by number, or titles with words starting as typed; the latest when empty."""
        text = text.strip()
        picked: list[ArticleRef] = []
        if text.isdecimal() and text.isascii() and len(text) < 19 and (ref := await self.article_ref(int(text))):
            picked.append(ref)
        words = re.findall(r"\w+", text)[: fts.MAX_TERMS]
        long = [w for w in words if len(w) >= 3]  # trigrams need three characters
        if long:
            rows = await self._rows(
                f"""SELECT {_ARTICLE_REF} FROM article_titles_fts t JOIN articles ar ON ar.id = t.rowid
                    WHERE article_titles_fts MATCH ? ORDER BY rank LIMIT ?""",
                (" AND ".join(f'"{w}"' for w in long), limit),
            )
        elif words:
            rows = await self._rows(
                f"""SELECT {_ARTICLE_REF} FROM articles ar WHERE ar.title LIKE ? ESCAPE '\\'
                    ORDER BY ar.published DESC, ar.id DESC LIMIT ?""",
                (_like_escape(text) + "%", limit),
            )
        else:
            rows = await self._rows(
                f"SELECT {_ARTICLE_REF} FROM articles ar ORDER BY ar.published DESC, ar.id DESC LIMIT ?", (limit,)
            )
        picked += [ArticleRef(*r) for r in rows if not picked or r[0] != picked[0].id]
        return picked[:limit]

    async def article_ref(self, article_id: int) -> ArticleRef | None:
        rows = await self._rows(f"SELECT {_ARTICLE_REF} FROM articles ar WHERE ar.id = ?", (article_id,))
        return ArticleRef(*rows[0]) if rows else None

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

    async def backup(self, target: Path) -> int:
        """A consistent copy of the database at `target` (a new file), taken while others read and write;
        returns its size in bytes. VACUUM INTO writes a compact copy as of one moment, into a temporary file
        beside the target (`<target>.partial-<pid>`) that becomes the target only once complete: a failed or
        killed backup never leaves a file by the target's name. The next backup to that name removes what a
        killed one left."""
        target = Path(target)
        if target.exists():
            raise ArchiveError(f"{target} already exists; give the backup a new file name")
        if not target.parent.is_dir():
            raise ArchiveError(f"the folder {target.parent} does not exist; create it, or back up to another place")
        partial = target.with_name(f"{target.name}{PARTIAL}{os.getpid()}")
        try:
            _remove_stale_partials(target)
            async with self._db_lock:  # VACUUM cannot run inside another coroutine's open transaction
                vacuum = asyncio.ensure_future(self._db.execute("VACUUM INTO ?", (str(partial),)))
                try:
                    await asyncio.shield(vacuum)
                except asyncio.CancelledError:  # Ctrl-C: stop the copy, and wait for it to stop before cleaning up
                    await self._db.interrupt()
                    await asyncio.wait([vacuum])
                    raise
            await asyncio.to_thread(_publish, partial, target)
        except sqlite3.Error as exc:
            raise ArchiveError(_backup_problem(exc, self.path, target)) from exc
        except FileExistsError as exc:
            raise ArchiveError(f"{target} already exists; give the backup a new file name") from exc
        except OSError as exc:
            raise ArchiveError(_backup_os_problem(exc, target)) from exc
        finally:
            for leftover in (partial, Path(f"{partial}-journal")):  # VACUUM INTO keeps a journal beside its copy
                with contextlib.suppress(OSError):
                    leftover.unlink(missing_ok=True)
        return target.stat().st_size

    # ---- the bot's own state -----------------------------------------------------------------------------

    async def get_state(self, key: str) -> str | None:
        rows = await self._rows("SELECT value FROM bot_state WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    async def set_state(self, key: str, value: str) -> None:
        await self._execute(
            "INSERT INTO bot_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    # ---- daily briefings --------------------------------------------------------------------------------

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

    @classmethod
    async def check_file(cls, path: Path) -> list[str]:
        """What is wrong with the database file at `path` (empty when nothing is): `integrity_problems` when the
        archive opens, else what SQLite's own check of the bare file finds, else why the file cannot be read."""
        path = Path(path)
        if not path.exists():
            raise ArchiveError(f"there is no database at {path}; set DATABASE_PATH to the archive's file")
        try:
            archive = await cls.open(path)
        except ArchiveError as exc:
            cause = sqlite_error_in(exc)
            if cause is None:
                raise  # not Newsdesk's, or newer: nothing SQLite would call damage
            try:
                found = await asyncio.to_thread(_sqlite_check, path)
            except sqlite3.Error as again:
                if error_kind(sqlite_error_in(again) or again) not in (DAMAGED, NOT_A_DATABASE):
                    raise exc from again  # it cannot be read (a read-only folder, a lock): say that, once
                return [f"the archive does not open: {cause}", f"nor can SQLite check it: {again}"]
            if error_kind(cause) in (DAMAGED, NOT_A_DATABASE):
                return [f"the archive does not open: {cause}", *found]
            if found:
                return found
            raise  # the file is whole, but cannot be used as it is (read-only, locked): the message says why
        async with archive:
            return await archive.integrity_problems()

    async def quick_problems(self) -> list[str]:
        """SQLite's quick check: every page of the file readable and well formed (not whether each index agrees
        with its table). It reads the whole file, about a second a gigabyte; empty when all is well."""
        return _integrity_lines(await self._rows("PRAGMA quick_check"))

    async def integrity_problems(self) -> list[str]:
        """What SQLite's own checks and the archive's invariants find wrong (empty when all is well). Damage
        that stops a check is one of the problems, never an exception."""
        problems = await asyncio.to_thread(_sqlite_check, self.path)
        if problems:
            return problems  # the archive's own checks would read the damage again, or count what it lost
        try:
            await self._execute("INSERT INTO articles_fts (articles_fts) VALUES ('integrity-check')")
        except sqlite3.DatabaseError as exc:
            problems.append(f"full-text index: {exc}")
        try:
            problems += await self._invariant_problems()
        except sqlite3.DatabaseError as exc:
            problems.append(f"the archive's own checks failed: {exc}")
        return problems

    async def _invariant_problems(self) -> list[str]:
        problems: list[str] = []
        orphans = await self._scalar(
            "SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM files f WHERE f.article_id = a.id)"
        )
        if orphans:
            problems.append(f"{orphans} article(s) with no file")
        ownerless = await self._scalar(
            """SELECT count(*) FROM files d WHERE d.status = 'duplicate' AND NOT EXISTS
               (SELECT 1 FROM files o WHERE o.article_id = d.article_id AND o.status = 'ok')"""
        )
        if ownerless:
            problems.append(f"{ownerless} duplicate file(s) whose article has no owner")
        for what, sql in (
            ("actor(s) no article mentions", "SELECT count(*) FROM actors a WHERE NOT EXISTS "
             "(SELECT 1 FROM mentions m WHERE m.actor_id = a.id)"),
            ("event(s) with no source", "SELECT count(*) FROM events e WHERE NOT EXISTS "
             "(SELECT 1 FROM event_sources s WHERE s.event_id = e.id)"),
            ("actor(s) with wrong counts", "SELECT count(*) FROM actors a WHERE mention_count != "
             "(SELECT count(*) FROM mentions m WHERE m.actor_id = a.id) OR article_count != "
             "(SELECT count(DISTINCT article_id) FROM mentions m WHERE m.actor_id = a.id)"),
        ):  # fmt: skip
            if count := await self._scalar(sql):
                problems.append(f"{count} {what}")
        return problems

"""Checks of the database file (a part of `Archive`): SQLite's integrity and foreign key checks, and the
archive's own invariants."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from bot.archive.errors import (
    CANNOT_OPEN,
    DAMAGED,
    NOT_A_DATABASE,
    READ_ONLY,
    ArchiveError,
    error_kind,
    sqlite_error_in,
)


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


class IntegrityChecks:
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

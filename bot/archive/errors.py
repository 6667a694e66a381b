"""SQLite errors in words: what went wrong with the database file, and what to do about it, in one line."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

DAMAGED, NOT_A_DATABASE, FULL, IO, READ_ONLY, CANNOT_OPEN, LOCKED, OTHER = (
    "damaged", "not a database", "full", "io", "read-only", "cannot open", "locked", "other"
)  # fmt: skip

CHECK_AND_RESTORE = "`newsdesk check` shows what is wrong; restore a backup made by `newsdesk backup`"


class ArchiveError(Exception):
    """The database cannot be used; the message says why and what to do."""


def error_kind(exc: sqlite3.Error) -> str:
    """What went wrong, by SQLite's (primary) result code; by its words where the code is missing."""
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF  # an extended code keeps its primary code in the low byte
    text = str(exc).lower()
    if code == sqlite3.SQLITE_NOTADB or "file is not a database" in text:
        return NOT_A_DATABASE
    if code == sqlite3.SQLITE_CORRUPT or "malformed" in text:
        return DAMAGED
    if code == sqlite3.SQLITE_FULL or "disk is full" in text:
        return FULL
    if code == sqlite3.SQLITE_IOERR or "disk i/o error" in text:
        return IO
    if code == sqlite3.SQLITE_READONLY or "readonly database" in text:
        return READ_ONLY
    if code in (sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM) or "unable to open database file" in text:
        return CANNOT_OPEN
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or "database is locked" in text:
        return LOCKED
    return OTHER


def sqlite_error_in(exc: BaseException) -> sqlite3.Error | None:
    """The SQLite error behind `exc`: itself, what it was raised from, or what it was raised while handling.
    A failed ROLLBACK ("no transaction is active") after a failed write says less than the write's own error,
    so an error of a known kind is preferred to one of none along the chain."""
    found: list[sqlite3.Error] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, sqlite3.Error):
            found.append(current)
        current = current.__cause__ or current.__context__
    return next((e for e in found if error_kind(e) != OTHER), found[0] if found else None)


def _user() -> str:
    try:
        import pwd

        return pwd.getpwuid(os.geteuid()).pw_name
    except (ImportError, KeyError, OSError):
        return f"uid {os.geteuid()}" if hasattr(os, "geteuid") else "this user"


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK)


def _size_limit() -> int | None:
    """The largest file this process may write (RLIMIT_FSIZE, `ulimit -f`), None when unlimited."""
    try:
        import resource

        soft = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
    except (ImportError, OSError, ValueError):
        return None
    return None if soft == resource.RLIM_INFINITY else soft


def _nearly_full(folder: Path) -> bool:
    try:
        import shutil

        usage = shutil.disk_usage(folder)
    except OSError:
        return False
    return usage.free < max(16 * 1024 * 1024, usage.total // 200)  # under 16 MB or 0.5 % left


def _full_disk(folder: Path, detail: str) -> str:
    return (
        f"the disk holding {folder} is full ({detail}); free some space on it (`df -h {folder}` shows what is "
        "left), then run the command again: what was stored before is safe"
    )


def _io_error(path: Path, detail: str) -> str:
    folder = path.parent
    limit = _size_limit()
    if limit is not None:
        return (
            f"writing {path} failed ({detail}): this process may not write files past {limit:,} bytes "
            "(RLIMIT_FSIZE, `ulimit -f`); raise that limit, then run the command again"
        )
    if _nearly_full(folder):
        return _full_disk(folder, detail)
    return (
        f"reading or writing {path} failed ({detail}): the disk may be failing or gone (an unplugged drive, a "
        f"lost network share); see the system log and `df -h {folder}`, then run `newsdesk check`"
    )


def _not_writable(path: Path, detail: str) -> str:
    folder, user = path.parent, _user()
    if not _writable(folder):
        return (
            f"the folder {folder} is read-only for user {user} ({detail}); Newsdesk writes the database and its "
            f"-wal and -shm files there: make the folder writable for {user} (chown or chmod it, or mount its "
            "volume read-write)"
        )
    if path.exists() and not _writable(path):
        return (
            f"the database file {path} is read-only for user {user} ({detail}); give {user} write permission "
            f"on it (chown or chmod u+w {path}), or mount its volume read-write"
        )
    return (
        f"the database {path} cannot be written by user {user} ({detail}): the file, its -wal or -shm files "
        "or its folder is read-only; fix their owner or permissions (chown, chmod), or mount the volume read-write"
    )


def damaged(path: Path, detail: str) -> str:
    """What to say of a damaged database file, whoever found the damage."""
    return (
        f"the database file {path} is damaged ({detail}); {CHECK_AND_RESTORE} (stop Newsdesk, then copy the "
        "backup over the file)"
    )


def explain_error(exc: BaseException, path: Path) -> str | None:
    """One line for the person running Newsdesk: what an SQLite error (anywhere in `exc`'s chain) means for the
    database at `path`, and what to do about it; None when no SQLite error is behind `exc`."""
    error = sqlite_error_in(exc)
    if error is None:
        return None
    path, detail = Path(path), str(error)
    kind = error_kind(error)
    if kind == NOT_A_DATABASE:
        return (
            f"{path} is not a usable SQLite database ({detail}): it is damaged, or not a database at all; "
            f"{CHECK_AND_RESTORE} over it, or point DATABASE_PATH at another file"
        )
    if kind == DAMAGED:
        return damaged(path, detail)
    if kind == FULL:
        return _full_disk(path.parent, detail)
    if kind == IO:
        return _io_error(path, detail)
    if kind == READ_ONLY:
        return _not_writable(path, detail)
    if kind == CANNOT_OPEN:
        if path.is_dir():
            return f"DATABASE_PATH {path} is a folder ({detail}); point it at a file, e.g. {path / 'newsdesk.db'}"
        if not path.parent.is_dir():
            return f"the folder {path.parent} of DATABASE_PATH does not exist ({detail}); create it first"
        if not _writable(path.parent) or (path.exists() and not _writable(path)):
            return _not_writable(path, detail)
        return (
            f"cannot open the database file {path} ({detail}); check that user {_user()} may read and write it "
            "and its folder"
        )
    if kind == LOCKED:
        return (
            f"the database {path} is locked ({detail}): another process (an ingest, a backup or the bot) is "
            "writing it; try again when it has finished"
        )
    return f"the database {path} failed ({detail}); if it happens again, `newsdesk check` tests the file for damage"

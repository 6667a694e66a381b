"""Backups (a part of `Archive`) that never leave a partial copy at the target name: written beside it, published
whole."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import glob
import os
import re
import sqlite3
from pathlib import Path

from bot.archive.errors import (
    CANNOT_OPEN,
    DAMAGED,
    FULL,
    IO,
    LOCKED,
    NOT_A_DATABASE,
    READ_ONLY,
    ArchiveError,
    _io_error,
    _nearly_full,
    _not_writable,
    _size_limit,
    error_kind,
    explain_error,
    sqlite_error_in,
)

PARTIAL = ".partial-"  # a backup being written: <target>.partial-<pid>


def _remove_stale_partials(target: Path) -> None:
    """Remove what killed backups to `target` left (their process is gone); a live one's file is left alone."""
    for leftover in target.parent.glob(glob.escape(target.name) + PARTIAL + "*"):
        found = re.fullmatch(r"\.partial-(\d+)(-journal)?", leftover.name[len(target.name) :])
        if found and not _alive(int(found[1])):
            with contextlib.suppress(OSError):
                leftover.unlink()


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # ours, from an earlier process of the same number: this process starts it anew
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process: alive
    return True


def _publish(partial: Path, target: Path) -> None:
    """Make the complete copy at `partial` the file `target`, durably, never over an existing file."""
    with open(partial, "rb") as copy:
        os.fsync(copy.fileno())  # VACUUM INTO does not sync what it writes
    try:
        os.link(partial, target)  # fails if the target exists: a backup never replaces a file
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links
        if target.exists():
            raise FileExistsError(str(target)) from None
        os.rename(partial, target)
    else:
        partial.unlink()
    with contextlib.suppress(OSError):  # the new name, durable too
        folder = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def _backup_problem(exc: sqlite3.Error, source: Path, target: Path) -> str:
    kind = error_kind(sqlite_error_in(exc) or exc)
    if kind in (DAMAGED, NOT_A_DATABASE, LOCKED):  # the database being copied
        return explain_error(exc, source)
    detail, folder = str(exc), target.parent
    if kind == FULL or (kind == IO and _size_limit() is None and _nearly_full(folder)):
        return (
            f"cannot write the backup to {target}: the disk holding {folder} is full ({detail}); free some space "
            "on it, or back up to another disk; no partial copy was left behind"
        )
    if kind == IO:
        return f"cannot write the backup to {target}: {_io_error(target, detail)}"
    if kind in (READ_ONLY, CANNOT_OPEN):
        return f"cannot write the backup to {target}: {_not_writable(target, detail)}"
    return f"cannot write the backup to {target} ({detail}); no partial copy was left behind"


def _backup_os_problem(exc: OSError, target: Path) -> str:
    detail = exc.strerror or str(exc)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return (
            f"cannot write the backup to {target}: the disk holding {target.parent} is full ({detail}); free some "
            "space on it, or back up to another disk"
        )
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return f"cannot write the backup to {target}: {_not_writable(target, detail)}"
    return f"cannot write the backup to {target}: {detail}"


class Backups:
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

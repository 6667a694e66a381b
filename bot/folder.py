"""The archive folder: what is in it, and reading its files without ever leaving it.

The scan lists every article file below the folder (hidden names aside): text files (*.txt), saved web pages
(*.html, *.htm) and exports that hold many articles (*.jsonl, *.ndjson, *.csv, *.warc, *.warc.gz; the folder's
own metadata.csv is not one). Links are followed only while they stay
inside the folder, for files and folders alike; a link that leaves it, a broken link, a FIFO, a device, a name
that is not UTF-8 and a path too long to open are refused, each with its reason, so the report names them.
Opening checks again, on the open file itself: a FIFO or a link swapped in after the scan is refused, not waited on.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from bot.textfile import Unreadable

ARTICLE_SUFFIX = ".txt"
PAGE_SUFFIXES = (".html", ".htm")
CONTAINER_SUFFIXES = (".jsonl", ".ndjson", ".csv", ".warc", ".warc.gz")
SUFFIXES = (ARTICLE_SUFFIX, *PAGE_SUFFIXES, *CONTAINER_SUFFIXES)
METADATA_FILE = "metadata.csv"


def kind_of(path: str) -> str:
    """text, page or container, by the file's name."""
    name = path.lower()
    if name.endswith(PAGE_SUFFIXES):
        return "page"
    if name.endswith(CONTAINER_SUFFIXES):
        return "container"
    return "text"


@dataclass(frozen=True)
class Entry:
    """One article file found by the scan: `path` is its name in the archive (the key it is stored under),
    `real` the file to open; `refusal` says why it is not read at all."""

    path: str
    size: int
    mtime_ns: int
    real: str
    refusal: str | None = None


def display_path(path: str) -> str:
    """A path that can be stored and printed: bytes that are not UTF-8 shown as \\xNN escapes."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def inside(root: Path, real: str) -> bool:
    return real == str(root) or real.startswith(str(root) + os.sep)


def scan(root: Path) -> list[Entry]:
    """Every article file below `root` (a resolved folder), in a stable order."""
    found: list[Entry] = []
    visited: set[tuple[int, int]] = set()

    def refuse(path: str, reason: str, st: os.stat_result | None = None) -> None:
        size, mtime = (st.st_size, st.st_mtime_ns) if st else (-1, -1)
        found.append(Entry(display_path(path), size, mtime, path, reason))

    def walk_error(exc: OSError) -> None:
        if exc.filename and os.path.abspath(exc.filename) != str(root):
            refuse(os.fsdecode(exc.filename), f"folder not read: {_why(exc)}")

    for dirpath, dirnames, filenames in os.walk(root, followlinks=True, onerror=walk_error):
        try:
            here = os.stat(dirpath)
        except OSError as exc:
            refuse(dirpath, f"folder not read: {_why(exc)}")
            dirnames[:] = []
            continue
        if (here.st_dev, here.st_ino) in visited:  # reached again through a link: its files are listed once
            dirnames[:] = []
            continue
        visited.add((here.st_dev, here.st_ino))
        keep = []
        for name in sorted(d for d in dirnames if not d.startswith(".")):
            path = os.path.join(dirpath, name)
            target = os.path.realpath(path)
            if os.path.islink(path) and not inside(root, target):
                refuse(path, f"a link to a folder outside the archive ({display_path(target)}); not read")
            else:
                keep.append(name)
        dirnames[:] = keep
        for name in sorted(filenames):
            if name.startswith(".") or not name.lower().endswith(SUFFIXES):
                continue
            if name.lower() == METADATA_FILE and os.path.samefile(dirpath, root):
                continue  # the archive's table of dates and sources, not an export of articles
            found.append(_entry(root, os.path.join(dirpath, name)))
    return found


def _entry(root: Path, path: str) -> Entry:
    shown = display_path(path)
    if shown != path:
        return Entry(shown, -1, -1, path, "its name (or a folder's above it) is not valid UTF-8; rename it to read it")
    try:
        st = os.lstat(path)
        real = os.path.realpath(path) if stat.S_ISLNK(st.st_mode) else path
        if real != path:
            if not os.path.exists(path):
                return Entry(path, -1, -1, path, "a broken link (its target does not exist)")
            if not inside(root, real):
                return Entry(path, st.st_size, st.st_mtime_ns, path, "a link to a file outside the archive; not read")
            st = os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ENOENT:
            return Entry(path, -1, -1, path, "a broken link (its target does not exist)")
        return Entry(path, -1, -1, path, f"cannot be read: {_why(exc)}")
    if not stat.S_ISREG(st.st_mode):
        return Entry(path, st.st_size, st.st_mtime_ns, path, f"{_kind(st.st_mode)}, not a file; not read")
    return Entry(path, st.st_size, st.st_mtime_ns, real)


def read_file(real: str, root: str, max_bytes: int) -> bytes:
    """The bytes of a file found by the scan, at most `max_bytes`, refusing anything that is no longer a regular
    file inside the archive. Never blocks on a FIFO swapped in after the scan (opened non-blocking)."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(real, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise Unreadable("refused", "became a link after the scan; not read") from exc
        raise Unreadable("unreadable", _why(exc)) from exc
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise Unreadable("refused", f"{_kind(st.st_mode)}, not a file; not read")
        opened = _opened_path(fd)
        if opened is not None and not inside(Path(root), opened):
            raise Unreadable("refused", "resolves outside the archive; not read")
        if st.st_size > max_bytes:
            limit = f"{st.st_size:,} bytes is over the limit of {max_bytes:,} (MAX_ARTICLE_BYTES)"
            raise Unreadable("oversized", limit)
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=True) as handle:
            fd = -1
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise Unreadable("unreadable", _why(exc)) from exc
    finally:
        if fd >= 0:
            os.close(fd)
    if len(data) > max_bytes:  # grew while we read it
        raise Unreadable("oversized", f"over the limit of {max_bytes:,} bytes (MAX_ARTICLE_BYTES)")
    return data


def _opened_path(fd: int) -> str | None:
    try:
        return os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return None  # no /proc: the scan's check stands


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "a special file"


def _why(exc: OSError) -> str:
    if exc.errno == errno.ENAMETOOLONG:
        return "the path is longer than the system allows; move it higher up or shorten its names"
    return exc.strerror or str(exc)

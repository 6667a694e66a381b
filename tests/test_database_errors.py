"""What the terminal says when the database cannot be used: a damaged file, a full disk, a read-only folder, a
lock; backups that fail or are killed; SIGTERM and Ctrl-C. Every failure here is produced for real where the
machine allows it (damaged pages, a tiny tmpfs, a read-only bind mount, RLIMIT_FSIZE, SIGKILL)."""

from __future__ import annotations

import os
import resource
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.archive import Archive, explain_error
from tests.conftest import REPO, ingest
from tests.test_cli import newsdesk


def one_line_failure(result: subprocess.CompletedProcess, *words: str) -> str:
    """The run failed with one line on stderr, no traceback, saying `words`; the line."""
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.replace("\r", "\n").splitlines() if line.startswith("newsdesk:")]
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def articles(folder: Path, count: int = 12) -> Path:
    folder.mkdir()
    for i in range(count):
        body = f"Report {i} on the referendum vote in Erbil. Masoud Barzani said the vote would go ahead. " * 20
        (folder / f"{i:03}.txt").write_text(f"Story {i} about the vote\n\n{body}\n")
    return folder


def broken_links(folder: Path, count: int) -> Path:
    """Files the ingest stores (as skipped) without reading them: writes to the database with no model loaded."""
    folder.mkdir()
    for i in range(count):
        (folder / f"link{i:05}.txt").symlink_to(folder / "nowhere" / str(i))
    return folder


@pytest.fixture
async def small_db(tmp_path) -> tuple[Path, Path]:
    """A closed archive of a few small articles (no -wal file left), and their folder."""
    folder = articles(tmp_path / "articles")
    db = tmp_path / "data" / "n.db"
    async with await Archive.open(db) as archive:
        await ingest(archive, folder)
    assert not Path(f"{db}-wal").exists()
    return db, folder


def damage(db: Path, tables: set[str] | None = None) -> int:
    """Write garbage over every page of `tables` (all but the schema when None); returns how many pages."""
    con = sqlite3.connect(db)
    try:
        page_size = con.execute("PRAGMA page_size").fetchone()[0]
        rows = con.execute("SELECT name, pageno FROM dbstat").fetchall()
    except sqlite3.OperationalError:
        pytest.skip("this SQLite has no dbstat table to find the pages by")
    finally:
        con.close()
    schema = {page for name, page in rows if name == "sqlite_schema"}
    pages = sorted({p for name, p in rows if p not in schema and (tables is None or name in tables)})
    with open(db, "r+b") as file:
        for page in pages:
            file.seek((page - 1) * page_size)
            file.write(bytes([0xA5]) * page_size)
    return len(pages)


# ---- a damaged file ---------------------------------------------------------------------------------------


async def test_every_command_on_a_damaged_file_says_so_in_one_line(small_db, tmp_path):
    db, folder = small_db
    assert damage(db) > 10
    for command in (
        ["stats"],
        ["search", "vote"],
        ["actor", "Barzani"],
        ["summary", "1"],
        ["summary", "vote"],
        ["quotes", "--speaker", "Barzani"],
        ["timeline", "vote"],
        ["briefing"],
        ["ingest", str(folder)],
        ["backup", str(tmp_path / "copy.db")],
    ):
        result = newsdesk(*command, cwd=tmp_path, DATABASE_PATH=str(db))
        line = one_line_failure(result, "damaged", "`newsdesk check`", "`newsdesk backup`")
        assert "try again" not in line, command
        assert "Ingested" not in result.stdout
    assert not (tmp_path / "copy.db").exists()
    check = newsdesk("check", cwd=tmp_path, DATABASE_PATH=str(db))
    assert check.returncode == 1 and "Traceback" not in check.stderr
    assert check.stdout.strip() and check.stdout.strip() != "ok"
    one_line_failure(check, "`newsdesk check` found", "`newsdesk backup`")


async def test_an_ingest_that_changes_nothing_still_notices_damage(small_db, tmp_path):
    """Every file unchanged: the run writes nothing, and once reported success on a damaged file."""
    db, folder = small_db
    damage(db, {"articles"})
    result = newsdesk("ingest", str(folder), cwd=tmp_path, DATABASE_PATH=str(db))
    one_line_failure(result, "damaged", "`newsdesk check`")
    assert "Ingested" not in result.stdout
    check = newsdesk("check", cwd=tmp_path, DATABASE_PATH=str(db))
    assert check.returncode == 1 and "table articles:" in check.stdout and "Traceback" not in check.stderr


async def test_check_says_ok_for_a_whole_file_and_garbage_is_not_a_database(small_db, tmp_path):
    db, _ = small_db
    done = newsdesk("check", cwd=tmp_path, DATABASE_PATH=str(db))
    assert (done.returncode, done.stdout.strip(), done.stderr) == (0, "ok", "")
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not a database at all" * 200)
    for command in (["stats"], ["check"]):
        result = newsdesk(*command, cwd=tmp_path, DATABASE_PATH=str(garbage))
        one_line_failure(result, "`newsdesk check`", "`newsdesk backup`")
    missing = newsdesk("check", cwd=tmp_path, DATABASE_PATH=str(tmp_path / "none.db"))
    one_line_failure(missing, "no database at")
    assert not (tmp_path / "none.db").exists()


def test_an_error_in_the_ingest_writer_thread_arrives_as_one_line(tmp_path, monkeypatch, capsys):
    """The ingest's batches are written by BatchWriter on a thread of its own: its errors reach the terminal
    as the one line too, not as a traceback nor as success."""
    from bot import cli
    from bot.archive.writer import BatchWriter

    def broken(self, items, stamp):
        raise sqlite3.DatabaseError("database disk image is malformed")

    monkeypatch.setattr(BatchWriter, "store_batch", broken)
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "n.db"))
    monkeypatch.setenv("LOG_LEVEL", "WARNING")
    assert cli.main(["ingest", str(broken_links(tmp_path / "links", 5))]) == 1
    out, err = capsys.readouterr()
    assert "Ingested" not in out
    assert err.strip().count("\n") == 0 and "is damaged" in err and "`newsdesk check`" in err


# ---- each kind of error, in words ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "says", "never"),
    [
        (sqlite3.DatabaseError("database disk image is malformed"), ["damaged", "`newsdesk check`"], ["try again"]),
        (sqlite3.DatabaseError("file is not a database"), ["`newsdesk check`", "`newsdesk backup`"], ["try again"]),
        (sqlite3.OperationalError("database or disk is full"), ["is full", "free some space"], ["try again"]),
        (
            sqlite3.OperationalError("attempt to write a readonly database"),
            ["read-only", "chmod"],
            ["not a usable SQLite database", "point DATABASE_PATH", "try again"],
        ),
        (sqlite3.OperationalError("database is locked"), ["another process", "try again"], ["damaged"]),
    ],
)
def test_each_sqlite_error_has_its_own_words(tmp_path, error, says, never):
    line = explain_error(error, tmp_path / "n.db")
    assert "\n" not in line
    for word in says:
        assert word in line
    for word in never:
        assert word not in line


def test_a_failed_rollback_does_not_hide_the_error_that_caused_it(tmp_path):
    """SQLite rolls back by itself on a full disk; the ROLLBACK that follows fails, raised while handling."""
    try:
        try:
            raise sqlite3.OperationalError("database or disk is full")
        except sqlite3.Error:
            raise sqlite3.OperationalError("cannot rollback - no transaction is active")  # noqa: B904
    except sqlite3.Error as exc:
        line = explain_error(exc, tmp_path / "n.db")
    assert "is full" in line and "try again" not in line


# ---- a full disk, a size limit, a read-only folder: for real -------------------------------------------------


def _can_unshare() -> bool:
    try:
        probe = subprocess.run(
            ["unshare", "-m", "--propagation", "private", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"],
            capture_output=True,
            timeout=20,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.returncode == 0


own_mounts = pytest.mark.skipif(not _can_unshare(), reason="needs a mount namespace (root, CAP_SYS_ADMIN)")


def in_own_mounts(script: str, **env: str) -> subprocess.CompletedProcess:
    """`script` (sh) in a mount namespace of its own: its mounts vanish with it. $NEWSDESK runs the command."""
    base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_PATH", "ARCHIVE_DIR")}
    base |= {"PYTHONPATH": str(REPO), "NEWSDESK": f"{sys.executable} -m bot", "LOG_LEVEL": "WARNING", **env}
    return subprocess.run(
        ["unshare", "-m", "--propagation", "private", "sh", "-c", script],
        cwd=REPO,
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
    )


@own_mounts
async def test_a_full_disk_says_free_space_and_a_backup_leaves_nothing(small_db, tmp_path):
    db, _ = small_db
    links = broken_links(tmp_path / "links", 3000)
    disk = tmp_path / "disk"
    disk.mkdir()
    size_kb = db.stat().st_size // 1024 + 160  # the database fits; 3000 more rows do not
    result = in_own_mounts(
        f"""mount -t tmpfs -o size={size_kb}k tmpfs {disk} && cp {db} {disk}/n.db &&
        $NEWSDESK ingest {links}; echo "ingest exit $?" >&2
        $NEWSDESK backup {disk}/copy.db; echo "backup exit $?" >&2
        ls -a {disk}""",
        DATABASE_PATH=str(disk / "n.db"),
    )
    assert "Traceback" not in result.stderr, result.stderr
    ingest_line, backup_line = [line for line in result.stderr.splitlines() if line.startswith("newsdesk:")]
    assert "is full" in ingest_line and "free some space" in ingest_line and "try again" not in ingest_line
    assert "cannot write the backup" in backup_line and "is full" in backup_line
    assert "ingest exit 1" in result.stderr and "backup exit 1" in result.stderr
    assert "copy.db" not in result.stdout  # neither the backup nor a partial copy of it


@own_mounts
async def test_a_read_only_folder_is_called_read_only(small_db, tmp_path):
    db, folder = small_db
    folder_of_db = db.parent
    script = f"""mount --bind {folder_of_db} {folder_of_db} && mount -o remount,bind,ro {folder_of_db} &&
        for c in stats "search vote" "ingest {folder}" check; do $NEWSDESK $c; echo "exit $?" >&2; done"""
    result = in_own_mounts(script, DATABASE_PATH=str(db))
    assert "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("newsdesk:")]
    assert len(lines) == 4 and result.stderr.count("exit 1") == 4, result.stderr
    for line in lines:
        assert f"the folder {folder_of_db} is read-only" in line
        assert "not a usable SQLite database" not in line and "point DATABASE_PATH" not in line
        assert "try again" not in line


def _file_size_limit(limit: int):
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write fails (EFBIG) rather than killing the process
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def limited(limit: int, *args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_PATH", "ARCHIVE_DIR")}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env={**base, "PYTHONPATH": str(REPO), "LOG_LEVEL": "WARNING", **env},
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_file_size_limit(limit),
    )


async def test_a_file_size_limit_is_named_and_a_backup_past_it_leaves_no_file(small_db, tmp_path):
    db, _ = small_db
    links = broken_links(tmp_path / "links", 3000)
    target = tmp_path / "backups" / "copy.db"
    target.parent.mkdir()
    limit = db.stat().st_size // 2
    backup = limited(limit, "backup", str(target), cwd=tmp_path, DATABASE_PATH=str(db))
    one_line_failure(backup, "cannot write the backup", "RLIMIT_FSIZE")
    assert list(target.parent.iterdir()) == []  # no target, no partial copy
    ingest_run = limited(db.stat().st_size + 64 * 1024, "ingest", str(links), cwd=tmp_path, DATABASE_PATH=str(db))
    line = one_line_failure(ingest_run, "RLIMIT_FSIZE")
    assert "try again" not in line
    # Nothing was lost: the archive is whole, and a backup without the limit works.
    assert newsdesk("check", cwd=tmp_path, DATABASE_PATH=str(db)).stdout.strip() == "ok"
    assert newsdesk("backup", str(target), cwd=tmp_path, DATABASE_PATH=str(db)).returncode == 0
    assert [p.name for p in target.parent.iterdir()] == ["copy.db"]


async def test_a_killed_backup_leaves_no_target_and_the_next_one_cleans_up(tmp_path):
    db = tmp_path / "big.db"
    async with await Archive.open(db):
        pass
    con = sqlite3.connect(db)
    with con:
        con.executemany(
            "INSERT INTO bot_state (key, value) VALUES (?, ?)",
            ((f"k{i}", os.urandom(500_000).hex()) for i in range(80)),
        )
    con.close()
    target = tmp_path / "backups" / "copy.db"
    target.parent.mkdir()
    base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_PATH", "ARCHIVE_DIR")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "backup", str(target)],
        cwd=tmp_path,
        env={**base, "PYTHONPATH": str(REPO), "DATABASE_PATH": str(db)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        written = [p for p in target.parent.iterdir() if p.stat().st_size > 1_000_000]
        if written:
            proc.kill()
            break
        time.sleep(0.002)
    assert proc.wait() == -signal.SIGKILL, "the backup finished before it could be killed"
    left = sorted(p.name for p in target.parent.iterdir())
    assert "copy.db" not in left
    assert left and set(left) <= {f"copy.db.partial-{proc.pid}", f"copy.db.partial-{proc.pid}-journal"}
    done = newsdesk("backup", str(target), cwd=tmp_path, DATABASE_PATH=str(db))
    assert done.returncode == 0, done.stderr
    assert [p.name for p in target.parent.iterdir()] == ["copy.db"]  # the leftover is gone


# ---- SIGTERM is Ctrl-C; an interrupted ingest says what it added --------------------------------------------


def interrupted_ingest(tmp_path: Path, sig: signal.Signals, name: str) -> subprocess.CompletedProcess:
    folder = broken_links(tmp_path / name, 100)  # stored at once, with no model needed
    (folder / "real.txt").write_text("A story\n\nMasoud Barzani spoke in Erbil on Monday.\n")  # needs the model
    db = tmp_path / f"{name}.db"
    base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_PATH", "ARCHIVE_DIR")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "ingest", str(folder)],
        cwd=tmp_path,
        env={**base, "PYTHONPATH": str(REPO), "DATABASE_PATH": str(db), "LOG_LEVEL": "WARNING"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
            try:
                stored = con.execute("SELECT count(*) FROM files").fetchone()[0]
            finally:
                con.close()
        except sqlite3.Error:
            stored = 0
        if stored >= 100:  # the skipped files are in; the worker is still loading its model
            proc.send_signal(sig)
            break
        time.sleep(0.01)
    out, err = proc.communicate(timeout=60)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def test_sigterm_stops_an_ingest_as_ctrl_c_does_and_both_say_what_was_added(tmp_path):
    said = {}
    for sig in (signal.SIGINT, signal.SIGTERM):
        result = interrupted_ingest(tmp_path, sig, sig.name)
        assert result.returncode == 130, (sig, result.stderr)
        assert "Traceback" not in result.stderr and "Ingested" not in result.stdout
        said[sig] = one_line_failure(result, "interrupted: 0 added, 0 updated, 100 skipped", "run the ingest again")
    assert said[signal.SIGINT] == said[signal.SIGTERM]

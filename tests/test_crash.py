"""Killing the ingest at any point leaves a consistent database, and running it again finishes the job."""

import os
import signal
import sqlite3
import subprocess
import sys
import time

from bot.archive import Archive
from tests.conftest import REPO

FILES = 3000


def make_archive(folder):
    folder.mkdir()
    for i in range(FILES):
        (folder / f"{i:05}.txt").write_text(f"Story {i}\n\nReport number {i} on the vote in region{i % 13}.\n")
    (folder / "metadata.csv").write_text("file,published\n00001.txt,2017-09-14\n")


def start_ingest(folder, db):
    env = dict(os.environ, DATABASE_PATH=str(db), LOG_LEVEL="WARNING")
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "ingest", str(folder)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its worker processes die with it
    )


def stored(db) -> int:
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return con.execute("SELECT count(*) FROM files").fetchone()[0]
        finally:
            con.close()
    except sqlite3.OperationalError:
        return 0  # not created yet


def kill_when_stored_at_least(proc, db, count) -> int:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if stored(db) >= count:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            return stored(db)
        time.sleep(0.005)
    proc.wait()
    return stored(db)


async def test_killed_ingest_leaves_a_consistent_database_and_a_rerun_finishes(tmp_path):
    folder, db = tmp_path / "articles", tmp_path / "newsdesk.db"
    make_archive(folder)
    kills = 0
    for at_least in (1, FILES // 3):
        proc = start_ingest(folder, db)
        seen = kill_when_stored_at_least(proc, db, at_least)
        if proc.returncode == -signal.SIGKILL:
            kills += 1
            assert seen < FILES, "the ingest finished before it could be killed"
        async with await Archive.open(db) as archive:
            assert await archive.integrity_problems() == []
            stats = await archive.stats()
            # every stored file has its article: no half-written batch
            assert stats.articles == stats.files_by_status.get("ok", 0)
            assert stats.last_run.finished_at is None
    assert kills >= 1

    proc = start_ingest(folder, db)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err.decode()
    async with await Archive.open(db) as archive:
        assert await archive.integrity_problems() == []
        stats = await archive.stats()
        assert stats.articles == FILES and stats.files_by_status == {"ok": FILES}
        assert stats.last_run.finished_at is not None
        assert stats.first_published == "2017-09-14"
        assert (await archive.search("region5")).total == len(range(5, FILES, 13))

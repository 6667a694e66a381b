"""No single file can crash, hang or wedge the ingest, nor make it read outside the archive folder.

Each test builds the bad case for real (a slow or memory-hungry file, a killed worker, links, FIFOs, devices, bad
names, a path too long to open) beside good files, and checks that the good files are stored and the bad one is
named with its reason.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import time

import pytest

from bot.config import DEFAULT_NLP_MODEL
from bot.folder import read_file
from bot.ingest import Job, ingest_folder, process_file, worker_pool
from bot.metadata import NO_META
from bot.textfile import Unreadable
from bot.workers import TaskFailed
from tests.conftest import REPO, hang_guard

STORY = "Kurdish leaders met in Erbil\n\nKurdish leaders met in Erbil on Monday to discuss the vote {n}.\n"
# Ordinary prose, varied enough that the parser has real work: about 6,000 characters a repeat.
PROSE = " ".join(
    f"The minister of region {i} said on Tuesday that talks with the council would resume, adding that "
    f"the governor, Ahmed Karim {i}, had met envoys from Baghdad and Ankara. "
    for i in range(40)
)


def write(folder, name, text):
    path = folder / name
    path.write_text(text)
    return path


def good_files(folder, count=5):
    for n in range(count):
        write(folder, f"good{n}.txt", STORY.format(n=n))


@pytest.fixture(scope="module")
def small_pool():
    """A worker with room for its model and ordinary articles, and little more (INGEST_WORKER_MB=300)."""
    pool = worker_pool(DEFAULT_NLP_MODEL, workers=1, memory_mb=300)
    yield pool
    pool.shutdown()


async def stored_status(archive) -> dict[str, tuple[str, str | None]]:
    states = await archive.file_states("/")
    rows = {}
    for state in states.values():
        rows[os.path.basename(state.path)] = state.status
    return rows


# ---- 1. per-file limits and isolation -----------------------------------------------------------------------


async def test_a_file_over_the_time_budget_is_skipped_and_the_batch_goes_on(archive, empty_dir, shared_worker_pool):
    good_files(empty_dir)
    write(empty_dir, "slow.txt", "A slow report\n\n" + PROSE * 20)  # 120 KB: seconds of analysis
    report = await ingest_folder(archive, empty_dir, max_bytes=2_000_000, pool=shared_worker_pool, file_seconds=0.5)
    assert report.counts["added"] == 5
    assert dict(report.skipped) == {"slow.txt": "not read and analysed within 0.5 s (INGEST_FILE_SECONDS)"}
    # The same file under the same limits is not tried again (it would cost the budget on every run) ...
    again = await ingest_folder(archive, empty_dir, max_bytes=2_000_000, pool=shared_worker_pool, file_seconds=0.5)
    assert again.counts["unchanged"] == 6 and again.counts["skipped"] == 0
    # ... but it is under a larger budget.
    wider = await ingest_folder(archive, empty_dir, max_bytes=2_000_000, pool=shared_worker_pool, file_seconds=600)
    assert wider.counts["added"] == 1 and wider.skipped == []
    assert await archive.integrity_problems() == []


async def test_a_file_over_the_memory_budget_is_skipped_and_the_rest_goes_on(archive, empty_dir, small_pool):
    good_files(empty_dir)
    write(empty_dir, "huge.txt", "A data dump\n\n" + "a, " * 20_000)  # 20,000 tokens in one sentence: +250 MB
    report = await ingest_folder(archive, empty_dir, max_bytes=2_000_000, pool=small_pool, worker_mb=300)
    assert report.counts["added"] == 5
    assert dict(report.skipped) == {"huge.txt": "needed over 300 MB of memory to analyse (INGEST_WORKER_MB)"}
    assert (await stored_status(archive))["huge.txt"] == "skipped"


def _kill_self(_arg):
    os.kill(os.getpid(), signal.SIGKILL)


def _echo(arg):
    return arg


def _sleep(seconds):
    time.sleep(seconds)


def _allocate(megabytes):
    return len(bytearray(megabytes * 1024 * 1024))


def test_a_worker_that_dies_or_hangs_is_named_and_replaced(small_pool):
    with pytest.raises(TaskFailed, match="SIGKILL") as died:
        small_pool.run(_kill_self, None, seconds=30)
    assert died.value.kind == "died"
    assert small_pool.run(_echo, "next", seconds=60) == "next"  # a fresh worker took its place
    with pytest.raises(TaskFailed, match="took over 0.5 s") as late:
        small_pool.run(_sleep, 30, seconds=0.5)
    assert late.value.kind == "timeout"
    assert small_pool.run(_echo, "again", seconds=60) == "again"
    with pytest.raises(TaskFailed, match="needed over 300 MB of memory") as hungry:
        small_pool.run(_allocate, 2048, seconds=60)
    assert hungry.value.kind == "memory"
    assert small_pool.run(_allocate, 20, seconds=60) == 20 * 1024 * 1024  # a fresh worker, within its budget


async def test_a_batch_whose_worker_is_killed_is_done_again_file_by_file(archive, empty_dir):
    for n in range(40):
        write(empty_dir, f"f{n:02}.txt", STORY.format(n=n) + PROSE)
    pool = worker_pool(DEFAULT_NLP_MODEL, workers=1)
    try:
        task = asyncio.ensure_future(ingest_folder(archive, empty_dir, max_bytes=1_000_000, pool=pool))
        for _ in range(600):  # the worker is busy with the first batch: kill it (as the OOM killer would)
            await asyncio.sleep(0.1)
            busy = [w for w in pool._all if w.ready]
            if busy:
                os.kill(busy[0].process.pid, signal.SIGKILL)
                break
        report = await task
    finally:
        pool.shutdown()
    assert report.counts["added"] == 40 and report.skipped == []
    assert await archive.integrity_problems() == []


# ---- 3. never outside the archive ---------------------------------------------------------------------------


async def test_links_that_leave_the_archive_are_refused_with_their_reason(
    archive, tmp_path, empty_dir, shared_worker_pool
):
    secret = tmp_path / "outside"
    secret.mkdir()
    write(secret, "passwd.txt", "root:x:0:0:root:/root:/bin/bash\n\nThe secret word is swordfish.\n")
    good_files(empty_dir, 2)
    (empty_dir / "notes.txt").symlink_to(secret / "passwd.txt")
    (empty_dir / "elsewhere").symlink_to(secret, target_is_directory=True)
    (empty_dir / "broken.txt").symlink_to(tmp_path / "nothing.txt")
    (empty_dir / "inside").mkdir()
    write(empty_dir / "inside", "real.txt", STORY.format(n="inside"))
    (empty_dir / "alias.txt").symlink_to(empty_dir / "inside" / "real.txt")  # stays inside: read
    (empty_dir / "loop").symlink_to(empty_dir, target_is_directory=True)  # inside, and a cycle: listed once
    report = await ingest_folder(archive, empty_dir, max_bytes=100_000, pool=shared_worker_pool)
    assert dict(report.skipped) == {
        "notes.txt": "a link to a file outside the archive; not read",
        "elsewhere": f"a link to a folder outside the archive ({secret}); not read",
        "broken.txt": "a broken link (its target does not exist)",
    }
    assert report.counts["added"] == 3 and report.counts["duplicate"] == 1
    assert (await archive.search("swordfish")).hits == []


async def test_fifos_and_devices_are_skipped_with_their_reason(archive, empty_dir, shared_worker_pool):
    good_files(empty_dir, 1)
    os.mkfifo(empty_dir / "pipe.txt")
    os.mknod(empty_dir / "zero.txt", stat.S_IFCHR | 0o600, os.makedev(1, 5))  # /dev/zero's numbers
    report = await ingest_folder(archive, empty_dir, max_bytes=100_000, pool=shared_worker_pool)
    assert dict(report.skipped) == {
        "pipe.txt": "a FIFO (named pipe), not a file; not read",
        "zero.txt": "a device, not a file; not read",
    }
    assert report.counts["added"] == 1


def test_a_fifo_swapped_in_after_the_scan_is_refused_not_waited_on(tmp_path):
    path = tmp_path / "a.txt"
    os.mkfifo(path)  # the scan saw a file here; now nothing will ever write to this pipe
    with hang_guard(20):  # today's open() blocks for ever
        with pytest.raises(Unreadable, match="FIFO"):
            read_file(str(path), str(tmp_path), 1000)
        job = Job(str(path), 10, 0, NO_META, "r", 1000, None, DEFAULT_NLP_MODEL, str(path), str(tmp_path))
        assert "FIFO" in process_file(job).skip_reason


def test_a_link_swapped_in_after_the_scan_is_refused(tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    (tmp_path / "archive").mkdir()
    link = tmp_path / "archive" / "a.txt"
    link.symlink_to(outside)
    with pytest.raises(Unreadable, match="link"):
        read_file(str(link), str(tmp_path / "archive"), 1000)


# ---- 4. names and metadata ----------------------------------------------------------------------------------


async def test_a_name_that_is_not_utf8_costs_only_its_file(archive, empty_dir, shared_worker_pool):
    good_files(empty_dir, 2)
    with open(os.path.join(os.fsencode(empty_dir), b"caf\xe9.txt"), "wb") as handle:
        handle.write(STORY.format(n="latin-1 name").encode())
    report = await ingest_folder(archive, empty_dir, max_bytes=100_000, pool=shared_worker_pool)
    assert report.counts["added"] == 2
    why = "its name (or a folder's above it) is not valid UTF-8; rename it to read it"
    assert report.skipped == [("caf\\xe9.txt", why)]
    again = await ingest_folder(archive, empty_dir, max_bytes=100_000, pool=shared_worker_pool)
    assert again.counts["unchanged"] == 2 and again.counts["skipped"] == 1  # still named, still nothing lost


async def test_a_path_longer_than_the_system_allows_is_reported(archive, empty_dir, shared_worker_pool):
    good_files(empty_dir, 1)
    deep = os.open(empty_dir, os.O_RDONLY)
    try:
        for _ in range(40):  # 40 × 200 characters: past PATH_MAX (4,096), built one level at a time
            os.mkdir("d" * 200, dir_fd=deep)
            inner = os.open("d" * 200, os.O_RDONLY, dir_fd=deep)
            os.close(deep)
            deep = inner
        os.close(os.open("lost.txt", os.O_WRONLY | os.O_CREAT, dir_fd=deep))
    finally:
        os.close(deep)
    report = await ingest_folder(archive, empty_dir, max_bytes=100_000, pool=shared_worker_pool)
    assert report.counts["added"] == 1
    assert len(report.skipped) == 1
    path, why = report.skipped[0]
    assert path.startswith("d" * 200) and "longer than the system allows" in why


async def test_metadata_rows_that_name_no_file_are_reported(archive, empty_dir, shared_worker_pool):
    good_files(empty_dir, 1)
    write(empty_dir, "metadata.csv", "file,published\ngood0.txt,2017-09-14\ngone.txt,2017-09-15\n")
    report = await ingest_folder(archive, empty_dir, max_bytes=100_000, pool=shared_worker_pool)
    assert report.counts["added"] == 1
    assert any("gone.txt" in problem for problem in report.metadata_problems)


def test_a_metadata_file_that_leaves_the_archive_or_blocks_is_not_read(tmp_path):
    from bot.metadata import load_metadata

    (tmp_path / "outside.csv").write_text("file,published\na.txt,2017-09-14\n")
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "metadata.csv").symlink_to(tmp_path / "outside.csv")
    table = load_metadata(folder)
    assert table.rows == {} and "outside the archive" in table.problems[0]
    (folder / "metadata.csv").unlink()
    os.mkfifo(folder / "metadata.csv")
    with hang_guard(20):
        table = load_metadata(folder)
    assert table.rows == {} and "FIFO" in table.problems[0]


# ---- 5. processes -------------------------------------------------------------------------------------------


def _descendants(pid: int) -> set[int]:
    found, frontier = set(), {pid}
    while frontier:
        parent = frontier.pop()
        for task in os.listdir(f"/proc/{parent}/task") if os.path.exists(f"/proc/{parent}/task") else []:
            try:
                with open(f"/proc/{parent}/task/{task}/children") as handle:
                    kids = {int(k) for k in handle.read().split()}
            except OSError:
                continue
            frontier |= kids - found
            found |= kids
    return found


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().split(") ")[1][0] != "Z"
    except OSError:
        return False


def test_workers_die_with_a_killed_main_process(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    for n in range(300):
        write(folder, f"{n:04}.txt", STORY.format(n=n) + PROSE[: 500 + n])
    env = dict(os.environ, DATABASE_PATH=str(tmp_path / "db.sqlite"), LOG_LEVEL="WARNING")
    main = subprocess.Popen(
        [sys.executable, "-m", "bot", "ingest", str(folder)], cwd=REPO, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        children: set[int] = set()
        while time.monotonic() < deadline and len(children) < 2:  # the resource tracker and a worker at least
            time.sleep(0.2)
            children = _descendants(main.pid)
        assert len(children) >= 2, "the ingest started no workers"
        time.sleep(3)  # the workers are loading the model or busy with a batch
        main.kill()  # as the OOM killer would: no chance to clean up
        main.wait()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and any(_alive(pid) for pid in children):
            time.sleep(0.2)
        assert not [pid for pid in children if _alive(pid)], "processes left behind by a killed ingest"
    finally:
        if main.poll() is None:
            main.kill()


# ---- 7. small ones ------------------------------------------------------------------------------------------


async def test_a_text_too_long_to_analyse_whole_is_analysed_in_part_and_says_so(archive, empty_dir, shared_worker_pool):
    paragraph = "Prices rose again in the market today, traders in London said. " * 30 + "\n\n"
    write(empty_dir, "long.txt", "A long record\n\n" + paragraph * 300 + "The vote in Erbil was held on Monday.\n")
    report = await ingest_folder(archive, empty_dir, max_bytes=2_000_000, pool=shared_worker_pool)
    assert report.counts["added"] == 1
    [(path, note)] = report.in_part
    assert path == "long.txt" and note.startswith("analysed in part: the first ")
    assert "the whole text is stored and searchable" in note
    with sqlite3.connect(archive.path) as con:
        assert con.execute("SELECT status, reason FROM files").fetchall() == [("ok", note)]
        analysed_to = con.execute("SELECT max(end) FROM sentences").fetchone()[0]
    assert 25_000 < analysed_to <= 50_000  # the first part, cut at a paragraph break
    assert (await archive.search("Erbil")).hits  # the end of the text is searchable all the same
    assert [a.name for a in await archive.find_actors("London")] == ["London"]  # what was analysed is there

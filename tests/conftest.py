from __future__ import annotations

import shutil
import signal
from contextlib import contextmanager
from pathlib import Path

import pytest

from bot.archive import Archive
from bot.config import DEFAULT_NLP_MODEL
from bot.ingest import IngestReport, ingest_folder, worker_pool

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
SEED_MAX_BYTES = 1_000_000


_pool = None


@pytest.fixture(scope="session", autouse=True)
def shared_worker_pool():
    """One worker process, with the language model loaded once, for every ingest of the session."""
    global _pool
    _pool = worker_pool(DEFAULT_NLP_MODEL, workers=1)
    yield _pool
    _pool.shutdown(wait=True)


@pytest.fixture
def seeds_dir(tmp_path: Path) -> Path:
    """A private copy of the bundled archive, free to change."""
    folder = tmp_path / "archive"
    shutil.copytree(SEEDS, folder)
    return folder


@pytest.fixture
def empty_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    return folder


@pytest.fixture
async def fake(monkeypatch):
    """The fake Discord on loopback (REST and gateway), with discord.py pointed at it."""
    from tests.fake_discord import FakeDiscord

    server = FakeDiscord()
    await server.start()
    server.patch(monkeypatch)
    yield server
    await server.stop()


@pytest.fixture
def settings(tmp_path: Path):
    """The bot's settings over a copy of the ingested seed archive (end-to-end modules may define their own)."""
    from bot.config import Settings
    from tests.discord_harness import seeded_database

    return Settings(database_path=seeded_database(tmp_path), archive_dir=SEEDS, ingest_on_start=False)


@pytest.fixture
async def bot(fake, settings):
    """The real bot, logged in to the fake Discord, with `settings`."""
    from tests.discord_harness import running_bot

    async with running_bot(fake, settings) as running:
        yield running


@pytest.fixture
async def archive(tmp_path: Path):
    async with await Archive.open(tmp_path / "db" / "newsdesk.db") as opened:
        yield opened


async def ingest(archive: Archive, folder: Path, max_bytes: int = SEED_MAX_BYTES) -> IngestReport:
    report = await ingest_folder(archive, folder, max_bytes=max_bytes, pool=_pool)
    assert await archive.integrity_problems() == []
    return report


@contextmanager
def hang_guard(seconds: int):
    """Fail what has not finished after `seconds` (linear work here takes a second or two, quadratic work hours):
    a guard against a hang stalling the suite, never a timing assertion."""

    def fail(signum, frame):
        raise AssertionError(f"still running after {seconds} s: time grows faster than the text")

    previous = signal.signal(signal.SIGALRM, fail)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)

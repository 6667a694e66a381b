"""Starting the real bot against the fake Discord, for the end-to-end tests."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bot.archive import Archive
from bot.client import NewsdeskBot
from bot.config import Settings
from tests.conftest import SEEDS, ingest
from tests.fake_discord import FakeDiscord

_template: Path | None = None


def seeded_database(tmp_path: Path) -> Path:
    """A copy of a database holding the ingested seed archive (ingested once per test session)."""
    global _template
    if _template is None:
        folder = Path(__import__("tempfile").mkdtemp(prefix="newsdesk-seeded-"))

        async def build() -> None:
            async with await Archive.open(folder / "seeded.db") as archive:
                await ingest(archive, SEEDS)

        # In a thread of its own: the caller may be inside a running event loop.
        with ThreadPoolExecutor(1) as thread:
            thread.submit(asyncio.run, build()).result()
        _template = folder / "seeded.db"
    target = tmp_path / "bot" / "newsdesk.db"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(_template, target)
    return target


@contextlib.asynccontextmanager
async def running_bot(fake: FakeDiscord, settings: Settings, **options):
    """The bot, logged in to the fake Discord and connected to its gateway; closed afterwards."""
    bot = NewsdeskBot(settings, guild_ready_timeout=0.05, **options)
    task = asyncio.create_task(bot.start("fake-token"))
    try:
        await asyncio.wait_for(_ready(bot, task), 20)
        yield bot
    finally:
        await bot.close()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def _ready(bot: NewsdeskBot, task: asyncio.Task) -> None:
    waiter = asyncio.ensure_future(bot.wait_until_ready())
    done, _ = await asyncio.wait({waiter, task}, return_when=asyncio.FIRST_COMPLETED)
    if task in done:
        waiter.cancel()
        task.result()  # the bot stopped before it was ready: raise why
        raise AssertionError("the bot stopped before it was ready")

"""The archive's one writing connection is shared by every coroutine of the bot: a write must never run inside
another coroutine's open transaction (it would be seen only at that commit, and lost with its rollback)."""

from __future__ import annotations

import asyncio
import contextlib


async def test_a_write_waits_for_another_coroutines_transaction_and_survives_its_rollback(archive):
    entered, release = asyncio.Event(), asyncio.Event()

    async def failing_transaction():
        with contextlib.suppress(RuntimeError):
            async with archive._transaction():
                await archive._db.execute("INSERT INTO bot_state (key, value) VALUES ('inside', '1')")
                entered.set()
                await release.wait()
                raise RuntimeError("rolled back")

    task = asyncio.create_task(failing_transaction())
    await entered.wait()
    write = asyncio.create_task(archive.set_state("outside", "2"))
    await asyncio.sleep(0.05)
    assert not write.done()  # it waits for the transaction to end
    release.set()
    await asyncio.gather(task, write)
    assert await archive.get_state("inside") is None
    assert await archive.get_state("outside") == "2"

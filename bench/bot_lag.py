"""Benchmark: the bot answering slash commands while it ingests Reuters-21578 records on both cores.

    PYTHONPATH=. .venv/bin/python -m bench.bot_lag [--records N]

The real discord.py client talks to the fake Discord of the tests (REST and gateway on loopback). While the
bot's own ingest runs, a mix of commands is sent every 100 ms. Prints the time from INTERACTION_CREATE to the
interaction callback, how many answers were deferred, the worst event-loop stall, and the longest gap between
gateway heartbeats (asked for every 250 ms).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import statistics
import tempfile
import time
from pathlib import Path

import discord

from bench.results import record
from bench.reuters import DEFAULT_DIR, load_records, write_archive
from bot.client import NewsdeskBot
from bot.config import Settings
from tests.fake_discord import MANAGE_GUILD, FakeDiscord

MIX = [
    ("search", [("query", "oil prices")]),
    ("actor", [("name", "Reagan")]),
    ("quotes", [("speaker", "Baker")]),
    ("timeline", [("topic", "coffee")]),
    ("summary", [("topic", "trade deficit")]),
    ("archive status", []),
]


async def run(records: int, source: Path) -> None:
    folder = Path(tempfile.mkdtemp(prefix="newsdesk-lag-"))
    chosen = load_records(source)[:records]
    words = write_archive(chosen, folder / "archive")
    fake = FakeDiscord(heartbeat_ms=250)
    await fake.start()
    discord.http.Route.BASE = f"http://127.0.0.1:{fake.port}/api/v10"
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = discord.gateway.yarl.URL(fake.gateway_url)
    settings = Settings(database_path=folder / "bench.db", archive_dir=folder / "archive", ingest_on_start=False)
    bot = NewsdeskBot(settings, guild_ready_timeout=0.05)
    runner = asyncio.create_task(bot.start("fake-token"))
    await fake.identified.wait()
    await bot.wait_until_ready()
    latencies, deferred = [], 0
    bot.lag.reset()
    first_beat = len(fake.heartbeats)
    started = time.monotonic()
    await fake.reply(await fake.command("archive reload", permissions=MANAGE_GUILD))
    for name, options in itertools.cycle(MIX):
        if not bot.ingester.running:
            break
        interaction = await fake.command(name, [{"type": 3, "name": k, "value": v} for k, v in options])
        sent = time.monotonic()
        calls = await fake.reply(interaction, timeout=30)
        latencies.append(calls[0].at - sent)
        deferred += calls[0].json["type"] == 5
        await asyncio.sleep(0.1)
    seconds = time.monotonic() - started
    report = await bot.ingester.wait()
    beats = fake.heartbeats[first_beat:]
    gaps = [b - a for a, b in zip(beats, beats[1:], strict=False)] or [0.0]
    worst_lag = bot.lag.worst
    await bot.close()
    await runner
    await fake.stop()
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else latencies * 99
    outcome = dict(report.counts) if report else "failed"
    print(f"ingest inside the bot: {len(chosen):,} records ({words:,} words), {outcome}, {seconds:.1f} s")
    print(
        f"commands during the ingest: {len(latencies)}; callback latency p50 {q[49] * 1000:.0f} ms, "
        f"p95 {q[94] * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms; deferred {deferred}"
    )
    print(f"event-loop lag max {worst_lag * 1000:.0f} ms; heartbeat gap max {max(gaps) * 1000:.0f} ms (asked: 250 ms)")
    record(
        "bot-lag",
        "Commands while the bot ingests",
        f"bench.bot_lag --records {records}",
        [
            ("ingest inside the bot", f"{len(chosen):,} Reuters records in {seconds:.0f} s, both cores"),
            (
                f"{len(latencies)} commands, one every 100 ms",
                f"callback p50 {q[49] * 1000:.0f} ms, p95 {q[94] * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms; "
                f"{deferred} deferred",
            ),
            ("largest event-loop stall", f"{worst_lag * 1000:.0f} ms"),
            ("longest gap between gateway heartbeats (asked: 250 ms)", f"{max(gaps) * 1000:.0f} ms"),
        ],
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_DIR, help="the reuters21578 folder")
    parser.add_argument("--records", type=int, default=2000, help="how many records to ingest (default 2,000)")
    args = parser.parse_args()
    if not args.source.is_dir():
        print(f"skipped: {args.source} is not here (the Reuters-21578 development data)")
        return 0
    asyncio.run(run(args.records, args.source))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

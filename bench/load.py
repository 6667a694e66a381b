"""Benchmark: the bot under load on a big archive, while it ingests; its start-up time and memory.

    PYTHONPATH=. .venv/bin/python -m bench.load DATABASE [--records N] [--concurrency 50]

Copies DATABASE (e.g. the 200,000-article archive of `bench.scale`), starts the real bot on it against the fake
Discord of the tests (REST and gateway on loopback, in this same process), and prints:
- start-up: from `start` to ready, with the archive already ingested;
- the bot's resident memory when idle;
- while the bot ingests N new Reuters-based articles (both cores), waves of `--concurrency` slash commands
  dispatched at once: the time from INTERACTION_CREATE to the interaction callback (p50/p95/p99/max), how many
  were deferred, the largest event-loop stall, and the peak resident memory of the bot and of an ingest worker.
The fake Discord shares the bot's process and event loop, so its own work is counted in these figures.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import resource
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import discord

from bench.results import record
from bench.reuters import DEFAULT_DIR, load_records
from bot.client import NewsdeskBot
from bot.config import Settings
from tests.fake_discord import MANAGE_GUILD, FakeDiscord

MIX = [
    ("search", [("query", "oil prices")]),
    ("search", [("query", "said")]),
    ("actor", [("name", "Reagan")]),
    ("actor", [("name", "U.S.")]),
    ("quotes", [("speaker", "Baker")]),
    ("quotes", [("words", "interest rates")]),
    ("timeline", [("topic", "coffee")]),
    ("timeline", [("actor", "Reagan"), ("from", "1990-01-01"), ("to", "1992-12-31")]),
    ("summary", [("topic", "trade deficit")]),
    ("summary", [("article", "1")]),
    ("briefing now", []),
    ("archive status", []),
]


def rss_mb(field: str = "VmRSS") -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def write_new_articles(records, folder: Path) -> None:
    """The records as new articles (a closing line of their own, so none is a duplicate of the archive's)."""
    folder.mkdir(parents=True)
    for rec in records:
        text = rec.text() + f"\n\nThis copy was filed again for the load test as item {rec.newid}.\n"
        (folder / f"{rec.newid:05}.txt").write_text(text, encoding="utf-8")


async def run(db: Path, records: int, concurrency: int, source: Path) -> None:
    work = Path(tempfile.mkdtemp(prefix="newsdesk-load-"))
    shutil.copy(db, work / "bench.db")
    write_new_articles(load_records(source)[:records], work / "archive")
    fake = FakeDiscord(heartbeat_ms=1000)
    await fake.start()
    discord.http.Route.BASE = f"http://127.0.0.1:{fake.port}/api/v10"
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = discord.gateway.yarl.URL(fake.gateway_url)
    settings = Settings(database_path=work / "bench.db", archive_dir=work / "archive", ingest_on_start=False)
    bot = NewsdeskBot(settings, guild_ready_timeout=0.05)
    started = time.perf_counter()
    runner = asyncio.create_task(bot.start("fake-token"))
    await fake.identified.wait()
    await bot.wait_until_ready()
    startup = time.perf_counter() - started
    base_articles = (await bot.archive.stats()).articles
    await asyncio.sleep(2)
    idle = rss_mb()

    await fake.reply(await fake.command("archive reload", permissions=MANAGE_GUILD))
    bot.lag.reset()
    latencies, deferred, waves = [], 0, 0
    mix = itertools.cycle(MIX)
    while bot.ingester.running and waves < 200:
        sent = []
        for _ in range(concurrency):
            name, options = next(mix)
            payload = await fake.command(name, [{"type": 3, "name": k, "value": v} for k, v in options])
            sent.append((payload, time.monotonic()))
        for payload, at in sent:
            calls = await fake.reply(payload, timeout=60)
            latencies.append(calls[0].at - at)
            deferred += calls[0].json["type"] == 5
        waves += 1
        await asyncio.sleep(1.0)
    report = await bot.ingester.wait()
    await asyncio.sleep(5)  # the followups of the last deferred answers
    worst_lag, peak = bot.lag.worst, rss_mb("VmHWM")
    await bot.close()
    await runner
    await fake.stop()
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    q = statistics.quantiles(latencies, n=100, method="inclusive")
    print(f"archive: {db} ({db.stat().st_size / 1e6:,.0f} MB)")
    print(f"start-up to ready: {startup:.2f} s; resident memory idle {idle:.0f} MB")
    print(f"ingest during the load: {dict(report.counts) if report else 'failed'}")
    ms = [x * 1000 for x in (q[49], q[94], q[98], max(latencies))]
    print(
        f"{waves} waves of {concurrency} commands at once ({len(latencies)}): callback latency p50 {ms[0]:.0f} ms, "
        f"p95 {ms[1]:.0f} ms, p99 {ms[2]:.0f} ms, max {ms[3]:.0f} ms; deferred {deferred}"
    )
    print(f"event-loop lag max {worst_lag * 1000:.0f} ms")
    print(f"peak resident memory: bot (with the fake Discord) {peak:.0f} MB, largest ingest worker {workers:.0f} MB")
    articles = (report.counts["added"] if report else 0) + base_articles
    record(
        "load-200k" if articles > 100_000 else "load",
        f"The bot under load, {base_articles:,} articles",
        f"bench.load --records {records} --concurrency {concurrency}",
        [
            ("start-up to ready, archive already ingested", f"{startup:.2f} s"),
            ("resident memory, idle", f"{idle:.0f} MB"),
            (
                f"{len(latencies):,} commands in waves of {concurrency}, while ingesting {records:,} articles",
                f"INTERACTION_CREATE to callback: p50 {ms[0]:.0f} ms, p95 {ms[1]:.0f} ms, p99 {ms[2]:.0f} ms, "
                f"max {ms[3]:.0f} ms; {deferred} deferred",
            ),
            ("largest event-loop stall under that load", f"{worst_lag * 1000:.0f} ms"),
            (
                "peak resident memory: bot (and the fake Discord) / an ingest worker",
                f"{peak:.0f} MB / {workers:.0f} MB",
            ),
        ],
    )
    shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database", type=Path, help="an ingested Newsdesk database (copied, not changed)")
    parser.add_argument("--records", type=int, default=1000, help="new articles to ingest during the load")
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--source", type=Path, default=DEFAULT_DIR, help="the reuters21578 folder")
    args = parser.parse_args()
    if not args.source.is_dir() or not args.database.is_file():
        print("skipped: needs the Reuters-21578 development data and an ingested database")
        return 0
    asyncio.run(run(args.database, args.records, args.concurrency, args.source))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Benchmark: the bot answering slash commands while it ingests Reuters-21578 records on both cores.

    PYTHONPATH=. .venv/bin/python -m bench.bot_lag [--records N]
    PYTHONPATH=. .venv/bin/python -m bench.bot_lag --charts 20 [--records N | --database DB] [--while-ingesting]

The real discord.py client talks to the fake Discord of the tests (REST and gateway on loopback). While the
bot's own ingest runs, a mix of commands is sent every 100 ms. Prints the time from INTERACTION_CREATE to the
interaction callback, how many answers were deferred, the worst event-loop stall, and the longest gap between
gateway heartbeats (asked for every 250 ms).

With `--charts N`, N commands that draw a picture (/timeline, /actor, /archive status) are sent at once, once
the ingest is done (or while it runs, `--while-ingesting`), or to a bot on a copy of an existing archive
(`--database`, no ingest). Prints the worst event-loop stall and heartbeat gap while they are drawn, how long
the answers took, and how many carried a PNG.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import logging
import shutil
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
CHART_TOPICS = ["coffee", "oil prices", "trade deficit", "interest rates", "wheat", "takeover bid", "yen dollar"]
CHART_WAIT = 90.0  # s: for all the burst's answers


class LeftOut(logging.Handler):
    """Counts the charts the drawer left out (late or failed), from its log."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if "left out" in record.getMessage():
            self.messages.append(record.getMessage())


def _answer_call(fake: FakeDiscord, interaction: dict):
    """The request carrying an interaction's answer: a message callback (type 4), or the followup after a defer."""
    for call in fake.replies(interaction):
        if call.path.endswith("/callback") and (call.json or {}).get("type") == 4:
            return call
        if call.method == "POST" and call.path.startswith("webhooks/"):
            return call
    return None


def _has_png(call) -> bool:
    files = getattr(call, "files", None)
    if files is not None:
        return any(f.filename.endswith(".png") or f.content_type == "image/png" for f in files)
    body = call.json or {}
    embeds = body.get("embeds") or (body.get("data") or {}).get("embeds") or []
    return bool(embeds) and str((embeds[0].get("image") or {}).get("url", "")).startswith("attachment://")


async def chart_burst(fake: FakeDiscord, bot: NewsdeskBot, count: int) -> dict:
    """Send `count` chart commands at once; the figures while they are answered."""
    names = [a.name for a in await bot.archive.top_actors(8)] or ["Reagan"]
    shapes = itertools.cycle(["timeline", "actor", "timeline", "actor", "archive status"])
    topics, actors = itertools.cycle(CHART_TOPICS), itertools.cycle(names)
    plan = []
    for _ in range(count):
        shape = next(shapes)
        options = {"timeline": [("topic", next(topics))], "actor": [("name", next(actors))]}.get(shape, [])
        plan.append((shape, options))
    left_out = LeftOut()
    logging.getLogger("bot.drawing").addHandler(left_out)
    bot.lag.reset()
    first_beat = len(fake.heartbeats)
    sent = []
    started = time.monotonic()
    for name, options in plan:
        interaction = await fake.command(name, [{"type": 3, "name": k, "value": v} for k, v in options])
        sent.append((name, interaction, time.monotonic()))
    answers = await asyncio.gather(
        *(fake.wait_for(lambda i=i: _answer_call(fake, i), timeout=CHART_WAIT) for _, i, _ in sent)
    )
    seconds = time.monotonic() - started
    worst_lag = bot.lag.worst
    beats = fake.heartbeats[first_beat:]
    logging.getLogger("bot.drawing").removeHandler(left_out)
    gaps = [b - a for a, b in zip(beats, beats[1:], strict=False)] or [0.0]
    waits = sorted(call.at - at for (_, _, at), call in zip(sent, answers, strict=True))
    deferred = sum(
        any(c.path.endswith("/callback") and (c.json or {}).get("type") == 5 for c in fake.replies(i))
        for _, i, _ in sent
    )
    by_kind: dict[str, list[int]] = {}
    for (name, _, _), call in zip(sent, answers, strict=True):
        by_kind.setdefault(name, [0, 0])
        by_kind[name][0] += 1
        by_kind[name][1] += _has_png(call)
    return {
        "count": count,
        "seconds": seconds,
        "lag": worst_lag,
        "gap": max(gaps),
        "beats": len(beats),
        "pngs": sum(png for _, png in by_kind.values()),
        "by_kind": by_kind,
        "wait_p50": statistics.median(waits),
        "wait_max": waits[-1],
        "deferred": deferred,
        "left_out": left_out.messages,
    }


def print_burst(b: dict, where: str) -> None:
    kinds = ", ".join(f"{name} {png}/{n}" for name, (n, png) in b["by_kind"].items())
    print(f"{b['count']} chart commands at once, {where}: all answered in {b['seconds']:.1f} s; answer p50 "
          f"{b['wait_p50']:.1f} s, max {b['wait_max']:.1f} s; {b['deferred']} deferred")  # fmt: skip
    print(f"answers with a PNG: {b['pngs']} of {b['count']} ({kinds}); charts left out by the drawer: "
          f"{len(b['left_out'])}")  # fmt: skip
    for message in sorted(set(b["left_out"])):
        print(f"  left out ({b['left_out'].count(message)}x): {message}")
    print(f"while drawn: event-loop lag max {b['lag'] * 1000:.0f} ms; heartbeat gap max {b['gap'] * 1000:.0f} ms "
          f"over {b['beats']} beats (asked: 250 ms)")  # fmt: skip


def burst_rows(b: dict, where: str) -> list[tuple[str, str]]:
    return [
        (
            f"{b['count']} chart commands at once ({where})",
            f"all answered in {b['seconds']:.1f} s (p50 {b['wait_p50']:.1f} s, max {b['wait_max']:.1f} s); "
            f"{b['pngs']} of {b['count']} with a PNG; {b['deferred']} deferred",
        ),
        ("largest event-loop stall while drawn", f"{b['lag'] * 1000:.0f} ms"),
        ("longest gap between gateway heartbeats while drawn (asked: 250 ms)", f"{b['gap'] * 1000:.0f} ms"),
    ]


async def run_charts(count: int, records: int, source: Path, database: Path | None, while_ingesting: bool) -> None:
    folder = Path(tempfile.mkdtemp(prefix="newsdesk-lag-"))
    (folder / "archive").mkdir()
    if database is not None:
        shutil.copy(database, folder / "bench.db")  # the bot writes its state into it: a copy, not the original
        words, chosen = 0, []
    else:
        chosen = load_records(source)[:records]
        words = write_archive(chosen, folder / "archive")
    fake = FakeDiscord(heartbeat_ms=250)
    await fake.start()
    discord.http.Route.BASE = f"http://127.0.0.1:{fake.port}/api/v10"
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = discord.gateway.yarl.URL(fake.gateway_url)
    settings = Settings(database_path=folder / "bench.db", archive_dir=folder / "archive", ingest_on_start=False,
                        scan_minutes=0, feed_minutes=0)  # fmt: skip
    bot = NewsdeskBot(settings, guild_ready_timeout=0.05)
    runner = asyncio.create_task(bot.start("fake-token"))
    await fake.identified.wait()
    await bot.wait_until_ready()
    ingest, outcome = 0.0, None
    if database is None:
        started = time.monotonic()
        await fake.reply(await fake.command("archive reload", permissions=MANAGE_GUILD))
        if while_ingesting:
            while bot.ingester.running and (await bot.archive.stats()).articles < records // 3:
                await asyncio.sleep(0.5)  # the ingest under way, on both cores, with something to draw
            burst = await chart_burst(fake, bot, count)
            report = await bot.ingester.wait()
        else:
            report = await bot.ingester.wait()
            ingest = time.monotonic() - started
            burst = await chart_burst(fake, bot, count)
        ingest = ingest or time.monotonic() - started
        outcome = dict(report.counts) if report else "failed"
    else:
        burst = await chart_burst(fake, bot, count)
    articles = (await bot.archive.stats()).articles
    await bot.close()
    await runner
    await fake.stop()
    shutil.rmtree(folder, ignore_errors=True)
    if database is not None:
        where = f"a copy of {database.name}, {articles:,} articles"
        command = f"bench.bot_lag --charts {count} --database {database.name}"
    else:
        print(f"ingest inside the bot: {len(chosen):,} records ({words:,} words), {outcome}, {ingest:.1f} s")
        state = "while it ingests" if while_ingesting else "after the ingest"
        where = f"{articles:,} articles, {state}"
        command = f"bench.bot_lag --charts {count} --records {records}" + (" --while-ingesting" * while_ingesting)
    print_burst(burst, where)
    name = "bot-lag-charts" + ("-db" if database is not None else "-ingesting" if while_ingesting else "")
    record(name, "Pictures drawn while the bot answers", command, burst_rows(burst, where))


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
    parser.add_argument("--charts", type=int, default=0, metavar="N", help="send N chart commands at once instead")
    parser.add_argument("--database", type=Path, help="with --charts: a copy of this archive, no ingest")
    parser.add_argument("--while-ingesting", action="store_true", help="with --charts: send them during the ingest")
    args = parser.parse_args()
    if args.charts and args.database is not None:
        if not args.database.is_file():
            print(f"no database at {args.database}")
            return 1
        asyncio.run(run_charts(args.charts, args.records, args.source, args.database, False))
        return 0
    if not args.source.is_dir():
        print(f"skipped: {args.source} is not here (the Reuters-21578 development data)")
        return 0
    if args.charts:
        asyncio.run(run_charts(args.charts, args.records, args.source, None, args.while_ingesting))
    else:
        asyncio.run(run(args.records, args.source))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Benchmark: the latency of every command's service call on an ingested archive.

    PYTHONPATH=. .venv/bin/python -m bench.commands DATABASE [--rounds N]

Runs a realistic mix of queries for each command against the archive in DATABASE (e.g. one made by
`bench.ingest --keep` or `bench.scale`), worst cases included (the most mentioned actors, the broadest topics, a
briefing over everything), and prints p50 / p95 / p99 / max per command, in milliseconds. Calls go one at a time
through the same services the bot uses, on one event loop, as the bot makes them.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.results import record
from bot import briefings, services
from bot.archive import Archive

BROAD = ["said", "pct", "year", "company", "market"]  # in most Reuters stories: the broadest topics
TOPICS = ["oil prices", "trade deficit", "coffee", "interest rates", "takeover bid", "wheat", "yen dollar"]
WORDS = ["growth", "economy", "agreement", "strike", "inflation", "profit"]
TYPED = ["a", "al", "mc", "rea", "bak", "japan", "minist"]


async def scenarios(archive: Archive, rng: random.Random) -> dict[str, list[Callable[[], Awaitable[object]]]]:
    """Each command's calls: a few shapes of question, with arguments drawn from the archive itself."""
    top = await archive.top_actors(25)
    worst, common = top[:3], top[3:]
    stats = await archive.stats()
    first, last = stats.first_published or "1987-01-01", stats.last_published or "1987-12-31"
    ids = [rng.randint(1, max(1, stats.articles)) for _ in range(50)]
    names = [a.name for a in worst + common]
    now = datetime.now(UTC)
    newest = stats.articles  # ids run 1 to N here: a day's news is the last few hundred
    day_ago = briefings.iso(now - timedelta(days=1))

    def pick(items):
        return rng.choice(items)

    return {
        "search": [lambda: services.search(archive, pick(TOPICS + WORDS + BROAD), 25)],
        "summary (article)": [lambda: services.article_summary(archive, pick(ids))],
        "summary (topic)": [lambda: services.topic_summary(archive, pick(TOPICS + BROAD))],
        "actor": [lambda: services.actor(archive, pick(names)), lambda: services.actor(archive, worst[0].name)],
        "actor (typo)": [lambda: services.actor(archive, pick(names)[:-1] + "x")],
        "quotes (speaker)": [lambda: services.quotes(archive, speaker=pick(names), limit=25)],
        "quotes (words)": [lambda: services.quotes(archive, words=pick(WORDS + BROAD), limit=25)],
        "timeline (topic)": [lambda: services.timeline(archive, topic=pick(TOPICS + BROAD))],
        "timeline (actor, range)": [
            lambda: services.timeline(archive, actor=pick(names), date_from=first, date_to=last)
        ],
        "autocomplete (actor)": [lambda: services.actor_choices(archive, pick(TYPED + [""]))],
        "autocomplete (article)": [lambda: services.article_choices(archive, pick(TYPED + [""]))],
        "archive status": [lambda: services.archive_stats(archive)],
        "briefing (300 new)": [lambda: briefings.compose(archive, (newest - 300, day_ago), "UTC", now)],
        "briefing (all new)": [lambda: briefings.compose(archive, (0, "1970-01-01T00:00:00+00:00"), "UTC", now)],
    }


async def measure(db: Path, rounds: int, seed: int) -> dict[str, list[float]]:
    rng = random.Random(seed)
    async with await Archive.open(db) as archive:
        plan = await scenarios(archive, rng)
        timings: dict[str, list[float]] = {name: [] for name in plan}
        for _ in range(rounds):
            for name, calls in plan.items():
                call = rng.choice(calls)
                started = time.perf_counter()
                await call()
                timings[name].append((time.perf_counter() - started) * 1000)
    return timings


def percentiles(values: list[float]) -> tuple[float, float, float, float]:
    q = statistics.quantiles(values, n=100, method="inclusive") if len(values) > 1 else values * 99
    return q[49], q[94], q[98], max(values)


def report(timings: dict[str, list[float]]) -> str:
    lines = [f"{'command':<28}{'p50':>8}{'p95':>8}{'p99':>8}{'max':>8}  ms"]
    for name, values in timings.items():
        lines.append(f"{name:<28}" + "".join(f"{x:>8.1f}" for x in percentiles(values)))
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database", type=Path, help="an ingested Newsdesk database")
    parser.add_argument("--rounds", type=int, default=100, help="calls per command (default 100)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--record", metavar="NAME", help="keep the figures as bench/results/NAME.json (and README)")
    args = parser.parse_args()
    if not args.database.is_file():
        print(f"no database at {args.database}")
        return 1
    timings = asyncio.run(measure(args.database, args.rounds, args.seed))
    print(f"{args.database}, {args.rounds} calls per command")
    print(report(timings))
    if args.record:
        articles = asyncio.run(count_articles(args.database))
        rows = [("archive", f"{articles:,} articles, {args.database.stat().st_size / 1e6:,.0f} MB")]
        rows += [
            (name, "p50 {:.1f} · p95 {:.1f} · p99 {:.1f} · max {:.1f} ms".format(*percentiles(values)))
            for name, values in timings.items()
        ]
        record(args.record, f"Command latency, {articles:,} articles", f"bench.commands --rounds {args.rounds}", rows)
    return 0


async def count_articles(db: Path) -> int:
    async with await Archive.open(db) as archive:
        return (await archive.stats()).articles


if __name__ == "__main__":
    raise SystemExit(main())

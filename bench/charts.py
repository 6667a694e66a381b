"""Benchmark: the time to make each picture at N articles.

    PYTHONPATH=. .venv/bin/python -m bench.charts DATABASE [--rounds N] [--record NAME]

For each chart the bot draws (/timeline of a topic or an actor, /actor, /archive status, /story), with arguments
drawn from the archive in DATABASE (the broadest topics and the most mentioned actors among them), times apart
(a) the data: the command's service call and the chart's spec builder (bot/pictures.py), on one event loop as the
bot makes them; (b) the drawing: `bot.render.charts.draw(spec)` in this process, as the drawing worker runs it; and
(c) both, one after the other, as an answer waits for them. Prints p50 / p95 / p99 / max per chart, in
milliseconds, the PNG sizes, and whether the same spec drawn twice (here and in a fresh process) gives the same
bytes. The issue's target: a chart at 213,510 articles in under 0.5 s at p95.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import random
import statistics
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from bench.commands import BROAD, TOPICS, count_articles, percentiles
from bench.results import record
from bot import pictures, services, stories
from bot.archive import Archive
from bot.render import charts
from bot.render.charts.specs import Spec

TARGET_MS = 500.0  # the target, at p95
ACTOR_TIMELINES = 4  # timelines of the most mentioned actors, beside those of typical ones


@dataclass
class Timings:
    data: list[float] = field(default_factory=list)  # ms: service call + spec builder
    draw: list[float] = field(default_factory=list)  # ms: draw(spec), when there was a spec
    both: list[float] = field(default_factory=list)  # ms: the two, for the calls that made a chart
    sizes: list[int] = field(default_factory=list)  # PNG bytes
    none: int = 0  # calls with too little to draw
    specs: list[Spec] = field(default_factory=list)  # one kept per chart, for the determinism check


Make = Callable[[], Awaitable[Spec | None]]


async def scenarios(archive: Archive, rng: random.Random) -> dict[str, list[Make]]:
    """Each chart's calls, as the cogs make them: the service's answer, then the spec built from it."""
    top = await archive.top_actors(400)
    worst = [a.name for a in top[:5]]
    typical = [a.name for a in top[100:400]] or worst  # mentioned often enough to be asked for, not the giants
    stats_rows = await archive._rows("SELECT id FROM stories WHERE articles > 0 ORDER BY articles DESC, id LIMIT 10")
    biggest = [r[0] for r in stats_rows]
    several = [r[0] for r in await archive._rows("SELECT id FROM stories WHERE articles > 1")]
    some = rng.sample(several, min(40, len(several))) or biggest

    def pick(items):
        return rng.choice(items)

    async def timeline(topic: str | None, actor: str | None) -> Spec | None:
        subject = " · ".join(x for x in (topic, actor) if x)
        found = await services.timeline(archive, topic, actor)
        return await pictures.timeline_chart(archive, found, subject)

    async def actor(name: str) -> Spec | None:
        return await pictures.actor_chart(archive, await services.actor(archive, name))

    async def status() -> Spec | None:
        return await pictures.archive_chart(archive, await services.archive_stats(archive))

    async def story(story_id: int) -> Spec | None:
        return await pictures.story_chart(archive, await stories.story_page(archive, story_id))

    return {
        "timeline (topic)": [lambda: timeline(pick(TOPICS), None), lambda: timeline(pick(BROAD), None)],
        "timeline (actor)": [
            lambda: timeline(None, pick(worst[:ACTOR_TIMELINES])),
            lambda: timeline(None, pick(typical)),
        ],
        "actor (most mentioned)": [lambda: actor(pick(worst))],
        "actor (typical)": [lambda: actor(pick(typical))],
        "archive": [status],
        "story (biggest)": [lambda: story(pick(biggest))],
        "story (random)": [lambda: story(pick(some))],
    }


async def measure(db: Path, rounds: int, seed: int) -> tuple[dict[str, Timings], float, float]:
    """The timings per chart; and the first draw (imports and fonts: what `charts.warm` spares a worker) and the
    first /archive status data (the per-day counts it then keeps until the archive changes), in ms."""
    rng = random.Random(seed)
    async with await Archive.open(db) as archive:
        plan = await scenarios(archive, rng)
        timings = {name: Timings() for name in plan}
        started = time.perf_counter()
        first_status = await plan["archive"][0]()
        status_ms = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        if first_status is not None:
            charts.draw(first_status)
        cold_ms = (time.perf_counter() - started) * 1000
        for _ in range(rounds):
            for name, calls in plan.items():
                t = timings[name]
                started = time.perf_counter()
                spec = await rng.choice(calls)()
                data = (time.perf_counter() - started) * 1000
                t.data.append(data)
                if spec is None:
                    t.none += 1
                    continue
                started = time.perf_counter()
                png = charts.draw(spec)
                drawn = (time.perf_counter() - started) * 1000
                t.draw.append(drawn)
                t.both.append(data + drawn)
                t.sizes.append(len(png))
                if len(t.specs) < 3:
                    t.specs.append(spec)
    return timings, cold_ms, status_ms


def _fresh_draw(spec: Spec) -> bytes:
    return charts.draw(spec)


def determinism(timings: dict[str, Timings], keep: Path | None = None) -> list[tuple[str, bool, bool]]:
    """Per chart: the same spec drawn twice here gives the same bytes; and drawn in a fresh (spawned) process.
    With `keep`, the PNGs that differ are written there, to be compared."""
    specs = [(name, t.specs[0]) for name, t in timings.items() if t.specs]
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        fresh = list(pool.map(_fresh_draw, [s for _, s in specs]))
    out = []
    for (name, spec), other in zip(specs, fresh, strict=True):
        once, twice = charts.draw(spec), charts.draw(spec)
        out.append((name, once == twice, once == other))
        if keep is not None and not once == twice == other:
            keep.mkdir(parents=True, exist_ok=True)
            stem = name.replace(" ", "-").replace("(", "").replace(")", "")
            for suffix, png in (("once", once), ("twice", twice), ("fresh", other)):
                (keep / f"{stem}-{suffix}.png").write_bytes(png)
    return out


def _fmt(values: list[float]) -> str:
    return "".join(f"{x:>8.1f}" for x in percentiles(values)) if values else f"{'-':>8}" * 4


def report(timings: dict[str, Timings]) -> str:
    head = f"{'chart':<24}{'':<6}{'p50':>8}{'p95':>8}{'p99':>8}{'max':>8}  ms"
    lines = [head + f"   {'charts':>6} {'none':>5} {'PNG p50':>9} {'PNG max':>9}"]
    for name, t in timings.items():
        sizes = (
            f"{statistics.median(t.sizes) / 1000:>7.0f}kB {max(t.sizes) / 1000:>7.0f}kB"
            if t.sizes
            else f"{'-':>9} {'-':>9}"
        )
        lines.append(f"{name:<24}{'data':<6}{_fmt(t.data)}   {len(t.draw):>6} {t.none:>5} {sizes}")
        lines.append(f"{'':<24}{'draw':<6}{_fmt(t.draw)}")
        lines.append(f"{'':<24}{'both':<6}{_fmt(t.both)}")
    return "\n".join(lines)


def verdict(timings: dict[str, Timings]) -> list[tuple[str, str]]:
    """Which of drawing alone and data + drawing meet the target at p95, over every chart and for the worst."""
    out = []
    for part in ("draw", "both"):
        every = [x for t in timings.values() for x in getattr(t, part)]
        worst = max(
            ((name, percentiles(getattr(t, part))[1]) for name, t in timings.items() if getattr(t, part)),
            key=lambda p: p[1],
        )
        p95 = percentiles(every)[1]
        meets = "meets" if worst[1] < TARGET_MS else "misses"
        what = "drawing alone" if part == "draw" else "data + drawing"
        out.append(
            (
                f"{what}: p95 over every chart",
                f"{p95:.0f} ms; the slowest chart's p95 {worst[1]:.0f} ms ({worst[0]}): {meets} the "
                f"{TARGET_MS:.0f} ms target",
            )
        )
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database", type=Path, help="an ingested Newsdesk database")
    parser.add_argument("--rounds", type=int, default=40, help="charts of each kind (default 40)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep-differing", metavar="DIR", type=Path, help="write PNGs that differ into DIR")
    parser.add_argument("--record", metavar="NAME", help="keep the figures as bench/results/NAME.json (and README)")
    args = parser.parse_args()
    if not args.database.is_file():
        print(f"no database at {args.database}")
        return 1
    articles = asyncio.run(count_articles(args.database))
    timings, cold_ms, status_ms = asyncio.run(measure(args.database, args.rounds, args.seed))
    print(f"{args.database}: {articles:,} articles, {args.rounds} charts of each kind")
    print(report(timings))
    print(f"first draw in this process (imports, fonts): {cold_ms:.0f} ms; first /archive status data "
          f"(before its per-day counts are kept): {status_ms:.0f} ms")  # fmt: skip
    checks = determinism(timings, args.keep_differing)
    for name, same, fresh in checks:
        print(f"determinism, {name}: drawn twice {'same bytes' if same else 'DIFFERENT bytes'}; "
              f"in a fresh process {'same bytes' if fresh else 'DIFFERENT bytes'}")  # fmt: skip
    verdicts = verdict(timings)
    for label, value in verdicts:
        print(f"{label}: {value}")
    if args.record:
        rows = [("database", f"{articles:,} articles, {args.database.stat().st_size / 1e6:,.0f} MB")]
        for name, t in timings.items():
            if not t.draw:
                rows.append((name, "data p50 {:.0f} · p95 {:.0f} ms; no chart".format(*percentiles(t.data))))
                continue
            rows.append(
                (
                    name,
                    "data p95 {:.0f} · draw p50 {:.0f} · p95 {:.0f} · p99 {:.0f} ms · both p95 {:.0f} · max {:.0f} ms; "
                    "PNG ≤ {:,} kB".format(
                        percentiles(t.data)[1],
                        *percentiles(t.draw)[:3],
                        *(percentiles(t.both)[i] for i in (1, 3)),
                        round(max(t.sizes) / 1000),
                    ),
                )
            )
        rows += verdicts
        same = all(a and b for _, a, b in checks)
        rows.append(("same spec, same PNG bytes", "yes (twice, and in a fresh process)" if same else "NO"))
        record(args.record, f"Pictures, {articles:,} articles", f"bench.charts --rounds {args.rounds}", rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The `newsdesk` command (also `python -m bot`): every feature, usable from a terminal."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import sqlite3
import sys
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from tqdm import tqdm

from bot import __version__, feeds, pictures, services, stories
from bot.archive import Archive, ArchiveError, explain_error
from bot.archive.errors import damaged
from bot.config import ConfigError, Settings, configure_logging, load_settings
from bot.ingest import IngestError, IngestReport, ingest_folder
from bot.nlp import ModelError
from bot.render import charts
from bot.render.stories import render_stories, render_story
from bot.render.text import (
    render_actor,
    render_briefing,
    render_feed_report,
    render_feed_reports,
    render_feeds,
    render_ingest,
    render_quotes,
    render_search,
    render_stats,
    render_summary,
    render_timeline,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsdesk", description="Newsdesk: news intelligence from an archive.")
    parser.add_argument("--version", action="version", version=f"newsdesk {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("ingest", help="load the article files of a folder into the archive")
    p.add_argument("folder", nargs="?", type=Path, help="the folder of articles (default: ARCHIVE_DIR)")
    p.set_defaults(run=cmd_ingest)

    p = sub.add_parser("search", help="full-text search over the archive")
    p.add_argument("query", nargs="+", help='words, "a phrase", or a prefix like econom*')
    p.add_argument("--limit", type=int, default=10, help="how many results (1-25, default 10)")
    p.set_defaults(run=cmd_search)

    p = sub.add_parser("run", help="start the Discord bot (needs DISCORD_TOKEN)")
    p.set_defaults(run=cmd_run)

    p = sub.add_parser("backup", help="a consistent copy of the database, safe while the bot runs")
    p.add_argument("target", type=Path, help="the new file to write, e.g. /data/backup-2026-11-22.db")
    p.set_defaults(run=cmd_backup)

    p = sub.add_parser("check", help="check the database file for damage (SQLite's checks and the archive's own)")
    p.set_defaults(run=cmd_check)

    p = sub.add_parser("health", help="whether the running bot is connected and responsive (for healthchecks)")
    p.set_defaults(run=cmd_health)

    p = sub.add_parser("stats", aliases=["archive"], help="what the archive holds (the bot's /archive status)")
    _chart_option(p, "articles per day or week by source")
    p.set_defaults(run=cmd_stats)

    p = sub.add_parser("actor", help="who a person or organisation is, by the articles")
    p.add_argument("name", nargs="+", help="a name or alias, e.g. McGurk")
    _chart_option(p, "the articles naming them over time and who they appear with")
    p.set_defaults(run=cmd_actor)

    p = sub.add_parser("quotes", help="who said what: by speaker, words in the quote, dates")
    p.add_argument("--speaker", help="a speaker's name or alias")
    p.add_argument("--words", help="words in the quote")
    p.add_argument("--from", dest="date_from", metavar="DATE", help="published on or after (YYYY-MM-DD)")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="published on or before (YYYY-MM-DD)")
    p.add_argument("--limit", type=int, default=10, help="how many quotes (1-25, default 10)")
    p.set_defaults(run=cmd_quotes)

    p = sub.add_parser("summary", help="the gist of one article (its number) or of a topic (words)")
    p.add_argument("subject", nargs="+", help="an article number, e.g. 2, or words, e.g. referendum")
    p.add_argument("--sentences", type=int, default=None, help="how many sentences (default 3, 5 for a topic)")
    p.set_defaults(run=cmd_summary)

    p = sub.add_parser("timeline", help="what happened when, of a topic or an actor")
    p.add_argument("topic", nargs="*", help="words, e.g. referendum")
    p.add_argument("--actor", help="a person or organisation, e.g. al-Abadi")
    p.add_argument("--from", dest="date_from", metavar="DATE", help="on or after (YYYY-MM-DD)")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="on or before (YYYY-MM-DD)")
    _chart_option(p, "the events on a time axis and the articles beneath")
    p.set_defaults(run=cmd_timeline)

    p = sub.add_parser("stories", help="the biggest and newest stories (the same news across outlets and days)")
    p.add_argument("topic", nargs="*", help="words, e.g. takeover (default: every story)")
    p.add_argument("--from", dest="date_from", metavar="DATE", help="seen on or after (YYYY-MM-DD)")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="seen on or before (YYYY-MM-DD)")
    p.add_argument("--limit", type=int, default=10, help="how many stories (1-25, default 10)")
    p.set_defaults(run=cmd_stories)

    p = sub.add_parser("story", help="one story: its summary, timeline, actors and sources")
    p.add_argument("story", nargs="+", help="its number (from `newsdesk stories`) or words of a headline")
    _chart_option(p, "the story's articles over time by source")
    p.set_defaults(run=cmd_story)

    p = sub.add_parser("briefing", help="the daily briefing: what is new in the archive (default: the last day)")
    p.add_argument("--since", metavar="DATE", help="new since this date (YYYY-MM-DD, UTC; default: a day ago)")
    p.set_defaults(run=cmd_briefing)

    p = sub.add_parser("feeds", help="follow RSS and Atom feeds: add, list, remove, fetch")
    feeds = p.add_subparsers(dest="feeds_command", required=True, metavar="ACTION")
    f = feeds.add_parser("add", help="follow a feed (read at its first poll, or by `newsdesk feeds fetch`)")
    f.add_argument("url", help="the feed's address, e.g. https://example.com/rss.xml")
    f.add_argument("--name", help="what to call it (default: the feed's own title)")
    f.set_defaults(run=cmd_feeds_add)
    f = feeds.add_parser("list", help="every feed: last fetch, new items, last error, whether it is disabled")
    f.set_defaults(run=cmd_feeds_list)
    f = feeds.add_parser("remove", help="stop following a feed (its articles stay)")
    f.add_argument("feed", help="its number (as `feeds list` shows) or its URL")
    f.set_defaults(run=cmd_feeds_remove)
    f = feeds.add_parser("fetch", help="fetch every enabled feed once, now, and store what is new")
    f.set_defaults(run=cmd_feeds_fetch)

    p = sub.add_parser("watch", help="alerts in a Discord channel, once per new story of an actor or topic")
    watch = p.add_subparsers(dest="watch_command", required=True, metavar="ACTION")
    w = watch.add_parser("add", help="watch an actor or a topic for a server, alerting a channel")
    w.add_argument("--guild", type=int, required=True, metavar="ID", help="the server's ID")
    w.add_argument("--channel", type=int, required=True, metavar="ID", help="the channel's ID")
    what = w.add_mutually_exclusive_group(required=True)
    what.add_argument("--actor", metavar="NAME", help="a person or organisation")
    what.add_argument("--topic", metavar="WORDS", help="words all of which a story's article must have")
    w.set_defaults(run=cmd_watch_add)
    w = watch.add_parser("list", help="every watch (of one server with --guild), and why one is paused")
    w.add_argument("--guild", type=int, metavar="ID", help="only this server's")
    w.set_defaults(run=cmd_watch_list)
    w = watch.add_parser("remove", help="stop a watch")
    w.add_argument("watch", type=int, metavar="ID", help="its number, as `watch list` shows it")
    w.add_argument("--guild", type=int, required=True, metavar="ID", help="the server it belongs to")
    w.set_defaults(run=cmd_watch_remove)

    p = sub.add_parser("alerts", help="what the bot would post for the watches now (--dry-run)")
    p.add_argument("--dry-run", action="store_true", help="show the alerts due now, changing nothing")
    p.set_defaults(run=cmd_alerts)

    p = sub.add_parser("analyze", help="run the extraction pipeline on JSON Lines (no database needed)")
    p.add_argument("--input", type=Path, help="a JSON Lines file (default: standard input)")
    p.add_argument("--summary", type=int, default=3, metavar="N", help="sentences per summary (default 3)")
    p.set_defaults(run=cmd_analyze)
    return parser


INTERRUPTED = "interrupted; what was stored is safe, run the same command again to finish"


async def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    folder = args.folder or settings.archive_dir
    report = IngestReport(folder=str(folder))  # filled as the run goes: an interrupted run says what it did
    bar = tqdm(total=0, unit="file", disable=None, file=sys.stderr, desc="ingest")

    def progress(done: int, total: int) -> None:
        bar.total = total
        bar.update(done - bar.n)

    try:
        async with await Archive.open(settings.database_path) as archive:
            await ingest_folder(
                archive,
                folder,
                max_bytes=settings.max_article_bytes,
                model=settings.nlp_model,
                progress=progress,
                report=report,
                file_seconds=settings.ingest_file_seconds,
                worker_mb=settings.ingest_worker_mb,
            )
            # Damage where this run wrote nothing (every file unchanged) would go unseen: look at every page.
            problems = await archive.quick_problems()
    except (asyncio.CancelledError, KeyboardInterrupt):
        args.interrupted = interrupted_ingest(report)  # what main prints for the stop
        raise
    finally:
        bar.close()
    if problems:
        raise ArchiveError(damaged(settings.database_path, problems[0]))
    print(render_ingest(report))
    return 0


def interrupted_ingest(report: IngestReport) -> str:
    c = report.counts
    done = [f"{c['added']:,} added", f"{c['updated']:,} updated", f"{c['skipped']:,} skipped"]
    done += [f"{c[k]:,} {k}" for k in ("duplicate", "unchanged") if c[k]]
    return f"interrupted: {', '.join(done)} before the stop; that is stored, run the ingest again to finish"


NO_TOKEN = """no Discord token, so the bot cannot start. To run it:
  1. At https://discord.com/developers/applications create an application; under Bot, press Reset Token and copy it.
  2. Put it in .env beside this project: cp .env.example .env, then set DISCORD_TOKEN=<the token>.
  3. Invite the bot: OAuth2 > URL Generator, scopes "bot" and "applications.commands", permissions
     Send Messages and Embed Links; open the URL and pick your server.
  4. Run `newsdesk run` again (or `make run`).
The terminal commands work without a token: `newsdesk search referendum`, `newsdesk actor McGurk`, ..."""


async def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    if not settings.discord_token:
        print(f"newsdesk: {NO_TOKEN}", file=sys.stderr)
        return 2
    import discord  # only this command needs the Discord client

    from bot.client import NewsdeskBot

    bot = NewsdeskBot(settings)
    stop = asyncio.Event()
    with contextlib.suppress(NotImplementedError):  # SIGTERM (docker stop): close cleanly, not mid-write
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    try:
        async with bot:
            runner = asyncio.create_task(bot.start(settings.discord_token))
            stopper = asyncio.create_task(stop.wait())
            await asyncio.wait({runner, stopper}, return_when=asyncio.FIRST_COMPLETED)
            stopper.cancel()
            if not runner.done():
                await bot.close()  # here, awaited to its end: the archive closes after its last write
            await runner
    except discord.LoginFailure as exc:
        raise services.UserError(
            "Discord refused the token; reset it (Developer Portal > your application > Bot > Reset Token) "
            "and put the new one in .env as DISCORD_TOKEN"
        ) from exc
    return 0


async def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    path = settings.database_path
    problems = await Archive.check_file(path)
    if not problems:
        print("ok")
        return 0
    for line in problems[:CHECK_LINES]:
        print(line)
    if len(problems) > CHECK_LINES:
        print(f"… and {len(problems) - CHECK_LINES:,} more")
    print(
        f"newsdesk: `newsdesk check` found {len(problems):,} problem(s) in {path}; restore a backup made by "
        "`newsdesk backup` (stop Newsdesk, then copy it over the file)",
        file=sys.stderr,
    )
    return 1


CHECK_LINES = 50


async def cmd_backup(args: argparse.Namespace, settings: Settings) -> int:
    async with await Archive.open(settings.database_path) as archive:
        size = await archive.backup(args.target)
    print(f"Backed up {settings.database_path} to {args.target} ({size / 1e6:.1f} MB)")
    return 0


async def cmd_health(args: argparse.Namespace, settings: Settings) -> int:
    from bot.background import check_health

    if settings.health_file is None:
        print("newsdesk: set HEALTH_FILE (the Docker image does) for the bot to report its health", file=sys.stderr)
        return 1  # Docker's healthcheck knows 0 and 1 only
    problem = check_health(settings.health_file)
    print(f"unhealthy: {problem}" if problem else "healthy: connected to Discord")
    return 1 if problem else 0


def _chart_option(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument("--chart", metavar="FILE.png", type=Path, help=f"also draw {what} into FILE.png")


async def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    async with await Archive.open(settings.database_path) as archive:
        result = await services.search(archive, " ".join(args.query), args.limit)
    print(render_search(result))
    return 0


async def cmd_stats(args: argparse.Namespace, settings: Settings) -> int:
    async with await Archive.open(settings.database_path) as archive:
        found = await services.archive_stats(archive)
        print(render_stats(found))
        if known := await feeds.list_feeds(archive):
            print(render_feeds(known))
        if args.chart:
            await write_chart(await pictures.archive_chart(archive, found), args.chart)
    return 0


async def cmd_actor(args: argparse.Namespace, settings: Settings) -> int:
    name = " ".join(args.name)
    async with await Archive.open(settings.database_path) as archive:
        found = await services.actor(archive, name)
        print(render_actor(found, name))
        if args.chart:
            await write_chart(await pictures.actor_chart(archive, found), args.chart)
    return 0


async def cmd_quotes(args: argparse.Namespace, settings: Settings) -> int:
    async with await Archive.open(settings.database_path) as archive:
        found = await services.quotes(archive, args.speaker, args.words, args.date_from, args.date_to, args.limit)
    print(render_quotes(found))
    return 0


async def cmd_summary(args: argparse.Namespace, settings: Settings) -> int:
    subject = " ".join(args.subject)
    number = services.article_number(subject)  # "-1" too: an article number, and a wrong one
    async with await Archive.open(settings.database_path) as archive:
        if number is not None:
            sentences = 3 if args.sentences is None else args.sentences
            lines = await services.article_summary(archive, number, sentences)
        else:
            sentences = 5 if args.sentences is None else args.sentences
            lines = await services.topic_summary(archive, subject, sentences)
    print(render_summary(lines))
    return 0


async def cmd_timeline(args: argparse.Namespace, settings: Settings) -> int:
    async with await Archive.open(settings.database_path) as archive:
        timeline = await services.timeline(archive, " ".join(args.topic), args.actor, args.date_from, args.date_to)
        print(render_timeline(timeline))
        if args.chart:
            subject = " · ".join(x for x in (" ".join(args.topic), args.actor, _span(args)) if x)
            await write_chart(await pictures.timeline_chart(archive, timeline, subject), args.chart)
    return 0


def _span(args: argparse.Namespace) -> str:
    return f"{args.date_from or '…'} to {args.date_to or '…'}" if args.date_from or args.date_to else ""


async def write_chart(spec, path: Path) -> None:
    """Draw a chart into `path` (in a thread: drawing blocks), or say why there is none."""
    if spec is None:
        print(f"No chart: too little to draw ({path} not written).", file=sys.stderr)
        return
    png = await asyncio.to_thread(charts.draw, spec)
    path.write_bytes(png)
    print(f"Chart written to {path} ({len(png):,} bytes): {spec.alt}", file=sys.stderr)


async def cmd_stories(args: argparse.Namespace, settings: Settings) -> int:
    async with await Archive.open(settings.database_path) as archive:
        found = await stories.list_stories(archive, " ".join(args.topic), args.date_from, args.date_to, args.limit)
    print(render_stories(found))
    return 0


async def cmd_story(args: argparse.Namespace, settings: Settings) -> int:
    async with await Archive.open(settings.database_path) as archive:
        page = await stories.story_page(archive, await stories.pick_story(archive, " ".join(args.story)))
        print(render_story(page))
        if args.chart:
            await write_chart(await pictures.story_chart(archive, page), args.chart)
    return 0


async def cmd_briefing(args: argparse.Namespace, settings: Settings) -> int:
    from datetime import UTC, datetime

    from bot import briefings

    since = services.parse_day(args.since, "since")
    async with await Archive.open(settings.database_path) as archive:
        start = f"{since}T00:00:00+00:00" if since else None
        window = (await archive.article_id_at(start), start) if start else None
        content, _ = await briefings.compose(archive, window, None, datetime.now(UTC))
    print(render_briefing(content))
    return 0


async def cmd_feeds_add(args: argparse.Namespace, settings: Settings) -> int:
    async with await Archive.open(settings.database_path) as archive:
        try:
            feed, new = await feeds.add_feed(archive, args.url, args.name, "terminal")
        except feeds.FeedProblem as exc:
            print(f"newsdesk: {exc}", file=sys.stderr)
            return 2
    print(f"{'Following' if new else 'Following again'} feed #{feed.id}: {feed.url}")
    print("It is read at the next poll, or now with: newsdesk feeds fetch")
    return 0


async def cmd_feeds_list(args: argparse.Namespace, settings: Settings) -> int:
    async with await Archive.open(settings.database_path) as archive:
        print(render_feeds(await feeds.list_feeds(archive)))
    return 0


async def cmd_feeds_remove(args: argparse.Namespace, settings: Settings) -> int:
    async with await Archive.open(settings.database_path) as archive:
        feed = await feeds.find_feed(archive, args.feed)
        if feed is None:
            print(f"newsdesk: no feed {args.feed!r}; `newsdesk feeds list` shows their numbers", file=sys.stderr)
            return 2
        await feeds.remove_feed(archive, feed)
    print(f"No longer following feed #{feed.id}: {feed.label} (its articles stay in the archive)")
    return 0


async def cmd_feeds_fetch(args: argparse.Namespace, settings: Settings) -> int:
    async with await Archive.open(settings.database_path) as archive:
        todo = [f for f in await feeds.list_feeds(archive) if f.enabled]
        if not todo:
            print("No enabled feeds; add one with: newsdesk feeds add URL")
            return 0
        bar = tqdm(total=len(todo), unit="feed", disable=None, file=sys.stderr, desc="feeds")

        def done(report: feeds.FeedReport) -> None:
            bar.update(1)
            bar.write(render_feed_report(report), file=sys.stderr)

        try:
            reports = await feeds.fetch_feeds(archive, settings, todo, on_feed=done)
        finally:
            bar.close()
    print(render_feed_reports(reports))
    return 0 if all(r.outcome != "failed" for r in reports) else 1


async def cmd_analyze(args: argparse.Namespace, settings: Settings) -> int:
    from bot import analyze  # loads spaCy: only for this command

    if args.summary < 0:
        raise services.UserError("--summary takes a number of sentences, 0 or more")
    if args.input is None:
        analyze.run(sys.stdin, sys.stdout, settings.nlp_model, summary=args.summary)
        return 0
    try:
        with open(args.input, encoding="utf-8") as source:
            # CPU-bound from start to end, and no event loop work to share with: run it straight.
            analyze.run(source, sys.stdout, settings.nlp_model, summary=args.summary)
    except BrokenPipeError:
        raise  # the reader of our output went away (main stops quietly), not a file we cannot read
    except OSError as exc:
        raise services.UserError(f"cannot read {args.input}: {exc.strerror}") from exc
    return 0


async def cmd_watch_add(args: argparse.Namespace, settings: Settings) -> int:
    from bot import watches

    async with await Archive.open(settings.database_path) as archive:
        watch, new = await watches.add_watch(
            archive, args.guild, args.channel, actor=args.actor, topic=args.topic, added_by="terminal"
        )
    print(f"{'Watching' if new else 'Watching again'} (#{watch.id}) {watch.kind} {watch.label!r} in {watch.channel_id}")
    return 0


async def cmd_watch_list(args: argparse.Namespace, settings: Settings) -> int:
    from bot import watches
    from bot.render.text import render_watches

    async with await Archive.open(settings.database_path) as archive:
        print(render_watches(await watches.list_watches(archive, args.guild)))
    return 0


async def cmd_watch_remove(args: argparse.Namespace, settings: Settings) -> int:
    from bot import watches

    async with await Archive.open(settings.database_path) as archive:
        gone = await watches.remove_watch(archive, args.guild, args.watch)
    print(f"Watch #{gone.id} ({gone.kind} {gone.label!r}) removed")
    return 0


async def cmd_alerts(args: argparse.Namespace, settings: Settings) -> int:
    from datetime import UTC, datetime

    from bot import watches
    from bot.render.text import render_alert, render_gathered_alerts

    if not args.dry_run:
        print("The running bot posts the alerts; `newsdesk alerts --dry-run` shows what it would post now.")
        return 0
    async with await Archive.open(settings.database_path) as archive:
        posts = await watches.dry_run(archive, datetime.now(UTC))
    if not posts:
        print("No alerts would be posted now.")
    for post in posts:
        body = render_gathered_alerts(post.views) if post.gathered else render_alert(post.views[0])
        print(f"channel {post.channel_id}:\n  " + body.replace("\n", "\n  "))
    return 0


def _stop_as_ctrl_c(signum: int, frame: object) -> None:
    """SIGTERM (kill, docker stop, systemd) stops a command the way Ctrl-C does: it goes to whatever handles
    SIGINT now (inside asyncio.run, the runner: it cancels the command, which cleans up and says what it did)."""
    handler = signal.getsignal(signal.SIGINT)
    if callable(handler):
        handler(signal.SIGINT, frame)
    else:  # Ctrl-C ignored (a background job): SIGTERM still stops the command
        raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        previous = signal.signal(signal.SIGTERM, _stop_as_ctrl_c)
    except ValueError:  # not the main thread: leave signals alone
        previous = None
    try:
        return _main(args)
    except KeyboardInterrupt:
        print(f"newsdesk: {getattr(args, 'interrupted', None) or INTERRUPTED}", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`newsdesk stats | head`): stop quietly, as other command-line tools do; stdout
        # goes to devnull so the interpreter's final flush does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # 128 + SIGPIPE, what a shell reports for a command its pipe closed
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _main(args: argparse.Namespace) -> int:
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"newsdesk: configuration: {exc}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level)
    try:
        return asyncio.run(args.run(args, settings))
    except services.UserError as exc:
        print(f"newsdesk: {exc}", file=sys.stderr)
        return 2  # like argparse: the command was given something it cannot use
    except (ArchiveError, IngestError, ModelError) as exc:
        print(f"newsdesk: {exc}", file=sys.stderr)
        return 1
    except BrokenProcessPool:
        print(
            "newsdesk: an ingest worker process died (out of memory?); what was stored is safe, "
            "run the same command again to finish",
            file=sys.stderr,
        )
        return 1
    except sqlite3.Error as exc:  # every SQLite error, from aiosqlite or the ingest's writer thread: one line
        print(f"newsdesk: {explain_error(exc, settings.database_path) or exc}", file=sys.stderr)
        return 1

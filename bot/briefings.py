"""The daily briefing: per-server settings, what a briefing says, and the desk that posts them when due.

No Discord here: the desk is given a `send` function (the cog's) that raises `PostRefused` when Discord will not
take the post (lost permission, deleted channel) and anything else for a passing failure.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from bot import schedule
from bot.archive import Archive
from bot.archive.records import BriefingConfig, BriefingContent
from bot.render import limits
from bot.render.answers import briefing_answer
from bot.render.pages import ONE_MESSAGE_CHARS, Answer, paginate
from bot.services import UserError

log = logging.getLogger(__name__)

FIRST_WINDOW = timedelta(days=1)  # a first briefing covers the articles stored in the day before it
PARALLEL_POSTS = 4  # servers posted at once when many are due together (discord.py keeps to the rate limits)
SEND_TIMEOUT = 60.0  # seconds a post may take (discord.py waits out rate limits) before it counts as failed
ARTICLES_SHOWN = (10, 7, 5, 3, 1, 0)  # new articles listed, fewer until the briefing fits one message
RETRY_FIRST = timedelta(minutes=1)
RETRY_MAX = timedelta(minutes=30)


class PostRefused(Exception):
    """Discord will not take posts in that channel; the message says why, for /briefing status."""


Send = Callable[[int, Answer], Awaitable[None]]


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


# ---- settings ------------------------------------------------------------------------------------------


async def setup(
    archive: Archive,
    guild_id: int,
    channel_id: int,
    post_time: str,
    timezone: str,
    *,
    when_empty: str = "say",
    now_in_channel: bool = False,
    now: datetime,
) -> BriefingConfig:
    """Create or change a server's briefing; setting it up again resumes a paused one."""
    try:
        hhmm = schedule.parse_time(post_time)
        schedule.zone(timezone)
    except schedule.ScheduleError as exc:
        raise UserError(str(exc)) from exc
    old = await archive.briefing(guild_id)
    cfg = BriefingConfig(
        guild_id=guild_id,
        channel_id=channel_id,
        post_time=hhmm,
        timezone=timezone.strip(),
        when_empty=when_empty,
        now_in_channel=now_in_channel,
        enabled=True,
        paused_reason=None,
        paused_at=None,
        last_local_date=old.last_local_date if old else _first_day_done(now, hhmm, timezone),
        last_outcome=old.last_outcome if old else None,
        last_posted_at=old.last_posted_at if old else None,
        since_id=old.since_id if old else await archive.article_id_at(iso(now - FIRST_WINDOW)),
        since_at=old.since_at if old else iso(now - FIRST_WINDOW),
    )
    await archive.save_briefing(cfg)
    return cfg


def _first_day_done(now: datetime, hhmm: str, timezone: str) -> str | None:
    """A new briefing starts with the next time to come: today's time, if already past, counts as done."""
    tz = schedule.zone(timezone)
    today = now.astimezone(tz).date()
    return today.isoformat() if now >= schedule.slot(today, hhmm, tz) else None


async def turn_off(archive: Archive, guild_id: int) -> bool:
    return await archive.disable_briefing(guild_id)


@dataclass(frozen=True)
class Status:
    config: BriefingConfig | None
    next_at: datetime | None  # None: off or paused


async def status(archive: Archive, guild_id: int, now: datetime, catch_up: bool = True) -> Status:
    cfg = await archive.briefing(guild_id)
    if cfg is None or not cfg.enabled or cfg.paused_reason:
        return Status(cfg, None)
    return Status(cfg, schedule.next_post(now, cfg.post_time, cfg.timezone, cfg.last_local_date, catch_up))


# ---- content -------------------------------------------------------------------------------------------


async def compose(
    archive: Archive, since: tuple[int, str] | None, timezone: str | None, now: datetime
) -> tuple[BriefingContent, Answer]:
    """The briefing of the articles stored after `since` (article id, UTC time; default: those of the day before
    `now`), dated in `timezone`, laid out to fit one message."""
    if since is None:
        start = iso(now - FIRST_WINDOW)
        since = (await archive.article_id_at(start), start)
    tz = schedule.zone(timezone) if timezone else UTC
    today = now.astimezone(tz).date()
    content = await archive.briefing_content(since[0], since[1], today.isoformat())
    for shown in ARTICLES_SHOWN:  # as many new articles as one message holds
        answer = briefing_answer(content, today, shown)
        if len(paginate(answer, ONE_MESSAGE_CHARS, limits.FIELDS)) == 1:
            break
    return content, answer


# ---- the desk ------------------------------------------------------------------------------------------


class BriefingDesk:
    """Posts each server's briefing once per local day, at its time. `tick` is called every few seconds."""

    def __init__(self, archive: Archive, send: Send, *, catch_up: bool = True):
        self.archive = archive
        self.send = send
        self.catch_up = catch_up
        self._retry: dict[int, tuple[str, datetime, timedelta]] = {}  # guild -> (local day, not before, next wait)
        self._lock = asyncio.Lock()

    async def recover(self) -> None:
        """At start: posts the bot was sending when it stopped are not sent again (Discord may have them)."""
        for guild_id, day in await self.archive.interrupted_briefings():
            log.warning("briefing of server %s for %s was being posted when the bot stopped; not repeating it",
                        guild_id, day)  # fmt: skip

    async def tick(self, now: datetime) -> list[tuple[int, str]]:
        """Post, skip or leave every active briefing as `now` requires; returns (guild, outcome) for each acted on."""
        async with self._lock:  # one round at a time: a slow round is never overlapped by the next
            due = []
            for cfg in await self.archive.active_briefings():
                try:
                    decision = schedule.decide(now, cfg.post_time, cfg.timezone, cfg.last_local_date, self.catch_up)
                except schedule.ScheduleError as exc:  # e.g. a time zone this system's tzdata lacks
                    log.error("briefing of server %s cannot be scheduled: %s", cfg.guild_id, exc)
                    continue
                if decision.action != "wait" and self._may_try(cfg, decision.local_date, now):
                    due.append((cfg, decision))
            gate = asyncio.Semaphore(PARALLEL_POSTS)

            async def one(cfg: BriefingConfig, decision: schedule.Decision) -> tuple[int, str]:
                async with gate:
                    try:
                        return cfg.guild_id, await self._handle(cfg, decision, now)
                    except Exception:  # one server's trouble (the database busy, a bug) is never another's
                        log.exception("briefing of server %s failed", cfg.guild_id)
                        return cfg.guild_id, "failed"

            return list(await asyncio.gather(*(one(c, d) for c, d in due)))

    def _may_try(self, cfg: BriefingConfig, day: str, now: datetime) -> bool:
        retry = self._retry.get(cfg.guild_id)
        if retry is None:
            return True
        if retry[0] != day:  # a new local day: yesterday's failed post is given up, and said so
            log.warning("briefing of server %s for %s could not be posted that day", cfg.guild_id, retry[0])
            del self._retry[cfg.guild_id]
            return True
        return now >= retry[1]

    async def _handle(self, cfg: BriefingConfig, decision: schedule.Decision, now: datetime) -> str:
        claimed = await self.archive.claim_briefing(cfg.guild_id, decision.local_date)
        if claimed is None:
            return "taken"  # posted for that day already, or turned off or paused meanwhile
        self._note_missed_days(cfg, decision.local_date)
        if decision.action == "skip":
            log.info(
                "briefing of server %s for %s skipped: the bot was not running at %s %s (catch-up is off)",
                cfg.guild_id, decision.local_date, cfg.post_time, cfg.timezone,
            )  # fmt: skip
            await self.archive.finish_briefing(cfg.guild_id, "skipped")
            return "skipped"
        # Cancelled mid-send (the bot stopped before the round could finish), the claim stays "posting": the
        # next start marks it interrupted rather than risk posting it twice.
        try:
            content, answer = await compose(self.archive, (claimed.since_id, claimed.since_at), claimed.timezone, now)
            if content.total == 0 and claimed.when_empty == "quiet":
                await self.archive.finish_briefing(cfg.guild_id, "quiet", since=(content.until_id, iso(now)))
                return "quiet"
            await asyncio.wait_for(self.send(claimed.channel_id, answer), SEND_TIMEOUT)
        except PostRefused as exc:
            await self.archive.release_briefing(cfg.guild_id, cfg)
            await self.archive.pause_briefing(cfg.guild_id, claimed.channel_id, str(exc))
            log.warning("briefing of server %s paused: %s", cfg.guild_id, exc)
            return "paused"
        except Exception:
            await self.archive.release_briefing(cfg.guild_id, cfg)
            _, _, wait = self._retry.get(cfg.guild_id, (decision.local_date, now, RETRY_FIRST))
            self._retry[cfg.guild_id] = (decision.local_date, now + wait, min(wait * 2, RETRY_MAX))
            log.exception("briefing of server %s failed; trying again in %s", cfg.guild_id, wait)
            return "failed"
        self._retry.pop(cfg.guild_id, None)
        await self.archive.finish_briefing(cfg.guild_id, "posted", iso(now), (content.until_id, iso(now)))
        return "posted"

    def _note_missed_days(self, cfg: BriefingConfig, day: str) -> None:
        if cfg.last_local_date and date.fromisoformat(day) - date.fromisoformat(cfg.last_local_date) > timedelta(1):
            log.info(
                "briefing of server %s: no post between %s and %s (the bot was not running at the time)",
                cfg.guild_id, cfg.last_local_date, day,
            )  # fmt: skip

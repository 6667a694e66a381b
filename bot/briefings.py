"""The daily briefing: per-server settings, what a briefing says, and the desk that posts them when due.

No Discord here: the desk is given a `send` function (the cog's) that raises `PostRefused` when Discord will not
take the post (lost permission, deleted channel) and anything else for a passing failure.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot import schedule
from bot.archive import Archive
from bot.archive.records import BriefingConfig, BriefingContent
from bot.render.answers import briefing_answer
from bot.render.pages import Answer
from bot.services import UserError

log = logging.getLogger(__name__)

FIRST_WINDOW = timedelta(days=1)  # a first briefing covers the articles stored in the day before it
PARALLEL_POSTS = 4  # servers posted at once when many are due together (discord.py keeps to the rate limits)
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
        since=old.since if old else iso(now - FIRST_WINDOW),
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


async def status(archive: Archive, guild_id: int, now: datetime) -> Status:
    cfg = await archive.briefing(guild_id)
    if cfg is None or not cfg.enabled or cfg.paused_reason:
        return Status(cfg, None)
    return Status(cfg, schedule.next_post(now, cfg.post_time, cfg.timezone, cfg.last_local_date))


# ---- content -------------------------------------------------------------------------------------------


async def compose(
    archive: Archive, since: str | None, timezone: str | None, now: datetime
) -> tuple[BriefingContent, Answer]:
    """The briefing of what was stored after `since` (default: the day before `now`), dated in `timezone`."""
    tz = schedule.zone(timezone) if timezone else UTC
    today = now.astimezone(tz).date()
    content = await archive.briefing_content(since or iso(now - FIRST_WINDOW), iso(now), today.isoformat())
    return content, briefing_answer(content, today)


# ---- the desk ------------------------------------------------------------------------------------------


class BriefingDesk:
    """Posts each server's briefing once per local day, at its time. `tick` is called every few seconds."""

    def __init__(self, archive: Archive, send: Send, *, catch_up: bool = True):
        self.archive = archive
        self.send = send
        self.catch_up = catch_up
        self._retry: dict[int, tuple[datetime, timedelta]] = {}  # guild -> (not before, next wait)
        self._lock = asyncio.Lock()

    async def tick(self, now: datetime) -> list[tuple[int, str]]:
        """Post, skip or leave every active briefing as `now` requires; returns (guild, outcome) for each acted on."""
        async with self._lock:  # one tick at a time: a slow round is never overlapped by the next
            due = []
            for cfg in await self.archive.active_briefings():
                decision = schedule.decide(now, cfg.post_time, cfg.timezone, cfg.last_local_date, self.catch_up)
                retry = self._retry.get(cfg.guild_id)
                if decision.action != "wait" and not (retry and now < retry[0]):
                    due.append((cfg, decision))
            gate = asyncio.Semaphore(PARALLEL_POSTS)

            async def one(cfg: BriefingConfig, decision: schedule.Decision) -> tuple[int, str]:
                async with gate:
                    return cfg.guild_id, await self._handle(cfg, decision, now)

            return list(await asyncio.gather(*(one(c, d) for c, d in due)))

    async def _handle(self, cfg: BriefingConfig, decision: schedule.Decision, now: datetime) -> str:
        if not await self.archive.claim_briefing(cfg.guild_id, decision.local_date):
            return "taken"  # already posted for that day
        if decision.action == "skip":
            log.info(
                "briefing of server %s for %s skipped: the bot was not running at %s %s (catch-up is off)",
                cfg.guild_id, decision.local_date, cfg.post_time, cfg.timezone,
            )  # fmt: skip
            await self.archive.finish_briefing(cfg.guild_id, "skipped", None, None)
            return "skipped"
        try:
            content, answer = await compose(self.archive, cfg.since, cfg.timezone, now)
            if content.total == 0 and cfg.when_empty == "quiet":
                await self.archive.finish_briefing(cfg.guild_id, "quiet", None, iso(now))
                return "quiet"
            await self.send(cfg.channel_id, answer)
        except PostRefused as exc:
            await self.archive.pause_briefing(cfg.guild_id, str(exc))
            await self.archive.release_briefing(cfg.guild_id, cfg)
            log.warning("briefing of server %s paused: %s", cfg.guild_id, exc)
            return "paused"
        except Exception:
            await self.archive.release_briefing(cfg.guild_id, cfg)
            wait = self._retry.get(cfg.guild_id, (now, RETRY_FIRST))[1]
            self._retry[cfg.guild_id] = (now + wait, min(wait * 2, RETRY_MAX))
            log.exception("briefing of server %s failed; trying again in %s", cfg.guild_id, wait)
            return "failed"
        self._retry.pop(cfg.guild_id, None)
        await self.archive.finish_briefing(cfg.guild_id, "posted", iso(now), iso(now))
        return "posted"

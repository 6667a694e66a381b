"""Watches: a channel hears once of each new story that mentions an actor or matches a topic.

No Discord here: the desk is given a `send` function (the cog's) that raises `briefings.PostRefused` when Discord
will not take the post (lost permission, deleted channel) and anything else for a passing failure.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot import services
from bot.archive import Archive, fts
from bot.archive.watches import AlertView, PendingAlert, Watch
from bot.briefings import SEND_TIMEOUT, PostRefused, Send, iso
from bot.render.answers import alert_answer, gathered_alerts_answer
from bot.render.pages import Answer
from bot.services import UserError

log = logging.getLogger(__name__)

ALERTS_PER_HOUR = 3  # posts per channel in any rolling hour; past that, alerts are gathered into one message
RATE_WINDOW = timedelta(hours=1)
MAX_TOPIC_CHARS = 200
MAX_WATCHES = 100  # per server: a list that still fits a few pages


# ---- watches -------------------------------------------------------------------------------------------


async def add_watch(
    archive: Archive, guild_id: int, channel_id: int, *, actor: str | None = None, topic: str | None = None,
    added_by: str | None,
) -> tuple[Watch, bool]:  # fmt: skip
    """Watch an actor or a topic in a channel; adding the same again moves it there and resumes it."""
    actor, topic = (actor or "").strip() or None, (topic or "").strip() or None
    if (actor is None) == (topic is None):
        raise UserError("Watch either an actor or a topic (one of the two), e.g. `actor: McGurk`.")
    if actor is not None:
        kind, actor_id, terms, label = "actor", *await _actor(archive, actor)
    else:
        kind, actor_id, terms, label = "topic", None, _topic_terms(topic), topic
    known = await archive.watches(guild_id)
    again = any(w.kind == kind and w.actor_id == actor_id and w.topic == terms for w in known)
    if len(known) >= MAX_WATCHES and not again:
        raise UserError(f"This server has {MAX_WATCHES} watches already; remove one first.")
    return await archive.save_watch(guild_id, channel_id, kind, actor_id, terms, label, added_by)


async def _actor(archive: Archive, name: str) -> tuple[int, None, str]:
    """The actor a name means best, as /actor finds it; a name nobody has gets the closest names."""
    found = await services.actor(archive, name)
    if found.profile is None:
        close = ", ".join(f"`{a.name}`" for a in found.matches)
        hint = f" Did you mean {close}?" if close else " `/actor` finds names in the archive."
        raise UserError(f"No one called `{name[:80]}` is in the archive.{hint}")
    return found.profile.actor.id, None, found.profile.actor.name


def _topic_terms(topic: str) -> str:
    if len(topic) > MAX_TOPIC_CHARS:
        raise UserError(f"That topic is {len(topic):,} characters long; keep it under {MAX_TOPIC_CHARS}.")
    terms = fts.query_terms(topic)
    if not terms:
        raise UserError('That topic has no words to search for; try words such as `referendum` or `"Quds Force"`.')
    return json.dumps(terms)


async def list_watches(archive: Archive, guild_id: int | None = None) -> list[Watch]:
    return await archive.watches(guild_id)


async def remove_watch(archive: Archive, guild_id: int, watch_id: int) -> Watch:
    removed = await archive.remove_watch(guild_id, watch_id)
    if removed is None:
        raise UserError(f"There is no watch #{watch_id} in this server; the watch list shows them.")
    return removed


# ---- what gets posted ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Post:
    channel_id: int
    alerts: list[PendingAlert]  # every alert the message answers (two watches of one story: both)
    views: list[AlertView]  # the stories it tells of: one, or several gathered
    answer: Answer
    gathered: bool


async def plan(archive: Archive, pending: dict[int, list[PendingAlert]], now: datetime) -> list[Post]:
    """The posts each channel gets now: a story per post while posts are left this hour, the rest gathered into
    the last one, so a channel never gets more than ALERTS_PER_HOUR posts in an hour."""
    labels = {w.id: w.label for w in await archive.watches()}
    posts = []
    for channel_id, alerts in pending.items():
        left = ALERTS_PER_HOUR - await archive.posts_since(channel_id, iso(now - RATE_WINDOW))
        if left <= 0:
            continue  # they wait for the hour to free a post
        stories: dict[int, list[PendingAlert]] = {}
        for alert in alerts:
            stories.setdefault(alert.story_id, []).append(alert)
        groups = list(stories.values())
        alone, rest = (groups, []) if len(groups) <= left else (groups[: left - 1], groups[left - 1 :])
        for group in alone:
            view = await _view(archive, group, labels)
            posts.append(Post(channel_id, group, [view], alert_answer(view), False))
        if rest:
            views = [await _view(archive, group, labels) for group in rest]
            posts.append(Post(channel_id, [a for g in rest for a in g], views, gathered_alerts_answer(views), True))
    return posts


async def _view(archive: Archive, group: list[PendingAlert], labels: dict[int, str]) -> AlertView:
    first = group[0]
    names = list(dict.fromkeys(labels.get(a.watch_id, "?") for a in group))
    return await archive.alert_view(first.story_id, first.article_id, first.sentence, names)


async def dry_run(archive: Archive, now: datetime) -> list[Post]:
    """What a tick would post now, claiming and changing nothing."""
    pending = await archive.pending_alerts()
    channels = {w.id: w.channel_id for w in await archive.watches(active=True)}
    for alert in await archive.alert_candidates():  # only stories their watch has no alert of yet
        pending.setdefault(channels[alert.watch_id], []).append(alert)
    return await plan(archive, pending, now)


# ---- the desk --------------------------------------------------------------------------------------------


class AlertDesk:
    """Collects and posts alerts; `tick` is called every few seconds."""

    def __init__(self, archive: Archive, send: Send):
        self.archive = archive
        self.send = send
        self._lock = asyncio.Lock()

    async def recover(self) -> None:
        """At start: alerts the bot was sending when it stopped are not sent again (Discord may have them)."""
        if count := await self.archive.interrupted_alerts():
            log.warning("%s alert(s) were being posted when the bot stopped; not repeating them", count)

    async def tick(self, now: datetime) -> list[tuple[int, str]]:
        """Collect new alerts and post what the rate limit allows; returns (channel, outcome) per post tried."""
        async with self._lock:  # one round at a time
            await self.archive.collect_alerts()
            done, refused = [], set()
            for post in await plan(self.archive, await self.archive.pending_alerts(), now):
                if post.channel_id in refused:
                    continue
                outcome = await self._post(post, now)
                refused |= {post.channel_id} if outcome in ("paused", "failed") else set()
                done.append((post.channel_id, outcome))
            return done

    async def _post(self, post: Post, now: datetime) -> str:
        ids = [a.alert_id for a in post.alerts if a.alert_id is not None]
        claimed = await self.archive.claim_alerts(ids, post.channel_id, iso(now))
        if claimed != sorted(ids):  # taken meanwhile (another round, a watch paused): leave it to the next
            await self.archive.release_alerts(claimed)
            return "taken"
        # Cancelled mid-send (the bot stopped), the claim stays 'sending': the next start marks it interrupted.
        try:
            await asyncio.wait_for(self.send(post.channel_id, post.answer), SEND_TIMEOUT)
        except PostRefused as exc:
            paused = await self.archive.pause_watches(post.channel_id, str(exc))
            log.warning("%s watch(es) of channel %s paused: %s", paused, post.channel_id, exc)
            return "paused"
        except Exception:
            await self.archive.release_alerts(claimed)
            log.exception("alert to channel %s failed; trying again at the next round", post.channel_id)
            return "failed"
        await self.archive.finish_alerts(claimed, iso(now), post.gathered)
        return "posted"

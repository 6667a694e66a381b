"""The daily briefing with a controllable clock: once a day at the local time, across DST, restarts, downtime,
refusals and time zones; and what it says on the seed archive."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, date, datetime, timedelta

import pytest

from bot import briefings, schedule
from bot.archive import Archive
from bot.render.pages import ONE_MESSAGE_CHARS, paginate
from bot.services import UserError
from tests.conftest import ingest
from tests.discord_harness import seeded_database

GUILD, OTHER = 1, 2


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


class Outbox:
    """The `send` of a desk: records posts; can be told to refuse or fail."""

    def __init__(self):
        self.posts: list[tuple[int, object]] = []
        self.refuse = False
        self.fail = False

    async def __call__(self, channel_id, answer) -> None:
        if self.refuse:
            raise briefings.PostRefused("the bot may not post in that channel")
        if self.fail:
            raise ConnectionError("Discord is unreachable")
        self.posts.append((channel_id, answer))


@pytest.fixture
async def seeded(tmp_path):
    async with await Archive.open(seeded_database(tmp_path)) as archive:
        yield archive


async def run_clock(desk, start: datetime, end: datetime, step=timedelta(minutes=1)) -> list[tuple[datetime, str]]:
    """Tick the desk every `step` from start to end; returns (when, outcome) of everything it did."""
    done, now = [], start
    while now <= end:
        done += [(now, outcome) for _, outcome in await desk.tick(now)]
        now += step
    return done


# ---- the schedule alone --------------------------------------------------------------------------------


def test_times_and_zones_are_checked():
    assert schedule.parse_time("7:05") == "07:05"
    for bad in ("25:00", "7", "07:60", "seven", ""):
        with pytest.raises(schedule.ScheduleError, match="HH:MM"):
            schedule.parse_time(bad)
    with pytest.raises(schedule.ScheduleError, match="time zone"):
        schedule.zone("Mars/Olympus")
    assert schedule.matching_zones("bagh") == ["Asia/Baghdad"]
    assert len(schedule.matching_zones("a")) == 25


def test_a_time_the_clocks_skip_or_repeat_still_has_one_moment():
    ny = schedule.zone("America/New_York")
    assert schedule.slot(date(2026, 3, 8), "02:30", ny) == utc(2026, 3, 8, 7, 30)  # 03:30 EDT, that day
    assert schedule.slot(date(2026, 11, 1), "01:30", ny) == utc(2026, 11, 1, 5, 30)  # the first 01:30


async def test_a_new_briefing_starts_with_the_next_time_to_come(seeded):
    desk = briefings.BriefingDesk(seeded, Outbox())
    await briefings.setup(seeded, GUILD, 10, "07:30", "UTC", now=utc(2026, 11, 21, 10, 0))
    assert await run_clock(desk, utc(2026, 11, 21, 10, 0), utc(2026, 11, 22, 7, 29)) == []
    state = await briefings.status(seeded, GUILD, utc(2026, 11, 21, 10, 0))
    assert state.next_at == utc(2026, 11, 22, 7, 30)


def test_far_time_zones_post_on_their_own_local_day():
    # Kiritimati is UTC+14: its 06:00 on 23 November is 16:00 UTC on the 22nd.
    d = schedule.decide(utc(2026, 11, 22, 16, 0), "06:00", "Pacific/Kiritimati", None)
    assert (d.action, d.local_date) == ("post", "2026-11-23")
    # Pago Pago is UTC-11: at 05:00 UTC on the 23rd it is still 18:00 on the 22nd.
    d = schedule.decide(utc(2026, 11, 23, 5, 0), "18:00", "Pacific/Pago_Pago", "2026-11-21")
    assert (d.action, d.local_date) == ("post", "2026-11-22")


# ---- the desk, over simulated days ----------------------------------------------------------------------


async def test_one_post_at_the_local_time_across_a_dst_change(seeded):
    outbox = Outbox()
    desk = briefings.BriefingDesk(seeded, outbox)
    await briefings.setup(seeded, GUILD, 10, "02:30", "America/New_York", now=utc(2026, 3, 7))  # 19:00 the 6th
    done = await run_clock(desk, utc(2026, 3, 7, 0, 0), utc(2026, 3, 9, 12, 0), timedelta(minutes=5))
    assert done == [
        (utc(2026, 3, 7, 7, 30), "posted"),  # 02:30 EST
        (utc(2026, 3, 8, 7, 30), "posted"),  # no 02:30 that night: 03:30 EDT, once
        (utc(2026, 3, 9, 6, 30), "posted"),  # 02:30 EDT
    ]
    assert len(outbox.posts) == 3


async def test_the_night_the_clocks_go_back_posts_once(seeded):
    desk = briefings.BriefingDesk(seeded, Outbox())
    await briefings.setup(seeded, GUILD, 10, "01:30", "America/New_York", now=utc(2026, 11, 1))
    done = await run_clock(desk, utc(2026, 11, 1, 0, 0), utc(2026, 11, 1, 12, 0))
    assert done == [(utc(2026, 11, 1, 5, 30), "posted")]  # the first 01:30 (EDT); not again an hour later


async def test_restarts_before_during_and_after_the_time(seeded, caplog):
    outbox = Outbox()
    await briefings.setup(seeded, GUILD, 10, "07:30", "Europe/London", now=utc(2026, 11, 20))
    # Before: a fresh desk (a restart) at 07:00 waits, then posts at 07:30.
    done = await run_clock(briefings.BriefingDesk(seeded, outbox), utc(2026, 11, 21, 7, 0), utc(2026, 11, 21, 7, 29))
    assert done == []
    done = await run_clock(briefings.BriefingDesk(seeded, outbox), utc(2026, 11, 21, 7, 30), utc(2026, 11, 21, 7, 30))
    assert done == [(utc(2026, 11, 21, 7, 30), "posted")]
    # During: restarted within the same minute, after the post: nothing again.
    again = briefings.BriefingDesk(seeded, outbox)
    assert await run_clock(again, utc(2026, 11, 21, 7, 30, 40), utc(2026, 11, 21, 23, 59)) == []
    # After: down at 07:30 the next day, back at 09:00: posts on start (same local day), once.
    late = briefings.BriefingDesk(seeded, outbox)
    assert await run_clock(late, utc(2026, 11, 22, 9, 0), utc(2026, 11, 22, 10, 0)) == [
        (utc(2026, 11, 22, 9, 0), "posted")
    ]
    # After, with catch-up off: skipped, with a log line, and not posted later that day.
    strict = briefings.BriefingDesk(seeded, outbox, catch_up=False)
    with caplog.at_level(logging.INFO):
        done = await run_clock(strict, utc(2026, 11, 23, 9, 0), utc(2026, 11, 23, 12, 0))
    assert done == [(utc(2026, 11, 23, 9, 0), "skipped")] and "skipped" in caplog.text
    assert len(outbox.posts) == 2
    cfg = await seeded.briefing(GUILD)
    assert (cfg.last_local_date, cfg.last_outcome) == ("2026-11-23", "skipped")


async def test_down_over_a_whole_day_drops_that_day_only(seeded):
    outbox = Outbox()
    desk = briefings.BriefingDesk(seeded, outbox)
    await briefings.setup(seeded, GUILD, 10, "07:30", "UTC", now=utc(2026, 11, 20))
    await run_clock(desk, utc(2026, 11, 20, 7, 0), utc(2026, 11, 20, 8, 0))
    # Down from the 20th at 08:00 to the 22nd at 06:00: the 21st is gone, the 22nd posts on time.
    done = await run_clock(briefings.BriefingDesk(seeded, outbox), utc(2026, 11, 22, 6, 0), utc(2026, 11, 22, 9, 0))
    assert done == [(utc(2026, 11, 22, 7, 30), "posted")] and len(outbox.posts) == 2


async def test_two_servers_in_different_time_zones(seeded):
    outbox = Outbox()
    desk = briefings.BriefingDesk(seeded, outbox)
    await briefings.setup(seeded, GUILD, 10, "08:00", "Asia/Tokyo", now=utc(2026, 11, 20))
    await briefings.setup(seeded, OTHER, 20, "08:00", "America/Los_Angeles", now=utc(2026, 11, 20))
    done = await run_clock(desk, utc(2026, 11, 20, 0, 0), utc(2026, 11, 21, 0, 0))
    assert done == [
        (utc(2026, 11, 20, 16, 0), "posted"),  # 08:00 on the 20th in Los Angeles
        (utc(2026, 11, 20, 23, 0), "posted"),  # 08:00 on the 21st in Tokyo
    ]
    assert [channel for channel, _ in outbox.posts] == [20, 10]


async def test_a_refused_post_pauses_that_server_only_until_setup_again(seeded):
    outbox = Outbox()
    desk = briefings.BriefingDesk(seeded, outbox)
    await briefings.setup(seeded, GUILD, 10, "07:30", "UTC", now=utc(2026, 11, 20))
    await briefings.setup(seeded, OTHER, 20, "07:30", "UTC", now=utc(2026, 11, 20))

    async def refuse_one(channel_id, answer):
        if channel_id == 10:
            raise briefings.PostRefused("the bot may not post in <#10>")
        outbox.posts.append((channel_id, answer))

    desk.send = refuse_one
    done = await run_clock(desk, utc(2026, 11, 21, 7, 30), utc(2026, 11, 21, 9, 0))
    assert sorted(done) == [(utc(2026, 11, 21, 7, 30), "paused"), (utc(2026, 11, 21, 7, 30), "posted")]
    state = await briefings.status(seeded, GUILD, utc(2026, 11, 21, 9, 0))
    assert state.config.paused_reason == "the bot may not post in <#10>" and state.next_at is None
    # Fixed and set up again the same day: it posts that day's briefing, once.
    desk.send = outbox
    await briefings.setup(seeded, GUILD, 10, "07:30", "UTC", now=utc(2026, 11, 21, 9, 0))
    assert await run_clock(desk, utc(2026, 11, 21, 9, 1), utc(2026, 11, 21, 9, 5)) == [
        (utc(2026, 11, 21, 9, 1), "posted")
    ]


async def test_a_passing_failure_is_retried_with_growing_waits_not_a_storm(seeded):
    outbox = Outbox()
    desk = briefings.BriefingDesk(seeded, outbox)
    await briefings.setup(seeded, GUILD, 10, "07:30", "UTC", now=utc(2026, 11, 20))
    outbox.fail = True
    done = await run_clock(desk, utc(2026, 11, 21, 7, 30), utc(2026, 11, 21, 7, 40), timedelta(seconds=20))
    assert [when.minute for when, outcome in done if outcome == "failed"] == [30, 31, 33, 37]  # waits 1, 2, 4 min
    outbox.fail = False
    done = await run_clock(desk, utc(2026, 11, 21, 7, 41), utc(2026, 11, 21, 8, 0), timedelta(seconds=20))
    assert done == [(utc(2026, 11, 21, 7, 45), "posted")] and len(outbox.posts) == 1  # after a wait of 8


async def test_nothing_new_says_so_or_stays_quiet(seeded):
    outbox = Outbox()
    desk = briefings.BriefingDesk(seeded, outbox)
    await briefings.setup(seeded, GUILD, 10, "07:30", "UTC", now=utc(2099, 1, 1), when_empty="quiet")
    await briefings.setup(seeded, OTHER, 20, "07:30", "UTC", now=utc(2099, 1, 1))
    # The seeds were stored long before the day before: nothing is new to either.
    done = await run_clock(desk, utc(2099, 1, 2, 7, 30), utc(2099, 1, 2, 7, 30))
    assert sorted(outcome for _, outcome in done) == ["posted", "quiet"]
    [(channel, answer)] = outbox.posts
    assert channel == 20 and answer.intro.startswith("Nothing new in the archive since")


async def test_setup_refuses_bad_times_and_zones(seeded):
    with pytest.raises(UserError, match="HH:MM"):
        await briefings.setup(seeded, GUILD, 10, "half past seven", "UTC", now=utc(2026, 11, 20))
    with pytest.raises(UserError, match="time zone"):
        await briefings.setup(seeded, GUILD, 10, "07:30", "Europe/Atlantis", now=utc(2026, 11, 20))
    assert await seeded.briefing(GUILD) is None


# ---- what it says ---------------------------------------------------------------------------------------


async def test_the_seed_briefing(seeded):
    content, answer = await briefings.compose(seeded, (0, "2000-01-01T00:00:00+00:00"), "UTC", datetime.now(UTC))
    assert content.total == 2 and all(a.gist for a in content.articles) and content.until_id == 2
    assert {a.name for a, _ in content.actors} >= {"Haider al-Abadi"}
    assert all(a.kind in ("person", "organization") for a, _ in content.actors)
    assert content.quote is not None and content.quote.speaker
    headings = [s.heading for s in answer.sections]
    assert headings[:3] == ["New stories", "In the news", "Quote of the day"]
    assert len(paginate(answer, ONE_MESSAGE_CHARS, 25)) == 1 and "`#2`" in answer.sections[0].entries[0]


async def test_a_big_day_still_fits_one_message(tmp_path):
    from bot.archive.replicate import replicate

    db = seeded_database(tmp_path)
    replicate(db, 30, progress=lambda _: None)  # 62 new articles with long first sentences
    async with await Archive.open(db) as archive:
        content, answer = await briefings.compose(archive, (0, "2000-01-01T00:00:00+00:00"), "UTC", datetime.now(UTC))
    assert content.total == 62
    [card] = paginate(answer, ONE_MESSAGE_CHARS, 25)
    assert card.size() <= 6000 and any("more (`/stories` and `/search` find them)" in v for _, v in card.fields)


async def test_new_is_by_storage_order_so_nothing_falls_between_two_briefings(archive, empty_dir):
    (empty_dir / "a.txt").write_text("First headline\n\nThe minister spoke in Erbil on Monday about the vote.\n")
    await ingest(archive, empty_dir)
    first, _ = await briefings.compose(archive, (0, "2000-01-01T00:00:00+00:00"), "UTC", datetime.now(UTC))
    assert first.total == 1
    # The next briefing starts after the newest article the last one covered, whatever the clocks say.
    (empty_dir / "b.txt").write_text("Second headline\n\nThe council met in Baghdad on Tuesday to talk.\n")
    await ingest(archive, empty_dir)
    since = (first.until_id, briefings.iso(datetime.now(UTC)))
    second, _ = await briefings.compose(archive, since, "UTC", datetime.now(UTC) - timedelta(days=1))
    assert second.total == 1 and second.articles[0].article.title == "Second headline"
    third, _ = await briefings.compose(archive, (second.until_id, since[1]), "UTC", datetime.now(UTC))
    assert third.total == 0


async def test_a_post_interrupted_by_a_stop_is_not_repeated_after_the_restart(seeded, caplog):
    started = asyncio.Event()

    async def hangs(channel_id, answer):
        started.set()
        await asyncio.sleep(3600)

    await briefings.setup(seeded, GUILD, 10, "07:30", "UTC", now=utc(2026, 11, 20))
    desk = briefings.BriefingDesk(seeded, hangs)
    round_ = asyncio.create_task(desk.tick(utc(2026, 11, 21, 7, 30)))
    await started.wait()
    round_.cancel()  # the bot killed mid-send
    await asyncio.wait([round_])
    outbox = Outbox()
    again = briefings.BriefingDesk(seeded, outbox)
    with caplog.at_level(logging.WARNING):
        await again.recover()
    assert "not repeating" in caplog.text
    assert await run_clock(again, utc(2026, 11, 21, 7, 31), utc(2026, 11, 21, 9, 0)) == [] and not outbox.posts
    assert (await seeded.briefing(GUILD)).last_outcome == "interrupted"


async def test_turned_off_or_moved_during_a_round(seeded):
    outbox = Outbox()
    await briefings.setup(seeded, GUILD, 10, "07:30", "UTC", now=utc(2026, 11, 20))
    await briefings.setup(seeded, OTHER, 20, "07:30", "UTC", now=utc(2026, 11, 20))

    async def turn_off_other_first(channel_id, answer):
        await briefings.turn_off(seeded, OTHER)
        outbox.posts.append((channel_id, answer))

    desk = briefings.BriefingDesk(seeded, turn_off_other_first)
    briefings.PARALLEL_POSTS, parallel = 1, briefings.PARALLEL_POSTS  # one at a time: OTHER waits its turn
    try:
        done = await desk.tick(utc(2026, 11, 21, 7, 30))
    finally:
        briefings.PARALLEL_POSTS = parallel
    assert sorted(done) == [(GUILD, "posted"), (OTHER, "taken")] and [c for c, _ in outbox.posts] == [10]

    # A refusal from the old channel does not pause a briefing set up meanwhile for another one.
    async def moved_then_refused(channel_id, answer):
        await briefings.setup(seeded, GUILD, 11, "07:30", "UTC", now=utc(2026, 11, 22, 7, 30))
        raise briefings.PostRefused("no permission in <#10>")

    desk.send = moved_then_refused
    assert await desk.tick(utc(2026, 11, 22, 7, 30)) == [(GUILD, "paused")]
    assert (await seeded.briefing(GUILD)).paused_reason is None


async def test_one_server_with_an_unknown_time_zone_does_not_stop_the_others(seeded, monkeypatch):
    outbox = Outbox()
    await briefings.setup(seeded, GUILD, 10, "07:30", "UTC", now=utc(2026, 11, 20))
    await briefings.setup(seeded, OTHER, 20, "07:30", "Europe/London", now=utc(2026, 11, 20))
    real = schedule.zone
    monkeypatch.setattr(schedule, "zone", lambda name: real("Nowhere/Gone") if name == "Europe/London" else real(name))
    done = await briefings.BriefingDesk(seeded, outbox).tick(utc(2026, 11, 21, 7, 30))
    assert done == [(GUILD, "posted")]


async def test_status_never_promises_a_day_already_taken(seeded):
    await briefings.setup(seeded, GUILD, 10, "07:30", "Asia/Tokyo", now=utc(2026, 11, 20))
    await run_clock(briefings.BriefingDesk(seeded, Outbox()), utc(2026, 11, 20, 22, 30), utc(2026, 11, 20, 22, 30))
    # Moved west after posting Tokyo's 21st: in Los Angeles it is still the 20th, but the 21st is taken too.
    await briefings.setup(seeded, GUILD, 10, "07:30", "America/Los_Angeles", now=utc(2026, 11, 20, 23, 0))
    state = await briefings.status(seeded, GUILD, utc(2026, 11, 20, 23, 0))
    assert state.next_at == utc(2026, 11, 22, 15, 30)  # the 22nd, 07:30 PST


async def test_many_servers_due_at_once_are_posted_a_few_at_a_time(seeded):
    in_flight, most, posted = 0, 0, []

    async def slow_send(channel_id, answer):
        nonlocal in_flight, most
        in_flight += 1
        most = max(most, in_flight)
        await asyncio.sleep(0.01)
        in_flight -= 1
        posted.append(channel_id)

    for guild in range(1, 31):
        await briefings.setup(seeded, guild, 100 + guild, "07:30", "UTC", now=utc(2026, 11, 20))
    desk = briefings.BriefingDesk(seeded, slow_send)
    done = await desk.tick(utc(2026, 11, 20, 7, 30))
    assert sorted(posted) == list(range(101, 131)) and {o for _, o in done} == {"posted"}
    assert most == briefings.PARALLEL_POSTS


async def test_files_dropped_in_the_folder_are_picked_up_by_the_scan(archive, empty_dir, shared_worker_pool):
    from bot.background import IngestRunner
    from bot.config import Settings

    runner = IngestRunner(archive, Settings(database_path=archive.path, archive_dir=empty_dir), shared_worker_pool)
    scanner = asyncio.create_task(runner._scan_forever(0.2))
    try:
        (empty_dir / "new.txt").write_text("Dropped headline\n\nThe minister spoke in Erbil on Monday.\n")
        for _ in range(100):
            await asyncio.sleep(0.1)
            if (await archive.stats()).articles:
                break
        assert (await archive.stats()).articles == 1
        assert "picked up within" in runner.describe()
    finally:
        scanner.cancel()
        await asyncio.wait([scanner])

"""Watches and their alerts on a real archive: real ingest of small article files, real SQLite, a send that
records posts (or refuses, or fails)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from bot import briefings, watches
from bot.render.answers import watches_answer
from bot.services import UserError
from tests.conftest import ingest

GUILD, OTHER = 1, 2
CHANNEL, SECOND = 10, 20
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)

STORY = """{title}

By {author} for {source}.

ERBIL — Kurdish officials on Tuesday weighed a plan to build a {thing} plant near {place}, Governor Nawzad Hadi said.

"We need {need} for every family in the region," Nawzad Hadi told reporters after the meeting. The plan would
cost about ${cost} million and take {years} years to build.

Brett McGurk, the US special envoy, welcomed the proposal and said Washington would send engineers to {place}.
"""

# Different happenings, each its own story: their words share little.
OTHER_STORIES = [
    (
        "Flooding closes schools in {place}",
        "Heavy rain flooded streets across {place} on Monday, and schools in the"
        " old town were closed while crews pumped water from basements. Brett McGurk said the damage was severe.",
    ),
    (
        "{place} football club wins cup final",
        "The {place} club beat its rivals three goals to one in the cup final"
        " on Saturday, its first trophy in a decade. Supporters celebrated in the central square until dawn.",
    ),
    (
        "Wheat harvest in {place} breaks record",
        "Farmers around {place} brought in a record wheat harvest this"
        " summer, the agriculture ministry said, crediting late rains and new irrigation canals.",
    ),
    (
        "{place} museum reopens after repairs",
        "The {place} museum of antiquities reopened on Thursday after two"
        " years of repairs, with a new hall of Assyrian reliefs and a children's gallery.",
    ),
    (
        "Parliament in {place} passes budget",
        "Lawmakers in {place} passed next year's budget late on Wednesday"
        " after a long debate over salaries for public servants and oil revenue sharing.",
    ),
    (
        "Earthquake shakes {place}",
        "A moderate earthquake shook {place} before dawn on Friday, cracking walls in"
        " several villages; no one was hurt, the civil defence agency said.",
    ),
]


def article(n: int, source: str, title: str = "Kurdish leaders weigh desalination plan", **kw) -> str:
    values = dict(
        author=["Jane Moore", "Sam Lee", "Omar Aziz"][n % 3],
        thing="desalination",
        place="Erbil",
        need="water",
        cost=200,
        years=3,
    )
    values.update(kw)
    return STORY.format(title=title, source=source, **values)


def other(n: int, place: str) -> str:
    title, body = OTHER_STORIES[n]
    envoy = f"Brett McGurk, the US envoy, was in {place} at the time and spoke to officials."
    return f"{title.format(place=place)}\n\nBy Ann Cole for Gazette {n}.\n\n{body.format(place=place)} {envoy}\n"


class Outbox:
    """The `send` of a desk: records posts; refuses the channels in `refuse`, fails while `fail` is set."""

    def __init__(self):
        self.posts: list[tuple[int, object]] = []
        self.refuse: set[int] = set()
        self.fail = False

    async def __call__(self, channel_id, answer) -> None:
        if channel_id in self.refuse:
            raise briefings.PostRefused(f"the bot may not post in <#{channel_id}>")
        if self.fail:
            raise ConnectionError("Discord is unreachable")
        self.posts.append((channel_id, answer))


def text_of(answer) -> str:
    return "\n".join([answer.title, answer.intro] + [f"{s.heading}\n" + "\n".join(s.entries) for s in answer.sections])


async def add_files(archive, folder, files: dict[str, str]) -> None:
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    await ingest(archive, folder)


@pytest.fixture
async def base(archive, empty_dir):
    """An archive where McGurk is known (so an actor watch can be added) before anything is watched."""
    await add_files(archive, empty_dir, {"old.txt": other(4, "Mosul")})
    return archive, empty_dir


# ---- adding, listing, removing --------------------------------------------------------------------------


async def test_add_list_and_remove_with_their_bad_input(base):
    archive, _ = base
    actor, new = await watches.add_watch(archive, GUILD, CHANNEL, actor="McGurk", added_by="test")
    assert new and actor.kind == "actor" and actor.label == "Brett McGurk" and actor.since_id >= 1
    topic, _ = await watches.add_watch(archive, GUILD, CHANNEL, topic="desalination plant", added_by="test")
    assert json.loads(topic.topic) == ['"desalination"', '"plant"'] and topic.label == "desalination plant"
    for bad, why in [
        (dict(), "either an actor or a topic"),
        (dict(actor="McGurk", topic="water"), "either an actor or a topic"),
        (dict(topic="!!! ???"), "no words to search for"),
        (dict(topic="word " * 100), "keep it under"),
        (dict(actor="Zqxwv Nobody"), "No one called"),
    ]:
        with pytest.raises(UserError, match=why):
            await watches.add_watch(archive, GUILD, CHANNEL, added_by="test", **bad)
    assert [w.id for w in await watches.list_watches(archive, GUILD)] == [actor.id, topic.id]
    assert await watches.list_watches(archive, OTHER) == []
    with pytest.raises(UserError, match="no watch"):
        await watches.remove_watch(archive, OTHER, actor.id)  # another server's watch is not yours to remove
    assert (await watches.remove_watch(archive, GUILD, actor.id)).id == actor.id
    assert [w.id for w in await watches.list_watches(archive)] == [topic.id]


# ---- alerting ---------------------------------------------------------------------------------------------


async def test_an_actor_and_a_topic_watch_alert_once_per_story(base):
    archive, folder = base
    await watches.add_watch(archive, GUILD, CHANNEL, actor="McGurk", added_by="test")
    await watches.add_watch(archive, GUILD, SECOND, topic="desalination", added_by="test")
    outbox = Outbox()
    desk = watches.AlertDesk(archive, outbox)
    assert await desk.tick(NOW) == []  # nothing new since they were added: the old article alerts no one

    await add_files(archive, folder, {"a.txt": article(1, "Daily Planet")})
    assert sorted(await desk.tick(NOW)) == [(CHANNEL, "posted"), (SECOND, "posted")]
    by_channel = dict(outbox.posts)
    actor_post, topic_post = text_of(by_channel[CHANNEL]), text_of(by_channel[SECOND])
    assert by_channel[CHANNEL].title.startswith("Kurdish leaders weigh desalination plan")
    assert "Brett McGurk" in actor_post and "Daily Planet (1)" in actor_post
    assert "welcomed the proposal" in actor_post  # the sentence that names him
    assert "plan to build a desalination plant" in topic_post  # the first sentence with the topic's word
    assert "`#2`" in actor_post and "`#2`" in topic_post  # cited

    # The same story again, in another outlet (a syndicated copy): no one is alerted again.
    await add_files(archive, folder, {"b.txt": article(2, "Morning Wire", title="Officials in Erbil discuss water")})
    story = await archive._rows("SELECT story_id FROM articles WHERE id IN (2, 3)")
    assert story[0][0] is not None and story[0][0] == story[1][0]
    assert await desk.tick(NOW) == [] and len(outbox.posts) == 2
    assert await archive._scalar("SELECT count(*) FROM alerts") == 2


async def test_two_watches_of_one_channel_give_one_post_naming_both(base):
    archive, folder = base
    await watches.add_watch(archive, GUILD, CHANNEL, actor="McGurk", added_by="test")
    await watches.add_watch(archive, GUILD, CHANNEL, topic="desalination", added_by="test")
    outbox = Outbox()
    await add_files(archive, folder, {"a.txt": article(1, "Daily Planet")})
    assert await watches.AlertDesk(archive, outbox).tick(NOW) == [(CHANNEL, "posted")]
    [(_, post)] = outbox.posts
    assert "Brett McGurk" in post.intro and "desalination" in post.intro


async def test_past_the_rate_limit_the_rest_are_gathered_then_wait(base):
    archive, folder = base
    await watches.add_watch(archive, GUILD, CHANNEL, actor="McGurk", added_by="test")
    outbox = Outbox()
    desk = watches.AlertDesk(archive, outbox)
    places = ["Kirkuk", "Basra", "Najaf", "Duhok"]
    files = {"a.txt": article(1, "Daily Planet")}
    files.update({f"o{i}.txt": other(i, place) for i, place in enumerate(places)})  # McGurk in each
    await add_files(archive, folder, files)
    stories = await archive._scalar("SELECT count(DISTINCT story_id) FROM alerts")
    assert stories == 0  # collected at the tick, not before
    done = await desk.tick(NOW)
    alerted = await archive._scalar("SELECT count(DISTINCT story_id) FROM alerts")
    assert alerted > watches.ALERTS_PER_HOUR, "the test needs more stories than posts"
    assert done == [(CHANNEL, "posted")] * watches.ALERTS_PER_HOUR
    *alone, gathered = [answer for _, answer in outbox.posts]
    assert all("Sources so far" in text_of(a) for a in alone)
    assert gathered.title == "New stories for your watches"
    assert len(gathered.sections[0].entries) == alerted - 2 and all("`#" in e for e in gathered.sections[0].entries)
    assert await archive._scalar("SELECT count(*) FROM alerts WHERE status = 'sent'") == alerted

    # Within the hour, a new story waits; once the hour has passed it is posted.
    await add_files(archive, folder, {"late.txt": other(5, "Sulaimaniyah")})
    assert await desk.tick(NOW + timedelta(minutes=30)) == []
    assert await archive._scalar("SELECT count(*) FROM alerts WHERE status = 'pending'") == 1
    assert await desk.tick(NOW + timedelta(minutes=61)) == [(CHANNEL, "posted")]


async def test_a_dry_run_changes_nothing(base):
    archive, folder = base
    watch, _ = await watches.add_watch(archive, GUILD, CHANNEL, actor="McGurk", added_by="test")
    await add_files(archive, folder, {"a.txt": article(1, "Daily Planet")})
    [post] = await watches.dry_run(archive, NOW)
    assert post.channel_id == CHANNEL and not post.gathered and "Brett McGurk" in post.answer.intro
    assert await archive._scalar("SELECT count(*) FROM alerts") == 0
    assert (await watches.list_watches(archive))[0].since_id == watch.since_id
    outbox = Outbox()
    assert await watches.AlertDesk(archive, outbox).tick(NOW) == [(CHANNEL, "posted")]
    assert await watches.dry_run(archive, NOW) == []


async def test_a_refused_channel_pauses_only_its_watches_until_added_again(base):
    archive, folder = base
    await watches.add_watch(archive, GUILD, CHANNEL, actor="McGurk", added_by="test")
    await watches.add_watch(archive, GUILD, SECOND, topic="desalination", added_by="test")
    outbox = Outbox()
    outbox.refuse = {CHANNEL}
    desk = watches.AlertDesk(archive, outbox)
    await add_files(archive, folder, {"a.txt": article(1, "Daily Planet")})
    assert sorted(await desk.tick(NOW)) == [(CHANNEL, "paused"), (SECOND, "posted")]
    listed = {w.channel_id: w for w in await watches.list_watches(archive, GUILD)}
    assert listed[CHANNEL].paused_reason == f"the bot may not post in <#{CHANNEL}>"
    assert listed[SECOND].paused_reason is None
    assert "paused: the bot may not post" in text_of(watches_answer(list(listed.values())))
    assert await desk.tick(NOW) == []  # no retry storm
    assert await archive._scalar("SELECT count(*) FROM alerts WHERE status = 'pending'") == 1  # given back

    # Adding it again (here, to another channel) resumes it, and the waiting alert goes there.
    again, new = await watches.add_watch(archive, GUILD, SECOND, actor="McGurk", added_by="test")
    assert not new and again.paused_reason is None and again.channel_id == SECOND
    assert await desk.tick(NOW) == [(SECOND, "posted")]


async def test_a_passing_failure_is_tried_again_and_a_stopped_send_is_never_repeated(base):
    archive, folder = base
    await watches.add_watch(archive, GUILD, CHANNEL, actor="McGurk", added_by="test")
    outbox = Outbox()
    outbox.fail = True
    desk = watches.AlertDesk(archive, outbox)
    await add_files(archive, folder, {"a.txt": article(1, "Daily Planet")})
    assert await desk.tick(NOW) == [(CHANNEL, "failed")]
    assert await archive._scalar("SELECT count(*) FROM alerts WHERE status = 'pending'") == 1
    outbox.fail = False
    assert await desk.tick(NOW) == [(CHANNEL, "posted")]

    # A send the bot was in the middle of when it stopped: marked interrupted at the next start, never sent.
    await add_files(archive, folder, {"o.txt": other(0, "Kirkuk")})
    await archive.collect_alerts()
    [pending] = (await archive.pending_alerts())[CHANNEL]
    await archive.claim_alerts([pending.alert_id], CHANNEL, NOW.isoformat())
    await watches.AlertDesk(archive, outbox).recover()
    assert await desk.tick(NOW) == [] and len(outbox.posts) == 1
    assert await archive._scalar("SELECT status FROM alerts WHERE id = ?", (pending.alert_id,)) == "interrupted"

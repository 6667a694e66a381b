"""End to end: the real discord.py client, logged in to a fake Discord on loopback, answering slash commands."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from bot import services
from bot.config import Settings
from cogs.utils import paginator
from tests.conftest import SEEDS
from tests.discord_harness import running_bot, seeded_database
from tests.fake_discord import GUILD_ID, MANAGE_GUILD, SEND, FakeDiscord, text_channel

BRIEFING_CHANNEL = 3100

EPHEMERAL = 64
COMMANDS = {
    "search",
    "summary",
    "actor",
    "quotes",
    "timeline",
    "archive",
    "briefing",
    "feeds",
    "stories",
    "story",
    "watch",
}


def opt(name: str, value, kind: int = 3) -> dict:
    return {"type": kind, "name": name, "value": value}


async def answer_of(fake: FakeDiscord, interaction: dict, count: int = 1) -> dict:
    """The payload of the `count`-th request answering an interaction (1: the callback)."""
    calls = await fake.reply(interaction, count)
    return calls[count - 1].json


async def shown(fake: FakeDiscord, interaction: dict, timeout: float = 30) -> tuple:
    """The request that shows the answer (the callback, or the followup after "thinking…") and its message data:
    an answer with a picture may well be deferred while the picture is drawn."""

    def showing():
        for call in fake.replies(interaction):
            body = call.json or {}
            data = body.get("data", body) if "type" in body else body
            if data and (data.get("embeds") or data.get("content")):
                return call, data
        return None

    return await fake.wait_for(showing, timeout=timeout)


def embed_text(embed: dict) -> str:
    parts = [embed.get("title", ""), embed.get("description", "")]
    parts += [f"{f['name']}\n{f['value']}" for f in embed.get("fields", [])]
    return "\n".join(parts)


def assert_within_limits(embed: dict) -> None:
    assert len(embed.get("title", "")) <= 256
    assert len(embed.get("description", "")) <= 4096
    assert len(embed.get("fields", [])) <= 25
    for field in embed.get("fields", []):
        assert 0 < len(field["name"]) <= 256 and 0 < len(field["value"]) <= 1024
    total = (
        len(embed.get("title", "")) + len(embed.get("description", "")) + len(embed.get("footer", {}).get("text", ""))
    )
    total += sum(len(f["name"]) + len(f["value"]) for f in embed.get("fields", []))
    assert total <= 6000


# ---- logging in and registering commands ---------------------------------------------------------------


async def test_the_bot_registers_its_commands_once(fake, settings):
    async with running_bot(fake, settings):
        pass
    registered = {c["name"]: c for c in fake.commands["global"]}
    assert set(registered) == COMMANDS
    quotes = {o["name"]: o for o in registered["quotes"]["options"]}
    assert quotes["speaker"]["autocomplete"] is True and quotes["speaker"]["type"] == 3
    assert set(quotes) == {"speaker", "words", "from", "to"} and not any(o.get("required") for o in quotes.values())
    assert {o["name"] for o in registered["archive"]["options"]} == {"status", "reload"}
    assert registered["actor"]["options"][0]["required"] is True
    puts = [c for c in fake.calls if c.method == "PUT"]
    assert len(puts) == 1

    async with running_bot(fake, settings):  # restarted with the same commands: nothing to register
        pass
    assert len([c for c in fake.calls if c.method == "PUT"]) == 1


async def test_a_test_guild_gets_the_commands_at_once(fake, tmp_path):
    settings = Settings(
        database_path=seeded_database(tmp_path), archive_dir=SEEDS, ingest_on_start=False, test_guild_id=GUILD_ID
    )
    async with running_bot(fake, settings):
        pass
    assert {c["name"] for c in fake.commands[str(GUILD_ID)]} == COMMANDS
    assert "global" not in fake.commands


async def test_newsdesk_run_with_a_refused_token_says_what_to_do(fake, settings):
    from dataclasses import replace

    from bot import cli

    fake.refuse_token = True
    with pytest.raises(services.UserError, match="Reset Token"):
        await cli.cmd_run(None, replace(settings, discord_token="a-refused-token"))


async def test_the_health_file_tells_a_connected_bot_from_a_stuck_or_stopped_one(fake, settings, tmp_path):
    import json
    from dataclasses import replace

    from bot.background import check_health

    health = tmp_path / "health.json"
    async with running_bot(fake, replace(settings, health_file=health)):
        assert check_health(health) is None
        record = json.loads(health.read_text())
        health.write_text(json.dumps({**record, "at": record["at"] - 120}))  # as if the loop had stalled
        assert "stuck" in check_health(health)
    assert "not running" in check_health(health)  # removed on a clean stop


async def test_sigterm_stops_the_bot_and_closes_the_archive_cleanly(fake, settings, monkeypatch):
    import os
    import signal
    from dataclasses import replace

    from bot import cli
    from bot.archive import Archive

    closed = []
    original = Archive.close

    async def spy(self):
        await original(self)
        closed.append("closed")

    monkeypatch.setattr(Archive, "close", spy)

    async def terminate():
        await fake.identified.wait()
        await asyncio.sleep(0.2)
        os.kill(os.getpid(), signal.SIGTERM)  # what `docker stop` sends; cmd_run has its handler in place

    killer = asyncio.create_task(terminate())
    assert await cli.cmd_run(None, replace(settings, discord_token="t")) == 0
    await killer
    assert closed == ["closed"]


# ---- the commands ----------------------------------------------------------------------------------------


async def test_search_answers_with_cited_snippets_and_no_mentions(bot, fake):
    interaction = await fake.command("search", [opt("query", "referendum")])
    reply = await answer_of(fake, interaction)
    assert reply["type"] == 4  # answered at once, not deferred
    data = reply["data"]
    assert data["allowed_mentions"] == {"parse": []}
    assert not data.get("flags", 0) & EPHEMERAL
    embed = data["embeds"][0]
    assert_within_limits(embed)
    assert "referendum" in embed["title"]
    assert "`#1`" in embed_text(embed) or "`#2`" in embed_text(embed)
    assert "**referendum**" in embed_text(embed).lower()


async def test_actor_profile_and_autocomplete(bot, fake):
    interaction = await fake.autocomplete("actor", "name", "McG")
    reply = await answer_of(fake, interaction)
    assert reply["type"] == 8
    names = [c["value"] for c in reply["data"]["choices"]]
    assert "Brett McGurk" in names and len(names) <= 25

    empty = await answer_of(fake, await fake.autocomplete("actor", "name", ""))
    assert 0 < len(empty["data"]["choices"]) <= 25  # the most mentioned actors

    _, data = await shown(fake, await fake.command("actor", [opt("name", "McGurk")]))
    embed = data["embeds"][0]
    assert embed["title"] == "Brett McGurk"
    text = embed_text(embed)
    assert "person" in text and "Roles" in text and "`#" in text
    assert "envoy" in text.lower()


async def test_an_unknown_actor_gets_the_closest_names(bot, fake):
    reply = await answer_of(fake, await fake.command("actor", [opt("name", "Brett McGurck")]))
    text = embed_text(reply["data"]["embeds"][0])
    assert "No actor called" in text and "Brett McGurk" in text


async def test_quotes_by_speaker_with_speaker_article_and_date(bot, fake):
    reply = await answer_of(fake, await fake.command("quotes", [opt("speaker", "al-Abadi")]))
    text = embed_text(reply["data"]["embeds"][0])
    assert "Abadi" in text and "“" in text and "2017-" in text and "`#" in text


async def test_timeline_of_a_topic_from_a_date(bot, fake):
    _, data = await shown(fake, await fake.command("timeline", [opt("topic", "referendum"), opt("from", "2017-09-01")]))
    text = embed_text(data["embeds"][0])
    assert "Timeline: referendum" in text and "certainty" in text and "2017-09" in text


async def test_summary_of_a_picked_article_and_of_a_topic(bot, fake):
    picked = await answer_of(fake, await fake.autocomplete("summary", "article", "Iran"))
    choices = picked["data"]["choices"]
    assert choices and all(c["value"].isdigit() for c in choices)

    reply = await answer_of(fake, await fake.command("summary", [opt("article", choices[0]["value"])]))
    embed = reply["data"]["embeds"][0]
    assert embed["description"].startswith("•") and "Sources" in embed_text(embed)

    reply = await answer_of(fake, await fake.command("summary", [opt("topic", "Kurdish referendum")]))
    assert "`#" in embed_text(reply["data"]["embeds"][0])


async def test_archive_status(bot, fake):
    _, data = await shown(fake, await fake.command("archive status"))
    text = embed_text(data["embeds"][0])
    assert "**2** articles" in text and "Last ingest" in text


# ---- errors, permissions, hostile input ------------------------------------------------------------------


async def test_user_errors_are_one_ephemeral_line(bot, fake):
    reply = await answer_of(fake, await fake.command("quotes", [opt("from", "yesterday")]))
    assert reply["type"] == 4 and reply["data"]["flags"] & EPHEMERAL
    assert "YYYY-MM-DD" in reply["data"]["content"] and "\n" not in reply["data"]["content"]

    reply = await answer_of(fake, await fake.command("timeline"))
    assert reply["data"]["flags"] & EPHEMERAL and "topic" in reply["data"]["content"]

    huge = "@everyone " * 1000
    reply = await answer_of(fake, await fake.command("search", [opt("query", huge)]))
    assert reply["data"]["flags"] & EPHEMERAL and "keep it under" in reply["data"]["content"]
    assert reply["data"]["allowed_mentions"] == {"parse": []}


async def test_a_crash_is_reported_without_detail_and_logged(bot, fake, monkeypatch, caplog):
    async def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(services, "search", broken)
    interaction = await fake.command("search", [opt("query", "referendum")])
    reply = await answer_of(fake, interaction)
    content = reply["data"]["content"]
    assert reply["data"]["flags"] & EPHEMERAL and interaction["id"] in content and "secret" not in content
    assert "secret internals" in caplog.text


async def test_reload_is_for_managers_only(bot, fake):
    reply = await answer_of(fake, await fake.command("archive reload", permissions=SEND))
    assert reply["data"]["flags"] & EPHEMERAL and "Manage Server" in reply["data"]["content"]
    assert not bot.ingester.running and bot.ingester.last_report is None

    reply = await answer_of(fake, await fake.command("archive reload", guild=False))
    assert "server" in reply["data"]["content"]

    reply = await answer_of(fake, await fake.command("archive reload", permissions=SEND | MANAGE_GUILD))
    assert reply["data"]["flags"] & EPHEMERAL and "Reloading" in reply["data"]["content"]
    report = await asyncio.wait_for(bot.ingester.wait(), 120)
    assert report is not None and report.counts["unchanged"] == 2


async def test_archive_text_cannot_mention_or_format(fake, tmp_path, shared_worker_pool):
    folder = tmp_path / "hostile"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Hostile headline @everyone\n\nThe minister <@123> said the **vote** was @here and [click](http://x.y) "
        "in the referendum debate, according to officials.\n",
        encoding="utf-8",
    )
    settings = Settings(database_path=tmp_path / "h.db", archive_dir=folder, ingest_on_start=False)
    async with running_bot(fake, settings) as running:
        running.ingester.pool = shared_worker_pool
        running.ingester.start("test")
        await running.ingester.wait()
        searched = await answer_of(fake, await fake.command("search", [opt("query", "referendum")]))
        summed = await answer_of(fake, await fake.command("summary", [opt("article", "1")]))
    for reply in (searched, summed):
        data = reply["data"]
        assert data["allowed_mentions"] == {"parse": []}
        text = embed_text(data["embeds"][0])
        assert "\\@everyone" in text and "\\[click\\]" in text
        assert "@" not in text.replace("\\@", "") and "[click]" not in text
    assert "\\<\\@123\\>" in embed_text(summed["data"]["embeds"][0])


# ---- slow answers and paging -----------------------------------------------------------------------------


async def test_a_slow_answer_is_deferred_then_followed_up(bot, fake, monkeypatch):
    bot.defer_after = 0  # as if the archive were slow
    interaction = await fake.command("search", [opt("query", "referendum")])
    calls = await fake.reply(interaction, 2)
    assert calls[0].json["type"] == 5  # "thinking…"
    assert calls[1].method == "POST" and calls[1].json["embeds"]
    assert calls[1].json["allowed_mentions"] == {"parse": []}

    async def slow_refusal(*args, **kwargs):
        await asyncio.sleep(0.05)
        raise services.UserError("The from date is not a date.")

    monkeypatch.setattr(services, "quotes", slow_refusal)
    failing = await fake.command("quotes", [opt("from", "2017-13-45")])
    calls = await fake.reply(failing, 3)
    assert calls[0].json["type"] == 5
    assert calls[1].method == "DELETE"  # the public "thinking…" goes
    assert calls[2].json["flags"] & EPHEMERAL and "not a date" in calls[2].json["content"]


async def test_long_answers_page_for_their_author_only(bot, fake, monkeypatch):
    monkeypatch.setattr(paginator, "TIMEOUT", 2.0)
    interaction = await fake.command("quotes", [opt("from", "2000-01-01")])
    data = (await answer_of(fake, interaction))["data"]
    buttons = data["components"][0]["components"]
    assert [b["label"] for b in buttons] == ["◀", "1/" + buttons[1]["label"].split("/")[1], "▶"]
    pages = int(buttons[1]["label"].split("/")[1])
    assert pages >= 2
    assert buttons[0]["disabled"] is True and buttons[2].get("disabled", False) is False
    assert_within_limits(data["embeds"][0])
    message = (await fake.reply(interaction))[0].response["resource"]["message"]

    stranger = await fake.click(message, buttons[2]["custom_id"], user_id=5555)
    refused = await answer_of(fake, stranger)
    assert refused["data"]["flags"] & EPHEMERAL and "Only the person who asked" in refused["data"]["content"]

    click = await fake.click(message, buttons[2]["custom_id"])
    turned = await answer_of(fake, click)
    assert turned["type"] == 7
    assert turned["data"]["embeds"][0]["footer"]["text"].endswith(f"page 2/{pages}")
    assert turned["data"]["components"][0]["components"][1]["label"] == f"2/{pages}"

    # No click for the timeout: the buttons are disabled on the answer.
    edit = await fake.wait_for(  # through the last click's token (the command's would expire after 15 minutes)
        lambda: [c for c in fake.replies(click) if c.method == "PATCH" and "@original" in c.path]
    )
    assert all(b["disabled"] for b in edit[0].json["components"][0]["components"])


# ---- an ingest inside the bot ----------------------------------------------------------------------------


def write_articles(folder, count: int) -> None:
    """`count` distinct articles made from the seeds (each with its own closing line, so none is a duplicate)."""
    folder.mkdir()
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    for i in range(count):
        body = texts[i % len(texts)] + f"\nThe council met again on day {i} of the session in Erbil.\n"
        (folder / f"article-{i:04d}.txt").write_text(body, encoding="utf-8")


async def test_commands_and_heartbeats_go_on_while_the_bot_ingests(monkeypatch, tmp_path, shared_worker_pool, capsys):
    fake = FakeDiscord(heartbeat_ms=100)
    await fake.start()
    fake.patch(monkeypatch)
    folder = tmp_path / "archive"
    write_articles(folder, 60)
    settings = Settings(database_path=tmp_path / "lag.db", archive_dir=folder, ingest_on_start=False)
    latencies = []
    try:
        async with running_bot(fake, settings) as bot:
            bot.ingester.pool = shared_worker_pool
            await asyncio.sleep(0.3)
            bot.lag.reset()
            beats_before = len(fake.heartbeats)
            started = asyncio.get_running_loop().time()
            await answer_of(fake, await fake.command("archive reload", permissions=MANAGE_GUILD))
            while bot.ingester.running:
                interaction = await fake.command("search", [opt("query", "referendum")])
                sent = asyncio.get_running_loop().time()
                calls = await fake.reply(interaction)
                latencies.append(calls[0].at - sent)
                await asyncio.sleep(0.1)
            seconds = asyncio.get_running_loop().time() - started
            report = await bot.ingester.wait()
            beats = len(fake.heartbeats) - beats_before
            gaps = [b - a for a, b in zip(fake.heartbeats, fake.heartbeats[1:], strict=False)]
            worst_lag = bot.lag.worst
    finally:
        await fake.stop()
    assert report.counts["added"] == 60 and latencies
    assert max(latencies) < 3.0  # Discord's deadline for an answer or a deferral
    assert beats >= seconds / 0.1 * 0.5  # the heartbeat kept going (one per 100 ms asked)
    with capsys.disabled():
        print(
            f"\n[ingest inside the bot] {report.counts['added']} articles in {seconds:.1f} s; "
            f"{len(latencies)} commands, answer latency max {max(latencies) * 1000:.0f} ms; "
            f"event-loop lag max {worst_lag * 1000:.0f} ms; heartbeat gap max {max(gaps) * 1000:.0f} ms"
        )


# ---- the daily briefing ----------------------------------------------------------------------------------


async def test_briefing_setup_post_refusal_and_status(bot, fake):
    bot.get_cog("Briefing").ticker.cancel()  # the test turns the clock itself
    desk = bot.get_cog("Briefing").desk
    bot.clock = lambda: datetime(2026, 11, 22, 6, 0, tzinfo=UTC)
    zones = await answer_of(fake, await fake.autocomplete("briefing setup", "timezone", "bagh"))
    assert [c["value"] for c in zones["data"]["choices"]] == ["Asia/Baghdad"]

    options = [opt("channel", str(BRIEFING_CHANNEL), 7), opt("time", "09:30"), opt("timezone", "Asia/Baghdad")]
    resolved = {"channels": {str(BRIEFING_CHANNEL): text_channel(BRIEFING_CHANNEL, "briefing")}}
    refused = await answer_of(fake, await fake.command("briefing setup", options, resolved, permissions=SEND))
    assert refused["data"]["flags"] & EPHEMERAL and "Manage Server" in refused["data"]["content"]

    reply = await answer_of(fake, await fake.command("briefing setup", options, resolved, permissions=MANAGE_GUILD))
    content = reply["data"]["content"]
    assert (
        reply["data"]["flags"] & EPHEMERAL and "09:30 Asia/Baghdad" in content and f"<#{BRIEFING_CHANNEL}>" in content
    )
    assert reply["data"]["allowed_mentions"] == {"parse": []}

    # 09:30 in Baghdad is 06:30 UTC: the desk posts then, once.
    assert await desk.tick(datetime(2026, 11, 22, 6, 29, tzinfo=UTC)) == []
    assert await desk.tick(datetime(2026, 11, 22, 6, 30, tzinfo=UTC)) == [(GUILD_ID, "posted")]
    assert await desk.tick(datetime(2026, 11, 22, 6, 31, tzinfo=UTC)) == []
    [post] = [c for c in fake.calls if c.path == f"channels/{BRIEFING_CHANNEL}/messages"]
    assert post.json["allowed_mentions"] == {"parse": []} and "briefing" in post.json["embeds"][0]["title"]

    # The bot loses its permission: the next day's post pauses the briefing, and status says why.
    fake.channel_errors[str(BRIEFING_CHANNEL)] = 403
    assert await desk.tick(datetime(2026, 11, 23, 6, 30, tzinfo=UTC)) == [(GUILD_ID, "paused")]
    assert await desk.tick(datetime(2026, 11, 23, 6, 31, tzinfo=UTC)) == []  # no retry storm
    status = await answer_of(fake, await fake.command("briefing status"))
    assert "paused" in status["data"]["content"] and "Send Messages" in status["data"]["content"]

    now = await answer_of(fake, await fake.command("briefing now"))
    assert now["data"]["flags"] & EPHEMERAL and "briefing" in now["data"]["embeds"][0]["title"]


async def test_stories_and_a_picked_story(bot, fake):
    # By default the archive's last week: only the newer seed article.
    reply = await answer_of(fake, await fake.command("stories", []))
    assert embed_text(reply["data"]["embeds"][0]).count("`story ") == 1
    reply = await answer_of(fake, await fake.command("stories", [opt("from", "2017-01-01")]))
    embed = reply["data"]["embeds"][0]
    assert_within_limits(embed)
    text = embed_text(embed)
    assert text.count("`story ") == 2 and "source(s)" in text  # the seed archive's two articles: two stories

    picked = await answer_of(fake, await fake.autocomplete("story", "story", "Kurdistan"))
    choices = picked["data"]["choices"]
    assert choices and all(c["value"].isdigit() for c in choices) and len(choices) <= 25
    reply = await answer_of(fake, await fake.command("story", [opt("story", choices[0]["value"])]))
    embed = reply["data"]["embeds"][0]
    text = embed_text(embed)
    # The summary opens the page, cited; its timeline follows (sources and articles may be on the next pages).
    assert "Timeline" in text and "`#" in text and "•" in embed["description"] and "Story " in embed["footer"]["text"]
    assert reply["data"]["allowed_mentions"] == {"parse": []}

    reply = await answer_of(fake, await fake.command("story", [opt("story", "zzzz no such story")]))
    assert reply["data"]["flags"] & EPHEMERAL and "No story matches" in reply["data"]["content"]

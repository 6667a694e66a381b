"""End to end: /timeline, /actor and /archive status answer with their picture, a PNG uploaded with the answer
and shown in its embed, on the first page only; a chart that fails or runs late costs only itself."""

from __future__ import annotations

import io
import logging

import pytest
from PIL import Image

from bot import pictures
from bot.render import embeds
from bot.render.pages import paginate
from tests.test_bot import opt, shown


def assert_picture(call, data: dict, filename: str) -> bytes:
    [upload] = call.files
    assert upload.filename == filename and upload.data.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(upload.data))
    image.load()
    assert image.size[0] == 1000 and len(upload.data) < 1_000_000
    assert data["embeds"][0]["image"]["url"] == f"attachment://{filename}"
    [attachment] = data["attachments"]
    assert attachment["filename"] == filename and len(attachment["description"]) > 20  # the alt text
    return upload.data


@pytest.mark.parametrize(
    ("command", "options", "filename", "says"),
    [
        ("timeline", [opt("topic", "referendum")], "timeline.png", "Timeline of referendum"),
        ("actor", [opt("name", "al-Abadi")], "actor.png", "Who they appear with"),
        ("archive status", [], "archive.png", "Articles in the archive per day by source"),
    ],
)
async def test_an_answer_carries_its_picture(bot, fake, command, options, filename, says):
    call, data = await shown(fake, await fake.command(command, options))
    assert_picture(call, data, filename)
    assert says in data["attachments"][0]["description"]


async def test_no_data_no_picture(bot, fake):
    call, data = await shown(fake, await fake.command("timeline", [opt("topic", "zzyzx")]))
    assert "No dated event" in data["embeds"][0]["description"]
    assert call.files == [] and "image" not in data["embeds"][0]


async def test_a_chart_that_runs_late_or_fails_costs_only_itself(bot, fake, monkeypatch, caplog):
    bot.drawer.seconds = 0.001  # no chart is drawn in a millisecond
    with caplog.at_level(logging.WARNING, logger="bot.drawing"):
        call, data = await shown(fake, await fake.command("archive status"))
    assert (
        call.files == [] and "image" not in data["embeds"][0] and "**2** articles" in data["embeds"][0]["description"]
    )
    assert "archive.png chart was left out: took over" in caplog.text

    bot.drawer.seconds = 8.0

    async def broken(*args):
        raise RuntimeError("the chart's data could not be read")

    monkeypatch.setattr(pictures, "actor_chart", broken)
    call, data = await shown(fake, await fake.command("actor", [opt("name", "al-Abadi")]))
    assert call.files == [] and "Abadi" in data["embeds"][0]["title"]


async def test_the_picture_is_on_the_first_page_only(bot, fake, monkeypatch):
    monkeypatch.setattr(embeds, "paginate", lambda answer, *a: paginate(answer, 300, 1))  # many small pages
    interaction = await fake.command("timeline", [opt("topic", "referendum")])
    call, data = await shown(fake, interaction)
    first = assert_picture(call, data, "timeline.png")
    buttons = data["components"][0]["components"]
    message = call.response["resource"]["message"] if call.response and "resource" in call.response else call.response

    turned = await fake.click(message, buttons[2]["custom_id"])
    [edit] = await fake.reply(turned)
    page = edit.json["data"]
    assert edit.files == [] and page["attachments"] == [] and "image" not in page["embeds"][0]

    back = await fake.click(message, buttons[0]["custom_id"])
    [edit] = await fake.reply(back)
    assert [u.data for u in edit.files] == [first]  # the same picture, uploaded again with its page
    assert edit.json["data"]["embeds"][0]["image"]["url"] == "attachment://timeline.png"

"""Stories: the articles about one happening, across outlets and days, grouped as they are stored; a copy is in
its original's story; unrelated news the same day, even about the same people, is another story."""

from __future__ import annotations

from datetime import date

import pytest

from bot import stories
from bot.services import UserError
from tests.conftest import ingest
from tests.test_copies import OTHER, WIRE, write

FOLLOW_UP = [
    "Ferries to the islands left Port Elling on time on Wednesday as the harbour reopened after the storm that "
    "closed it for three days and broke the moorings of fishing boats, the port authority said.",
    "The cracked quay walls will be repaired over the winter, and fishing crews will get help from the council "
    "for the storm damage to their moorings, its leader, Mara Olsen, said.",
]
ELSEWHERE = [
    "Wheat prices rose on the Chicago exchange on Tuesday as dry weather in the plains cut the outlook for the "
    "winter crop, traders said, and export sales to Egypt and Algeria were strong.",
    "Corn and soybeans followed wheat higher in light trade before a government crop report due on Friday.",
]


def meta(folder, rows: list[tuple[str, str, str]]) -> None:
    lines = ["file,published,source"] + [",".join(r) for r in rows]
    (folder / "metadata.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture
async def harbour(archive, empty_dir):
    write(empty_dir, "a.txt", "Harbour to reopen after storm", "By Lena Berg, Coastal Wire", WIRE)
    write(empty_dir, "b.txt", "Port Elling harbour reopens Wednesday", "By Staff, The Island Times", WIRE[1:])
    write(empty_dir, "c.txt", "Council approves new school", "By Lena Berg, Coastal Wire", OTHER)
    write(empty_dir, "d.txt", "Ferries sail as Port Elling harbour reopens after storm", "By Jon Dale", FOLLOW_UP)
    write(empty_dir, "e.txt", "Wheat rises on dry weather", "By Staff", ELSEWHERE)
    meta(
        empty_dir,
        [
            ("a.txt", "2026-11-02", "Coastal Wire"),
            ("b.txt", "2026-11-02", "The Island Times"),
            ("c.txt", "2026-11-03", "Coastal Wire"),
            ("d.txt", "2026-11-04", "Harbour Post"),
            ("e.txt", "2026-11-03", "Farm Wire"),
        ],
    )
    await ingest(archive, empty_dir)
    return archive


async def story_of(archive, title: str) -> int:
    rows = await archive._rows("SELECT story_id FROM articles WHERE title = ?", (title,))
    return rows[0][0]


async def test_one_happening_across_outlets_and_days_is_one_story(harbour):
    reopen = await story_of(harbour, "Harbour to reopen after storm")
    assert await story_of(harbour, "Port Elling harbour reopens Wednesday") == reopen  # the copy
    assert await story_of(harbour, "Ferries sail as Port Elling harbour reopens after storm") == reopen  # next days
    # The same town, council and leader, but another piece of news; and news of another place.
    assert await story_of(harbour, "Council approves new school") not in (reopen, None)
    assert await story_of(harbour, "Wheat rises on dry weather") not in (reopen, None)

    listed = await stories.list_stories(harbour)
    assert [(s.articles, s.sources) for s in listed][0] == (2, 3)  # the copy counted once, its outlet named
    top = listed[0]
    assert top.id == reopen and (top.first_seen, top.last_seen) == ("2026-11-02", "2026-11-04")
    assert len(listed) == 3
    assert [s.id for s in await stories.list_stories(harbour, topic="wheat")] != [reopen]
    assert await stories.list_stories(harbour, date_from="2026-11-05") == []


async def test_a_story_page_tells_each_fact_once_and_cites_it(harbour):
    page = await stories.story_page(harbour, await story_of(harbour, "Harbour to reopen after storm"))
    d = page.detail
    assert [a.title for a in d.articles] == [
        "Harbour to reopen after storm",
        "Ferries sail as Port Elling harbour reopens after storm",
    ]
    assert [c.source for c in d.copies[d.articles[0].id]] == ["The Island Times"]
    assert {src for src, _ in d.sources} == {"Coastal Wire", "The Island Times", "Harbour Post"}
    assert page.summary and all(line.article.id in {a.id for a in d.articles} for line in page.summary)
    texts = [line.text for line in page.summary]
    assert len(texts) == len(set(texts))
    assert any(a.name == "Mara Olsen" for a, _ in d.actors)


async def test_the_picker_and_bad_story_numbers(harbour):
    reopen = await story_of(harbour, "Harbour to reopen after storm")
    assert (await stories.story_choices(harbour, "Ferries"))[0].id == reopen
    assert await stories.pick_story(harbour, str(reopen)) == reopen
    assert len(await stories.story_choices(harbour, "")) == 3
    for bad in ("nothing like it", "", "#"):
        with pytest.raises(UserError):
            await stories.pick_story(harbour, bad)
    with pytest.raises(UserError):
        await stories.story_page(harbour, 10**30)


async def test_the_briefing_lists_each_story_once_with_its_outlets(harbour):
    content = await harbour.briefing_content(0, "2026-11-01T00:00:00+00:00", date(2026, 11, 6).isoformat())
    assert content.total == 4 and content.stories == 3
    first = content.articles[0]
    assert first.in_a_story and first.outlets == 3 and first.new_articles == 2 and not first.follow_up
    assert first.article.title == "Ferries sail as Port Elling harbour reopens after storm"  # the newest news of it


async def test_a_follow_up_says_what_is_new_in_a_known_story(archive, empty_dir):
    write(empty_dir, "a.txt", "Harbour to reopen after storm", "By Lena Berg, Coastal Wire", WIRE)
    meta(empty_dir, [("a.txt", "2026-11-02", "Coastal Wire")])
    await ingest(archive, empty_dir)
    since = await archive._scalar("SELECT max(id) FROM articles")
    write(empty_dir, "d.txt", "Ferries sail as Port Elling harbour reopens after storm", "By Jon Dale", FOLLOW_UP)
    meta(empty_dir, [("a.txt", "2026-11-02", "Coastal Wire"), ("d.txt", "2026-11-03", "Harbour Post")])
    await ingest(archive, empty_dir)
    content = await archive.briefing_content(since, "2026-11-03T00:00:00+00:00", "2026-11-04")
    [new] = content.articles
    assert new.follow_up and new.new_articles == 1 and new.outlets == 2
    assert new.story_title and new.in_a_story


async def test_articles_stored_before_stories_are_placed_by_the_next_ingest(harbour, empty_dir):
    before = {r[0]: r[1] for r in await harbour._rows("SELECT id, story_id FROM articles")}
    db = harbour._writer()._con
    db.execute("UPDATE articles SET story_id = NULL")
    db.execute("DELETE FROM stories")
    db.execute("DELETE FROM story_word_counts")
    assert await harbour.place_stories() == 5
    after = {r[0]: r[1] for r in await harbour._rows("SELECT id, story_id FROM articles")}
    same = lambda m: {frozenset(k for k in m if m[k] == v) for v in m.values()}  # noqa: E731
    assert same(after) == same(before)
    assert await harbour._scalar("SELECT sum(articles) FROM stories") == 4  # the copy not counted


async def test_a_story_goes_when_its_last_article_does(harbour, empty_dir):
    wheat = await story_of(harbour, "Wheat rises on dry weather")
    write(
        empty_dir,
        "e.txt",
        "Wheat falls as rain returns",
        "By Staff",
        [p.replace("rose", "fell") for p in ELSEWHERE[::-1]],
    )
    await ingest(harbour, empty_dir)  # the file now holds other text: its article is replaced in place
    assert await harbour._scalar("SELECT count(*) FROM stories WHERE id = ?", (wheat,)) == 0
    assert await story_of(harbour, "Wheat falls as rain returns") is not None
    assert len(await stories.list_stories(harbour)) == 3

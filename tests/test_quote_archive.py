"""Quotes in the archive: stored at ingest, found by speaker, words and date, replaced with their article."""

import os

import pytest

from bot import services
from bot.render.answers import quotes_answer
from bot.render.text import render_quotes
from tests.conftest import ingest


@pytest.fixture
async def seeded(archive, seeds_dir):
    await ingest(archive, seeds_dir)
    return archive


async def test_by_speaker_any_alias(seeded):
    for name in ("al-Abadi", "Haider al-Abadi", "al- Abadi", "Abadi"):
        found = await services.quotes(seeded, speaker=name)
        assert len(found) == 4 and {q.speaker for q in found} == {"Haider al-Abadi"}, name
        assert all(q.article.published == "2017-10-26" and q.article.source == "Associated Press" for q in found)
    assert await services.quotes(seeded, speaker="Nobody Atall") == []


async def test_a_partial_quote_is_stored_and_shown_as_one(seeded):
    # 'Iraq's central government “will accept only the cancelling …,” al-Abadi said': the writer's sentence
    found = await services.quotes(seeded, speaker="al-Abadi", words="cancelling")
    assert [q.partial for q in found] == [True]
    assert "(said, in part)" in render_quotes(found)
    entries = [line for section in quotes_answer(found, "al-Abadi").sections for line in section.entries]
    assert len(entries) == 1 and "(said, in part)" in entries[0]
    direct = await services.quotes(seeded, speaker="al-Abadi", words="unity")
    assert direct and not any(q.partial for q in direct) and "in part" not in render_quotes(direct)


async def test_by_words_and_dates(seeded):
    found = await services.quotes(seeded, words="referendum")
    assert {q.speaker for q in found} >= {"Brett McGurk", "Haider al-Abadi"}
    september = await services.quotes(seeded, words="referendum", date_from="2017-09-01", date_to="2017-09-30")
    assert september and all(q.article.published == "2017-09-14" for q in september)
    assert await services.quotes(seeded, date_from="2017-11-01") == []
    mixed = await services.quotes(seeded, speaker="Khamenei", words="trust")
    assert [q.text for q in mixed] == ["Be careful about Americans deceit and never trust them"]


async def test_bad_arguments_get_a_helpful_reply(seeded):
    for kwargs in (
        {"date_from": "26/10/2017"},
        {"date_from": "2017-10-30", "date_to": "2017-10-01"},
        {"limit": 0},
        {"words": "x" * 10_000},
    ):
        with pytest.raises(services.UserError):
            await services.quotes(seeded, **kwargs)
    assert await services.quotes(seeded, words='NEAR( "* -') == []


async def test_profile_has_notable_quotes(seeded):
    profile = (await services.actor(seeded, "Soleimani")).profile
    assert [q.cue for q in profile.quotes] == ["warned", "cautioned"]


async def test_a_changed_article_replaces_its_quotes(archive, empty_dir):
    path = empty_dir / "a.txt"
    path.write_text('Vote\n\n"We will win the vote easily," said Maria Lopez on Monday.\n', encoding="utf-8")
    await ingest(archive, empty_dir)
    assert len(await services.quotes(archive, speaker="Maria Lopez")) == 1
    path.write_text('Vote\n\n"We lost the vote narrowly," said Maria Lopez on Tuesday.\n', encoding="utf-8")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))
    await ingest(archive, empty_dir)
    found = await services.quotes(archive, speaker="Lopez")
    assert [q.text for q in found] == ["We lost the vote narrowly"]
    assert await services.quotes(archive, words="easily") == []


async def test_a_speaker_known_by_that_name_is_not_mixed_with_namesakes(archive, empty_dir):
    (empty_dir / "a.txt").write_text(
        'Rally\n\nDonald Trump spoke in Ohio. "We will win Ohio easily," Trump said.\n', encoding="utf-8"
    )
    (empty_dir / "b.txt").write_text('Visit\n\n"The factory will reopen soon," Ivanka Trump said.\n', encoding="utf-8")
    await ingest(archive, empty_dir)
    assert [q.speaker for q in await services.quotes(archive, speaker="Trump")] == ["Donald Trump"]
    assert [q.speaker for q in await services.quotes(archive, speaker="Ivanka")] == ["Ivanka Trump"]

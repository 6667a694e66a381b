"""What the bot's pickers suggest (autocomplete), and the closest names for a name nobody has."""

import os

import pytest

from bot import services
from tests.conftest import ingest


async def test_a_mistyped_name_gets_the_closest_actors(archive, seeds_dir):
    await ingest(archive, seeds_dir)
    answer = await services.actor(archive, "Brett McGurck")
    assert answer.profile is None and answer.matches[0].name == "Brett McGurk"
    assert (await services.actor(archive, "Abadi Haidar")).matches  # words swapped, one letter wrong
    assert (await services.actor(archive, "Zzyzx Qwerty")).matches == []


async def test_actor_choices(archive, seeds_dir):
    await ingest(archive, seeds_dir)
    top = await services.actor_choices(archive, "")
    assert 0 < len(top) <= 25
    assert [a.mentions for a in top] == sorted((a.mentions for a in top), reverse=True)
    assert "Brett McGurk" in [a.name for a in await services.actor_choices(archive, "mcg")]
    assert "Brett McGurk" in [a.name for a in await services.actor_choices(archive, "McGurck")]
    assert len(await services.actor_choices(archive, "a" * 10_000)) <= 25
    assert "Brett McGurk" in [a.name for a in await services.actor_choices(archive, "Mc")]  # two letters
    assert "Haider al-Abadi" in [a.name for a in await services.actor_choices(archive, "ab")]
    mcgurk = (await services.actor(archive, "McGurk")).profile.actor
    assert (await services.actor(archive, f"#{mcgurk.id}")).profile.actor == mcgurk  # what a picker may send


async def test_article_choices_and_picking(archive, seeds_dir):
    await ingest(archive, seeds_dir)
    latest = await services.article_choices(archive, "")
    assert [r.published for r in latest] == ["2017-10-26", "2017-09-14"]
    iran = await services.article_choices(archive, "ira")  # a prefix of a title word
    assert iran and all("ira" in r.title.lower() for r in iran)
    assert (await services.article_choices(archive, "2"))[0].id == 2
    assert await services.pick_article(archive, "1") == 1
    assert await services.pick_article(archive, iran[0].title) == iran[0].id
    for hostile in ('"', "NEAR(", "title:*", "*", ")"):
        await services.article_choices(archive, hostile)
    with pytest.raises(services.UserError):
        await services.pick_article(archive, "no such title anywhere")
    for wordless in ("???", "!!", "—", "*"):  # not "the latest article"
        with pytest.raises(services.UserError):
            await services.pick_article(archive, wordless)
    # Words cut short still find their title (the search index stems "Referendum" to "referendum", "Kurdistan"...).
    for part in ("Referen", "align agai"):
        assert [r.id for r in await services.article_choices(archive, part)] == [1]
    assert {r.id for r in await services.article_choices(archive, "kurdis")} == {1, 2}  # Kurdistan, Kurdish
    assert 1 in [r.id for r in await services.article_choices(archive, "Ir")]  # two letters: titles starting so


async def test_the_name_index_follows_the_archive(archive, empty_dir):
    (empty_dir / "a.txt").write_text("Headline\n\nMinister Jalal Barzinji spoke in Erbil on Monday.\n")
    await ingest(archive, empty_dir)
    assert [a.name for a in await archive.closest_actors("Jalal Barzingi")] == ["Jalal Barzinji"]
    path = empty_dir / "a.txt"
    path.write_text("Headline\n\nMinister Omar Khalidi spoke in Erbil on Monday.\n")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))
    await ingest(archive, empty_dir)
    assert await archive.closest_actors("Jalal Barzingi") == []
    assert [a.name for a in await archive.closest_actors("Omar Kalidi")] == ["Omar Khalidi"]

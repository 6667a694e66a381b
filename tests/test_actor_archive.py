"""Actors in the archive: stored at ingest, merged across articles by full name only, gone with their articles."""

import os

from bot import services
from tests.conftest import ingest


def write(folder, name, text):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))


async def test_seed_profiles(archive, seeds_dir):
    await ingest(archive, seeds_dir)
    answer = await services.actor(archive, "McGurk")
    profile = answer.profile
    assert profile.actor.name == "Brett McGurk" and profile.actor.kind == "person"
    assert "the US special anti-IS envoy" in [r.text for r in profile.roles]
    assert profile.roles[0].article.published == "2017-09-14"
    assert (profile.first_seen, profile.last_seen) == ("2017-09-14", "2017-09-14")
    assert "Douglas Silliman" in [a.name for a, _ in profile.together]
    abadi = (await services.actor(archive, "al- Abadi")).profile
    assert abadi.actor.name == "Haider al-Abadi" and abadi.actor.mentions >= 7
    # Iran and the United States are in both articles: one actor each across the archive.
    for name in ("Iran", "U.S."):
        profile = (await services.actor(archive, name)).profile
        assert profile.actor.articles == 2 and profile.first_seen == "2017-09-14" and profile.last_seen == "2017-10-26"
    assert (await services.actor(archive, "PUK")).profile.actor.name == "Patriotic Union of Kurdistan"
    al_monitor = (await services.actor(archive, "Al-Monitor")).profile.actor
    assert al_monitor.publication and al_monitor.kind == "organization"


async def test_the_same_full_name_is_one_actor_but_a_shared_surname_is_not(archive, empty_dir):
    write(empty_dir, "a.txt", "Talks in Erbil\n\nJohn Carter, the envoy, met officials in Erbil. Carter left.\n")
    write(empty_dir, "b.txt", "Vote delayed\n\nJohn Carter said the vote would be delayed, officials said.\n")
    write(empty_dir, "c.txt", "Budget passed\n\nMary Carter, the finance minister, passed the budget on Monday.\n")
    await ingest(archive, empty_dir)
    john = (await services.actor(archive, "John Carter")).profile
    assert john.actor.articles == 2 and "Carter" in john.aliases
    mary = (await services.actor(archive, "Mary Carter")).profile
    assert mary.actor.id != john.actor.id and mary.actor.articles == 1
    matches = await archive.find_actors("Carter")
    assert {m.name for m in matches} >= {"John Carter", "Mary Carter"}


async def test_a_changed_article_drops_its_old_mentions_and_orphan_actors(archive, empty_dir):
    write(empty_dir, "a.txt", "Talks\n\nPeter Novak met Hana Suzuki in Geneva on Monday.\n")
    await ingest(archive, empty_dir)
    assert (await services.actor(archive, "Hana Suzuki")).profile is not None
    write(empty_dir, "a.txt", "Talks\n\nPeter Novak met Luis Ortega in Geneva on Monday.\n")
    report = await ingest(archive, empty_dir)
    assert report.counts["updated"] == 1
    assert (await services.actor(archive, "Hana Suzuki")).profile is None  # no article mentions her now
    assert (await services.actor(archive, "Luis Ortega")).profile.actor.mentions == 1
    assert (await services.actor(archive, "Peter Novak")).profile.actor.mentions == 1  # not counted twice


async def test_unknown_and_hostile_names(archive, seeds_dir):
    await ingest(archive, seeds_dir)
    assert (await services.actor(archive, "Zebulon")).profile is None
    for name in ("%", "_", "\\", "'; DROP TABLE actors; --", "@everyone"):
        answer = await services.actor(archive, name)
        assert answer.profile is None or answer.profile.actor.name
    assert (await services.actor(archive, "Solei")).profile.actor.name == "Qasem Soleimani"  # a name's start


async def test_both_shapes_of_profile_lookup_agree(archive, seeds_dir, monkeypatch):
    """Actors in thousands of articles are looked up by walking the dates; the answer is the same."""
    from bot.archive import actors

    await ingest(archive, seeds_dir)
    for name in ("Iran", "McGurk", "al-Abadi"):
        monkeypatch.setattr(actors, "SCAN_FROM", 10**9)
        gathered = (await services.actor(archive, name)).profile
        monkeypatch.setattr(actors, "SCAN_FROM", 1)
        walked = (await services.actor(archive, name)).profile
        assert (walked.first_seen, walked.last_seen) == (gathered.first_seen, gathered.last_seen)
        assert [a.published for a in walked.articles] == [a.published for a in gathered.articles]
        assert {a.id for a in walked.articles} == {a.id for a in gathered.articles}

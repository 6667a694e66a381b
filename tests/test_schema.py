"""The database: WAL, foreign keys, migrations in order, and refusal of what it cannot use."""

import sqlite3

import pytest

from bot.archive import Archive, ArchiveError
from bot.archive.migrations import latest_version, migrations


async def test_new_database_is_migrated_with_wal_and_foreign_keys(tmp_path):
    path = tmp_path / "sub" / "dir" / "n.db"
    async with await Archive.open(path) as archive:
        assert await archive.schema_version() == latest_version()
        assert await archive._scalar("PRAGMA foreign_keys") == 1
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


async def test_an_older_database_upgrades_in_place_and_keeps_its_data(tmp_path):
    for upto in range(1, latest_version() + 1):
        target = tmp_path / f"v{upto}.db"
        con = sqlite3.connect(target)
        for version, script in migrations()[:upto]:
            con.executescript(script)
            con.execute(f"PRAGMA user_version = {version}")
        con.execute("INSERT INTO ingest_runs (folder, started_at) VALUES ('kept', 'then')")
        con.commit()
        con.close()
        async with await Archive.open(target) as archive:
            assert await archive.schema_version() == latest_version()
            assert (await archive.last_run()).folder == "kept"


async def test_a_newer_database_is_refused(tmp_path):
    path = tmp_path / "new.db"
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA user_version = {latest_version() + 1}")
    con.close()
    with pytest.raises(ArchiveError, match="newer than this Newsdesk"):
        await Archive.open(path)


async def test_someone_elses_database_and_garbage_are_refused(tmp_path):
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t (x)")
    con.close()
    with pytest.raises(ArchiveError, match="not Newsdesk's"):
        await Archive.open(other)
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not a database at all" * 200)
    with pytest.raises(ArchiveError, match="not a usable SQLite database"):
        await Archive.open(garbage)


def test_migrations_are_numbered_without_gaps():
    assert [v for v, _ in migrations()] == list(range(1, latest_version() + 1))


async def test_a_replicated_archive_is_whole_and_shifted(tmp_path):
    """The benchmarks' scaled-up archive (bot/archive/replicate.py) is a consistent archive."""
    from bot import services
    from bot.archive import Archive
    from bot.archive.replicate import replicate
    from tests.discord_harness import seeded_database

    db = seeded_database(tmp_path)
    async with await Archive.open(db) as archive:
        before = (await services.actor(archive, "al-Abadi")).profile.actor
    assert replicate(db, 3, progress=lambda _: None) == 8
    async with await Archive.open(db) as archive:
        assert await archive.integrity_problems() == []
        stats = await archive.stats()
        assert (stats.articles, stats.first_published, stats.last_published) == (8, "2017-09-14", "2020-10-26")
        abadi = (await services.actor(archive, "al-Abadi")).profile
        assert abadi.actor.id == before.id and abadi.actor.articles == 4 * before.articles  # one person, 4 times
        quotes = await services.quotes(archive, speaker="al-Abadi", date_from="2019-01-01", limit=25)
        assert quotes and all(q.article.published >= "2019" for q in quotes)
        events = (await services.timeline(archive, topic="referendum", date_from="2020-01-01")).events
        assert events and all(e.first >= "2020" for e in events)


async def test_migration_8_rebuilds_actors_and_events_without_losing_a_row(tmp_path):
    target = tmp_path / "v7.db"
    con = sqlite3.connect(target)
    for version, script in migrations()[:7]:
        con.executescript(script)
        con.execute(f"PRAGMA user_version = {version}")
    con.executescript(
        """INSERT INTO articles (id, content_sha, recipe_sha, encoding, title, title_from, word_count, created_at,
               updated_at, body, raw_text) VALUES (1, 'c', 'r', 'utf-8', 'T', 'headline', 3, 'now', 'now', 'b', 'b');
           INSERT INTO actors (id, kind, key, name) VALUES (7, 'person', 'maria lopez', 'Maria Lopez');
           INSERT INTO mentions (article_id, actor_id, sentence, start, end, text, label)
               VALUES (1, 7, 0, 0, 5, 'Lopez', 'PERSON');
           INSERT INTO events (id, value, granularity, first, last, certainty, text, article_id)
               VALUES (3, '2017-03-06', 'day', '2017-03-06', '2017-03-06', 'high', 'Lopez opened the dam.', 1);
           INSERT INTO event_sources VALUES (3, 1, 0, 'March 6');
           INSERT INTO event_actors VALUES (3, 7, 1);"""
    )
    con.commit()
    con.close()
    async with await Archive.open(target) as archive:
        assert await archive.schema_version() == latest_version()
        assert await archive.integrity_problems() == ["1 article(s) with no file"]  # as it was made: no file row
        [event] = await archive.events([3])
        assert (event.text, event.status, event.actors, [s.id for s in event.sources]) == (
            "Lopez opened the dam.", "happened", ["Maria Lopez"], [1]
        )  # fmt: skip
    con = sqlite3.connect(target)
    con.execute("PRAGMA foreign_keys = ON")
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    assert con.execute("SELECT mention_count, article_count FROM actors WHERE id = 7").fetchone() == (1, 1)
    con.execute(
        "INSERT INTO mentions (article_id, actor_id, sentence, start, end, text, label) "
        "VALUES (1, 7, 0, 0, 1, 'L', 'PERSON')"
    )
    assert con.execute("SELECT mention_count FROM actors WHERE id = 7").fetchone() == (2,)  # the trigger is back
    con.execute("INSERT INTO actors (kind, key, name) VALUES ('product', 'iphone 4', 'iPhone 4')")
    con.execute("DELETE FROM articles WHERE id = 1")  # the foreign keys still cascade
    assert con.execute("SELECT count(*) FROM event_sources").fetchone() == (0,)

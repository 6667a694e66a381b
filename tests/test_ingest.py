"""Ingest on real SQLite files: seeds, idempotence, changes, duplicates, bad files, encodings, missing files."""

import os
import shutil

import pytest

from bot.archive import Archive
from tests.conftest import ingest

STORY = "Kurdish leaders met in Erbil\n\nKurdish leaders met in Erbil on Monday to discuss the vote. {extra}\n"


def write(folder, name, text, encoding="utf-8"):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path


def bump_mtime(path):
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))


async def articles(archive: Archive) -> dict[str, tuple]:
    result = {}
    for state in (await archive.file_states("/")).values():
        result[os.path.basename(state.path)] = (state.status, state.article_id)
    return result


async def test_ingest_the_seeds(archive, seeds_dir):
    report = await ingest(archive, seeds_dir)
    assert report.counts["added"] == 2 and report.files_seen == 2
    assert report.skipped == [] and report.metadata_problems == []
    stats = await archive.stats()
    assert stats.articles == 2
    assert (stats.first_published, stats.last_published) == ("2017-09-14", "2017-10-26")
    assert dict(stats.sources) == {"Al-Monitor": 1, "Associated Press": 1}
    hit = (await archive.search("Soleimani")).hits[0]
    assert hit.title == "Iran, US align against Iraqi Kurdistan Referendum" and hit.published == "2017-09-14"


async def test_second_run_changes_nothing(archive, seeds_dir):
    await ingest(archive, seeds_dir)
    before = await archive.file_states(str(seeds_dir))
    report = await ingest(archive, seeds_dir)
    assert dict(report.counts) == {"unchanged": 2, "missing": 0}
    assert await archive.file_states(str(seeds_dir)) == before


async def test_touched_but_identical_file_is_unchanged(archive, seeds_dir):
    await ingest(archive, seeds_dir)
    bump_mtime(seeds_dir / "000_98bcba3509091753.txt")
    report = await ingest(archive, seeds_dir)
    assert report.counts["unchanged"] == 2 and report.counts["updated"] == 0


async def test_changed_file_replaces_its_article_in_place(archive, empty_dir):
    path = write(empty_dir, "a.txt", STORY.format(extra="Talks were calm."))
    await ingest(archive, empty_dir)
    [before] = (await archive.search("Erbil")).hits
    write(empty_dir, "a.txt", STORY.format(extra="Talks collapsed overnight."))
    bump_mtime(path)
    report = await ingest(archive, empty_dir)
    assert report.counts["updated"] == 1
    [after] = (await archive.search("Erbil")).hits
    assert after.article_id == before.article_id  # same article, new text
    assert (await archive.search("collapsed")).total == 1
    assert (await archive.search("calm")).total == 0  # the old text is gone from the index too
    assert (await archive.stats()).articles == 1


async def test_same_text_under_two_names_is_stored_once(archive, empty_dir):
    write(empty_dir, "a.txt", STORY.format(extra=""))
    write(empty_dir, "copy/b.txt", STORY.format(extra="").replace("\n", "\r\n"), encoding="utf-16")
    report = await ingest(archive, empty_dir)
    assert report.counts["added"] == 1 and report.counts["duplicate"] == 1
    assert report.duplicates[0][0] == "copy/b.txt" and "a.txt" in report.duplicates[0][1]
    stats = await archive.stats()
    assert stats.articles == 1 and stats.files_by_status == {"ok": 1, "duplicate": 1}


async def test_owner_gone_promotes_the_duplicate(archive, empty_dir):
    write(empty_dir, "a.txt", STORY.format(extra=""))
    write(empty_dir, "b.txt", STORY.format(extra=""))
    await ingest(archive, empty_dir)
    (empty_dir / "a.txt").unlink()
    report = await ingest(archive, empty_dir)
    assert report.missing == ["a.txt"]
    files = await articles(archive)
    assert files["a.txt"][0] == "missing" and files["b.txt"][0] == "ok"
    assert files["a.txt"][1] == files["b.txt"][1]


async def test_disappeared_file_is_marked_missing_not_deleted(archive, seeds_dir):
    await ingest(archive, seeds_dir)
    moved = seeds_dir.parent / "elsewhere.txt"
    shutil.move(seeds_dir / "004_b40c0b8648002e66.txt", moved)
    report = await ingest(archive, seeds_dir)
    assert report.missing == ["004_b40c0b8648002e66.txt"] and report.counts["missing"] == 1
    stats = await archive.stats()
    assert stats.articles == 2 and stats.files_by_status == {"ok": 1, "missing": 1}
    assert (await archive.search("Khamenei")).total == 1  # still searchable
    # It comes back: restored, not added again.
    shutil.move(moved, seeds_dir / "004_b40c0b8648002e66.txt")
    report = await ingest(archive, seeds_dir)
    assert report.counts["added"] == 0 and (await archive.stats()).files_by_status == {"ok": 2}


async def test_renamed_file_keeps_its_article(archive, empty_dir):
    write(empty_dir, "a.txt", STORY.format(extra=""))
    await ingest(archive, empty_dir)
    [hit] = (await archive.search("Erbil")).hits
    (empty_dir / "a.txt").rename(empty_dir / "renamed.txt")
    report = await ingest(archive, empty_dir)
    assert report.counts["added"] == 0 and report.counts["duplicate"] == 0 and report.counts["updated"] == 1
    files = await articles(archive)
    assert files["renamed.txt"] == ("ok", hit.article_id) and files["a.txt"][0] == "missing"


BAD_FILES = {
    "empty.txt": (b"", "empty"),
    "blank.txt": (b"\n  \n", "empty"),
    "binary.txt": (b"GIF89a\x00\x01\x02garbage", "binary"),
    "huge.txt": (b"word " * 300_000, "oversized"),
    "undecodable.txt": (b"caf\xc3 \x81\x8d\x8f", "undecodable"),
    "furniture.txt": (b"Comments are closed.\n", "no text"),
}


async def test_bad_files_are_skipped_with_reasons_and_the_rest_ingests(archive, seeds_dir):
    for name, (data, _) in BAD_FILES.items():
        write(seeds_dir, name, data)
    report = await ingest(archive, seeds_dir)
    assert report.counts["added"] == 2 and report.counts["skipped"] == len(BAD_FILES)
    reasons = dict(report.skipped)
    for name, (_, reason) in BAD_FILES.items():
        assert reasons[name].startswith(reason), (name, reasons[name])
    stats = await archive.stats()
    assert stats.files_by_status["skipped"] == len(BAD_FILES)
    assert {os.path.basename(p) for p, _ in stats.skipped} == set(BAD_FILES)


async def test_a_good_file_turned_bad_keeps_its_article(archive, empty_dir):
    path = write(empty_dir, "a.txt", STORY.format(extra=""))
    await ingest(archive, empty_dir)
    path.write_bytes(b"")
    report = await ingest(archive, empty_dir)
    assert report.counts["skipped"] == 1
    assert (await archive.search("Erbil")).total == 1  # nothing already stored is lost
    path.write_text(STORY.format(extra="Fixed."))
    bump_mtime(path)
    report = await ingest(archive, empty_dir)
    assert report.counts["updated"] == 1 and (await archive.stats()).files_by_status == {"ok": 1}


async def test_skipped_file_is_reconsidered_when_the_limit_grows(archive, empty_dir):
    write(empty_dir, "long.txt", "Headline\n\n" + "A long sentence about the vote. " * 100)
    report = await ingest(archive, empty_dir, max_bytes=1000)
    assert report.counts["skipped"] == 1
    report = await ingest(archive, empty_dir, max_bytes=10_000)
    assert report.counts["added"] == 1


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
async def test_each_encoding_reads_the_same(archive, empty_dir, encoding):
    text = "Iraq’s “freeze” offer\n\nThe prime minister’s café — said “no” to the €5 offer.\n"
    write(empty_dir, "a.txt", text, encoding=encoding)
    await ingest(archive, empty_dir)
    [hit] = (await archive.search("café")).hits
    assert hit.title == "Iraq’s “freeze” offer"


async def test_metadata_file_dates_articles_and_an_edit_updates_them(archive, empty_dir):
    write(empty_dir, "a.txt", STORY.format(extra=""))
    write(empty_dir, "metadata.csv", "file,published,source\na.txt,2017-09-14,Rudaw\nnope.txt,bad-date,\n")
    report = await ingest(archive, empty_dir)
    assert any("bad-date" in p for p in report.metadata_problems)
    [hit] = (await archive.search("Erbil")).hits
    assert (hit.published, hit.source) == ("2017-09-14", "Rudaw")
    write(empty_dir, "metadata.csv", "file,published,source\na.txt,2017-09-15,Rudaw\n")
    report = await ingest(archive, empty_dir)
    assert report.counts["updated"] == 1
    [after] = (await archive.search("Erbil")).hits
    assert after.published == "2017-09-15" and after.article_id == hit.article_id


async def test_hidden_and_non_text_files_are_ignored(archive, empty_dir):
    write(empty_dir, ".hidden.txt", STORY.format(extra=""))
    write(empty_dir, "notes.md", "# not an article")
    write(empty_dir, ".git/x.txt", STORY.format(extra=""))
    report = await ingest(archive, empty_dir)
    assert report.files_seen == 0


async def test_missing_folder_is_a_clear_error(archive, tmp_path):
    from bot.ingest import IngestError, ingest_folder

    with pytest.raises(IngestError, match="does not exist"):
        await ingest_folder(archive, tmp_path / "nope", max_bytes=1000)


async def test_many_files_go_through_worker_processes(archive, empty_dir):
    for i in range(250):
        write(empty_dir, f"{i:04}.txt", f"Story number {i}\n\nBody of story {i} about topic{i % 7}.\n")
    report = await ingest(archive, empty_dir)
    assert report.counts["added"] == 250
    assert (await archive.search("topic3")).total == len([i for i in range(250) if i % 7 == 3])


async def test_replacing_an_article_keeps_its_duplicates_linked(archive, empty_dir):
    write(empty_dir, "a.txt", STORY.format(extra=""))
    write(empty_dir, "b.txt", STORY.format(extra=""))
    await ingest(archive, empty_dir)
    # A metadata edit re-makes the article; the duplicate must still point at it.
    write(empty_dir, "metadata.csv", "file,published\na.txt,2017-09-14\n")
    report = await ingest(archive, empty_dir)
    assert report.counts["updated"] == 1
    files = await articles(archive)
    assert files["a.txt"][1] == files["b.txt"][1] is not None
    assert files["b.txt"][0] == "duplicate"
    stats = await archive.stats()
    assert [why for _, why in stats.duplicates][0].startswith("same text as")
    (empty_dir / "a.txt").unlink()
    await ingest(archive, empty_dir)
    assert (await articles(archive))["b.txt"][0] == "ok"  # promoted, not orphaned


async def test_a_pipe_named_like_an_article_is_not_read(archive, empty_dir):
    os.mkfifo(empty_dir / "pipe.txt")
    write(empty_dir, "a.txt", STORY.format(extra=""))
    report = await ingest(archive, empty_dir)
    assert report.counts["added"] == 1
    assert dict(report.skipped) == {"pipe.txt": "a FIFO (named pipe), not a file; not read"}


async def test_two_processes_opening_a_new_database_at_once(tmp_path):
    import asyncio

    path = tmp_path / "race.db"
    first, second = await asyncio.gather(Archive.open(path), Archive.open(path))
    assert await first.schema_version() == await second.schema_version()
    await first.close()
    await second.close()

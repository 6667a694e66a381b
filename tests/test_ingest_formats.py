"""A folder of saved pages and exports ingested: every good record an article, every bad one named, and an export
read again when it changes, without losing what it held."""

from __future__ import annotations

import json

from tests.conftest import ingest
from tests.test_formats import page, warc


def jsonl(*rows) -> str:
    return "\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n"


FERRIES = [
    "The northern ferry line opened again on Monday after repairs to its two boats, the port said, and the first "
    "crossing left at seven with forty passengers and a lorry of fish on board.",
    "A second line to the islands will start in May, the operator told shareholders at a meeting in the town hall, "
    "where fares for students and pensioners were cut by a third.",
    "The old car ferry, built in 1971, is to be sold to a museum in the south, which plans to moor it beside the "
    "lighthouse and open its deck to visitors from the summer on.",
]


def story(n: int) -> str:
    """Three different stories (one text in two records would be an article and its copy)."""
    return f"Ferry line {n}. " + FERRIES[n - 1]


async def test_pages_and_exports_become_articles_and_bad_records_are_named(archive, empty_dir):
    (empty_dir / "harbour.html").write_text(page(), encoding="utf-8")
    (empty_dir / "empty.htm").write_text("<html><body><nav>Home</nav></body></html>", encoding="utf-8")
    (empty_dir / "wire.jsonl").write_text(
        jsonl(
            {"headline": "Ferry one", "body": story(1), "date": "2009-03-03", "link": "https://w.example/1"},
            "{not json",
            {"title": "No text here"},
            {"title": "Ferry two", "text": story(2), "published": "Mon, 02 Mar 2009 10:00:00 GMT", "source": "Wire"},
        ),
        encoding="utf-8",
    )
    (empty_dir / "export.csv").write_text(
        'title,content,published,url\n"Ferry three","' + story(3) + '",2009-03-04,https://c.example/3\n'
        '"Empty row","",2009-03-05,https://c.example/4\n',
        encoding="utf-8",
    )
    (empty_dir / "crawl.warc.gz").write_bytes(warc(gzip_it=True))
    (empty_dir / "metadata.csv").write_text("file,published\nharbour.html,2009-03-01\n", encoding="utf-8")

    report = await ingest(archive, empty_dir)
    skipped = dict(report.skipped)
    assert set(skipped) == {"empty.htm", "wire.jsonl#2", "wire.jsonl#3", "export.csv#2"}, skipped
    assert "line 2" in skipped["wire.jsonl#2"] and "no article text" in skipped["empty.htm"]
    stats = await archive.stats()
    assert report.counts["added"] == stats.articles == 1 + 2 + 1 + 1  # page, JSONL, CSV, a WARC page
    # The WARC's other page has the saved page's text: one article, two files.
    assert [path for path, _ in report.duplicates] == ["crawl.warc.gz#1"]
    hit = (await archive.search('"Ferry line 2"')).hits[0]
    assert (hit.published, hit.source) == ("2009-03-02", "Wire")
    harbour = (await archive.search("harbour master")).hits
    assert {h.published for h in harbour if h.url == "https://coastal.example/news/harbour-reopens"} == {"2009-03-01"}
    assert (await archive.search("Commentword")).total == 0

    # Unchanged: nothing read again. Cut short: the records it lost are missing, their articles kept.
    again = await ingest(archive, empty_dir)
    assert again.counts["added"] == 0 and dict(again.skipped) == {"empty.htm": skipped["empty.htm"]}  # tried again
    (empty_dir / "wire.jsonl").write_text(
        jsonl({"headline": "Ferry one", "body": story(1), "date": "2009-03-03"}), encoding="utf-8"
    )
    cut = await ingest(archive, empty_dir)
    assert set(cut.missing) == {"wire.jsonl#2", "wire.jsonl#3", "wire.jsonl#4"}
    assert (await archive.stats()).articles == 5  # bad input loses nothing
    (empty_dir / "wire.jsonl").unlink()
    gone = await ingest(archive, empty_dir)
    assert "wire.jsonl" in gone.missing and "wire.jsonl#1" in gone.missing

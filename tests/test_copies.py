"""Syndicated copies: the same article under another headline and byline, with a paragraph added, is one piece of
news, counted once in searches, the archive's counts and the briefing, with every copy's source named."""

from __future__ import annotations

from datetime import date

from tests.conftest import ingest

WIRE = [
    "The port authority of Port Elling said on Monday that the harbour would reopen on Wednesday after a storm "
    "closed it for three days and broke the moorings of more than forty fishing boats.",
    "Divers checked the quay walls overnight and found cracks in two of them, the authority said, but the main "
    "channel was clear and the first ferries to the islands would leave on time.",
    "Fishing crews, who lost three days of work, asked the town council to help pay for the repairs. The council "
    "will meet on Thursday to decide, its leader, Mara Olsen, told reporters.",
]
OTHER = [
    "The town council of Port Elling voted on Thursday to build a new school beside the old market, a project "
    "that its leader, Mara Olsen, said would take four years and cost twelve million crowns.",
    "Parents had asked for the school for a decade. Building starts in the spring, once the old warehouses on the "
    "site are pulled down, the council said in a statement after the vote.",
]


def write(folder, name: str, headline: str, byline: str, paragraphs: list[str]) -> None:
    (folder / name).write_text(f"{headline}\n\n{byline}\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")


async def test_a_copy_is_counted_once_with_its_source_named(archive, empty_dir):
    write(empty_dir, "a.txt", "Harbour to reopen after storm", "By Lena Berg, Coastal Wire", WIRE)
    extra = ["The storm was the worst to hit the coast since 1998, weather officials said."]
    write(empty_dir, "b.txt", "Port Elling harbour reopens Wednesday", "By Staff, The Island Times", WIRE + extra)
    write(empty_dir, "c.txt", "Council approves new school", "By Lena Berg, Coastal Wire", OTHER)
    (empty_dir / "metadata.csv").write_text(
        "file,published,source\na.txt,2026-11-02,Coastal Wire\nb.txt,2026-11-03,The Island Times\n"
        "c.txt,2026-11-05,Coastal Wire\n",
        encoding="utf-8",
    )
    report = await ingest(archive, empty_dir)
    assert report.counts["added"] == 3  # three files, three articles: the copy keeps its own source and date
    stats = await archive.stats()
    assert (stats.articles, stats.copies) == (3, 1)

    result = await archive.search("harbour moorings")
    assert result.total == 1 and len(result.hits) == 1
    [hit] = result.hits
    assert hit.source == "Coastal Wire"
    assert [(c.source, c.published) for c in hit.copies] == [("The Island Times", "2026-11-03")]
    # Both stories name the council's leader, but they are two pieces of news.
    assert (await archive.search("Mara Olsen")).total == 2

    content = await archive.briefing_content(0, "2026-11-01T00:00:00+00:00", date(2026, 11, 6).isoformat())
    assert content.total == 2
    assert sorted((n.article.title, len(n.copies)) for n in content.articles) == [
        ("Council approves new school", 0),
        ("Harbour to reopen after storm", 1),
    ]


async def test_a_profile_lists_the_article_once(archive, empty_dir):
    write(empty_dir, "a.txt", "Harbour to reopen after storm", "By Lena Berg, Coastal Wire", WIRE)
    write(empty_dir, "b.txt", "Port Elling harbour reopens", "By Staff, The Island Times", WIRE[:2] + WIRE[2:])
    write(empty_dir, "c.txt", "Council approves new school", "By Lena Berg, Coastal Wire", OTHER)
    await ingest(archive, empty_dir)
    [olsen] = [a for a in await archive.find_actors("Mara Olsen") if a.name == "Mara Olsen"]
    profile = await archive.actor_profile(olsen.id)
    assert sorted(ref.title for ref in profile.articles) == [
        "Council approves new school",
        "Harbour to reopen after storm",
    ]


async def test_what_a_copy_tells_too_is_one_event_with_both_sources(archive, empty_dir):
    from bot import services

    write(empty_dir, "a.txt", "Harbour to reopen after storm", "By Lena Berg, Coastal Wire", WIRE)
    write(empty_dir, "b.txt", "Port Elling harbour reopens", "By Staff, The Island Times", WIRE[1:])
    (empty_dir / "metadata.csv").write_text(
        "file,published,source\na.txt,2026-11-02,Coastal Wire\nb.txt,2026-11-02,The Island Times\n", encoding="utf-8"
    )
    await ingest(archive, empty_dir)
    found = await services.timeline(archive, topic="council")
    # The meeting ("on Thursday", 2026-11-05) is told by both; one event, two sources.
    meetings = [e for e in found.events if "will meet on Thursday" in e.text and str(e.value) == "2026-11-05"]
    assert len(meetings) == 1
    assert sorted(ref.source for ref in meetings[0].sources) == ["Coastal Wire", "The Island Times"]

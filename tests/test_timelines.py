"""What becomes an event and on which day (each kind on small made-up texts), and which events a timeline shows."""

from datetime import date

import pytest

from bot import services, timelines
from bot.archive.records import EventCandidate
from bot.nlp import pipeline
from bot.nlp.analysis import analyze_doc, to_records
from tests.conftest import ingest
from tests.test_events import write


def events_of(text: str, published: str, headline: str | None = None) -> list[tuple[str, str, str, str]]:
    """(sentence, first day, certainty, status) of each event of a text."""
    doc = next(pipeline.pipe([text]))
    day = date.fromisoformat(published)
    records = to_records(analyze_doc(text, doc, published=day), day, headline)
    sentences = [text[s:e].strip() for s, e, _ in records.sentences]
    return [
        (headline if e.sentence == -1 else sentences[e.sentence], e.first, e.certainty, e.status)
        for e in records.events
    ]


def test_the_news_of_the_day_and_the_headline_are_events():
    text = "The carmaker reported a 49% fall in sales. Its shares are cheap. Would it survive?"
    found = events_of(text, "2009-02-03", headline="Carmaker's sales halve")
    assert ("The carmaker reported a 49% fall in sales.", "2009-02-03", "reported", "happened") in found
    assert ("Carmaker's sales halve", "2009-02-03", "reported", "happened") in found
    assert not any(s.startswith(("Its shares", "Would it")) for s, *_ in found)  # a state, a question: no events


def test_the_lead_dates_what_the_article_tells_after_it():
    text = "Yesterday, Acme Corp unveiled a new phone in Paris. Chief executive Jane Roe praised its screen."
    found = events_of(text, "2010-06-08")
    assert [(s[:9], d) for s, d, *_ in found] == [("Yesterday", "2010-06-07"), ("Chief exe", "2010-06-07")]


def test_a_date_compared_with_is_not_the_happening():
    text = "The index fell 4% to its lowest close since October 2002. It was the worst week since 1987."
    found = events_of(text, "2008-10-10")
    assert {d for _, d, *_ in found} == {"2008-10-10"}  # the fall is today's news, dated by its article


def test_plans_are_expected_and_their_announcement_is_the_news():
    text = "Acme plans to cut 30,000 jobs by 2012, the company said. The new plane will enter service in 2013."
    found = events_of(text, "2009-01-26")
    assert (found[0][1], found[0][3]) == ("2012-01-01", "expected")
    assert any(d == "2009-01-26" and c == "reported" for _, d, c, _ in found)  # the announcement itself
    assert [(d, st) for s, d, _, st in found if s.startswith("The new plane")] == [("2013-01-01", "expected")]


def candidate(i, value, first, published, articles=(1,), certainty="medium", status="happened", granularity="day"):
    return EventCandidate(i, value, granularity, first, first, certainty, status, articles, published, False, 1)


def test_the_news_is_shown_before_the_background_and_in_date_order():
    background = [candidate(i, f"{1900 + i}", f"{1900 + i}-01-01", "2010-06-08", granularity="year") for i in range(30)]
    news = [candidate(100 + i, "2010-06-07", "2010-06-07", "2010-06-08", articles=(i, i + 1)) for i in range(5)]
    picked = timelines.pick(background + news, 10)
    assert set(range(100, 105)) <= set(picked) and len(picked) == 10
    firsts = {c.id: c.first for c in background + news}
    assert [firsts[i] for i in picked] == sorted(firsts[i] for i in picked)


async def test_a_topic_timeline_keeps_to_the_topic_and_says_what_it_left_out(archive, empty_dir):
    write(
        empty_dir,
        "a.txt",
        "Dam opens\n\nPresident Maria Lopez opened the Karun dam on March 6, 2017. "
        "Lopez said the dam would bring water to farms. "
        "Separately, the central bank raised interest rates on March 2, 2017.\n",
    )
    write(empty_dir, "metadata.csv", "file,published\na.txt,2017-03-07\n")
    await ingest(archive, empty_dir)
    dam = await services.timeline(archive, topic="dam")
    assert dam.events and all("dam" in e.text.lower() for e in dam.events)  # not the bank, in the same article
    whole = await services.timeline(archive, actor="Maria Lopez")
    one = await services.timeline(archive, actor="Maria Lopez", limit=1)
    assert len(one.events) == 1 and one.total == whole.total > 1
    with pytest.raises(services.UserError):
        await services.timeline(archive, topic="dam", limit=services.MAX_TIMELINE_EVENTS + 1)


async def test_a_longer_name_finds_the_actor_that_makes_up_most_of_it(archive, empty_dir):
    write(
        empty_dir,
        "a.txt",
        "Board sued\n\nThe Ruritania Water Board sued the city of Karlsbad on March 6, 2017. "
        "Maria Lopez opened the dam on March 8, 2017.\n",
    )
    write(empty_dir, "metadata.csv", "file,published\na.txt,2017-03-09\n")
    await ingest(archive, empty_dir)
    for typed in ("old Ruritania Water Board", "Ruritania Water Board lawsuit"):
        assert [e.value for e in (await services.timeline(archive, actor=typed)).events] == ["2017-03-06"]
        assert "2017-03-06" in [e.value for e in (await services.timeline(archive, topic=typed)).events]
    assert (await services.timeline(archive, actor="Lopez dam deal")).events == []  # one word of three: not her


@pytest.mark.parametrize(
    ("text", "name", "central"),
    [
        ("Acme's new phone sold two million copies.", "phone", True),
        ("Acme's new phone sold two million copies.", "Acme", False),  # a name in passing
        ("Jane Roe said that Acme had cut its prices.", "Acme", True),  # what was reported
        ("The phone was introduced by Jane Roe in Paris.", "Roe", True),  # who did it
        ("The phone was introduced in Paris.", "Paris", False),
    ],
)
def test_what_a_sentence_is_about(text, name, central):
    from bot.nlp.events import is_central

    doc = next(pipeline.pipe([text]))
    [token] = [t for t in doc if t.text == name]
    assert is_central(token) is central

"""Events, timelines and summaries in the archive: the seeds' dates, one event from several articles, summaries
that never repeat a fact nor show the byline."""

import os

import pytest

from bot import services
from bot.nlp.events import date_range
from bot.nlp.summary import across, importance, summarize
from tests.conftest import ingest


@pytest.fixture
async def seeded(archive, seeds_dir):
    await ingest(archive, seeds_dir)
    return archive


def by_value(events):
    return {e.value: e for e in events}


async def test_seed_timeline(seeded):
    timeline = await services.timeline(seeded, topic="referendum")
    events = timeline.events
    values = by_value(events)
    # The Sept. 14 article's referendum is still to come; the Oct. 26 article tells of it as past ("last month").
    assert values["2017-09-25"].status == "expected" and values["2017-09-25"].granularity == "day"
    assert values["2017-09"].granularity == "month" and values["2017-09"].status == "happened"
    assert values["2017-10-25"].text.startswith("After days of largely low-level clashes")  # the Kurdish offer
    assert "meeting" in values["2017-09-13"].text  # the Sept. 13 meeting
    # On topic: the referendum is in each event's sentence (or among its actors), not merely in its article.
    assert all("referendum" in e.text.lower() for e in events)
    assert "2003" not in values and "198" not in values  # the years since the 2003 invasion: another subject
    # What the Oct. 26 article reports without a date of its own happened the day it reports.
    said = [e for e in events if "will accept only the cancelling" in e.text]
    assert [(e.first, e.certainty) for e in said] == [("2017-10-26", "reported")]
    assert timeline.total == len(events)  # nothing left out
    assert [e.first for e in events] == sorted(e.first for e in events)  # in the order they happened
    for e in events:
        assert e.sources and e.sources[0].title
    fighting = by_value((await services.timeline(seeded, topic="fighting")).events)
    week = fighting["P1W"]  # "over the past week": the week before publication
    assert (week.first, week.last, week.certainty) == ("2017-10-19", "2017-10-26", "low")


async def test_timeline_of_an_actor_and_a_range(seeded):
    events = (await services.timeline(seeded, actor="al-Abadi")).events
    assert events and all("Haider al-Abadi" in e.actors for e in events)
    september = (
        await services.timeline(seeded, topic="referendum", date_from="2017-09-12", date_to="2017-09-30")
    ).events
    assert september and all(e.last >= "2017-09-12" and e.first <= "2017-09-30" for e in september)
    with pytest.raises(services.UserError):
        await services.timeline(seeded)
    with pytest.raises(services.UserError):
        await services.timeline(seeded, topic="vote", date_from="2017-10-01", date_to="2017-09-01")


async def test_article_summary_skips_the_byline_and_reads_in_order(seeded):
    lines = await services.article_summary(seeded, 1, 3)
    assert len(lines) == 3
    assert lines[0].text.startswith("Mlitary commanders")
    assert not any("Fazel Hawramy" in line.text or "Comments are closed" in line.text for line in lines)
    assert all(line.article.id == 1 for line in lines)
    with pytest.raises(services.UserError):
        await services.article_summary(seeded, 999)


def write(folder, name, text):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))


async def test_the_same_happening_in_two_articles_is_one_event(archive, empty_dir):
    write(empty_dir, "a.txt", "Dam opens\n\nPresident Maria Lopez opened the Karun dam on Monday, March 6, 2017.\n")
    write(empty_dir, "b.txt", "Dam\n\nOn March 6, 2017, Maria Lopez opened the Karun dam to great applause.\n")
    write(empty_dir, "c.txt", "Budget\n\nOn March 6, 2017, the parliament of Ruritania passed the annual budget.\n")
    write(empty_dir, "metadata.csv", "file,published\na.txt,2017-03-07\nb.txt,2017-03-08\nc.txt,2017-03-07\n")
    await ingest(archive, empty_dir)
    events = (await services.timeline(archive, topic="dam")).events
    dam = [e for e in events if e.value == "2017-03-06"]
    assert len(dam) == 1 and len(dam[0].sources) == 2  # one event, two sources
    budget = (await services.timeline(archive, topic="budget")).events
    assert [len(e.sources) for e in budget if e.value == "2017-03-06"] == [1]  # same day, another happening
    # The event goes with its last source.
    write(empty_dir, "a.txt", "Dam opens\n\nThe dam is big.\n")
    write(empty_dir, "b.txt", "Dam\n\nThe dam is very big.\n")
    await ingest(archive, empty_dir)
    assert [e for e in (await services.timeline(archive, topic="dam")).events if e.value == "2017-03-06"] == []


async def test_topic_summary_tells_a_fact_once_and_cites_it(archive, empty_dir):
    fact = "Heavy floods destroyed the old bridge over the Tigris river on Monday."
    write(empty_dir, "a.txt", f"Floods\n\n{fact} Engineers said repairs would take a year.\n")
    write(empty_dir, "b.txt", f"Bridge lost\n\n{fact} Residents crossed by boat instead.\n")
    await ingest(archive, empty_dir)
    lines = await services.topic_summary(archive, "bridge floods", sentences=5)
    texts = [line.text for line in lines]
    assert texts.count(fact) == 1
    assert {line.article.id for line in lines} == {1, 2}  # each sentence cites where it came from


def test_ranking_rules():
    sentences = ["The council approved the new budget for schools and roads on Monday.", "Short one.",
                 "The budget for schools grew, the council said.", "Weather was fine."]  # fmt: skip
    scores = importance(sentences)
    assert scores[0] == max(scores) and scores[1] < scores[2]
    assert summarize(sentences, 2) == [0, 2]
    same = across([("A bridge fell.", 1.0, "a"), ("A bridge fell.", 0.9, "b"), ("Boats came.", 0.5, "b")], 3)
    assert same == [("A bridge fell.", "a"), ("Boats came.", "b")]


def test_date_ranges():
    assert date_range("2017-W43")[2] == "week"
    assert [d.isoformat() for d in date_range("2017-Q3")[:2]] == ["2017-07-01", "2017-09-30"]
    assert date_range("XXXX-09") is None and date_range("PRESENT_REF") is None and date_range("2017-02-30") is None


async def test_a_surviving_event_keeps_a_true_sentence_and_its_own_actors(archive, empty_dir):
    write(
        empty_dir, "a.txt", "Dam opens\n\nPresident Maria Lopez opened the Karun dam on March 6, 2017 with Tom Hale.\n"
    )
    write(empty_dir, "b.txt", "Dam\n\nOn March 6, 2017, Maria Lopez opened the Karun dam to great applause.\n")
    await ingest(archive, empty_dir)
    [event] = [e for e in (await services.timeline(archive, topic="dam")).events if e.value == "2017-03-06"]
    assert len(event.sources) == 2 and "Tom Hale" in event.actors
    write(empty_dir, "a.txt", "Dam opens\n\nThe dam is big.\n")
    await ingest(archive, empty_dir)
    [event] = [e for e in (await services.timeline(archive, topic="applause")).events if e.value == "2017-03-06"]
    assert event.text.startswith("On March 6, 2017, Maria Lopez opened") and len(event.sources) == 1
    assert "Tom Hale" not in event.actors  # only article a said he was there
    assert (await services.timeline(archive, actor="Tom Hale")).events == []


async def test_an_event_has_the_actors_of_its_own_clause(archive, empty_dir):
    write(
        empty_dir,
        "a.txt",
        "Shipping news\n\n"
        "In 1998 Maria Lopez bought Karun Shipping Inc., which was sold to General Electric in 2004.\n",
    )
    write(empty_dir, "metadata.csv", "file,published\na.txt,2011-10-06\n")
    await ingest(archive, empty_dir)
    assert {e.value for e in (await services.timeline(archive, actor="Maria Lopez")).events} == {"1998"}
    assert {e.value for e in (await services.timeline(archive, actor="General Electric")).events} == {"2004"}
    assert {e.value for e in (await services.timeline(archive, actor="Karun Shipping")).events} == {"1998", "2004"}


async def test_a_background_date_does_not_date_the_news(archive, empty_dir):
    # The claim is the day's news; the agreement is the background date of a clause of its own.
    write(
        empty_dir,
        "a.txt",
        "Lawsuit\n\n"
        "The Beatles label Orchard Records says that Microsoft broke an agreement signed between them in 1991.\n",
    )
    write(empty_dir, "metadata.csv", "file,published\na.txt,2006-03-28\n")
    await ingest(archive, empty_dir)
    events = (await services.timeline(archive, actor="Orchard Records")).events
    assert ("2006-03-28", "reported") in {(e.first, e.certainty) for e in events}


async def test_a_headline_is_the_news_of_the_day_its_lead_gives(archive, empty_dir):
    write(
        empty_dir,
        "a.txt",
        "Microsoft to give free cases to phone owners\n\nMicrosoft announced Friday that it will give free cases.\n",
    )
    write(empty_dir, "metadata.csv", "file,published\na.txt,2010-07-17\n")
    await ingest(archive, empty_dir)
    events = (await services.timeline(archive, actor="Microsoft")).events
    assert [e.first for e in events] == ["2010-07-16"]  # Friday's news, not a second event on the next day


async def test_an_actor_is_found_by_a_fuller_form_of_its_name(archive, empty_dir):
    write(empty_dir, "a.txt", "Store\n\nMicrosoft launched the Microsoft Music Store on April 28, 2003.\n")
    write(empty_dir, "metadata.csv", "file,published\na.txt,2008-01-09\n")
    await ingest(archive, empty_dir)
    assert [e.value for e in (await services.timeline(archive, actor="Microsoft Store")).events] == ["2003-04-28"]


async def test_a_topic_that_is_a_name_is_its_words_in_a_row(archive, empty_dir):
    write(empty_dir, "a.txt", "Phone\n\nApple launched the iPhone 4 on June 7, 2010 in San Francisco.\n")
    write(empty_dir, "b.txt", "Sales\n\nApple said on July 20, 2010 that 4 million people bought an iPhone.\n")
    write(empty_dir, "metadata.csv", "file,published\na.txt,2010-06-08\nb.txt,2010-07-21\n")
    await ingest(archive, empty_dir)
    assert [e.value for e in (await services.timeline(archive, topic="iPhone 4")).events] == ["2010-06-07"]
    assert len((await services.timeline(archive, topic="iPhone")).events) == 2  # no name: the words anywhere

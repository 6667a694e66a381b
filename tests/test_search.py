"""Full-text search: ranking, phrases, prefixes, and any user text as a query."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import services
from bot.archive.fts import query_terms
from tests.conftest import ingest


@pytest.fixture
async def seeded(archive, seeds_dir):
    await ingest(archive, seeds_dir)
    return archive


async def test_title_matches_rank_first(seeded):
    result = await seeded.search("Kurdistan referendum")
    assert result.total == 2 and result.matched_all
    assert result.hits[0].title == "Iran, US align against Iraqi Kurdistan Referendum"
    assert "\x02" in result.hits[0].snippet  # the matched word is marked for the renderer


async def test_phrase_prefix_and_stemming(seeded):
    assert (await seeded.search('"Quds Force"')).total == 1
    assert (await seeded.search('"Force Quds"')).total == 0
    assert (await seeded.search("Kurd*")).total == 2
    assert (await seeded.search("cancelling")).total == 2  # porter: "cancel" in one, "cancelling" in the other
    assert (await seeded.search("al-Abadi")).hits[0].published == "2017-10-26"


async def test_no_article_with_every_word_falls_back_to_any(seeded):
    result = await seeded.search("Soleimani Khamenei")
    assert result.total == 2 and not result.matched_all


async def test_no_match_and_no_words(seeded):
    assert (await seeded.search("zebra")).hits == []
    result = await seeded.search('*** ( ) - "')
    assert result.hits == [] and result.problem


HOSTILE = [
    '"',
    '"unbalanced',
    "*",
    "Kurd*",
    "NEAR(",
    "NEAR(Iran US, 2)",
    "-Iran",
    "Iran -US",
    "(Iran",
    "Iran)",
    "Iran AND",
    "OR OR NOT",
    "title:Iran",
    "{title body}: Iran",
    "^Iran",
    "Iran + US",
    "'; DROP TABLE articles; --",
    "\x00",
    "@everyone",
    "é" * 600,
]


@pytest.mark.parametrize("query", HOSTILE)
async def test_hostile_queries_give_results_or_a_clear_no_match(seeded, query):
    result = await seeded.search(query)
    assert result.total >= 0
    assert (await seeded.stats()).articles == 2


FTS_NOISE = st.sampled_from(['"', "*", "NEAR(", "-", "(", ")", "AND", "OR", "NOT", ":", "^", "{", "}", "+", " "])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(st.text(max_size=12), FTS_NOISE), max_size=12).map("".join))
async def test_any_text_is_a_safe_query(seeded, text):
    result = await seeded.search(text)
    assert isinstance(result.total, int)
    assert len(result.hits) <= 10


@given(st.text(max_size=200))
def test_query_terms_are_always_quoted_strings(text):
    for term in query_terms(text):
        body = term.removesuffix("*")
        assert body.startswith('"') and body.endswith('"') and '"' not in body[1:-1]


async def test_service_rejects_unusable_arguments_with_a_helpful_message(seeded):
    for query, limit in (("", 10), ("   ", 10), ("x" * 10_000, 10), ("Iran", 0), ("Iran", 1000)):
        with pytest.raises(services.UserError):
            await services.search(seeded, query, limit)
    assert (await services.search(seeded, "Iran", 1)).total == 2


async def test_a_topic_in_most_of_the_archive_is_ranked_among_its_latest(archive, seeds_dir, monkeypatch):
    from bot.archive import articles, events

    await ingest(archive, seeds_dir)
    monkeypatch.setattr(articles, "BROAD_MATCHES", 1)  # as if "Iran" were in 200,000 articles
    monkeypatch.setattr(events, "BROAD_TIMELINE", 3)  # and in 3 of 200,000 event sentences
    result = await archive.search("Iran", 10)
    assert result.total == 2 and result.ranked_among == 1 and [h.article_id for h in result.hits] == [2]
    events = await archive.timeline_candidates(topic="Iran")
    assert events and all(2 in e.articles for e in events)

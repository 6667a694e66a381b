"""Answers always fit Discord's limits and archive text can never format, link or mention."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.archive import ArchiveStats, SearchHit, SearchResult
from bot.archive.records import MARK_END, MARK_START, ArticleRef, QuoteHit, SummaryLine, TimelineEvent
from bot.render import limits
from bot.render.answers import archive_answer, cite, quotes_answer, search_answer, summary_answer, timeline_answer
from bot.render.embeds import embeds_for
from bot.render.pages import Answer, Section, paginate

HOSTILE = "@everyone <@123> <@&456> **bold** [link](http://evil.example) `code` ~~gone~~ ||spoiler|| # Heading"


def check_card_limits(card) -> None:
    assert len(card.title) <= limits.TITLE
    assert len(card.description) <= limits.DESCRIPTION
    assert len(card.fields) <= limits.FIELDS
    assert len(card.footer) <= limits.FOOTER
    for name, value in card.fields:
        assert 0 < len(name) <= limits.FIELD_NAME and 0 < len(value) <= limits.FIELD_VALUE
    assert card.size() <= limits.EMBED_TOTAL


def test_clip_cuts_on_a_word_boundary_with_an_ellipsis():
    assert limits.clip("short", 10) == "short"
    assert limits.clip("the quick brown fox jumps", 15) == "the quick…"
    assert limits.clip("x" * 50, 10) == "x" * 9 + "…"  # one enormous word: cut inside it
    assert len(limits.clip("word " * 1000, 1024)) <= 1024


@given(st.text(), st.integers(min_value=1, max_value=3000))
def test_clip_never_exceeds_the_limit(text, limit):
    clipped = limits.clip(text, limit)
    assert len(clipped) <= limit
    assert clipped == text or clipped.endswith(limits.ELLIPSIS)


@given(st.text(), st.integers(min_value=1, max_value=1500))
def test_safe_text_fits_and_escapes_everything(text, limit):
    out = limits.safe(text, limit)
    assert len(out) <= limit
    for char in "*_~`|>[]<@#":
        assert char not in out.replace("\\" + char, "")


@settings(max_examples=60)
@given(
    st.lists(st.tuples(st.text(max_size=400), st.lists(st.text(max_size=3000), max_size=40)), max_size=30),
    st.text(max_size=9000),
    st.text(max_size=600),
)
def test_any_answer_paginates_inside_every_limit(sections, intro, title):
    answer = Answer(title or "t", intro, [Section(h or "h", entries) for h, entries in sections], footer="x" * 3000)
    cards = paginate(answer)
    assert cards
    for card in cards:
        check_card_limits(card)
    # Nothing is lost but what had to be cut: every non-empty entry starts some field's text.
    joined = "\n".join(v for card in cards for _, v in card.fields)
    for _, entries in sections:
        for entry in entries:
            if entry:
                assert limits.clip(entry, limits.FIELD_VALUE)[:20] in joined


def ref(n: int = 1, title: str = "Title", url: str | None = None) -> ArticleRef:
    return ArticleRef(n, title, "Source", "2017-09-25", url)


def test_citations_link_only_plain_web_addresses():
    assert cite(ref(3, url="https://example.com/a")) == "`#3` [Title](https://example.com/a) · Source · 2017-09-25"
    assert "](" not in cite(ref(3, url="javascript:alert(1)"))
    assert "](" not in cite(ref(3, url="https://x.y/a) [evil](https://z"))
    hostile = cite(ArticleRef(4, HOSTILE, HOSTILE, None, None))
    assert (
        "](" not in hostile.replace("\\](", "")
        and "<@" not in hostile
        and "@everyone" not in hostile.replace("\\@everyone", "")
    )


def test_huge_and_hostile_answers_fit_and_stay_inert():
    quote = QuoteHit(1, HOSTILE * 100, HOSTILE * 10, None, HOSTILE, ref(title=HOSTILE * 20))
    event = TimelineEvent(1, "2017-09-25", "day", "2017-09-25", "2017-09-25", "high", HOSTILE * 50, [ref()] * 30,
                          [HOSTILE] * 40)  # fmt: skip
    hits = [SearchHit(i, HOSTILE * 20, HOSTILE, "2017", MARK_START + HOSTILE * 30 + MARK_END, 0.0) for i in range(25)]
    answers = [
        quotes_answer([quote] * 25, HOSTILE * 200),
        timeline_answer([event] * 25, HOSTILE),
        search_answer(SearchResult(HOSTILE * 100, hits, 10**9)),
        summary_answer([SummaryLine(HOSTILE * 100, ref(i)) for i in range(10)], HOSTILE),
    ]
    for answer in answers:
        for embed in embeds_for(answer):
            assert len(embed) <= limits.EMBED_TOTAL and len(embed.fields) <= limits.FIELDS
            text = "\n".join([embed.title or "", embed.description or ""] + [f.value for f in embed.fields])
            assert "<@" not in text and "](http://evil" not in text.replace("\\](", "")
            assert "@everyone" not in text.replace("\\@everyone", "")


def test_search_highlights_survive_escaping():
    hits = [SearchHit(1, "T", None, None, f"before {MARK_START}vote{MARK_END} after", 0.0)]
    answer = search_answer(SearchResult("vote", hits, 1))
    assert "**vote**" in answer.sections[0].entries[0]


def test_archive_answer_lists_skipped_files_with_reasons():
    stats = ArchiveStats(
        articles=2, words=10, first_published="2017-09-14", last_published="2017-10-26", undated=0,
        files_by_status={"ok": 2, "skipped": 30}, skipped=[(f"bad{i}.txt", "binary file") for i in range(20)],
        duplicates=[], missing=[], sources=[("AP", 1)], last_run=None, database_bytes=10**6, schema_version=5,
    )  # fmt: skip
    answer = archive_answer(stats, "An ingest is running")
    skipped = next(s for s in answer.sections if s.heading.startswith("Skipped"))
    assert skipped.heading == "Skipped files (30)" and skipped.entries[-1] == "…and 10 more"
    assert "bad0.txt: binary file" in skipped.entries[0] and "An ingest is running" in answer.intro


def test_citations_are_never_cut_through():
    url = "https://example.com/" + "a" * 170
    refs = [ref(i, title="A long title of an article " * 6, url=url) for i in range(1, 6)]
    event = TimelineEvent(1, "2017-09-25", "day", "2017-09-25", "2017-09-25", "high", "x " * 600, refs, ["Name"] * 6)
    quote = QuoteHit(1, "y " * 900, "Speaker", 1, "said", refs[0])
    for answer in (timeline_answer([event], "t"), quotes_answer([quote], "q")):
        entry = answer.sections[0].entries[0]
        assert len(entry) <= limits.FIELD_VALUE
        assert entry.count("[") - entry.count("\\[") == entry.count(f"]({url})")  # every link whole
        assert "`#1`" in entry
    entry = timeline_answer([event], "t").sections[0].entries[0]
    assert entry.endswith("more source(s)") and entry.count("`#") + int(entry.split("…and ")[1][0]) == 5


def test_actor_and_briefing_answers_stay_inert():
    from datetime import date

    from bot.archive.records import ActorProfile, ActorSummary, BriefingContent, NewArticle, Role
    from bot.render.answers import actor_answer, briefing_answer
    from bot.services import ActorAnswer

    who = ActorSummary(1, HOSTILE, "person", False, 3, 2)
    profile = ActorProfile(who, [HOSTILE] * 30, [Role(HOSTILE, ref())] * 40, "2017", "2017", [(who, 2)] * 10,
                           [ref()] * 10, [QuoteHit(1, HOSTILE, HOSTILE, 1, "said", ref())] * 3)  # fmt: skip
    content = BriefingContent("2026-11-21T07:30:00+00:00", 400, [NewArticle(ref(title=HOSTILE), HOSTILE)] * 10, 400,
                              [(who, 5)] * 5, QuoteHit(1, HOSTILE, HOSTILE, 1, "said", ref()), [], [])  # fmt: skip
    for answer in (
        actor_answer(ActorAnswer(profile, [who] * 5), HOSTILE),
        briefing_answer(content, date(2026, 11, 22)),
    ):
        for card in paginate(answer):
            check_card_limits(card)
            text = "\n".join([card.title, card.description] + [v for _, v in card.fields])
            assert "<@" not in text and "@everyone" not in text.replace("\\@everyone", "")

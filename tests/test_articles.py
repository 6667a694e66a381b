"""Article parsing: the seeds as the issue describes them, and general rules on texts of our own."""

import pytest

from bot.articles import (
    MAX_TITLE_CHARS,
    NoText,
    cap_title,
    content_fingerprint,
    derive_title,
    first_sentence,
    is_article_text,
    parse_article,
    split_paragraphs,
)
from bot.folder import read_file
from bot.metadata import ArticleMeta
from bot.textfile import decode
from tests.conftest import SEEDS, hang_guard


def seed(name: str):
    return parse_article(decode(read_file(str(SEEDS / name), str(SEEDS), 1_000_000)).text)


def test_seed_with_headline_byline_and_republisher_disclaimer():
    a = seed("000_98bcba3509091753.txt")
    assert a.title == "Iran, US align against Iraqi Kurdistan Referendum"
    assert a.title_from == "headline"
    assert a.byline == "By Fazel Hawramy for Al-Monitor"
    assert (a.author, a.source, a.source_from) == ("Fazel Hawramy", "Al-Monitor", "byline")
    assert a.republisher == "Iraq Business News"
    assert a.body.startswith("Mlitary commanders")
    for furniture in ("Comments are closed", "Any opinions expressed", "By Fazel", "align against"):
        assert furniture not in a.body
    assert a.body.endswith("will not be included in the Kurdistan referendum.")
    assert "\u00a0" not in a.body  # non-breaking spaces became plain ones


def test_seed_without_headline_gets_a_derived_title_and_no_trailing_furniture():
    a = seed("004_b40c0b8648002e66.txt")
    assert a.title_from == "lede"
    assert a.title.startswith("Iraq’s prime minister today dismissed a proposal")
    assert a.title.endswith("…") and len(a.title) < 100
    assert a.body.startswith("Iraq’s prime minister today dismissed")
    assert a.body.endswith("the city of Raqqa.")
    assert "Comments are not available" not in a.body and "filed under" not in a.body
    # No byline; the agency's own copy says "told The Associated Press".
    assert (a.source, a.source_from) == ("Associated Press", "attribution")
    assert a.raw_text.endswith("filed under:")  # raw text is kept exactly as read


def test_metadata_wins_over_the_text():
    meta = ArticleMeta(published="2017-10-26", source="AP", title="Given title", url="https://x.test/a", author="A B")
    a = parse_article("Headline\n\nBy Someone for Paper\n\nBody sentence here.", meta)
    assert (a.title, a.title_from, a.source, a.source_from) == ("Given title", "metadata", "AP", "metadata")
    assert (a.published, a.url, a.author) == ("2017-10-26", "https://x.test/a", "A B")


@pytest.mark.parametrize(
    ("byline", "author", "source"),
    [
        ("By John F. Kennedy and Jane Doe, Reuters", "John F. Kennedy and Jane Doe", "Reuters"),
        ("BY ANNA SMITH | AP", "ANNA SMITH", "Associated Press"),
        ("By Mary Jones — The Associated Press", "Mary Jones", "Associated Press"),
        ("By Bob Lee", "Bob Lee", None),
    ],
)
def test_byline_forms(byline, author, source):
    a = parse_article(f"A headline\n\n{byline}\n\nThe body says something. It goes on.")
    assert (a.author, a.source) == (author, source)
    assert a.body == "The body says something. It goes on."


def test_a_sentence_starting_with_by_is_not_a_byline():
    a = parse_article("By Tuesday, officials said the deal was done.\n\nMore text followed.")
    assert a.byline is None
    assert a.body.startswith("By Tuesday")


def test_dateline_gives_the_agency():
    a = parse_article("BAGHDAD (AP) — Iraqi forces advanced on Monday.\n\nThey met little resistance.")
    assert (a.source, a.source_from) == ("Associated Press", "dateline")
    assert a.title_from == "lede"
    a = parse_article("LONDON, March 3 (Reuters) - Prices rose.\n\nTraders were surprised.")
    assert a.source == "Reuters"


def test_hard_wrapped_newswire_is_unwrapped_into_paragraphs():
    text = (
        "COCOA REVIEW\n\n"
        "    Showers continued throughout the week in the Bahia cocoa\n"
        "zone, alleviating the drought since early January and improving\n"
        "prospects for the coming temporao.\n"
        "    Arrivals for the week were 155,221 bags, farmers said in\n"
        "the region, adding that the crop would be larger than expected.\n"
        " Reuter\n"
    )
    a = parse_article(text)
    assert a.title == "COCOA REVIEW"
    assert a.body.split("\n\n") == [
        "Showers continued throughout the week in the Bahia cocoa zone, alleviating the drought since early "
        "January and improving prospects for the coming temporao.",
        "Arrivals for the week were 155,221 bags, farmers said in the region, adding that the crop would be "
        "larger than expected.",
    ]


def test_short_lines_are_separate_paragraphs():
    assert split_paragraphs("Title\nBy A Writer\nFirst paragraph of text.") == [
        "Title",
        "By A Writer",
        "First paragraph of text.",
    ]


@pytest.mark.parametrize(
    "furniture",
    [
        "Comments are closed.",
        "Share this:",
        "Tags: Iraq, Iran, Kurds",
        "Copyright 2017 The Associated Press. All rights reserved.",
        "© 2017 Example Media",
        "(Reporting by Jane Doe; Editing by John Roe)",
        "This article was originally published on Example News.",
        "Read more: Iraq's Kurds vote",
        "Follow us on Twitter for updates",
    ],
)
def test_site_furniture_is_removed(furniture):
    last = "The last real paragraph says what the minister announced on Monday."
    a = parse_article(f"Headline\n\nThe first real paragraph.\n\n{furniture}\n\n{last}")
    assert a.body == f"The first real paragraph.\n\n{last}"
    assert furniture in a.furniture


@pytest.mark.parametrize(
    "paragraph",
    [
        "Related to this, the minister said he would resign.",
        "Copyright law was the subject of the hearing.",
        "The views expressed by the minister angered the opposition.",
        "Subscribers to the service were not affected.",
    ],
)
def test_news_paragraphs_that_resemble_furniture_are_kept(paragraph):
    a = parse_article(f"Headline\n\nFirst paragraph.\n\n{paragraph}")
    assert paragraph in a.body


def test_tag_list_after_filed_under_is_furniture():
    a = parse_article("Head\n\nBody text here.\n\nfiled under:\n\nIraq\n\nKurdistan referendum")
    assert a.body == "Body text here."


def test_only_furniture_is_no_text():
    with pytest.raises(NoText):
        parse_article("Comments are closed.")


def test_sentence_boundaries_skip_abbreviations():
    assert first_sentence("U.S. officials met Maj. Gen. Smith on Sept. 5. Then they left.") == (
        "U.S. officials met Maj. Gen. Smith on Sept. 5."
    )
    assert derive_title("Short lede.") == "Short lede"


def test_fingerprint_ignores_encoding_noise():
    assert content_fingerprint("A “b”\r\nc\u00a0d\ufeff") == content_fingerprint("A “b”\nc d")
    assert content_fingerprint("A b") != content_fingerprint("A c")


def test_many_tag_headers_before_a_long_paragraph_parse_in_linear_time():
    # Each "Tags:" paragraph used to be checked against every paragraph after it.
    last = "The last paragraph has more than eight words in it, as prose does."
    text = "Headline\n\nThe body says what happened on Monday.\n\n" + "Tags: x\n\n" * 110_000 + last
    with hang_guard(60):
        a = parse_article(text)
    assert a.body == f"The body says what happened on Monday.\n\n{last}"
    assert len(a.furniture) == 110_000


def test_a_long_run_of_initials_parses_in_linear_time():
    # Each "X. Y" was a sentence end to try, and each try searched all the text before it for an abbreviation.
    text = "A. B. C. D. " * 25_000 + "end of the run.\n\nMore text follows here."
    with hang_guard(60):
        a = parse_article(text)
    assert a.title_from == "lede" and a.title.startswith("A. B. C. D.") and a.title.endswith("…")
    assert first_sentence("Gen. J. R. Smith met U.S. officials. Then he left.") == (
        "Gen. J. R. Smith met U.S. officials."
    )


def test_byline_split_does_not_retry_a_run_of_spaces_from_each_space():
    from bot.articles import _BYLINE_SPLIT

    with hang_guard(60):
        assert _BYLINE_SPLIT.split(" " * 300_000 + "x", maxsplit=1) == [" " * 300_000 + "x"]
    assert _BYLINE_SPLIT.split("Jane Doe  ,  Reuters", maxsplit=1) == ["Jane Doe", "Reuters"]


def test_a_title_is_never_a_huge_line():
    blob = "x" * 1_000_000  # one "word" of a megabyte: body, and no headline
    a = parse_article(f"{blob}\n\nThe article text follows here.")
    assert a.title_from == "lede" and len(a.title) == MAX_TITLE_CHARS and a.title.endswith("…")
    assert a.body.startswith(blob)  # the text itself is kept
    words = " ".join(f"word{i}" for i in range(200))  # a long metadata title is cut on a word boundary
    a = parse_article("Headline\n\nBody sentence here.", ArticleMeta(title=words))
    assert len(a.title) <= MAX_TITLE_CHARS and a.title.endswith("…") and words.startswith(a.title[:-1] + " ")
    assert cap_title("Short title") == "Short title"


@pytest.mark.parametrize(
    "page",
    [
        "Facebook\nTwitter\nShare\nSubscribe\nCookie policy...",
        "Share on Facebook | Share on Twitter | WhatsApp | Email\n\nPrivacy policy\nTerms of use\nSign in",
        "Home\nNews\nSport\nWeather\nContact us",  # links that no furniture rule knows: still not prose
        "Iraq votes on independence\n\nShare\nFacebook\nTwitter\n\nComments are closed.",  # a headline alone
    ],
)
def test_a_page_of_furniture_only_is_no_text(page):
    with pytest.raises(NoText, match="site furniture"):
        parse_article(page)


def test_link_labels_are_furniture_in_an_article():
    text = (
        "Headline\n\nShare on Facebook | Twitter | Email\n\nFacebook said on Monday it would close the office.\n\n"
        "Short prose.\n\nShr 34 cts vs 1.19 dlrs\n\nFacebook\nTwitter\nPrint"
    )
    a = parse_article(text)
    assert a.body == "Facebook said on Monday it would close the office.\n\nShort prose.\n\nShr 34 cts vs 1.19 dlrs"
    assert {"Share on Facebook | Twitter | Email", "Facebook", "Twitter", "Print"} <= set(a.furniture)
    assert is_article_text("经济增长放缓。") and not is_article_text("Read more…")


def test_a_wire_notice_of_short_lines_is_an_article_not_furniture():
    # No web furniture was taken away: the short lines are the news (who holds a meeting), not leftover labels.
    article = parse_article("\nU.S. DIVIDEND MEETINGS - MARCH 3\n Mickelberry Corp\n Premier Industrial\n Reuter\n")
    assert article.title == "U.S. DIVIDEND MEETINGS - MARCH 3"
    assert article.body == "Mickelberry Corp\n\nPremier Industrial"

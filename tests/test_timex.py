"""Temporal expressions, normalised against the publication date: the seeds, and each rule on small texts."""

import json
from datetime import date

import pytest

from bot.analyze import analyze_lines
from bot.nlp.timex import normalize
from tests.conftest import SEEDS


def timexes(text: str, published: str | None) -> dict[str, tuple[str, str]]:
    [record] = analyze_lines([json.dumps({"id": 1, "text": text, "published": published})])
    for t in record["timexes"]:
        assert text[t["start"] : t["end"]] == t["text"]
    return {t["text"]: (t["type"], t["value"]) for t in record["timexes"]}


@pytest.fixture(scope="module")
def al_monitor():
    return timexes((SEEDS / "000_98bcba3509091753.txt").read_text(encoding="utf-8"), "2017-09-14")


@pytest.fixture(scope="module")
def ap():
    return timexes((SEEDS / "004_b40c0b8648002e66.txt").read_text(encoding="utf-8"), "2017-10-26")


def test_seed_dates_in_september(al_monitor):
    assert al_monitor["Sept. 25"] == ("DATE", "2017-09-25")  # the planned referendum: the coming one
    assert al_monitor["September 25"] == ("DATE", "2017-09-25")
    assert al_monitor["Sept. 11"] == ("DATE", "2017-09-11")  # the Mandali incident
    assert al_monitor["Sept. 13"] == ("DATE", "2017-09-13")  # the meeting
    assert al_monitor["this week"] == ("DATE", "2017-W37")


def test_seed_dates_in_october(ap):
    assert ap["Wednesday"] == ("DATE", "2017-10-25")  # the Kurdish offer
    assert ap["last month"] == ("DATE", "2017-09")
    assert ap["today"] == ("DATE", "2017-10-26")
    assert ap["2003"] == ("DATE", "2003")
    assert ap["1980s"] == ("DATE", "198")  # a decade
    assert ap["eight-year"] == ("DURATION", "P8Y")  # a duration, never a date
    assert ap["the past week"] == ("DURATION", "P1W")
    assert ap["days"] == ("DURATION", "PXD")
    assert ap["2014"] == ("DATE", "2014")


def test_an_undated_article_keeps_explicit_dates_and_guesses_nothing():
    found = timexes(
        "The vote on Sept. 25, 2017 followed talks last month. On Wednesday, leaders met. In 2014 IS came.", None
    )
    assert found["Sept. 25, 2017"] == ("DATE", "2017-09-25")
    assert found["last month"] == ("DATE", "XXXX-XX")
    assert found["Wednesday"] == ("DATE", "XXXX-WXX-3")
    assert found["2014"] == ("DATE", "2014")


@pytest.mark.parametrize(
    ("words", "tense", "expected"),
    [
        ("yesterday", "past", ("DATE", "2017-10-25")),
        ("tomorrow", "future", ("DATE", "2017-10-27")),
        ("next month", "future", ("DATE", "2017-11")),
        ("last year", "past", ("DATE", "2016")),
        ("a year ago", "past", ("DATE", "2016")),
        ("two weeks ago", "past", ("DATE", "2017-W41")),
        ("next friday", "future", ("DATE", "2017-10-27")),
        ("friday", "future", ("DATE", "2017-10-27")),
        ("friday", "past", ("DATE", "2017-10-20")),
        ("thursday", "present", ("DATE", "2017-10-26")),
        ("dec. 30", "past", ("DATE", "2016-12-30")),
        ("jan. 3", "future", ("DATE", "2018-01-03")),
        ("march 2015", "past", ("DATE", "2015-03")),
        ("the 1990s", "past", ("DATE", "199")),
        ("the 20th century", "past", ("DATE", "19")),
        ("the third quarter", "past", ("DATE", "2017-Q3")),
        ("three months", "past", ("DURATION", "P3M")),
        ("the past two years", "past", ("DURATION", "P2Y")),
        ("24 hours", "past", ("DURATION", "PT24H")),
        ("every week", "present", ("SET", "P1W")),
        ("daily", "present", ("SET", "P1D")),
        ("now", "present", ("DATE", "PRESENT_REF")),
        ("recently", "past", ("DATE", "PAST_REF")),
        ("the future", "future", ("DATE", "FUTURE_REF")),
        ("this morning", "past", ("TIME", "2017-10-26TMO")),
        ("next spring", "future", ("DATE", "2018-SP")),
        ("a hundred", "past", None),
        ("62 miles", "past", None),
    ],
)
def test_rules(words, tense, expected):
    assert normalize(words, date(2017, 10, 26), tense) == expected


def test_ages_and_quantities_are_not_times():
    found = timexes("The 44-year-old commander led 2,000 troops 100 kilometers (62 miles) north.", "2017-10-26")
    assert not any("old" in text or "miles" in text for text in found)


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("The minister will visit Baghdad on Wednesday.", "2018-01-25", "2018-01-31"),  # future: the next one
        ("The minister visited Baghdad on Wednesday.", "2018-01-25", "2018-01-24"),
        ("Fourth-quarter profit rose sharply, the company said.", "2018-01-25", "2017-Q4"),
        ("Talks will resume this December, officials said.", "2018-01-25", "2018-12"),
        ("Prices rose earlier this year.", "2018-05-25", "2018"),
        ("Last year's results were poor.", "2018-05-25", "2017"),
    ],
)
def test_the_tense_of_the_clause_decides(text, published, expected):
    assert expected in {value for _, value in timexes(text, published).values()}


def test_what_no_calendar_holds_is_dropped_not_a_crash():
    found = timexes("Over the past 5000 years and 1000000 days ago, nothing changed.", "2017-10-26")
    assert isinstance(found, dict)
    assert timexes("It ends tomorrow.", "9999-12-31") is not None
    assert normalize("1.5 decades", date(2017, 1, 1), "past") == ("DURATION", "P15Y")
    assert normalize("a year", date(2017, 1, 1), "past") == ("DURATION", "P1Y")


def test_a_sentence_without_a_verb_is_read_too():
    found = timexes("Talks in Erbil on Monday, Sept. 11\n\nNo progress since 2014", "2017-09-14")
    assert "2017-09-11" in {value for _, value in found.values()}
    assert found["2014"] == ("DATE", "2014")


# ---- which way a relative date points ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("The bank has tried to sell the unit since December.", "2017-06-12", "2016-12"),  # not the coming one
        ("Fares are up since Tuesday.", "2017-06-15", "2017-06-13"),  # a present tense, and still the last one
        ("The mayor has been in office since the fall.", "2017-06-12", "2016-FA"),
        ("Prices have been climbing since Oct. 8.", "2017-10-05", "2016-10-08"),
    ],
)
def test_since_points_back_whatever_the_tense(text, published, expected):
    assert expected in {value for _, value in timexes(text, published).values()}


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("Trading resumes when the exchange reopens Tuesday.", "2017-06-12", "2017-06-13"),  # a Monday
        ("The retailer reports earnings Thursday.", "2017-06-12", "2017-06-15"),
        ("Negotiators are meeting Friday in Geneva.", "2017-06-12", "2017-06-16"),
        ("The merger is expected to close Wednesday.", "2017-06-12", "2017-06-14"),
        ("The new tariff takes effect in September.", "2017-10-05", "2018-09"),
        ("The board declared a dividend payable Jan. 3.", "2016-12-20", "2017-01-03"),  # past tense, future date
    ],
)
def test_a_planned_present_points_forward(text, published, expected):
    assert expected in {value for _, value in timexes(text, published).values()}


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("Apple says Tuesday it will cut jobs.", "2017-06-14", "2017-06-13"),  # what was said: the day before
        ("The ministry announces Tuesday a plan to cut fuel taxes.", "2017-06-14", "2017-06-13"),
        ("Airline shares slide Tuesday on fuel costs", "2017-06-14", "2017-06-13"),  # a headline tells the past
    ],
)
def test_what_was_said_and_headlines_stay_in_the_past(text, published, expected):
    assert expected in {value for _, value in timexes(text, published).values()}


@pytest.mark.parametrize(
    ("words", "tense", "expected"),
    [
        ("the fall", "past", ("DATE", "2017-FA")),  # begun by late October
        ("the winter", "past", ("DATE", "2016-WI")),
        ("the spring", "past", ("DATE", "2017-SP")),
        ("the spring", "future", ("DATE", "2018-SP")),
        ("summer 2008", "past", ("DATE", "2008-SU")),
        ("q3 2009", "past", ("DATE", "2009-Q3")),
    ],
)
def test_seasons_follow_the_tense(words, tense, expected):
    assert normalize(words, date(2017, 10, 26), tense) == expected


# ---- what is no date --------------------------------------------------------------------------------------


def test_a_number_in_a_name_is_no_year():
    found = timexes(
        "Shares in the Russell 2000 and the FTSE 100 fell, while Microsoft Office 2007 and the Boeing 737 sold "
        "well before Euro 2008.",
        "2009-03-02",
    )
    assert not {value for _, value in found.values()} & {"2000", "2007", "2008", "100", "737"}


def test_a_year_after_a_month_season_or_quarter_is_still_a_date():
    found = timexes("Sales rose in Sept. 2009, in fiscal 2008, in Summer 2008 and in Q3 2009.", "2010-03-02")
    assert found["Sept. 2009"] == ("DATE", "2009-09")
    assert found["fiscal 2008"] == ("DATE", "2008")
    assert found["Summer 2008"] == ("DATE", "2008-SU")
    assert found["Q3 2009"] == ("DATE", "2009-Q3")


def test_tomorrow_in_general_is_no_day():
    assert timexes("Engineers showed the cars of tomorrow at the fair.", "2017-06-12") == {}
    assert timexes("The trial resumes tomorrow.", "2017-06-12")["tomorrow"] == ("DATE", "2017-06-13")


def test_the_worst_in_a_hundred_years_is_a_stretch_not_a_date():
    found = timexes("It is the worst bear market in 100 years, traders said.", "2009-03-02")
    assert found == {"100 years": ("DURATION", "P100Y")}


def test_later_and_earlier_count_from_the_date_the_text_last_gave():
    found = timexes("Jobs started Apple in 1976. Nine years later he was forced out.", "2011-10-06")
    assert found["Nine years later"] == ("DATE", "1985")
    found = timexes("Third-quarter profit rose to $5 million from $3 million a year earlier.", "1989-10-26")
    assert found["a year earlier"] == ("DATE", "1988-Q3")
    found = timexes("The plant closed on March 3, 2009. Two days later the union sued.", "2009-03-10")
    assert found["Two days later"] == ("DATE", "2009-03-05")
    # Finer than the date it counts from: no day can be told, so none is given.
    assert timexes("It opened in 1990. Two days later it shut.", "2009-03-10")["Two days later"][1] == "XXXX-XX-XX"
    # "Ago" counts from the publication date whatever came before.
    assert timexes("It opened in 1990. Two days ago it shut.", "2009-03-10")["Two days ago"] == ("DATE", "2009-03-08")


def test_the_following_year_is_the_one_after_the_date_the_text_gave():
    found = timexes("In 2001 it launched a player, and the following year a new system.", "2011-10-06")
    assert found["the following year"] == ("DATE", "2002")
    found = timexes("The firm said that as of February, the store accounts for 70% of sales.", "2008-04-09")
    assert found["February"] == ("DATE", "2008-02")


def test_an_expression_is_never_dropped_for_want_of_a_value():
    found = timexes("Output grew sharply from 1991 to 1997.", "1999-05-07")
    assert found["1991"] == ("DATE", "1991") and found["1997"] == ("DATE", "1997")  # a range: its two ends
    found = timexes("The plant shut almost four years ago, just last month it reopened.", "1999-03-12")
    assert found["almost four years ago"] == ("DATE", "1995")  # read without its hedge
    assert found["last month"] == ("DATE", "1999-02")  # "just" is no part of it
    found = timexes("Profit fell in the quarter ended Sept. 30.", "1989-11-01")
    assert found["Sept. 30"] == ("DATE", "1989-09-30")
    found = timexes("It pays an annual dividend.", "1989-11-01")
    assert found["annual"] == ("SET", "P1Y")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The blast came at 3:30 p.m., police said.", ("3:30 p.m.", "TIME", "2017-10-26T15:30")),
        ("The talks resumed at noon.", ("noon", "TIME", "2017-10-26T12:00")),
        ("The strike ends at midnight Friday, the union said.", ("midnight Friday", "TIME", "2017-10-27T24")),
        ("Rescuers arrived at 4 in the morning, officials said.", ("4 in the morning", "TIME", "2017-10-26T04:00")),
        ("He called this morning to say so.", ("this morning", "TIME", "2017-10-26TMO")),
    ],
)
def test_clock_times_get_timeml_values(text, expected):
    words, kind, value = expected
    assert timexes(text, "2017-10-26")[words] == (kind, value)


def test_spoken_years_and_year_ago_quarters():
    assert timexes("He was born in nineteen fifty-six.", "1998-02-27")["nineteen fifty-six"] == ("DATE", "1956")
    found = timexes("Third-quarter profit rose 5%, above the year-ago quarter.", "1989-10-26")
    assert found["year-ago quarter"] == ("DATE", "1988-Q3")
    found = timexes("Sales in February this year beat June last year.", "1998-12-03")
    assert found["February this year"] == ("DATE", "1998-02") and found["June last year"] == ("DATE", "1997-06")


def test_a_weekday_tells_the_year_and_a_clock_time_takes_the_day_before_it():
    assert timexes("The paper said on Monday, Oct. 26: it is over.", "1998-10-25")["Monday, Oct. 26"][1] == "1998-10-26"
    found = timexes("Fighting broke out on Friday, Aug. 7. It stopped at 10:35 a.m.", "1998-08-08")
    assert found["10:35 a.m."] == ("TIME", "1998-08-07T10:35")
    found = timexes("Third-quarter profit rose 5% from a year ago.", "1989-11-02")
    assert found["a year ago"] == ("DATE", "1988-Q3")
    # A count of days after a day is no time of day; a time with a day of its own takes that day.
    found = timexes("The plant closed on March 3, 2009. 10 days later the union sued.", "2009-03-20")
    assert found["10 days later"] == ("DATE", "2009-03-13")
    found = timexes("Talks began on Friday, Aug. 7. They ended at 10 p.m. Wednesday.", "2009-03-20")
    assert found["10 p.m. Wednesday"] == ("TIME", "2009-03-18T22:00")


def test_what_the_model_misses_at_a_sentence_start_is_found():
    found = timexes("At present the plant is closed. Now few go there.", "2017-10-26")
    assert found == {"At present": ("DATE", "PRESENT_REF"), "Now": ("DATE", "PRESENT_REF")}


# ---- issue 15, the second pass: what a plan, a deadline, a holiday and a part of the day say ---------------


@pytest.mark.parametrize(
    ("text", "published", "words", "expected"),
    [
        # what is planned lies ahead, whatever the tense of the plan (2000-01-05 is a Wednesday)
        ("The team planned to leave Nairobi on Thursday.", "2000-01-05", "Thursday", ("DATE", "2000-01-06")),
        ("Exiles planned a large demonstration on Saturday.", "2000-01-05", "Saturday", ("DATE", "2000-01-08")),
        ("Officials postponed the hearing until Monday.", "2000-01-05", "Monday", ("DATE", "2000-01-10")),
        ("The talks, set to resume Monday in Belfast, stalled.", "2000-01-05", "Monday", ("DATE", "2000-01-10")),
        ("The rebels attacked the town on Monday.", "2000-01-05", "Monday", ("DATE", "2000-01-03")),
        # a past clause sets a deadline a few weeks ahead, not the same day eleven months back
        ("The company set Nov. 10 as the deadline.", "1989-11-02", "Nov. 10", ("DATE", "1989-11-10")),
        ("The company bought the plant on Nov. 10.", "1989-12-02", "Nov. 10", ("DATE", "1989-11-10")),
        ("Egypt cut its oil supply in September.", "1990-08-16", "September", ("DATE", "1990-09")),
        ("Egypt cut its oil supply in March.", "1990-08-16", "March", ("DATE", "1990-03")),
        ("The general election is due this September.", "1998-02-05", "this September", ("DATE", "1998-09")),
        # holidays fall on their own days
        (
            "The boy was found Thanksgiving Day clinging to an inner tube.",
            "2000-01-05",
            "Thanksgiving Day",
            ("DATE", "1999-11-25"),
        ),  # fmt: skip
        ("Turnout will be high on Election Day.", "1998-10-26", "Election Day", ("DATE", "1998-11-03")),
        ("Sales fell after Easter.", "2024-05-02", "Easter", ("DATE", "2024-03-31")),
        # a part of the day, or a clock time, beside its weekday is one time
        ("Kenyan police met the FBI chief Friday morning.", "1998-08-21", "Friday morning", ("TIME", "1998-08-21TMO")),
        ("A woman was killed Thursday evening.", "1998-02-13", "Thursday evening", ("TIME", "1998-02-12TEV")),
        (
            "The agency postponed the hearing until 9 a.m. EST Tuesday.",
            "2000-04-03",
            "9 a.m. EST Tuesday",
            ("TIME", "2000-04-04T09:00"),
        ),  # fmt: skip
        # the weekend just gone, in the past tense on a weekday
        ("Lawyers met over the weekend.", "1990-08-13", "the weekend", ("DATE", "1990-W32-WE")),
        ("Lawyers will meet over the weekend.", "1990-08-13", "the weekend", ("DATE", "1990-W33-WE")),
        # the year in question, and twelve months to a day
        ("For the year, pet food volume was flat.", "1989-11-02", "the year", ("DATE", "1989")),
        ("This year's results included a gain.", "1989-11-02", "This year", ("DATE", "1989")),
        ("Rates may fall in coming months.", "1989-11-02", "coming months", ("DATE", "FUTURE_REF")),
        ("The recent closing of a bakery hurt sales.", "1989-11-02", "recent", ("DATE", "PAST_REF")),
        ("Current market conditions are poor.", "1989-11-02", "Current", ("DATE", "PRESENT_REF")),
        ("Earnings for its fourth quarter ended Sept. 30 fell.", "1989-11-02", "fourth quarter", ("DATE", "1989-Q4")),
    ],
)
def test_plans_deadlines_holidays_and_parts_of_the_day(text, published, words, expected):
    assert timexes(text, published)[words] == expected


def test_the_year_ended_is_twelve_months():
    found = timexes("Revenue was $76 million for the year ended March 31.", "1989-11-01")
    assert found["the year"] == ("DURATION", "P1Y")
    assert timexes("The current in the river was strong.", "1989-11-01") == {}  # a noun, no time
    assert timexes("Tourists flew to Easter Island.", "1989-11-01") == {}  # a name, no holiday


def test_a_headline_date_is_not_run_into_the_next_line():
    text = "Kurds offer to freeze independence vote on Oct. 25\nWednesday, the Kurdish government said it would talk."
    found = timexes(text, "2017-10-26")
    assert set(found) == {"Oct. 25", "Wednesday"} and found["Wednesday"] == ("DATE", "2017-10-25")
    assert found["Oct. 25"][1].endswith("-10-25")  # read, not X-filled as "Oct. 25\nWednesday" was


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Sales rose 5% in the early summer, the company said.", {"early summer": ("DATE", "1989-SU")}),
        ("They were held after the coup d'etat last year.", {"last year": ("DATE", "1988")}),
        ("Profit fell in the latest nine months, it said.", {"nine months": ("DURATION", "P9M")}),
        ("The plant was shut for more than four hours Friday.", {"more than four hours": ("DURATION", "PT4H")}),
        # Dropping "next", a lone unit or a modifier would tell another time: kept whole, X-filled.
        ("He met them the next morning.", {"the next morning": ("TIME", "XXXX-XX-XXTXX:XX")}),
        ("He said it would reopen on the eighth day.", {"the eighth day": ("DATE", "XXXX-XX-XX")}),
        ("Prices have risen in recent months.", {"recent months": ("DURATION", "PXM")}),
    ],
)
def test_an_unread_expression_is_trimmed_to_the_words_that_can_be_read(text, expected):
    assert timexes(text, "1989-10-26") == expected

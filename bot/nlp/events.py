"""Events: each sentence that carries a resolved date is an event, with the date's range and how sure it is.

A TimeML value becomes a range of days: 2017-09-25 a day, 2017-W37 a week (Monday to Sunday), 2017-09 a month,
2017-Q3 a quarter, 2017-SU a season, 2017 a year, 198 a decade, 19 a century. "Over the past week" is the week up
to the publication day. A sentence with several dates is an event on each, but for a date that only contains
another one of it. Certainty: "high" when the text states the date whole (a year in it, or a year, decade or
century itself), "medium" when part of it comes from the publication date ("Sept. 25", "last month", "Wednesday"),
"low" for a stretch counted back from it.
"""

from __future__ import annotations

import bisect
import calendar
import re
from datetime import date, timedelta

from bot.nlp.records import EventRecord
from bot.nlp.timex import Timex

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T.*)?$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})(-WE)?$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_SEASON = re.compile(r"^(\d{4})-(SP|SU|FA|WI)$")
_YEAR = re.compile(r"^(\d{4})$")
_DECADE = re.compile(r"^(\d{3})$")
_CENTURY = re.compile(r"^(\d{2})$")
_PERIOD = re.compile(r"^P(\d+)([DWMY])$")
_BACKWARD = re.compile(r"^(?:over\s+)?the\s+(?:past|last)\b", re.IGNORECASE)
_SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 2)}


def date_range(value: str) -> tuple[date, date, str] | None:
    """(first day, last day, granularity) of a TimeML date value, or None if it names no definite time."""
    try:
        if m := _DAY.match(value):
            day = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            return day, day, "day"
        if m := _WEEK.match(value):
            monday = date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
            if m.group(3):
                return monday + timedelta(days=5), monday + timedelta(days=6), "weekend"
            return monday, monday + timedelta(days=6), "week"
        if m := _MONTH.match(value):
            year, month = int(m.group(1)), int(m.group(2))
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]), "month"
        if m := _QUARTER.match(value):
            year, q = int(m.group(1)), int(m.group(2))
            last = date(year, 3 * q, calendar.monthrange(year, 3 * q)[1])
            return date(year, 3 * q - 2, 1), last, "quarter"
        if m := _SEASON.match(value):
            year, (first, last) = int(m.group(1)), _SEASON_MONTHS[m.group(2)]
            end_year = year + 1 if last < first else year
            return date(year, first, 1), date(end_year, last, calendar.monthrange(end_year, last)[1]), "season"
        if m := _YEAR.match(value):
            year = int(m.group(1))
            return date(year, 1, 1), date(year, 12, 31), "year"
        if m := _DECADE.match(value):
            start = int(m.group(1)) * 10
            return date(start, 1, 1), date(start + 9, 12, 31), "decade"
        if m := _CENTURY.match(value):
            start = int(m.group(1)) * 100
            return date(max(start, 1), 1, 1), date(start + 99, 12, 31), "century"
    except (ValueError, OverflowError):  # a value no calendar holds ("2017-02-30", "9999-W52")
        return None
    return None


def _anchored(timex: Timex, published: date | None) -> tuple[date, date, str] | None:
    """ "over the past week" before a publication day: that week."""
    m = _PERIOD.match(timex.value)
    if published is None or timex.type != "DURATION" or not m or not _BACKWARD.match(timex.text):
        return None
    n, unit = int(m.group(1)), m.group(2)
    days = {"D": 1, "W": 7, "M": 30, "Y": 365}[unit] * n
    granularity = {"D": "day", "W": "week", "M": "month", "Y": "year"}[unit]
    try:
        return published - timedelta(days=days), published, granularity
    except OverflowError:  # "over the past 5000 years"
        return None


def _certainty(timex: Timex, granularity: str, anchored: bool) -> str:
    if anchored:
        return "low"
    if re.search(r"\b\d{4}s?\b|'\d0s", timex.text) or granularity in ("year", "decade", "century"):
        return "high"
    return "medium"


def find_events(
    timexes: list[Timex], sentences: list[tuple[int, int]], actors_by_sentence: dict[int, set[int]], published
) -> list[EventRecord]:
    """One event per definite date of a sentence ("met on Sept. 13 ahead of the Sept. 25 vote": two), but for a
    date that only contains another of the same sentence ("this week, on Sept. 11": Sept. 11)."""
    dated: dict[int, dict[str, tuple]] = {}
    starts = [s for s, _ in sentences]  # in order: each timex's sentence by bisection, not by a scan of them all
    for timex in timexes:
        anchored = _anchored(timex, published)
        found = anchored or (date_range(timex.value) if timex.type in ("DATE", "TIME") else None)
        at = bisect.bisect_right(starts, timex.start) - 1
        sentence = at if at >= 0 and timex.start < sentences[at][1] else None
        if found is not None and sentence is not None:
            dated.setdefault(sentence, {}).setdefault(timex.value, (timex, found, anchored is not None))
    events = []
    for sentence, by_value in sorted(dated.items()):
        for timex, (first, last, granularity), anchored in by_value.values():
            spans = [(f, t) for _, (f, t, _), _ in by_value.values()]
            wider = any((f, t) != (first, last) and first <= f and t <= last for f, t in spans)
            if wider:
                continue
            events.append(
                EventRecord(
                    sentence=sentence,
                    value=timex.value,
                    granularity=granularity,
                    first=first.isoformat(),
                    last=last.isoformat(),
                    certainty=_certainty(timex, granularity, anchored),
                    timex=timex.text,
                    actors=tuple(sorted(actors_by_sentence.get(sentence, ()))),
                )
            )
    return events

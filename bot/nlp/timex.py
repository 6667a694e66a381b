"""Temporal expressions, normalised the TimeML way against the article's publication date.

Extents come from the model's DATE and TIME entities (a leading "the" kept, as TimeML keeps it); values come from
the rules below, on the expression's own words and the way it points (see _tense):

- explicit dates: "Sept. 25" (the year that puts it nearest the publication date), "September 2017", "2017-09-25",
  "in 2014", "the 1980s" (198), "the 20th century" (19), "the third quarter" (2017-Q3), "summer 2008", "Q3 2009";
- dates relative to publication: "today", "yesterday", "last month" (2017-09), "this week" (2017-W37),
  "Wednesday" (the last one in a past-tense sentence, the next one in a future one), "a year ago", "next spring";
- which way a bare "Tuesday", "December", "Dec. 5" or "the spring" points: back after "since" ("since December"
  in June: last December, whatever the tense); forward after "payable", "effective" or "due", and in a
  present-tense clause that tells what is planned ("when markets reopen Tuesday", "reports earnings Tuesday",
  "are meeting Friday", "is expected to close Monday", "could come Tuesday"), but not in one that tells what was
  said ("says Tuesday") nor in a headline ("Stocks fall Tuesday");
- vague references: "now" (PRESENT_REF), "recently" (PAST_REF), "the future" (FUTURE_REF);
- durations: "an eight-year war" (P8Y), "days of clashes" (PXD), "the past two months" (P2M), "the worst slump in
  100 years" (P100Y), never a date;
- sets: "every week" (P1W), "daily".

Not times at all: ages ("44-year-old"), clock times read as years ("1530 EST"), a number that is part of a name
("Russell 2000", "Office 2007", "Euro 2008": a proper name right before it that is no month, season, holiday or
"Fiscal"), and the generic "the cars of tomorrow" (TimeML marks no TIMEX there).

Without a publication date, explicit dates keep what they say ("XXXX-09-25" for "Sept. 25") and relative ones are
X-filled rather than guessed.
"""

from __future__ import annotations

import calendar
import re
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta

from spacy.tokens import Doc, Span, Token

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "half": 0.5,
}  # fmt: skip
UNITS = {
    "second": "TS", "minute": "TM", "hour": "TH", "day": "D", "night": "D", "week": "W", "weekend": "WE",
    "month": "M", "year": "Y", "decade": "DE", "century": "CE", "quarter": "Q",
}  # fmt: skip
SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
PRESENT = {"now", "currently", "current", "present", "at present", "nowadays", "the moment", "these days"}
PAST = {"recently", "recent", "the past", "previously", "earlier", "formerly", "once", "lately", "in the past"}
FUTURE = {"the future", "soon", "future", "later", "in the future", "shortly"}
BACKWARD_HEADS = {"since"}  # "since December", "since the spring": before publication, whatever the tense
DATING_WORDS = {
    "christmas", "easter", "thanksgiving", "halloween", "hanukkah", "ramadan", "passover", "eve", "day", "year",
    "fiscal", "fy", "calendar", "q1", "q2", "q3", "q4", "h1", "h2", "in", "since", "by", "of", "from", "until",
}  # fmt: skip
PARTS_OF_A_DAY = {"end", "start", "beginning", "middle", "rest", "morning", "afternoon", "evening", "night", "close"}
FORWARD_HEADS = {"effective", "payable", "due"}  # "payable Jan. 3": a date set ahead, whatever the tense
# A past-tense clause still names a day a few weeks ahead (a deadline, a record date) without its year, but
# hardly the same day eleven months before: "set Nov. 10 as the deadline" in a Nov. 2 article is that Nov. 10.
NEAR_AHEAD_DAYS = 31
TIME_ADJECTIVES = {"current", "recent"}  # "current market conditions", "the recent closing": PRESENT_REF, PAST_REF
PLAN_VERBS = {"plan", "schedule", "intend", "postpone"}  # see _planned
PLAN_HEADS = {"set", "ready", "prepare"}  # only with what they govern: "set to resume Monday"
MODALS = {"could", "might", "may", "can", "should", "must", "would"}
REPORTING = {
    "say", "tell", "announce", "state", "add", "claim", "confirm", "deny", "disclose", "reveal", "declare", "note",
    "acknowledge", "admit", "insist", "warn", "write", "explain", "argue", "predict", "urge",
}  # fmt: skip

_NUM = (
    r"(?:\d+(?:\.\d+)?|"
    + "|".join(sorted(NUMBERS, key=len, reverse=True))
    + r")(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?"
)
_UNIT = r"(second|minute|hour|day|night|week|weekend|month|year|decade|century|quarter)s?"
_MONTH = r"(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DURATION_LEAD = (
    r"(?:(?:the|about|some|nearly|almost|more than|over|at least|the past|the last|the next|the first|the final"
    r"|another|the previous|the coming)\s+)*"
)
_DURATION = re.compile(rf"^{_DURATION_LEAD}(?P<n>{_NUM}|several|a few|few|many|some)?[- ]?{_UNIT}(?:-long|-old|'s?)?$")
_AGO = re.compile(
    rf"^(?P<n>{_NUM}|several|a few)?[- ]?{_UNIT}\s+(?P<dir>ago|earlier|before|later|after|from now|hence|previously)$"
)
_RELATIVE = re.compile(
    r"^(?:(?P<mod>early|late|mid|earlier|later|the end of|the beginning of|the start of|the middle of)[- ]?)?"
    r"(?P<which>this|last|next|the past|the coming|the previous|the following|past|coming|previous|following"
    r"|the current|current|the same)\s+"
    rf"(?P<unit>week|weekend|month|year|quarter|decade|century|spring|summer|fall|autumn|winter|{_MONTH[1:-4]})$"
)
_YEAR_EARLIER = re.compile(r"^(?:a\s+)?year-(?:earlier|ago)$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTH_DAY_YEAR = re.compile(rf"^{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?$")
_DAY_MONTH_YEAR = re.compile(rf"^(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:,?\s+(\d{{4}}))?$")
_MONTH_YEAR = re.compile(rf"^(?:(?:early|late|mid)[- ])?{_MONTH}(?:,?\s+(?:of\s+)?(\d{{4}}))?$")
_YEAR = re.compile(r"^(?:(?:early|late|mid|fiscal|calendar|the year|the|year)[- ])?(1[5-9]\d\d|20\d\d)$")
_DECADE = re.compile(r"^(?:(?:early|late|mid)[- ])?(?:(1[5-9]|20)(\d)0|'(\d)0)s$")
_CENTURY = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)[- ]century$")
_QUARTER = re.compile(r"^(?:the\s+)?(first|second|third|fourth|1st|2nd|3rd|4th)[- ]quarter(?:\s+of\s+(\d{4}))?$")
_NAMED_PERIOD_YEAR = re.compile(r"^(spring|summer|fall|autumn|winter|q[1-4])(?:\s+of)?,?\s+(\d{4})$")  # "Q3 2009"
_WEEKDAY = re.compile(
    r"^(?:(?P<which>last|next|this|early|late|this coming|this past|the previous|the following|the next)\s+)?"
    r"(?P<day>monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?:\s+(?P<part>morning|afternoon|evening|night))?$"
)
_SET = re.compile(
    rf"^(?:every|each|per)\s+(?:(?P<n>{_NUM})\s+)?{_UNIT}$|^(?P<adv>daily|weekly|biweekly|monthly|quarterly|yearly|annual|annually|semiannual|semiannually|hourly|nightly)$"
)
_WEEKDAY_LEAD = re.compile(r"^(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday),?\s+(?=\S)")
_PARTS = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "tonight": "NI"}
_ORDINAL = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}


_BARE_NUMBER = re.compile(r"^(?:\d{1,3}|\d{5,})$")  # not a year: an age, a count, a model number
_AGE = re.compile(r"\byears?[- ]old\b|-year-old", re.IGNORECASE)  # "44-year-old": an age, not a time
_HOLIDAY_NAMES = (
    r"Thanksgiving(?: Day)?|Christmas(?: Day| Eve)?|New Year's(?: Day| Eve)?|Independence Day|the Fourth of July|"
    r"July Fourth|Halloween|Valentine's Day|Memorial Day|Labor Day|Election Day|Easter(?: Sunday)?|Good Friday|"
    r"Martin Luther King(?: Jr\.)? Day|Veterans Day"
)
_MISSED = re.compile(
    r"(?<![\w-])(?:(?i:now|currently|at present|nowadays|recently|the future|the past)|"
    r"(?i:every (?:day|week|month|year|morning|night|evening))|"
    r"(?i:the latest (?:period|quarter))|"
    rf"(?:(?i:last|next|this) )?(?:{_HOLIDAY_NAMES})(?! [A-Z])|"  # not "Easter Island", "Good Friday Agreement"
    r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.\s\d{1,2}(?:,\s\d{4})?|"
    r"(?:January|February|March|April|June|July|August|September|October|November|December)\s\d{1,2}(?:,\s\d{4})?)"
    r"(?![\w-])"
)


# A four-digit number before a time zone or "hours" is a clock time ("1530 EST", "0600 hours"), not a year (nor
# 600 hours); times of day are not normalised (as "3 p.m." is not), so it is left out.
_CLOCK_NUMBER = re.compile(r"^\d{4}$")
_ZERO_HOURS = re.compile(r"^(0\d{3})\s*(?:hours|hrs|hr|h)\.?$")
_CLOCK_AFTER = re.compile(
    r"[^\S\n]*(?:(?:[ECMPA][SD]T|AK[SD]T|H[SD]T|NZ[SD]T|AE[SD]T|GMT|UTC|Z|BST|IST|CET|CEST|EET|EEST|WET|WEST|MSK"
    r"|JST|KST|HKT|SGT|PKT|WIB)\b|(?i:hours|hrs|hr|h)\b\.?)"
)


@dataclass
class Timex:
    start: int
    end: int
    text: str
    type: str  # DATE, TIME, DURATION or SET
    value: str


def find_timexes(doc: Doc, text: str, published: date | None) -> list[Timex]:
    found: list[Timex] = []
    for span in expressions(doc, text):
        found += _read(span, text, published, found)
    return found


def expressions(doc: Doc, text: str) -> list[Span]:
    """The spans that tell a time, in order: the model's DATE and TIME entities and what it leaves out ("now",
    "recently", a bare "Sept. 30"), but for ages, bare numbers, clock numbers and numbers of names. Each becomes
    at least one Timex (see `_read`)."""
    spans = [
        ent
        for ent in doc.ents
        if ent.label_ in ("DATE", "TIME") and not _AGE.search(ent.text) and not _BARE_NUMBER.match(ent.text)
    ]  # "Smith, 52,": an age; a bare number below a thousand says no time
    taken = [(s.start_char, s.end_char) for s in spans]  # in order, and apart, as the doc's entities are
    ends = [b for _, b in taken]
    for match in _MISSED.finditer(text):
        k = bisect_right(ends, match.start())  # the first entity that ends after the match starts
        if not (k < len(taken) and taken[k][0] < match.end()):
            span = doc.char_span(match.start(), match.end())
            if span is not None:
                spans.append(span)
    spans = [_with_determiner(piece) for span in spans for piece in _lines_of(span)]
    covered = {t.i for span in spans for t in span}
    spans += [doc[t.i : t.i + 1] for t in doc if t.lower_ in TIME_ADJECTIVES and t.pos_ == "ADJ" and t.i not in covered]
    kept = []
    for span in _join_parts_of_day(sorted(spans, key=lambda s: s.start_char)):
        if _is_clock_time(_words(text[span.start_char : span.end_char]), text, span.end_char):
            continue  # "1530 EST", "2000 GMT": a clock time, not the year 1530
        if _part_of_name(span) or _generic(span):
            continue  # "Office 2007", "Euro 2008"; "the cars of tomorrow": no date the text puts anything on
        kept.append(span)
    return kept


def _lines_of(span: Span) -> list[Span]:
    """A span cut at its line breaks: the model runs a headline's date into the next line's ("Oct. 25" and
    "Wednesday"), which are two expressions."""
    if "\n" not in span.text:
        return [span]
    pieces, start = [], span.start
    for token in span:
        if "\n" in token.text or "\n" in token.whitespace_:
            end = token.i if "\n" in token.text else token.i + 1
            if end > start:
                pieces.append(Span(span.doc, start, end, label=span.label_))
            start = token.i + 1
    if start < span.end:
        pieces.append(Span(span.doc, start, span.end, label=span.label_))
    return pieces


def _with_determiner(span: Span) -> Span:
    """ "This year's results": the model's entity is "year" alone, its word before says which year."""
    if (
        len(span) == 1
        and span.start
        and span[0].lower_ in UNITS
        and span.doc[span.start - 1].lower_ in ("this", "last", "next", "that")
    ):
        return Span(span.doc, span.start - 1, span.end, label=span.label_)
    return span


def _join_parts_of_day(spans: list[Span]) -> list[Span]:
    """ "Friday" and "morning" side by side (the model's DATE, then its TIME) are one time, Friday morning; so
    are a clock time and the weekday right after it ("9 a.m. EST" and "Tuesday")."""
    out: list[Span] = []
    for span in spans:
        last = out[-1] if out else None
        if (
            last is not None
            and span.start == last.end
            and (
                (span.text.lower() in _PARTS and last[-1].lower_ in WEEKDAYS)
                or (last.label_ == "TIME" and len(span) == 1 and span[0].lower_ in WEEKDAYS)
            )
        ):
            out[-1] = Span(span.doc, last.start, span.end, label="TIME")
            continue
        out.append(span)
    return out


def _the_year(text: str, start: int, end: int, published: date | None) -> tuple[str, str] | None:
    """ "For the year", "a high for the year", "the fiscal year": the year in question, the publication's; but
    "the year ended March 31" is twelve months up to that day, a duration (as "the quarter" is a quarter)."""
    if published is None or _words(text[start:end]) not in ("the year", "the fiscal year"):
        return None
    if re.match(r"\s*,?\s*(?:ended|ending|to|through)\b", text[end : end + 12]):
        return "DURATION", "P1Y"
    return "DATE", str(published.year)


def _resolve(words: str, published: date | None, tense: str, before: list[Timex]) -> tuple[str, str] | None:
    """The expression's (type, value), or, when the words as they stand are not read, theirs without a hedge
    ("about 10:35 a.m.", "almost four years ago", "early October this year", "the fiscal first quarter")."""
    for form in dict.fromkeys((words, _unhedged(words))):
        try:
            found = (
                _narrative(form, before)
                or _year_ago_period(form, before, published)
                or normalize(form, published, tense)
            )
        except (ValueError, OverflowError):  # "1000000 days ago": no date the calendar can hold
            found = None
        if found is not None:
            return found
    return None


def _read(span: Span, text: str, published: date | None, before: list[Timex]) -> list[Timex]:
    """An expression never disappears because its value is hard: read whole, or without its hedge; else split
    into what can be read ("between 1994 and 1997", "the quarter ended Sept. 30"); else kept with its value
    X-filled ("the early years": PXY)."""
    start, end = span.start_char + _outside(text[span.start_char : span.end_char]), span.end_char
    tense = _tense(span)
    if found := _the_year(text, start, end, published) or _resolve(_words(text[start:end]), published, tense, before):
        return [Timex(start, end, text[start:end], *found)]
    parts = []
    for a, b in _parts(text, start, end):
        a += _outside(text[a:b])
        if found := _the_year(text, a, b, published) or _resolve(_words(text[a:b]), published, tense, before + parts):
            parts.append(Timex(a, b, text[a:b], *found))
    if parts:
        return parts
    if trimmed := _trimmed(span.doc, text, start, end, published, tense, before):
        return [trimmed]
    return [Timex(start, end, text[start:end], *_unread(_words(text[start:end]), span.label_))]


_SHIFTS = re.compile(r"\b(?:next|previous|following|preceding|coming|prior|before|after)\b")
_LONE_UNIT = re.compile(rf"^(?:the |a |an |that |this )?(?:fiscal )?{_UNIT}$")


def _trimmed(
    doc: Doc, text: str, start: int, end: int, published: date | None, tense: str, before: list[Timex]
) -> Timex | None:
    """The longest run of the expression's words that can be read, words dropped from the front first ("the
    previous Friday": Friday, "d'etat last year": last year), then from the back ("April month": April, "a few
    days later": a few days)."""
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", text[start:end])]
    for size in range(len(words) - 1, 0, -1):
        for first in (len(words) - size, 0):
            a, b = start + words[first][0], start + words[first + size - 1][1]
            if _SHIFTS.search(_words(text[start:a] + " " + text[b:end])):
                continue  # "the next morning", "the previous Friday": without the word, another day
            if _UNIT_WORD.search(_words(text[b:end])):
                continue  # "Easter week": without its unit, a day where a week was meant
            if (piece := doc.char_span(a, b)) is None or _part_of_name(piece):
                continue  # "the Russell 2000": the number of a name
            run = _words(text[a:b])
            if _LONE_UNIT.match(run) or run in PRESENT | PAST | FUTURE:
                continue  # "the eighth day", "recent months": a unit or a modifier alone is not what is meant
            if found := _resolve(run, published, tense, before):
                return Timex(a, b, text[a:b], *found)
    return None


# Hedges a date is read without: "about 10:35 a.m.", "nearly four years ago", "early October this year".
_HEDGE = re.compile(
    r"^(?:about|around|roughly|approximately|almost|nearly|close to|less than|more than|fewer than|over|under|"
    r"up to|no more than|no less than|at least|at most|as long as|as many as|as much as|as early as|as late as|"
    r"well over|sometime|some|early|late|mid|earlier|later|the early hours of|the late hours of|all|the whole|"
    r"within|only|just|barely|even|this past)[- ]+"
)
_HEDGE_AFTER = re.compile(r"\s+(?:or so|or more|or less|or longer|and beyond|or two|or three|ahead|old)$")
# Words outside the expression itself: "just last month" is "last month".
# Words before an expression that are no part of it: hedges, and a possessive ("its fourth quarter").
_OUTSIDE = re.compile(r"^(?:just|only|barely|even|still|already|a mere|mere|its|their|his|her|our)\s+", re.IGNORECASE)
_SPLIT = re.compile(
    r"\s+(?:and|to|through|thru|until|till|or|ended|ending|ends|of|from|between)\s+|,\s+|\s*[-–—]\s*(?=\d)",
    re.IGNORECASE,
)
_LEAD_WORD = re.compile(r"^(?:between|from|both|each of|the week of)\s+", re.IGNORECASE)
_UNIT_WORD = re.compile(r"\b(second|minute|hour|day|night|week|month|quarter|year|decade|centur)(?:y|ies|s)?\b")


def _unhedged(words: str) -> str:
    words = re.sub(r"\bfiscal[- ]", "", words)
    while (bare := _HEDGE.sub("", words, count=1)) != words:
        words = bare
    return _HEDGE_AFTER.sub("", words)


def _outside(text: str) -> int:
    m = _OUTSIDE.match(text)
    return m.end() if m and m.end() < len(text) else 0


def _parts(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The pieces of an expression between its joining words, as character ranges."""
    lead = _LEAD_WORD.match(text, start)
    at = lead.end() if lead else start
    pieces = []
    for m in _SPLIT.finditer(text, at, end):
        pieces.append((at, m.start()))
        at = m.end()
    pieces.append((at, end))
    return [(a, b) for a, b in pieces if b > a and text[a:b].strip()] if len(pieces) > 1 or lead else []


def _unread(words: str, label: str) -> tuple[str, str]:
    """A value that keeps what the words say: a stretch of some units ("the early years": PXY), or a date or
    time of no known day."""
    unit = _UNIT_WORD.search(words)
    counted = unit and (
        unit.group(0).endswith("s") or re.search(rf"\b(?:\d+|a|an|{'|'.join(NUMBERS)})[- ]" + unit.group(0), words)
    )
    if counted and not re.search(r"\b(ago|last|this|next|past|coming|later|earlier|since|end)\b", words):
        return "DURATION", _period("X", UNITS["century" if unit.group(1) == "centur" else unit.group(1)])
    return ("TIME", "XXXX-XX-XXTXX:XX") if label == "TIME" else ("DATE", "XXXX-XX-XX")


_YEAR_AGO_PERIOD = re.compile(
    r"^(?:the\s+)?(?:comparable\s+|same\s+)?(?:year-ago|year-earlier|year ago|last year's|prior-year|"
    r"previous year's)\s+(?:(?P<q>first|second|third|fourth)[- ])?(?:quarter|period)$|^(?:the\s+)?quarter a year ago$"
)


def _year_ago_period(words: str, before: list[Timex], published: date | None) -> tuple[str, str] | None:
    """ "The year-ago quarter", "the year-earlier period": the quarter the text last gave (else the one before
    publication), a year before."""
    m = _YEAR_AGO_PERIOD.match(words)
    if not m:
        return None
    anchor = _reported_quarter(before)
    if anchor is None:
        anchor = _shift(published, "Q", -1) if published else None
    if anchor is None or "X" in anchor:
        return "DATE", "XXXX-QX"
    year, quarter = int(anchor[:4]), int(anchor[-1])
    return "DATE", f"{year - 1}-Q{_ORDINAL[m.group('q')] if m.group('q') else quarter}"


def _narrative(words: str, before: list[Timex]) -> tuple[str, str] | None:
    """ "A year later", "two days earlier", "a year-earlier": counted from the date the text last gave ("in 1984
    … One year later": 1985; "third-quarter profit … a year earlier": that quarter the year before), at its
    granularity; counted from the publication date (the rules of `normalize`) when the text gave none before.
    "Ago" and "from now" always count from the publication date, but for "a year ago" right after a quarter: the
    results of the same quarter a year before, as financial news reports them. A time of day with no day of its
    own is on the day the text last gave ("on Friday … at 10:35 a.m.")."""
    if words in ("the day", "that day", "the same day", "that same day"):  # of the day the text last gave
        day = _last(before, _DAY)
        return ("DATE", day[:10]) if day else None
    if words in ("a year ago", "the year-ago", "year-ago"):
        last = _last(_told(before), _ANCHOR, "DATE") or ""
        if _QUARTER_VALUE.match(last):
            last = _reported_quarter(before) or last
            return "DATE", f"{int(last[:4]) - 1}{last[4:]}"
        return None
    clock = _CLOCK.match(words)
    if (
        (clock and not clock.group("day") or words in _NAMED_TIMES)
        and (day := _last(before, _DAY))
        and (found := _clock(words, words, date.fromisoformat(day[:10]), "past")) is not None
    ):
        return found  # not "10 days later", which the clock pattern also takes in
    if _YEAR_EARLIER.match(words) and not words.endswith("ago"):
        n, unit, sign = 1, "Y", -1
    elif m := _ANAPHORIC.match(words):
        n, unit, sign = 1, UNITS[m.group("unit")], {"following": 1, "previous": -1}.get(m.group("which"), 0)
    elif (m := _AGO.match(words)) and m.group("dir") in ("earlier", "before", "later", "after", "previously"):
        n, unit = _number(m.group("n")) if m.group("n") else None, UNITS[m.group(2)]
        sign = 1 if m.group("dir") in ("later", "after") else -1
        if n is None:
            return None
    else:
        return None
    anchor = _last(_told(before) if unit == "Y" and sign < 0 else before, _ANCHOR, "DATE")
    if anchor is None:
        return None
    if _ANAPHORIC.match(words):  # "the following year" after "in 2001": 2002, a year, whatever 2001 was
        anchor = _truncate(anchor, unit)
    found = _from_anchor(anchor, unit, sign * int(n)) if anchor else None
    return "DATE", found or _x_filled(unit)


_COMPARISON = re.compile(r"^(?:the |a |one )?(?:year[- ](?:earlier|ago)|year earlier|year ago)(?:\s+\w+)?$")
_ANCHOR = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?|-Q([1-4]))?$")
_QUARTER_VALUE = re.compile(r"^\d{4}-Q[1-4]$")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")  # a day's value, or the start of a time's on that day


def _reported_quarter(before: list[Timex]) -> str | None:
    """The quarter a results story reports: the last it gave, not a year-ago one it compared it with."""
    return _last(_told(before), _QUARTER_VALUE)


def _told(before: list[Timex]) -> list[Timex]:
    """The dates the text gave, not those it only compared with ("a year earlier", "the year-ago quarter"): a
    comparison counts from the period reported, never from another comparison."""
    return [t for t in before if not _COMPARISON.match(_words(t.text))]


def _last(before: list[Timex], value: re.Pattern, kind: str | None = None) -> str | None:
    """The value of the latest expression the text gave before that matches `value` (and is of `kind`)."""
    return next((t.value for t in reversed(before) if (kind is None or t.type == kind) and value.match(t.value)), None)


# "The following year", "that same month": the one after, or the one of, the date the text gave before.
_ANAPHORIC = re.compile(r"^(?:the\s+)?(?P<which>following|previous|same|that|that same)\s+(?P<unit>day|month|year)$")


def _truncate(anchor: str, unit: str) -> str | None:
    """A date cut to a unit's granularity ("2001-10-23" to the year "2001"); None when it is coarser."""
    parts = {"Y": 1, "M": 2, "D": 3}[unit]
    fields = anchor.split("-")
    if "Q" in anchor or len(fields) < parts:
        return None
    return "-".join(fields[:parts])


_MONTHS_IN = {"Y": 12, "Q": 3, "M": 1}


def _from_anchor(anchor: str, unit: str, n: int) -> str | None:
    """A date n units from another date, at that date's granularity; None when the unit is finer than it ("two
    days after 1984")."""
    year, month, day, quarter = _ANCHOR.match(anchor).groups()
    year = int(year)
    if unit in ("D", "W"):
        if day is None:
            return None
        return (date(year, int(month), int(day)) + timedelta(days=n * (7 if unit == "W" else 1))).isoformat()
    if unit not in _MONTHS_IN:
        return None
    months = n * _MONTHS_IN[unit]
    if quarter is not None:
        if unit == "M":
            return None
        q = year * 4 + int(quarter) - 1 + months // 3
        return f"{q // 4}-Q{q % 4 + 1}"
    if month is None:
        return str(year + months // 12) if unit == "Y" else None
    total = year * 12 + int(month) - 1 + months
    shifted_year, shifted_month = total // 12, total % 12 + 1
    if day is None:
        return f"{shifted_year}-{shifted_month:02d}"
    last = calendar.monthrange(shifted_year, shifted_month)[1]
    return date(shifted_year, shifted_month, min(int(day), last)).isoformat()


def _is_clock_time(words: str, text: str, end: int) -> bool:
    """A four-digit time of day (hours below 24, minutes below 60) that a time zone or "hours" follows; or, the
    "hours" within the expression, one written with a leading zero ("0600 hours": no stretch of 600 hours)."""
    if m := _ZERO_HOURS.match(words):
        words = m.group(1)
    elif not _CLOCK_NUMBER.match(words) or _CLOCK_AFTER.match(text, end) is None:
        return False
    return int(words[:2]) < 24 and int(words[2:]) < 60


def _part_of_name(span: Span) -> bool:
    """A number right after a proper name belongs to the name ("Russell 2000", "Office 2007", "Euro 2008"), but
    for a word that dates it ("Sept. 2009", "Christmas 2009", "Fiscal 2009", "Q3 2009")."""
    if len(span) != 1 or not span[0].like_num or span.start == 0:
        return False
    name = span.doc[span.start - 1]
    word = name.lower_.rstrip(".")
    dating = word in MONTHS or word in WEEKDAYS or word in SEASONS or word in DATING_WORDS
    return name.tag_ in ("NNP", "NNPS") and name.text[:1].isupper() and bool(name.whitespace_) and not dating


def _generic(span: Span) -> bool:
    """ "the cars of tomorrow", "the world of tomorrow": the future in general, no day after publication (TimeML
    marks no TIMEX there); "the end of tomorrow" is a day."""
    if span.text.lower() != "tomorrow" or span.start < 2:
        return False
    of, noun = span.doc[span.start - 1], span.doc[span.start - 2]
    return of.lower_ == "of" and noun.lower_ not in PARTS_OF_A_DAY


def _words(text: str) -> str:
    words = " ".join(text.lower().replace("’", "'").replace("—", " ").split()).strip(" ,.;:")
    return _spoken_years(re.sub(r"'s?$", "", words))  # "last year's results"


_TENS = {"ten": 10, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}  # fmt: skip
_ONES = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
_TEENS = {"eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
          "seventeen": 17, "eighteen": 18, "nineteen": 19}  # fmt: skip
_SPOKEN_YEAR = re.compile(
    r"\b(nineteen|twenty) (?:("
    + "|".join(_TEENS)
    + r")|("
    + "|".join(_TENS)
    + r")(?:[- ]("
    + "|".join(_ONES)
    + r"))?)\b"
    r"|\btwo thousand(?: and)?(?: (" + "|".join(_ONES) + r"|ten))?\b"
)
_SPOKEN_DECADE = re.compile(r"\bthe (twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)\b")


def _spoken_years(words: str) -> str:
    """Years as a transcript spells them: "nineteen ninety-six" is 1996, "the year two thousand" 2000, "the
    nineties" the 1990s."""

    def year(m: re.Match) -> str:
        if m.group(0).startswith("two thousand"):
            return str(2000 + (_ONES.get(m.group(5), 10) if m.group(5) else 0))
        century = 19 if m.group(1) == "nineteen" else 20
        rest = _TEENS[m.group(2)] if m.group(2) else _TENS[m.group(3)] + _ONES.get(m.group(4) or "", 0)
        return str(century * 100 + rest)

    words = (
        _SPOKEN_YEAR.sub(year, words) if ("nineteen" in words or "twenty" in words or "thousand" in words) else words
    )
    tens = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7, "eighties": 8,
            "nineties": 9}  # fmt: skip
    return _SPOKEN_DECADE.sub(lambda m: f"the 19{tens[m.group(1)]}0s", words)


def _tense(span: Span) -> str:
    """past, future or present: which way the expression points. A head word decides it ("since December" is
    the December before, whatever the tense; "payable Jan. 3" the coming one); else the tense of its clause
    ("will" looks forward, and so does a present-tense clause that tells what is planned: "when markets reopen
    Tuesday")."""
    before = span.doc[span.start - 1].lower_ if span.start else ""
    if span.start >= 2 and span.doc[span.start - 2].lower_ == "as" and before in ("of", "at"):
        return "present"  # "as of February, the store accounts for 70%": a standing, the nearest February
    if before in BACKWARD_HEADS or span.root.head.lower_ in BACKWARD_HEADS:
        return "since"  # strictly before publication: no day just ahead (NEAR_AHEAD_DAYS)
    if before in FORWARD_HEADS or span.root.head.lower_ in FORWARD_HEADS:
        return "future"
    verb = _clause_verb(span)
    if _planned(span, verb):
        return "future"
    tense = _verb_tense(verb)
    if tense == "present" and _scheduled(span, verb):
        return "future"
    return tense


def _planned(span: Span, verb: Token) -> bool:
    """What is planned lies ahead of the plan, whatever its tense: "planned to leave on Thursday", "were planning
    a rally Saturday", "has scheduled a news conference Thursday", "postponed until Tuesday", "set to resume
    Monday", "ready to leave as soon as Tuesday"."""
    start = span.start
    if start >= 3 and [t.lower_ for t in span.doc[start - 3 : start]] == ["as", "soon", "as"]:
        return True
    if verb.lemma_.lower() in PLAN_VERBS:
        return True
    while verb.dep_ == "xcomp" and verb.head.i != verb.i:  # "set to resume", not "set fire"
        verb = verb.head
        if verb.lemma_.lower() in PLAN_VERBS or verb.lemma_.lower() in PLAN_HEADS:
            return True
    return False


def _clause_verb(span: Span) -> Token:
    verb = span.root
    while verb.head.i != verb.i and verb.pos_ not in ("VERB", "AUX"):  # the root is its own head
        verb = verb.head
    return verb


def _verb_tense(verb: Token) -> str:
    chain = [verb, *(c for c in verb.children if c.dep_ in ("aux", "auxpass"))]
    if any(t.lower_ in ("will", "'ll", "shall", "going") for t in chain):
        return "future"
    have = any(t.lower_ in ("has", "have", "had", "'ve", "'d") for t in chain)
    perfect = have and (verb.tag_ == "VBN" or any(t.lower_ == "been" for t in chain))  # "have been searching"
    if perfect or any(t.tag_ == "VBD" for t in chain):
        return "past"
    return "present"


def _scheduled(span: Span, verb: Token) -> bool:
    """A date the clause's present-tense verb itself takes, where that verb tells what is planned ("reports
    earnings Tuesday", "are meeting Friday", "is expected to close Monday") rather than what was said ("says
    Tuesday"); a headline's present tense tells the past ("Stocks fall Tuesday"), so a headline is left out."""
    if not _adverbial(span, verb) or _headline(span) or _reports(verb):
        return False
    if verb.tag_ == "VB" and verb.dep_ == "xcomp" and any(c.lower_ == "to" for c in verb.children):
        verb = verb.head  # "is scheduled to close Monday": the governing verb's tense and form decide
        if _verb_tense(verb) != "present" or _reports(verb):
            return False
    return _looks_ahead(verb)


def _adverbial(span: Span, verb: Token) -> bool:
    """The date modifies the verb (through prepositions and adverbs: "as soon as Tuesday"), not a noun
    ("Tuesday's ruling", "the cars of tomorrow")."""
    token = span.root
    while token.head.i != token.i and token.head.i != verb.i:
        token = token.head
        if token.pos_ in ("NOUN", "PROPN", "PRON", "NUM", "ADJ"):
            return False
    return token.head.i == verb.i and span.root.dep_ != "poss"


def _looks_ahead(verb: Token) -> bool:
    """Present simple or progressive, a present passive ("is scheduled"), or an active modal ("could come
    Tuesday", "would be traveling Thursday") that is not negated ("could not attend Tuesday"). A plural-agreement
    form with a singular noun subject is a past form misread ("Weakness hurt stocks"), not a present one."""
    aux = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if verb.tag_ == "VBP" and any(c.dep_ == "nsubj" and c.tag_ in ("NN", "NNP") for c in verb.children):
        return False
    if verb.tag_ in ("VBZ", "VBP"):
        return not aux
    if any(a.lower_ in MODALS for a in aux):  # not a passive: "could not be reached Tuesday", "could be located"
        return verb.tag_ in ("VB", "VBG") and not any(c.dep_ == "neg" for c in verb.children)
    return verb.tag_ in ("VBG", "VBN") and any(a.tag_ in ("VBZ", "VBP") for a in aux)


def _reports(verb: Token) -> bool:
    """A verb of saying ("says Tuesday", "announces Wednesday"), or one that reports a clause."""
    return verb.lemma_.lower() in REPORTING or any(c.dep_ == "ccomp" for c in verb.children)


def _headline(span: Span) -> bool:
    """The sentence ends without a stop (where no parse gave sentences, nothing is taken for a headline)."""
    if not span.doc.has_annotation("SENT_START"):
        return False
    return not span.sent.text.rstrip().endswith((".", "!", "?", '"', "'", "”", "’", ")", ":", ";"))


def _on_weekday(found: tuple[str, str], weekday: int) -> tuple[str, str]:
    """ "Monday, Oct. 26" with no year: the year nearest the one guessed in which Oct. 26 is a Monday."""
    kind, value = found
    if not _DAY.fullmatch(value):
        return found
    day = date.fromisoformat(value)
    for shift in (0, 1, -1):
        try:
            moved = day.replace(year=day.year + shift)
        except ValueError:  # Feb. 29
            continue
        if moved.weekday() == weekday:
            return kind, moved.isoformat()
    return found


def normalize(words: str, published: date | None, tense: str = "past") -> tuple[str, str] | None:
    """(type, value) for an expression's lower-cased words, or None when they are no temporal expression."""
    bare = re.sub(r"^the\s+", "", words)
    dated = _WEEKDAY_LEAD.sub("", bare)  # "Monday, March 6, 2017": the date says it all
    if dated != bare and (found := _explicit(dated, dated, published, tense)) is not None:
        return found if re.search(r"\d{4}", dated) else _on_weekday(found, WEEKDAYS[bare.split()[0].rstrip(",")])
    rules = (_vague, _set, _ago, _relative, _explicit, _weekday, _holiday, _duration, _part_of_day, _clock, _of_a_year)
    past = "past" if tense == "since" else tense  # only a day of the month and a holiday tell "since" apart
    for rule in rules:
        found = rule(words, bare, published, tense if rule in (_explicit, _holiday) else past)
        if found is not None:
            return found
    return None


# ---- the rules -------------------------------------------------------------------------------------------


def _vague(words, bare, published, tense):
    if words in ("today", "this day"):
        return "DATE", _day(published)
    if words in ("tonight",):
        return "TIME", _day(published) + "TNI"
    if words == "yesterday":
        return "DATE", _day(published, -1)
    if words == "tomorrow":
        return "DATE", _day(published, 1)
    if words in PRESENT or bare in PRESENT:
        return "DATE", "PRESENT_REF"
    if words == "years":
        return "DURATION", "PXY"  # "for years": some years
    if words in PAST or bare in PAST or words in ("recent years", "in recent years"):
        return "DATE", "PAST_REF"
    if words in FUTURE or bare in FUTURE or re.match(r"^(?:the )?coming (?:days|weeks|months|years|quarters)$", words):
        return "DATE", "FUTURE_REF"
    if _YEAR_EARLIER.match(words):
        return "DATE", _year(published, -1)
    if m := re.match(r"^(?:the )?(?:end|beginning|start|middle) of (?:the|this) (year|month|week)$", words):
        return "DATE", _shift(published, UNITS[m.group(1)], 0)
    if words in ("the weekend", "weekend"):  # in the past tense on a weekday, the one just gone
        past = tense == "past" and published is not None and published.weekday() < 5
        return "DATE", _shift(published, "WE", -1 if past else 0)
    if words == "this weekend":
        return "DATE", _shift(published, "WE", 0)
    return None


_HOLIDAY = re.compile(rf"^(?:(?P<which>last|next|this)\s+)?(?P<name>{_HOLIDAY_NAMES.lower()})$")


def _holiday(words, bare, published, tense):
    """ "Thanksgiving Day", "last Christmas", "Election Day": the day it falls on in the year the words, or else
    the tense, point to (as a day of the month without its year)."""
    match = _HOLIDAY.match(words)
    if not match:
        return None
    name = re.sub(r" (?:day|sunday)$", "", match.group("name").replace("the fourth of july", "july fourth"))
    if published is None:
        return "DATE", "XXXX-XX-XX"
    which = match.group("which")
    if which == "this":
        return "DATE", _holiday_date(name, published.year).isoformat()
    days = [_holiday_date(name, y) for y in (published.year - 1, published.year, published.year + 1)]
    return "DATE", _nearest(days, published, {"last": "since", "next": "future"}.get(which or "", tense)).isoformat()


def _holiday_date(name: str, year: int) -> date:
    fixed = {"christmas": (12, 25), "christmas eve": (12, 24), "new year's": (1, 1), "new year's eve": (12, 31),
             "independence": (7, 4), "july fourth": (7, 4), "halloween": (10, 31), "valentine's": (2, 14),
             "veterans": (11, 11)}  # fmt: skip
    if name in fixed:
        return date(year, *fixed[name])
    if name in ("easter", "good friday"):
        return _easter(year) - timedelta(days=2 if name == "good friday" else 0)
    nth = {"thanksgiving": (11, 3, 4), "labor": (9, 0, 1), "martin luther king": (1, 0, 3),
           "martin luther king jr.": (1, 0, 3), "election": (11, 1, 1), "memorial": (5, 0, -1)}  # fmt: skip
    month, weekday, n = nth[name]  # the nth such weekday of the month, -1 the last
    if n < 0:
        last = date(year, month + 1, 1) - timedelta(days=1)
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first = date(year, month, 2 if name == "election" else 1)  # Election Day: the Tuesday after the first Monday
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _easter(year: int) -> date:
    """Easter Sunday (the anonymous Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 (the computus's own letters)
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _set(words, bare, published, tense):
    match = _SET.match(words)
    if not match:
        return None
    if match.group("adv"):
        unit = {
            "daily": "D",
            "nightly": "D",
            "weekly": "W",
            "monthly": "M",
            "yearly": "Y",
            "annually": "Y",
            "annual": "Y",
            "hourly": "TH",
            "quarterly": "Q",
            "semiannual": "H",
            "semiannually": "H",
            "biweekly": "W",
        }
        code = unit[match.group("adv")]
        if code in ("Q", "H"):  # a quarter is three months, a half year six
            return "SET", f"P{3 if code == 'Q' else 6}M"
        return "SET", _period(2 if match.group("adv") == "biweekly" else 1, code)
    return "SET", _period(_number(match.group("n")) or 1, UNITS[match.group(2)])


def _ago(words, bare, published, tense):
    match = _AGO.match(words)
    if not match:
        return None
    n = _number(match.group("n")) if match.group("n") else None
    unit = UNITS[match.group(2)]
    sign = 1 if match.group("dir") in ("later", "after", "from now", "hence") else -1
    if n is None or published is None:
        return "DATE", _x_filled(unit)
    return "DATE", _shift(published, unit, sign * int(n))


def _relative(words, bare, published, tense):
    match = _RELATIVE.match(words)
    if not match:
        return None
    which, unit = match.group("which"), match.group("unit")
    offset = {"last": -1, "past": -1, "the past": -1, "previous": -1, "the previous": -1, "next": 1,
              "coming": 1, "the coming": 1, "following": 1, "the following": 1}.get(which, 0)  # fmt: skip
    if unit in SEASONS:
        return "DATE", _season(published, SEASONS[unit], offset)
    if unit.rstrip(".") in MONTHS and which == "this" and published:
        return "DATE", f"{published.year}-{MONTHS[unit.rstrip('.')]:02d}"  # "this September": this year's
    if unit.rstrip(".") in MONTHS:
        return "DATE", _named_month(
            published,
            MONTHS[unit.rstrip(".")],
            offset or (1 if tense == "future" else -1)
            if which not in ("this", "the current", "current", "the same")
            else 0,
        )
    if which in ("the past", "past") and unit in ("week", "month", "year", "decade"):
        return "DURATION", _period(1, UNITS[unit])  # "over the past week": a stretch of time, not a date
    return "DATE", _shift(published, UNITS[unit], offset) if published else _x_filled(UNITS[unit])


def _explicit(words, bare, published, tense):
    if m := _ISO.match(bare):
        return "DATE", bare
    if m := _MONTH_DAY_YEAR.match(bare):
        return "DATE", _month_day(published, MONTHS[m.group(1)], int(m.group(2)), m.group(3), tense)
    if m := _DAY_MONTH_YEAR.match(bare):
        return "DATE", _month_day(published, MONTHS[m.group(2)], int(m.group(1)), m.group(3), tense)
    if m := _MONTH_YEAR.match(bare):
        month = MONTHS[m.group(1)]
        if m.group(2):
            return "DATE", f"{m.group(2)}-{month:02d}"
        return "DATE", _named_month(published, month, 0, tense)
    if m := _YEAR.match(bare):
        return "DATE", m.group(1)
    if m := _DECADE.match(bare):
        return "DATE", f"{m.group(1)}{m.group(2)}" if m.group(1) else f"19{m.group(3)}"
    if m := _CENTURY.match(bare):
        return "DATE", f"{int(m.group(1)) - 1:02d}"
    if m := _QUARTER.match(words) or _QUARTER.match(bare):
        quarter = _ORDINAL[m.group(1)]
        year = m.group(2) or (str(published.year) if published else "XXXX")
        if not m.group(2) and published and tense != "future" and quarter > (published.month - 1) // 3 + 1:
            year = str(published.year - 1)  # "fourth-quarter profit" in January: last year's
        return "DATE", f"{year}-Q{quarter}"
    if bare in ("quarter", "latest quarter", "quarter's", "latest period") and published:
        # Results for "the quarter" are reported once it is over: in the past tense, the last one; "the latest
        # quarter" is always the last one over.
        return "DATE", _shift(published, "Q", -1 if tense in ("past", "since") or bare.startswith("latest") else 0)
    if m := _NAMED_PERIOD_YEAR.match(bare):
        return "DATE", f"{m.group(2)}-{SEASONS.get(m.group(1)) or m.group(1).upper()}"
    if bare in SEASONS:
        return "DATE", _season(published, SEASONS[bare], 0, tense)
    return None


def _weekday(words, bare, published, tense):
    match = _WEEKDAY.match(bare)
    if not match:
        return None
    weekday = WEEKDAYS[match.group("day")]
    which = match.group("which")
    if which in ("early", "late"):
        which = None  # "early Friday" points no way of its own
    ahead = {"last": -1, "this past": -1, "the previous": -1, "next": 1, "this coming": 1, "the following": 1,
             "the next": 1}  # fmt: skip
    if not which and published is not None and weekday == published.weekday():
        value = published.isoformat()  # "Friday" in a Friday's news is that day
    else:
        value = _weekday_date(published, weekday, ahead.get(which or "", 1 if tense == "future" else -1))
    part = match.group("part")
    if part:
        return "TIME", value + "T" + _PARTS[part]
    return "DATE", value


def _duration(words, bare, published, tense):
    match = _DURATION.match(words)
    if not match:
        return None
    unit = UNITS[match.group(2)]
    n = match.group("n")
    if n is None:
        # "days of clashes", "the year": a bare plural is some number; a bare singular after "the" is one.
        plural = words.endswith("s") and not words.endswith("'s")
        return "DURATION", _period("X" if plural else 1, unit)
    number = _number(n)
    return "DURATION", _period("X" if number is None else number, unit)


def _part_of_day(words, bare, published, tense):
    if bare in _PARTS and bare != "night":  # "in the morning": of the day the article tells
        return "TIME", f"{_day(published)}T{_PARTS[bare]}"
    for phrase, code in (
        ("this morning", "MO"),
        ("this afternoon", "AF"),
        ("this evening", "EV"),
        ("last night", "NI"),
    ):
        if words == phrase:
            day = _day(published, -1 if phrase == "last night" else 0)
            return "TIME", f"{day}T{code}"
    return None


_OF_A_YEAR = re.compile(
    rf"^(?:(?P<month>{_MONTH[1:-4]})\.?\s+(?P<which>this|last|next) year"
    r"|(?P<rel>this|last|next) year's (?P<q>first|second|third|fourth)[- ]quarter"
    r"|(?P<year>\d{4}) (?P<q2>first|second|third|fourth)[- ]quarter)$"
)


_THIS_YEAR = {"full year", "current year", "year-end", "year end", "year's end", "earlier in the year",
              "later in the year", "the end of the year", "end of the year"}  # fmt: skip


def _of_a_year(words, bare, published, tense):
    """ "February this year", "June last year", "this year's third quarter", "the 1988 second quarter"; "the full
    year", "year-end": the year of publication."""
    if bare in _THIS_YEAR:
        return "DATE", _year(published, 0)
    m = _OF_A_YEAR.match(bare)
    if not m:
        return None
    if m.group("year"):
        return "DATE", f"{m.group('year')}-Q{_ORDINAL[m.group('q2')]}"
    which = m.group("which") or m.group("rel")
    year = _year(published, {"this": 0, "last": -1, "next": 1}[which])
    if m.group("month"):
        return "DATE", f"{year}-{MONTHS[m.group('month')]:02d}"
    return "DATE", f"{year}-Q{_ORDINAL[m.group('q')]}"


_CLOCK = re.compile(
    r"^(?:at\s+)?(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?\s*(?P<ap>a\.?\s?m\.?|p\.?\s?m\.?|o'clock)?"
    r"(?:\s+(?:in the\s+)?(?P<part>morning|afternoon|evening|night))?"
    r"(?:\s+(?:est|edt|cst|cdt|pst|pdt|gmt|utc|et|local time|local))?(?:,?\s+(?:on\s+)?(?P<day>.+))?$"
)
_NAMED_TIMES = {"noon": "12:00", "midday": "12:00", "midnight": "24"}


def _clock(words, bare, published, tense):
    """A time of day: "3:30 p.m.", "10 p.m. Wednesday", "4 in the morning", "noon", "midnight Friday", on the
    day it names, else the publication day."""
    head, _, rest = bare.partition(" ")
    if head in _NAMED_TIMES:
        clock, day_words = _NAMED_TIMES[head], rest
    else:
        m = _CLOCK.match(bare)
        if not m or not (m.group("ap") or m.group("m") or m.group("part")) or int(m.group("h")) > 24:
            return None
        hour = int(m.group("h"))
        if m.group("ap", "part") and ((m.group("ap") or "").startswith("p") or m.group("part") in (
                "afternoon", "evening", "night")) and hour < 12:  # fmt: skip
            hour += 12
        minute = m.group("m") or "00"
        if int(minute) > 59:
            return None
        clock, day_words = f"{hour:02d}:{minute}", m.group("day") or ""
    day = _day(published)
    if day_words:
        found = normalize(day_words, published, tense)
        if found is None or not _DAY.match(found[1][:10]):
            return None
        day = found[1][:10]
    return "TIME", f"{day}T{clock}"


# ---- arithmetic on dates ---------------------------------------------------------------------------------


def _number(text: str | None) -> float | None:
    if text is None:
        return None
    if text in ("several", "a few", "few", "many", "some"):
        return None
    total = 0.0
    for part in re.split(r"[- ]", text):
        if re.fullmatch(r"\d+(?:\.\d+)?", part):
            total += float(part)
        elif part in NUMBERS:
            total += NUMBERS[part]
        else:
            return None
    return total


def _period(n, unit: str) -> str:
    if n == "X":
        return {"DE": "PXDE", "CE": "PXCE", "Q": "PXQ", "WE": "PXWE"}.get(unit) or (
            f"PTX{unit[1]}" if unit.startswith("T") else f"PX{unit}"
        )
    n = float(n)
    if unit in ("DE", "CE", "Q"):  # "1.5 decades" is 15 years
        n, unit = n * {"DE": 10, "CE": 100, "Q": 3}[unit], {"DE": "Y", "CE": "Y", "Q": "M"}[unit]
    n = int(n) if n == int(n) else n
    if unit == "WE":
        return f"P{n}WE"
    if unit.startswith("T"):
        return f"PT{n}{unit[1]}"
    return f"P{n}{unit}"


def _day(published: date | None, days: int = 0) -> str:
    return (published + timedelta(days=days)).isoformat() if published else "XXXX-XX-XX"


def _year(published: date | None, years: int) -> str:
    return str(published.year + years) if published else "XXXX"


def _x_filled(unit: str) -> str:
    return {"D": "XXXX-XX-XX", "W": "XXXX-WXX", "WE": "XXXX-WXX-WE", "M": "XXXX-XX", "Y": "XXXX", "Q": "XXXX-QX",
            "DE": "XXX", "CE": "XX"}.get(unit, "XXXX-XX-XX")  # fmt: skip


def _shift(published: date | None, unit: str, n: int) -> str:
    """The day, week, month, … that is n units from the publication date, at that unit's granularity."""
    if published is None:
        return _x_filled(unit)
    if unit == "D":
        return _day(published, n)
    if unit in ("W", "WE"):
        iso = (published + timedelta(weeks=n)).isocalendar()
        return f"{iso[0]}-W{iso[1]:02d}" + ("-WE" if unit == "WE" else "")
    if unit == "M":
        month = published.year * 12 + published.month - 1 + n
        return f"{month // 12}-{month % 12 + 1:02d}"
    if unit == "Q":
        quarter = published.year * 4 + (published.month - 1) // 3 + n
        return f"{quarter // 4}-Q{quarter % 4 + 1}"
    if unit == "Y":
        return str(published.year + n)
    if unit == "DE":
        return str(published.year // 10 + n)
    if unit == "CE":
        return f"{published.year // 100 + n:02d}"
    if unit.startswith("T"):
        return published.isoformat()
    return _x_filled(unit)


def _month_day(published: date | None, month: int, day: int, year: str | None, tense: str) -> str:
    if year:
        return f"{year}-{month:02d}-{day:02d}"
    if published is None:
        return f"XXXX-{month:02d}-{day:02d}"
    # The year that puts the date nearest the publication date: "a planned Sept. 25 referendum" in mid-September
    # is this year's; "Dec. 30" in a January article was last year's.
    candidates = []
    for y in (published.year - 1, published.year, published.year + 1):
        try:
            candidates.append(date(y, month, day))
        except ValueError:
            continue
    if not candidates:
        return f"XXXX-{month:02d}-{day:02d}"
    return _nearest(candidates, published, tense).isoformat()


def _nearest(candidates: list[date], published: date, tense: str) -> date:
    """Of the same day in different years, the one nearest the publication date that the tense allows."""
    if tense in ("past", "since"):  # but for a day just ahead, the deadline a past clause set ("extended to Nov. 16")
        ahead = NEAR_AHEAD_DAYS if tense == "past" else 0
        candidates = [d for d in candidates if (d - published).days <= ahead] or candidates
    elif tense == "future":
        candidates = [d for d in candidates if d >= published] or candidates
    return min(candidates, key=lambda d: abs((d - published).days))


def _named_month(published: date | None, month: int, offset: int, tense: str = "past") -> str:
    """ "in January": this year's, unless the tense says the last or the next one."""
    if published is None:
        return f"XXXX-{month:02d}"
    year = published.year
    ahead = (date(year + (month < published.month), month, 1) - published).days
    if offset < 0 or tense == "since" or (offset == 0 and tense == "past" and not 0 < ahead <= NEAR_AHEAD_DAYS):
        year -= 1 if month > published.month or (offset < 0 and month == published.month) else 0
    elif offset == 0 and tense == "past":
        year += month < published.month  # the month just ahead ("cut its supply in September", in August)
    elif offset > 0 or (offset == 0 and tense == "future"):
        year += 1 if month < published.month or (offset > 0 and month == published.month) else 0
    elif month - published.month > 6:
        year -= 1  # no tense to go by: the nearest
    elif published.month - month > 6:
        year += 1
    return f"{year}-{month:02d}"


def _season(published: date | None, season: str, offset: int, tense: str = "present") -> str:
    """ "last spring", "next winter"; a bare "the spring" is this year's, unless the tense says it is one that
    has begun ("since the fall" in June: last year's) or one still to come ("will open in the spring" in October)."""
    if published is None:
        return f"XXXX-{season}"
    tense = "past" if tense == "since" else tense
    year, start = published.year, SEASON_START[season]
    if offset < 0 and published.month < start + 3 or offset == 0 and tense == "past" and published.month < start:
        year -= 1
    elif offset > 0 and published.month >= start or offset == 0 and tense == "future" and published.month >= start + 3:
        year += 1
    return f"{year}-{season}"


def _weekday_date(published: date | None, weekday: int, direction: int) -> str:
    """The weekday meant: the last one for a past-tense sentence, the next one for a future one."""
    if published is None:
        return f"XXXX-WXX-{weekday + 1}"
    delta = (weekday - published.weekday()) % 7
    if direction < 0:
        delta -= 7  # the last one before the publication day ("last Friday" on a Friday: a week before)
    elif delta == 0:
        delta = 7
    return (published + timedelta(days=delta)).isoformat()

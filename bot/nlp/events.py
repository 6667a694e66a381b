"""Events: the sentences that tell of a happening, each on a date, with the date's range and how sure it is.

A TimeML value becomes a range of days: 2017-09-25 a day, 2017-W37 a week (Monday to Sunday), 2017-09 a month,
2017-Q3 a quarter, 2017-SU a season, 2017 a year, 198 a decade, 19 a century. "Over the past week" is the week up
to the publication day. A sentence with several dates is an event on each, but for a date that only contains
another one of it, and for a date the happening is only measured against ("the lowest since 2002"). A date still
to come, or one a plan or a forecast hangs on, makes an "expected" event. Certainty: "high" when the text states the
date whole (a year in it, or a year, decade or century itself), "medium" when part of it comes from the
publication date ("Sept. 25", "last month", "Wednesday"), "low" for a stretch counted back from it, "reported" for
a sentence that reports a happening (past tense, present perfect, a report of what was said or planned) without
a date of its own that happened: it is dated by the day of its article's news. A headline is such an event too.
"""

from __future__ import annotations

import bisect
import calendar
import dataclasses
import re
from datetime import date, timedelta

from spacy.tokens import Doc, Span, Token

from bot.nlp.names import SPEECH_VERBS
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
HEADLINE = -1  # the sentence number of an article's headline
MIN_EVENT_TOKENS = 4
# An article's lead is among its first three sentences: a dateline, or a sentence broken in two, may come first.
LEAD_SENTENCES = 3
# Words that make a "since" date a yardstick: "the first loss since 1992", "a record high since 2008".
COMPARISON_WORDS = {"first", "last", "record", "ever", "only", "worst", "best", "lowest", "highest", "biggest"}
# A date hanging from these is a plan's or a forecast's: "plans to cut jobs by 2012", "is due in March".
PLAN_WORDS = {
    "plan", "expect", "intend", "aim", "hope", "schedule", "slate", "due", "propose", "forecast", "predict",
    "project", "target", "promise", "pledge", "vow", "threaten", "prepare", "likely", "set", "scheduled", "slated",
    "expected", "planned", "want", "seek", "anticipate", "estimate",
}  # fmt: skip
CENTRAL_ROLES = {"nsubj", "nsubjpass", "dobj", "attr", "agent", "dative", "oprd"}
FUTURE_AUX = {"will", "'ll", "shall", "wo"}
HEDGES = {"would", "could", "might", "may", "should", "must", "can", "ca", "will", "'ll", "shall", "wo"}
PAST_AUX = {"was", "were", "did"}
PERFECT_AUX = {"has", "have", "'ve", "had", "'d"}


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


def _tokens(doc: Doc, timex: Timex) -> Span | None:
    return doc.char_span(timex.start, timex.end, alignment_mode="expand")


def _verb_of(token: Token) -> Token:
    """The verb a word hangs from (the word itself if it is one; the root if none is)."""
    while token.head.i != token.i and token.pos_ not in ("VERB", "AUX"):
        token = token.head
    return token


def is_reference(doc: Doc, span: Span) -> bool:
    """A date the happening is measured against, not its date: "the lowest close since October 2002", "its first
    loss since 1992", "higher than in 2007", "up 5% from a year earlier"."""
    before = [t.lower_ for t in doc[max(span.sent.start, span.start - 2) : span.start]]
    words = {t.lower_ for t in span}
    if before[-1:] == ["than"] or before[-2:] in (["compared", "with"], ["compared", "to"]):
        return True
    if before[-1:] == ["from"] and words & {"earlier", "ago", "before"}:
        return True
    if before[-1:] != ["since"]:
        return False
    sentence = span.sent
    return any(
        t.tag_ in ("JJS", "RBS") or t.lower_ in COMPARISON_WORDS or t.ent_type_ == "ORDINAL"
        for t in sentence
        if t.i < span.start
    )


def is_expected(doc: Doc, span: Span, first: date, published: date | None) -> bool:
    """A date still to come when it was written, or a plan's, a forecast's or a schedule's: "plans to cut 30,000
    jobs by 2012", "due to enter service in 2008", "will open in March"."""
    if published is not None and first > published:
        return True
    verb = _verb_of(span.root)
    chain = [verb]
    while (
        chain[-1].dep_ in ("xcomp", "ccomp", "advcl", "acomp", "prep", "pobj", "aux")
        and chain[-1].head.i != chain[-1].i
    ):
        chain.append(chain[-1].head)
    for token in chain:
        if token.lemma_.lower() in PLAN_WORDS:
            return True
        if any(c.dep_ in ("aux", "auxpass") and c.lower_ in FUTURE_AUX for c in token.children):
            return True
    return False


def reports_happening(sentence: Span) -> bool:
    """A sentence that tells of something that happened: its main verb in the past or present perfect, or a
    report of what someone said; not a question, not negated, not "could" or "would"."""
    text = sentence.text.strip()
    if (
        len(sentence) < MIN_EVENT_TOKENS
        or text.endswith("?")
        or text.startswith(("\u201c", '"'))
        and not any(t.lemma_.lower() in SPEECH_VERBS for t in sentence)
    ):
        return False
    root = sentence.root
    if root.pos_ not in ("VERB", "AUX"):
        return False
    aux = {c.lower_ for c in root.children if c.dep_ in ("aux", "auxpass")}
    if aux & HEDGES or any(c.dep_ == "neg" for c in root.children):
        return False
    if root.lemma_.lower() in SPEECH_VERBS or _announces(root):
        return True
    if root.tag_ == "VBD" or aux & PAST_AUX:
        return True
    return root.tag_ == "VBN" and bool(aux & PERFECT_AUX)


def _announces(root: Token) -> bool:
    """ "plans to cut jobs", "is due to open": the news of the day is the plan."""
    if root.tag_ not in ("VBZ", "VBP"):
        return False
    return root.lemma_.lower() in PLAN_WORDS or any(
        c.dep_ in ("acomp", "xcomp") and c.lemma_.lower() in PLAN_WORDS for c in root.children
    )


def find_events(
    doc: Doc,
    timexes: list[Timex],
    actor_at: dict[int, int],
    published: date | None,
) -> tuple[list[EventRecord], date | None]:
    """The events of a document's sentences, and the day its headline's event is on (None when its lead dates
    the news itself, for then the lead's event is the headline's; see `_news_day`). One per definite date a
    sentence gives ("met on Sept. 13 ahead of the Sept. 25 vote": two), but for a date that only contains
    another of the same sentence ("this week, on Sept. 11": Sept. 11) and for a date it only compares with; and,
    for a sentence whose main clause reports a happening but dates it by none of its words, one on the day its
    article reported it ("Apple Corps claims the store violates an agreement reached in 1991": the claim is the
    day's news, the agreement 1991's). A dated event's actors are those of its date's clause (`actor_at`: token
    → actor); a reported one's, the rest of the sentence's."""
    sentences = list(doc.sents)
    starts = [s.start_char for s in sentences]  # in order: each timex's sentence by bisection, not by a scan
    dated: dict[int, dict[str, tuple]] = {}
    for timex in timexes:
        at = bisect.bisect_right(starts, timex.start) - 1
        span = _tokens(doc, timex)
        if at < 0 or timex.start >= sentences[at].end_char or span is None:
            continue
        anchored = _anchored(timex, published)
        found = anchored or (date_range(timex.value) if timex.type in ("DATE", "TIME") else None)
        if found is None or is_reference(doc, span):
            continue
        status = "expected" if is_expected(doc, span, found[0], published) else "happened"
        clause = clause_tokens(_verb_of(span.root))
        dated.setdefault(at, {}).setdefault(timex.value, (timex, found, anchored is not None, status, clause))
    events = []
    news_day, lead_dated = _news_day(dated, sentences, published)
    for at, sentence in enumerate(sentences):
        by_value = dated.get(at, {})
        in_sentence = {i for t in sentence if (i := actor_at.get(t.i)) is not None}
        dated_only: set[int] = set()  # actors named only in the clauses of the sentence's dates
        for timex, (first, last, granularity), anchored, status, clause in by_value.values():
            spans = [(f, t) for _, (f, t, _), *_ in by_value.values()]
            if any((f, t) != (first, last) and first <= f and t <= last for f, t in spans):
                continue
            actors = tuple(sorted({i for t in clause if (i := actor_at.get(t)) is not None}))
            dated_only |= set(actors)
            certainty = _certainty(timex, granularity, anchored)
            events.append(
                EventRecord(at, timex.value, granularity, first.isoformat(), last.isoformat(), certainty, timex.text,
                            actors, status)
            )  # fmt: skip
        if news_day is None or not reports_happening(sentence):
            continue
        main = clause_tokens(sentence.root)  # only for a sentence that reports a happening
        if not any(status == "happened" and clause == main for *_, status, clause in by_value.values()):
            rest = in_sentence - (dated_only - {actor_at[t] for t in main if t in actor_at})
            events.append(reported_event(at, news_day, tuple(sorted(rest))))
    return events, None if lead_dated else news_day


CLAUSE_DEPS = {"relcl", "acl", "advcl", "csubj", "parataxis", "conj"}  # not ccomp: what was said is of the saying


def clause_tokens(verb: Token) -> frozenset[int]:
    """The tokens of a verb's own clause: its words but those of the clauses within it ("bought Pixar, which was
    acquired by Disney in 2005": not Disney's), with the subject it shares with the verb it is joined to ("was
    started by Jobs and launched iTunes": Apple's, not Jobs's) and, for a relative clause, the noun it is of
    ("Pixar, which was acquired": Pixar). A verb's complement is of its clause ("prompting Apple Corps to file
    suit in 1989": Apple Corps's)."""
    while verb.dep_ == "xcomp" and verb.head.i != verb.i:
        verb = verb.head
    own = set()
    stack = [verb]
    while stack:
        token = stack.pop()
        own.add(token.i)
        stack += [c for c in token.children if not (c.dep_ in CLAUSE_DEPS and c.pos_ in ("VERB", "AUX"))]
    head = verb
    while head.dep_ in ("conj", "advcl") and head.head.i != head.i and not _subject(head):
        head = head.head
        if (subject := _subject(head)) is not None:
            own |= {t.i for t in subject.subtree}
            break
    if verb.dep_ in ("relcl", "acl") and verb.head.i != verb.i:
        noun = verb.head
        own |= {t.i for t in noun.subtree if t.i < noun.i or t.i == noun.i}
    return frozenset(own)


def _subject(verb: Token) -> Token | None:
    return next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")), None)


def is_central(token: Token) -> bool:
    """Whether a name (its head word) is what its sentence is about: the subject or object of the main verb, or of
    a verb the main one joins or reports ("Jobs said that Apple has …"), or who did it ("introduced by Jobs"); not a
    name in passing ("Apple's new iPod", "a phone for the iPod's users")."""
    while token.dep_ in ("compound", "appos", "conj", "flat") and token.head.i != token.i:
        token = token.head
    if token.dep_ == "pobj" and token.head.dep_ == "agent":
        token = token.head
    if token.dep_ not in CENTRAL_ROLES:
        return False
    verb = token.head
    while verb.dep_ in ("conj", "ccomp", "xcomp", "advcl") and verb.head.i != verb.i:
        verb = verb.head
    return verb.dep_ == "ROOT"


def _news_day(
    dated: dict[int, dict[str, tuple]], sentences: list[Span], published: date | None
) -> tuple[date | None, bool]:
    """The day of the article's news, and whether its lead dates it. The day its lead (the first sentence that
    reports a happening, after a dateline) dates it to, when that is in the week before publication ("Yesterday,
    Apple unveiled …"); else the publication day. What the rest of the article reports without a date of its own
    happened then: the quotes of that press conference, the details of that launch."""
    if published is None:
        return None, False
    lead = next((at for at in range(min(len(sentences), LEAD_SENTENCES)) if reports_happening(sentences[at])), None)
    for _, (first, _, granularity), anchored, status, _ in dated.get(lead, {}).values():
        if granularity == "day" and status == "happened" and not anchored and 0 <= (published - first).days <= 7:
            return first, True
    return published, False


def reported_event(sentence: int, published: date, actors: tuple[int, ...]) -> EventRecord:
    """An event dated by the day its article reported it: the text gives no date of its own."""
    day = published.isoformat()
    return EventRecord(sentence, day, "day", day, day, "reported", "", actors)


def headline_event(title: str, day: date | None, actors: list[tuple[int, tuple[str, ...]]]) -> EventRecord | None:
    """The headline as the day's event (sentence -1), with the actors whose names it holds; None on no day (its
    lead dates the news: "Apple to give free cases" over "Apple announced Friday …" is the lead's event, Friday's,
    not the publication day's)."""
    if day is None or not title.strip():
        return None
    named = tuple(i for i, names in actors if any(re.search(rf"(?<!\w){re.escape(n)}(?!\w)", title) for n in names))
    return dataclasses.replace(reported_event(HEADLINE, day, named), central=named)

"""Which events a timeline shows: the ones worth showing, in the order they happened.

An archive holds more events of a busy actor or topic than a timeline can show, and most of the earliest are
background ("founded in 1909"). So each event is weighed, and the best `limit` are shown in date order, with how
many were left out:
- whether the actor asked for (or the one the topic names) is what its sentence is about: its subject or
  object, not a name in passing;
- how many articles refer to its date (news-tls, Ghalandari and Ifrim 2020: a date that many articles mention is
  a date that matters) and how many report the event itself;
- whether it is news: dated within a week of the day its article came out (the news of the day), rather than
  background from years before;
- how sure its date is: stated whole or in part by the text, or the day it was reported, or a stretch counted
  back; an expected event (a plan, a forecast) weighs less than one that happened;
- what the timeline already has: each further event on the same date weighs less, so that one day's many
  details do not crowd out the other dates (a redundancy penalty, as maximal marginal relevance has).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from bot.archive.records import EventCandidate, TimelineEvent

NEWS_DAYS = 7
CERTAINTY = {"high": 0.5, "medium": 0.5, "reported": 0.25, "low": 0.0}
NEWS = 1.0
EXPECTED = -0.5
REPEAT = 0.5
CENTRAL = 0.5


@dataclass(frozen=True)
class Asked:
    """What a timeline was asked for, as the archive understood it (its picture counts the same articles)."""

    topic: str | None = None  # FTS words
    topic_actor_ids: list[int] | None = None
    actor_ids: list[int] | None = None
    date_from: str | None = None
    date_to: str | None = None


@dataclass(frozen=True)
class Timeline:
    events: list[TimelineEvent]  # the events shown, in date order
    total: int  # how many matched, shown or not
    asked: Asked | None = None


def date_key(c: EventCandidate) -> str:
    """The date an event is on, as articles refer to it: its value for a day, month or year; its range else."""
    return c.value if c.granularity in ("day", "month", "year") else f"{c.first}/{c.last}"


def is_news(c: EventCandidate) -> bool:
    if c.published is None:
        return False
    published = date.fromisoformat(c.published[:10])
    near = timedelta(days=NEWS_DAYS)
    return date.fromisoformat(c.first) <= published + near and date.fromisoformat(c.last) >= published - near


def weights(candidates: list[EventCandidate]) -> dict[int, float]:
    referring: dict[str, set[int]] = defaultdict(set)
    for c in candidates:
        referring[date_key(c)].update(c.articles)
    return {
        c.id: math.log1p(len(referring[date_key(c)]))
        + math.log1p(len(c.articles))
        + (NEWS if is_news(c) else 0.0)
        + CERTAINTY.get(c.certainty, 0.0)
        + (EXPECTED if c.status == "expected" else 0.0)
        + (CENTRAL if c.central else 0.0)
        for c in candidates
    }


def pick(candidates: list[EventCandidate], limit: int) -> list[int]:
    """The ids of the `limit` events worth showing, in the order they happened."""
    weight = weights(candidates)
    # The newest reported first among equals: `candidates` come latest first, and sorted() keeps their order.
    ranked = sorted(candidates, key=lambda c: -weight[c.id])
    # Each further event on a date weighs less (REPEAT for each one before it): the tenth detail of one day's
    # press conference says less than the one event of another date.
    before: dict[str, int] = defaultdict(int)
    for c in ranked:
        weight[c.id] -= REPEAT * before[date_key(c)]
        before[date_key(c)] += 1
    best = sorted(ranked, key=lambda c: -weight[c.id])[:limit]
    return [c.id for c in sorted(best, key=lambda c: (c.first, c.last, c.id))]

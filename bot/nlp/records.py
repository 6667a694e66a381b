"""What the language pipeline stores for an article: plain, picklable records, free of spaCy.

They cross from the worker processes that run the pipeline to the writer that stores them.
"""

from __future__ import annotations

from dataclasses import dataclass

# Bump when the rules change, so that every article is analysed again by the next ingest.
PIPELINE_VERSION = 8


@dataclass(frozen=True)
class MentionRecord:
    sentence: int
    start: int  # character offsets in the article body
    end: int
    text: str
    label: str


@dataclass(frozen=True)
class DescriptionRecord:
    text: str
    sentence: int
    start: int
    end: int


@dataclass(frozen=True)
class ActorRecord:
    name: str
    kind: str
    key: str
    publication: bool
    aliases: tuple[str, ...]
    mentions: tuple[MentionRecord, ...]
    descriptions: tuple[DescriptionRecord, ...]


@dataclass(frozen=True)
class QuoteRecord:
    start: int  # the quotation, marks included, in the article body
    end: int
    text: str  # the quoted words
    sentence: int
    actor: int | None  # index into ArticleAnalysis.actors
    speaker: str | None
    speaker_start: int | None
    speaker_end: int | None
    cue: str | None
    partial: bool = False  # a fragment inside the writer's own sentence, not a direct quotation


@dataclass(frozen=True)
class EventRecord:
    sentence: int
    value: str  # the TimeML value of the date ("2017-09-25", "2017-W43", "198")
    granularity: str  # day, weekend, week, month, quarter, season, year, decade or century
    first: str  # the range of days it covers, ISO dates
    last: str
    certainty: str  # high, medium or low; "reported" when dated by the day its article reported it
    timex: str  # the words that date it ("" for a reported one)
    actors: tuple[int, ...]  # indices into ArticleAnalysis.actors
    status: str = "happened"  # or "expected": a plan, a forecast, a date still to come when it was written
    central: tuple[int, ...] = ()  # those of `actors` the sentence is about (bot.nlp.events.is_central)


@dataclass(frozen=True)
class ArticleAnalysis:
    sentences: tuple[tuple[int, int, float], ...]  # start, end, importance
    actors: tuple[ActorRecord, ...]
    quotes: tuple[QuoteRecord, ...] = ()
    events: tuple[EventRecord, ...] = ()

"""What the language pipeline stores for an article: plain, picklable records, free of spaCy.

They cross from the worker processes that run the pipeline to the writer that stores them.
"""

from __future__ import annotations

from dataclasses import dataclass

# Bump when the rules change, so that every article is analysed again by the next ingest.
PIPELINE_VERSION = 2


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


@dataclass(frozen=True)
class ArticleAnalysis:
    sentences: tuple[tuple[int, int], ...]
    actors: tuple[ActorRecord, ...]
    quotes: tuple[QuoteRecord, ...] = ()

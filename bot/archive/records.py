"""Plain records the archive hands to the rest of the bot (no SQL, no Discord)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime


def now_iso() -> str:
    """The archive's time stamps: UTC, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


# The columns of an ArticleRef, of `articles` as `ar`.
ARTICLE_REF = "ar.id, ar.title, ar.source, ar.published, ar.url"

# Snippet highlight markers; each renderer turns them into its own emphasis.
MARK_START = "\x02"
MARK_END = "\x03"


@dataclass(frozen=True)
class FileState:
    path: str
    size: int
    mtime_ns: int
    byte_sha: str | None
    recipe_sha: str | None
    status: str
    article_id: int | None


@dataclass(frozen=True)
class SearchHit:
    article_id: int
    title: str
    source: str | None
    published: str | None
    snippet: str
    score: float
    url: str | None = None
    copies: tuple[ArticleRef, ...] = ()  # the same article from other sources, counted once with it


@dataclass(frozen=True)
class SearchResult:
    query: str
    hits: list[SearchHit]
    total: int
    matched_all: bool = True  # False: no article had every word, these have some
    problem: str | None = None  # why nothing could be searched (e.g. no words in the query)
    ranked_among: int | None = None  # so many matches, the best are taken among the latest this many only


@dataclass(frozen=True)
class RunSummary:
    id: int
    folder: str
    started_at: str
    finished_at: str | None
    added: int
    updated: int
    unchanged: int
    duplicates: int
    skipped: int
    missing: int


@dataclass(frozen=True)
class ArchiveStats:
    articles: int
    words: int
    first_published: str | None
    last_published: str | None
    undated: int
    files_by_status: dict[str, int]
    skipped: list[tuple[str, str]]  # (path, reason)
    duplicates: list[tuple[str, str]]  # (path, what it duplicates)
    missing: list[str]
    sources: list[tuple[str, int]]
    last_run: RunSummary | None
    database_bytes: int
    schema_version: int
    extra: dict[str, int] = field(default_factory=dict)
    copies: int = 0  # articles that are syndicated copies of another


@dataclass(frozen=True)
class ActorSummary:
    id: int
    name: str
    kind: str
    publication: bool
    mentions: int
    articles: int
    exact: bool = False  # found by one of its names exactly, not by a part of one


@dataclass(frozen=True)
class ArticleRef:
    id: int
    title: str
    source: str | None
    published: str | None
    url: str | None = None


@dataclass(frozen=True)
class Role:
    text: str
    article: ArticleRef


@dataclass(frozen=True)
class QuoteHit:
    id: int
    text: str
    speaker: str | None  # the actor's name, or an unnamed source's description
    actor_id: int | None
    cue: str | None
    article: ArticleRef
    partial: bool = False  # quoted words inside the writer's own sentence, not a direct quotation


@dataclass(frozen=True)
class ActorProfile:
    actor: ActorSummary
    aliases: list[str]
    roles: list[Role]
    first_seen: str | None  # publication dates of the first and last articles that mention the actor
    last_seen: str | None
    together: list[tuple[ActorSummary, int]]  # actors most often in the same sentences, with how many
    articles: list[ArticleRef]  # the latest first
    quotes: list[QuoteHit] = field(default_factory=list)  # the latest first


@dataclass(frozen=True)
class TimelineEvent:
    id: int
    value: str  # TimeML value of the date
    granularity: str
    first: str
    last: str
    certainty: str
    text: str
    sources: list[ArticleRef]
    actors: list[str]
    status: str = "happened"  # or "expected"


@dataclass(frozen=True)
class EventCandidate:
    """What a timeline weighs an event by before it picks the ones to show."""

    id: int
    value: str
    granularity: str
    first: str
    last: str
    certainty: str
    status: str
    articles: tuple[int, ...]  # the articles that report it
    published: str | None  # the latest of their publication dates
    in_headline: bool  # one of its sources is a headline
    actors: int  # how many actors it has
    central: bool = False  # an actor asked for (or named by the topic) is what its sentence is about


@dataclass(frozen=True)
class SummaryLine:
    text: str
    article: ArticleRef


@dataclass(frozen=True)
class BriefingConfig:
    guild_id: int
    channel_id: int
    post_time: str  # HH:MM local
    timezone: str
    when_empty: str  # "say" or "quiet"
    now_in_channel: bool
    enabled: bool
    paused_reason: str | None
    paused_at: str | None
    last_local_date: str | None
    last_outcome: str | None
    last_posted_at: str | None
    since_id: int  # articles with a greater id are new to the next briefing
    since_at: str  # when (UTC)


@dataclass(frozen=True)
class NewArticle:
    """A story with news in a briefing, told by its newest new article."""

    article: ArticleRef
    gist: str | None  # its most important sentence
    copies: tuple[ArticleRef, ...] = ()  # the same article from other sources
    story_id: int | None = None
    story_title: str | None = None
    outlets: int = 1  # sources that have carried the story so far, copies' included
    new_articles: int = 1  # of the story, since the last briefing (copies counted once)
    follow_up: bool = False  # the story began before the last briefing: this is what is new in it

    @property
    def in_a_story(self) -> bool:
        """More to it than this one article: said with the story's headline and reach."""
        return bool(self.story_title) and (self.follow_up or self.new_articles > 1 or self.outlets > 1)


@dataclass(frozen=True)
class BriefingContent:
    since: str  # UTC time of the last briefing (or of the start of the window)
    until_id: int  # the newest article it covers: the next briefing starts after it
    articles: list[NewArticle]  # the latest first, at most the limit asked
    total: int  # all new articles
    actors: list[tuple[ActorSummary, int]]  # the most mentioned in the new articles, with how often
    quote: QuoteHit | None
    recent: list[TimelineEvent]  # dated in the days before the briefing
    upcoming: list[TimelineEvent]  # dated after it
    stories: int | None = None  # the stories the new articles tell (None: one per article)

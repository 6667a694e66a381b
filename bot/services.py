"""The questions Newsdesk answers, as plain async functions over the archive.

The CLI and the Discord cogs both call these, so the two always give the same answers. User input is checked
here: a bad argument raises `UserError` with a message meant for the person who typed it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot import timelines
from bot.archive import Archive, ArchiveStats, SearchResult
from bot.archive.records import ActorProfile, ActorSummary, ArticleRef, QuoteHit, SummaryLine
from bot.metadata import parse_date
from bot.nlp.summary import across, summarize
from bot.nlp.summary import words as summary_words
from bot.timelines import Timeline

MAX_QUERY_CHARS = 500
MAX_RESULTS = 25
TIMELINE_EVENTS = 100  # a timeline's events: twenty pages; past that, the best of a busy actor's
MAX_TIMELINE_EVENTS = 100
MAX_NAME_CHARS = 200
MAX_NAME_WORDS = 8  # of a name looked up by its parts
MAX_SENTENCES = 10
MAX_ARTICLE_ID = 2**63 - 1  # SQLite's largest integer: no article has a greater number
PER_ARTICLE = 3  # candidate sentences each article offers a topic summary
CLOSEST = 5  # names offered for a name nobody has
SHORT_NAME = 3  # typed names shorter than this are matched against the most mentioned actors only
TOP_FOR_SHORT = 500
_BY_ID = re.compile(r"#(\d{1,18})")  # what a name picker sends for one of two actors with the same name
_NUMBER = re.compile(r"[+-]?[0-9]+")


class UserError(ValueError):
    """A command argument that cannot be used; the message tells the user what would work."""


def check_count(value: int, what: str, high: int, low: int = 1) -> None:
    """The one check of how many of something a user asks for (`what`: "results", "sentences")."""
    if not low <= value <= high:
        shown = f"{value:,}" if abs(value) < 10**12 else "far more"
        raise UserError(f"Ask for between {low} and {high} {what} (not {shown}).")


def article_number(text: str) -> int | None:
    """The article number a user typed ("2", " -1", "+3"), None when it is not a number but words."""
    text = (text or "").strip()
    return int(text) if _NUMBER.fullmatch(text) else None


def check_article_number(article_id: int) -> None:
    if article_id < 1:
        raise UserError(f"Article numbers start at 1 (not {article_id:,}); `search` finds articles and their numbers.")


async def search(archive: Archive, query: str, limit: int = 10) -> SearchResult:
    query = (query or "").strip()
    if not query:
        raise UserError('Give some words to search for, e.g. `referendum` or `"Quds Force"`.')
    if len(query) > MAX_QUERY_CHARS:
        raise UserError(f"That query is {len(query):,} characters long; keep it under {MAX_QUERY_CHARS}.")
    check_count(limit, "results", MAX_RESULTS)
    return await archive.search(query, limit)


async def archive_stats(archive: Archive) -> ArchiveStats:
    return await archive.stats()


@dataclass(frozen=True)
class ActorAnswer:
    profile: ActorProfile | None  # None: no actor by that name; see `matches`
    matches: list[ActorSummary]  # the other actors the name could mean, or the closest ones


async def actor(archive: Archive, name: str) -> ActorAnswer:
    """The profile of the actor a name means best; the other candidates beside it."""
    name = (name or "").strip()
    if not name:
        raise UserError("Give a name, e.g. `McGurk` or `Patriotic Union of Kurdistan`.")
    if len(name) > MAX_NAME_CHARS:
        raise UserError(f"That name is {len(name):,} characters long; keep it under {MAX_NAME_CHARS}.")
    if picked := _BY_ID.fullmatch(name):
        return ActorAnswer(await archive.actor_profile(int(picked[1])), [])
    matches = await archive.find_actors(name, limit=MAX_RESULTS)
    if not matches:
        return ActorAnswer(None, await archive.closest_actors(name, limit=CLOSEST))
    return ActorAnswer(await archive.actor_profile(matches[0].id), matches[1:])


async def actor_choices(archive: Archive, typed: str) -> list[ActorSummary]:
    """What a name box suggests as the user types: names starting so, else the closest names, else (empty box)
    the most mentioned actors."""
    typed = (typed or "").strip()[:MAX_NAME_CHARS]
    if not typed:
        return await archive.top_actors(MAX_RESULTS)
    found = await archive.find_actors(typed, limit=MAX_RESULTS)
    if len(typed) < SHORT_NAME:  # too short to look up by parts: the most mentioned names starting so
        start = typed.casefold()
        known = {a.id for a in found}
        found += [
            a
            for a in await archive.top_actors(TOP_FOR_SHORT)
            if a.id not in known and any(w.startswith(start) for w in a.name.casefold().replace("-", " ").split())
        ]
        return found[:MAX_RESULTS]
    return found or await archive.closest_actors(typed, MAX_RESULTS)


async def article_choices(archive: Archive, typed: str) -> list[ArticleRef]:
    """What an article box suggests: the article of that number, titles with words starting as typed, or the
    latest articles."""
    return await archive.article_choices((typed or "")[:MAX_QUERY_CHARS], MAX_RESULTS)


async def pick_article(archive: Archive, typed: str) -> int:
    """The article a user means: a number (what the picker sends) or words of its title."""
    typed = (typed or "").strip()
    _check_lengths(("article", typed))
    has_words = any(ch.isalnum() for ch in typed)
    choices = await archive.article_choices(typed, 1) if has_words else []
    if not choices:
        raise UserError(f"No article matches {typed[:80]!r}; pick one from the list, or use `search` to find one.")
    return choices[0].id


async def quotes(
    archive: Archive,
    speaker: str | None = None,
    words: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    limit: int = 10,
) -> list[QuoteHit]:
    """Quotes by speaker (a name or alias), words in the quote, a date range (ISO dates), or a mix of them."""
    start, end = _date_range(date_from, date_to)
    check_count(limit, "quotes", MAX_RESULTS)
    _check_lengths(("speaker name", speaker), ("words", words))
    actor_ids = await _actor_ids(archive, speaker)
    return await archive.quotes(
        actor_ids=actor_ids,
        speaker_words=speaker.strip() if actor_ids == [] else None,  # no such actor: an unnamed speaker?
        words=(words or "").strip() or None,
        date_from=start,
        date_to=end,
        limit=limit,
    )


def _date_range(date_from: str | None, date_to: str | None) -> tuple[str | None, str | None]:
    start, end = parse_day(date_from, "from"), parse_day(date_to, "to")
    if start and end and start > end:
        raise UserError(f"The range runs backwards: {start} comes after {end}.")
    return start, end


def _check_lengths(*fields: tuple[str, str | None]) -> None:
    for what, value in fields:
        if value is not None and len(value) > MAX_QUERY_CHARS:
            raise UserError(f"That {what} is {len(value):,} characters long; keep it under {MAX_QUERY_CHARS}.")


async def _actor_ids(archive: Archive, name: str | None) -> list[int] | None:
    """The actors a name means (None: no name given). "Trump" means Donald Trump when an actor goes by that
    alias exactly, not also every other Trump; with no exact match, every actor whose name starts so."""
    if not name or not name.strip():
        return None
    if picked := _BY_ID.fullmatch(name.strip()):
        return [int(picked[1])]
    matches = await archive.find_actors(name, limit=MAX_RESULTS)
    return [a.id for a in matches if a.exact] or [a.id for a in matches] or await _named_in(archive, name)


async def _topic_actors(archive: Archive, topic: str) -> list[int]:
    """The actors that go by the topic's name, or by most of it."""
    exact = [a.id for a in await archive.find_actors(topic, limit=MAX_RESULTS) if a.exact]
    return exact or await _named_in(archive, topic)


async def _named_in(archive: Archive, text: str) -> list[int]:
    """The actors a longer name stands for: one that goes by most of its words in a row ("Beatles Apple Corps":
    Apple Corps; "Iran nuclear deal" is not Iran), the longest such name first."""
    words = text.split()[:MAX_NAME_WORDS]
    for size in range(len(words), max(2, -(-2 * len(words) // 3)) - 1, -1):  # down to two thirds, at least two
        for start in range(len(words) - size + 1):
            found = [a.id for a in await archive.find_actors(" ".join(words[start : start + size])) if a.exact]
            if found:
                return found
    return []


def parse_day(value: str | None, which: str) -> str | None:
    """An ISO date from what a user typed (None when empty); UserError when it is not a date."""
    if value is None or not value.strip():
        return None
    parsed = parse_date(value.strip())
    if parsed is None:
        raise UserError(f"The {which} date {value[:40]!r} is not a date; write it as YYYY-MM-DD, e.g. 2017-09-25.")
    return parsed


async def timeline(
    archive: Archive,
    topic: str | None = None,
    actor: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    limit: int = TIMELINE_EVENTS,
) -> Timeline:
    """What happened when, of a topic or an actor (or both), optionally between two dates: the events worth
    showing (bot/timelines.py), in the order they happened. An event is of a topic when its sentence has the
    topic's words or one of its actors goes by the topic's name."""
    check_count(limit, "events", MAX_TIMELINE_EVENTS)
    start, end = _date_range(date_from, date_to)
    topic, actor = (topic or "").strip() or None, (actor or "").strip() or None
    if not topic and not actor:
        raise UserError("Give a topic (e.g. `referendum`) or an actor (e.g. `al-Abadi`), or both.")
    _check_lengths(("topic", topic), ("actor name", actor))
    actor_ids = await _actor_ids(archive, actor)
    if actor_ids == []:
        return Timeline([], 0)
    topic_actors = await _topic_actors(archive, topic) if topic else None
    # A topic that is a name is its words in a row ("iPhone 4", not "iPhone" and "4" anywhere in the sentence).
    words = f'"{topic}"' if topic_actors and '"' not in topic and "*" not in topic else topic
    candidates = await archive.timeline_candidates(
        topic=words, topic_actor_ids=topic_actors, actor_ids=actor_ids, date_from=start, date_to=end
    )
    asked = timelines.Asked(words, topic_actors, actor_ids, start, end)
    return Timeline(await archive.events(timelines.pick(candidates, limit)), len(candidates), asked)


async def article_summary(archive: Archive, article_id: int, sentences: int = 3) -> list[SummaryLine]:
    """An article's most important sentences, in reading order."""
    check_article_number(article_id)
    check_count(sentences, "sentences", MAX_SENTENCES)
    ref = await archive.article_ref(article_id) if article_id <= MAX_ARTICLE_ID else None
    if ref is None:
        shown = f"#{article_id}" if article_id <= MAX_ARTICLE_ID else "of that number"
        raise UserError(f"There is no article {shown} in the archive; `search` finds articles.")
    scored = await archive.article_sentences(article_id)
    picked = summarize([t for t, _ in scored], sentences, [s for _, s in scored])
    return [SummaryLine(scored[i][0], ref) for i in picked]


TOPIC_ACTORS = 3  # actors whose names a topic summary looks for
APART_WEIGHT = 0.5  # of a sentence with a topic's words apart, not in a row


class TopicSummary(list):
    """A topic summary: its lines (SummaryLine, best first; still a plain list of them), with how many sentences
    of the matching articles mention the topic and in how many articles, so an answer can say when that is
    little."""

    def __init__(self, lines: list[SummaryLine], topic: str, asked: int, mentions: int | None, articles: int):
        super().__init__(lines)
        self.topic, self.asked = topic, asked
        self.mentions = mentions  # sentences that mention the topic, each fact once (None: cannot tell)
        self.articles = articles

    @property
    def little(self) -> bool:
        """Fewer sentences mention the topic than the summary asked for."""
        return bool(self) and self.mentions is not None and self.mentions < self.asked

    @property
    def note(self) -> str | None:
        """What an answer says before the lines when the archive has little on the topic."""
        if not self.little:
            return None
        if not self.mentions:
            return f"No sentence of the matching articles names “{self.topic}”; these are their main points."
        where = f"{self.articles} article{'s' if self.articles > 1 else ''}"
        told = f"{self.mentions} sentence{' mentions' if self.mentions == 1 else 's mention'} it, in {where}"
        rest = "; then the main points of the matching articles" if len(self) > self.mentions else ""
        return f"The archive has little on “{self.topic}”: {told}{rest}."


async def topic_summary(archive: Archive, topic: str, sentences: int = 5, articles: int = 10) -> TopicSummary:
    """A short summary across the articles a search finds: the sentences that mention the topic (a name of an
    actor it names, or its words: in a row first), best first, then (when they are fewer than asked) the
    articles' most important ones; the same fact from two articles told once, each sentence with the article it
    came from. The answer says when the archive has little on the topic."""
    check_count(sentences, "sentences", MAX_SENTENCES)
    result = await search(archive, topic, articles)
    weigh = await _topic_weigher(archive, topic)
    about, best = [], []
    for hit in result.hits:
        ref = ArticleRef(hit.article_id, hit.title, hit.source, hit.published, hit.url)
        scored = await archive.article_sentences(hit.article_id)
        weighed = [(text, score * weigh(text), ref) for text, score in scored] if weigh else []
        about += [c for c in weighed if c[1] > 0]
        best += [(text, score, ref) for text, score in sorted(scored, key=lambda x: -x[1])[:PER_ARTICLE]]
    if weigh is None:  # a topic of stop words only: nothing to tell its sentences by
        return TopicSummary(_lines(across(best, sentences)), topic, sentences, None, 0)
    told = across(about, MAX_SENTENCES)  # each fact once, to count what the archive has
    picked = told[:sentences]
    picked += across(best, sentences - len(picked), taken=[text for text, _ in picked])  # then the main points
    return TopicSummary(_lines(picked), topic, sentences, len(told), len({ref.id for _, ref in told}))


def _lines(picked: list[tuple[str, ArticleRef]]) -> list[SummaryLine]:
    return [SummaryLine(text, ref) for text, ref in picked]


async def _topic_weigher(archive: Archive, topic: str):
    """How much a sentence is about the topic. A topic that names actors: 1 when the sentence has one of their
    names, as written, else 0. Other topics: 1 when it has the topic's words in a row (plural and possessive
    aside, `prefix*` by its start), APART_WEIGHT when it has them all apart, else 0. None: the topic has neither
    words nor actors to tell it by."""
    prefixes = {w.lower() for w in re.findall(r"(\w+)\*", topic)}
    stems = [w if w in prefixes else _stem(w) for w in summary_words(topic)]
    names = set()
    for actor_id in (await _topic_actors(archive, topic))[:TOPIC_ACTORS]:
        profile = await archive.actor_profile(actor_id, limit=1)
        names.update(profile.aliases if profile else [])
    if not stems and not names:
        return None
    alias = re.compile("|".join(rf"(?<!\w){re.escape(n)}(?!\w)" for n in sorted(names, key=len, reverse=True)))

    def same(word: str, stem: str) -> bool:
        return word.startswith(stem) if stem in prefixes else word == stem

    def weigh(text: str) -> float:
        if names:  # as written: "WASHINGTON, March 2 -" is where a story was filed, "us" no country
            return 1.0 if alias.search(text) else 0.0
        found = [_stem(w) for w in summary_words(text)]
        if not all(any(same(w, s) for w in found) for s in stems):
            return 0.0
        return 1.0 if _in_a_row(found, stems, same) else APART_WEIGHT

    return weigh


def _in_a_row(found: list[str], stems: list[str], same) -> bool:
    size = len(stems)
    return any(
        all(same(w, s) for w, s in zip(found[i : i + size], stems, strict=True)) for i in range(len(found) - size + 1)
    )


def _stem(word: str) -> str:
    word = word.lower().removesuffix("'s").removesuffix("’s")
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word

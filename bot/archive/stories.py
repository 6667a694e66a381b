"""Stories, as the archive holds them: the SQL of `stories` and `story_actors` for reading (a part of `Archive`).

The writer (writer.py) places each article in its story as it is stored; here are the lists and the pages.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from bot.archive import fts
from bot.archive.records import ARTICLE_REF, ActorSummary, ArticleRef, TimelineEvent

RECENT_DAYS = 7  # with no dates asked, the stories of the archive's last week
RANKED = 200  # the biggest stories of a range, by articles, among which the most sourced are listed
SENTENCES_PER_ARTICLE = 3  # candidates for a story's summary, from each of its articles
STORY_ARTICLES = 60  # articles of a story read for its summary, events and page (the first and the latest)


@dataclass(frozen=True)
class StorySummary:
    id: int
    title: str
    first_seen: str
    last_seen: str
    articles: int  # copies counted once
    sources: int  # outlets, copies' included


@dataclass(frozen=True)
class StoryDetail:
    story: StorySummary
    articles: list[ArticleRef]  # oldest first
    copies: dict[int, list[ArticleRef]]
    sources: list[tuple[str, int]]  # outlet, articles (copies included)
    actors: list[tuple[ActorSummary, int]]  # with in how many of its articles
    events: list[TimelineEvent]
    sentences: list[tuple[str, float, ArticleRef]] = field(default_factory=list)  # summary candidates


class StoryTables:
    async def story_list(
        self, topic: str | None = None, date_from: str | None = None, date_to: str | None = None, limit: int = 10
    ) -> list[StorySummary]:
        """The biggest stories seen in the range (default: the archive's last week), the most sourced first, then
        the newest; with a topic, the stories of the articles that match it."""
        if date_from is None and date_to is None:
            newest = await self._rows("SELECT max(last_seen) FROM stories WHERE articles > 0")
            if not newest or newest[0][0] is None:
                return []
            date_to = newest[0][0]
            date_from = (await self._rows("SELECT date(?, ?)", (date_to, f"-{RECENT_DAYS - 1} days")))[0][0]
        condition, params = (
            "s.articles > 0 AND s.last_seen >= ? AND s.first_seen <= ?",
            [
                date_from or "0000",
                date_to or "9999",
            ],
        )
        if topic is not None:
            terms = fts.query_terms(topic)
            if not terms:
                return []
            condition += """ AND s.id IN (SELECT ar.story_id FROM articles_fts JOIN articles ar
                             ON ar.id = articles_fts.rowid WHERE articles_fts MATCH ?)"""
            params.append(fts.all_of(terms))
        rows = await self._rows(
            f"""SELECT s.id, s.title, s.first_seen, s.last_seen, s.articles FROM stories s WHERE {condition}
                ORDER BY s.articles DESC, s.last_seen DESC, s.id DESC LIMIT ?""",
            (*params, RANKED),
        )
        sources = await self._source_counts([r[0] for r in rows])
        found = [StorySummary(*r, sources=sources.get(r[0], 0)) for r in rows]
        found.sort(key=lambda s: (s.last_seen, s.id), reverse=True)  # stable: the newest first among equals
        found.sort(key=lambda s: (-s.sources, -s.articles))
        return found[:limit]

    async def _source_counts(self, story_ids: list[int]) -> dict[int, int]:
        rows = await self._rows(
            """SELECT story_id, count(DISTINCT coalesce(source, '')) FROM articles
               WHERE story_id IN (SELECT value FROM json_each(?)) GROUP BY story_id""",
            (json.dumps(story_ids),),
        )
        return dict(rows)

    async def story_summary(self, story_id: int) -> StorySummary | None:
        rows = await self._rows(
            "SELECT id, title, first_seen, last_seen, articles FROM stories WHERE id = ? AND articles > 0",
            (story_id,),
        )
        if not rows:
            return None
        return StorySummary(*rows[0], sources=(await self._source_counts([story_id])).get(story_id, 0))

    async def story(self, story_id: int) -> StoryDetail | None:
        """A story's page: its articles and their copies, its outlets, actors, events and summary candidates."""
        summary = await self.story_summary(story_id)
        if summary is None:
            return None
        rows = await self._rows(
            f"""SELECT {ARTICLE_REF} FROM articles ar WHERE ar.story_id = ? AND ar.copy_of IS NULL
                ORDER BY ar.published, ar.id""",
            (story_id,),
        )
        articles = [ArticleRef(*r) for r in rows]
        if len(articles) > STORY_ARTICLES:  # a long story: how it began and where it is now
            articles = articles[: STORY_ARTICLES // 2] + articles[-STORY_ARTICLES // 2 :]
        ids = json.dumps([a.id for a in articles])
        sources = await self._rows(
            """SELECT coalesce(source, '(no source)'), count(*) FROM articles WHERE story_id = ?
               GROUP BY 1 ORDER BY 2 DESC, 1""",
            (story_id,),
        )
        actor_rows = await self._rows(
            """SELECT sa.actor_id, sa.articles FROM story_actors sa CROSS JOIN actors a ON a.id = sa.actor_id
               WHERE sa.story_id = ? AND a.kind IN ('person', 'organization')
               ORDER BY sa.articles DESC, a.mention_count DESC, a.id LIMIT 8""",
            (story_id,),
        )
        actors = []
        for actor_id, n in actor_rows:
            found = await self._actor_summaries("SELECT ?", (actor_id,), 1)
            actors += [(found[0], n)] if found else []
        event_ids = await self._rows(
            """SELECT e.id FROM events e WHERE e.id IN (SELECT event_id FROM event_sources
                   WHERE article_id IN (SELECT value FROM json_each(?)))
               AND e.granularity IN ('day', 'weekend', 'week', 'month') ORDER BY e.first, e.id LIMIT 25""",
            (ids,),
        )
        events = await self.events([r[0] for r in event_ids])
        by_id = {a.id: a for a in articles}
        sentences = [
            (text.strip(), score, by_id[article_id])
            for article_id, text, score in await self._rows(
                """SELECT s.article_id, substr(a.body, s.start + 1, s.end - s.start), s.score
                   FROM sentences s JOIN articles a ON a.id = s.article_id
                   WHERE s.article_id IN (SELECT value FROM json_each(?))
                   AND s.idx IN (SELECT idx FROM sentences t WHERE t.article_id = s.article_id
                                 ORDER BY t.score DESC, t.idx LIMIT ?)""",
                (ids, SENTENCES_PER_ARTICLE),
            )
            if text.strip()
        ]
        copies = await self.copies([a.id for a in articles])
        return StoryDetail(summary, articles, copies, [tuple(r) for r in sources], actors, events, sentences)

    async def story_choices(self, typed: str, limit: int = 25) -> list[StorySummary]:
        """Stories for a picker: by number, or by words of their articles' headlines; the latest when empty."""
        typed = typed.strip()
        ids: list[int] = []
        if typed.isdecimal() and typed.isascii() and len(typed) < 19:
            ids += [r[0] for r in await self._rows("SELECT id FROM stories WHERE id = ?", (int(typed),))]
        refs = await self.article_choices(typed, limit * 2) if typed else []
        if refs:
            rows = await self._rows(
                "SELECT id, story_id FROM articles WHERE id IN (SELECT value FROM json_each(?))",
                (json.dumps([r.id for r in refs]),),
            )
            story_of = dict(rows)
            ids += [story_of[r.id] for r in refs if story_of.get(r.id) is not None]
        elif not typed:
            rows = await self._rows(
                "SELECT id FROM stories WHERE articles > 0 ORDER BY last_seen DESC, articles DESC, id DESC LIMIT ?",
                (limit,),
            )
            ids += [r[0] for r in rows]
        picked = []
        for story_id in dict.fromkeys(ids):
            if len(picked) >= limit:
                break
            if found := await self.story_summary(story_id):
                picked.append(found)
        return picked

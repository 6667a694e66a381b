"""Dated events (a part of `Archive`): the candidates a timeline weighs, the events with their sources and actors,
and the sentences that report them."""

from __future__ import annotations

import json
import sqlite3

from bot.archive import fts
from bot.archive.records import ARTICLE_REF as _ARTICLE_REF
from bot.archive.records import ArticleRef, EventCandidate, TimelineEvent

BROAD_TIMELINE = 5_000  # a timeline of a topic in more articles (or event sentences) draws on the latest this many
_EVENT = "e.id, e.value, e.granularity, e.first, e.last, e.certainty, e.text, e.status"  # a TimelineEvent's own


class EventTables:
    async def timeline_candidates(
        self,
        *,
        topic: str | None = None,
        topic_actor_ids: list[int] | None = None,
        actor_ids: list[int] | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        limit: int = 2000,
    ) -> list[EventCandidate]:
        """The events a timeline may show, the latest reported first: of a topic (its words in the event's
        sentence, or one of `topic_actor_ids` in the event), of actors, within a date range, or a mix."""
        where, params = [], []
        if topic:
            terms = fts.query_terms(topic)
            if not terms and not topic_actor_ids:
                return []
            clauses = []
            if terms:
                match = fts.all_of(terms)
                # A topic in most of the archive ("said") is drawn from its latest mentions (see _broad_floor).
                total = await self._scalar("SELECT count(*) FROM events_fts WHERE events_fts MATCH ?", (match,))
                floor = await self._broad_floor("events_fts", total, BROAD_TIMELINE)
                words = "e.id IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ? AND rowid >= ?)"
                params += [match, floor]
                if topic_actor_ids:
                    # The words are no match when they are the topic's actor named in another clause than the
                    # event's date ("in 1998 Apple introduced the iMac, in 2001 the iPod": 1998 is not the iPod's).
                    words += """ AND NOT EXISTS (SELECT 1 FROM event_sources s JOIN mentions m
                        ON m.article_id = s.article_id AND m.sentence = s.sentence
                        WHERE s.event_id = e.id AND m.actor_id IN (SELECT value FROM json_each(?)))"""
                    params.append(json.dumps(topic_actor_ids))
                clauses.append(words)
            if topic_actor_ids:
                clauses.append(
                    "e.id IN (SELECT event_id FROM event_actors WHERE actor_id IN (SELECT value FROM json_each(?)))"
                )
                params.append(json.dumps(topic_actor_ids))
            where.append(f"({' OR '.join(clauses)})")
        if actor_ids is not None:
            where.append(
                "e.id IN (SELECT event_id FROM event_actors WHERE actor_id IN (SELECT value FROM json_each(?)))"
            )
            params.append(json.dumps(actor_ids))
        if date_from:
            where.append("e.last >= ?")
            params.append(date_from)
        if date_to:
            where.append("e.first <= ?")
            params.append(date_to)
        rows = await self._rows(
            f"""SELECT e.id, e.value, e.granularity, e.first, e.last, e.certainty, e.status FROM events e
                WHERE {" AND ".join(where) or "1"} ORDER BY e.id DESC LIMIT ?""",
            (*params, limit),
        )
        # What each is weighed by, for all of them in one pass over their sources and one over their actors.
        ids = json.dumps([r[0] for r in rows])
        sources = {
            r[0]: r[1:]
            for r in await self._rows(
                """SELECT s.event_id, json_group_array(DISTINCT s.article_id), max(ar.published), max(s.sentence = -1)
                   FROM event_sources s JOIN articles ar ON ar.id = s.article_id
                   WHERE s.event_id IN (SELECT value FROM json_each(?)) GROUP BY s.event_id""",
                (ids,),
            )
        }
        # Whether an actor asked for (or one the topic names) is what the event's sentence is about.
        asked = json.dumps((actor_ids or []) + (topic_actor_ids or []))
        actors = {
            r[0]: r[1:]
            for r in await self._rows(
                """SELECT event_id, count(DISTINCT actor_id),
                          max(central AND actor_id IN (SELECT value FROM json_each(?)))
                   FROM event_actors WHERE event_id IN (SELECT value FROM json_each(?)) GROUP BY event_id""",
                (asked, ids),
            )
        }
        candidates = []
        for r in rows:
            articles, published, headline = sources.get(r[0], ("[]", None, 0))
            count, central = actors.get(r[0], (0, 0))
            candidates.append(
                EventCandidate(*r, tuple(json.loads(articles)), published, bool(headline), count, bool(central))
            )
        return candidates

    async def events(self, event_ids: list[int]) -> list[TimelineEvent]:
        """The events, in the order asked, with their sources and actors."""
        rows = await self._rows(
            f"SELECT {_EVENT} FROM events e WHERE e.id IN (SELECT value FROM json_each(?))",
            (json.dumps(event_ids),),
        )
        by_id = {row[0]: row for row in rows}
        return await self._complete_events([by_id[i] for i in event_ids if i in by_id])

    async def event_passages(self, event_ids: list[int]) -> dict[int, list[tuple[ArticleRef, str]]]:
        """Each event's sources with the sentence each reports it in (a headline for sentence -1)."""
        found: dict[int, list[tuple[ArticleRef, str]]] = {}
        for row in await self._rows(
            f"""SELECT es.event_id, {_ARTICLE_REF},
                       coalesce(trim(substr(ar.body, s.start + 1, s.end - s.start)), ar.title)
                FROM event_sources es JOIN articles ar ON ar.id = es.article_id
                LEFT JOIN sentences s ON s.article_id = es.article_id AND s.idx = es.sentence
                WHERE es.event_id IN (SELECT value FROM json_each(?)) ORDER BY es.event_id, ar.published, ar.id""",
            (json.dumps(event_ids),),
        ):
            found.setdefault(row[0], []).append((ArticleRef(*row[1:-1]), row[-1]))
        return found

    async def _complete_events(self, rows: list[sqlite3.Row]) -> list[TimelineEvent]:
        """Events from rows of `_EVENT`, with sources and actors (two queries for all of them, not two per
        event)."""
        ids = json.dumps([row[0] for row in rows])
        sources: dict[int, list[ArticleRef]] = {}
        for r in await self._rows(
            f"""SELECT DISTINCT s.event_id, {_ARTICLE_REF} FROM event_sources s JOIN articles ar ON ar.id = s.article_id
                WHERE s.event_id IN (SELECT value FROM json_each(?)) ORDER BY s.event_id, ar.published, ar.id""",
            (ids,),
        ):
            sources.setdefault(r[0], []).append(ArticleRef(*r[1:]))
        actors: dict[int, list[str]] = {}
        for r in await self._rows(
            # CROSS JOIN: the events' actors first; left to choose, SQLite walks every person and organisation.
            """SELECT DISTINCT ea.event_id, a.name FROM event_actors ea CROSS JOIN actors a ON a.id = ea.actor_id
               WHERE ea.event_id IN (SELECT value FROM json_each(?)) AND a.kind IN ('person', 'organization')
               ORDER BY ea.event_id, a.name""",
            (ids,),
        ):
            actors.setdefault(r[0], []).append(r[1])
        return [
            TimelineEvent(*row[:7], sources=sources.get(row[0], []), actors=actors.get(row[0], []), status=row[7])
            for row in rows
        ]

    async def _events_of_new(self, window: tuple[int, int], condition: str, today: str, limit: int = 5):
        # `condition` is one of briefing_content's own SQL literals; the values are parameters.
        rows = await self._rows(
            f"""SELECT {_EVENT} FROM events e
                WHERE e.id IN (SELECT event_id FROM event_sources WHERE article_id > ? AND article_id <= ?)
                AND e.granularity IN ('day', 'weekend', 'week', 'month') AND e.certainty != 'reported'
                AND {condition}
                ORDER BY e.first, e.id LIMIT ?""",
            (*window, *([today] * condition.count("?")), limit),
        )
        return await self._complete_events(rows)

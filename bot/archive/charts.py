"""Counts over time for the pictures (a part of `Archive`): articles per day of a subject, of an actor, of a story,
and of the whole archive by source. Each count is of articles in the archive, so a bar can be traced to them."""

from __future__ import annotations

import json

from bot.archive import fts

# An article that names one of the actors given (a JSON list).
_NAMING = "a.id IN (SELECT article_id FROM mentions WHERE actor_id IN (SELECT value FROM json_each(?)))"


class ChartTables:
    async def articles_by_day(
        self,
        topic: str | None = None,
        topic_actor_ids: list[int] | None = None,
        actor_ids: list[int] | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
    ) -> dict[str, int]:
        """Articles per publication day (copies counted once) that have the topic's words or name one of its
        actors, and name one of `actor_ids`, in the range."""
        where, params = ["a.copy_of IS NULL", "a.published IS NOT NULL"], []
        if topic is not None:
            terms = fts.query_terms(topic)
            clauses = []
            if terms:
                clauses.append("a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
                params.append(fts.all_of(terms))
            if topic_actor_ids:
                clauses.append(_NAMING)
                params.append(json.dumps(topic_actor_ids))
            if not clauses:
                return {}
            where.append(f"({' OR '.join(clauses)})")
        if actor_ids is not None:
            where.append(_NAMING)
            params.append(json.dumps(actor_ids))
        where, params = _in_range(where, params, date_from, date_to)
        rows = await self._rows(
            f"SELECT substr(a.published, 1, 10), count(*) FROM articles a WHERE {' AND '.join(where)} GROUP BY 1",
            params,
        )
        return {r[0]: r[1] for r in rows}

    async def sources_by_day(
        self, date_from: str | None = None, date_to: str | None = None
    ) -> dict[str, dict[str, int]]:
        """Articles per publication day and source, copies included (each is its outlet's article); kept until
        the archive changes."""
        key = ("sources_by_day", date_from, date_to)
        version = await self._data_version()
        cached = self._cache.get(key)
        if cached and cached[0] == version:
            return cached[1]
        where, params = _in_range(["a.published IS NOT NULL"], [], date_from, date_to)
        rows = await self._rows(
            f"""SELECT a.published, a.source, count(*) FROM articles a INDEXED BY articles_published_source
                WHERE {" AND ".join(where)} GROUP BY a.published, a.source""",
            params,
        )
        found = _by_day(rows)
        self._cache[key] = (version, found)
        return found

    async def story_sources_by_day(self, story_id: int) -> dict[str, dict[str, int]]:
        """A story's articles per publication day and source, copies included."""
        rows = await self._rows(
            """SELECT published, source, count(*) FROM articles
               WHERE story_id = ? AND published IS NOT NULL GROUP BY 1, 2""",
            (story_id,),
        )
        return _by_day(rows)


def _in_range(where: list[str], params: list, date_from: str | None, date_to: str | None):
    if date_from:
        where.append("a.published >= ?")
        params.append(date_from)
    if date_to:
        where.append("a.published < date(?, '+1 day')")
        params.append(date_to)
    return where, params


def _by_day(rows) -> dict[str, dict[str, int]]:
    found: dict[str, dict[str, int]] = {}
    for day, source, n in rows:
        by = found.setdefault(day[:10], {})
        by[source or "unknown"] = by.get(source or "unknown", 0) + n
    return found

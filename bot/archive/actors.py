"""Actors (a part of `Archive`): finding them by name, the closest to a mistyped one, the most mentioned, and an
actor's profile."""

from __future__ import annotations

import dataclasses
import json
from difflib import SequenceMatcher

from bot.archive.articles import _like_escape
from bot.archive.records import ARTICLE_REF as _ARTICLE_REF
from bot.archive.records import ActorProfile, ActorSummary, ArticleRef, Role
from bot.nlp.names import name_key

QUOTES_IN_PROFILE = 3
TOGETHER_ARTICLES = 500  # "appears with" looks at this many of the actor's latest articles
TOGETHER = 12  # actors listed (and drawn) as appearing with one
SCAN_FROM = 1000  # an actor in this many articles or more is looked up by walking the dates (see actor_profile)
MIN_PARTIAL_CHARS = 3  # a shorter name is looked up whole only: "al" would match half the archive
CLOSE_CANDIDATES = 50  # actors sharing the most trigrams with a mistyped name, ranked again by similarity
MIN_SIMILARITY = 0.6


def _latest_articles(count: int) -> str:
    """SQL for an actor's latest articles (params: actor id, limit), shaped for how many articles they are in;
    a syndicated copy is not listed again."""
    if count >= SCAN_FROM:  # walk the dates from the newest: an article that mentions them comes soon
        return f"""SELECT {_ARTICLE_REF} FROM articles ar INDEXED BY articles_published
                   WHERE EXISTS (SELECT 1 FROM mentions m WHERE m.actor_id = ? AND m.article_id = ar.id)
                   AND ar.copy_of IS NULL ORDER BY ar.published DESC LIMIT ?"""
    return f"""SELECT {_ARTICLE_REF} FROM articles ar
               WHERE ar.id IN (SELECT article_id FROM mentions WHERE actor_id = ?) AND ar.copy_of IS NULL
               ORDER BY ar.published DESC, ar.id DESC LIMIT ?"""


def _unique_roles(roles: list[Role]) -> list[Role]:
    """One role phrase once, with the latest article that gives it."""
    seen: set[str] = set()
    unique = []
    for role in roles:
        if role.text.casefold() not in seen:
            seen.add(role.text.casefold())
            unique.append(role)
    return unique


def _likeness(typed: str, name: str) -> float:
    """How alike two name keys are, 0 to 1, in whatever order their words come ("Abadi Haidar")."""

    def words(key: str) -> str:
        return " ".join(sorted(key.replace("-", " ").split()))

    return max(SequenceMatcher(None, typed, name).ratio(), SequenceMatcher(None, words(typed), words(name)).ratio())


class ActorTables:
    async def find_actors(self, name: str, limit: int = 10) -> list[ActorSummary]:
        """Actors by name or alias: exact matches first, then those with a word of their name starting so
        ("Carter" finds John Carter and Mary Carter), most mentioned first."""
        key = name_key(name)
        if not key:
            return []
        # Exact: the name itself, or the same name with words between its first and last ("iTunes Store" is
        # also the "iTunes Music Store", "Steve Jobs" "Steve P. Jobs").
        fuller = " % ".join(_like_escape(w) for w in key.split())
        exact = await self._actor_summaries(
            "SELECT actor_id FROM actor_aliases WHERE key = ? OR key LIKE ? ESCAPE '\\'", (key, fuller), limit
        )
        if len(key) < MIN_PARTIAL_CHARS:
            return exact
        pattern = _like_escape(key)
        partial = await self._actor_summaries(
            """SELECT actor_id FROM actor_aliases
               WHERE key LIKE ? ESCAPE '\\' OR key LIKE ? ESCAPE '\\' OR key LIKE ? ESCAPE '\\'""",
            (f"{pattern}%", f"% {pattern}%", f"%-{pattern}%"),
            limit,
        )
        found = {a.id for a in exact}
        exact = [dataclasses.replace(a, exact=True) for a in exact]
        return (exact + [a for a in partial if a.id not in found])[:limit]

    async def closest_actors(self, name: str, limit: int = 5) -> list[ActorSummary]:
        """Actors whose names look most like a name nobody has (a typo: "McGurck", "Barzan"), closest first."""
        key = name_key(name)
        grams = sorted({key[i : i + 3] for i in range(len(key) - 2)} - {"   "})[:64]
        if not grams:
            return []
        match = " OR ".join('"' + g.replace('"', '""') + '"' for g in grams)
        rows = await self._rows(
            "SELECT rowid, keys FROM actor_names_fts WHERE actor_names_fts MATCH ? ORDER BY rank LIMIT ?",
            (match, CLOSE_CANDIDATES),
        )
        score = {actor_id: max(_likeness(key, k) for k in keys.split(" | ")) for actor_id, keys in rows}
        close = [actor_id for actor_id, s in score.items() if s >= MIN_SIMILARITY]
        if not close:
            return []
        marks = ",".join("?" * len(close))
        found = await self._actor_summaries(f"SELECT id FROM actors WHERE id IN ({marks})", tuple(close), len(close))
        return sorted(found, key=lambda a: (-score[a.id], -a.mentions))[:limit]

    async def top_actors(self, limit: int = 25) -> list[ActorSummary]:
        """The most mentioned actors (what an empty name box suggests)."""
        return await self._actor_summaries("SELECT id FROM actors ORDER BY mention_count DESC LIMIT ?", (limit,), limit)

    async def _actor_summaries(self, ids_sql: str, params: tuple, limit: int) -> list[ActorSummary]:
        rows = await self._rows(
            f"""SELECT a.id, a.name, a.kind, a.publication, a.mention_count, a.article_count
               FROM actors a WHERE a.id IN ({ids_sql}) ORDER BY a.mention_count DESC, a.name LIMIT ?""",
            (*params, limit),
        )
        return [ActorSummary(r[0], r[1], r[2], bool(r[3]), r[4], r[5]) for r in rows]

    async def actor_profile(self, actor_id: int, limit: int = 10) -> ActorProfile | None:
        found = await self._actor_summaries("SELECT ?", (actor_id,), 1)
        if not found:
            return None
        aliases = [
            r[0]
            for r in await self._rows(
                "SELECT alias FROM actor_aliases WHERE actor_id = ? ORDER BY length(alias) DESC, alias", (actor_id,)
            )
        ]
        roles = [
            Role(r[0], ArticleRef(*r[1:]))
            for r in await self._rows(
                f"""SELECT d.text, {_ARTICLE_REF} FROM descriptions d JOIN articles ar ON ar.id = d.article_id
                    WHERE d.actor_id = ? ORDER BY ar.published DESC, d.id LIMIT ?""",
                (actor_id, 4 * limit),
            )
        ]
        first, last = await self._first_last_seen(actor_id, many=found[0].articles >= SCAN_FROM)
        # Who appears with the actor: in the same sentences, most often first (publications aside), in the
        # latest articles that mention them (all of them, for all but the most mentioned actors).
        together = await self._rows(
            """SELECT m2.actor_id, count(DISTINCT (m1.article_id << 20) + m1.sentence) AS shared FROM mentions m1
               JOIN mentions m2 ON m2.article_id = m1.article_id AND m2.sentence = m1.sentence
               JOIN actors a2 ON a2.id = m2.actor_id AND a2.publication = 0
               WHERE m1.actor_id = ? AND m2.actor_id <> m1.actor_id AND m1.article_id IN
                   (SELECT DISTINCT article_id FROM mentions WHERE actor_id = ? ORDER BY article_id DESC LIMIT ?)
               GROUP BY m2.actor_id ORDER BY shared DESC LIMIT ?""",
            (actor_id, actor_id, TOGETHER_ARTICLES, TOGETHER),
        )
        partners = {
            a.id: a
            for a in await self._actor_summaries(
                "SELECT value FROM json_each(?)", (json.dumps([r[0] for r in together]),), TOGETHER
            )
        }
        articles = [ArticleRef(*r) for r in await self._rows(_latest_articles(found[0].articles), (actor_id, limit))]
        quotes = await self.quotes(actor_ids=[actor_id], limit=QUOTES_IN_PROFILE)
        return ActorProfile(
            quotes=quotes,
            actor=found[0],
            aliases=aliases,
            roles=_unique_roles(roles)[:limit],
            first_seen=first,
            last_seen=last,
            together=[(partners[r[0]], r[1]) for r in together if r[0] in partners],
            articles=articles,
        )

    async def _first_last_seen(self, actor_id: int, many: bool) -> tuple[str | None, str | None]:
        if not many:
            rows = await self._rows(
                """SELECT min(published), max(published) FROM articles
                   WHERE id IN (SELECT article_id FROM mentions WHERE actor_id = ?)""",
                (actor_id,),
            )
            return rows[0][0], rows[0][1]
        # An actor in thousands of articles: walk the dates from each end, the first article that mentions
        # them ends the walk (their article set is too big to gather and sort).
        ends = []
        for order in ("", "DESC"):
            rows = await self._rows(
                f"""SELECT published FROM articles INDEXED BY articles_published WHERE published IS NOT NULL
                    AND EXISTS (SELECT 1 FROM mentions m WHERE m.actor_id = ? AND m.article_id = articles.id)
                    ORDER BY published {order} LIMIT 1""",
                (actor_id,),
            )
            ends.append(rows[0][0] if rows else None)
        return ends[0], ends[1]

"""Search and articles (a part of `Archive`): full-text search of the articles, their syndicated copies, an
article's sentences, and the articles a picker offers."""

from __future__ import annotations

import json
import re

from bot.archive import fts
from bot.archive.records import ARTICLE_REF as _ARTICLE_REF
from bot.archive.records import MARK_END, MARK_START, ArticleRef, SearchHit, SearchResult

SNIPPET_TOKENS = 24
TITLE_WEIGHT = 5.0
BODY_WEIGHT = 1.0
BROAD_MATCHES = 10_000  # a search matching more articles ranks the latest this many only


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class ArticleTables:
    async def search(self, text: str, limit: int = 10) -> SearchResult:
        terms = fts.query_terms(text)
        if not terms:
            return SearchResult(text, [], 0, problem="the query has no words to search for")
        limit = max(1, min(limit, 100))
        for matched_all, match in ((True, fts.all_of(terms)), (False, fts.any_of(terms))):
            total = await self._scalar("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", (match,))
            if total:
                total -= await self._matching_copies(match)
                floor = await self._broad_floor("articles_fts", total, BROAD_MATCHES)
                hits = await self._search_hits(match, limit, floor)
                ranked = BROAD_MATCHES if floor else None
                return SearchResult(text, hits, total, matched_all=matched_all, ranked_among=ranked)
            if len(terms) == 1:
                break
        return SearchResult(text, [], 0)

    async def _broad_floor(self, table: str, total: int, keep: int) -> int:
        """For a match in more than `keep` rows of an FTS table: the rowid above which about that many of them lie
        (the latest stored), so ranking or ordering them stays fast; 0 otherwise. Ranking every match of "said"
        across 200,000 articles would take a quarter of a second and tell nothing more."""
        if total <= keep:
            return 0
        top = await self._scalar(f"SELECT max(rowid) FROM {table}")  # `table`: our own FTS table names
        return max(0, top - top * keep // total + 1)

    async def _search_hits(self, match: str, limit: int, floor: int = 0) -> list[SearchHit]:
        rows = await self._rows(
            f"""SELECT a.id, a.title, a.source, a.published,
                   snippet(articles_fts, 1, ?, ?, '…', {SNIPPET_TOKENS}),
                   bm25(articles_fts, {TITLE_WEIGHT}, {BODY_WEIGHT}) AS score, a.url
               FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
               WHERE articles_fts MATCH ? AND articles_fts.rowid >= ? AND a.copy_of IS NULL ORDER BY score LIMIT ?""",
            (MARK_START, MARK_END, match, floor, limit),
        )
        copies = await self.copies([row[0] for row in rows])
        return [SearchHit(*row, copies=tuple(copies.get(row[0], ()))) for row in rows]

    async def _matching_copies(self, match: str) -> int:
        """How many of the articles a search matches are copies of another (counted once, with it)."""
        return await self._scalar(
            """SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?
               AND rowid IN (SELECT id FROM articles WHERE copy_of IS NOT NULL)""",
            (match,),
        )

    async def copies(self, article_ids: list[int]) -> dict[int, list[ArticleRef]]:
        """The syndicated copies of each article (other headlines, sources, dates), oldest first."""
        if not article_ids:
            return {}
        rows = await self._rows(
            f"""SELECT ar.copy_of, {_ARTICLE_REF} FROM articles ar
                WHERE ar.copy_of IN (SELECT value FROM json_each(?)) ORDER BY ar.published, ar.id""",
            (json.dumps(article_ids),),
        )
        found: dict[int, list[ArticleRef]] = {}
        for row in rows:
            found.setdefault(row[0], []).append(ArticleRef(*row[1:]))
        return found

    async def article_sentences(self, article_id: int) -> list[tuple[str, float]]:
        """An article's sentences in reading order, with their importance."""
        rows = await self._rows(
            """SELECT substr(a.body, s.start + 1, s.end - s.start), s.score FROM sentences s
               JOIN articles a ON a.id = s.article_id WHERE s.article_id = ? ORDER BY s.idx""",
            (article_id,),
        )
        return [(text.strip(), score) for text, score in rows]

    async def article_choices(self, text: str, limit: int = 25) -> list[ArticleRef]:
        """Articles for a picker: by number, or titles with words starting as typed; the latest when empty."""
        text = text.strip()
        picked: list[ArticleRef] = []
        if text.isdecimal() and text.isascii() and len(text) < 19 and (ref := await self.article_ref(int(text))):
            picked.append(ref)
        words = re.findall(r"\w+", text)[: fts.MAX_TERMS]
        long = [w for w in words if len(w) >= 3]  # trigrams need three characters
        if long:
            rows = await self._rows(
                f"""SELECT {_ARTICLE_REF} FROM article_titles_fts t JOIN articles ar ON ar.id = t.rowid
                    WHERE article_titles_fts MATCH ? ORDER BY rank LIMIT ?""",
                (" AND ".join(f'"{w}"' for w in long), limit),
            )
        elif words:
            rows = await self._rows(
                f"""SELECT {_ARTICLE_REF} FROM articles ar WHERE ar.title LIKE ? ESCAPE '\\'
                    ORDER BY ar.published DESC, ar.id DESC LIMIT ?""",
                (_like_escape(text) + "%", limit),
            )
        else:
            rows = await self._rows(
                f"SELECT {_ARTICLE_REF} FROM articles ar ORDER BY ar.published DESC, ar.id DESC LIMIT ?", (limit,)
            )
        picked += [ArticleRef(*r) for r in rows if not picked or r[0] != picked[0].id]
        return picked[:limit]

    async def article_ref(self, article_id: int) -> ArticleRef | None:
        rows = await self._rows(f"SELECT {_ARTICLE_REF} FROM articles ar WHERE ar.id = ?", (article_id,))
        return ArticleRef(*rows[0]) if rows else None

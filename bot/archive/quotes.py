"""Quotes (a part of `Archive`): by speaker, by words, by date, and by id."""

from __future__ import annotations

import json

from bot.archive import fts
from bot.archive.records import ARTICLE_REF as _ARTICLE_REF
from bot.archive.records import ArticleRef, QuoteHit


def _quote_hit(r) -> QuoteHit:
    """A row of `q.id, q.text, q.speaker, q.actor_id, q.cue, q.partial, {_ARTICLE_REF}`."""
    return QuoteHit(r[0], r[1], r[2], r[3], r[4], ArticleRef(*r[6:]), bool(r[5]))


class QuoteTables:
    async def quotes(
        self,
        *,
        actor_ids: list[int] | None = None,
        speaker_words: str | None = None,
        words: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        limit: int = 10,
    ) -> list[QuoteHit]:
        """Quotes by speaker (actors, or words of an unnamed speaker's description), words in the quote
        (full-text), publication date range, or any mix; latest first."""
        where, params = [], []
        if speaker_words:
            actor_ids = None
        elif actor_ids is not None:
            where.append("q.actor_id IN (SELECT value FROM json_each(?))")
            params.append(json.dumps(actor_ids))
        for column, text in (("speaker", speaker_words), ("text", words)):
            if not text:
                continue
            terms = fts.query_terms(text)
            if not terms:
                return []
            where.append("q.id IN (SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH ?)")
            params.append(" AND ".join(f"{column} : {t}" for t in terms))
        if date_from:
            where.append("ar.published >= ?")
            params.append(date_from)
        if date_to:
            where.append("ar.published <= ?")
            params.append(date_to)
        rows = await self._rows(
            f"""SELECT q.id, q.text, q.speaker, q.actor_id, q.cue, q.partial, {_ARTICLE_REF}
                FROM quotes q JOIN articles ar ON ar.id = q.article_id
                WHERE {" AND ".join(where) or "1"}
                ORDER BY ar.published DESC, q.article_id DESC, q.start LIMIT ?""",
            (*params, limit),
        )
        return [_quote_hit(r) for r in rows]

    async def _quotes_by_id(self, ids: list[int]) -> list[QuoteHit]:
        rows = await self._rows(
            f"""SELECT q.id, q.text, q.speaker, q.actor_id, q.cue, q.partial, {_ARTICLE_REF}
                FROM quotes q JOIN articles ar ON ar.id = q.article_id
                WHERE q.id IN (SELECT value FROM json_each(?))""",
            (json.dumps(ids),),
        )
        return [_quote_hit(r) for r in rows]

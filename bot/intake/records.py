"""One article as a source gives it, before parsing: the text and what the source says about it."""

from __future__ import annotations

from dataclasses import dataclass

from bot.articles import parse_article
from bot.metadata import NO_META, ArticleMeta, read_date


@dataclass(frozen=True)
class Record:
    """An article from a page, an export's record or a feed item. `published` is as the source wrote it (the
    ingest reads it with bot/metadata.read_date); every field but `text` may be missing."""

    text: str
    title: str | None = None
    published: str | None = None
    url: str | None = None
    source: str | None = None
    author: str | None = None

    def encoded(self) -> bytes:
        """The text as the bytes it is counted and fingerprinted by (lone surrogates kept, never an error)."""
        return self.text.encode("utf-8", "surrogatepass")


@dataclass(frozen=True)
class BadRecord:
    """A record that cannot become an article, and why (said in the ingest report, costs nothing else)."""

    reason: str


def article_of(record: Record, meta: ArticleMeta = NO_META):
    """The article a record makes: its text parsed like a text file's (furniture, byline, dateline), its fields
    as metadata. What the archive's metadata.csv says of the file wins over what the record says."""
    published = read_date(record.published)[0] if record.published else None
    fields = ArticleMeta(
        published=meta.published or published,
        source=meta.source or _short(record.source),
        title=meta.title or _short(record.title),
        url=meta.url or record.url,
        author=meta.author or _short(record.author),
    )
    return parse_article(record.text, fields)


def _short(value: str | None, limit: int = 300) -> str | None:
    """A one-line field: whitespace folded, none if empty."""
    value = " ".join((value or "").split())
    return value[:limit] or None

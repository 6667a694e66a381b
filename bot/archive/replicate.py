"""Scaling an ingested archive up for benchmarks: copies of every article, with new ids and dates shifted by a
year per copy, and all they carry (sentences, mentions, roles, quotes, events), as if the same news had been
reported again each year. The actors stay the same people, mentioned that many times more.

Used by `bench/scale.py` only; it lives here because all SQL does. Synchronous (sqlite3): a benchmark tool.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

_ARTICLE_COLUMNS = (
    "content_sha, recipe_sha, encoding, title, title_from, byline, author, source, source_from, republisher, "
    "published, url, word_count, created_at, updated_at, body, raw_text"
)


def replicate(db: Path, copies: int, progress=print) -> int:
    """Add `copies` copies of every article of the database at `db`; returns the articles it then holds."""
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA foreign_keys = OFF")  # the copies point at rows made in the same transaction
        (base_articles,) = conn.execute("SELECT max(id) FROM articles").fetchone()
        (base_events,) = conn.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()
        for k in range(1, copies + 1):
            _copy(conn, k, base_articles, base_events)
            progress(f"copy {k}/{copies} done")
        (total,) = conn.execute("SELECT count(*) FROM articles").fetchone()
        conn.execute("PRAGMA optimize")
        return total
    finally:
        conn.close()


def _copy(conn: sqlite3.Connection, k: int, base_articles: int, base_events: int) -> None:
    """Copy k of the original rows (ids up to the bases): ids moved up by k times the bases, dates by k years."""
    a, e = k * base_articles, k * base_events
    shift = f"+{k} years"
    columns = _ARTICLE_COLUMNS.replace("content_sha", "content_sha || ':' || ?").replace(
        "published", "date(published, ?)"
    )
    conn.execute("BEGIN")
    conn.execute(
        f"""INSERT INTO articles (id, {_ARTICLE_COLUMNS})
            SELECT id + ?, {columns} FROM articles WHERE id <= ?""",
        (a, k, shift, base_articles),
    )
    conn.execute(
        """INSERT INTO files (path, size, mtime_ns, byte_sha, recipe_sha, status, reason, article_id, first_seen,
               last_seen)
           SELECT path || '.copy' || ?, size, mtime_ns, byte_sha, recipe_sha, status, reason, article_id + ?,
               first_seen, last_seen FROM files WHERE article_id <= ? AND status = 'ok'""",
        (k, a, base_articles),
    )
    for table, columns in (
        ("sentences", "idx, start, end, score"),
        ("mentions", "actor_id, sentence, start, end, text, label"),
        ("descriptions", "actor_id, text, sentence, start, end"),
        ("quotes", "actor_id, speaker, speaker_start, speaker_end, cue, sentence, start, end, text, partial"),
    ):
        conn.execute(
            f"INSERT INTO {table} (article_id, {columns}) SELECT article_id + ?, {columns} FROM {table} "
            "WHERE article_id <= ?",
            (a, base_articles),
        )
    conn.execute(
        """INSERT INTO events (id, value, granularity, first, last, certainty, text, article_id)
           SELECT id + ?, CASE WHEN value GLOB '[0-9][0-9][0-9][0-9]*'
                      THEN printf('%04d', CAST(substr(value, 1, 4) AS INTEGER) + ?) || substr(value, 5)
                      ELSE value END,
                  granularity, date(first, ?), date(last, ?), certainty, text, article_id + ?
           FROM events WHERE id <= ?""",
        (e, k, shift, shift, a, base_events),
    )
    conn.execute(
        """INSERT INTO event_sources (event_id, article_id, sentence, timex)
           SELECT event_id + ?, article_id + ?, sentence, timex FROM event_sources WHERE event_id <= ?""",
        (e, a, base_events),
    )
    conn.execute(
        """INSERT INTO event_actors (event_id, actor_id, article_id)
           SELECT event_id + ?, actor_id, article_id + ? FROM event_actors WHERE event_id <= ?""",
        (e, a, base_events),
    )
    conn.execute("COMMIT")

"""Writing ingest batches: many small statements in one transaction, run in a worker thread.

Through aiosqlite each statement would be a round trip to its thread; a batch of files is hundreds of them.
So the batch runs here, synchronously, on a connection of its own, and the archive awaits it once.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bot.articles import Article
from bot.nlp.events import HEADLINE
from bot.nlp.names import name_key
from bot.nlp.records import ActorRecord, ArticleAnalysis, EventRecord
from bot.nlp.stories import WINDOW_DAYS, Candidate, actor_weight, best_story, index_terms
from bot.nlp.stories import cosine as story_cosine
from bot.nlp.stories import merge as merge_vectors
from bot.nlp.stories import name_words as story_name_words
from bot.nlp.stories import norm as vector_norm
from bot.nlp.stories import terms as story_terms
from bot.nlp.stories import vector as story_vector
from bot.nlp.summary import words as summary_words


@dataclass
class FileItem:
    """What the ingest learned about one file, ready to be stored."""

    path: str
    size: int
    mtime_ns: int
    recipe_sha: str
    byte_sha: str | None = None
    encoding: str | None = None
    content_sha: str | None = None
    article: Article | None = None
    analysis: ArticleAnalysis | None = None
    skip_reason: str | None = None
    same_bytes: bool = False  # identical to what is stored: only the file's stat changed
    note: str | None = None  # stored, but with this said of it (e.g. too long to analyse)
    records: int | None = None  # an export read again: how many records it holds (each stored as its own item)
    part_of: str | None = None  # the export that holds this record


# Share of their words two dated sentences with an actor in common need to be one event.
SAME_EVENT_WORDS = 0.2
MERGEABLE = {"day", "weekend", "week"}
MERGE_CANDIDATES = 50
STORY_CANDIDATES = 10  # stories in the window sharing the most words and actors with a new article
SHARED_KEYS = 2  # of them at least: one word in common is not a story in common
COPY_CANDIDATES = 20  # articles sharing the most LSH bands with a new one, checked word by word for a copy


def _keys(vec: dict, actors: dict[int, float]) -> list[str]:
    """What finds an article's story again: its leading words and its actors."""
    return [f"t:{t}" for t in index_terms(vec)] + [f"a:{a}" for a in actors]


class BatchWriter:
    def __init__(self, con: sqlite3.Connection):
        self._con = con

    @classmethod
    def connect(cls, path: Path) -> BatchWriter:
        # Used from one worker thread at a time (the archive serialises writes), never concurrently.
        con = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        con.execute("PRAGMA foreign_keys = ON")
        con.execute("PRAGMA synchronous = NORMAL")
        con.execute("PRAGMA busy_timeout = 10000")
        return cls(con)

    def close(self) -> None:
        self._con.close()

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self._con.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            if self._con.in_transaction:  # SQLite may have rolled back itself (a full disk, an I/O error)
                with contextlib.suppress(sqlite3.Error):  # the first error is the one to report
                    self._con.execute("ROLLBACK")
            raise
        self._con.execute("COMMIT")

    def _rows(self, sql: str, params: tuple = ()) -> list[tuple]:
        return self._con.execute(sql, params).fetchall()

    def _scalar(self, sql: str, params: tuple = ()) -> int:
        row = self._con.execute(sql, params).fetchone()
        return row[0] if row and row[0] is not None else 0

    def mark_missing(self, paths: list[str], stamp: str) -> None:
        with self._transaction():
            for path in paths:
                row = self._con.execute(
                    "UPDATE files SET status = 'missing', reason = ? WHERE path = ? RETURNING article_id",
                    (f"not found on {stamp}", path),
                ).fetchone()
                if row and row[0] is not None:
                    self._settle_article(row[0])

    def touch_unchanged(self, items: list[tuple[str, int, int]], stamp: str) -> None:
        """Files seen again exactly as stored: only their stat and last-seen time move."""
        with self._transaction():
            self._con.executemany(
                "UPDATE files SET size = ?, mtime_ns = ?, last_seen = ? WHERE path = ?",
                [(size, mtime, stamp, path) for path, size, mtime in items],
            )

    def store_batch(self, items: list[FileItem], stamp: str) -> list[tuple[str, str | None]]:
        """Store a batch in one transaction; returns each item's outcome and, for a duplicate, what of.

        Outcomes: added, updated, unchanged, duplicate, skipped. Either the whole batch lands or none of it.
        """
        with self._transaction():
            return [self._store_file(item, stamp) for item in items]

    def _store_file(self, item: FileItem, stamp: str) -> tuple[str, str | None]:
        old = self._rows("SELECT article_id, status, reason FROM files WHERE path = ?", (item.path,))
        old_article = old[0][0] if old else None
        if item.skip_reason is not None:
            # Keep the article an earlier, good version of this file gave: bad input loses nothing.
            self._upsert_file(item, "skipped", item.skip_reason, old_article, stamp)
            if old_article is not None:
                self._settle_article(old_article)
            return "skipped", item.skip_reason
        if item.same_bytes:
            self._upsert_file(item, old[0][1], old[0][2], old_article, stamp)
            return "unchanged", None
        if item.records is not None:  # an export: its records are items of their own
            self._upsert_file(item, "ok", f"an export of {item.records:,} record(s)", None, stamp)
            return "read", None
        assert item.article is not None and item.content_sha is not None
        outcome, article_id = self._place_article(item, old_article, stamp)
        note = None
        if outcome == "duplicate":
            note = f"same text as {self._owner_path(article_id, excluding=item.path)}"
            self._upsert_file(item, "duplicate", note, article_id, stamp)
        else:
            self._upsert_file(item, "ok", item.note, article_id, stamp)
        if old_article is not None and old_article != article_id:
            self._settle_article(old_article)
        return outcome, note

    def _place_article(self, item: FileItem, old_article: int | None, stamp: str) -> tuple[str, int]:
        """Find or write the article for a file's new text."""
        existing = self._rows("SELECT id, recipe_sha FROM articles WHERE content_sha = ?", (item.content_sha,))
        if existing:
            article_id, recipe = existing[0]
            if self._owner_path(article_id, excluding=item.path):
                return "duplicate", article_id
            if recipe == item.recipe_sha and old_article == article_id:
                return "unchanged", article_id
            self._write_article(item, stamp, replace_id=article_id)
            return "updated", article_id
        if old_article is not None and not self._other_files(old_article, item.path):
            self._write_article(item, stamp, replace_id=old_article)
            return "updated", old_article
        new_id = self._write_article(item, stamp)
        return ("added" if old_article is None else "updated"), new_id

    def _write_article(self, item: FileItem, stamp: str, replace_id: int | None = None) -> int:
        """Insert the article; with replace_id, replace that one in place (same id, derived rows dropped)."""
        created, holders = stamp, []
        if replace_id is not None:
            rows = self._rows("SELECT created_at FROM articles WHERE id = ?", (replace_id,))
            created = rows[0][0] if rows else stamp
            # Deleting cascades to everything derived from the article; re-inserting keeps its id, and the
            # files that held it (duplicates, missing ones) hold it again.
            holders = [r[0] for r in self._rows("SELECT id FROM files WHERE article_id = ?", (replace_id,))]
            self._delete_article(replace_id)
        copies = [r[0] for r in self._rows("SELECT id FROM articles WHERE copy_of = ?", (replace_id,))]
        a = item.article
        cursor = self._con.execute(
            """INSERT INTO articles (id, content_sha, recipe_sha, raw_text, encoding, body, title, title_from, byline,
                   author, source, source_from, republisher, published, url, word_count, created_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (
                replace_id,
                item.content_sha,
                item.recipe_sha,
                a.raw_text,
                item.encoding,
                a.body,
                a.title,
                a.title_from,
                a.byline,
                a.author,
                a.source,
                a.source_from,
                a.republisher,
                a.published,
                a.url,
                a.word_count,
                created,
                stamp,
            ),
        )
        self._con.executemany(
            "UPDATE files SET article_id = ? WHERE id = ?", [(cursor.lastrowid, file_id) for file_id in holders]
        )
        self._place_copy(cursor.lastrowid, a.body, copies)  # first: a copy's events are its original's
        if item.analysis is not None:
            self._store_analysis(cursor.lastrowid, item.analysis)
        self._place_story(cursor.lastrowid, stamp)
        return cursor.lastrowid

    def _place_copy(self, article_id: int, body: str, copies: list[int]) -> None:
        """Store the article's signature; mark it a copy of the article it copies, if one is stored; and, when it
        replaced an article in place, keep as its copies those that still copy it. A signature takes a fraction of
        a millisecond: it is made here, so that the ingest workers never load the MinHash library (and SciPy)."""
        from bot.nlp.neardup import band_keys, is_copy, signature  # not at the top: the workers import this module

        sig = signature(body)
        keys = band_keys(sig)
        self._con.execute("INSERT INTO article_signatures (article_id, signature) VALUES (?, ?)", (article_id, sig))
        self._con.executemany(
            "INSERT OR IGNORE INTO article_bands (band_key, article_id) VALUES (?, ?)", [(k, article_id) for k in keys]
        )
        # Candidates share a band with it; the ones sharing most come first, and the oldest is the original.
        candidates = self._rows(
            """SELECT b.article_id FROM article_bands b JOIN articles a ON a.id = b.article_id
               WHERE b.band_key IN (SELECT value FROM json_each(?)) AND b.article_id != ? AND a.copy_of IS NULL
               GROUP BY b.article_id ORDER BY count(*) DESC, b.article_id LIMIT ?""",
            (json.dumps(keys), article_id, COPY_CANDIDATES),
        )
        for (candidate,) in sorted(candidates):
            if is_copy(self._body(candidate), body):
                self._con.execute("UPDATE articles SET copy_of = ? WHERE id = ?", (candidate, article_id))
                break
        for copy in copies:
            if is_copy(body, self._body(copy)):
                self._con.execute("UPDATE articles SET copy_of = ? WHERE id = ?", (article_id, copy))

    def place_stories(self, limit: int, stamp: str) -> int:
        """Place, in the order they were stored, articles no story holds yet (stored before stories existed, or
        whose story went with its last other article); returns how many. One transaction per call."""
        with self._transaction():
            ids = self._rows("SELECT id FROM articles WHERE story_id IS NULL ORDER BY id LIMIT ?", (limit,))
            ids = [r[0] for r in ids]
            for article_id in ids:
                self._place_story(article_id, stamp)
        return len(ids)

    def _place_story(self, article_id: int, stamp: str) -> None:
        """Put the article in the story it continues, or in a story of its own; a copy goes where its original is."""
        title, body, day, copy_of = self._rows(
            """SELECT title, body, coalesce(substr(published, 1, 10), substr(created_at, 1, 10)), copy_of
               FROM articles WHERE id = ?""",
            (article_id,),
        )[0]
        original = self._rows("SELECT story_id FROM articles WHERE id = ?", (copy_of,)) if copy_of else []
        if original and original[0][0] is not None:
            self._join_story(original[0][0], article_id, day, stamp)
            return
        names = self._name_words(article_id)
        counts = story_terms(title, body, names)
        df, total = self._word_counts(counts)
        vec = story_vector(counts, df, total)
        actors = self._article_actors(article_id, total)
        joined = best_story(vec, actors, day, self._story_candidates(vec, actors, day))
        if joined is None:
            story_id = self._con.execute(
                """INSERT INTO stories (title, title_article, title_score, title_vector, first_seen, last_seen,
                       centroid, centroid_norm, created_at, updated_at)
                   VALUES (?, ?, 1.0, ?, ?, ?, ?, 1.0, ?, ?) RETURNING id""",
                (title, article_id, json.dumps(vec), day, day, json.dumps(vec), stamp, stamp),
            ).fetchone()[0]
        else:
            story_id = joined[0]
            self._grow_story(story_id, article_id, title, vec)
        self._join_story(story_id, article_id, day, stamp)
        self._con.executemany(
            "INSERT OR IGNORE INTO story_keys (key, day, story_id) VALUES (?, ?, ?)",
            [(key, day, story_id) for key in _keys(vec, actors)],
        )
        self._con.executemany(
            """INSERT INTO story_actors (story_id, actor_id, articles) VALUES (?, ?, 1)
               ON CONFLICT DO UPDATE SET articles = articles + 1""",
            [(story_id, a) for a in actors],
        )
        self._count_words(counts)

    def _join_story(self, story_id: int, article_id: int, day: str, stamp: str) -> None:
        self._con.execute(
            """UPDATE stories SET first_seen = min(first_seen, ?), last_seen = max(last_seen, ?), updated_at = ?
               WHERE id = ?""",
            (day, day, stamp, story_id),
        )
        # Its copies (an article replaced in place keeps them) are in the story with it.
        self._con.execute(
            "UPDATE articles SET story_id = ? WHERE id = ? OR copy_of = ?", (story_id, article_id, article_id)
        )

    def _grow_story(self, story_id: int, article_id: int, title: str, vec: dict) -> None:
        """Add the article's words to the story; its headline becomes the story's if it is now the closest."""
        centroid_json, held_json = self._rows("SELECT centroid, title_vector FROM stories WHERE id = ?", (story_id,))[0]
        centroid = merge_vectors(json.loads(centroid_json), vec)
        norm = vector_norm(centroid)
        mine, theirs = story_cosine(vec, centroid, norm), story_cosine(json.loads(held_json), centroid, norm)
        if mine > theirs:
            self._con.execute(
                "UPDATE stories SET title = ?, title_article = ?, title_score = ?, title_vector = ? WHERE id = ?",
                (title, article_id, round(mine, 4), json.dumps(vec), story_id),
            )
        else:
            self._con.execute("UPDATE stories SET title_score = ? WHERE id = ?", (round(theirs, 4), story_id))
        self._con.execute(
            "UPDATE stories SET centroid = ?, centroid_norm = ? WHERE id = ?", (json.dumps(centroid), norm, story_id)
        )

    def _name_words(self, article_id: int) -> set[str]:
        return story_name_words(
            [r[0] for r in self._rows("SELECT DISTINCT text FROM mentions WHERE article_id = ?", (article_id,))]
        )

    def _word_counts(self, counts) -> tuple[dict[str, int], int]:
        rows = self._rows(
            "SELECT term, articles FROM story_word_counts WHERE term IN (SELECT value FROM json_each(?))",
            (json.dumps(["", *counts]),),
        )
        found = dict(rows)
        return found, found.pop("", 0)

    def _count_words(self, counts) -> None:
        self._con.executemany(
            """INSERT INTO story_word_counts (term, articles) VALUES (?, 1)
               ON CONFLICT DO UPDATE SET articles = articles + 1""",
            [(t,) for t in ["", *counts]],
        )

    def _article_actors(self, article_id: int, total: int) -> dict[int, float]:
        """The article's people and organisations (publications left out), each weighed by its rarity in the
        archive: who the news is about (places and nationalities are where, and shared by much news)."""
        rows = self._rows(
            # CROSS JOIN: the article's mentions first; left to choose, SQLite walks every person and organisation.
            """SELECT a.id, a.article_count FROM (SELECT DISTINCT actor_id FROM mentions WHERE article_id = ?) m
               CROSS JOIN actors a ON a.id = m.actor_id
               WHERE NOT a.publication AND a.kind IN ('person', 'organization')""",
            (article_id,),
        )
        return {actor_id: actor_weight(n, total) for actor_id, n in rows}

    def _story_candidates(self, vec: dict, actors: dict[int, float], day: str) -> list[Candidate]:
        """Stories with articles of the days around `day` that share the most leading words and actors with it."""
        rows = self._rows(
            """SELECT s.id, s.centroid, s.centroid_norm, s.first_seen, s.last_seen FROM stories s JOIN (
                   SELECT story_id, count(DISTINCT key) AS shared FROM story_keys
                   WHERE key IN (SELECT value FROM json_each(?1)) AND day BETWEEN date(?2, ?3) AND date(?2, ?4)
                   GROUP BY story_id HAVING shared >= ?6 ORDER BY shared DESC, story_id DESC LIMIT ?5) k
               ON k.story_id = s.id
               ORDER BY k.shared DESC, s.id DESC""",
            (
                json.dumps(_keys(vec, actors)),
                day,
                f"-{WINDOW_DAYS} days",
                f"+{WINDOW_DAYS} days",
                STORY_CANDIDATES,
                SHARED_KEYS,
            ),  # fmt: skip
        )
        shared: dict[int, set[int]] = {}
        for story_id, actor_id in self._rows(
            """SELECT story_id, actor_id FROM story_actors WHERE story_id IN (SELECT value FROM json_each(?))
               AND actor_id IN (SELECT value FROM json_each(?))""",
            (json.dumps([r[0] for r in rows]), json.dumps(list(actors))),
        ):
            shared.setdefault(story_id, set()).add(actor_id)
        return [
            Candidate(story_id, json.loads(centroid), norm, first, last, shared.get(story_id, set()))
            for story_id, centroid, norm, first, last in rows
        ]

    def _body(self, article_id: int) -> str:
        return self._rows("SELECT body FROM articles WHERE id = ?", (article_id,))[0][0]

    def _delete_article(self, article_id: int) -> None:
        """Delete an article with all that derives from it, and the actors and events no other article has."""
        actor_ids = [
            r[0] for r in self._rows("SELECT DISTINCT actor_id FROM mentions WHERE article_id = ?", (article_id,))
        ]
        event_ids = [r[0] for r in self._rows("SELECT event_id FROM event_sources WHERE article_id = ?", (article_id,))]
        self._con.execute("DELETE FROM articles WHERE id = ?", (article_id,))
        self._con.executemany(
            "DELETE FROM actors WHERE id = ? AND NOT EXISTS (SELECT 1 FROM mentions WHERE actor_id = ?)",
            [(a, a) for a in actor_ids],
        )
        self._con.executemany(
            "DELETE FROM events WHERE id = ? AND NOT EXISTS (SELECT 1 FROM event_sources WHERE event_id = ?)",
            [(e, e) for e in event_ids],
        )
        # An event that lives on in other articles takes its sentence from one of them.
        self._con.executemany(
            """UPDATE events SET (text, article_id) = (
                   SELECT coalesce(trim(substr(a.body, s.start + 1, s.end - s.start)), a.title), a.id
                   FROM event_sources es JOIN articles a ON a.id = es.article_id
                   LEFT JOIN sentences s ON s.article_id = es.article_id AND s.idx = es.sentence  -- none: headline
                   WHERE es.event_id = events.id LIMIT 1)
               WHERE id = ? AND article_id IS NULL""",
            [(e,) for e in event_ids],
        )

    def _store_analysis(self, article_id: int, analysis: ArticleAnalysis) -> None:
        self._con.executemany(
            "INSERT INTO sentences (article_id, idx, start, end, score) VALUES (?, ?, ?, ?, ?)",
            [(article_id, i, start, end, score) for i, (start, end, score) in enumerate(analysis.sentences)],
        )
        actor_ids = []
        for actor in analysis.actors:
            actor_id = self._actor_id(actor)
            actor_ids.append(actor_id)
            self._con.executemany(
                "INSERT OR IGNORE INTO actor_aliases (actor_id, key, alias) VALUES (?, ?, ?)",
                [(actor_id, name_key(alias), alias) for alias in (actor.name, *actor.aliases)],
            )
            self._con.executemany(
                """INSERT INTO mentions (article_id, actor_id, sentence, start, end, text, label)
                   VALUES (?, ?, ?, ?, ?, ?, ?)""",
                [(article_id, actor_id, m.sentence, m.start, m.end, m.text, m.label) for m in actor.mentions],
            )
            self._con.executemany(
                "INSERT INTO descriptions (article_id, actor_id, text, sentence, start, end) VALUES (?, ?, ?, ?, ?, ?)",
                [(article_id, actor_id, d.text, d.sentence, d.start, d.end) for d in actor.descriptions],
            )

        self._con.executemany(
            """INSERT INTO quotes (article_id, actor_id, speaker, speaker_start, speaker_end, cue, sentence, start, end,
                   text, partial) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                (
                    article_id,
                    actor_ids[q.actor] if q.actor is not None else None,
                    q.speaker,
                    q.speaker_start,
                    q.speaker_end,
                    q.cue,
                    q.sentence,
                    q.start,
                    q.end,
                    q.text,
                    int(q.partial),
                )
                for q in analysis.quotes
            ],
        )

        body, title = self._rows("SELECT body, title FROM articles WHERE id = ?", (article_id,))[0]
        for event in analysis.events:
            if event.sentence == HEADLINE:
                text = title
            else:
                start, end, _ = analysis.sentences[event.sentence]
                text = body[start:end].strip()
            central = {actor_ids[i] for i in event.central}
            self._store_event(article_id, event, text, [actor_ids[i] for i in event.actors], central)

    def _store_event(
        self, article_id: int, event: EventRecord, text: str, actor_ids: list[int], central: set[int]
    ) -> None:
        """Join the event another article already reported (same date, an actor in common, like words),
        or record a new one."""
        event_id = self._same_event(article_id, event, text, actor_ids)
        if event_id is None:
            event_id = self._con.execute(
                """INSERT INTO events (value, granularity, first, last, certainty, status, text, article_id)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""",
                (
                    event.value,
                    event.granularity,
                    event.first,
                    event.last,
                    event.certainty,
                    event.status,
                    text,
                    article_id,
                ),  # fmt: skip
            ).fetchone()[0]
        self._con.execute(
            "INSERT OR IGNORE INTO event_sources (event_id, article_id, sentence, timex) VALUES (?, ?, ?, ?)",
            (event_id, article_id, event.sentence, event.timex),
        )
        self._con.executemany(
            """INSERT INTO event_actors (event_id, actor_id, article_id, central) VALUES (?, ?, ?, ?)
               ON CONFLICT DO UPDATE SET central = max(central, excluded.central)""",
            [(event_id, a, article_id, int(a in central)) for a in actor_ids],
        )

    def _same_event(self, article_id: int, event: EventRecord, text: str, actor_ids: list[int]) -> int | None:
        if (told := self._original_event(article_id, event, text)) is not None:
            return told
        # Only a happening dated to the day or week is one event across articles; "in 2017" is not a happening.
        if not actor_ids or event.granularity not in MERGEABLE:
            return None
        candidates = self._rows(
            # Another article's: two sentences of one article are two things it tells.
            """SELECT e.id, e.text FROM events e WHERE e.value = ? AND e.id IN
               (SELECT event_id FROM event_actors WHERE actor_id IN (SELECT value FROM json_each(?)))
               AND e.id NOT IN (SELECT event_id FROM event_sources WHERE article_id = ?)
               ORDER BY e.id DESC LIMIT ?""",
            (event.value, json.dumps(actor_ids), article_id, MERGE_CANDIDATES),
        )
        words = set(summary_words(text))
        for event_id, other in candidates:
            theirs = set(summary_words(other))
            if words and theirs and len(words & theirs) / len(words | theirs) >= SAME_EVENT_WORDS:
                return event_id
        return None

    def _original_event(self, article_id: int, event: EventRecord, text: str) -> int | None:
        """A copy's event that its original tells too (same date, like words), whatever its actors and span: the
        copy is one more source of it, not a second event in every timeline."""
        rows = self._rows(
            """SELECT e.id, e.text FROM articles a JOIN event_sources s ON s.article_id = a.copy_of
               JOIN events e ON e.id = s.event_id WHERE a.id = ? AND e.value = ? ORDER BY e.id""",
            (article_id, event.value),
        )
        words = set(summary_words(text))
        for event_id, other in rows:
            theirs = set(summary_words(other))
            if words and theirs and len(words & theirs) / len(words | theirs) >= SAME_EVENT_WORDS:
                return event_id
        return None

    def _actor_id(self, actor: ActorRecord) -> int:
        """The archive's actor of that kind and full name, created on first sight."""
        row = self._con.execute(
            """INSERT INTO actors (kind, key, name, publication) VALUES (?, ?, ?, ?)
               ON CONFLICT (kind, key) DO UPDATE SET publication = max(publication, excluded.publication)
               RETURNING id""",
            (actor.kind, actor.key, actor.name, int(actor.publication)),
        ).fetchone()
        return row[0]

    def _upsert_file(self, item: FileItem, status: str, reason: str | None, article_id: int | None, stamp: str) -> None:
        self._con.execute(
            """INSERT INTO files (path, size, mtime_ns, byte_sha, recipe_sha, status, reason, article_id,
                   first_seen, last_seen)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (path) DO UPDATE SET size = excluded.size, mtime_ns = excluded.mtime_ns,
                   byte_sha = coalesce(excluded.byte_sha, files.byte_sha), recipe_sha = excluded.recipe_sha,
                   status = excluded.status, reason = excluded.reason, article_id = excluded.article_id,
                   last_seen = excluded.last_seen""",
            (
                item.path,
                item.size,
                item.mtime_ns,
                item.byte_sha,
                item.recipe_sha,
                status,
                reason,
                article_id,
                stamp,
                stamp,
            ),
        )

    def _owner_path(self, article_id: int, excluding: str) -> str | None:
        rows = self._rows(
            "SELECT path FROM files WHERE article_id = ? AND status = 'ok' AND path <> ? LIMIT 1",
            (article_id, excluding),
        )
        return rows[0][0] if rows else None

    def _other_files(self, article_id: int, excluding: str) -> bool:
        return bool(
            self._scalar("SELECT count(*) FROM files WHERE article_id = ? AND path <> ?", (article_id, excluding))
        )

    def _settle_article(self, article_id: int) -> None:
        """After a file let go of an article: promote a duplicate to owner, or drop an article nobody holds."""
        statuses = {row[0] for row in self._rows("SELECT status FROM files WHERE article_id = ?", (article_id,))}
        if "ok" in statuses:
            return
        if "duplicate" in statuses:
            self._con.execute(
                """UPDATE files SET status = 'ok', reason = NULL WHERE id =
                   (SELECT id FROM files WHERE article_id = ? AND status = 'duplicate' ORDER BY path LIMIT 1)""",
                (article_id,),
            )
        elif not statuses:
            # Its only file now holds other text: the article was replaced, not lost.
            self._delete_article(article_id)

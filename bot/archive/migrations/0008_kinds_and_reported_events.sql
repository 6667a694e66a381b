-- Products, market indices and named events are actors too; an event may be dated by the day its article reported
-- it ("reported"), and may be expected rather than have happened (a plan, a forecast, a date still to come); an
-- event's actor may be what its sentence is about (central: its subject or object) or a name in passing.
-- SQLite changes a CHECK constraint only by rebuilding the table (the runner turns foreign keys off for it, then
-- checks them): the new table is filled, the old one dropped, the new one renamed. The triggers that name a
-- rebuilt table are dropped first and made again after.

DROP TRIGGER mentions_count_insert;
DROP TRIGGER mentions_count_delete;

CREATE TABLE actors_new (
    id             INTEGER PRIMARY KEY,
    kind           TEXT NOT NULL CHECK (kind IN ('person', 'organization', 'place', 'group', 'product', 'event', 'index')),
    key            TEXT NOT NULL,
    name           TEXT NOT NULL,
    publication    INTEGER NOT NULL DEFAULT 0,
    mention_count  INTEGER NOT NULL DEFAULT 0,
    article_count  INTEGER NOT NULL DEFAULT 0,
    UNIQUE (kind, key)
);
INSERT INTO actors_new (id, kind, key, name, publication, mention_count, article_count)
    SELECT id, kind, key, name, publication, mention_count, article_count FROM actors;
DROP TABLE actors;
ALTER TABLE actors_new RENAME TO actors;
CREATE INDEX actors_mention_count ON actors (mention_count DESC);

CREATE TRIGGER mentions_count_insert AFTER INSERT ON mentions BEGIN
    UPDATE actors SET mention_count = mention_count + 1,
        article_count = article_count + NOT EXISTS (
            SELECT 1 FROM mentions m WHERE m.actor_id = new.actor_id AND m.article_id = new.article_id
            AND m.id != new.id)
    WHERE id = new.actor_id;
END;
CREATE TRIGGER mentions_count_delete AFTER DELETE ON mentions BEGIN
    UPDATE actors SET mention_count = mention_count - 1,
        article_count = article_count - NOT EXISTS (
            SELECT 1 FROM mentions m WHERE m.actor_id = old.actor_id AND m.article_id = old.article_id)
    WHERE id = old.actor_id;
END;

CREATE TABLE events_new (
    id           INTEGER PRIMARY KEY,
    value        TEXT NOT NULL,
    granularity  TEXT NOT NULL,
    first        TEXT NOT NULL,
    last         TEXT NOT NULL,
    certainty    TEXT NOT NULL CHECK (certainty IN ('high', 'medium', 'low', 'reported')),
    status       TEXT NOT NULL DEFAULT 'happened' CHECK (status IN ('happened', 'expected')),
    text         TEXT NOT NULL,
    article_id   INTEGER REFERENCES articles (id) ON DELETE SET NULL
);
INSERT INTO events_new (id, value, granularity, first, last, certainty, text, article_id)
    SELECT id, value, granularity, first, last, certainty, text, article_id FROM events;
DROP TABLE events;
ALTER TABLE events_new RENAME TO events;
CREATE INDEX events_first ON events (first, last);
CREATE INDEX events_value ON events (value);
CREATE TRIGGER events_fts_insert AFTER INSERT ON events BEGIN
    INSERT INTO events_fts (rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER events_fts_delete AFTER DELETE ON events BEGIN
    INSERT INTO events_fts (events_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER events_fts_update AFTER UPDATE OF text ON events BEGIN
    INSERT INTO events_fts (events_fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO events_fts (rowid, text) VALUES (new.id, new.text);
END;

ALTER TABLE event_actors ADD COLUMN central INTEGER NOT NULL DEFAULT 0;

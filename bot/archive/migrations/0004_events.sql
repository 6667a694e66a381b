-- Events: dated sentences, one event for the same happening however many articles report it.

CREATE TABLE events (
    id           INTEGER PRIMARY KEY,
    value        TEXT NOT NULL,             -- TimeML value of its date
    granularity  TEXT NOT NULL,
    first        TEXT NOT NULL,             -- the days it covers (ISO dates), for ordering and ranges
    last         TEXT NOT NULL,
    certainty    TEXT NOT NULL CHECK (certainty IN ('high', 'medium', 'low')),
    text         TEXT NOT NULL,             -- the sentence of one of its sources ...
    article_id   INTEGER REFERENCES articles (id) ON DELETE SET NULL  -- ... this one
);
CREATE INDEX events_first ON events (first, last);
CREATE INDEX events_value ON events (value);

CREATE TABLE event_sources (
    event_id    INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    sentence    INTEGER NOT NULL,
    timex       TEXT NOT NULL,              -- the words that date it in this article
    PRIMARY KEY (event_id, article_id, sentence)
) WITHOUT ROWID;
CREATE INDEX event_sources_article ON event_sources (article_id);

CREATE TABLE event_actors (                 -- who is in the event, by the article that says so
    event_id    INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    actor_id    INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    PRIMARY KEY (event_id, actor_id, article_id)
) WITHOUT ROWID;
CREATE INDEX event_actors_actor ON event_actors (actor_id, event_id);
CREATE INDEX event_actors_article ON event_actors (article_id);

CREATE VIRTUAL TABLE events_fts USING fts5 (
    text, content = 'events', content_rowid = 'id', tokenize = 'porter unicode61 remove_diacritics 2'
);
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

-- Direct quotations, with their speakers resolved to actors where the article names them.

CREATE TABLE quotes (
    id             INTEGER PRIMARY KEY,
    article_id     INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    actor_id       INTEGER REFERENCES actors (id) ON DELETE SET NULL,  -- NULL: an unnamed or unknown speaker
    speaker        TEXT,                    -- the actor's name, or an unnamed source's description
    speaker_start  INTEGER,                 -- where the attribution refers to the speaker, in articles.body
    speaker_end    INTEGER,
    cue            TEXT,
    sentence       INTEGER NOT NULL,
    start          INTEGER NOT NULL,        -- the quotation, marks included, in articles.body
    end            INTEGER NOT NULL,
    text           TEXT NOT NULL            -- the quoted words, without the marks
);
CREATE INDEX quotes_actor ON quotes (actor_id, article_id);
CREATE INDEX quotes_article ON quotes (article_id);

CREATE VIRTUAL TABLE quotes_fts USING fts5 (
    text, speaker,
    content = 'quotes', content_rowid = 'id',
    tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER quotes_fts_insert AFTER INSERT ON quotes BEGIN
    INSERT INTO quotes_fts (rowid, text, speaker) VALUES (new.id, new.text, new.speaker);
END;
CREATE TRIGGER quotes_fts_delete AFTER DELETE ON quotes BEGIN
    INSERT INTO quotes_fts (quotes_fts, rowid, text, speaker) VALUES ('delete', old.id, old.text, old.speaker);
END;
CREATE TRIGGER quotes_fts_update AFTER UPDATE OF text, speaker ON quotes BEGIN
    INSERT INTO quotes_fts (quotes_fts, rowid, text, speaker) VALUES ('delete', old.id, old.text, old.speaker);
    INSERT INTO quotes_fts (rowid, text, speaker) VALUES (new.id, new.text, new.speaker);
END;

-- The archive: articles, the files they came from, a full-text index, and a log of ingest runs.

CREATE TABLE articles (
    id           INTEGER PRIMARY KEY,
    content_sha  TEXT NOT NULL UNIQUE,      -- of the normalised text: the same text under two names is one article
    recipe_sha   TEXT NOT NULL,             -- of the metadata and parser version that made this row
    encoding     TEXT NOT NULL,
    title        TEXT NOT NULL,
    title_from   TEXT NOT NULL CHECK (title_from IN ('headline', 'lede', 'metadata')),
    byline       TEXT,
    author       TEXT,
    source       TEXT,
    source_from  TEXT CHECK (source_from IN ('byline', 'dateline', 'attribution', 'metadata')),
    republisher  TEXT,
    published    TEXT,                      -- ISO date, from metadata
    url          TEXT,
    word_count   INTEGER NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    -- The long texts last: reading the short columns above never walks their overflow pages.
    body         TEXT NOT NULL,             -- clean: no headline, byline or site furniture
    raw_text     TEXT NOT NULL              -- exactly as read (decoded with `encoding`)
);
CREATE INDEX articles_published ON articles (published);

CREATE TABLE files (
    id          INTEGER PRIMARY KEY,
    path        TEXT NOT NULL UNIQUE,       -- absolute
    size        INTEGER NOT NULL,
    mtime_ns    INTEGER NOT NULL,
    byte_sha    TEXT,
    recipe_sha  TEXT,                       -- metadata and parser version last applied to this file
    status      TEXT NOT NULL CHECK (status IN ('ok', 'duplicate', 'skipped', 'missing')),
    reason      TEXT,                       -- why skipped, or what it duplicates
    article_id  INTEGER REFERENCES articles (id) ON DELETE SET NULL,
    first_seen  TEXT NOT NULL,
    last_seen   TEXT NOT NULL
);
CREATE INDEX files_article ON files (article_id);
CREATE INDEX files_status ON files (status);

CREATE VIRTUAL TABLE articles_fts USING fts5 (
    title, body,
    content = 'articles', content_rowid = 'id',
    tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, body ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
    INSERT INTO articles_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
END;

CREATE TABLE ingest_runs (
    id           INTEGER PRIMARY KEY,
    folder       TEXT NOT NULL,
    started_at   TEXT NOT NULL,
    finished_at  TEXT,                      -- NULL: still running, or interrupted
    added        INTEGER NOT NULL DEFAULT 0,
    updated      INTEGER NOT NULL DEFAULT 0,
    unchanged    INTEGER NOT NULL DEFAULT 0,
    duplicates   INTEGER NOT NULL DEFAULT 0,
    skipped      INTEGER NOT NULL DEFAULT 0,
    missing      INTEGER NOT NULL DEFAULT 0
);

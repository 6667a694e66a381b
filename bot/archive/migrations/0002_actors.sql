-- What the language pipeline finds in each article: sentences, actors, their mentions and descriptions.
-- Everything per article goes when its article goes (ON DELETE CASCADE); actors are archive-wide.

CREATE TABLE sentences (
    article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    idx         INTEGER NOT NULL,
    start       INTEGER NOT NULL,           -- character offsets in articles.body
    end         INTEGER NOT NULL,
    score       REAL NOT NULL DEFAULT 0,    -- importance, for summaries
    PRIMARY KEY (article_id, idx)
) WITHOUT ROWID;

CREATE TABLE actors (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('person', 'organization', 'place', 'group')),
    key          TEXT NOT NULL,             -- the normalised full name: the same full name is the same actor
    name         TEXT NOT NULL,
    publication  INTEGER NOT NULL DEFAULT 0,
    UNIQUE (kind, key)
);

CREATE TABLE actor_aliases (
    actor_id  INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    key       TEXT NOT NULL,
    alias     TEXT NOT NULL,
    PRIMARY KEY (actor_id, key)
) WITHOUT ROWID;
CREATE INDEX actor_aliases_key ON actor_aliases (key);

CREATE TABLE mentions (
    id          INTEGER PRIMARY KEY,
    article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    actor_id    INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    sentence    INTEGER NOT NULL,
    start       INTEGER NOT NULL,
    end         INTEGER NOT NULL,
    text        TEXT NOT NULL,
    label       TEXT NOT NULL
);
CREATE INDEX mentions_actor ON mentions (actor_id, article_id);
CREATE INDEX mentions_article ON mentions (article_id, sentence, actor_id);

CREATE TABLE descriptions (
    id          INTEGER PRIMARY KEY,
    article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    actor_id    INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    text        TEXT NOT NULL,
    sentence    INTEGER NOT NULL,
    start       INTEGER NOT NULL,
    end         INTEGER NOT NULL
);
CREATE INDEX descriptions_actor ON descriptions (actor_id, article_id);
CREATE INDEX descriptions_article ON descriptions (article_id);

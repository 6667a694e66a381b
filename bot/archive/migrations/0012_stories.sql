-- Stories: the articles about one happening, across outlets and days, grouped as they are stored (an online
-- clustering over their words, their actors and their dates: bot/nlp/stories.py). A copy (0011) is in the story
-- of the article it copies. An article placed in no story yet (one stored before this migration) is placed by the
-- next ingest, in the order the articles were stored.

CREATE TABLE stories (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: an alert names a story for good
    title         TEXT NOT NULL,     -- its most representative headline
    title_article INTEGER,           -- the article that headline is from
    title_score   REAL NOT NULL,     -- how close that article is to the story (when it last joined)
    title_vector  TEXT NOT NULL,     -- that article's word vector (JSON), to weigh the next one against it
    first_seen    TEXT NOT NULL,     -- the earliest and latest day of its articles (published, else stored)
    last_seen     TEXT NOT NULL,
    articles      INTEGER NOT NULL DEFAULT 0,  -- its articles, copies not counted (kept by the triggers below)
    centroid      TEXT NOT NULL,     -- JSON {word: weight}: the sum of its articles' word vectors, the top ones
    centroid_norm REAL NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX stories_last_seen ON stories (last_seen);

ALTER TABLE articles ADD COLUMN story_id INTEGER REFERENCES stories (id) ON DELETE SET NULL;
CREATE INDEX articles_story ON articles (story_id);

-- The actors of a story's articles (publications left out), with in how many of its articles each is named.
CREATE TABLE story_actors (
    story_id INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    actor_id INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    articles INTEGER NOT NULL,
    PRIMARY KEY (story_id, actor_id)
) WITHOUT ROWID;
CREATE INDEX story_actors_actor ON story_actors (actor_id, story_id);

-- How a new article finds the stories it may belong to: each article's leading words ('t:word') and actors
-- ('a:id') under its story and its day, so that a lookup reads only the days around the new article's.
CREATE TABLE story_keys (
    key      TEXT NOT NULL,
    day      TEXT NOT NULL,
    story_id INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    PRIMARY KEY (key, day, story_id)
) WITHOUT ROWID;
CREATE INDEX story_keys_story ON story_keys (story_id);

-- In how many placed articles each word occurs (its rarity weighs it); the empty word counts the articles.
CREATE TABLE story_word_counts (
    term TEXT PRIMARY KEY,
    articles INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TRIGGER stories_count_insert AFTER INSERT ON articles
WHEN new.story_id IS NOT NULL AND new.copy_of IS NULL BEGIN
    UPDATE stories SET articles = articles + 1 WHERE id = new.story_id;
END;
CREATE TRIGGER stories_count_update AFTER UPDATE OF story_id, copy_of ON articles BEGIN
    UPDATE stories SET articles = articles - 1 WHERE id = old.story_id AND old.copy_of IS NULL;
    UPDATE stories SET articles = articles + 1 WHERE id = new.story_id AND new.copy_of IS NULL;
END;
CREATE TRIGGER stories_count_delete AFTER DELETE ON articles WHEN old.story_id IS NOT NULL BEGIN
    UPDATE stories SET articles = articles - 1 WHERE id = old.story_id AND old.copy_of IS NULL;
    -- A story none of whose articles is left goes with them.
    DELETE FROM stories WHERE id = old.story_id AND NOT EXISTS (SELECT 1 FROM articles WHERE story_id = old.story_id);
END;

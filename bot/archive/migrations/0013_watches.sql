-- Watches: a server asks to hear, in a channel, of each new story that mentions an actor or matches a topic;
-- and the alerts they raise, one per (watch, story) for good.

CREATE TABLE watches (
    id            INTEGER PRIMARY KEY,
    guild_id      INTEGER NOT NULL,
    channel_id    INTEGER NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('actor', 'topic')),
    actor_id      INTEGER REFERENCES actors (id) ON DELETE CASCADE,
    topic         TEXT,                      -- its FTS5 terms (fts.query_terms), a JSON list
    label         TEXT NOT NULL,             -- what the user asked, for lists
    added_by      TEXT,
    added_at      TEXT NOT NULL,
    since_id      INTEGER NOT NULL,          -- articles with a greater id are new to it
    paused_reason TEXT,                      -- why it stopped alerting (its channel refused a post)
    paused_at     TEXT,
    CHECK ((kind = 'actor') = (actor_id IS NOT NULL) AND (kind = 'topic') = (topic IS NOT NULL))
);
-- One watch per server and thing watched (coalesce: a NULL would make every row distinct).
CREATE UNIQUE INDEX watches_one ON watches (guild_id, kind, coalesce(actor_id, 0), coalesce(topic, ''));
CREATE INDEX watches_channel ON watches (channel_id);

CREATE TABLE alerts (
    id         INTEGER PRIMARY KEY,
    watch_id   INTEGER NOT NULL REFERENCES watches (id) ON DELETE CASCADE,
    story_id   INTEGER NOT NULL,             -- stories.id is never reused; no foreign key, the alert is history
    article_id INTEGER NOT NULL,             -- the article that matched first
    sentence   INTEGER,                      -- the matching sentence's index; NULL: the headline matched
    status     TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'interrupted')),
    gathered   INTEGER NOT NULL DEFAULT 0,   -- sent within one message gathering several (the rate limit)
    created_at TEXT NOT NULL,
    channel_id INTEGER,                      -- where it was posted (the rate limit counts a channel's posts)
    post       INTEGER,                      -- the alerts of one message share this: the id of its first alert
    claimed_at TEXT,
    sent_at    TEXT,
    UNIQUE (watch_id, story_id)              -- more articles of the same story alert no one again
);
CREATE INDEX alerts_status ON alerts (status, watch_id);

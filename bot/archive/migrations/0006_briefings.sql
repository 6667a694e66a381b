-- The daily briefing: one schedule per server, kept here so a restart neither repeats nor drops a post.

CREATE TABLE briefings (
    guild_id         INTEGER PRIMARY KEY,
    channel_id       INTEGER NOT NULL,
    post_time        TEXT NOT NULL,               -- HH:MM, local time
    timezone         TEXT NOT NULL,               -- IANA name, e.g. Asia/Baghdad
    when_empty       TEXT NOT NULL CHECK (when_empty IN ('say', 'quiet')),
    now_in_channel   INTEGER NOT NULL DEFAULT 0,  -- /briefing now: 1 posts in the channel, 0 answers the asker only
    enabled          INTEGER NOT NULL DEFAULT 1,
    paused_reason    TEXT,                        -- why posting stopped (lost permission, deleted channel)
    paused_at        TEXT,
    last_local_date  TEXT,                        -- the local day last posted (or skipped): at most one a day
    last_outcome     TEXT,  -- posting (claimed), posted, quiet (nothing new), skipped (the bot was down at the
                            -- time), interrupted (the bot stopped while posting: not sent again)
    last_posted_at   TEXT,                        -- UTC
    since_id         INTEGER NOT NULL,            -- articles with a greater id are new to the next briefing
    since_at         TEXT NOT NULL,               -- when that article was the newest (UTC), to say "new since"
    updated_at       TEXT NOT NULL
);

CREATE INDEX articles_created ON articles (created_at);

-- Article titles by trigrams, for the article picker: "electi" finds "Election results" (the porter-stemmed
-- search index keeps only "elect").
CREATE VIRTUAL TABLE article_titles_fts USING fts5 (
    title, content = 'articles', content_rowid = 'id', tokenize = 'trigram'
);
INSERT INTO article_titles_fts (article_titles_fts) VALUES ('rebuild');
CREATE TRIGGER article_titles_insert AFTER INSERT ON articles BEGIN
    INSERT INTO article_titles_fts (rowid, title) VALUES (new.id, new.title);
END;
CREATE TRIGGER article_titles_delete AFTER DELETE ON articles BEGIN
    INSERT INTO article_titles_fts (article_titles_fts, rowid, title) VALUES ('delete', old.id, old.title);
END;
CREATE TRIGGER article_titles_update AFTER UPDATE OF title ON articles BEGIN
    INSERT INTO article_titles_fts (article_titles_fts, rowid, title) VALUES ('delete', old.id, old.title);
    INSERT INTO article_titles_fts (rowid, title) VALUES (new.id, new.title);
END;

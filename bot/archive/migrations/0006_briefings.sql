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
    last_outcome     TEXT,                        -- posted, quiet (nothing new), skipped (the bot was down)
    last_posted_at   TEXT,                        -- UTC
    since            TEXT NOT NULL,               -- articles stored after this (UTC) are new to the next briefing
    updated_at       TEXT NOT NULL
);

CREATE INDEX articles_created ON articles (created_at);

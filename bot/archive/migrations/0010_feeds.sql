-- Feeds (RSS 2.0, RSS 1.0/RDF, Atom) the bot polls, and the items it has taken from them. An item's article is
-- stored like a file's: in `files`, under the item's canonical URL as its path.

CREATE TABLE feeds (
    id               INTEGER PRIMARY KEY,
    url              TEXT NOT NULL UNIQUE,        -- canonical: tracking parameters and fragment dropped
    name             TEXT,                        -- as the owner named it, else the feed's own title
    added_by         TEXT,
    added_at         TEXT NOT NULL,
    enabled          INTEGER NOT NULL DEFAULT 1,
    disabled_reason  TEXT,                        -- why it stopped being polled (kept failing, gone, refused)
    etag             TEXT,                        -- for a conditional GET
    last_modified    TEXT,
    last_fetch_at    TEXT,
    last_outcome     TEXT,                        -- ok, not modified, failed
    last_new         INTEGER NOT NULL DEFAULT 0,  -- items new at the last fetch
    items_total      INTEGER NOT NULL DEFAULT 0,
    last_error       TEXT,
    failures         INTEGER NOT NULL DEFAULT 0,  -- in a row
    first_failure_at TEXT,                        -- the first of those
    next_fetch_at    TEXT                         -- not before (Retry-After, backoff)
);

CREATE TABLE feed_items (
    id        INTEGER PRIMARY KEY,
    feed_id   INTEGER NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
    guid      TEXT NOT NULL,                      -- the item's id in its feed, else its link
    url       TEXT,                               -- canonical
    outcome   TEXT NOT NULL,                      -- added, duplicate, skipped, ... as for a file
    reason    TEXT,
    seen_at   TEXT NOT NULL,
    UNIQUE (feed_id, guid)
);
CREATE INDEX feed_items_url ON feed_items (url);

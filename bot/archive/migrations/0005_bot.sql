-- The Discord bot's own state, and typo-tolerant actor lookup.

-- Small named values the bot keeps across restarts (e.g. the fingerprint of the commands last synced).
CREATE TABLE bot_state (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
) WITHOUT ROWID;

-- One row per actor (rowid = actor id) holding all its alias keys, indexed by trigrams, so "McGurck" still
-- finds McGurk. Kept in step with actor_aliases by the triggers below (deletes by rowid stay cheap).
CREATE VIRTUAL TABLE actor_names_fts USING fts5 (keys, tokenize = 'trigram');
INSERT INTO actor_names_fts (rowid, keys)
    SELECT actor_id, group_concat(key, ' | ') FROM actor_aliases GROUP BY actor_id;

CREATE TRIGGER actor_aliases_names_insert AFTER INSERT ON actor_aliases BEGIN
    DELETE FROM actor_names_fts WHERE rowid = new.actor_id;
    INSERT INTO actor_names_fts (rowid, keys)
        SELECT new.actor_id, group_concat(key, ' | ') FROM actor_aliases WHERE actor_id = new.actor_id;
END;
CREATE TRIGGER actor_aliases_names_delete AFTER DELETE ON actor_aliases BEGIN
    DELETE FROM actor_names_fts WHERE rowid = old.actor_id;
    INSERT INTO actor_names_fts (rowid, keys)
        SELECT old.actor_id, group_concat(key, ' | ') FROM actor_aliases WHERE actor_id = old.actor_id
        HAVING count(*) > 0;
END;

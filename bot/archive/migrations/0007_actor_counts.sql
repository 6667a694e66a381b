-- How often each actor is mentioned, and in how many articles, kept as the mentions come and go: a profile, a
-- picker or "the most mentioned" reads two numbers instead of counting a million mentions.

ALTER TABLE actors ADD COLUMN mention_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE actors ADD COLUMN article_count INTEGER NOT NULL DEFAULT 0;
UPDATE actors SET
    mention_count = (SELECT count(*) FROM mentions m WHERE m.actor_id = actors.id),
    article_count = (SELECT count(DISTINCT article_id) FROM mentions m WHERE m.actor_id = actors.id);
CREATE INDEX actors_mention_count ON actors (mention_count DESC);

CREATE TRIGGER mentions_count_insert AFTER INSERT ON mentions BEGIN
    UPDATE actors SET mention_count = mention_count + 1,
        article_count = article_count + NOT EXISTS (
            SELECT 1 FROM mentions m WHERE m.actor_id = new.actor_id AND m.article_id = new.article_id
            AND m.id != new.id)
    WHERE id = new.actor_id;
END;
CREATE TRIGGER mentions_count_delete AFTER DELETE ON mentions BEGIN
    UPDATE actors SET mention_count = mention_count - 1,
        article_count = article_count - NOT EXISTS (
            SELECT 1 FROM mentions m WHERE m.actor_id = old.actor_id AND m.article_id = old.article_id)
    WHERE id = old.actor_id;
END;

-- What the archive's figures read (/archive status): covering indexes, so counting 200,000 articles never reads
-- their text.
CREATE INDEX articles_published_words ON articles (published, word_count);
CREATE INDEX articles_source ON articles (source);

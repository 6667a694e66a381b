-- Syndicated copies: the same article under another headline or byline, or with a paragraph added or cut, is one
-- piece of news. Each article's MinHash signature and its LSH band keys find candidates; a copy points at the
-- article it copies (the first one stored), and lists count that one once, naming every copy's source.

ALTER TABLE articles ADD COLUMN copy_of INTEGER REFERENCES articles (id) ON DELETE SET NULL;
CREATE INDEX articles_copies ON articles (copy_of) WHERE copy_of IS NOT NULL;

CREATE TABLE article_signatures (
    article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    signature  BLOB NOT NULL
);

CREATE TABLE article_bands (
    band_key   INTEGER NOT NULL,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    PRIMARY KEY (band_key, article_id)
) WITHOUT ROWID;
CREATE INDEX article_bands_article ON article_bands (article_id);

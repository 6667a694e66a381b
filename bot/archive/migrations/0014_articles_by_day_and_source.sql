-- The archive's picture counts articles per day and source: a covering index in that order lets the count run
-- along it (no table scan, no temporary tree), a fraction of a second at 200,000 articles.
CREATE INDEX articles_published_source ON articles (published, source);

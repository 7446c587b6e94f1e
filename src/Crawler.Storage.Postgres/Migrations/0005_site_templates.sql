-- Learned site templates, one per host: keyed hashes and counts (no page text), kept with the crawl state so that a
-- later run of any target on the host starts from what earlier runs learned (issue 22, item 3).
CREATE TABLE site_templates (
    host text PRIMARY KEY,
    json text NOT NULL
);

GRANT SELECT, INSERT, UPDATE ON site_templates TO crawler_app;

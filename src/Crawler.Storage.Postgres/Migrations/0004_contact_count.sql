-- The contact cap is decided from a counter kept beside the mandate's usage, under the row lock that admits its hits:
-- counting the mandate's contacts for every hit grew with the mandate (a crawl of n pages read n²/2 rows).
ALTER TABLE mandate_usage ADD COLUMN contacts bigint NOT NULL DEFAULT 0;

INSERT INTO mandate_usage (mandate_id) SELECT DISTINCT mandate_id FROM contacts ON CONFLICT (mandate_id) DO NOTHING;
UPDATE mandate_usage u SET contacts = (SELECT count(*) FROM contacts c WHERE c.mandate_id = u.mandate_id);

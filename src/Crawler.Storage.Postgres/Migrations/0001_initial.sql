-- The crawler's schema on PostgreSQL: the same aggregates as the LiteDB file. Domain records are kept as JSON (as in
-- LiteDB); what a query selects, orders or locks on is a column of its own.

CREATE TABLE installation (
    id int PRIMARY KEY CHECK (id = 1),
    lab boolean NOT NULL,
    created_at timestamptz NOT NULL
);

CREATE TABLE users (
    name text PRIMARY KEY,
    json text NOT NULL,
    credential text NOT NULL
);

CREATE TABLE tokens (
    sha256 text PRIMARY KEY,
    user_name text NOT NULL,
    json text NOT NULL
);
CREATE INDEX tokens_user ON tokens (user_name);

CREATE TABLE targets (
    id bigserial PRIMARY KEY,
    name text NOT NULL UNIQUE,
    json text NOT NULL
);

CREATE TABLE mandates (
    id bigserial PRIMARY KEY,
    revision bigint NOT NULL,
    status text NOT NULL,
    json text NOT NULL
);

-- One row, moved by every mandate write: how another process learns that the mandate it holds may be stale.
CREATE TABLE mandate_changes (
    id int PRIMARY KEY CHECK (id = 1),
    stamp bigint NOT NULL
);
INSERT INTO mandate_changes VALUES (1, 0);

-- Also the row a hit's admission locks: the caps are decided in one writer order per mandate.
CREATE TABLE mandate_usage (
    mandate_id bigint PRIMARY KEY,
    pages bigint NOT NULL DEFAULT 0,
    hits bigint NOT NULL DEFAULT 0
);

CREATE TABLE contacts (
    key text PRIMARY KEY,
    mandate_id bigint NOT NULL
);
CREATE INDEX contacts_mandate ON contacts (mandate_id);

CREATE TABLE hits (
    id bigserial PRIMARY KEY,
    mandate_id bigint NOT NULL,
    same_key text NOT NULL,
    url text NOT NULL,
    json text NOT NULL
);
CREATE INDEX hits_mandate ON hits (mandate_id, id);
CREATE INDEX hits_same ON hits (same_key);

CREATE TABLE snapshots (
    hit_id bigint PRIMARY KEY,
    mandate_id bigint NOT NULL,
    fetched_at_ticks bigint NOT NULL,
    sha256 text NOT NULL,
    json text NOT NULL,
    body bytea NOT NULL
);

CREATE TABLE links (
    mandate_id bigint PRIMARY KEY,
    json text NOT NULL
);

-- The trail: each entry's canonical bytes (what the HMAC covers) and its hash; its time in ticks for retention.
CREATE TABLE audit (
    sequence bigint PRIMARY KEY,
    time_ticks bigint NOT NULL,
    entry bytea NOT NULL,
    hash text NOT NULL
);

-- The chain's head: every append locks this row first, so sequence and previous hash are taken in one writer order.
CREATE TABLE audit_head (
    chain int PRIMARY KEY,
    sequence bigint NOT NULL,
    hash text NOT NULL
);
INSERT INTO audit_head VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE audit_anchor (
    id int PRIMARY KEY CHECK (id = 1),
    sequence bigint NOT NULL,
    hash text NOT NULL,
    erased_at_ticks bigint NOT NULL
);

CREATE TABLE audit_urls (
    reference text PRIMARY KEY,
    url text NOT NULL,
    mandate_id bigint,
    last_used_ticks bigint NOT NULL
);
CREATE INDEX audit_urls_last_used ON audit_urls (last_used_ticks);

CREATE TABLE runs (
    id bigserial PRIMARY KEY,
    target_id bigint NOT NULL,
    json text NOT NULL
);
CREATE INDEX runs_target ON runs (target_id, id);

CREATE TABLE frontier (
    id bigserial PRIMARY KEY,
    run_id bigint NOT NULL,
    url text NOT NULL,
    depth int NOT NULL,
    done boolean NOT NULL DEFAULT false,
    attempts int NOT NULL DEFAULT 0,
    starts int NOT NULL DEFAULT 0
);
CREATE INDEX frontier_run ON frontier (run_id, id);
-- Hashed so that the key stays short whatever the URL's length.
CREATE INDEX frontier_url ON frontier (run_id, md5(url));

CREATE TABLE run_reservations (
    run_id bigint PRIMARY KEY,
    pages int NOT NULL
);

CREATE TABLE run_leases (
    target_id bigint PRIMARY KEY,
    owner text NOT NULL,
    json text NOT NULL
);

CREATE TABLE robots (
    host text PRIMARY KEY,
    json text NOT NULL
);

-- Roles (cluster-wide, so created once): the application's may add to the trail and read it, never change or
-- remove an entry; retention's may also remove the oldest entries (and anchors the trail where it then starts).
-- A deployment logs the service in as a member of crawler_app, and retention's trimming through a login that is a
-- member of crawler_retention (see deploy/postgres.md).
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'crawler_app') THEN
        CREATE ROLE crawler_app NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'crawler_retention') THEN
        CREATE ROLE crawler_retention NOLOGIN;
    END IF;
EXCEPTION WHEN unique_violation OR duplicate_object THEN
    -- Another database of the cluster created them at the same moment.
    NULL;
END
$$;

GRANT SELECT, INSERT, UPDATE, DELETE ON installation, users, tokens, targets, mandates, mandate_changes, mandate_usage,
    contacts, hits, snapshots, links, audit_urls, runs, frontier, run_reservations, run_leases, robots TO crawler_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO crawler_app;
GRANT SELECT, INSERT ON audit TO crawler_app;
GRANT SELECT, UPDATE ON audit_head TO crawler_app;
GRANT SELECT ON audit_anchor TO crawler_app;

GRANT SELECT ON schema_version TO crawler_app, crawler_retention;

GRANT SELECT, INSERT, DELETE ON audit TO crawler_retention;
GRANT SELECT, UPDATE ON audit_head TO crawler_retention;
GRANT SELECT, INSERT, UPDATE ON audit_anchor TO crawler_retention;
GRANT SELECT, DELETE ON audit_urls TO crawler_retention;

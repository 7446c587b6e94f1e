-- Politeness across instances: when each host (scheme://authority) may next be asked. One row per host, moved by an
-- upsert that holds the row's lock, so two instances crawling one host never go faster than its delay together.
CREATE TABLE host_slots (
    host text PRIMARY KEY,
    next_at timestamptz NOT NULL
);

GRANT SELECT, INSERT, UPDATE, DELETE ON host_slots TO crawler_app;

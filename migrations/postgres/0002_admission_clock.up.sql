-- 0002_admission_clock: one row holding the last time the admission lock
-- handed out. Daemons read their clocks before they wait for the lock, so
-- without it a bot admitted later could carry an earlier queued_at or
-- deploy_started_at; with it those times order exactly as admissions did.
CREATE TABLE admission_clock (
    id smallint PRIMARY KEY CHECK (id = 1),
    last_at timestamptz NOT NULL
);
INSERT INTO admission_clock (id, last_at) VALUES (1, '1970-01-01T00:00:00Z');

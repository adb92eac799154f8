-- 0011_plans: plans as data, per-user and per-key concurrency caps, and
-- duplicate-bot refusal per meeting.
--
-- plans: a NULL limit is no limit. max_bot_duration_seconds caps (and
-- defaults) a bot's maxDurationSeconds; NULL leaves the daemon's default.
-- The four rows below are the plans the daemon knew before they were data,
-- with the same daily limits, so no user's allowance changes.
CREATE TABLE plans (
    name TEXT PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 64 AND name NOT GLOB '*[^A-Za-z0-9_-]*'),
    daily_bots INTEGER CHECK (daily_bots >= 0),
    concurrent_bots INTEGER CHECK (concurrent_bots >= 0),
    max_bot_duration_seconds INTEGER CHECK (max_bot_duration_seconds > 0)
);
INSERT INTO plans (name, daily_bots) VALUES ('FREE', 5), ('PRO', 200), ('PAY_AS_YOU_GO', NULL), ('CUSTOM', NULL);

-- users.plan, when set, wins over any subscription (and applies to admins,
-- who are otherwise unlimited). max_concurrent_bots overrides the plan's
-- concurrency cap as custom_daily_bot_limit overrides its daily limit.
-- dedup_window_seconds > 0 refuses a second live bot for one meeting
-- created within that many seconds of the first.
ALTER TABLE users ADD COLUMN plan TEXT REFERENCES plans (name) ON UPDATE CASCADE;
ALTER TABLE users ADD COLUMN max_concurrent_bots INTEGER CHECK (max_concurrent_bots >= 0);
ALTER TABLE users ADD COLUMN dedup_window_seconds INTEGER CHECK (dedup_window_seconds >= 0);

-- A key may carry its own, tighter cap; bots record the key that made them.
ALTER TABLE api_keys ADD COLUMN max_concurrent_bots INTEGER CHECK (max_concurrent_bots >= 0);
ALTER TABLE bots ADD COLUMN api_key_id INTEGER REFERENCES api_keys (id) ON DELETE SET NULL;

-- dedup_key: the request's deduplicationKey, else the meeting's URL in a
-- normal form; every bot has one, so a window set later applies to bots
-- created before.
ALTER TABLE bots ADD COLUMN dedup_key TEXT;
CREATE INDEX bots_dedup_idx ON bots (user_id, dedup_key, created_at) WHERE dedup_key IS NOT NULL;
CREATE INDEX bots_api_key_status_idx ON bots (api_key_id, status) WHERE api_key_id IS NOT NULL;
CREATE INDEX bots_user_status_idx ON bots (user_id, status);

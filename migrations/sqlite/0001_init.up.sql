-- 0001_init: meeboter's first SQLite schema (local mode).
--
-- The same tables, columns, constraints and indexes as
-- postgres/0001_init.up.sql; see the comment there for what changed from
-- the original (milo) schema and why. SQLite differences:
-- * Ids are INTEGER PRIMARY KEY (the rowid).
-- * Timestamps are TEXT in the fixed-width UTC form
--   2006-01-02T15:04:05.000000Z, so comparing strings compares times.
-- * JSON is TEXT checked with json_valid; booleans are 0/1 integers.
-- * Foreign keys only act because the store turns on PRAGMA foreign_keys.
-- schema_migrations is created by the store itself, before this file runs.

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('admin', 'member')),
    custom_daily_bot_limit INTEGER CHECK (custom_daily_bot_limit >= 0),
    created_at TEXT NOT NULL
);

CREATE TABLE api_keys (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL DEFAULT '',
    prefix TEXT NOT NULL DEFAULT '',
    hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    expires_at TEXT,
    revoked_at TEXT,
    last_used_at TEXT
);
CREATE INDEX api_keys_user_id_idx ON api_keys (user_id, id);

CREATE TABLE api_request_logs (
    id INTEGER PRIMARY KEY,
    api_key_id INTEGER NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    status INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL DEFAULT 0,
    ip TEXT NOT NULL DEFAULT '',
    error TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX api_request_logs_key_idx ON api_request_logs (api_key_id, created_at);
CREATE INDEX api_request_logs_user_idx ON api_request_logs (user_id, id);
CREATE INDEX api_request_logs_created_idx ON api_request_logs (created_at);

CREATE TABLE subscriptions (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    plan TEXT NOT NULL CHECK (plan IN ('FREE', 'PRO', 'PAY_AS_YOU_GO', 'CUSTOM')),
    daily_limit INTEGER CHECK (daily_limit >= 0),
    active INTEGER NOT NULL DEFAULT 1,
    starts_at TEXT NOT NULL,
    ends_at TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX subscriptions_user_idx ON subscriptions (user_id, starts_at);

CREATE TABLE bots (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    display_name TEXT NOT NULL DEFAULT '',
    image_url TEXT NOT NULL DEFAULT '',
    meeting TEXT NOT NULL CHECK (json_valid(meeting)),
    meeting_platform TEXT NOT NULL DEFAULT '',
    join_at TEXT,
    max_duration_ms INTEGER NOT NULL DEFAULT 0,
    automatic_leave TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(automatic_leave)),
    recording_enabled INTEGER NOT NULL DEFAULT 0,
    recording_key TEXT NOT NULL DEFAULT '',
    speaker_timeframes TEXT CHECK (speaker_timeframes IS NULL OR json_valid(speaker_timeframes)),
    status TEXT NOT NULL CHECK (status IN ('SCHEDULED', 'QUEUED', 'DEPLOYING', 'JOINING_CALL',
        'IN_WAITING_ROOM', 'IN_CALL', 'LEAVING', 'CALL_ENDED', 'DONE', 'FATAL')),
    end_reason TEXT NOT NULL DEFAULT '',
    end_detail TEXT NOT NULL DEFAULT '',
    last_heartbeat_at TEXT,
    log_level TEXT NOT NULL DEFAULT '',
    callback_url TEXT NOT NULL DEFAULT '',
    deployment_platform TEXT,
    platform_identifier TEXT,
    metadata TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata)),
    priority INTEGER NOT NULL DEFAULT 0,
    queue_timeout_ms INTEGER NOT NULL DEFAULT 0,
    queued_at TEXT,
    deploy_started_at TEXT,
    joined_at TEXT,
    ended_at TEXT,
    agent_token_hash TEXT UNIQUE,
    deploy_claim_holder TEXT,
    deploy_claim_until TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX bots_user_idx ON bots (user_id, id);
CREATE INDEX bots_user_created_idx ON bots (user_id, created_at);
CREATE INDEX bots_status_idx ON bots (status);
CREATE INDEX bots_platform_status_idx ON bots (deployment_platform, status);
CREATE INDEX bots_platform_identifier_idx ON bots (platform_identifier) WHERE platform_identifier IS NOT NULL;
CREATE INDEX bots_scheduled_join_idx ON bots (join_at) WHERE status = 'SCHEDULED';
CREATE INDEX bots_ended_idx ON bots (ended_at) WHERE ended_at IS NOT NULL;

CREATE TABLE bot_events (
    id INTEGER PRIMARY KEY,
    bot_id INTEGER NOT NULL REFERENCES bots (id) ON DELETE CASCADE,
    event_type TEXT NOT NULL,
    event_time TEXT NOT NULL,
    data TEXT CHECK (data IS NULL OR json_valid(data)),
    created_at TEXT NOT NULL
);
CREATE INDEX bot_events_bot_idx ON bot_events (bot_id, id);
CREATE INDEX bot_events_bot_time_idx ON bot_events (bot_id, event_time);

CREATE TABLE bot_logs (
    id INTEGER PRIMARY KEY,
    bot_id INTEGER NOT NULL REFERENCES bots (id) ON DELETE CASCADE,
    entry_id TEXT NOT NULL,
    logged_at TEXT NOT NULL,
    level TEXT NOT NULL DEFAULT '',
    message TEXT NOT NULL DEFAULT '',
    fields TEXT CHECK (fields IS NULL OR json_valid(fields)),
    UNIQUE (bot_id, entry_id)
);
CREATE INDEX bot_logs_bot_idx ON bot_logs (bot_id, id);

CREATE TABLE message_templates (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    messages TEXT NOT NULL CHECK (json_valid(messages)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX message_templates_user_idx ON message_templates (user_id, id);

CREATE TABLE bot_chat_messages (
    id INTEGER PRIMARY KEY,
    bot_id INTEGER NOT NULL REFERENCES bots (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    template_id INTEGER REFERENCES message_templates (id) ON DELETE SET NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'expired')),
    enqueued_at TEXT NOT NULL,
    sent_at TEXT
);
CREATE INDEX bot_chat_messages_dequeue_idx ON bot_chat_messages (bot_id, status, id);
CREATE INDEX bot_chat_messages_template_idx ON bot_chat_messages (template_id) WHERE template_id IS NOT NULL;

CREATE TABLE bot_screenshots (
    id INTEGER PRIMARY KEY,
    bot_id INTEGER NOT NULL REFERENCES bots (id) ON DELETE CASCADE,
    blob_key TEXT NOT NULL,
    shot_type TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT '',
    capture_trigger TEXT NOT NULL DEFAULT '',
    size INTEGER NOT NULL DEFAULT 0,
    captured_at TEXT NOT NULL
);
CREATE INDEX bot_screenshots_bot_idx ON bot_screenshots (bot_id, id);

CREATE TABLE pool_slots (
    id INTEGER PRIMARY KEY,
    platform TEXT NOT NULL,
    meeting_platform TEXT NOT NULL,
    name TEXT NOT NULL UNIQUE,
    application_uuid TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL DEFAULT 'IDLE' CHECK (status IN ('IDLE', 'DEPLOYING', 'HEALTHY', 'ERROR')),
    assigned_bot_id INTEGER UNIQUE REFERENCES bots (id) ON DELETE SET NULL,
    token_hash TEXT NOT NULL DEFAULT '',
    last_used_at TEXT,
    error_message TEXT NOT NULL DEFAULT '',
    recovery_attempts INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE INDEX pool_slots_claim_idx ON pool_slots (platform, meeting_platform, status, last_used_at);

CREATE TABLE deployment_queue (
    bot_id INTEGER PRIMARY KEY REFERENCES bots (id) ON DELETE CASCADE,
    priority INTEGER NOT NULL DEFAULT 0,
    queued_at TEXT NOT NULL,
    timeout_at TEXT
);
CREATE INDEX deployment_queue_order_idx ON deployment_queue (priority, queued_at, bot_id);
CREATE INDEX deployment_queue_timeout_idx ON deployment_queue (timeout_at) WHERE timeout_at IS NOT NULL;

CREATE TABLE idempotency_keys (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    idem_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status INTEGER NOT NULL,
    body BLOB NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, idem_key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);

CREATE TABLE leader_leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

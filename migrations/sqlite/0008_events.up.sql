-- 0008_events: webhook endpoints, an outbox for every bot event, and the
-- change feed behind the live streams. Same tables as
-- postgres/0005_events.up.sql, which explains them.
CREATE TABLE webhook_endpoints (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    event_types TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(event_types)),
    secret TEXT NOT NULL,
    previous_secret TEXT,
    previous_until TEXT,
    failing_since TEXT,
    disabled_at TEXT,
    disabled_reason TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX webhook_endpoints_user_idx ON webhook_endpoints (user_id, id);

-- SQLite cannot drop a NOT NULL constraint in place (endpoint events have
-- no bot), so the outbox is rebuilt with its new columns; no table refers
-- to it.
CREATE TABLE webhook_deliveries_v5 (
    id INTEGER PRIMARY KEY,
    bot_id INTEGER REFERENCES bots (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    event TEXT NOT NULL,
    status TEXT NOT NULL,
    payload TEXT NOT NULL CHECK (json_valid(payload)),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    last_status INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    delivered_at TEXT,
    claim_holder TEXT,
    claim_until TEXT,
    created_at TEXT NOT NULL,
    endpoint_id INTEGER REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    message_id TEXT NOT NULL DEFAULT '',
    sequence_key TEXT NOT NULL DEFAULT '',
    last_latency_ms INTEGER NOT NULL DEFAULT 0,
    last_response TEXT NOT NULL DEFAULT '',
    last_attempt_at TEXT
);
INSERT INTO webhook_deliveries_v5 (id, bot_id, user_id, url, event, status, payload, attempts, next_attempt_at,
    last_status, last_error, delivered_at, claim_holder, claim_until, created_at, message_id, sequence_key)
SELECT id, bot_id, user_id, url, event, status, payload, attempts, next_attempt_at, last_status, last_error,
    delivered_at, claim_holder, claim_until, created_at, 'msg_' || id, 'b' || bot_id || ':callback'
FROM webhook_deliveries;
DROP TABLE webhook_deliveries;
ALTER TABLE webhook_deliveries_v5 RENAME TO webhook_deliveries;
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at, id) WHERE next_attempt_at IS NOT NULL;
CREATE INDEX webhook_deliveries_bot_idx ON webhook_deliveries (bot_id, id);
CREATE INDEX webhook_deliveries_sequence_idx ON webhook_deliveries (sequence_key, id) WHERE next_attempt_at IS NOT NULL;
CREATE INDEX webhook_deliveries_endpoint_idx ON webhook_deliveries (endpoint_id, id) WHERE endpoint_id IS NOT NULL;
CREATE INDEX webhook_deliveries_user_idx ON webhook_deliveries (user_id, id);

CREATE TABLE stream_clock (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL
);
INSERT INTO stream_clock (id, seq) VALUES (1, 0);
CREATE TABLE stream_changes (
    seq INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL,
    bot_id INTEGER NOT NULL,
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX stream_changes_user_idx ON stream_changes (user_id, seq);
CREATE INDEX stream_changes_created_idx ON stream_changes (created_at);

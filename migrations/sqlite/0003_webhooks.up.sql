-- 0003_webhooks: the outbox of bot status webhooks. A terminal transition of
-- a bot with a callback URL inserts one row in the same transaction, so an
-- ended bot's webhook is never lost to a crash. A row is due while
-- next_attempt_at is set; delivered_at is set on success, and a row given up
-- on has neither. claim_holder and claim_until lease a row to the daemon
-- attempting it. Same table as postgres/0003_webhooks.up.sql.
CREATE TABLE webhook_deliveries (
    id INTEGER PRIMARY KEY,
    bot_id INTEGER NOT NULL REFERENCES bots (id) ON DELETE CASCADE,
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
    created_at TEXT NOT NULL
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at, id) WHERE next_attempt_at IS NOT NULL;
CREATE INDEX webhook_deliveries_bot_idx ON webhook_deliveries (bot_id, id);

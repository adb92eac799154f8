-- 0006_coolify_pool: what the Coolify warm pool needs in the database, so
-- that every daemon sharing it agrees (the original kept most of this in
-- process memory, W40). Same tables and columns as
-- postgres/0006_coolify_pool.up.sql.
--
-- pool_slots is rebuilt (SQLite cannot drop NOT NULL or change a CHECK in
-- place):
-- * application_uuid may be NULL: admission creates the row, inside its
--   transaction, before the daemon creates the Coolify application (the
--   original stored a "pending-<uuid>" placeholder, W33).
-- * slot_number is the NNN of the name, unique per platform and meeting
--   platform, so the smallest free number can be found and kept.
-- * RELEASING: the slot's bot has ended, its container is being stopped;
--   the slot is nobody's and cannot be handed out until the daemon has seen
--   the application exited.
-- * claim_holder/claim_until lease a slot to the one daemon working on it
--   (deploying, releasing, recovering); updated_at times its status.
CREATE TABLE pool_slots_new (
    id INTEGER PRIMARY KEY,
    platform TEXT NOT NULL,
    meeting_platform TEXT NOT NULL,
    slot_number INTEGER NOT NULL CHECK (slot_number >= 1),
    name TEXT NOT NULL UNIQUE,
    application_uuid TEXT UNIQUE,
    status TEXT NOT NULL DEFAULT 'IDLE' CHECK (status IN ('IDLE', 'DEPLOYING', 'HEALTHY', 'RELEASING', 'ERROR')),
    assigned_bot_id INTEGER UNIQUE REFERENCES bots (id) ON DELETE SET NULL,
    token_hash TEXT NOT NULL DEFAULT '',
    last_used_at TEXT,
    error_message TEXT NOT NULL DEFAULT '',
    recovery_attempts INTEGER NOT NULL DEFAULT 0,
    claim_holder TEXT,
    claim_until TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (platform, meeting_platform, slot_number)
);
INSERT INTO pool_slots_new (id, platform, meeting_platform, slot_number, name, application_uuid, status, assigned_bot_id,
    token_hash, last_used_at, error_message, recovery_attempts, created_at, updated_at)
SELECT id, platform, meeting_platform, ROW_NUMBER() OVER (PARTITION BY platform, meeting_platform ORDER BY id), name,
    application_uuid, status, assigned_bot_id, token_hash, last_used_at, error_message, recovery_attempts, created_at, created_at
FROM pool_slots;
DROP TABLE pool_slots;
ALTER TABLE pool_slots_new RENAME TO pool_slots;
CREATE INDEX pool_slots_claim_idx ON pool_slots (platform, meeting_platform, status, last_used_at);
CREATE INDEX pool_slots_status_idx ON pool_slots (platform, status, updated_at);
CREATE UNIQUE INDEX pool_slots_token_idx ON pool_slots (token_hash) WHERE token_hash <> '';

-- The slot a bot was given, kept after the slot is released: the bot's
-- history says where it ran.
ALTER TABLE bots ADD COLUMN pool_slot_id INTEGER REFERENCES pool_slots (id) ON DELETE SET NULL;
CREATE INDEX bots_pool_slot_idx ON bots (pool_slot_id) WHERE pool_slot_id IS NOT NULL;

-- The image-pull lock: one row per server and image. The first deploy of
-- an image on a server holds it (holder, lease_until) while it pulls;
-- others wait for pulled_at, then deploy in parallel. A holder that dies
-- loses the lock when its lease ends.
CREATE TABLE image_pulls (
    pull_key TEXT PRIMARY KEY,
    holder TEXT,
    lease_until TEXT,
    pulled_at TEXT,
    updated_at TEXT NOT NULL
);

-- The deploy limit: a FIFO of entries per scope; at most N are granted at
-- once. Every entry is a lease its holder renews while it waits or
-- deploys, so a daemon that dies gives its turn up; wait_until bounds the
-- wait.
CREATE TABLE deploy_turns (
    id INTEGER PRIMARY KEY,
    scope TEXT NOT NULL,
    entry TEXT NOT NULL,
    holder TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    granted_at TEXT,
    lease_until TEXT NOT NULL,
    wait_until TEXT NOT NULL,
    UNIQUE (scope, entry)
);
CREATE INDEX deploy_turns_order_idx ON deploy_turns (scope, id);

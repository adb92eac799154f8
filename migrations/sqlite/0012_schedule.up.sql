-- 0012_schedule: capacity reserved for scheduled bots, and each bot's
-- waiting-room nudge. Same tables as postgres/0012_schedule.up.sql, which
-- explains them.
CREATE TABLE capacity_reservations (
    bot_id INTEGER PRIMARY KEY REFERENCES bots (id) ON DELETE CASCADE,
    platform TEXT NOT NULL,
    meeting_platform TEXT NOT NULL DEFAULT '',
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    created_at TEXT NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX capacity_reservations_window_idx ON capacity_reservations (platform, starts_at, ends_at);
CREATE INDEX capacity_reservations_start_idx ON capacity_reservations (starts_at);

CREATE TABLE bot_lobby (
    bot_id INTEGER PRIMARY KEY REFERENCES bots (id) ON DELETE CASCADE,
    nudge_after_ms INTEGER NOT NULL CHECK (nudge_after_ms > 0),
    nudged_at TEXT
);

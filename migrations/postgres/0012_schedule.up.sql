-- 0012_schedule: capacity reserved for scheduled bots, and each bot's
-- waiting-room nudge. Both live beside bots rather than in it, so the bot
-- row and its readers stay as they are.
--
-- capacity_reservations holds one window of one platform's capacity per
-- scheduled bot: from its join time less the schedule lead to its expected
-- end. A reservation counts while its bot is SCHEDULED or QUEUED; once the
-- bot is deployed the bot itself holds the capacity, and a cancelled or
-- ended bot's row counts no more. Admission reads these rows under the
-- admission lock, so every daemon sees the same bookings.
CREATE TABLE capacity_reservations (
    bot_id bigint PRIMARY KEY REFERENCES bots (id) ON DELETE CASCADE,
    platform text NOT NULL,
    meeting_platform text NOT NULL DEFAULT '',
    starts_at timestamptz NOT NULL,
    ends_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX capacity_reservations_window_idx ON capacity_reservations (platform, starts_at, ends_at);
CREATE INDEX capacity_reservations_start_idx ON capacity_reservations (starts_at);

-- bot_lobby: how long a bot may wait in the waiting room before its owner
-- hears of it (bot.waiting_room), and when that was sent, so it is sent
-- once. Bots with no row use the default of 60 seconds.
CREATE TABLE bot_lobby (
    bot_id bigint PRIMARY KEY REFERENCES bots (id) ON DELETE CASCADE,
    nudge_after_ms bigint NOT NULL CHECK (nudge_after_ms > 0),
    nudged_at timestamptz
);

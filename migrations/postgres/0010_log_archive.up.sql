-- 0010_log_archive: the log archive and retention. (SQLite also rebuilds
-- bot_logs here so that ids are never reused; an identity column never
-- reuses one.)
--
-- When retention last removed a bot's archived logs and its screenshots
-- (blobs and rows), so the leader visits each ended bot once per kind
-- instead of every pass for ever. A row goes with its bot.
CREATE TABLE bot_purges (
    bot_id bigint PRIMARY KEY REFERENCES bots (id) ON DELETE CASCADE,
    logs_at timestamptz,
    screenshots_at timestamptz
);

-- 0010_blob_purges: when retention last removed a bot's archived logs and
-- its screenshots (blobs and rows), so the leader's retention pass visits
-- each ended bot once per kind instead of every pass for ever. A row goes
-- with its bot.
CREATE TABLE bot_purges (
    bot_id bigint PRIMARY KEY REFERENCES bots (id) ON DELETE CASCADE,
    logs_at timestamptz,
    screenshots_at timestamptz
);

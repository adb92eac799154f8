-- 0010_log_archive: the log archive and retention.
--
-- Log rows now leave the table once archived, and a row id is the cursor
-- that joins the archive and the table. A plain INTEGER PRIMARY KEY hands
-- out max(id)+1, so after the archiver empties the table a new line would
-- get the id of an archived one; AUTOINCREMENT never reuses an id.
-- SQLite cannot add it in place, so the table is rebuilt (nothing refers
-- to it), keeping every id: the sequence starts above the largest.
CREATE TABLE bot_logs_v10 (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    bot_id INTEGER NOT NULL REFERENCES bots (id) ON DELETE CASCADE,
    entry_id TEXT NOT NULL,
    logged_at TEXT NOT NULL,
    level TEXT NOT NULL DEFAULT '',
    message TEXT NOT NULL DEFAULT '',
    fields TEXT CHECK (fields IS NULL OR json_valid(fields)),
    UNIQUE (bot_id, entry_id)
);
INSERT INTO bot_logs_v10 (id, bot_id, entry_id, logged_at, level, message, fields)
    SELECT id, bot_id, entry_id, logged_at, level, message, fields FROM bot_logs;
DROP TABLE bot_logs;
ALTER TABLE bot_logs_v10 RENAME TO bot_logs;
CREATE INDEX bot_logs_bot_idx ON bot_logs (bot_id, id);

-- When retention last removed a bot's archived logs and its screenshots
-- (blobs and rows), so the leader visits each ended bot once per kind
-- instead of every pass for ever. A row goes with its bot.
CREATE TABLE bot_purges (
    bot_id INTEGER PRIMARY KEY REFERENCES bots (id) ON DELETE CASCADE,
    logs_at TEXT,
    screenshots_at TEXT
);

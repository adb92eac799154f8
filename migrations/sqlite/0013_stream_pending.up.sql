-- 0013_stream_pending: the table postgres/0013_stream_pending.up.sql
-- explains, kept here so both engines have the same tables. SQLite's one
-- writer numbers its changes in the transaction that makes them, as no
-- other commit can wait on it, so nothing is ever pending here.
CREATE TABLE stream_pending (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL,
    bot_id INTEGER NOT NULL,
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL
);

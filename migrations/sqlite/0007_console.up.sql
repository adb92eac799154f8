-- 0007_console: the web console's sign-in links and sessions. Only the
-- SHA-256 of each secret is kept, as for API keys. Both hang off the API key
-- that created them, so revoking (or deleting) the key ends them: a session
-- is live only while its key is. A link is redeemed at most once (used_at).
-- Same tables as postgres/0007_console.up.sql.
CREATE TABLE console_sessions (
    id INTEGER PRIMARY KEY,
    api_key_id INTEGER NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
    hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX console_sessions_key_idx ON console_sessions (api_key_id);
CREATE INDEX console_sessions_expires_idx ON console_sessions (expires_at);

CREATE TABLE console_links (
    id INTEGER PRIMARY KEY,
    api_key_id INTEGER NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
    hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);
CREATE INDEX console_links_expires_idx ON console_links (expires_at);

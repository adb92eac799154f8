-- 0005_bot_owner: the daemon that deployed a bot. Resources only that
-- daemon can see (a local process) are reconciled by it alone; without it,
-- a leader comparing its own process list with every local bot ended the
-- bots of the other daemons as vanished.
ALTER TABLE bots ADD COLUMN deployed_by TEXT NOT NULL DEFAULT '';

-- 0013_stream_pending: the change feed is numbered after its writers
-- commit. A writer used to take its numbers from stream_clock just before
-- its commit and hold the clock row's lock until it had committed, so the
-- commits of all writers (admissions, deploy claims, heartbeats' state
-- changes) followed one another. Writers now add their changes to
-- stream_pending, which takes no shared lock; readers call stream_number()
-- before they read stream_changes. It moves what has been committed to
-- stream_changes, numbered in the order it was added, under the clock
-- row's lock and in one short transaction of its own, so numbers still
-- become visible in order and without gaps: a reader that has seen change
-- n has seen every change before it. A write that must follow another
-- (the same bot's row, say) waits for that one's commit before it adds its
-- changes, so its rows come after.
CREATE TABLE stream_pending (
    id bigserial PRIMARY KEY,
    user_id bigint NOT NULL,
    bot_id bigint NOT NULL,
    kind text NOT NULL,
    body text NOT NULL,
    created_at timestamptz NOT NULL
);

-- stream_number numbers the committed pending changes and returns the
-- newest number. Each statement of a plpgsql function takes a new
-- snapshot at READ COMMITTED: once the clock row is locked, the move sees
-- every change another call numbered before it.
CREATE FUNCTION stream_number() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    last bigint;
    moved bigint;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM stream_pending) THEN
        RETURN (SELECT seq FROM stream_clock WHERE id = 1);
    END IF;
    SELECT seq INTO last FROM stream_clock WHERE id = 1 FOR UPDATE;
    WITH m AS (DELETE FROM stream_pending RETURNING id, user_id, bot_id, kind, body, created_at)
    INSERT INTO stream_changes (seq, user_id, bot_id, kind, body, created_at)
    SELECT last + row_number() OVER (ORDER BY id), user_id, bot_id, kind, body, created_at FROM m;
    GET DIAGNOSTICS moved = ROW_COUNT;
    IF moved > 0 THEN
        UPDATE stream_clock SET seq = last + moved WHERE id = 1;
    END IF;
    RETURN last + moved;
END
$$;

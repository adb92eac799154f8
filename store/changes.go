package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/meeboter/meeboter/api"
)

// The kinds of change the feed carries.
const (
	ChangeBot   = "bot"   // a bot's new state
	ChangeEvent = "event" // one bot event
	ChangeLogs  = "logs"  // log lines of one bot, stored together
)

// changesChannel is the PostgreSQL notification channel a committing
// transaction signals on, so other daemons read the feed at once instead
// of at their next poll.
const changesChannel = "meeboter_changes"

// pendingChange is a change recorded in a transaction, numbered and
// written just before it commits.
type pendingChange struct {
	userID, botID int64
	kind          string
	body          []byte
}

// recordChange adds a change to the transaction's feed entries. Every
// write a live stream shows goes through here, inside the transaction that
// makes it, so the feed has a change exactly when the data changed.
func (s *db) recordChange(kind string, userID, botID int64, v any) error {
	if s.pending == nil {
		return errors.New("store: change recorded outside a transaction")
	}
	body, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("store: encode change: %w", err)
	}
	*s.pending = append(*s.pending, pendingChange{userID: userID, botID: botID, kind: kind, body: body})
	return nil
}

// botChanged records a bot's new state.
func (s *db) botChanged(b Bot) error { return s.recordChange(ChangeBot, b.UserID, b.ID, b) }

// pendingOwner is the owner of a bot whose state the transaction recorded.
func (s *db) pendingOwner(botID int64) (int64, bool) {
	if s.pending == nil {
		return 0, false
	}
	for _, c := range *s.pending {
		if c.kind == ChangeBot && c.botID == botID {
			return c.userID, true
		}
	}
	return 0, false
}

// flushChanges writes the transaction's changes; it is the last statement
// before COMMIT. On SQLite it numbers them first: taking the numbers
// updates the one clock row, and SQLite's one writer commits before any
// other takes its own, so numbers are handed out in commit order and
// without gaps (a rollback returns them), and a reader that sees change n
// has every change before it. PostgreSQL writers leave them to be numbered
// after their commit (numberChanges).
func (s *db) flushChanges(ctx context.Context) error {
	changes := *s.pending
	if len(changes) == 0 {
		return nil
	}
	if s.d.postgres {
		return s.flushChangesPostgres(ctx, changes)
	}
	var last int64
	if err := s.get(ctx, "UPDATE stream_clock SET seq = seq + ? WHERE id = 1 RETURNING seq", []any{len(changes)}, &last); err != nil {
		return err
	}
	first, now := last-int64(len(changes))+1, s.d.at(time.Now())
	return s.insertRows(ctx, "INSERT INTO stream_changes (seq, user_id, bot_id, kind, body, created_at) VALUES ", 6, len(changes), "",
		func(i int) []any {
			c := changes[i]
			return []any{first + int64(i), c.userID, c.botID, c.kind, string(c.body), now}
		})
}

// flushChangesPostgres adds the changes to stream_pending and signals the
// listeners, in one statement whatever the number of changes (they travel
// as arrays). It takes no lock another writer waits for: the clock row,
// whose lock a writer once held from its numbers to its commit, so that
// every commit waited for the one before, is taken by numberChanges alone.
// The notification is delivered at commit, to the other daemons.
func (s *db) flushChangesPostgres(ctx context.Context, changes []pendingChange) error {
	users, bots := make([]int64, len(changes)), make([]int64, len(changes))
	kinds, bodies := make([]string, len(changes)), make([]string, len(changes))
	for i, c := range changes {
		users[i], bots[i], kinds[i], bodies[i] = c.userID, c.botID, c.kind, string(c.body)
	}
	_, err := s.exec(ctx, "WITH w AS (INSERT INTO stream_pending (user_id, bot_id, kind, body, created_at) "+
		"SELECT v.u, v.b, v.kind, v.body, ? FROM unnest(?::bigint[], ?::bigint[], ?::text[], ?::text[]) "+
		"WITH ORDINALITY AS v(u, b, kind, body, k) ORDER BY v.k) SELECT pg_notify(?, '')",
		s.d.at(time.Now()), users, bots, kinds, bodies, changesChannel)
	return err
}

// numberChanges numbers the changes committed so far, on PostgreSQL, in a
// short transaction of its own (see migrations/postgres/0013); a read of
// the feed calls it first, so it sees every change committed before it.
func (s *db) numberChanges(ctx context.Context) error {
	if !s.d.postgres {
		return nil
	}
	var newest int64
	return s.get(ctx, "SELECT stream_number()", nil, &newest)
}

// ReadChanges lists changes after q.After in order.
func (s *db) ReadChanges(ctx context.Context, q ChangeQuery) ([]Change, error) {
	if err := s.numberChanges(ctx); err != nil {
		return nil, err
	}
	sqlq, args := "SELECT seq, user_id, bot_id, kind, body, created_at FROM stream_changes WHERE seq > ?", []any{q.After}
	if q.UserID != 0 {
		sqlq, args = sqlq+" AND user_id = ?", append(args, q.UserID)
	}
	if q.BotID != 0 {
		sqlq, args = sqlq+" AND bot_id = ?", append(args, q.BotID)
	}
	if len(q.UserIDs) > 0 {
		sqlq += " AND user_id IN (" + placeholders(len(q.UserIDs)) + ")"
		for _, id := range q.UserIDs {
			args = append(args, id)
		}
	}
	if q.Through > 0 {
		sqlq, args = sqlq+" AND seq <= ?", append(args, q.Through)
	}
	return collect(ctx, s, sqlq+" ORDER BY seq LIMIT ?", append(args, limit(q.Limit)), scanChange)
}

func scanChange(r *sql.Rows, c *Change) error {
	var body string
	if err := r.Scan(&c.Seq, &c.UserID, &c.BotID, &c.Kind, &body, timeCol{&c.CreatedAt}); err != nil {
		return err
	}
	var err error
	switch c.Kind {
	case ChangeBot:
		c.Bot = &Bot{}
		err = json.Unmarshal([]byte(body), c.Bot)
	case ChangeEvent:
		c.Event = &Event{}
		err = json.Unmarshal([]byte(body), c.Event)
	case ChangeLogs:
		err = json.Unmarshal([]byte(body), &c.Logs)
	}
	if err != nil {
		return fmt.Errorf("store: decode change %d: %w", c.Seq, err)
	}
	return nil
}

// ChangeBounds reads the newest number handed out and the oldest kept.
func (s *db) ChangeBounds(ctx context.Context) (ChangeBounds, error) {
	var b ChangeBounds
	if err := s.numberChanges(ctx); err != nil {
		return b, err
	}
	err := s.get(ctx, "SELECT seq, COALESCE((SELECT min(seq) FROM stream_changes), 0) FROM stream_clock WHERE id = 1", nil,
		&b.Newest, &b.Oldest)
	return b, err
}

// PurgeChanges deletes changes written before the cut-off: the feed is for
// catching up after a reconnect, not for history, which the events and
// logs tables keep.
func (s *db) PurgeChanges(ctx context.Context, before time.Time) (int64, error) {
	if err := s.numberChanges(ctx); err != nil {
		return 0, err
	}
	return s.exec(ctx, "DELETE FROM stream_changes WHERE created_at < ?", s.d.at(before))
}

// LiveHeartbeats lists the last heartbeat of each of a user's live bots.
func (s *db) LiveHeartbeats(ctx context.Context, userID int64) ([]BotHeartbeat, error) {
	cond, args := statusIn("status", liveStatuses)
	return collect(ctx, s, "SELECT id, last_heartbeat_at FROM bots WHERE user_id = ? AND "+cond+
		" AND last_heartbeat_at IS NOT NULL ORDER BY id", append([]any{userID}, args...),
		func(r *sql.Rows, h *BotHeartbeat) error { return r.Scan(&h.BotID, timeCol{&h.At}) })
}

// liveStatuses are the statuses in which a bot heartbeats.
var liveStatuses = func() []api.BotStatus {
	var out []api.BotStatus
	for _, st := range api.AllStatuses {
		if st.Live() {
			out = append(out, st)
		}
	}
	return out
}()

package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"github.com/meeboter/meeboter/api"
)

// DefaultLobbyNudgeAfter is how long a bot waits in the waiting room
// before bot.waiting_room is sent, when it does not say.
const DefaultLobbyNudgeAfter = 60 * time.Second

// Lobby is what the store knows of bots' waits in meeting waiting rooms.
type Lobby interface {
	// NudgeWaiting sends bot.waiting_room, with a WAITING_ROOM event, for
	// every bot IN_WAITING_ROOM longer than its nudge time (since its
	// latest IN_WAITING_ROOM event), once per bot whichever daemon asks;
	// it returns the bots nudged.
	NudgeWaiting(ctx context.Context, now time.Time) ([]Bot, error)
	// LobbyNudgeAfter reads a bot's nudge time (the default when unset).
	LobbyNudgeAfter(ctx context.Context, botID int64) (time.Duration, error)
	// AdmissionSamples lists, for the bots of userID (0: every user's)
	// created from from to to that tried to join a call, when each first
	// reached the waiting room and the call, and how it ended.
	AdmissionSamples(ctx context.Context, userID int64, from, to time.Time) ([]AdmissionSample, error)
}

// AdmissionSample is one bot's way into a call.
type AdmissionSample struct {
	BotID     int64
	Meeting   Meeting
	Status    api.BotStatus
	EndReason string
	EndedAt   *time.Time
	WaitingAt *time.Time // first IN_WAITING_ROOM
	InCallAt  *time.Time // first IN_CALL
}

// waitingSince is when a bot in the waiting room entered it: its latest
// IN_WAITING_ROOM event, else its last update.
const waitingSince = "COALESCE((SELECT max(e.event_time) FROM bot_events e WHERE e.bot_id = b.id AND e.event_type = 'IN_WAITING_ROOM'), b.updated_at)"

// NudgeWaiting nudges the bots waiting too long, each in its own
// transaction; the guarded upsert of nudged_at makes it once.
func (s *db) NudgeWaiting(ctx context.Context, now time.Time) ([]Bot, error) {
	type due struct {
		id    int64
		since time.Time
	}
	var cands []due
	err := s.each(ctx, "SELECT b.id, "+waitingSince+", COALESCE(l.nudge_after_ms, ?) FROM bots b "+
		"LEFT JOIN bot_lobby l ON l.bot_id = b.id WHERE b.status = 'IN_WAITING_ROOM' AND l.nudged_at IS NULL ORDER BY b.id LIMIT 500",
		[]any{ms(DefaultLobbyNudgeAfter)}, func(r *sql.Rows) error {
			var d due
			var after int64
			if err := r.Scan(&d.id, timeCol{&d.since}, &after); err != nil {
				return err
			}
			if !now.Before(d.since.Add(time.Duration(after) * time.Millisecond)) {
				cands = append(cands, d)
			}
			return nil
		})
	if err != nil {
		return nil, err
	}
	var out []Bot
	for _, d := range cands {
		b, sent, err := s.nudge(ctx, d.id, d.since, now)
		if err != nil {
			return out, err
		}
		if sent {
			out = append(out, b)
		}
	}
	return out, nil
}

// nudge marks one bot nudged and records its event and webhooks, unless
// another daemon did first or the bot left the waiting room meanwhile.
func (s *db) nudge(ctx context.Context, id int64, since, now time.Time) (Bot, bool, error) {
	var b Bot
	sent := false
	err := s.tx(ctx, func(t *db) error {
		n, err := t.exec(ctx, "INSERT INTO bot_lobby (bot_id, nudge_after_ms, nudged_at) SELECT id, ?, ? FROM bots WHERE id = ? AND status = 'IN_WAITING_ROOM' "+
			"ON CONFLICT (bot_id) DO UPDATE SET nudged_at = excluded.nudged_at WHERE bot_lobby.nudged_at IS NULL",
			ms(DefaultLobbyNudgeAfter), t.d.at(now), id)
		if err != nil || n == 0 {
			return err
		}
		if b, err = t.GetBot(ctx, id); err != nil {
			return err
		}
		at := now.UTC().Truncate(time.Microsecond)
		body := api.WaitingRoomWebhook{Type: api.WebhookBotWaitingRoom, Timestamp: at, BotID: b.ID, MeetingURL: b.Meeting.URL,
			WaitingSince: since.UTC(), WaitingSeconds: int64(now.Sub(since).Seconds()), Metadata: nonNilMap(b.Metadata)}
		data, err := json.Marshal(body)
		if err != nil {
			return err
		}
		if err := t.InsertEvents(ctx, []Event{{BotID: b.ID, Type: api.EventWaitingRoom, Time: now, Data: data}}); err != nil {
			return err
		}
		sent = true
		return t.enqueueBotEvents(ctx, b, []outboxEvent{{api.WebhookBotWaitingRoom, body}}, now)
	})
	return b, sent, err
}

// LobbyNudgeAfter reads a bot's nudge time.
func (s *db) LobbyNudgeAfter(ctx context.Context, botID int64) (time.Duration, error) {
	var v int64
	err := s.get(ctx, "SELECT COALESCE((SELECT nudge_after_ms FROM bot_lobby WHERE bot_id = ?), ?)", []any{botID, ms(DefaultLobbyNudgeAfter)}, &v)
	return time.Duration(v) * time.Millisecond, err
}

// AdmissionSamples reads the first waiting-room and in-call times of the
// bots that tried to join, at most 10000 of them.
func (s *db) AdmissionSamples(ctx context.Context, userID int64, from, to time.Time) ([]AdmissionSample, error) {
	first := func(typ string) string {
		return "(SELECT min(e.event_time) FROM bot_events e WHERE e.bot_id = b.id AND e.event_type = '" + typ + "')"
	}
	q := "SELECT id, meeting, status, end_reason, ended_at, waiting_at, in_call_at FROM (SELECT b.id, b.meeting, b.status, b.end_reason, b.ended_at, " +
		first("IN_WAITING_ROOM") + " AS waiting_at, " + first("IN_CALL") + " AS in_call_at, " + first("JOINING_CALL") + " AS joining_at " +
		"FROM bots b WHERE b.created_at >= ? AND b.created_at < ?"
	args := []any{s.d.at(from), s.d.at(to)}
	if userID != 0 {
		q, args = q+" AND b.user_id = ?", append(args, userID)
	}
	q += ") x WHERE joining_at IS NOT NULL OR waiting_at IS NOT NULL OR in_call_at IS NOT NULL ORDER BY id LIMIT 10000"
	var out []AdmissionSample
	err := s.each(ctx, q, args, func(r *sql.Rows) error {
		var a AdmissionSample
		err := r.Scan(&a.BotID, jsonCol{&a.Meeting}, &a.Status, &a.EndReason, nullTimeCol{&a.EndedAt}, nullTimeCol{&a.WaitingAt}, nullTimeCol{&a.InCallAt})
		out = append(out, a)
		return err
	})
	return out, err
}

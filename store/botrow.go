package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"strings"

	"github.com/meeboter/meeboter/api"
)

// botCols lists a bot's columns in the order scanBot reads them. The
// deploy claim and token hash are internal and not part of Bot.
const botCols = "id, user_id, display_name, image_url, meeting, join_at, max_duration_ms, automatic_leave, " +
	"recording_enabled, recording_key, speaker_timeframes, status, end_reason, end_detail, last_heartbeat_at, " +
	"log_level, callback_url, deployment_platform, platform_identifier, metadata, priority, queue_timeout_ms, " +
	"queued_at, deploy_started_at, joined_at, ended_at, created_at, updated_at, deployed_by, pool_slot_id"

func scanBot(r interface{ Scan(...any) error }, b *Bot) error {
	var raw botJSON
	if err := scanBotRaw(r, b, &raw); err != nil {
		return err
	}
	return raw.decode(b)
}

// botJSON holds a scanned bot's JSON columns undecoded, so a listing can
// decode them after its rows are closed: on SQLite the one connection is
// then free for the next caller while the rows are decoded.
type botJSON struct {
	meeting, automaticLeave, metadata json.RawMessage
}

func scanBotRaw(r interface{ Scan(...any) error }, b *Bot, raw *botJSON) error {
	*b = Bot{}
	return r.Scan(&b.ID, &b.UserID, &b.DisplayName, &b.ImageURL, rawCol{&raw.meeting}, nullTimeCol{&b.JoinAt},
		msCol{&b.MaxDuration}, rawCol{&raw.automaticLeave}, &b.RecordingEnabled, &b.RecordingKey,
		rawCol{&b.SpeakerTimeframes}, &b.Status, &b.EndReason, &b.EndDetail, nullTimeCol{&b.LastHeartbeatAt},
		&b.LogLevel, &b.CallbackURL, strCol{&b.DeploymentPlatform}, strCol{&b.PlatformID}, rawCol{&raw.metadata},
		&b.Priority, msCol{&b.QueueTimeout}, nullTimeCol{&b.QueuedAt}, nullTimeCol{&b.DeployStartedAt},
		nullTimeCol{&b.JoinedAt}, nullTimeCol{&b.EndedAt}, timeCol{&b.CreatedAt}, timeCol{&b.UpdatedAt}, &b.DeployedBy, idCol{&b.PoolSlotID})
}

// decode fills the bot's JSON-typed fields, as jsonCol would have.
func (raw botJSON) decode(b *Bot) error {
	for _, c := range []struct {
		src json.RawMessage
		dst any
	}{{raw.meeting, &b.Meeting}, {raw.automaticLeave, &b.AutomaticLeave}, {raw.metadata, &b.Metadata}} {
		if err := (jsonCol{c.dst}).Scan([]byte(c.src)); err != nil {
			return err
		}
	}
	return nil
}

// getBotWhere reads one bot matching the condition.
func (s *db) getBotWhere(ctx context.Context, where string, args ...any) (Bot, error) {
	return s.getBotWhereOn(ctx, s.ex, where, args...)
}

// getBotWhereOn is getBotWhere on the executor ex (the store's, or its
// reader).
func (s *db) getBotWhereOn(ctx context.Context, ex executor, where string, args ...any) (Bot, error) {
	var b Bot
	err := mapErr(scanBot(ex.QueryRowContext(ctx, s.d.rebind("SELECT "+botCols+" FROM bots WHERE "+where), args...), &b))
	return b, err
}

// botRow runs a statement returning one bot (an UPDATE ... RETURNING).
func (s *db) botRow(ctx context.Context, q string, args ...any) (Bot, error) {
	return s.botRowWith(ctx, nil, q, args...)
}

// botRowWith is botRow for a statement returning more columns after the
// bot's, scanned into extra.
func (s *db) botRowWith(ctx context.Context, extra []any, q string, args ...any) (Bot, error) {
	var b Bot
	err := mapErr(scanBot(withExtra(s.ex.QueryRowContext(ctx, s.d.rebind(q), args...), extra...), &b))
	return b, err
}

// bots runs a query returning bots, decoding their JSON columns once the
// rows are closed.
func (s *db) bots(ctx context.Context, q string, args ...any) ([]Bot, error) {
	return s.botsOn(ctx, s.ex, 0, q, args...)
}

// botsOn is bots on the executor ex (the store's, or its reader); size
// is how many rows the query may return at most, when it is known, so a
// page's bots are not copied as their slice grows.
func (s *db) botsOn(ctx context.Context, ex executor, size int, q string, args ...any) ([]Bot, error) {
	var out []Bot
	var raws []botJSON
	if size > 0 {
		out, raws = make([]Bot, 0, size), make([]botJSON, 0, size)
	}
	err := s.eachOn(ctx, ex, q, args, func(r *sql.Rows) error {
		var b Bot
		var raw botJSON
		err := scanBotRaw(r, &b, &raw)
		out, raws = append(out, b), append(raws, raw)
		return err
	})
	var dec botDecoder
	for i := range out {
		if err == nil {
			err = dec.decode(raws[i], &out[i])
		}
	}
	if len(out) == 0 {
		out = nil // as without a size: no rows, no slice
	}
	return out, err
}

// botDecoder decodes the JSON columns of a listing's bots. Bots of one
// owner often share their leave timeouts and meeting, and most have no
// metadata: a column equal to the previous bot's is not decoded again
// (the values are copied, so no two bots share anything mutable), and
// empty metadata is not decoded at all.
type botDecoder struct {
	leaveRaw, meetingRaw json.RawMessage
	leave                AutomaticLeave
	meeting              Meeting
}

func (d *botDecoder) decode(raw botJSON, b *Bot) error {
	switch {
	case raw.automaticLeave != nil && bytes.Equal(raw.automaticLeave, d.leaveRaw):
		b.AutomaticLeave = d.leave
	default:
		if err := (jsonCol{&b.AutomaticLeave}).Scan([]byte(raw.automaticLeave)); err != nil {
			return err
		}
		d.leaveRaw, d.leave = raw.automaticLeave, b.AutomaticLeave
	}
	switch {
	case raw.meeting != nil && bytes.Equal(raw.meeting, d.meetingRaw):
		b.Meeting = d.meeting
	default:
		if err := (jsonCol{&b.Meeting}).Scan([]byte(raw.meeting)); err != nil {
			return err
		}
		d.meetingRaw, d.meeting = raw.meeting, b.Meeting
	}
	if string(raw.metadata) == "{}" {
		b.Metadata = map[string]string{}
		return nil
	}
	return (jsonCol{&b.Metadata}).Scan([]byte(raw.metadata))
}

// statusIn renders "status IN (?, ...)" and its arguments.
func statusIn(col string, statuses []api.BotStatus) (string, []any) {
	args := make([]any, len(statuses))
	for i, st := range statuses {
		args[i] = string(st)
	}
	return col + " IN (" + placeholders(len(statuses)) + ")", args
}

// capacityStatuses are the statuses that hold capacity on a platform.
var capacityStatuses = func() []api.BotStatus {
	var out []api.BotStatus
	for _, st := range api.AllStatuses {
		if st.HoldsCapacity() {
			out = append(out, st)
		}
	}
	return out
}()

// setList joins "col = ?" clauses for an UPDATE.
type setList struct {
	cols []string
	args []any
}

func (l *setList) add(clause string, args ...any) {
	l.cols = append(l.cols, clause)
	l.args = append(l.args, args...)
}

func (l *setList) String() string { return strings.Join(l.cols, ", ") }

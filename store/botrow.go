package store

import (
	"context"
	"database/sql"
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
	*b = Bot{}
	return r.Scan(&b.ID, &b.UserID, &b.DisplayName, &b.ImageURL, jsonCol{&b.Meeting}, nullTimeCol{&b.JoinAt},
		msCol{&b.MaxDuration}, jsonCol{&b.AutomaticLeave}, &b.RecordingEnabled, &b.RecordingKey,
		rawCol{&b.SpeakerTimeframes}, &b.Status, &b.EndReason, &b.EndDetail, nullTimeCol{&b.LastHeartbeatAt},
		&b.LogLevel, &b.CallbackURL, strCol{&b.DeploymentPlatform}, strCol{&b.PlatformID}, jsonCol{&b.Metadata},
		&b.Priority, msCol{&b.QueueTimeout}, nullTimeCol{&b.QueuedAt}, nullTimeCol{&b.DeployStartedAt},
		nullTimeCol{&b.JoinedAt}, nullTimeCol{&b.EndedAt}, timeCol{&b.CreatedAt}, timeCol{&b.UpdatedAt}, &b.DeployedBy, idCol{&b.PoolSlotID})
}

// getBotWhere reads one bot matching the condition.
func (s *db) getBotWhere(ctx context.Context, where string, args ...any) (Bot, error) {
	var b Bot
	err := mapErr(scanBot(s.ex.QueryRowContext(ctx, s.d.rebind("SELECT "+botCols+" FROM bots WHERE "+where), args...), &b))
	return b, err
}

// botRow runs a statement returning one bot (an UPDATE ... RETURNING).
func (s *db) botRow(ctx context.Context, q string, args ...any) (Bot, error) {
	var b Bot
	err := mapErr(scanBot(s.ex.QueryRowContext(ctx, s.d.rebind(q), args...), &b))
	return b, err
}

// bots runs a query returning bots.
func (s *db) bots(ctx context.Context, q string, args ...any) ([]Bot, error) {
	var out []Bot
	err := s.each(ctx, q, args, func(r *sql.Rows) error {
		var b Bot
		err := scanBot(r, &b)
		out = append(out, b)
		return err
	})
	return out, err
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

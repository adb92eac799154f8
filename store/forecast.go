package store

import (
	"context"
	"database/sql"
	"time"
)

// QueueForecast reads what a queue-wait forecast needs, in two narrow
// queries: the bots holding capacity (with when they began deploying) and
// the queued ones in admission order. A forecast runs for every queued
// create, so it reads three columns per bot instead of whole rows.
func (s *db) QueueForecast(ctx context.Context) (holding, queued []PlannedRun, err error) {
	cond, args := statusIn("status", capacityStatuses)
	err = s.each(ctx, "SELECT id, meeting_platform, max_duration_ms, deploy_started_at FROM bots WHERE "+cond, args,
		func(r *sql.Rows) error {
			var p PlannedRun
			err := r.Scan(&p.BotID, &p.MeetingPlatform, msCol{&p.MaxDuration}, nullTimeCol{&p.DeployStartedAt})
			holding = append(holding, p)
			return err
		})
	if err != nil {
		return nil, nil, err
	}
	err = s.each(ctx, "SELECT b.id, b.meeting_platform, b.max_duration_ms FROM deployment_queue q JOIN bots b ON b.id = q.bot_id "+
		"ORDER BY q.priority, q.queued_at, q.bot_id", nil, func(r *sql.Rows) error {
		var p PlannedRun
		err := r.Scan(&p.BotID, &p.MeetingPlatform, msCol{&p.MaxDuration})
		queued = append(queued, p)
		return err
	})
	return holding, queued, err
}

// PlannedRun is one bot as a queue forecast sees it.
type PlannedRun struct {
	BotID           int64
	MeetingPlatform string
	MaxDuration     time.Duration // 0: the daemon's maximum
	DeployStartedAt *time.Time    // bots holding capacity only
}

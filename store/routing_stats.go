package store

import (
	"context"
	"database/sql"
	"slices"
	"time"
)

// RoutingStats is what admission learns from past bots.
type RoutingStats interface {
	// JoinLatencies gives the median time from admission (deploy start)
	// to the first JOINING_CALL of the last n bots that reached it, by
	// platform, then meeting platform. Every daemon reads the same.
	JoinLatencies(ctx context.Context, n int) (map[string]map[string]time.Duration, error)
}

// JoinLatencies reads the recent bots' join latencies; the median is
// taken in Go so both engines agree.
func (s *db) JoinLatencies(ctx context.Context, n int) (map[string]map[string]time.Duration, error) {
	seen := map[[2]string][]time.Duration{}
	err := s.each(ctx, "SELECT platform, meeting_platform, deploy_started_at, joining_at FROM (SELECT b.deployment_platform AS platform, "+
		"b.meeting_platform, b.deploy_started_at, (SELECT min(e.event_time) FROM bot_events e WHERE e.bot_id = b.id AND e.event_type = 'JOINING_CALL') AS joining_at "+
		"FROM bots b WHERE b.deploy_started_at IS NOT NULL AND b.deployment_platform IS NOT NULL ORDER BY b.deploy_started_at DESC, b.id DESC LIMIT ?) x "+
		"WHERE joining_at IS NOT NULL", []any{n}, func(r *sql.Rows) error {
		var platform, meeting string
		var start, joined time.Time
		if err := r.Scan(&platform, &meeting, timeCol{&start}, timeCol{&joined}); err != nil {
			return err
		}
		k := [2]string{platform, meeting}
		seen[k] = append(seen[k], max(0, joined.Sub(start)))
		return nil
	})
	out := map[string]map[string]time.Duration{}
	for k, ds := range seen {
		slices.Sort(ds)
		if out[k[0]] == nil {
			out[k[0]] = map[string]time.Duration{}
		}
		out[k[0]][k[1]] = quantile(ds, 0.5)
	}
	return out, err
}

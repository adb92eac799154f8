package store

import (
	"context"
	"database/sql"
)

// FleetStats reads the fleet's gauges in one transaction, so they agree
// with each other. Every query is a count over an index.
func (s *db) FleetStats(ctx context.Context) (FleetStats, error) {
	var st FleetStats
	err := s.tx(ctx, func(t *db) error {
		var err error
		st.Bots, err = collect(ctx, t, "SELECT status, COALESCE(deployment_platform, ''), count(*) FROM bots GROUP BY 1, 2", nil,
			func(r *sql.Rows, c *BotCount) error { return r.Scan(&c.Status, &c.Platform, &c.N) })
		if err != nil {
			return err
		}
		st.Slots, err = collect(ctx, t, "SELECT platform, status, count(*) FROM pool_slots GROUP BY 1, 2", nil,
			func(r *sql.Rows, c *SlotCount) error { return r.Scan(&c.Platform, &c.Status, &c.N) })
		if err != nil {
			return err
		}
		if st.QueueDepth, err = t.count(ctx, "SELECT count(*) FROM deployment_queue"); err != nil {
			return err
		}
		if st.OutboxDue, err = t.count(ctx, "SELECT count(*) FROM webhook_deliveries WHERE next_attempt_at IS NOT NULL"); err != nil {
			return err
		}
		return t.get(ctx, "SELECT "+
			"COALESCE(SUM(CASE WHEN disabled_at IS NULL AND failing_since IS NULL THEN 1 ELSE 0 END), 0), "+
			"COALESCE(SUM(CASE WHEN disabled_at IS NULL AND failing_since IS NOT NULL THEN 1 ELSE 0 END), 0), "+
			"COALESCE(SUM(CASE WHEN disabled_at IS NOT NULL THEN 1 ELSE 0 END), 0) FROM webhook_endpoints", nil,
			&st.Endpoints.Active, &st.Endpoints.Failing, &st.Endpoints.Disabled)
	})
	return st, err
}

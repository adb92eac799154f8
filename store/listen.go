package store

import (
	"context"
	"fmt"
)

// ListenChanges calls wake whenever another daemon commits changes, until
// ctx ends or the connection breaks (the caller listens again). On
// PostgreSQL it holds one connection of its own, LISTENing; SQLite has one
// daemon, whose own writers wake its readers, so there it only waits.
func (s *db) ListenChanges(ctx context.Context, wake func()) error {
	if s.pool == nil {
		<-ctx.Done()
		return nil
	}
	pc, err := s.pool.Acquire(ctx)
	if ctx.Err() != nil {
		return nil
	}
	if err != nil {
		return fmt.Errorf("store: listen: %w", mapErr(err))
	}
	// The connection leaves the pool for good: after LISTEN, and after a
	// wait cut short, it is not fit to run queries for others.
	conn := pc.Hijack()
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+changesChannel); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return fmt.Errorf("store: listen: %w", mapErr(err))
	}
	for {
		if _, err := conn.WaitForNotification(ctx); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("store: listen: %w", mapErr(err))
		}
		wake()
	}
}

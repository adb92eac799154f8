package lifecycle

import (
	"context"

	"github.com/meeboter/meeboter/store"
)

// List pages bots by the filter, newest first.
func (s *Service) List(ctx context.Context, f store.BotFilter) ([]store.Bot, error) {
	return s.store.ListBots(ctx, f)
}

// Events pages a bot's events, oldest first.
func (s *Service) Events(ctx context.Context, botID int64, p store.Page) ([]store.Event, error) {
	return s.store.ListEvents(ctx, botID, p)
}

// Logs pages a bot's whole log, archived and live, oldest first.
func (s *Service) Logs(ctx context.Context, botID int64, p store.Page) ([]store.LogEntry, error) {
	return s.logs.Logs(ctx, botID, p)
}

// Screenshots pages a bot's screenshots, oldest first.
func (s *Service) Screenshots(ctx context.Context, botID int64, p store.Page) ([]store.Screenshot, error) {
	return s.store.ListScreenshots(ctx, botID, p)
}

// LatestLogs returns the last n lines of a bot's log, oldest first: the
// tail a person reads first.
func (s *Service) LatestLogs(ctx context.Context, botID int64, n int) ([]store.LogEntry, error) {
	return s.logs.LatestLogs(ctx, botID, n)
}

package archive

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/meeboter/meeboter/logarchive"
	"github.com/meeboter/meeboter/store"
)

// Page sizes of a listing, the store's own.
const (
	defaultPage = 50
	maxPage     = 500
)

// Logs pages a bot's whole log, archive and database as one, by row id
// ascending after p.AfterID. The database is read first (see the package
// documentation for why that order loses nothing).
func (s *Service) Logs(ctx context.Context, botID int64, p store.Page) ([]store.LogEntry, error) {
	n := p.Limit
	if n <= 0 {
		n = defaultPage
	}
	n = min(n, maxPage)
	hot, err := s.d.Store.ListLogs(ctx, botID, store.Page{AfterID: p.AfterID, Limit: n})
	if err != nil {
		return nil, err
	}
	cold, err := s.reader.Page(ctx, botID, p.AfterID, n)
	if err != nil {
		return nil, unavailable(err)
	}
	all := mergeRows(hot, entriesToRows(cold.Entries))
	return all[:min(n, len(all))], nil
}

// LatestLogs returns the last n lines of a bot's whole log, oldest first:
// from the database, and from the archive's last chunks when the database
// holds fewer.
func (s *Service) LatestLogs(ctx context.Context, botID int64, n int) ([]store.LogEntry, error) {
	hot, err := s.d.Store.LatestLogs(ctx, botID, n)
	if err != nil || len(hot) >= n {
		return hot, err
	}
	refs, err := logarchive.ListChunks(ctx, s.d.Blobs, botID)
	if err != nil {
		return nil, unavailable(err)
	}
	var cold []store.LogEntry
	for i := len(refs) - 1; i >= 0 && len(cold)+len(hot) < n; i-- {
		entries, err := logarchive.ReadChunk(ctx, s.d.Blobs, refs[i])
		if err != nil {
			return nil, unavailable(err)
		}
		cold = mergeRows(cold, entriesToRows(entries))
	}
	all := mergeRows(hot, cold)
	return all[max(0, len(all)-n):], nil
}

// ErrUnavailable means the blob store could not be read: the archived
// part of a log cannot be served right now, and serving the rest would
// skip lines. Callers answer 503 and clients retry.
var ErrUnavailable = errors.New("archive: blob storage unavailable")

// unavailable marks a failed archive read as ErrUnavailable, unless the
// caller gave up or a chunk is damaged (which retrying cannot mend).
func unavailable(err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, logarchive.ErrCorrupt) {
		return err
	}
	return fmt.Errorf("%w: %w", ErrUnavailable, err)
}

// mergeRows merges two id-sorted listings into one, each id once.
func mergeRows(a, b []store.LogEntry) []store.LogEntry {
	out := append(slices.Clip(a), b...)
	slices.SortStableFunc(out, func(x, y store.LogEntry) int { return cmp.Compare(x.ID, y.ID) })
	return slices.CompactFunc(out, func(x, y store.LogEntry) bool { return x.ID == y.ID })
}

func entriesToRows(entries []logarchive.Entry) []store.LogEntry {
	out := make([]store.LogEntry, len(entries))
	for i, e := range entries {
		out[i] = store.LogEntry{ID: e.ID, BotID: e.BotID, EntryID: e.EntryID, Time: e.Time, Level: e.Level, Message: e.Message, Fields: e.Fields}
	}
	return out
}

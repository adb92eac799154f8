package archive

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/meeboter/meeboter/logarchive"
	"github.com/meeboter/meeboter/store"
)

// ArchivePass archives the log rows of every due bot (see the package
// documentation) and returns how many rows moved. A bot that fails is
// left to the next pass; the others go on.
func (s *Service) ArchivePass(ctx context.Context) (int, error) {
	now := s.d.Now()
	due, err := s.d.Store.LogBacklog(ctx, store.LogBacklogQuery{
		MinRows: s.cfg.ChunkLines, OlderThan: now.Add(-s.cfg.Every), Limit: maxBotsPerPass,
	})
	if err != nil {
		return 0, err
	}
	moved := 0
	var errs []error
	for _, b := range due {
		n, err := s.ArchiveBot(ctx, b.BotID, b.Ended)
		moved += n
		if err != nil {
			// One bot's failure (a chunk the store refuses) must not hold
			// back the others; a lost store fails them all anyway.
			errs = append(errs, fmt.Errorf("bot %d: %w", b.BotID, err))
		}
		if ctx.Err() != nil {
			break
		}
	}
	return moved, errors.Join(errs...)
}

// ArchiveBot moves a bot's log rows to the archive, chunk by chunk: all of
// them when the bot has ended, else those older than Config.Quiet. It
// returns how many rows moved.
func (s *Service) ArchiveBot(ctx context.Context, botID int64, ended bool) (int, error) {
	moved := 0
	for {
		rows, err := s.d.Store.LogsToArchive(ctx, botID, s.cfg.ChunkLines)
		if err != nil || len(rows) == 0 {
			return moved, err
		}
		take := rows
		if !ended {
			take = settled(rows, s.d.Now().Add(-s.cfg.Quiet))
		}
		unsettled := len(take) < len(rows)
		if take = fitChunk(take); len(take) == 0 {
			return moved, nil
		}
		if err := s.archiveRows(ctx, botID, take); err != nil {
			return moved, err
		}
		if moved += len(take); unsettled {
			return moved, nil
		}
	}
}

// archiveRows writes one chunk, then deletes exactly its rows.
func (s *Service) archiveRows(ctx context.Context, botID int64, rows []store.LogEntry) error {
	entries := make([]logarchive.Entry, len(rows))
	ids := make([]int64, len(rows))
	for i, r := range rows {
		entries[i] = logarchive.Entry{ID: r.ID, BotID: r.BotID, EntryID: r.EntryID, Time: r.Time, Level: r.Level, Message: r.Message, Fields: r.Fields}
		ids[i] = r.ID
	}
	ref, err := logarchive.WriteChunk(ctx, s.d.Blobs, botID, entries)
	if err != nil {
		return err
	}
	if s.d.AfterUpload != nil {
		if err := s.d.AfterUpload(ref); err != nil {
			return err
		}
	}
	if _, err := s.d.Store.DeleteLogs(ctx, botID, ids); err != nil {
		return errors.Join(fmt.Errorf("delete archived rows %d-%d (they are archived; the next pass retries)", ref.FirstID, ref.LastID), err)
	}
	s.d.Log.Debug("archived log rows", "bot_id", botID, "rows", len(rows), "key", ref.Key)
	return nil
}

// settled keeps the rows before the first one logged at or after cut: a
// prefix, so every row left behind follows the archived ones.
func settled(rows []store.LogEntry, cut time.Time) []store.LogEntry {
	for i, r := range rows {
		if !r.Time.Before(cut) {
			return rows[:i]
		}
	}
	return rows
}

// fitChunk keeps the longest prefix of rows whose JSON stays well under
// the format's chunk limit; a bot logging long lines gets more, smaller
// chunks. The first row always fits: a line is at most 32 KiB.
func fitChunk(rows []store.LogEntry) []store.LogEntry {
	total := 0
	for i, r := range rows {
		total += len(r.Message) + len(r.Fields) + len(r.EntryID) + entryOverhead
		if total > maxChunkJSON && i > 0 {
			return rows[:i]
		}
	}
	return rows
}

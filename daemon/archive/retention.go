package archive

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/meeboter/meeboter/blob"
	"github.com/meeboter/meeboter/logarchive"
	"github.com/meeboter/meeboter/store"
)

// RetentionPass removes what retention says is past keeping: the archive
// and log rows of bots that ended more than LogRetention ago, and the
// screenshots of bots that ended more than ScreenshotRetention ago.
// Blobs go before rows, so a pass cut short is redone whole.
func (s *Service) RetentionPass(ctx context.Context) error {
	now := s.d.Now()
	kinds := []struct {
		kind  string
		keep  time.Duration
		purge func(context.Context, int64) error
	}{
		{store.PurgeLogs, s.cfg.LogRetention, func(ctx context.Context, id int64) error {
			return logarchive.Delete(ctx, s.d.Blobs, id)
		}},
		{store.PurgeScreenshots, s.cfg.ScreenshotRetention, func(ctx context.Context, id int64) error {
			return s.d.Blobs.DeletePrefix(ctx, screenshotPrefix(id))
		}},
	}
	for _, k := range kinds {
		before := now.Add(-k.keep)
		ids, err := s.d.Store.PurgeDue(ctx, store.PurgeQuery{Kind: k.kind, EndedBefore: before, Limit: maxBotsPerPass})
		if err != nil {
			return err
		}
		for _, id := range ids {
			if err := k.purge(ctx, id); err != nil {
				return fmt.Errorf("purge bot %d %s: %w", id, k.kind, err)
			}
			if err := s.d.Store.PurgeBot(ctx, id, k.kind, now); err != nil {
				return fmt.Errorf("purge bot %d %s: %w", id, k.kind, err)
			}
			s.d.Log.Info("retention removed", "bot_id", id, "kind", k.kind)
		}
	}
	return nil
}

// DeleteBot deletes every blob of a bot: its log archive, screenshots and
// recording (also when the bot reported a key outside its prefix). The
// daemon calls it before the bot's rows go, so a failure leaves the bot
// to delete again rather than blobs nobody can find.
func (s *Service) DeleteBot(ctx context.Context, botID int64, recordingKey string) error {
	if recordingKey != "" && !strings.HasPrefix(recordingKey, botPrefix(botID)) && blob.ValidKey(recordingKey) == nil {
		if err := s.d.Blobs.Delete(ctx, recordingKey); err != nil {
			return err
		}
	}
	return s.d.Blobs.DeletePrefix(ctx, botPrefix(botID))
}

func botPrefix(botID int64) string        { return "bots/" + strconv.FormatInt(botID, 10) + "/" }
func screenshotPrefix(botID int64) string { return botPrefix(botID) + "screenshots/" }

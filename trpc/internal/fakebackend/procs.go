package fakebackend

import (
	"context"
	"fmt"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/trpc"
)

// BotConfig refuses unknown bots and bots that finished or are leaving.
func (b *Backend) BotConfig(_ context.Context, id trpc.Identity, botID int64) (cfg trpc.BotConfig, err error) {
	err = b.with(id, botID, func(bot *Bot) error {
		switch {
		case bot == nil:
			return fmt.Errorf("%w: Bot not found: %d", trpc.ErrNotFound, botID)
		case bot.Status.Terminal() || bot.Status == api.StatusLeaving:
			return finished(bot)
		}
		cfg = bot.Config
		return nil
	})
	return cfg, err
}

// SlotConfig answers the assigned bot's config.
func (b *Backend) SlotConfig(ctx context.Context, id trpc.Identity, slotUUID string) (trpc.BotConfig, error) {
	b.mu.Lock()
	botID, known := b.Slots[slotUUID]
	bot := b.Bots[botID]
	b.mu.Unlock()
	switch {
	case !known:
		return trpc.BotConfig{}, fmt.Errorf("%w: Pool slot not found: %s", trpc.ErrNotFound, slotUUID)
	case bot == nil:
		return trpc.BotConfig{}, fmt.Errorf("%w: No bot assigned to pool slot: %s", trpc.ErrNotFound, slotUUID)
	}
	return b.BotConfig(ctx, trpc.Identity{All: true}, botID)
}

// Heartbeat never fails for unknown bots, as the reference.
func (b *Backend) Heartbeat(_ context.Context, id trpc.Identity, botID int64) (hb trpc.Heartbeat, err error) {
	err = b.with(id, botID, func(bot *Bot) error {
		if bot == nil {
			return nil
		}
		bot.Heartbeats++
		level := "TRACE"
		hb = trpc.Heartbeat{ShouldLeave: bot.Status == api.StatusLeaving, LogLevel: &level}
		return nil
	})
	return hb, err
}

// ReportEvent records the event.
func (b *Backend) ReportEvent(_ context.Context, id trpc.Identity, botID int64, ev trpc.Event) error {
	return b.with(id, botID, func(bot *Bot) error {
		if bot == nil {
			return fmt.Errorf("%w: Bot not found: %d", trpc.ErrNotFound, botID)
		}
		bot.Events = append(bot.Events, ev)
		return nil
	})
}

// UpdateStatus records the update and ignores non-terminal ones while
// LEAVING.
func (b *Backend) UpdateStatus(_ context.Context, id trpc.Identity, botID int64, u trpc.StatusUpdate) error {
	return b.with(id, botID, func(bot *Bot) error {
		if bot == nil {
			return fmt.Errorf("%w: Bot not found: %d", trpc.ErrNotFound, botID)
		}
		bot.Statuses = append(bot.Statuses, u)
		if bot.Status != api.StatusLeaving || u.Status.Terminal() {
			bot.Status = u.Status
		}
		return nil
	})
}

// DequeueChat pops the oldest message.
func (b *Backend) DequeueChat(_ context.Context, id trpc.Identity, botID int64) (msg *trpc.ChatMessage, err error) {
	err = b.with(id, botID, func(bot *Bot) error {
		if bot != nil && len(bot.Chat) > 0 {
			m := bot.Chat[0]
			bot.Chat, msg = bot.Chat[1:], &m
		}
		return nil
	})
	return msg, err
}

// AppendLogs stores the entries.
func (b *Backend) AppendLogs(_ context.Context, id trpc.Identity, botID int64, entries []trpc.LogEntry) (n int, err error) {
	err = b.with(id, botID, func(bot *Bot) error {
		if bot != nil {
			bot.Logs = append(bot.Logs, entries...)
		}
		n = len(entries)
		return nil
	})
	return n, err
}

// FlushLogs counts flushes.
func (b *Backend) FlushLogs(_ context.Context, id trpc.Identity, botID int64) error {
	return b.with(id, botID, func(bot *Bot) error {
		if bot != nil {
			bot.Flushes++
		}
		return nil
	})
}

// SaveScreenshot stores the upload under a deterministic key.
func (b *Backend) SaveScreenshot(_ context.Context, id trpc.Identity, botID int64, s trpc.ScreenshotUpload) (info trpc.ScreenshotInfo, err error) {
	err = b.with(id, botID, func(bot *Bot) error {
		if bot == nil {
			return fmt.Errorf("%w: Bot not found", trpc.ErrNotFound)
		}
		bot.Screenshots = append(bot.Screenshots, s)
		now := b.Now()
		info = trpc.ScreenshotInfo{
			Key:        fmt.Sprintf("bots/%d/screenshots/%d-%s-%d.webp", botID, len(bot.Screenshots), s.Type, now.UnixMilli()),
			CapturedAt: now, Type: s.Type, State: s.State, Trigger: s.Trigger,
		}
		return nil
	})
	return info, err
}

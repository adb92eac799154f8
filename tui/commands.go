package tui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/meeboter/meeboter/api"
)

// callTimeout bounds every request, so a hung daemon shows up as an error
// instead of a frozen screen.
const callTimeout = 10 * time.Second

// Page sizes and caps of the initial reads.
const (
	botsPage  = 200
	logsPage  = 200
	maxPages  = 10
	tailLines = 500
	eventKeep = 100
	// forecastStep is the step of the overview's next-hour forecast.
	forecastStep = 10 * time.Minute
)

// loadBots reads the newest bots, page by page, up to maxBots.
func loadBots(ctx context.Context, c Client) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, callTimeout)
		defer cancel()
		var all []api.Bot
		opts := api.BotListOptions{Limit: botsPage}
		for len(all) < maxBots {
			page, err := c.ListBots(ctx, opts)
			if err != nil {
				return botsLoadedMsg{err: err}
			}
			all = append(all, page.Items...)
			if page.NextCursor == "" {
				break
			}
			opts.Cursor = page.NextCursor
		}
		return botsLoadedMsg{bots: all}
	}
}

// refreshFleet reads the given parts of pool capacity, slots and queue.
func refreshFleet(ctx context.Context, c Client, parts fleetPart) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, callTimeout)
		defer cancel()
		msg := fleetRefreshedMsg{parts: parts}
		if parts&partPool != 0 {
			if msg.pool, msg.err = c.Pool(ctx); msg.err != nil {
				return msg
			}
			// The next hour in 10-minute steps; a daemon without
			// forecasts leaves the line out rather than failing the view.
			msg.forecast, _ = c.CapacityForecast(ctx, nil, nil, forecastStep)
		}
		if parts&partSlots != 0 {
			if msg.slots, msg.err = c.PoolSlots(ctx); msg.err != nil {
				return msg
			}
		}
		if parts&partQueue != 0 {
			msg.queue, msg.err = c.Queue(ctx)
		}
		return msg
	}
}

// loadBotDetail reads one bot, its events and the end of its log.
func loadBotDetail(ctx context.Context, c Client, id int64) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, callTimeout)
		defer cancel()
		msg := botDetailMsg{id: id}
		if msg.bot, msg.err = c.GetBot(ctx, id); msg.err != nil {
			return msg
		}
		if msg.events, msg.err = readEvents(ctx, c, id); msg.err != nil {
			return msg
		}
		msg.logs, msg.err = readLogTail(ctx, c, id)
		return msg
	}
}

func readEvents(ctx context.Context, c Client, id int64) ([]api.Event, error) {
	var all []api.Event
	cursor := ""
	for range maxPages {
		page, err := c.BotEvents(ctx, id, cursor, logsPage)
		if err != nil {
			return nil, err
		}
		all = lastN(append(all, page.Items...), eventKeep)
		if cursor = page.NextCursor; cursor == "" {
			break
		}
	}
	return all, nil
}

// readLogTail pages the log from its start (the API pages oldest first)
// and keeps the last tailLines lines. It stops after maxPages pages, so a
// huge log costs a bounded number of requests; the stream then carries on.
func readLogTail(ctx context.Context, c Client, id int64) ([]api.LogEntry, error) {
	var all []api.LogEntry
	cursor := ""
	for range maxPages {
		page, err := c.BotLogs(ctx, id, cursor, logsPage)
		if err != nil {
			return nil, err
		}
		all = lastN(append(all, page.Items...), tailLines)
		if cursor = page.NextCursor; cursor == "" {
			break
		}
	}
	return all, nil
}

func lastN[T any](s []T, n int) []T {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

func tickRefresh(d time.Duration) tea.Cmd {
	return tea.Tick(d, func(time.Time) tea.Msg { return refreshTickMsg{} })
}

func tickClock() tea.Cmd {
	return tea.Tick(time.Second, func(time.Time) tea.Msg { return clockTickMsg{} })
}

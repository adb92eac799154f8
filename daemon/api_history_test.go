package daemon_test

import (
	"testing"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon"
	"github.com/meeboter/meeboter/store"
)

func TestAPIBotHistory(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func(testing.TB) store.Store) {
		d := startDaemon(t, open, daemon.Config{})
		ctx := t.Context()
		b := createBot(t, d.Admin, api.CreateBotRequest{Metadata: map[string]string{"sandbox.call-ends-after": "100ms"}})
		botReaches(t, d.Admin, b.ID, api.StatusDone)

		events := walkAscending(t, "events", func(cursor string) ([]int64, string, error) {
			page, err := d.Admin.Bots().Events(ctx, b.ID, cursor, 2)
			if err != nil {
				return nil, "", err
			}
			var ids []int64
			for _, e := range page.Items {
				if e.BotID != b.ID || e.Type == "" {
					t.Errorf("event %+v", e)
				}
				ids = append(ids, e.ID)
			}
			return ids, page.NextCursor, nil
		})
		if len(events) < 5 {
			t.Errorf("%d events, want the whole life of the bot", len(events))
		}

		var logs []int64
		eventually(t, "logs", func() bool {
			logs = walkAscending(t, "logs", func(cursor string) ([]int64, string, error) {
				page, err := d.Admin.Bots().Logs(ctx, b.ID, cursor, 3)
				if err != nil {
					return nil, "", err
				}
				var ids []int64
				for _, l := range page.Items {
					if l.BotID != b.ID || l.Message == "" || l.Level == "" {
						t.Errorf("log entry %+v", l)
					}
					ids = append(ids, l.ID)
				}
				return ids, page.NextCursor, nil
			})
			return len(logs) > 0
		})

		shots := walkAscending(t, "screenshots", func(cursor string) ([]int64, string, error) {
			page, err := d.Admin.Bots().Screenshots(ctx, b.ID, cursor, 1)
			if err != nil {
				return nil, "", err
			}
			var ids []int64
			for _, s := range page.Items {
				if s.BotID != b.ID || s.Type != "state_change" || s.Size == 0 || s.State == "" {
					t.Errorf("screenshot %+v", s)
				}
				ids = append(ids, s.ID)
			}
			return ids, page.NextCursor, nil
		})
		if len(shots) == 0 {
			t.Error("no screenshots listed")
		}

		fresh := scheduleBot(t, d.Admin, "fresh")
		for name, list := range map[string]func() (int, error){
			"events": func() (int, error) { p, err := d.Admin.Bots().Events(ctx, fresh.ID, "", 0); return len(p.Items), err },
			"logs":   func() (int, error) { p, err := d.Admin.Bots().Logs(ctx, fresh.ID, "", 0); return len(p.Items), err },
			"screenshots": func() (int, error) {
				p, err := d.Admin.Bots().Screenshots(ctx, fresh.ID, "", 0)
				return len(p.Items), err
			},
			"chat": func() (int, error) {
				p, err := d.Admin.Bots().ChatHistory(ctx, fresh.ID, "", 0)
				return len(p.Items), err
			},
		} {
			if n, err := list(); err != nil || n != 0 {
				t.Errorf("%s of a bot not started: %d, %v", name, n, err)
			}
		}
	})
}

// walkAscending follows a listing's cursor to its end and checks that its
// ids rise strictly across pages.
func walkAscending(tb testing.TB, what string, page func(cursor string) ([]int64, string, error)) []int64 {
	tb.Helper()
	var all []int64
	cursor := ""
	for range 1000 {
		ids, next, err := page(cursor)
		if err != nil {
			tb.Fatalf("%s: %v", what, err)
		}
		for _, id := range ids {
			if len(all) > 0 && id <= all[len(all)-1] {
				tb.Fatalf("%s: id %d after %d", what, id, all[len(all)-1])
			}
			all = append(all, id)
		}
		if next == "" {
			return all
		}
		cursor = next
	}
	tb.Fatalf("%s: the cursor never ends", what)
	return nil
}

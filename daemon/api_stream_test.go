package daemon_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon"
	"github.com/meeboter/meeboter/store"
)

// follow streams in the background until the test ends; the returned
// channel carries each message, and closes when the stream ends.
func follow(tb testing.TB, c *api.Client, opts api.StreamOptions) <-chan api.StreamEvent {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ch := make(chan api.StreamEvent, 256)
	done := make(chan struct{})
	tb.Cleanup(func() {
		cancel()
		<-done
	})
	go func() {
		defer close(done)
		defer close(ch)
		_ = c.Stream(ctx, opts, func(ev api.StreamEvent) error {
			select {
			case ch <- ev:
			case <-ctx.Done():
			}
			return nil
		})
	}()
	return ch
}

// next waits for the first message that match accepts.
func next(tb testing.TB, ch <-chan api.StreamEvent, what string, match func(api.StreamEvent) bool) api.StreamEvent {
	tb.Helper()
	timeout := time.After(30 * time.Second)
	for {
		select {
		case ev, ok := <-ch:
			if !ok {
				tb.Fatalf("stream ended before %s", what)
			}
			if match(ev) {
				return ev
			}
		case <-timeout:
			tb.Fatalf("timed out waiting for %s", what)
		}
	}
}

func botIs(id int64, status api.BotStatus) func(api.StreamEvent) bool {
	return func(ev api.StreamEvent) bool {
		return ev.Type == "bot" && ev.Bot != nil && ev.Bot.ID == id && ev.Bot.Status == status
	}
}

func TestAPIStreamBot(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func(testing.TB) store.Store) {
		d := startDaemon(t, open, daemon.Config{})
		ctx := t.Context()
		b := scheduleBot(t, d.Admin, "streamed")
		ch := follow(t, d.Admin, api.StreamOptions{BotID: b.ID})
		first := next(t, ch, "the first message", func(api.StreamEvent) bool { return true })
		if first.Type != "bot" || first.Bot == nil || first.Bot.ID != b.ID || first.Bot.Status != api.StatusScheduled || first.Bot.DisplayName != "streamed" {
			t.Fatalf("first message %+v, want the bot as it is", first)
		}
		if _, err := d.Admin.Bots().Cancel(ctx, b.ID); err != nil {
			t.Fatal(err)
		}
		ev := next(t, ch, "the bot to be DONE", botIs(b.ID, api.StatusDone))
		if ev.Bot.EndReason != api.ReasonCancelled {
			t.Errorf("streamed end %+v", ev.Bot)
		}
		next(t, ch, "the cancel event", func(ev api.StreamEvent) bool {
			return ev.Type == "event" && ev.Event != nil && ev.Event.BotID == b.ID && ev.Event.Type == "USER_CANCELLED_DEPLOYMENT"
		})

		live := createBot(t, d.Admin, api.CreateBotRequest{Metadata: map[string]string{"sandbox.call-ends-after": "1h"}})
		lch := follow(t, d.Admin, api.StreamOptions{BotID: live.ID})
		next(t, lch, "the bot in its call", botIs(live.ID, api.StatusInCall))
		next(t, lch, "a log line", func(ev api.StreamEvent) bool { return ev.Type == "log" && ev.Log != nil && ev.Log.BotID == live.ID })
		if _, err := d.Admin.Bots().Leave(ctx, live.ID); err != nil {
			t.Fatal(err)
		}
		next(t, lch, "the bot to leave", botIs(live.ID, api.StatusLeaving))
		next(t, lch, "the bot to be DONE", botIs(live.ID, api.StatusDone))

		err := d.Admin.Stream(ctx, api.StreamOptions{BotID: missingID}, func(api.StreamEvent) error { return nil })
		wantError(t, err, http.StatusNotFound, api.CodeNotFound)
	})
}

// live waits until a fleet stream carries a bot that probe makes, which
// proves that the stream is subscribed.
func live(tb testing.TB, ch <-chan api.StreamEvent, probe func() *api.Bot) {
	tb.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		p := probe()
		wait := time.After(500 * time.Millisecond)
		for {
			select {
			case ev := <-ch:
				if ev.Bot != nil && ev.Bot.ID == p.ID && ev.Bot.Status == p.Status {
					return
				}
				continue
			case <-wait:
			}
			break
		}
	}
	tb.Fatal("the stream never carried a new bot")
}

func TestAPIStreamFleet(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func(testing.TB) store.Store) {
		d := startDaemon(t, open, daemon.Config{})
		ctx := t.Context()
		m, _ := member(t, d, "fleet@example.com")
		all := follow(t, d.Admin, api.StreamOptions{})
		ended := follow(t, d.Admin, api.StreamOptions{Statuses: []api.BotStatus{api.StatusDone}})
		theirs := follow(t, m, api.StreamOptions{})
		live(t, all, func() *api.Bot { return scheduleBot(t, d.Admin, "probe") })
		live(t, ended, func() *api.Bot { return endedBot(t, d.Admin) })
		live(t, theirs, func() *api.Bot { return scheduleBot(t, m, "probe") })

		b := scheduleBot(t, d.Admin, "fleet")
		next(t, all, "the new bot", botIs(b.ID, api.StatusScheduled))
		if _, err := d.Admin.Bots().Cancel(ctx, b.ID); err != nil {
			t.Fatal(err)
		}
		next(t, all, "the bot to be DONE", botIs(b.ID, api.StatusDone))
		ev := next(t, ended, "a DONE bot", func(ev api.StreamEvent) bool { return ev.Type == "bot" && ev.Bot.ID == b.ID })
		if ev.Bot.Status != api.StatusDone {
			t.Errorf("stream of DONE bots carried %+v", ev.Bot)
		}

		mark := scheduleBot(t, m, "mark")
		next(t, theirs, "the member's own bot", func(ev api.StreamEvent) bool {
			if (ev.Bot != nil && ev.Bot.ID == b.ID) || (ev.Event != nil && ev.Event.BotID == b.ID) {
				t.Errorf("the member's stream carried another user's bot: %+v", ev)
			}
			return ev.Bot != nil && ev.Bot.ID == mark.ID
		})
	})
}

// TestStreamEndsWhenItsKeyIsRevoked: an open stream stops delivering
// within a few seconds of its key's revocation.
func TestStreamEndsWhenItsKeyIsRevoked(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func(testing.TB) store.Store) {
		d := startDaemon(t, open, daemon.Config{})
		created, err := d.Admin.Keys().Create(t.Context(), api.CreateKeyRequest{Name: "stream"})
		if err != nil {
			t.Fatal(err)
		}
		ch := follow(t, d.Client(t, created.Secret), api.StreamOptions{})
		// A bot change seen proves the stream is open before the
		// revocation; the stream may subscribe after the first create.
		seen := false
		for try := 0; try < 20 && !seen; try++ {
			scheduleBot(t, d.Client(t, created.Secret), "watched")
			select {
			case ev := <-ch:
				seen = ev.Bot != nil
			case <-time.After(500 * time.Millisecond):
			}
		}
		if !seen {
			t.Fatal("the stream delivered nothing")
		}
		if _, err := d.Admin.Keys().Revoke(t.Context(), created.ID); err != nil {
			t.Fatal(err)
		}
		deadline := time.After(10 * time.Second)
		for {
			select {
			case _, ok := <-ch:
				if !ok {
					return
				}
			case <-deadline:
				t.Fatal("the stream kept going after its key was revoked")
			}
		}
	})
}

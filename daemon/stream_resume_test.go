package daemon_test

import (
	"bufio"
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon"
	"github.com/meeboter/meeboter/store"
	"github.com/meeboter/meeboter/store/storetest"
)

// collect reads a stream until stop accepts a message (which it includes)
// and returns what it read, cancelling the stream after it.
func collect(tb testing.TB, c *api.Client, opts api.StreamOptions, stop func(api.StreamEvent) bool) []api.StreamEvent {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var got []api.StreamEvent
	errDone := context.Canceled
	err := c.Stream(ctx, opts, func(ev api.StreamEvent) error {
		if ev.Type == api.StreamPing || ev.Type == api.StreamHeartbeats {
			return nil
		}
		got = append(got, ev)
		if stop(ev) {
			return errDone
		}
		return nil
	})
	if err != errDone {
		tb.Fatalf("stream ended with %v after %d messages, before the one awaited", err, len(got))
	}
	return got
}

// lastID is the id of the last message of msgs that has one.
func lastID(tb testing.TB, msgs []api.StreamEvent) string {
	tb.Helper()
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].ID != "" {
			return msgs[i].ID
		}
	}
	tb.Fatal("no message carries an id")
	return ""
}

// statuses lists the bot states a stream showed of one bot.
func statuses(msgs []api.StreamEvent, botID int64) []api.BotStatus {
	var out []api.BotStatus
	for _, m := range msgs {
		if m.Bot != nil && m.Bot.ID == botID {
			out = append(out, m.Bot.Status)
		}
	}
	return out
}

// TestAPIStreamHello checks a fleet stream says hello at once, with an id,
// and then carries the heartbeat times of the caller's live bots.
func TestAPIStreamHello(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func(testing.TB) store.Store) {
		d := startDaemon(t, open, daemon.Config{StreamHeartbeats: 100 * time.Millisecond})
		b := createBot(t, d.Admin, api.CreateBotRequest{Metadata: map[string]string{
			"sandbox.call-ends-after": "1h", "sandbox.heartbeat-interval": "50ms"}})
		ch := follow(t, d.Admin, api.StreamOptions{})
		first := next(t, ch, "the first message", func(api.StreamEvent) bool { return true })
		if first.Type != api.StreamHello || first.ID == "" {
			t.Fatalf("first message %+v, want a hello with an id", first)
		}
		ev := next(t, ch, "the bot's heartbeat", func(ev api.StreamEvent) bool {
			return ev.Type == api.StreamHeartbeats && len(ev.Heartbeats) > 0 && ev.Heartbeats[0].BotID == b.ID
		})
		if ev.Heartbeats[0].At.IsZero() || ev.ID != "" {
			t.Fatalf("heartbeats %+v (id %q): want a time and no id", ev.Heartbeats, ev.ID)
		}
		// A bot beats from its waiting room on, and may only be told to
		// leave from its call.
		botReaches(t, d.Admin, b.ID, api.StatusInCall)
		if _, err := d.Admin.Bots().Leave(t.Context(), b.ID); err != nil {
			t.Fatal(err)
		}
	})
}

// TestAPIStreamResume disconnects from a bot's stream, lets it change, and
// reconnects with the last id seen: the missed changes come, in order, and
// log lines carry their stored ids.
func TestAPIStreamResume(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func(testing.TB) store.Store) {
		d := startDaemon(t, open, daemon.Config{})
		b := scheduleBot(t, d.Admin, "resumed")
		opts := api.StreamOptions{BotID: b.ID}
		before := collect(t, d.Admin, opts, func(ev api.StreamEvent) bool { return ev.Type == api.StreamBot })
		if _, err := d.Admin.Bots().SetLogLevel(t.Context(), b.ID, "DEBUG"); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Admin.Bots().Cancel(t.Context(), b.ID); err != nil {
			t.Fatal(err)
		}
		opts.LastEventID = lastID(t, before)
		after := collect(t, d.Admin, opts, func(ev api.StreamEvent) bool {
			return ev.Event != nil && ev.Event.Type == "USER_CANCELLED_DEPLOYMENT"
		})
		got := statuses(after, b.ID)
		if len(got) < 2 || got[0] != api.StatusScheduled || got[len(got)-1] != api.StatusDone || after[0].Bot.LogLevel != "DEBUG" {
			t.Fatalf("after resuming: states %v, first %+v; want the log level change, then DONE", got, after[0])
		}
		var cancelled bool
		for _, m := range after {
			cancelled = cancelled || (m.Event != nil && m.Event.Type == "USER_CANCELLED_DEPLOYMENT" && m.Event.ID != 0)
		}
		if !cancelled {
			t.Fatal("the missed cancel event, with its stored id, did not come")
		}

		live := callBot(t, d.Admin)
		lines := collect(t, d.Admin, api.StreamOptions{BotID: live.ID}, func(ev api.StreamEvent) bool { return ev.Log != nil })
		l := lines[len(lines)-1].Log
		stored, err := d.Admin.Bots().Logs(t.Context(), live.ID, "", 500)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, s := range stored.Items {
			found = found || (s.ID == l.ID && s.Message == l.Message)
		}
		if l.ID == 0 || !found {
			t.Fatalf("streamed line %+v: want the id it is stored under", l)
		}
		if _, err := d.Admin.Bots().Leave(t.Context(), live.ID); err != nil {
			t.Fatal(err)
		}
	})
}

// TestAPIStreamReset checks a client resuming from an id the daemon cannot
// replay from is told to reload, then follows as usual.
func TestAPIStreamReset(t *testing.T) {
	t.Parallel()
	d := startDaemon(t, storetest.OpenSQLite, daemon.Config{})
	b := scheduleBot(t, d.Admin, "reset")
	for _, id := range []string{"999999999", "not-a-number"} {
		fleet := collect(t, d.Admin, api.StreamOptions{LastEventID: id}, func(ev api.StreamEvent) bool { return ev.Type == api.StreamReset })
		if len(fleet) != 2 || fleet[0].Type != api.StreamHello || fleet[1].ID != "" {
			t.Fatalf("fleet stream from %s: %+v, want hello then reset", id, fleet)
		}
		one := collect(t, d.Admin, api.StreamOptions{BotID: b.ID, LastEventID: id}, func(ev api.StreamEvent) bool { return ev.Type == api.StreamBot })
		if len(one) != 2 || one[0].Type != api.StreamReset || one[1].Bot.ID != b.ID || one[1].ID == "" {
			t.Fatalf("bot stream from %s: %+v, want reset then the bot with an id", id, one)
		}
	}
	// EventSource cannot set headers on its first request: the query works too.
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, d.URL+"/v1/events/stream?lastEventId=nope", nil)
	req.Header.Set("Authorization", "Bearer "+d.AdminKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() && sc.Text() != "event: reset" {
	}
	if sc.Text() != "event: reset" {
		t.Fatalf("?lastEventId=nope: no reset (%v)", sc.Err())
	}
}

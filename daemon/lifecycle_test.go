package daemon_test

import (
	"context"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/daemontest"
	"github.com/meeboter/meeboter/store"
	"github.com/meeboter/meeboter/store/storetest"
)

const meetURL = "https://meet.google.com/abc-defg-hij"

// forEachEngine runs fn against SQLite, and PostgreSQL when configured.
func forEachEngine(t *testing.T, fn func(t *testing.T, open func(testing.TB) store.Store)) {
	for name, open := range storetest.Engines(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			fn(t, open)
		})
	}
}

// waitStatus polls a bot until it reaches one of the statuses.
func waitStatus(t *testing.T, c *api.Client, id int64, want ...api.BotStatus) *api.Bot {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		b, err := c.Bots().Get(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range want {
			if b.Status == w {
				return b
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("bot %d is %s (%s), want %v", id, b.Status, b.EndReason, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestBotLivesItsWholeLife(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func(testing.TB) store.Store) {
		d := daemontest.Start(t, daemontest.Options{Store: open(t)})
		ctx := t.Context()
		b, err := d.Admin.Bots().Create(ctx, api.CreateBotRequest{Meeting: api.Meeting{MeetingURL: meetURL}})
		if err != nil {
			t.Fatal(err)
		}
		if b.Status != api.StatusDeploying || b.Meeting.Platform != api.MeetingGoogleMeet {
			t.Fatalf("created bot is %s on %q", b.Status, b.Meeting.Platform)
		}
		done := waitStatus(t, d.Admin, b.ID, api.StatusDone, api.StatusFatal)
		if done.Status != api.StatusDone || done.EndReason != api.ReasonCompleted {
			t.Fatalf("bot ended %s/%s (%s)", done.Status, done.EndReason, done.EndDetail)
		}
		events, err := d.Admin.Bots().Events(ctx, b.ID, "", 500)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, e := range events.Items {
			seen[e.Type] = true
		}
		for _, want := range []string{"DEPLOYED", "JOINING_CALL", "IN_WAITING_ROOM", "IN_CALL", "DONE"} {
			if !seen[want] {
				t.Errorf("no %s event among %v", want, seen)
			}
		}
		logs, err := d.Admin.Bots().Logs(ctx, b.ID, "", 500)
		if err != nil || len(logs.Items) == 0 {
			t.Fatalf("no logs stored: %v", err)
		}
	})
}

func TestLeaveEndsBotDone(t *testing.T) {
	t.Parallel()
	d := daemontest.Start(t, daemontest.Options{})
	ctx := t.Context()
	b, err := d.Admin.Bots().Create(ctx, api.CreateBotRequest{Meeting: api.Meeting{MeetingURL: meetURL},
		Metadata: map[string]string{"sandbox.call-ends-after": "1h"}})
	if err != nil {
		t.Fatal(err)
	}
	waitStatus(t, d.Admin, b.ID, api.StatusInCall)
	if _, err := d.Admin.Bots().Leave(ctx, b.ID); err != nil {
		t.Fatal(err)
	}
	done := waitStatus(t, d.Admin, b.ID, api.StatusDone, api.StatusFatal)
	if done.Status != api.StatusDone || done.EndReason != api.ReasonLeftByRequest {
		t.Fatalf("bot ended %s/%s, want DONE/left_by_request", done.Status, done.EndReason)
	}
}

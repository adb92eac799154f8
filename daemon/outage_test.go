package daemon_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/daemontest"
	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/store"
	"github.com/meeboter/meeboter/store/storetest"
	"github.com/meeboter/meeboter/trpc"
	"github.com/meeboter/meeboter/trpc/trpcclient"
)

// inCallBot creates a bot on an Instant platform and walks it into its
// call through the tRPC protocol, returning the bot and a client holding
// its own token.
func inCallBot(t *testing.T, d *daemontest.Daemon, p *daemontest.Instant) (*api.Bot, *trpcclient.Client) {
	t.Helper()
	b := createBot(t, d.Admin, api.CreateBotRequest{Meeting: api.Meeting{MeetingURL: meetURL}})
	eventually(t, "the bot deployed", func() bool { return p.Token(b.ID) != "" })
	tc := trpcclient.New(d.URL, p.Token(b.ID), nil)
	for _, st := range []api.BotStatus{api.StatusJoiningCall, api.StatusInCall} {
		if err := tc.UpdateStatus(t.Context(), b.ID, trpc.StatusUpdate{Status: st}); err != nil {
			t.Fatalf("report %s: %v", st, err)
		}
	}
	botReaches(t, d.Admin, b.ID, api.StatusInCall)
	return b, tc
}

// TestDatabaseOutage: while the database cannot answer, a live bot's
// heartbeat is an error it retries, never "leave"; an API call is a 503
// unavailable with Retry-After, never a 401; and when the database is back
// the bot is still in its call.
func TestDatabaseOutage(t *testing.T) {
	t.Parallel()
	for name := range storetest.Engines(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			st, outage := storetest.OpenWithOutage(t, name)
			p := daemontest.NewInstant(platforms.Local, 4)
			d := daemontest.Start(t, daemontest.Options{Store: st, Platforms: []platforms.Platform{p}})
			b, tc := inCallBot(t, d, p)
			token := p.Token(b.ID)

			outage.Down()
			_, err := tc.SendHeartbeat(t.Context(), b.ID)
			var te *trpcclient.Error
			if !errors.As(err, &te) || te.Code != "INTERNAL_SERVER_ERROR" {
				t.Fatalf("tRPC heartbeat during the outage: %v, want INTERNAL_SERVER_ERROR", err)
			}
			native := send(t, d, token, http.MethodPost, "/v1/agent/heartbeat", "")
			wantUnavailable(t, native)
			listing := send(t, d, d.AdminKey, http.MethodGet, "/v1/bots", "")
			wantUnavailable(t, listing)
			const create = `{"meeting":{"meetingUrl":"https://meet.google.com/abc-defg-hij"}}`
			wantUnavailable(t, send(t, d, d.AdminKey, http.MethodPost, "/v1/bots", create))

			outage.Up()
			var hb trpc.Heartbeat
			eventually(t, "the heartbeat answers again", func() bool {
				hb, err = tc.SendHeartbeat(context.Background(), b.ID)
				return err == nil
			})
			if hb.ShouldLeave {
				t.Fatal("after the outage the bot was told to leave")
			}
			if got := botReaches(t, d.Admin, b.ID, api.StatusInCall); got.Status != api.StatusInCall {
				t.Fatalf("after the outage the bot is %s", got.Status)
			}
			// A create refused by the outage holds nothing up: the next one is
			// stored and admitted.
			if r := send(t, d, d.AdminKey, http.MethodPost, "/v1/bots", create); r.status != http.StatusCreated {
				t.Fatalf("a create after the outage: %d %s", r.status, r.body)
			}
		})
	}
}

func wantUnavailable(t *testing.T, r reply) {
	t.Helper()
	p := wantProblem(t, r, http.StatusServiceUnavailable, api.CodeUnavailable)
	if p.RetryAfterSeconds <= 0 || r.header.Get("Retry-After") == "" {
		t.Errorf("unavailable without Retry-After: %+v, header %q", p, r.header.Get("Retry-After"))
	}
}

// TestStatusEventAcrossReplicas: the original bots report a status event
// and then updateStatus; behind a load balancer the two reach different
// daemons. One status change is stored, with the event's sub code.
func TestStatusEventAcrossReplicas(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func(testing.TB) store.Store) {
		st := open(t)
		p := daemontest.NewInstant(platforms.Local, 4)
		d1 := daemontest.Start(t, daemontest.Options{Store: st, Platforms: []platforms.Platform{p}})
		d2 := daemontest.Start(t, daemontest.Options{Store: st, Platforms: []platforms.Platform{p}})
		b, tc1 := inCallBot(t, d1, p)
		tc2 := trpcclient.New(d2.URL, p.Token(b.ID), nil)
		desc, sub := "Maximum duration exceeded", "MAX_DURATION"
		ev := trpc.Event{Type: string(api.StatusFatal), Time: time.Now().UTC(), Data: &trpc.EventData{Description: &desc, SubCode: &sub}}
		if err := tc1.ReportEvent(t.Context(), b.ID, ev); err != nil {
			t.Fatal(err)
		}
		if err := tc2.UpdateStatus(t.Context(), b.ID, trpc.StatusUpdate{Status: api.StatusFatal}); err != nil {
			t.Fatal(err)
		}
		got := botReaches(t, d2.Admin, b.ID, api.StatusFatal)
		if got.EndReason != sub || got.EndDetail != desc {
			t.Fatalf("ended %s with %q / %q, want %q / %q", got.Status, got.EndReason, got.EndDetail, sub, desc)
		}
		events, err := d1.Admin.Bots().Events(t.Context(), b.ID, "", 100)
		if err != nil {
			t.Fatal(err)
		}
		fatal := 0
		for _, e := range events.Items {
			if e.Type == string(api.StatusFatal) {
				fatal++
			}
		}
		if fatal != 1 {
			t.Fatalf("%d FATAL events stored, want 1: %+v", fatal, events.Items)
		}
	})
}

package web

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/store"
)

func TestAgo(t *testing.T) {
	t.Parallel()
	now := time.Date(2030, 1, 10, 12, 0, 0, 0, time.UTC)
	for d, want := range map[time.Duration]string{
		-10 * time.Second: "just now", -5 * time.Minute: "5 min ago", 20 * time.Minute: "in 20 min", -3 * time.Hour: "3 h ago",
		-72 * time.Hour: "3 days ago", -60 * 24 * time.Hour: "11 Nov 2029",
	} {
		if got := ago(now, now.Add(d)); got != want {
			t.Errorf("ago(%v) = %q, want %q", d, got, want)
		}
	}
	if got := ago(now, (*time.Time)(nil)); got != "—" {
		t.Errorf("ago(nil) = %q", got)
	}
}

func TestUsageChart(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		bots      []int
		top, step int
	}{{nil, 4, 1}, {[]int{0, 3}, 4, 1}, {[]int{5}, 5, 1}, {[]int{14, 2}, 15, 5}, {[]int{100}, 100, 20}, {[]int{1234}, 1500, 500}} {
		days := make([]api.UsageDay, len(tt.bots))
		for i, n := range tt.bots {
			days[i] = api.UsageDay{Date: time.Date(2030, 1, 1+i, 0, 0, 0, 0, time.UTC).Format("2006-01-02"), Bots: n}
		}
		top, step := axis(days)
		if top != tt.top || step != tt.step {
			t.Errorf("axis(%v) = %d by %d, want %d by %d", tt.bots, top, step, tt.top, tt.step)
		}
		c := usageChart(days)
		if len(c.Bars) != len(days) || len(c.Ticks) != top/step+1 {
			t.Errorf("%v: %d bars, %d ticks", tt.bots, len(c.Bars), len(c.Ticks))
		}
		for i, b := range c.Bars {
			if b.Y < chartTop-0.1 || b.Y+b.H > c.Bottom+0.1 || b.X < c.Left || b.X+b.W > c.Width {
				t.Errorf("%v: bar %d at %+v leaves the plot", tt.bots, i, b)
			}
		}
	}
	// Thirty days keep at most ten date labels.
	days := make([]api.UsageDay, 30)
	for i := range days {
		days[i].Date = "2030-01-01"
	}
	labels := 0
	for _, b := range usageChart(days).Bars {
		if b.Label != "" {
			labels++
		}
	}
	if labels > maxXLabels {
		t.Errorf("%d date labels", labels)
	}
}

func TestTimeline(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2030, 1, 1, 10, 0, 0, 0, time.UTC)
	at := func(s int) *time.Time { v := t0.Add(time.Duration(s) * time.Second); return &v }
	b := store.Bot{CreatedAt: t0, QueuedAt: at(1), DeployStartedAt: at(5), DeploymentPlatform: "k8s", Status: api.StatusFatal,
		EndReason: "SIGN_IN_REQUIRED", EndDetail: "the meeting needs a signed-in account", EndedAt: at(9)}
	events := []store.Event{
		{Type: "DEPLOYED", Time: *at(6)},
		{Type: string(api.StatusJoiningCall), Time: *at(7)},
		{Type: string(api.StatusFatal), Time: *at(9), Data: json.RawMessage(`{"sub_code":"SIGN_IN_REQUIRED"}`)},
	}
	steps := timeline(b, events)
	want := []api.BotStatus{api.StatusScheduled, api.StatusQueued, api.StatusDeploying, api.StatusJoiningCall, api.StatusFatal}
	if len(steps) != len(want) {
		t.Fatalf("steps %+v", steps)
	}
	for i, s := range steps {
		if s.Status != want[i] {
			t.Fatalf("step %d is %s, want %s", i, s.Status, want[i])
		}
	}
	last := steps[len(steps)-1]
	if last.Reason != "SIGN_IN_REQUIRED" || last.Detail != "the meeting needs a signed-in account" || steps[2].Detail != "on k8s" {
		t.Fatalf("steps %+v", steps)
	}
	// A bot cancelled before any status event still ends its timeline.
	done := timeline(store.Bot{CreatedAt: t0, Status: api.StatusDone, EndReason: api.ReasonCancelled, EndedAt: at(3)}, nil)
	if len(done) != 2 || done[1].Status != api.StatusDone || done[1].Reason != api.ReasonCancelled {
		t.Fatalf("cancelled: %+v", done)
	}
}

func TestWaitText(t *testing.T) {
	t.Parallel()
	for in, want := range map[any]string{int64(0): "—", int64(30): "about a minute", int64(600): "about 10 min", 2 * time.Hour: "about 2.0 h"} {
		if got := waitText(in); got != want {
			t.Errorf("waitText(%v) = %q, want %q", in, got, want)
		}
	}
}

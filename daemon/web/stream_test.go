package web_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/daemontest"
	"github.com/meeboter/meeboter/platforms"
)

// events reads a console stream's events until want of them have come.
func events(tb testing.TB, b *browser, path string, want int) []api.StreamEvent {
	tb.Helper()
	req, _ := http.NewRequestWithContext(tb.Context(), http.MethodGet, b.base+path, nil)
	resp, err := b.hc.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(resp.Body)
		tb.Fatalf("%s: %d %s", path, resp.StatusCode, body)
	}
	var out []api.StreamEvent
	sc := bufio.NewScanner(resp.Body)
	for len(out) < want && sc.Scan() {
		if data, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
			var ev api.StreamEvent
			if err := json.Unmarshal([]byte(data), &ev); err != nil {
				tb.Fatal(err)
			}
			out = append(out, ev)
		}
	}
	if len(out) < want {
		tb.Fatalf("%s ended after %d events: %v", path, len(out), sc.Err())
	}
	return out
}

// TestLiveStream_CatchUp: a stream starts with what the page may have
// missed while it loaded: the current state of the bots it names, and a
// bot's events after the last one it shows.
func TestLiveStream_CatchUp(t *testing.T) {
	t.Parallel()
	d := start(t)
	mine := newBot(t, d.Admin, nil)
	other, _ := memberKey(t, d, "o@example.test")
	theirs := newBot(t, other, nil)
	waitDeployed(t, d, mine.ID)
	b := newBrowser(t, d.URL)
	b.signIn(d.AdminKey)

	first := events(t, b, fmt.Sprintf("/live?ids=%d,%d,junk", theirs.ID, mine.ID), 1)
	if first[0].Bot == nil || first[0].Bot.ID != mine.ID || first[0].Bot.Status != api.StatusDeploying {
		t.Fatalf("the fleet stream starts with %+v", first[0])
	}
	// The bot's history starts with its admission's ROUTED event.
	evs := events(t, b, fmt.Sprintf("/bots/%d/live?events=0&logs=0", mine.ID), 3)
	if evs[0].Bot == nil || evs[1].Event == nil || evs[1].Event.Type != api.EventRouted || evs[2].Event == nil || evs[2].Event.Type != "DEPLOYED" {
		t.Fatalf("the bot stream starts with %+v, %+v, %+v", evs[0], evs[1], evs[2])
	}
	// Past the last event, the catch-up is empty: the next message is live.
	go func() { _, _ = d.Admin.Bots().Cancel(t.Context(), mine.ID) }()
	evs = events(t, b, fmt.Sprintf("/bots/%d/live?events=%d&logs=0", mine.ID, evs[2].Event.ID), 2)
	if evs[1].Bot == nil && (evs[1].Event == nil || evs[1].Event.Type == "DEPLOYED" || evs[1].Event.Type == api.EventRouted) {
		t.Fatalf("the stream resent the page's events: %+v", evs[1])
	}
}

// waitDeployed follows the bot's REST stream until its DEPLOYED event is
// stored: the event may come live, or have been written before the stream
// opened, which the first message's platform id then shows.
func waitDeployed(tb testing.TB, d *daemontest.Daemon, id int64) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(tb.Context(), 30*time.Second)
	defer cancel()
	done := errors.New("deployed")
	err := d.Admin.Stream(ctx, api.StreamOptions{BotID: id}, func(ev api.StreamEvent) error {
		if ev.Event != nil && ev.Event.Type == "DEPLOYED" {
			return done
		}
		if ev.Bot != nil && ev.Bot.PlatformID != "" {
			if evs, err := d.Admin.Bots().Events(ctx, id, "", 10); err == nil && len(evs.Items) > 0 {
				return done
			}
		}
		return nil
	})
	if !errors.Is(err, done) {
		tb.Fatalf("bot %d never deployed: %v", id, err)
	}
}

// TestPool_Queue fills a platform of one and sees the others queued, in
// order, with estimates.
func TestPool_Queue(t *testing.T) {
	t.Parallel()
	d := daemontest.Start(t, daemontest.Options{Platforms: []platforms.Platform{daemontest.NewInstant(platforms.Local, 1)}})
	var ids []int64
	for range 3 {
		ids = append(ids, newBot(t, d.Admin, nil).ID)
	}
	b := newBrowser(t, d.URL)
	b.signIn(d.AdminKey)
	p := b.get("/pool")
	mustContain(t, p, "2 waiting", "about ", fmt.Sprintf("#%d, user 1", ids[1]), fmt.Sprintf("#%d, user 1", ids[2]))
	if strings.Index(p.body, fmt.Sprintf("#%d,", ids[1])) > strings.Index(p.body, fmt.Sprintf("#%d,", ids[2])) {
		t.Fatal("the queue is not in admission order")
	}
	mustContain(t, b.get("/bots"), "position 1", "position 2")
}

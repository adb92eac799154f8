package web_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/meeboter/meeboter/daemon/daemontest"
	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/store"
	"github.com/meeboter/meeboter/store/storetest"
)

// benchDaemon starts a daemon on the engine with n bots of the admin, and a
// signed-in browser.
func benchDaemon(b *testing.B, open func(testing.TB) store.Store, n int) (*daemontest.Daemon, *browser) {
	b.Helper()
	d := daemontest.Start(b, daemontest.Options{Store: open(b), Platforms: []platforms.Platform{daemontest.NewInstant(platforms.Local, n+1)}})
	for i := range n {
		newBot(b, d.Admin, map[string]string{"n": fmt.Sprint(i)})
	}
	br := newBrowser(b, d.URL)
	br.signIn(d.AdminKey)
	return d, br
}

// BenchmarkBotsPage renders the Bots page of 50 bots for a signed-in
// browser over loopback: session check, listing, queue read, writing the page.
func BenchmarkBotsPage(b *testing.B) {
	for name, open := range storetest.Engines(b) {
		b.Run(name, func(b *testing.B) {
			_, br := benchDaemon(b, open, 50)
			benchGet(b, br, "/bots")
		})
	}
}

// BenchmarkBotPage renders one bot's page with 200 log lines and 100
// events: details, timeline, events, log tail, screenshots and chat.
func BenchmarkBotPage(b *testing.B) {
	for name, open := range storetest.Engines(b) {
		b.Run(name, func(b *testing.B) {
			d, br := benchDaemon(b, open, 1)
			var events []store.Event
			var logs []store.LogEntry
			now := time.Now().UTC()
			for i := range 200 {
				logs = append(logs, store.LogEntry{BotID: 1, EntryID: fmt.Sprint(i), Time: now, Level: "INFO", Message: "a line of the bot's log"})
				if i < 100 {
					events = append(events, store.Event{BotID: 1, Type: "PARTICIPANT_JOIN", Time: now})
				}
			}
			if err := d.Store.InsertLogs(context.Background(), logs); err != nil {
				b.Fatal(err)
			}
			if err := d.Store.InsertEvents(context.Background(), events); err != nil {
				b.Fatal(err)
			}
			benchGet(b, br, "/bots/1")
		})
	}
}

func benchGet(b *testing.B, br *browser, path string) {
	b.Helper()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if p := br.get(path); p.status != http.StatusOK {
			b.Fatalf("%s: %d", path, p.status)
		}
	}
}

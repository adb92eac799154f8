package daemon_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/meeboter/meeboter/daemon/daemontest"
	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/store"
	"github.com/meeboter/meeboter/store/storetest"
)

// fuzzRoutes are the user API's writes and the listings with query
// parameters, in a fixed order the fuzzer indexes.
var fuzzRoutes = []struct{ method, path string }{
	{"POST", "/v1/bots"}, {"PATCH", "/v1/bots/1"}, {"POST", "/v1/bots/1/chat"}, {"POST", "/v1/bots/leave"},
	{"POST", "/v1/chat/messages"}, {"POST", "/v1/chat/templates"}, {"POST", "/v1/keys"}, {"POST", "/v1/users"},
	{"POST", "/v1/bots/1/log-level"}, {"GET", "/v1/bots"}, {"GET", "/v1/usage"}, {"GET", "/v1/keys/logs"},
}

// FuzzRESTRequests sends what the fuzzer makes of bodies and query strings
// to a daemon on PostgreSQL (SQLite without MEEBOTER_TEST_POSTGRES_URL):
// whatever arrives, the answer is never a 5xx. The seeds are the requests
// that once were.
func FuzzRESTRequests(f *testing.F) {
	for i := range fuzzRoutes {
		f.Add(uint8(i), "", `{}`)
	}
	for _, c := range textCases(1) {
		if c.bot {
			continue
		}
		path, query, _ := strings.Cut(c.path, "?")
		for i, r := range fuzzRoutes {
			if r.method == c.method && r.path == path {
				f.Add(uint8(i), query, c.body)
			}
		}
	}
	f.Add(uint8(0), "", `{"meeting":{"meetingUrl":"https://meet.google.com/abc-defg-hij"},"priority":2147483648}`)
	f.Add(uint8(0), "", `{"meeting":{"meetingUrl":"https://meet.google.com/abc-defg-hij"},"joinAt":"2026-13-40T99:00:00Z"}`)
	f.Add(uint8(7), "", `{"email":"a@b.c","customDailyBotLimit":-9223372036854775808}`)
	f.Add(uint8(9), "status=%FF&limit=9999999999999999999&cursor=-1&createdFrom=%00", ``)
	f.Add(uint8(10), "from=2026-02-30&to=0000-01-01&timeZone=../../etc/passwd", ``)
	open := storetest.OpenSQLite
	if _, ok := storetest.Engines(f)["postgres"]; ok {
		open = storetest.OpenPostgres
	}
	d := startFuzzDaemon(f, open)
	f.Fuzz(func(t *testing.T, route uint8, query, body string) {
		r := fuzzRoutes[int(route)%len(fuzzRoutes)]
		if _, err := url.ParseQuery(query); err != nil {
			return // not a query string a client can send
		}
		path := r.path
		if query != "" {
			path += "?" + query
		}
		if _, err := http.NewRequest(r.method, "http://x"+path, nil); err != nil {
			return
		}
		got := send(t, d, d.AdminKey, r.method, path, body)
		if got.status >= 500 {
			t.Fatalf("%s %s %q: %d %s", r.method, path, body, got.status, got.body)
		}
	})
}

func startFuzzDaemon(tb testing.TB, open func(testing.TB) store.Store) *daemontest.Daemon {
	p := daemontest.NewInstant(platforms.Local, 1000)
	d := daemontest.Start(tb, daemontest.Options{Store: open(tb), Platforms: []platforms.Platform{p}})
	scheduleBot(tb, d.Admin, "target") // bot 1, for the routes naming it
	return d
}

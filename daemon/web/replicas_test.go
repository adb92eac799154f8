package web_test

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

// TestReplicas runs two daemons on one database, as replicas behind a load
// balancer: a browser signed in on one is signed in on the other, a link
// from one works on the other, and signing out on one ends it on both.
func TestReplicas(t *testing.T) {
	t.Parallel()
	configs := map[string]func(testing.TB) store.Config{"sqlite": storetest.SQLiteConfig, "postgres": storetest.PostgresConfig}
	for name, cfg := range configs {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := cfg(t) // skips postgres when it is not configured
			var ds [2]*daemontest.Daemon
			for i := range ds {
				ds[i] = daemontest.Start(t, daemontest.Options{Store: storetest.OpenConfig(t, c), Platforms: []platforms.Platform{daemontest.NewInstant(platforms.Local, 5)}})
			}
			a := newBrowser(t, ds[0].URL)
			a.signIn(ds[0].AdminKey)
			b := onOther(t, a, ds[1].URL)
			wantStatus(t, "the session on the other replica", b.get("/keys"), http.StatusOK)

			link, err := ds[0].Admin.ConsoleLink(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			fresh := newBrowser(t, ds[1].URL)
			page := fresh.get(link.Path)
			p := fresh.post("/signin/link", url.Values{"csrf": {token(t, page)}, "token": {strings.TrimPrefix(link.Path, "/signin/link?token=")}})
			wantStatus(t, "a link from the other replica", p, http.StatusSeeOther)

			wantStatus(t, "sign out", b.post("/signout", url.Values{"csrf": {b.csrf()}}), http.StatusSeeOther)
			if p := a.get("/bots"); p.status != http.StatusSeeOther {
				t.Fatalf("signed out on one replica, still in on the other: %d", p.status)
			}
		})
	}
}

// onOther is a browser for another replica holding the same cookies, as a
// load balancer's one host name would give it.
func onOther(tb testing.TB, from *browser, base string) *browser {
	tb.Helper()
	to := newBrowser(tb, base)
	src, _ := url.Parse(from.base)
	dst, _ := url.Parse(base)
	to.hc.Jar.SetCookies(dst, from.hc.Jar.Cookies(src))
	return to
}

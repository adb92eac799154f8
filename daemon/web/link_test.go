package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestLink follows `meeboter open`: the REST API issues a link; opening it
// shows a form rather than using it up (a link previewer must not), and
// posting the form signs in, once.
func TestLink(t *testing.T) {
	t.Parallel()
	d := start(t)
	link, err := d.Admin.ConsoleLink(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(link.URL, d.URL+"/signin/link?token=mbl_") || !strings.HasSuffix(link.URL, link.Path) {
		t.Fatalf("link %+v", link)
	}
	if left := time.Until(link.ExpiresAt); left <= time.Minute || left > 2*time.Minute {
		t.Fatalf("link lives %v", left)
	}
	preview := newBrowser(t, d.URL)
	preview.get(link.Path)
	preview.get(link.Path)

	b := newBrowser(t, d.URL)
	page := b.get(link.Path)
	wantStatus(t, "link page", page, http.StatusOK)
	mustContain(t, page, "data-autosubmit", `action="/signin/link"`)
	tok := url.Values{"csrf": {token(t, page)}, "token": {strings.TrimPrefix(link.Path, "/signin/link?token=")}}
	p := b.post("/signin/link", tok)
	if p.status != http.StatusSeeOther || p.header.Get("Location") != "/bots" {
		t.Fatalf("redeem: %d %s\n%s", p.status, p.header.Get("Location"), p.body)
	}
	wantStatus(t, "signed in", b.get("/bots"), http.StatusOK)

	again := newBrowser(t, d.URL)
	tok.Set("csrf", token(t, again.get(link.Path)))
	p = again.post("/signin/link", tok)
	wantStatus(t, "second use", p, http.StatusGone)
	mustContain(t, p, "already used or expired", "meeboter open")
}

func TestLink_NeedsKey(t *testing.T) {
	t.Parallel()
	d := start(t)
	resp, err := http.Post(d.URL+"/v1/console/links", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("a link without a key: %d", resp.StatusCode)
	}
}

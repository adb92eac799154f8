package web_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

const wantCSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	d := start(t)
	b, out := newBrowser(t, d.URL), newBrowser(t, d.URL)
	b.signIn(d.AdminKey)
	for _, path := range []string{"/signin", "/bots", "/bots/new", "/keys", "/usage", "/pool", "/users", "/bots/999"} {
		p := b.get(path)
		if path == "/signin" {
			p = out.get(path)
		}
		h := p.header
		if got := h.Get("Content-Security-Policy"); got != wantCSP {
			t.Errorf("%s: CSP %q", path, got)
		}
		for k, want := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "same-origin", "Cache-Control": "no-store"} {
			if got := h.Get(k); got != want {
				t.Errorf("%s: %s %q, want %q", path, k, got, want)
			}
		}
	}
}

var (
	inlineScript  = regexp.MustCompile(`<script(?:\s[^>]*)?>[^<]+</script>`)
	scriptSrc     = regexp.MustCompile(`<script[^>]*\ssrc="([^"]+)"`)
	handlerAttr   = regexp.MustCompile(`\son[a-z]+=`)
	styleAttr     = regexp.MustCompile(`\sstyle=`)
	externalAsset = regexp.MustCompile(`(?:src|href)="(?:https?:)?//`)
)

// TestPagesNeedNothingInline checks what the policy would block: no page
// may hold an inline script, an event handler attribute, a style
// attribute, or load anything from another origin.
func TestPagesNeedNothingInline(t *testing.T) {
	t.Parallel()
	d := start(t)
	newBot(t, d.Admin, map[string]string{"team": "a"})
	b, out := newBrowser(t, d.URL), newBrowser(t, d.URL)
	b.signIn(d.AdminKey)
	for _, path := range []string{"/signin", "/bots", "/bots/1", "/bots/new", "/keys", "/usage", "/pool", "/users"} {
		p := b.get(path)
		if path == "/signin" {
			p = out.get(path)
		}
		wantStatus(t, path, p, http.StatusOK)
		for what, re := range map[string]*regexp.Regexp{"inline script": inlineScript, "event handler": handlerAttr, "style attribute": styleAttr} {
			if m := re.FindString(p.body); m != "" {
				t.Errorf("%s has an %s: %s", path, what, m)
			}
		}
		for _, m := range externalAsset.FindAllString(p.body, -1) {
			// Links to the bot's meeting are links, not loaded assets.
			if !strings.HasPrefix(strings.TrimSpace(m), "href") {
				t.Errorf("%s loads from elsewhere: %s", path, m)
			}
		}
		for _, m := range scriptSrc.FindAllStringSubmatch(p.body, -1) {
			if !strings.HasPrefix(m[1], "/static/") {
				t.Errorf("%s loads script %s", path, m[1])
			}
		}
	}
}

func TestStatic(t *testing.T) {
	t.Parallel()
	d := start(t)
	b := newBrowser(t, d.URL)
	page := b.get("/signin")
	src := scriptSrc.FindStringSubmatch(page.body)
	if src == nil {
		t.Fatal("no script on the sign-in page")
	}
	js := b.get(src[1])
	wantStatus(t, "script", js, http.StatusOK)
	if ct := js.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/javascript") {
		t.Errorf("script served as %q", ct)
	}
	if cc := js.header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
		t.Errorf("hashed script cached as %q", cc)
	}
	if cc := b.get("/static/app.js").header.Get("Cache-Control"); cc != "no-cache" {
		t.Errorf("unhashed script cached as %q", cc)
	}
	for _, path := range []string{"/static/", "/static/nope.js", "/static/../web.go", "/static/%2e%2e/web.go"} {
		if p := b.get(path); p.status == http.StatusOK || strings.Contains(p.body, "package web") {
			t.Errorf("%s: %d", path, p.status)
		}
	}
}

// TestAPIUnderConsole: the console hands every path it does not serve
// to the REST API, untouched.
func TestAPIUnderConsole(t *testing.T) {
	t.Parallel()
	d := start(t)
	if _, err := d.Admin.Users().Me(t.Context()); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, d.URL)
	for path, status := range map[string]int{"/healthz": 200, "/openapi.json": 200, "/docs": 200, "/v1/bots": 401, "/v1/nope": 401} {
		p := b.get(path)
		wantStatus(t, path, p, status)
		if p.header.Get("Content-Security-Policy") == wantCSP {
			t.Errorf("%s carries the console's policy", path)
		}
	}
}

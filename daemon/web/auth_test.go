package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func TestSignIn_SessionCookie(t *testing.T) {
	t.Parallel()
	d := start(t)
	b := newBrowser(t, d.URL)
	form := b.get("/signin")
	p := b.post("/signin", url.Values{"csrf": {token(t, form)}, "key": {d.AdminKey}, "next": {"/keys"}})
	wantStatus(t, "sign in", p, http.StatusSeeOther)
	if loc := p.header.Get("Location"); loc != "/keys" {
		t.Fatalf("went to %q, want /keys", loc)
	}
	var set string
	for _, c := range p.header.Values("Set-Cookie") {
		if strings.HasPrefix(c, "meeboter_session=") {
			set = c
		}
	}
	for _, attr := range []string{"Path=/", "HttpOnly", "SameSite=Strict", "Max-Age=604800"} {
		if !strings.Contains(set, attr) {
			t.Errorf("session cookie %q lacks %s", set, attr)
		}
	}
	if strings.Contains(set, "Secure") {
		t.Errorf("cookie over plain HTTP is Secure: %q", set)
	}
	if !strings.HasPrefix(strings.TrimPrefix(set, "meeboter_session="), "mbc_") {
		t.Errorf("cookie holds %q", set)
	}
	mustContain(t, b.get("/keys"), "API keys", "this browser")
}

func TestSignIn_BadKey(t *testing.T) {
	t.Parallel()
	d := start(t)
	b := newBrowser(t, d.URL)
	form := b.get("/signin")
	p := b.post("/signin", url.Values{"csrf": {token(t, form)}, "key": {"mbk_wrong"}})
	wantStatus(t, "bad key", p, http.StatusUnauthorized)
	mustContain(t, p, "unknown, revoked or expired", `aria-invalid="true"`)
	if strings.Contains(p.body, "mbk_wrong") {
		t.Fatal("the page echoes the key it was given")
	}
	if b.cookie("meeboter_session") != nil {
		t.Fatal("a bad key got a session")
	}
}

func TestSignIn_NextStaysOnConsole(t *testing.T) {
	t.Parallel()
	d := start(t)
	for _, next := range []string{"//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"} {
		b := newBrowser(t, d.URL)
		form := b.get("/signin")
		p := b.post("/signin", url.Values{"csrf": {token(t, form)}, "key": {d.AdminKey}, "next": {next}})
		if loc := p.header.Get("Location"); loc != "/" {
			t.Errorf("next %q went to %q", next, loc)
		}
	}
}

func TestSignIn_Required(t *testing.T) {
	t.Parallel()
	d := start(t)
	b := newBrowser(t, d.URL)
	for path, want := range map[string]string{"/bots?status=DONE": "/signin?next=%2Fbots%3Fstatus%3DDONE", "/keys": "/signin?next=%2Fkeys", "/": "/signin"} {
		p := b.get(path)
		if p.status != http.StatusSeeOther || p.header.Get("Location") != want {
			t.Errorf("GET %s: %d to %q, want %q", path, p.status, p.header.Get("Location"), want)
		}
	}
	if p := b.get("/live"); p.status != http.StatusUnauthorized {
		t.Errorf("stream without a session: %d", p.status)
	}
}

// TestSignIn_SecureOverTLS serves the daemon's handler over TLS, as a
// daemon behind its own certificate would: the cookie must be Secure.
func TestSignIn_SecureOverTLS(t *testing.T) {
	t.Parallel()
	d := start(t)
	srv := httptest.NewTLSServer(d.Server.Handler())
	t.Cleanup(srv.Close)
	b := newBrowser(t, srv.URL)
	b.hc.Transport = srv.Client().Transport
	form := b.get("/signin")
	p := b.post("/signin", url.Values{"csrf": {token(t, form)}, "key": {d.AdminKey}})
	wantStatus(t, "sign in", p, http.StatusSeeOther)
	if set := strings.Join(p.header.Values("Set-Cookie"), "\n"); !strings.Contains(set, "Secure") {
		t.Fatalf("cookie over TLS is not Secure: %s", set)
	}
}

func TestSignOut(t *testing.T) {
	t.Parallel()
	d := start(t)
	b := newBrowser(t, d.URL)
	b.signIn(d.AdminKey)
	old := b.cookie("meeboter_session").Value
	p := b.post("/signout", url.Values{"csrf": {b.csrf()}})
	wantStatus(t, "sign out", p, http.StatusSeeOther)
	if b.cookie("meeboter_session") != nil {
		t.Fatal("the cookie survived signing out")
	}
	// The old value is dead on the daemon, not only gone from the browser.
	replay := newBrowser(t, d.URL)
	u, _ := url.Parse(d.URL)
	replay.hc.Jar.SetCookies(u, []*http.Cookie{{Name: "meeboter_session", Value: old}})
	if p := replay.get("/bots"); p.status != http.StatusSeeOther {
		t.Fatalf("a signed-out cookie still works: %d", p.status)
	}
}

func TestRevokedKeyEndsSession(t *testing.T) {
	t.Parallel()
	d := start(t)
	member, key := memberKey(t, d, "revoke@example.test")
	b := newBrowser(t, d.URL)
	b.signIn(key)
	wantStatus(t, "signed in", b.get("/bots"), http.StatusOK)
	keys, err := member.Keys().List(context.Background(), "", 10)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := member.Keys().Revoke(context.Background(), keys.Items[0].ID); err != nil {
		t.Fatal(err)
	}
	if p := b.get("/bots"); p.status != http.StatusSeeOther || !strings.HasPrefix(p.header.Get("Location"), "/signin") {
		t.Fatalf("after the key was revoked: %d %s", p.status, p.header.Get("Location"))
	}
}

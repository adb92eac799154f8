package web_test

import (
	"net/http"
	"net/url"
	"testing"
)

// TestCSRF posts the key form in every way a forged or stale form could
// arrive; only the console's own form, from its own origin, creates a key.
func TestCSRF(t *testing.T) {
	t.Parallel()
	d := start(t)
	b := newBrowser(t, d.URL)
	b.signIn(d.AdminKey)
	good := b.csrf()
	form := func(tok string) url.Values { return url.Values{"csrf": {tok}, "name": {"forged"}} }
	tests := []struct {
		name    string
		form    url.Values
		headers []string
		status  int
	}{
		{"NoToken", url.Values{"name": {"forged"}}, nil, http.StatusForbidden},
		{"WrongToken", form("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), nil, http.StatusForbidden},
		{"OtherOrigin", form(good), []string{"Origin", "https://evil.example"}, http.StatusForbidden},
		{"CrossSiteFetch", form(good), []string{"Sec-Fetch-Site", "cross-site"}, http.StatusForbidden},
		{"NullOrigin", form(good), []string{"Origin", "null"}, http.StatusForbidden},
		{"NoOriginNoReferer", form(good), []string{"Origin", ""}, http.StatusForbidden},
		{"RefererOnly", form(good), []string{"Origin", "", "Referer", d.URL + "/keys"}, http.StatusOK},
		{"OwnForm", form(good), nil, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := b.post("/keys", tt.form, tt.headers...)
			wantStatus(t, tt.name, p, tt.status)
			if tt.status == http.StatusForbidden {
				mustContain(t, p, "Refused")
			}
		})
	}
	keys, err := d.Admin.Keys().List(t.Context(), "", 100)
	if err != nil {
		t.Fatal(err)
	}
	forged := 0
	for _, k := range keys.Items {
		if k.Name == "forged" {
			forged++
		}
	}
	if forged != 2 {
		t.Fatalf("%d keys were created, want the 2 of the accepted forms", forged)
	}
}

// TestCSRF_OtherSession: a token is the session's own; another
// session's token does not pass.
func TestCSRF_OtherSession(t *testing.T) {
	t.Parallel()
	d := start(t)
	a, c := newBrowser(t, d.URL), newBrowser(t, d.URL)
	a.signIn(d.AdminKey)
	c.signIn(d.AdminKey)
	p := c.post("/keys", url.Values{"csrf": {a.csrf()}, "name": {"x"}})
	wantStatus(t, "other session's token", p, http.StatusForbidden)
}

func TestCSRF_SignInForm(t *testing.T) {
	t.Parallel()
	d := start(t)
	b := newBrowser(t, d.URL)
	tok := token(t, b.get("/signin"))
	wantStatus(t, "no token", b.post("/signin", url.Values{"key": {d.AdminKey}}), http.StatusForbidden)
	wantStatus(t, "other origin", b.post("/signin", url.Values{"csrf": {tok}, "key": {d.AdminKey}}, "Origin", "https://evil.example"), http.StatusForbidden)
	// A page of another site cannot read the cookie to copy it.
	other := newBrowser(t, d.URL)
	wantStatus(t, "token without its cookie", other.post("/signin", url.Values{"csrf": {tok}, "key": {d.AdminKey}}), http.StatusForbidden)
	wantStatus(t, "own form", b.post("/signin", url.Values{"csrf": {tok}, "key": {d.AdminKey}}), http.StatusSeeOther)
}

package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
)

// forbiddenError is a request the console refuses whoever sends it: a form
// from another site, or without its token. It is a 403 page.
type forbiddenError struct{ detail string }

func (e *forbiddenError) Error() string { return e.detail }

var (
	errCrossOrigin = &forbiddenError{"the form was not sent from a page of this console. Go back, reload the page and try again."}
	errBadToken    = &forbiddenError{"the form's security token is missing or out of date (it changes when you sign in again). Reload the page and try again."}
)

// csrfField is the name of the hidden input every form carries.
const csrfField = "csrf"

// checkForm refuses a POST that did not come from this console's own
// pages: its origin must be this console's, and it must carry the
// session's token. Either alone stops forged forms; both together also
// stop a page of a same-site sibling that the origin check would pass.
func (c *Console) checkForm(r *http.Request, token string) error {
	if !c.fromHere(r) {
		return errCrossOrigin
	}
	if !sameToken(r.PostForm.Get(csrfField), token) {
		return errBadToken
	}
	return nil
}

// fromHere reports whether a request came from a page of this console:
// browsers send Origin with every POST (Referer where an old one does
// not), and Sec-Fetch-Site names a cross-site one outright. A request
// with neither is refused: it did not come from a browser showing our form.
func (c *Console) fromHere(r *http.Request) bool {
	if r.Header.Get("Sec-Fetch-Site") == "cross-site" {
		return false
	}
	src := r.Header.Get("Origin")
	if src == "" {
		src = r.Header.Get("Referer")
	}
	u, err := url.Parse(src)
	if src == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return false
	}
	host := strings.ToLower(u.Host)
	return host == strings.ToLower(r.Host) || (c.origin != "" && host == c.origin)
}

func sameToken(got, want string) bool {
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// preSessionCookie carries the token of the sign-in forms, shown before
// there is a session to derive one from: the form must echo the cookie
// (double submit), which a page of another site cannot read to copy.
const preSessionCookie = "meeboter_presession"

// preSessionToken returns the browser's pre-session token, setting a new
// one when it has none.
func (c *Console) preSessionToken(w http.ResponseWriter, r *http.Request) string {
	if ck, err := r.Cookie(preSessionCookie); err == nil && len(ck.Value) == 43 {
		return ck.Value
	}
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	token := base64.RawURLEncoding.EncodeToString(b)
	http.SetCookie(w, &http.Cookie{Name: preSessionCookie, Value: token, Path: "/signin", MaxAge: 3600,
		HttpOnly: true, Secure: c.secureFor(r), SameSite: http.SameSiteStrictMode})
	return token
}

// checkPreSession guards the sign-in forms as checkForm guards the rest.
func (c *Console) checkPreSession(r *http.Request) error {
	if !c.fromHere(r) {
		return errCrossOrigin
	}
	ck, err := r.Cookie(preSessionCookie)
	if err != nil || !sameToken(r.PostForm.Get(csrfField), ck.Value) {
		return errBadToken
	}
	return nil
}

package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/meeboter/meeboter/daemon/account"
	"github.com/meeboter/meeboter/daemon/domain"
)

// signinData fills the sign-in pages. Token is the pre-session token the
// forms echo; there is no session yet to derive one from.
type signinData struct {
	Token string
	Next  string
	Link  string // the link's secret, on the link page
	Error string
}

// signinPage offers sign-in with an API key; a browser already signed in
// goes on to where it was heading.
func (c *Console) signinPage(v *visit) (result, error) {
	next := localPath(v.r.URL.Query().Get("next"))
	if _, err := c.session(v.r); err == nil {
		return redirect{to: next}, nil
	}
	return view{page: "signin", title: "Sign in", data: signinData{Token: c.preSessionToken(v.w, v.r), Next: next}}, nil
}

// signin starts a session from an API key. The key is never echoed back
// into the page.
func (c *Console) signin(v *visit) (result, error) {
	next := localPath(v.r.PostForm.Get("next"))
	st, err := c.svc.Session.SignIn(v.r.Context(), strings.TrimSpace(v.r.PostForm.Get("key")))
	if errors.Is(err, account.ErrBadKey) {
		return view{page: "signin", title: "Sign in", status: http.StatusUnauthorized, data: signinData{
			Token: c.preSessionToken(v.w, v.r), Next: next, Error: "That API key is unknown, revoked or expired.",
		}}, nil
	}
	if err != nil {
		return nil, err
	}
	c.setSession(v.w, v.r, st.Secret)
	return redirect{to: next}, nil
}

// linkPage shows a one-time link's form rather than redeeming it: a GET
// may come from a link previewer or a prefetch, which must not use up a
// link meant for a person. The script posts the form at once; without
// scripts, one click does.
func (c *Console) linkPage(v *visit) (result, error) {
	link := v.r.URL.Query().Get("token")
	if link == "" {
		return nil, domain.BadRequest("this sign-in link has no token; run meeboter open again")
	}
	return view{page: "link", title: "Signing in", data: signinData{Token: c.preSessionToken(v.w, v.r), Link: link}}, nil
}

// redeemLink uses up a one-time link and signs the browser in. The
// redirect drops the link from the address bar and the history.
func (c *Console) redeemLink(v *visit) (result, error) {
	st, err := c.svc.Session.Redeem(v.r.Context(), v.r.PostForm.Get("token"))
	if err != nil {
		return nil, err
	}
	c.setSession(v.w, v.r, st.Secret)
	return redirect{to: "/bots"}, nil
}

// signout ends the session here and in the database, so the cookie is
// worthless even if it was copied.
func (c *Console) signout(v *visit) (result, error) {
	if ck, err := v.r.Cookie(sessionCookie); err == nil {
		if err := c.svc.Session.SignOut(v.r.Context(), ck.Value); err != nil {
			return nil, err
		}
	}
	c.clearSession(v.w, v.r)
	return redirect{to: "/signin", flash: okFlash("", "Signed out.")}, nil
}

// home is the console's front page: the bots.
func (c *Console) home(v *visit) (result, error) { return redirect{to: "/bots"}, nil }

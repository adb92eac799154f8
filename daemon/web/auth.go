package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/meeboter/meeboter/daemon/session"
)

// sessionCookie holds the session secret. It is HttpOnly, so no script
// can read it, and SameSite=Strict, so no other site's page can make the
// browser send it.
const sessionCookie = "meeboter_session"

// session authenticates the request's session cookie.
func (c *Console) session(r *http.Request) (session.Active, error) {
	ck, err := r.Cookie(sessionCookie)
	if err != nil || ck.Value == "" {
		return session.Active{}, session.ErrNoSession
	}
	return c.svc.Session.Authenticate(r.Context(), ck.Value)
}

// secureFor says whether cookies must be Secure: the request came over
// TLS, or the daemon's public URL is https (TLS ends at a proxy).
func (c *Console) secureFor(r *http.Request) bool { return c.secure || r.TLS != nil }

func (c *Console) setSession(w http.ResponseWriter, r *http.Request, secret string) {
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: secret, Path: "/", MaxAge: int(c.svc.Session.MaxAge().Seconds()),
		HttpOnly: true, Secure: c.secureFor(r), SameSite: http.SameSiteStrictMode,
	})
}

func (c *Console) clearSession(w http.ResponseWriter, r *http.Request) {
	if _, err := r.Cookie(sessionCookie); err != nil {
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Path: "/", MaxAge: -1, HttpOnly: true, Secure: c.secureFor(r), SameSite: http.SameSiteStrictMode})
}

// toSignin sends a browser without a session to the sign-in page, which
// brings it back to the page it asked for (a GET's; a refused POST's form
// is gone, so it goes back to the page the form was on).
func (c *Console) toSignin(v *visit) {
	next := v.r.URL.RequestURI()
	if v.r.Method != http.MethodGet {
		next = localReferer(v.r)
	}
	to := "/signin"
	if next != "" && next != "/" {
		to += "?" + url.Values{"next": {next}}.Encode()
	}
	http.Redirect(v.w, v.r, to, http.StatusSeeOther)
}

// localPath returns p if it is a path on this console, else "/": the
// sign-in page's next parameter comes from the address bar, and must not
// send anyone to another site ("//evil.example", "/\evil.example").
func localPath(p string) string {
	if p == "" || p[0] != '/' || strings.HasPrefix(p, "//") || strings.ContainsAny(p, "\\\r\n\t") {
		return "/"
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" {
		return "/"
	}
	return p
}

// localReferer is the path of the page a form was posted from, if it is
// one of this console's.
func localReferer(r *http.Request) string {
	u, err := url.Parse(r.Header.Get("Referer"))
	if err != nil || !strings.EqualFold(u.Host, r.Host) {
		return ""
	}
	return localPath(u.RequestURI())
}

package httpapi

import (
	"net/http"
	"net/url"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/session"
)

// createConsoleLink issues a one-time link that signs a browser in to the
// web console as the caller. The secret travels in the query string: it
// works once and for minutes, and the console redeems it with a POST and
// drops it from the address bar at once.
func (a *API) createConsoleLink(w http.ResponseWriter, r *http.Request) (any, error) {
	l, err := a.svc.Session.NewLink(r.Context(), callerFrom(r.Context()))
	if err != nil {
		return nil, err
	}
	path := session.LinkPath + "?" + url.Values{"token": {l.Secret}}.Encode()
	return created{api.ConsoleLink{URL: a.cfg.PublicURL + path, Path: path, ExpiresAt: l.ExpiresAt}}, nil
}

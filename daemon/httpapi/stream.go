package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/account"
	"github.com/meeboter/meeboter/daemon/domain"
	"github.com/meeboter/meeboter/daemon/feed"
)

// streamBot follows one bot: its current state first, then every change,
// event and log line, as server-sent events.
func (a *API) streamBot(w http.ResponseWriter, r *http.Request) {
	b, err := a.ownedBot(r)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	sub := &feed.Subscription{UserID: b.UserID, BotID: b.ID, Logs: true}
	a.svc.Feed.Subscribe(sub)
	defer a.svc.Feed.Unsubscribe(sub)
	view := botView(a.svc.Life.View(r.Context(), b))
	a.serveStream(w, r, sub, []api.StreamEvent{{Type: "bot", Bot: &view}})
}

// streamFleet follows every bot of the caller, optionally narrowed to bots
// entering some statuses, with log lines when ?logs=true.
func (a *API) streamFleet(w http.ResponseWriter, r *http.Request) {
	c := callerFrom(r.Context())
	sub := &feed.Subscription{UserID: c.User.ID, Logs: r.URL.Query().Get("logs") == "true"}
	v := &domain.Validator{}
	for _, st := range r.URL.Query()["status"] {
		v.Check(api.BotStatus(st).Valid(), "status", "%q is not a bot status", st)
		if sub.Status == nil {
			sub.Status = map[api.BotStatus]bool{}
		}
		sub.Status[api.BotStatus(st)] = true
	}
	if err := v.Err(); err != nil {
		a.writeError(w, r, err)
		return
	}
	a.svc.Feed.Subscribe(sub)
	defer a.svc.Feed.Unsubscribe(sub)
	a.serveStream(w, r, sub, nil)
}

// serveStream writes events until the client goes, the daemon stops, or the
// subscriber is dropped for being slow. A ping every 15 s keeps proxies from
// closing an idle stream.
func (a *API) serveStream(w http.ResponseWriter, r *http.Request, sub *feed.Subscription, first []api.StreamEvent) {
	rc := http.NewResponseController(w)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	for _, ev := range first {
		writeSSE(w, ev)
	}
	_ = rc.Flush()
	ping := time.NewTicker(15 * time.Second)
	defer ping.Stop()
	recheck := time.NewTicker(keyRecheck)
	defer recheck.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case ev, ok := <-sub.C:
			if !ok {
				return
			}
			writeSSE(w, ev)
		case <-ping.C:
			writeSSE(w, api.StreamEvent{Type: "ping"})
		case <-recheck.C:
			if a.revoked(r) {
				return
			}
		}
		if err := rc.Flush(); err != nil {
			return
		}
	}
}

// keyRecheck is how often an open stream checks that the key it was
// opened with is still live: a revoked key stops receiving within it.
const keyRecheck = 2 * time.Second

// revoked reports whether the stream's key was revoked or expired, or its
// user deleted, since it opened. A database that cannot tell keeps the
// stream going: an outage is not a revocation.
func (a *API) revoked(r *http.Request) bool {
	err := a.svc.Account.StillLive(r.Context(), callerFrom(r.Context()))
	return errors.Is(err, account.ErrBadKey)
}

func writeSSE(w http.ResponseWriter, ev api.StreamEvent) {
	data, _ := json.Marshal(ev)
	fmt.Fprintf(w, "event: %s\ndata: %s\n\n", ev.Type, data)
}

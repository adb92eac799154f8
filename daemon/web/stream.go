package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/feed"
	"github.com/meeboter/meeboter/daemon/session"
	"github.com/meeboter/meeboter/daemon/wire"
)

// streamCheck is how often an open stream re-checks its session, and
// pings so proxies keep it open: a signed-out browser or a revoked key
// stops receiving within this.
const streamCheck = 15 * time.Second

// streamFleet follows every bot of the signed-in user, for the Bots page.
func (c *Console) streamFleet(w http.ResponseWriter, r *http.Request) {
	a, ok := c.streamSession(w, r)
	if !ok {
		return
	}
	sub := &feed.Subscription{UserID: a.Caller.User.ID}
	c.svc.Feed.Subscribe(sub)
	defer c.svc.Feed.Unsubscribe(sub)
	c.serveStream(w, r, sub, nil)
}

// streamBot follows one of the user's bots, with its events and log lines,
// for the Bot page: its current state first, then every change.
func (c *Console) streamBot(w http.ResponseWriter, r *http.Request) {
	a, ok := c.streamSession(w, r)
	if !ok {
		return
	}
	b, err := c.ownedBot(&visit{w: w, r: r, active: a})
	if err != nil {
		http.Error(w, describe(err), problemFor(err).Status)
		return
	}
	sub := &feed.Subscription{UserID: b.UserID, BotID: b.ID, Logs: true}
	c.svc.Feed.Subscribe(sub)
	defer c.svc.Feed.Unsubscribe(sub)
	view := wire.Bot(b)
	c.serveStream(w, r, sub, []api.StreamEvent{{Type: "bot", Bot: &view}})
}

// streamSession authenticates a stream. An event stream cannot follow a
// redirect to the sign-in page, so it answers 401 and the page says that
// live updates stopped.
func (c *Console) streamSession(w http.ResponseWriter, r *http.Request) (session.Active, bool) {
	a, err := c.session(r)
	if errors.Is(err, session.ErrNoSession) {
		http.Error(w, "not signed in", http.StatusUnauthorized)
		return a, false
	}
	if err != nil {
		http.Error(w, describe(err), problemFor(err).Status)
		return a, false
	}
	return a, true
}

// serveStream writes events until the browser goes, the daemon stops, the
// subscriber is dropped for being slow (the browser reconnects and gets
// the current state), or the session ends.
func (c *Console) serveStream(w http.ResponseWriter, r *http.Request, sub *feed.Subscription, first []api.StreamEvent) {
	ck, _ := r.Cookie(sessionCookie)
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	for _, ev := range first {
		writeEvent(w, ev)
	}
	_ = rc.Flush()
	tick := time.NewTicker(streamCheck)
	defer tick.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case ev, ok := <-sub.C:
			if !ok {
				return
			}
			writeEvent(w, ev)
		case <-tick.C:
			if _, err := c.svc.Session.Check(r.Context(), ck.Value); errors.Is(err, session.ErrNoSession) {
				writeEvent(w, api.StreamEvent{Type: "signedout"})
				_ = rc.Flush()
				return
			}
			writeEvent(w, api.StreamEvent{Type: "ping"})
		}
		if err := rc.Flush(); err != nil {
			return
		}
	}
}

func writeEvent(w http.ResponseWriter, ev api.StreamEvent) {
	data, _ := json.Marshal(ev)
	fmt.Fprintf(w, "event: %s\ndata: %s\n\n", ev.Type, data)
}

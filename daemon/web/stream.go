package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/feed"
	"github.com/meeboter/meeboter/daemon/session"
	"github.com/meeboter/meeboter/daemon/wire"
	"github.com/meeboter/meeboter/store"
)

// streamCheck is how often an open stream re-checks its session, and
// pings so proxies keep it open: a signed-out browser or a revoked key
// stops receiving within this.
const streamCheck = 15 * time.Second

// streamFleet follows every bot of the signed-in user, for the Bots page.
// The page names the bots it shows (?ids=); their current states come
// first, read after subscribing, so a change between rendering the page and
// opening the stream is never lost.
func (c *Console) streamFleet(w http.ResponseWriter, r *http.Request) {
	a, ok := c.streamSession(w, r)
	if !ok {
		return
	}
	sub := &feed.Subscription{UserID: a.Caller.User.ID}
	if err := c.svc.Feed.Subscribe(r.Context(), sub); err != nil {
		http.Error(w, describe(err), problemFor(err).Status)
		return
	}
	defer c.svc.Feed.Unsubscribe(sub)
	var first []api.StreamEvent
	for _, id := range streamIDs(r.URL.Query().Get("ids")) {
		if b, err := c.svc.Life.Owned(r.Context(), a.Caller.User.ID, id); err == nil {
			view := wire.Bot(b)
			first = append(first, api.StreamEvent{Type: "bot", Bot: &view})
		}
	}
	c.serveStream(w, r, sub, first)
}

// maxStreamIDs bounds the bots a page may ask the state of: a page shows
// at most botsPageSize.
const maxStreamIDs = 100

// streamIDs parses a comma-separated list of bot ids, skipping what is not
// one: the list only saves the page a reload, so a bad entry costs nothing.
func streamIDs(raw string) []int64 {
	var out []int64
	for _, s := range strings.Split(raw, ",") {
		if id, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err == nil && id > 0 && len(out) < maxStreamIDs {
			out = append(out, id)
		}
	}
	return out
}

// streamBot follows one of the user's bots, with its events and log lines,
// for the Bot page: its current state first, then the events and lines
// stored after the last ones the page shows (?events=, ?logs=), then every
// change. The page drops what it already has.
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
	if err := c.svc.Feed.Subscribe(r.Context(), sub); err != nil {
		http.Error(w, describe(err), problemFor(err).Status)
		return
	}
	defer c.svc.Feed.Unsubscribe(sub)
	first, err := c.catchUp(r, b.ID)
	if err != nil {
		http.Error(w, describe(err), problemFor(err).Status)
		return
	}
	if b, err = c.svc.Life.Owned(r.Context(), b.UserID, b.ID); err != nil { // read after subscribing
		http.Error(w, describe(err), problemFor(err).Status)
		return
	}
	view := wire.Bot(b)
	c.serveStream(w, r, sub, append([]api.StreamEvent{{Type: "bot", Bot: &view}}, first...))
}

// catchUp reads the events and log lines stored after the page's last.
func (c *Console) catchUp(r *http.Request, botID int64) ([]api.StreamEvent, error) {
	q := r.URL.Query()
	afterEvent, _ := strconv.ParseInt(q.Get("events"), 10, 64)
	afterLog, _ := strconv.ParseInt(q.Get("logs"), 10, 64)
	events, err := c.svc.Life.Events(r.Context(), botID, store.Page{AfterID: max(0, afterEvent), Limit: botEventsShown})
	if err != nil {
		return nil, err
	}
	logs, err := c.svc.Life.Logs(r.Context(), botID, store.Page{AfterID: max(0, afterLog), Limit: botLogsShown})
	if err != nil {
		return nil, err
	}
	out := make([]api.StreamEvent, 0, len(events)+len(logs))
	for _, e := range events {
		ev := wire.Event(e)
		out = append(out, api.StreamEvent{Type: "event", Event: &ev})
	}
	for _, l := range logs {
		le := wire.Log(l)
		out = append(out, api.StreamEvent{Type: "log", Log: &le})
	}
	return out, nil
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
		case m, ok := <-sub.C:
			if !ok {
				return
			}
			writeEvent(w, m.Event)
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

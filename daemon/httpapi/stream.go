package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/account"
	"github.com/meeboter/meeboter/daemon/domain"
	"github.com/meeboter/meeboter/daemon/feed"
)

// streamBot follows one bot: what a reconnecting client missed, or else
// the bot as it is, then every change, event and log line, as server-sent
// events.
func (a *API) streamBot(w http.ResponseWriter, r *http.Request) {
	b, err := a.ownedBot(r)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	sub := &feed.Subscription{UserID: b.UserID, BotID: b.ID, Logs: true}
	if err := a.svc.Feed.Subscribe(r.Context(), sub); err != nil {
		a.writeError(w, r, err)
		return
	}
	defer a.svc.Feed.Unsubscribe(sub)
	// Read after subscribing: the state reflects every change up to
	// sub.From, and live delivery starts after it.
	cur, err := a.svc.Life.Owned(r.Context(), b.UserID, b.ID)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	view := botView(a.svc.Life.View(r.Context(), cur))
	now := feed.Message{Seq: sub.From, Last: true, Event: api.StreamEvent{Type: api.StreamBot, Bot: &view}}
	rs, err := a.resume(r, sub)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	first := append(rs.replay, now)
	if rs.reset {
		first = []feed.Message{resetMessage, now}
	}
	a.serveStream(w, r, sub, first, rs.after)
}

// resetMessage tells a reconnecting client to reload. It carries no id: the
// client's last id stays the one before, until a message with one.
var resetMessage = feed.Message{Event: api.StreamEvent{Type: api.StreamReset}}

// streamFleet follows every bot of the caller, optionally narrowed to bots
// entering some statuses, with log lines when ?logs=true. It says hello at
// once, then sends what a reconnecting client missed (or tells it to
// reload), then every change, and every few seconds the heartbeat times of
// the caller's live bots.
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
	if err := a.svc.Feed.Subscribe(r.Context(), sub); err != nil {
		a.writeError(w, r, err)
		return
	}
	defer a.svc.Feed.Unsubscribe(sub)
	rs, err := a.resume(r, sub)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	// hello's id is where the client stands once it has what follows.
	hello := feed.Message{Seq: sub.From, Last: true, Event: api.StreamEvent{Type: api.StreamHello}}
	first := []feed.Message{hello}
	switch {
	case rs.reset:
		first = append(first, resetMessage)
	case rs.resumed:
		hello.Seq = rs.after
		first = append([]feed.Message{hello}, rs.replay...)
	}
	a.serveStream(w, r, sub, first, rs.after)
}

// resumption is how a stream picks up after a reconnect.
type resumption struct {
	resumed bool           // the client sent the id it last saw
	after   int64          // that id
	replay  []feed.Message // what it missed
	reset   bool           // what it missed cannot be had: it reloads
}

// resume reads the id a reconnecting client last saw (the Last-Event-ID
// header, or ?lastEventId= for clients that cannot set it) and replays the
// changes after it. An id that is not one of ours is a reset, not an
// error: the client only has to reload.
func (a *API) resume(r *http.Request, sub *feed.Subscription) (resumption, error) {
	raw := r.Header.Get("Last-Event-ID")
	if raw == "" {
		raw = r.URL.Query().Get("lastEventId")
	}
	if raw == "" {
		return resumption{}, nil
	}
	after, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || after < 0 {
		return resumption{reset: true}, nil
	}
	msgs, reset, err := a.svc.Feed.Replay(r.Context(), sub, after)
	if reset || err != nil {
		return resumption{reset: reset}, err
	}
	return resumption{resumed: true, after: after, replay: msgs}, nil
}

// serveStream writes messages until the client goes, the daemon stops, or
// the subscriber is dropped for being slow. Live messages of changes the
// client already has (up to after) are skipped. A ping every 15 s keeps
// proxies from closing an idle stream.
func (a *API) serveStream(w http.ResponseWriter, r *http.Request, sub *feed.Subscription, first []feed.Message, after int64) {
	rc := http.NewResponseController(w)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	for _, m := range first {
		writeSSE(w, m)
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
		case m, ok := <-sub.C:
			if !ok {
				return
			}
			if m.Seq != 0 && m.Seq <= after {
				continue
			}
			writeSSE(w, m)
		case <-ping.C:
			writeSSE(w, feed.Message{Event: api.StreamEvent{Type: api.StreamPing}})
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

// writeSSE writes one message; the last message of a change carries the
// change's number as its id, which the client sends back to resume.
func writeSSE(w http.ResponseWriter, m feed.Message) {
	data, _ := json.Marshal(m.Event)
	if m.Last && m.Seq > 0 {
		fmt.Fprintf(w, "id: %d\n", m.Seq)
	}
	fmt.Fprintf(w, "event: %s\ndata: %s\n\n", m.Event.Type, data)
}

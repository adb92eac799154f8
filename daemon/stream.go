package daemon

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/meeboter/meeboter/api"
)

// streamBot follows one bot: its current state first, then every change,
// event and log line, as server-sent events.
func (s *Server) streamBot(w http.ResponseWriter, r *http.Request) {
	b, err := s.ownedBot(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	sub := &subscription{userID: b.UserID, botID: b.ID, logs: true}
	s.hub.subscribe(sub)
	defer s.hub.unsubscribe(sub)
	view := s.botView(r.Context(), b)
	s.serveStream(w, r, sub, []api.StreamEvent{{Type: "bot", Bot: &view}})
}

// streamFleet follows every bot of the caller, optionally narrowed to bots
// entering some statuses, with log lines when ?logs=true.
func (s *Server) streamFleet(w http.ResponseWriter, r *http.Request) {
	c := callerFrom(r.Context())
	sub := &subscription{userID: c.user.ID, logs: r.URL.Query().Get("logs") == "true"}
	v := &validator{}
	for _, st := range r.URL.Query()["status"] {
		v.check(api.BotStatus(st).Valid(), "status", "%q is not a bot status", st)
		if sub.status == nil {
			sub.status = map[api.BotStatus]bool{}
		}
		sub.status[api.BotStatus(st)] = true
	}
	if err := v.err(); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.hub.subscribe(sub)
	defer s.hub.unsubscribe(sub)
	s.serveStream(w, r, sub, nil)
}

// serveStream writes events until the client goes, the daemon stops, or the
// subscriber is dropped for being slow. A ping every 15 s keeps proxies from
// closing an idle stream.
func (s *Server) serveStream(w http.ResponseWriter, r *http.Request, sub *subscription, first []api.StreamEvent) {
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
	for {
		select {
		case <-r.Context().Done():
			return
		case ev, ok := <-sub.ch:
			if !ok {
				return
			}
			writeSSE(w, ev)
		case <-ping.C:
			writeSSE(w, api.StreamEvent{Type: "ping"})
		}
		if err := rc.Flush(); err != nil {
			return
		}
	}
}

func writeSSE(w http.ResponseWriter, ev api.StreamEvent) {
	data, _ := json.Marshal(ev)
	fmt.Fprintf(w, "event: %s\ndata: %s\n\n", ev.Type, data)
}

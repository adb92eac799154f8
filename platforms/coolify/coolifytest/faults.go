package coolifytest

import (
	"net/http"
	"net/http/httptest"
	"time"
)

// Fault replaces or spoils the fake's answers to one route.
type Fault struct {
	// Route is the route it hits, one of the Route* constants.
	Route string
	// Times is how many calls it hits; 0 hits every call until cleared.
	Times int
	// Delay answers this much later (a slow Coolify); the call then goes
	// on to Status or the real handler, unless the client gave up.
	Delay time.Duration
	// Status answers with this status and Body instead of handling the
	// call (default body {"message":"Server Error"}, Laravel's 500).
	Status int
	Body   string
	// Header is added to a Status answer (a Retry-After, say).
	Header map[string]string
	// Truncate handles the call but sends only the first half of the
	// body: a partial answer the client must not take for a short one.
	Truncate bool
}

// FaultHeader marks an answer a fault replaced or spoiled, so a test that
// checks answers against Coolify's document can leave those out. Coolify
// never sends it.
const FaultHeader = "X-Coolifytest-Fault"

// Inject adds a fault; faults of a route apply in the order injected.
func (s *Server) Inject(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &f)
}

// ClearFaults removes every fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// takeFault returns the first fault for route and counts its use. The
// caller holds s.mu.
func (s *Server) takeFault(route string) *Fault {
	for i, f := range s.faults {
		if f.Route != route {
			continue
		}
		if f.Times > 0 {
			if f.Times--; f.Times == 0 {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
		}
		cp := *f
		return &cp
	}
	return nil
}

// serve answers a call hit by the fault; it reports false when the real
// handler should answer after all (a fault with only a Delay).
func (f *Fault) serve(w http.ResponseWriter, r *http.Request, h http.HandlerFunc) bool {
	if f.Delay > 0 {
		t := time.NewTimer(f.Delay)
		select {
		case <-r.Context().Done():
			t.Stop()
			return true
		case <-t.C:
		}
	}
	switch {
	case f.Status != 0 || f.Truncate:
		w.Header().Set(FaultHeader, "1")
	}
	switch {
	case f.Status != 0:
		body := f.Body
		if body == "" {
			body = `{"message":"Server Error"}`
		}
		w.Header().Set("Content-Type", "application/json")
		for k, v := range f.Header {
			w.Header().Set(k, v)
		}
		w.WriteHeader(f.Status)
		_, _ = w.Write([]byte(body))
		return true
	case f.Truncate:
		rec := httptest.NewRecorder()
		h(rec, r)
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		b := rec.Body.Bytes()
		_, _ = w.Write(b[:len(b)/2])
		return true
	}
	return false
}

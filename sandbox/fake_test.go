package sandbox_test

import (
	"encoding/json"
	"image/png"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
)

// fakeDaemon serves the agent API the way the daemon does, closely enough
// for the bot: it checks the token and status transitions, dedupes logs by
// id, records every call, and can fail calls on demand.
type fakeDaemon struct {
	srv *httptest.Server

	mu          sync.Mutex
	conf        api.AgentConfig
	status      api.BotStatus
	statuses    []api.AgentStatusRequest
	events      []api.AgentEvent
	logs        map[string]api.AgentLogEntry
	logRepeats  int // entries received again under a known id
	heartbeats  int
	screenshots []string // "type/state"
	chat        []api.AgentChatMessage
	fail        map[string]int // path → answers of 503 still to give
	logsAckFail int            // log batches to store and then answer 500 to
	leaveOn     api.BotStatus  // reporting this status makes the bot LEAVING
	configCode  int            // non-zero: answer config with this status
}

const testToken = "bot-token"

func newFakeDaemon(t *testing.T) *fakeDaemon {
	t.Helper()
	f := &fakeDaemon{
		conf:   api.AgentConfig{BotID: 7, DisplayName: "Sandbox", Meeting: api.Meeting{MeetingURL: "https://meet.google.com/abc-defg-hij"}, Metadata: map[string]string{}},
		status: api.StatusDeploying,
		logs:   map[string]api.AgentLogEntry{},
		fail:   map[string]int{},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/agent/config", f.config)
	mux.HandleFunc("POST /v1/agent/heartbeat", f.heartbeat)
	mux.HandleFunc("POST /v1/agent/status", f.postStatus)
	mux.HandleFunc("POST /v1/agent/events", f.postEvents)
	mux.HandleFunc("POST /v1/agent/logs", f.postLogs)
	mux.HandleFunc("POST /v1/agent/chat/dequeue", f.dequeue)
	mux.HandleFunc("POST /v1/agent/screenshots", f.postScreenshot)
	f.srv = httptest.NewServer(f.guard(mux))
	t.Cleanup(f.srv.Close)
	return f
}

// guard checks the token and plays the failures asked for.
func (f *fakeDaemon) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+testToken {
			problem(w, http.StatusUnauthorized, api.CodeUnauthorized)
			return
		}
		f.mu.Lock()
		failing := f.fail[r.URL.Path] > 0
		if failing {
			f.fail[r.URL.Path]--
		}
		f.mu.Unlock()
		if failing {
			problem(w, http.StatusServiceUnavailable, api.CodeUnavailable)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func problem(w http.ResponseWriter, status int, code string) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(api.Problem{Type: api.ProblemTypeBase + code, Title: http.StatusText(status), Status: status, Code: code})
}

func reply(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func (f *fakeDaemon) config(w http.ResponseWriter, _ *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.configCode != 0 {
		problem(w, f.configCode, api.CodeConflict)
		return
	}
	reply(w, http.StatusOK, f.conf)
}

func (f *fakeDaemon) heartbeat(w http.ResponseWriter, _ *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.heartbeats++
	reply(w, http.StatusOK, f.heartbeatLocked())
}

func (f *fakeDaemon) heartbeatLocked() api.AgentHeartbeat {
	return api.AgentHeartbeat{ShouldLeave: f.status == api.StatusLeaving, LogLevel: "DEBUG", Status: f.status}
}

func (f *fakeDaemon) postStatus(w http.ResponseWriter, r *http.Request) {
	var req api.AgentStatusRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		problem(w, http.StatusBadRequest, api.CodeBadRequest)
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if !api.CanTransition(f.status, req.Status) {
		problem(w, http.StatusConflict, api.CodeInvalidTransition)
		return
	}
	f.statuses = append(f.statuses, req)
	f.status = req.Status
	if req.Status == f.leaveOn {
		f.status = api.StatusLeaving // a user asked the bot to leave
	}
	reply(w, http.StatusOK, f.heartbeatLocked())
}

func (f *fakeDaemon) postEvents(w http.ResponseWriter, r *http.Request) {
	var req api.AgentEventsRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		problem(w, http.StatusBadRequest, api.CodeBadRequest)
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.events = append(f.events, req.Events...)
	reply(w, http.StatusOK, api.Accepted{Accepted: len(req.Events)})
}

func (f *fakeDaemon) postLogs(w http.ResponseWriter, r *http.Request) {
	var req api.AgentLogsRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || len(req.Entries) > 500 {
		problem(w, http.StatusBadRequest, api.CodeBadRequest)
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, e := range req.Entries {
		if _, seen := f.logs[e.ID]; seen {
			f.logRepeats++
		}
		f.logs[e.ID] = e
	}
	if f.logsAckFail > 0 { // stored, but the answer is lost
		f.logsAckFail--
		problem(w, http.StatusInternalServerError, api.CodeInternal)
		return
	}
	reply(w, http.StatusOK, api.Accepted{Accepted: len(req.Entries)})
}

func (f *fakeDaemon) dequeue(w http.ResponseWriter, _ *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.chat) == 0 {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	msg := f.chat[0]
	f.chat = f.chat[1:]
	reply(w, http.StatusOK, msg)
}

func (f *fakeDaemon) postScreenshot(w http.ResponseWriter, r *http.Request) {
	file, hdr, err := r.FormFile("file")
	if err != nil || hdr.Header.Get("Content-Type") != "image/png" {
		problem(w, http.StatusBadRequest, api.CodeBadRequest)
		return
	}
	defer file.Close()
	if _, err := png.Decode(file); err != nil {
		problem(w, http.StatusBadRequest, api.CodeBadRequest)
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.screenshots = append(f.screenshots, r.FormValue("type")+"/"+r.FormValue("state"))
	reply(w, http.StatusCreated, api.Screenshot{ID: int64(len(f.screenshots)), BotID: 7, Type: r.FormValue("type"), State: r.FormValue("state"), CapturedAt: time.Now()})
}

// statusPath returns the reported statuses as "A>B>C".
func (f *fakeDaemon) statusPath() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var s []string
	for _, r := range f.statuses {
		s = append(s, string(r.Status))
	}
	return strings.Join(s, ">")
}

// lastStatus returns the last status request.
func (f *fakeDaemon) lastStatus() api.AgentStatusRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.statuses) == 0 {
		return api.AgentStatusRequest{}
	}
	return f.statuses[len(f.statuses)-1]
}

// eventTypes counts the reported events by type.
func (f *fakeDaemon) eventTypes() map[string]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string]int{}
	for _, e := range f.events {
		out[e.Type]++
	}
	return out
}

// logMessages returns the distinct messages received.
func (f *fakeDaemon) logMessages() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, e := range f.logs {
		out = append(out, e.Message)
	}
	slices.Sort(out)
	return out
}

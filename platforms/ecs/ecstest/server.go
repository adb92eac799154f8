// Package ecstest serves the Amazon ECS API on loopback for tests: kumo's
// in-process emulator, behind a middleware that fills what kumo lacks and
// injects the faults a real cluster produces.
//
// kumo runs no containers, keeps neither RunTask's startedBy nor its
// overrides, and has no ListTasks. The middleware, dispatching on
// X-Amz-Target, therefore
//   - records every RunTask request body (Requests) and honours its client
//     token as ECS does: the same token and parameters replay the first
//     answer, the same token with other parameters is a ConflictException;
//   - reports tasks PROVISIONING until a test moves them on with SetState
//     (running, exited, OOM-killed, Spot-interrupted, ...), and shows
//     startedBy, capacityProviderName and, only when asked for with
//     include=TAGS, the tags;
//   - answers ListTasks itself, paginated with nextToken, from the tasks
//     it saw started;
//   - refuses DescribeTasks of more than 100 tasks, as ECS does;
//   - injects ThrottlingException, lost responses, failures[] for a
//     capacity provider, and tasks that vanish.
package ecstest

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sivchari/kumo"
)

// targetPrefix starts the X-Amz-Target of every ECS operation.
const targetPrefix = "AmazonEC2ContainerServiceV20141113."

// Server is a running ECS endpoint. Its methods are safe for concurrent
// use. Several Servers in one process share kumo's state, so each test
// uses a cluster of its own (see Cluster).
type Server struct {
	// URL is the endpoint to give a client (ecsapi.Options.Endpoint, the
	// SDK's BaseEndpoint, or AWS_ENDPOINT_URL_ECS).
	URL string

	kumo *kumo.Server // shared, see sharedKumo
	http *httptest.Server

	mu       sync.Mutex
	seq      int
	tasks    map[string]*task // by task ARN
	requests []RunTaskRequest
	calls    map[string]int
	tokens   map[string]*replay
	faults   faults
}

// task is what the middleware knows of a task kumo started.
type task struct {
	seq       int
	cluster   string // short name
	startedBy string
	provider  string
	state     State
	stopping  time.Time // when its desired status became STOPPED
	gone      bool
}

// kumoServer is the one kumo emulator of the process. kumo keeps its
// state in package globals and wires them together when a server is built,
// so building servers concurrently races; and separate servers would share
// that state anyway.
var kumoServer struct {
	mu  sync.Mutex
	srv *kumo.Server
}

func sharedKumo() *kumo.Server {
	kumoServer.mu.Lock()
	defer kumoServer.mu.Unlock()
	if kumoServer.srv == nil {
		kumoServer.srv = kumo.NewServer()
	}
	return kumoServer.srv
}

// StopShared stops the kumo emulator behind every Server. Call it from
// TestMain after the tests ran.
func StopShared() {
	kumoServer.mu.Lock()
	defer kumoServer.mu.Unlock()
	if kumoServer.srv != nil {
		kumoServer.srv.Close()
		kumoServer.srv = nil
	}
}

// Start runs a Server until the test ends.
func Start(tb testing.TB) *Server {
	tb.Helper()
	s := &Server{
		kumo:   sharedKumo(),
		tasks:  map[string]*task{},
		calls:  map[string]int{},
		tokens: map[string]*replay{},
	}
	s.http = httptest.NewServer(s)
	s.URL = s.http.URL
	tb.Cleanup(s.http.Close)
	return s
}

// ServeHTTP dispatches one ECS call.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	op := strings.TrimPrefix(r.Header.Get("X-Amz-Target"), targetPrefix)
	body, err := io.ReadAll(r.Body)
	if err != nil {
		writeError(w, http.StatusBadRequest, "SerializationException", "read body: "+err.Error(), nil)
		return
	}
	s.mu.Lock()
	s.calls[op]++
	throttled := s.faults.take(s.faults.throttle, op)
	s.mu.Unlock()
	if throttled {
		writeError(w, http.StatusBadRequest, "ThrottlingException", "Rate exceeded", nil)
		return
	}
	switch op {
	case "RunTask":
		s.runTask(w, r, body)
	case "DescribeTasks":
		s.describeTasks(w, r, body)
	case "StopTask":
		s.stopTask(w, r, body)
	case "ListTasks":
		s.listTasks(w, body)
	default:
		s.pass(w, r, body)
	}
}

// forward sends the call on to kumo and returns its answer.
func (s *Server) forward(r *http.Request, body []byte) (int, []byte, error) {
	req, err := http.NewRequestWithContext(r.Context(), http.MethodPost, s.kumo.URL+r.URL.Path, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	for _, h := range []string{"Content-Type", "X-Amz-Target", "Authorization", "X-Amz-Date"} {
		req.Header.Set(h, r.Header.Get(h))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	return resp.StatusCode, out, err
}

// pass forwards a call the middleware leaves to kumo unchanged.
func (s *Server) pass(w http.ResponseWriter, r *http.Request, body []byte) {
	status, out, err := s.forward(r, body)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "ServerException", "emulator: "+err.Error(), nil)
		return
	}
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	_, _ = w.Write(out)
}

// Calls returns how many calls of the operation (RunTask, DescribeTasks,
// ...) reached the server, throttled ones included.
func (s *Server) Calls(op string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[op]
}

// Requests returns the RunTask requests received so far, in order.
func (s *Server) Requests() []RunTaskRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]RunTaskRequest(nil), s.requests...)
}

// Tasks returns the ARNs of the tasks started in cluster (a short name)
// that have not vanished, in the order they were started.
func (s *Server) Tasks(cluster string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.taskARNs(func(t *task) bool { return t.cluster == cluster })
}

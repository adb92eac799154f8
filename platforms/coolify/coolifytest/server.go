// Package coolifytest is a fake Coolify API server for tests: an httptest
// server that answers the calls the pool makes the way Coolify's
// controllers do (app/Http/Controllers/Api/* at the commit the reference
// notes were read from), with asynchronous deployments limited per server,
// asynchronous stops and deletions, Laravel's rate limiting and validation
// errors, and faults a test can inject. It also lets a test play the part
// of the containers: read a slot's environment, finish or fail a
// deployment, set an application's status.
//
// It follows Coolify, not the client under test: it shares no code with
// platforms/coolify, and a test validates its answers against Coolify's
// own OpenAPI document.
package coolifytest

import (
	"cmp"
	"io"
	"log"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// Options shape a fake. The zero value is a working default.
type Options struct {
	// Token is the bearer token it accepts (default "test-token").
	Token string
	// ProjectUUID, ServerUUID, DestinationUUID and EnvironmentName are the
	// placement that exists (defaults project-1, server-1, destination-1,
	// production). Extra servers can be added with AddServer.
	ProjectUUID, ServerUUID, DestinationUUID, EnvironmentName string
	// ConcurrentBuilds is each server's concurrent_builds (default 2);
	// QueueLimit its deployment_queue_limit (default 25).
	ConcurrentBuilds, QueueLimit int
	// PullDuration is how long the first deployment of an image on a
	// server spends pulling it (default 40ms); StartDuration the rest of
	// any deployment (default 10ms). StopDelay and DeleteDelay are how long
	// a queued stop or deletion takes (default 10ms each).
	PullDuration, StartDuration, StopDelay, DeleteDelay time.Duration
	// Manual leaves every deployment in progress until the test finishes
	// or fails it (FinishDeployment, FailDeployment).
	Manual bool
	// RunningStatus is the status an application takes when its
	// deployment finishes (default running:healthy).
	RunningStatus string
	// RateLimit and RateWindow are Laravel's throttle: at most RateLimit
	// requests per fixed window per token (defaults 200 a minute, as
	// Coolify's API_RATE_LIMIT).
	RateLimit  int
	RateWindow time.Duration
	// ReadSensitive gives the token the read:sensitive ability, so
	// deployment logs are sent.
	ReadSensitive bool
	// TLS serves HTTPS with httptest's certificate.
	TLS bool
	// Container, when set, plays the application's container: Start is
	// called when a deployment finishes (the container starts) with the
	// application's environment, Stop when the container goes (a stop,
	// a deletion). Both run on their own goroutine, outside the fake's
	// lock, so they may call the fake and the daemon.
	Container Container
}

// Container is what runs inside a slot application, for tests that run
// the bot a real container would.
type Container interface {
	Start(appUUID string, env map[string]string)
	Stop(appUUID string)
}

func (o Options) withDefaults() Options {
	o.Token = cmp.Or(o.Token, "test-token")
	o.ProjectUUID = cmp.Or(o.ProjectUUID, "project-1")
	o.ServerUUID = cmp.Or(o.ServerUUID, "server-1")
	o.DestinationUUID = cmp.Or(o.DestinationUUID, "destination-1")
	o.EnvironmentName = cmp.Or(o.EnvironmentName, "production")
	o.ConcurrentBuilds = cmp.Or(o.ConcurrentBuilds, 2)
	o.QueueLimit = cmp.Or(o.QueueLimit, 25)
	o.PullDuration = cmp.Or(o.PullDuration, 40*time.Millisecond)
	o.StartDuration = cmp.Or(o.StartDuration, 10*time.Millisecond)
	o.StopDelay = cmp.Or(o.StopDelay, 10*time.Millisecond)
	o.DeleteDelay = cmp.Or(o.DeleteDelay, 10*time.Millisecond)
	o.RunningStatus = cmp.Or(o.RunningStatus, "running:healthy")
	o.RateLimit = cmp.Or(o.RateLimit, 200)
	o.RateWindow = cmp.Or(o.RateWindow, time.Minute)
	return o
}

// Server is a running fake. Its methods are safe for concurrent use.
type Server struct {
	opts Options
	srv  *httptest.Server

	mu          sync.Mutex
	closed      bool
	nextID      int
	apps        map[string]*app        // by uuid
	deployments map[string]*deployment // by uuid
	order       []*deployment          // creation order, for FIFO queues
	servers     map[string]*server     // by uuid
	calls       map[string]int         // by route
	faults      []*Fault
	rate        rateWindow
	failNext    int    // deployments still to fail, from FailDeployments
	failMessage string // their last log line
	timers      map[*time.Timer]bool
}

// New starts a fake, closed when the test ends.
func New(tb testing.TB, opts Options) *Server {
	tb.Helper()
	s := &Server{
		opts: opts.withDefaults(), apps: map[string]*app{}, deployments: map[string]*deployment{},
		servers: map[string]*server{}, calls: map[string]int{}, timers: map[*time.Timer]bool{},
	}
	s.servers[s.opts.ServerUUID] = newServer(s.opts.ServerUUID, "localhost")
	s.srv = httptest.NewUnstartedServer(s.routes())
	// A client refusing the test certificate is what TLS tests want;
	// the server's log line about it is noise.
	s.srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	if s.opts.TLS {
		s.srv.StartTLS()
	} else {
		s.srv.Start()
	}
	tb.Cleanup(s.Close)
	return s
}

// URL is the API base, as COOLIFY_API_URL: http://127.0.0.1:port/api/v1.
func (s *Server) URL() string { return s.srv.URL + "/api/v1" }

// Token is the bearer token the fake accepts.
func (s *Server) Token() string { return s.opts.Token }

// Options are the options in effect, defaults filled in.
func (s *Server) Options() Options { return s.opts }

// HTTPServer is the underlying httptest server (for its TLS certificate
// and client).
func (s *Server) HTTPServer() *httptest.Server { return s.srv }

// Close stops the server and every pending timer.
func (s *Server) Close() {
	s.mu.Lock()
	s.closed = true
	for t := range s.timers {
		t.Stop()
	}
	s.timers = nil
	s.mu.Unlock()
	s.srv.Close()
}

// AddServer makes another Coolify server exist, with its own build limit
// and image cache.
func (s *Server) AddServer(uuid string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.servers[uuid] = newServer(uuid, uuid)
}

// after runs fn under the lock after d, unless the server closed.
func (s *Server) after(d time.Duration, fn func()) {
	var t *time.Timer
	t = time.AfterFunc(d, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.closed {
			return
		}
		delete(s.timers, t)
		fn()
	})
	s.timers[t] = true
}

// newUUID hands out Coolify-looking public ids, distinct within a fake.
func (s *Server) newUUID(prefix string) string {
	s.nextID++
	return prefix + randomSuffix(s.nextID)
}

func newServer(uuid, name string) *server {
	return &server{uuid: uuid, name: name, images: map[string]bool{}, pulls: map[string]int{}}
}

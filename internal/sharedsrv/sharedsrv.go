// Package sharedsrv keeps one test server per test binary: a real server
// (an S3 server, a kube-apiserver with etcd) takes seconds to start, so
// the tests of a package share the first one started and isolate
// themselves inside it (buckets, namespaces).
package sharedsrv

import (
	"os"
	"sync"
)

// Server is what a shared server must do: stop.
type Server interface{ Stop() }

// Shared is one lazily started server. Its zero value is ready to use.
type Shared[S Server] struct {
	once sync.Once
	srv  S
	ok   bool
	dir  string
	err  error
}

// Get starts the server on first use, in a new temporary directory named
// after prefix, once check (is the server's binary there?) passes, and
// returns it, or the error that kept it from starting, on every call.
func (s *Shared[S]) Get(prefix string, check func() error, start func(dir string) (S, error)) (S, error) {
	s.once.Do(func() {
		if s.err = check(); s.err != nil {
			return
		}
		if s.dir, s.err = os.MkdirTemp("", prefix); s.err != nil {
			return
		}
		s.srv, s.err = start(s.dir)
		s.ok = s.err == nil
	})
	return s.srv, s.err
}

// Stop stops the server, if one was started, and removes its directory.
// TestMain calls it after m.Run.
func (s *Shared[S]) Stop() {
	if s.ok {
		s.srv.Stop()
	}
	if s.dir != "" {
		_ = os.RemoveAll(s.dir)
	}
}

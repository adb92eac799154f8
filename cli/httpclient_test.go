package cli

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

func TestRetryPolicy(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		method       string
		idemKey      string
		statuses     []int // answers in order; the last repeats
		wantHits     int32
		want         int
		noRetryAfter bool
	}{
		{"GetRetriedOn503", http.MethodGet, "", []int{503, 503, 200}, 3, 200, false},
		{"GetRetriedOn502And504", http.MethodGet, "", []int{502, 504, 200}, 3, 200, false},
		{"GetRetriedOn429", http.MethodGet, "", []int{429, 200}, 2, 200, false},
		{"GetGivesUpWithLastAnswer", http.MethodGet, "", []int{503}, 4, 503, false},
		{"GetNotRetriedOn500", http.MethodGet, "", []int{500, 200}, 1, 500, false},
		{"GetNotRetriedOn404", http.MethodGet, "", []int{404, 200}, 1, 404, false},
		{"PostWithoutKeyNotRetried", http.MethodPost, "", []int{503, 200}, 1, 503, false},
		{"PostWithKeyRetried", http.MethodPost, "k1", []int{503, 503, 201}, 3, 201, false},
		{"DeleteRetried", http.MethodDelete, "", []int{503, 204}, 2, 204, false},
		// A quota or concurrency cap: no Retry-After, waiting does not lift it.
		{"PostNotRetriedOn429WithoutRetryAfter", http.MethodPost, "k1", []int{429, 201}, 1, 429, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var hits atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n := int(hits.Add(1))
				if !tt.noRetryAfter {
					w.Header().Set("Retry-After", "0")
				}
				w.WriteHeader(tt.statuses[min(n, len(tt.statuses))-1])
			}))
			defer srv.Close()
			req, _ := http.NewRequestWithContext(t.Context(), tt.method, srv.URL, strings.NewReader(`{"a":1}`))
			if tt.idemKey != "" {
				req.Header.Set("Idempotency-Key", tt.idemKey)
			}
			resp, err := newHTTPClient(fastRetry, nil).Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			assertEqual(t, "status", resp.StatusCode, tt.want)
			assertEqual(t, "attempts", hits.Load(), tt.wantHits)
		})
	}
}

// TestRetryPolicy_ConnectionErrors drops the connection without an
// answer: a GET is retried, a POST without a key is not.
func TestRetryPolicy_ConnectionErrors(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, method, key string
		wantHits          int32
		wantErr           bool
	}{
		{"Get", http.MethodGet, "", 3, false},
		{"PostWithoutKey", http.MethodPost, "", 1, true},
		{"PostWithKey", http.MethodPost, "k", 3, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var hits atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if hits.Add(1) < 3 {
					conn, _, _ := w.(http.Hijacker).Hijack()
					conn.Close()
					return
				}
				w.WriteHeader(http.StatusOK)
			}))
			defer srv.Close()
			req, _ := http.NewRequestWithContext(t.Context(), tt.method, srv.URL, strings.NewReader("{}"))
			if tt.key != "" {
				req.Header.Set("Idempotency-Key", tt.key)
			}
			resp, err := newHTTPClient(fastRetry, nil).Do(req)
			if err == nil {
				resp.Body.Close()
			}
			assertEqual(t, "failed", err != nil, tt.wantErr)
			assertEqual(t, "attempts", hits.Load(), tt.wantHits)
		})
	}
}

// TestRetryPolicy_RefusedLoopback gives up at once when nothing listens on
// this machine, and retries a refused connection elsewhere (a remote
// daemon may be restarting behind its load balancer).
func TestRetryPolicy_RefusedLoopback(t *testing.T) {
	t.Parallel()
	refused := &url.Error{Op: "Get", URL: "http://x/", Err: &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}}
	for _, tt := range []struct {
		name     string
		loopback bool
		err      error
		want     bool
	}{
		{"RefusedLoopback", true, refused, false},
		{"RefusedRemote", false, refused, true},
		{"ResetLoopback", true, &url.Error{Op: "Get", URL: "http://x/", Err: syscall.ECONNRESET}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.WithValue(t.Context(), callKey{}, &call{repeatable: true, loopback: tt.loopback, after: time.Hour, start: time.Now()})
			got, err := checkRetry(ctx, nil, tt.err)
			if err != nil {
				t.Fatal(err)
			}
			assertEqual(t, "retry", got, tt.want)
		})
	}
	for host, want := range map[string]bool{"127.0.0.1": true, "127.8.9.1": true, "::1": true, "localhost": true, "10.0.0.1": false, "daemon.example": false} {
		assertEqual(t, "loopback "+host, isLoopback(host), want)
	}
}

// TestRetryPolicy_Notice says on stderr that a call is retrying once it
// has retried past the notice delay, and says nothing for a call that got
// its answer.
func TestRetryPolicy_Notice(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name     string
		statuses []int
		want     string
	}{
		{"Retrying", []int{503, 503, 200}, "not answering, retrying…\n"},
		{"Answered", []int{200}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var hits atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n := int(hits.Add(1))
				w.WriteHeader(tt.statuses[min(n, len(tt.statuses))-1])
			}))
			t.Cleanup(srv.Close)
			p := fastRetry
			p.NoticeAfter = time.Nanosecond
			var notices bytes.Buffer
			req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL, nil)
			resp, err := newHTTPClient(p, &notices).Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			assertEqual(t, "status", resp.StatusCode, http.StatusOK)
			if tt.want == "" {
				assertEqual(t, "notices", notices.String(), "")
				return
			}
			assertEqual(t, "notices", notices.String(), "daemon at "+srv.URL+" "+tt.want)
		})
	}
}

package cli

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/meeboter/meeboter/api"
)

// TestHealth runs the health check against real loopback servers: it must
// exit 0 only on a 2xx answer, and 1 for every kind of failure.
func TestHealth(t *testing.T) {
	t.Parallel()
	ready := httptest.NewServer(reply(http.StatusOK, api.Health{Status: "ready", Engine: "postgres"}))
	t.Cleanup(ready.Close)
	down := httptest.NewServer(reply(http.StatusServiceUnavailable, api.Health{Status: "database unavailable"}))
	t.Cleanup(down.Close)
	// hang answers only when the client gives up, so the timeout is what
	// ends the request, with no sleep in the test.
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
	t.Cleanup(hang.Close)
	gone := httptest.NewServer(http.NotFoundHandler())
	gone.Close()

	tests := []struct {
		name       string
		args       []string
		listen     string
		wantCode   ExitCode
		wantStdout string
		wantStderr string
	}{
		{"Ready", []string{"health", "--url", ready.URL + "/readyz"}, "", ExitOK, "healthy: " + ready.URL + "/readyz: 200 ready\n", ""},
		{"NotReady", []string{"health", "--url", down.URL + "/readyz"}, "", ExitError, "", "503 Service Unavailable database unavailable"},
		{"Unreachable", []string{"health", "--url", gone.URL + "/readyz"}, "", ExitError, "", "connection refused"},
		{"Timeout", []string{"health", "--url", hang.URL, "--timeout", "50ms"}, "", ExitError, "", "deadline exceeded"},
		{"DefaultFromListen", []string{"health"}, "0.0.0.0:" + port(t, ready.URL), ExitOK, "healthy: http://127.0.0.1:" + port(t, ready.URL) + "/readyz: 200 ready\n", ""},
		{"BadURL", []string{"health", "--url", "127.0.0.1:3000/readyz"}, "", ExitUsage, "", "--url: want an http:// or https:// URL"},
		{"BadListen", []string{"health"}, "3000", ExitUsage, "", "MEEBOTER_LISTEN: want host:port"},
		{"BadTimeout", []string{"health", "--timeout", "0s"}, "", ExitUsage, "", "--timeout: want a positive duration"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			if tt.listen != "" {
				b.env["MEEBOTER_LISTEN"] = tt.listen
			}
			assertEqual(t, "exit code", b.run(t, tt.args...), tt.wantCode)
			if tt.wantStdout != "" || tt.wantCode == ExitOK {
				assertEqual(t, "stdout", b.stdout.String(), tt.wantStdout)
			}
			if !strings.Contains(b.stderr.String(), tt.wantStderr) {
				t.Errorf("stderr %q does not contain %q", b.stderr.String(), tt.wantStderr)
			}
		})
	}
}

// port is the port of a test server's URL.
func port(tb testing.TB, rawURL string) string {
	tb.Helper()
	i := strings.LastIndexByte(rawURL, ':')
	if i < 0 {
		tb.Fatalf("no port in %q", rawURL)
	}
	return rawURL[i+1:]
}

// TestReadyzURL checks how a listen address becomes a loopback URL.
func TestReadyzURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		listen, want string
		wantErr      bool
	}{
		{listen: "0.0.0.0:3000", want: "http://127.0.0.1:3000/readyz"},
		{listen: ":3000", want: "http://127.0.0.1:3000/readyz"},
		{listen: "[::]:8080", want: "http://[::1]:8080/readyz"},
		{listen: "127.0.0.1:3000", want: "http://127.0.0.1:3000/readyz"},
		{listen: "10.1.2.3:9000", want: "http://10.1.2.3:9000/readyz"},
		{listen: "localhost:3000", want: "http://localhost:3000/readyz"},
		{listen: "3000", wantErr: true},
	}
	for _, tt := range tests {
		got, err := readyzURL(tt.listen)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("readyzURL(%q) = %q, %v; want %q, error %v", tt.listen, got, err, tt.want, tt.wantErr)
		}
	}
}

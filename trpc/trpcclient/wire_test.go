package trpcclient

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/trpc"
	"github.com/meeboter/meeboter/trpc/internal/fakebackend"
)

// recorded is one request as it reached the server.
type recorded struct {
	method, target, body, token, contentType string
}

// recorder wraps the handler and keeps every request it sees.
type recorder struct {
	mu   sync.Mutex
	reqs []recorded
	next http.Handler
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(strings.NewReader(string(body)))
	rec.mu.Lock()
	rec.reqs = append(rec.reqs, recorded{r.Method, r.URL.RequestURI(), string(body), r.Header.Get(trpc.TokenHeader), r.Header.Get("Content-Type")})
	rec.mu.Unlock()
	rec.next.ServeHTTP(w, r)
}

func (rec *recorder) last() recorded {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return rec.reqs[len(rec.reqs)-1]
}

// start serves the handler over b on loopback, recording requests.
func start(t *testing.T, b *fakebackend.Backend) (*recorder, string) {
	t.Helper()
	rec := &recorder{next: trpc.Handler(b, trpc.Options{})}
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)
	return rec, srv.URL
}

// goldenRequest reads the request of a server golden file: the client must
// send exactly what the note documents and the server tests replay.
func goldenRequest(t *testing.T, name string) recorded {
	t.Helper()
	raw, err := os.ReadFile("../testdata/golden/" + name + ".txt")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, _ := strings.Cut(string(raw), "-- request --\n")
	req, _, _ := strings.Cut(rest, "-- response --\n")
	head, body, _ := strings.Cut(req, "\n\n")
	line, _, _ := strings.Cut(head, "\n")
	method, target, _ := strings.Cut(line, " ")
	if pre, input, ok := strings.Cut(target, "&input="); ok && strings.HasPrefix(input, "{") {
		target = pre + "&input=" + encodeURIComponent(input)
	}
	return recorded{method: method, target: target, body: strings.TrimRight(body, "\n")}
}

func str(s string) *string { return &s }

var (
	t1001 = time.Date(2025, 12, 28, 10, 1, 0, 0, time.UTC)
	t1003 = time.Date(2025, 12, 28, 10, 3, 0, 0, time.UTC)
	t1100 = time.Date(2025, 12, 28, 11, 0, 0, 0, time.UTC)
)

// wireCases maps golden files to the client call that must produce them.
var wireCases = map[string]func(context.Context, *Client) error{
	"get_config":    func(ctx context.Context, c *Client) error { _, err := c.GetConfig(ctx, 123); return err },
	"get_slot":      func(ctx context.Context, c *Client) error { _, err := c.GetSlot(ctx, fakebackend.SlotUUID); return err },
	"heartbeat":     func(ctx context.Context, c *Client) error { _, err := c.SendHeartbeat(ctx, 123); return err },
	"dequeue_empty": func(ctx context.Context, c *Client) error { _, err := c.DequeueChat(ctx, 123); return err },
	"logs_flush":    func(ctx context.Context, c *Client) error { return c.FlushLogs(ctx, 123) },
	"events_report": func(ctx context.Context, c *Client) error {
		return c.ReportEvent(ctx, 123, trpc.Event{Type: "IN_CALL", Time: t1001})
	},
	"events_report_restarting": func(ctx context.Context, c *Client) error {
		data := &trpc.EventData{Description: str("Restart attempt 1/3: Timeout 30000ms exceeded"), SubCode: str("RESTART_1")}
		return c.ReportEvent(ctx, 123, trpc.Event{Type: "RESTARTING", Time: t1003, Data: data})
	},
	"events_report_fatal": func(ctx context.Context, c *Client) error {
		data := &trpc.EventData{Description: str("Maximum duration exceeded")}
		return c.ReportEvent(ctx, 123, trpc.Event{Type: "FATAL", Time: t1100, Data: data})
	},
	"update_status": func(ctx context.Context, c *Client) error {
		return c.UpdateStatus(ctx, 123, trpc.StatusUpdate{Status: api.StatusInCall})
	},
	"update_status_done": func(ctx context.Context, c *Client) error {
		return c.UpdateStatus(ctx, 123, trpc.StatusUpdate{Status: api.StatusDone, Recording: str("bots/123/recordings/0b6e-google-meet.mp4")})
	},
	"update_status_done_undefined": func(ctx context.Context, c *Client) error {
		return c.UpdateStatus(ctx, 123, trpc.StatusUpdate{Status: api.StatusDone})
	},
	"logs_stream": func(ctx context.Context, c *Client) error {
		_, err := c.StreamLogs(ctx, 123, noteEntries())
		return err
	},
	"batch_heartbeat_and_report": func(ctx context.Context, c *Client) error {
		b := c.Batch()
		b.SendHeartbeat(123)
		b.ReportEvent(123, trpc.Event{Type: "JOINING_CALL", Time: t1001})
		return b.Do(ctx)
	},
}

// noteEntries are the log entries of the protocol note's example.
func noteEntries() []trpc.LogEntry {
	return []trpc.LogEntry{
		{ID: "3b8d-uuid", Timestamp: time.Date(2025, 12, 28, 10, 0, 1, 0, time.UTC), Level: "INFO",
			Message: "Services initialized successfully", State: "INITIALIZING", Location: "index.ts:171", Elapsed: "+0s"},
		{ID: "3b8e-uuid", BotID: 123, Timestamp: time.Date(2025, 12, 28, 10, 0, 2, 0, time.UTC), Level: "DEBUG",
			Message: "Log streaming enabled", State: "INITIALIZING", Location: "index.ts:60:9:createServices",
			Context: []byte(`{"flushInterval":2000,"maxBufferSize":100}`), Elapsed: "+1s"},
	}
}

func TestWireMatchesGolden(t *testing.T) {
	for name, run := range wireCases {
		t.Run(name, func(t *testing.T) {
			rec, base := start(t, fakebackend.Standard())
			token := fakebackend.TokenBot123
			if name == "get_slot" {
				token = fakebackend.TokenSlot
			}
			if err := run(context.Background(), New(base, token, nil)); err != nil {
				t.Fatal(err)
			}
			got, want := rec.last(), goldenRequest(t, name)
			if got.method != want.method || got.target != want.target || got.body != want.body {
				t.Errorf("got  %s %s\n%s\nwant %s %s\n%s", got.method, got.target, got.body, want.method, want.target, want.body)
			}
			if got.token != token || (got.method == http.MethodPost) != (got.contentType == "application/json") {
				t.Errorf("headers: token %q, content-type %q", got.token, got.contentType)
			}
		})
	}
}

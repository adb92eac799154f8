package trpc

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// FuzzParseBatch feeds arbitrary paths, queries and bodies to the batch
// parser and to the whole handler: neither may panic, a parsed batch has
// one valid input (or none) per path, and every answer is JSON: an array
// with one item per call, or one object.
func FuzzParseBatch(f *testing.F) {
	f.Add(true, "bots.sendHeartbeat,bots.events.report", "batch=1", []byte(`{"0":{"json":{"id":"123"}}}`))
	f.Add(false, "bots.getConfig", "batch=1&input=%7B%220%22%3A%7B%22json%22%3A%7B%22botId%22%3A123%7D%7D%7D", []byte(nil))
	f.Fuzz(func(t *testing.T, post bool, path, rawQuery string, body []byte) {
		method := http.MethodGet
		if post {
			method = http.MethodPost
		}
		query, _ := url.ParseQuery(rawQuery)
		req, err := parseBatch(method, path, query, body, 64)
		if err == nil {
			checkParsed(t, req)
		}
		checkServed(t, method, path, rawQuery, body)
	})
}

func checkParsed(t *testing.T, req batchRequest) {
	if len(req.inputs) != len(req.paths) {
		t.Fatalf("%d inputs for %d paths", len(req.inputs), len(req.paths))
	}
	for _, in := range req.inputs {
		if in != nil && !json.Valid(in) {
			t.Fatalf("invalid input %q", in)
		}
	}
}

// checkServed runs the request through the handler with a stub backend.
func checkServed(t *testing.T, method, path, rawQuery string, body []byte) {
	r := httptest.NewRequest(method, "/api/trpc/", bytes.NewReader(body))
	r.URL.Path, r.URL.RawQuery = "/api/trpc/"+path, rawQuery
	r.Header.Set(TokenHeader, "any")
	w := httptest.NewRecorder()
	Handler(stubBackend{}, Options{}).ServeHTTP(w, r)
	if w.Code >= 300 && w.Code < 400 {
		return // the mux redirects paths it cleans ("a/../b")
	}
	out := w.Body.Bytes()
	if !json.Valid(out) {
		t.Fatalf("answer is not JSON: %q", out)
	}
	var items []json.RawMessage
	if out[0] == '[' {
		_ = json.Unmarshal(out, &items)
		if want := strings.Count(path, ",") + 1; len(items) != want {
			t.Fatalf("%d answers for %d calls", len(items), want)
		}
	}
}

// stubBackend accepts every token as a shared one and answers every call.
type stubBackend struct{}

func (stubBackend) Authenticate(context.Context, string) (Identity, error) {
	return Identity{All: true}, nil
}
func (stubBackend) BotConfig(context.Context, Identity, int64) (BotConfig, error) {
	return BotConfig{ID: 1}, nil
}
func (stubBackend) SlotConfig(context.Context, Identity, string) (BotConfig, error) {
	return BotConfig{}, ErrNotFound
}
func (stubBackend) Heartbeat(context.Context, Identity, int64) (Heartbeat, error) {
	return Heartbeat{}, nil
}
func (stubBackend) ReportEvent(context.Context, Identity, int64, Event) error         { return nil }
func (stubBackend) UpdateStatus(context.Context, Identity, int64, StatusUpdate) error { return nil }
func (stubBackend) DequeueChat(context.Context, Identity, int64) (*ChatMessage, error) {
	return nil, nil
}
func (stubBackend) AppendLogs(_ context.Context, _ Identity, _ int64, e []LogEntry) (int, error) {
	return len(e), nil
}
func (stubBackend) FlushLogs(context.Context, Identity, int64) error { return nil }
func (stubBackend) SaveScreenshot(context.Context, Identity, int64, ScreenshotUpload) (ScreenshotInfo, error) {
	return ScreenshotInfo{}, nil
}

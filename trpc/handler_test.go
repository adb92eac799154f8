package trpc_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/meeboter/meeboter/trpc"
	"github.com/meeboter/meeboter/trpc/internal/fakebackend"
)

// serve starts the handler on loopback over b.
func serve(t *testing.T, b *fakebackend.Backend, opts trpc.Options) string {
	t.Helper()
	srv := httptest.NewServer(trpc.Handler(b, opts))
	t.Cleanup(srv.Close)
	return srv.URL
}

// post sends a tRPC mutation body as bot 123 and returns status and body.
func post(t *testing.T, base, path, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, base+"/api/trpc/"+path+"?batch=1", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(trpc.TokenHeader, fakebackend.TokenBot123)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(out)
}

func TestInputsReachBackendDecoded(t *testing.T) {
	b := fakebackend.Standard()
	base := serve(t, b, trpc.Options{})
	post(t, base, "bots.events.report", `{"0":{"json":{"id":"123","event":{"eventType":"FATAL","eventTime":"2025-12-28T11:00:00.000Z","data":{"description":"Maximum duration exceeded","sub_code":null}}},"meta":{"values":{"event.eventTime":["Date"],"event.data.sub_code":["undefined"]},"v":1}}}`)
	post(t, base, "bots.updateStatus", `{"0":{"json":{"id":"123","status":"DONE","recording":null,"speakerTimeframes":null},"meta":{"values":{"recording":["undefined"],"speakerTimeframes":["undefined"]},"v":1}}}`)
	post(t, base, "bots.logs.stream", `{"0":{"json":{"botId":"123","entries":[{"id":"a","botId":123,"timestamp":"2025-12-28T10:00:01.000Z","level":"info","message":"m","state":"S","location":"l","context":null,"elapsed":"+0s"},{"id":"b","timestamp":"2025-12-28T10:00:02.000Z","level":"DEBUG","message":"m","state":"S","location":"l","context":{"k":[1]},"elapsed":"+1s"}]},"meta":{"values":{"entries.0.timestamp":["Date"],"entries.0.context":["undefined"],"entries.1.timestamp":["Date"]},"v":1}}}`)
	bot := b.Bot(123)
	if len(bot.Events) != 1 || bot.Events[0].Data == nil || bot.Events[0].Data.SubCode != nil ||
		*bot.Events[0].Data.Description != "Maximum duration exceeded" || bot.Events[0].Time.Hour() != 11 {
		t.Errorf("event = %+v", bot.Events)
	}
	if len(bot.Statuses) != 1 || bot.Statuses[0].Recording != nil || bot.Statuses[0].SpeakerTimeframes != nil || bot.Status != "DONE" {
		t.Errorf("statuses = %+v", bot.Statuses)
	}
	if len(bot.Logs) != 2 || bot.Logs[0].Context != nil || string(bot.Logs[1].Context) != `{"k":[1]}` ||
		bot.Logs[0].Level != "INFO" || bot.Logs[1].BotID != 123 || bot.Logs[1].Timestamp.Second() != 2 {
		t.Errorf("logs = %+v", bot.Logs)
	}
}

func TestLongTextTruncated(t *testing.T) {
	b := fakebackend.Standard()
	base := serve(t, b, trpc.Options{})
	long := strings.Repeat("é", 40<<10)
	status, body := post(t, base, "bots.logs.stream", `{"0":{"json":{"botId":"123","entries":[{"id":"a","botId":123,"timestamp":"2025-12-28T10:00:01.000Z","level":"INFO","message":"`+long+`","state":"S","location":"l","elapsed":"+0s"}]}}}`)
	if status != 200 {
		t.Fatalf("%d %s", status, body)
	}
	msg := b.Bot(123).Logs[0].Message
	if len(msg) > 32<<10 || !strings.HasSuffix(msg, "[truncated]") {
		t.Errorf("message of %d bytes not truncated", len(msg))
	}
}

func TestUnclassifiedErrorsAreHidden(t *testing.T) {
	b := fakebackend.Standard()
	b.Fail[123] = errors.New("database password is hunter2")
	b.Panic[124] = true
	var logs strings.Builder
	opts := trpc.Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))}
	base := serve(t, b, opts)
	status, body := post(t, base, "bots.sendHeartbeat", `{"0":{"json":{"id":"123"}}}`)
	if status != 500 || strings.Contains(body, "hunter2") || !strings.Contains(body, `"INTERNAL_SERVER_ERROR"`) {
		t.Errorf("%d %s", status, body)
	}
	req, _ := http.NewRequest(http.MethodPost, base+"/api/trpc/bots.sendHeartbeat?batch=1", strings.NewReader(`{"0":{"json":{"id":"124"}}}`))
	req.Header.Set(trpc.TokenHeader, fakebackend.TokenBot124)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 500 {
		t.Fatalf("panic answered %v %v", resp, err)
	}
	resp.Body.Close()
	if !strings.Contains(logs.String(), "hunter2") || !strings.Contains(logs.String(), "panicked") {
		t.Errorf("hidden errors not logged: %s", logs.String())
	}
}

func TestRequestLimits(t *testing.T) {
	base := serve(t, fakebackend.Standard(), trpc.Options{MaxBodyBytes: 1 << 10, MaxBatchCalls: 3})
	status, body := post(t, base, "bots.sendHeartbeat", `{"0":{"json":{"id":"`+strings.Repeat("1", 2<<10)+`"}}}`)
	if status != 413 || !strings.Contains(body, "PAYLOAD_TOO_LARGE") {
		t.Errorf("large body: %d %s", status, body)
	}
	// A body of unknown length (chunked) is held to the same limit.
	for size, want := range map[int]int{16: 200, 2 << 10: 413} {
		body := `{"0":{"json":{"id":"123"}}}`
		if size > len(body) {
			body = `{"0":{"json":{"id":"` + strings.Repeat("1", size) + `"}}}`
		}
		req, _ := http.NewRequest(http.MethodPost, base+"/api/trpc/bots.sendHeartbeat?batch=1", struct{ io.Reader }{strings.NewReader(body)})
		req.Header.Set(trpc.TokenHeader, fakebackend.TokenBot123)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if req.ContentLength != 0 || resp.StatusCode != want {
			t.Errorf("chunked body of %d bytes: %d, want %d (length sent %d)", len(body), resp.StatusCode, want, req.ContentLength)
		}
	}
	paths := strings.TrimSuffix(strings.Repeat("bots.sendHeartbeat,", 4), ",")
	status, body = post(t, base, paths, `{}`)
	if status != 400 || !strings.HasPrefix(body, `{"error":`) {
		t.Errorf("large batch: %d %s", status, body)
	}
}

func TestBatchOrderManyCalls(t *testing.T) {
	base := serve(t, fakebackend.Standard(), trpc.Options{})
	var paths []string
	var inputs []string
	for i := range 20 {
		id := 123
		if i%3 == 0 {
			id = 200 // forbidden for bot 123's token
		}
		paths = append(paths, "bots.logs.flush")
		inputs = append(inputs, fmt.Sprintf(`"%d":{"json":{"botId":"%d"}}`, i, id))
	}
	status, body := post(t, base, strings.Join(paths, ","), "{"+strings.Join(inputs, ",")+"}")
	if status != 207 {
		t.Fatalf("status %d", status)
	}
	var items []json.RawMessage
	if err := json.Unmarshal([]byte(body), &items); err != nil || len(items) != 20 {
		t.Fatalf("%d items, %v", len(items), err)
	}
	for i, it := range items {
		if failed := strings.Contains(string(it), "FORBIDDEN"); failed != (i%3 == 0) {
			t.Errorf("item %d out of order: %s", i, it)
		}
	}
}

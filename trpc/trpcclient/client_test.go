package trpcclient

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/trpc"
	"github.com/meeboter/meeboter/trpc/internal/fakebackend"
)

func TestRoundTrip(t *testing.T) {
	ctx := context.Background()
	b := fakebackend.Standard()
	_, base := start(t, b)
	c := New(base, fakebackend.TokenBot123, nil)

	cfg, err := c.GetConfig(ctx, 123)
	if err != nil || !reflect.DeepEqual(cfg, fakebackend.Config123()) {
		t.Errorf("GetConfig = %+v, %v", cfg, err)
	}
	hb, err := c.SendHeartbeat(ctx, 123)
	if err != nil || hb.ShouldLeave || hb.LogLevel == nil || *hb.LogLevel != "TRACE" {
		t.Errorf("SendHeartbeat = %+v, %v", hb, err)
	}
	if msg, err := c.DequeueChat(ctx, 123); msg != nil || err != nil {
		t.Errorf("DequeueChat = %+v, %v", msg, err)
	}
	n, err := c.StreamLogs(ctx, 123, noteEntries())
	if err != nil || n != 2 {
		t.Errorf("StreamLogs = %d, %v", n, err)
	}
	if err := c.UpdateStatus(ctx, 123, trpc.StatusUpdate{Status: api.StatusDone}); err != nil {
		t.Error(err)
	}
	if err := c.FlushLogs(ctx, 123); err != nil {
		t.Error(err)
	}
	bot := b.Bot(123)
	if bot.Status != api.StatusDone || bot.Heartbeats != 1 || bot.Flushes != 1 || len(bot.Logs) != 2 || bot.Logs[0].BotID != 123 {
		t.Errorf("backend saw %+v", bot)
	}
}

func TestDequeueMessage(t *testing.T) {
	_, base := start(t, fakebackend.Standard())
	msg, err := New(base, fakebackend.TokenBot124, nil).DequeueChat(context.Background(), 124)
	if err != nil || msg == nil || msg.MessageText != "Hello from Meeboter" || *msg.TemplateID != 4 || msg.UserID != "usr_1" {
		t.Errorf("DequeueChat = %+v, %v", msg, err)
	}
}

func TestBatchMixed(t *testing.T) {
	_, base := start(t, fakebackend.Standard())
	b := New(base, fakebackend.TokenBot123, nil).Batch()
	hb := b.SendHeartbeat(123)
	other := b.FlushLogs(124)
	logs := b.StreamLogs(123, noteEntries())
	if err := b.Do(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := hb.Get(); err != nil {
		t.Error(err)
	}
	var te *Error
	if err := other.Err(); !errors.As(err, &te) || te.Code != "FORBIDDEN" || !errors.Is(err, trpc.ErrForbidden) {
		t.Errorf("forbidden call: %v", err)
	}
	if n, err := logs.Get(); n != 2 || err != nil {
		t.Errorf("logs = %d, %v", n, err)
	}
}

func TestServerErrors(t *testing.T) {
	_, base := start(t, fakebackend.Standard())
	ctx := context.Background()
	_, err := New(base, fakebackend.TokenBot200, nil).GetConfig(ctx, 200)
	if !errors.Is(err, trpc.ErrPreconditionFailed) || !strings.Contains(err.Error(), "PRECONDITION_FAILED") {
		t.Errorf("finished bot: %v", err)
	}
	_, err = New(base, "wrong", nil).SendHeartbeat(ctx, 123)
	var te *Error
	if !errors.As(err, &te) || te.HTTPStatus != 401 || te.RPCCode != -32001 || te.Path != "bots.sendHeartbeat" {
		t.Errorf("bad token: %#v", err)
	}
}

// TestStrictDecoding serves answers the real bot would mis-read.
func TestStrictDecoding(t *testing.T) {
	tests := []struct {
		name, body string
		call       func(*Client) error
		want       string
	}{
		{"result without json", `[{"result":{"data":{"shouldLeave":false,"logLevel":null}}}]`, heartbeat, `"json" wrapper`},
		{"null heartbeat", `[{"result":{"data":{"json":null}}}]`, heartbeat, "null"},
		{"error without json", `[{"error":{"message":"x","code":-32603}}]`, heartbeat, "Unable to transform response from server"},
		{"html", `<html>502 Bad Gateway</html>`, heartbeat, "not JSON"},
		{"count mismatch", `[]`, heartbeat, "0 results for 1 calls"},
		{"date without annotation", `[{"result":{"data":{"json":{"id":1,"startTime":"2025-12-28T10:00:00.000Z","endTime":"2025-12-28T10:00:00.000Z"},"meta":{"values":{"endTime":["Date"]},"v":1}}}}]`,
			func(c *Client) error { _, err := c.GetConfig(context.Background(), 1); return err }, "startTime is not annotated"},
		{"single object applies to all", `{"result":{"data":{"json":{"shouldLeave":true,"logLevel":null}}}}`, heartbeat, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				_, _ = w.Write([]byte(tt.body))
			}))
			defer srv.Close()
			err := tt.call(New(srv.URL, "t", nil))
			if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
				t.Errorf("error %v, want %q", err, tt.want)
			}
		})
	}
}

func heartbeat(c *Client) error {
	_, err := c.SendHeartbeat(context.Background(), 1)
	return err
}

func TestUploadScreenshot(t *testing.T) {
	b := fakebackend.Standard()
	_, base := start(t, b)
	up := trpc.ScreenshotUpload{Data: []byte("png"), Type: "state_change", State: "JOINING_CALL", Trigger: "JOINING_CALL"}
	info, err := New(base, fakebackend.TokenBot123, nil).UploadScreenshot(context.Background(), 123, up)
	if err != nil || info.Key == "" || !info.CapturedAt.Equal(b.Now()) || info.Trigger != "JOINING_CALL" {
		t.Errorf("UploadScreenshot = %+v, %v", info, err)
	}
	got := b.Bot(123).Screenshots[0]
	if got.Filename != "screenshot.png" || got.ContentType != "application/octet-stream" || string(got.Data) != "png" {
		t.Errorf("server got %+v", got)
	}
	_, err = New(base, "wrong", nil).UploadScreenshot(context.Background(), 123, up)
	var te *Error
	if !errors.As(err, &te) || te.HTTPStatus != 401 || te.Message != "Unauthorized" {
		t.Errorf("bad token: %v", err)
	}
}

func TestEncodeURIComponent(t *testing.T) {
	in := `{"a":"b c+d/é!~*'()"}`
	want := `%7B%22a%22%3A%22b%20c%2Bd%2F%C3%A9!~*'()%22%7D`
	if got := encodeURIComponent(in); got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

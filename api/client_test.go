package api

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"time"
)

// newTestClient returns a client of srv with an API key.
func newTestClient(tb testing.TB, srv *httptest.Server) *Client {
	tb.Helper()
	c, err := NewClient(Config{Address: srv.URL, APIKey: "mbk_test"})
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func TestDownloadScreenshot(t *testing.T) {
	t.Parallel()
	// other plays an object store: it must never see the API key.
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" {
			t.Errorf("the API key was sent to another host: %q", r.Header.Get("Authorization"))
		}
		_, _ = w.Write([]byte("signed-png"))
	}))
	t.Cleanup(other.Close)
	daemon := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer mbk_test" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		if r.URL.Path != "/v1/bots/1/screenshots/2/image" {
			w.Header().Set("Content-Type", "application/problem+json")
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"status":404,"code":"not_found","title":"Not Found","detail":"no such screenshot"}`))
			return
		}
		_, _ = w.Write([]byte("daemon-png"))
	}))
	t.Cleanup(daemon.Close)
	c := newTestClient(t, daemon)
	for _, tc := range []struct {
		name, url, want string
		wantErr         error
	}{
		{"Relative", "/v1/bots/1/screenshots/2/image", "daemon-png", nil},
		{"SameOrigin", daemon.URL + "/v1/bots/1/screenshots/2/image", "daemon-png", nil},
		{"OtherHost", other.URL + "/bucket/2.png?sig=abc", "signed-png", nil},
		{"NoURL", "", "", ErrNoDownloadURL},
		{"Missing", "/v1/bots/1/screenshots/3/image", "", ErrNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			n, err := c.Bots().DownloadScreenshot(t.Context(), Screenshot{ID: 2, BotID: 1, URL: tc.url}, &buf)
			if !errors.Is(err, tc.wantErr) || (tc.wantErr == nil && err != nil) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			if buf.String() != tc.want || n != int64(len(tc.want)) {
				t.Fatalf("got %q (%d bytes), want %q", buf.String(), n, tc.want)
			}
		})
	}
}

func TestClient_Unreachable(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := "http://" + ln.Addr().String()
	ln.Close()
	c, err := NewClient(Config{Address: addr})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Bots().Get(t.Context(), 1)
	var ue *UnreachableError
	if !errors.As(err, &ue) || !IsUnreachable(err) || !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("err = %#v, want an UnreachableError wrapping ECONNREFUSED", err)
	}
	if ue.Address != addr || !strings.Contains(err.Error(), addr) || strings.Contains(err.Error(), "/v1/bots/1") {
		t.Fatalf("err = %q, want the daemon address and the cause only", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := c.Bots().Get(ctx, 1); !errors.Is(err, context.Canceled) || IsUnreachable(err) {
		t.Fatalf("cancelled call: err = %v, want context.Canceled alone", err)
	}
}

func TestReadSSE_Heartbeats(t *testing.T) {
	t.Parallel()
	stream := "event: hello\ndata: {\"type\":\"hello\"}\n\n" +
		": a comment\n" +
		"event: heartbeats\ndata: {\"type\":\"heartbeats\",\"heartbeats\":[{\"botId\":4,\"at\":\"2030-01-02T03:04:05.123456Z\"}]}\n\n"
	var got []StreamEvent
	err := readSSE(t.Context(), bufio.NewReader(strings.NewReader(stream)), func(ev StreamEvent) error {
		got = append(got, ev)
		return nil
	})
	if !IsUnreachable(err) {
		t.Fatalf("end of stream: err = %v, want unreachable", err)
	}
	want := time.Date(2030, 1, 2, 3, 4, 5, 123456000, time.UTC)
	if len(got) != 2 || got[0].Type != "hello" || got[1].Type != "heartbeats" || len(got[1].Heartbeats) != 1 ||
		got[1].Heartbeats[0].BotID != 4 || !got[1].Heartbeats[0].At.Equal(want) {
		t.Fatalf("events = %+v", got)
	}
}

package api

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestReadSSEIDs(t *testing.T) {
	t.Parallel()
	in := "id: 7\nevent: bot\ndata: {\"type\":\"bot\"}\n\n" +
		": a comment\n\n" +
		"event: log\ndata: {\"type\":\"log\"}\n\n" +
		"id: 9\n\n" + // an id with no data dispatches nothing
		"event: ping\ndata: {\"type\":\"ping\"}\n\n"
	var got []StreamEvent
	err := readSSE(context.Background(), bufio.NewReader(strings.NewReader(in)), func(ev StreamEvent) error {
		got = append(got, ev)
		return nil
	})
	if !errors.Is(err, ErrUnreachable) {
		t.Fatalf("end of input: %v, want ErrUnreachable", err)
	}
	if len(got) != 3 || got[0].ID != "7" || got[1].ID != "" || got[2].ID != "" || got[1].Type != "log" {
		t.Fatalf("events %+v", got)
	}
}

// TestStreamReconnectsWithLastEventID drops the first connection after one
// message: the client reconnects by itself, sending the id it last saw.
func TestStreamReconnectsWithLastEventID(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var seen []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Header.Get("Last-Event-ID"))
		n := len(seen)
		mu.Unlock()
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprintf(w, "id: %d\nevent: bot\ndata: {\"type\":\"bot\"}\n\n", 10*n)
		w.(http.Flusher).Flush()
		if n == 1 {
			return // the connection drops
		}
		<-r.Context().Done()
	}))
	defer srv.Close()
	c, err := NewClient(Config{Address: srv.URL, APIKey: "mbk_x"})
	if err != nil {
		t.Fatal(err)
	}
	stop := errors.New("stop")
	var ids []string
	err = c.Stream(context.Background(), StreamOptions{LastEventID: "3", Reconnect: 10 * time.Millisecond}, func(ev StreamEvent) error {
		ids = append(ids, ev.ID)
		if len(ids) == 2 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) {
		t.Fatalf("stream ended with %v, want the callback's error", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(seen) != 2 || seen[0] != "3" || seen[1] != "10" || ids[0] != "10" || ids[1] != "20" {
		t.Fatalf("requests sent Last-Event-ID %q; messages %q", seen, ids)
	}
}

// FuzzReadSSE feeds the stream reader what a server, or anything between,
// may send: it never panics, and every event it passes decoded as JSON.
func FuzzReadSSE(f *testing.F) {
	f.Add("id: 4\nevent: bot\ndata: {\"type\":\"bot\",\"bot\":{\"id\":1}}\n\n")
	f.Add("data: {\"type\":\n\ndata: x\r\n\r\n")
	f.Add("id:\ndata:{}\n\n\n\nid: 1\n")
	f.Fuzz(func(t *testing.T, in string) {
		_ = readSSE(context.Background(), bufio.NewReader(strings.NewReader(in)), func(ev StreamEvent) error {
			if strings.ContainsAny(ev.ID, "\r\n") {
				t.Fatalf("id %q holds a line break", ev.ID)
			}
			return nil
		})
	})
}

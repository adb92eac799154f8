package cli

import (
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
)

func logEntry(id int64, msg string) api.LogEntry {
	return api.LogEntry{ID: id, BotID: 9, EntryID: "e" + strconv.FormatInt(id, 10), Time: fixedNow.Add(time.Duration(id) * time.Second), Level: "INFO", Message: msg}
}

// streamed is a log line as a daemon streams it before it knows the
// stored id: the entry id the bot gave it, and id 0.
func streamed(id int64, msg string) *api.LogEntry {
	e := logEntry(id, msg)
	e.ID = 0
	return &e
}

func logLine(id int64, msg string) string {
	return fixedNow.Add(time.Duration(id)*time.Second).Format(time.RFC3339) + "\tINFO\t" + msg + "\t\n"
}

// logPages answers the log listing with pages[i] on the i-th call, and the
// last page from then on.
func logPages(calls *atomic.Int32, pages ...[]api.LogEntry) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		i := int(calls.Add(1)) - 1
		reply(http.StatusOK, api.List[api.LogEntry]{Items: pages[min(i, len(pages)-1)]})(w, r)
	}
}

func TestBotLogs(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.daemon.handle("GET /v1/bots/9/logs", reply(http.StatusOK, api.List[api.LogEntry]{Items: []api.LogEntry{logEntry(1, "start"), logEntry(2, "joined\tcall")}}))
	assertEqual(t, "exit", b.run(t, "bot", "logs", "9"), ExitOK)
	assertEqual(t, "stdout", b.stdout.String(), "2026-05-01T12:00:01Z\tINFO\tstart\t\n2026-05-01T12:00:02Z\tINFO\tjoined call\t\n")
}

// TestBotLogs_Follow checks that -f prints every line exactly once however
// the listing read at connect, the stream and the final read overlap, and
// whatever the order between them.
func TestBotLogs_Follow(t *testing.T) {
	t.Parallel()
	done := api.StreamEvent{Type: "bot", Bot: botAt(api.StatusDone, func(b *api.Bot) { b.EndReason = "completed" })}
	tests := []struct {
		name       string
		pages      [][]api.LogEntry
		stream     []api.StreamEvent
		wantStdout string
	}{
		{"StoredIDs", [][]api.LogEntry{{logEntry(1, "start"), logEntry(2, "joining")}},
			[]api.StreamEvent{logEvent(ptr(logEntry(2, "joining"))), logEvent(ptr(logEntry(3, "in call"))), done},
			logLine(1, "start") + logLine(2, "joining") + logLine(3, "in call")},
		// A daemon that streams lines before storing them sends id 0:
		// the entry id still tells them apart.
		{"StreamedWithoutIDs", [][]api.LogEntry{{logEntry(1, "start"), logEntry(2, "joining")}},
			[]api.StreamEvent{logEvent(streamed(2, "joining")), logEvent(streamed(3, "in call")), logEvent(streamed(4, "leaving")), done},
			logLine(1, "start") + logLine(2, "joining") + logLine(3, "in call") + logLine(4, "leaving")},
		// The stream delivers 4 before 3, and the listing ends at 2: no
		// line is dropped for arriving after a higher id.
		{"OutOfOrder", [][]api.LogEntry{{logEntry(1, "start"), logEntry(2, "joining")}},
			[]api.StreamEvent{logEvent(ptr(logEntry(4, "four"))), logEvent(ptr(logEntry(3, "three"))), done},
			logLine(1, "start") + logLine(2, "joining") + logLine(4, "four") + logLine(3, "three")},
		// Lines sent after the final status are printed while the stream
		// lingers, and lines only stored by then come from the last read.
		{"AfterTheEnd", [][]api.LogEntry{{logEntry(1, "start")}, {logEntry(1, "start"), logEntry(2, "done"), logEntry(3, "exiting"), logEntry(4, "bye")}},
			[]api.StreamEvent{logEvent(streamed(2, "done")), done, logEvent(streamed(3, "exiting"))},
			logLine(1, "start") + logLine(2, "done") + logLine(3, "exiting") + logLine(4, "bye")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			var listed atomic.Int32
			b.daemon.handle("GET /v1/bots/9/logs", logPages(&listed, tt.pages...))
			b.daemon.handle("GET /v1/bots/9/stream", func(w http.ResponseWriter, r *http.Request) {
				sse(w, append([]api.StreamEvent{{Type: "bot", Bot: botAt(api.StatusInCall, nil)}}, tt.stream...)...)
				<-r.Context().Done() // the stream stays open; the follower ends it
			})
			assertEqual(t, "exit", b.run(t, "bot", "logs", "9", "-f"), ExitOK)
			assertEqual(t, "listings", listed.Load(), int32(2))
			assertEqual(t, "stdout", b.stdout.String(), tt.wantStdout)
			assertEqual(t, "stderr", b.stderr.String(), "12:00:00 IN_CALL\n12:00:00 DONE (completed)\n")
		})
	}
}

// TestBotLogs_FollowFatal exits 6 when the followed bot fails, after its
// last lines.
func TestBotLogs_FollowFatal(t *testing.T) {
	t.Parallel()
	b := setup(t)
	var listed atomic.Int32
	b.daemon.handle("GET /v1/bots/9/logs", logPages(&listed, nil, []api.LogEntry{logEntry(1, "sign-in wall")}))
	b.daemon.handle("GET /v1/bots/9/stream", func(w http.ResponseWriter, r *http.Request) {
		sse(w, api.StreamEvent{Type: "bot", Bot: botAt(api.StatusFatal, func(b *api.Bot) { b.EndReason = "SIGN_IN_REQUIRED" })})
	})
	assertEqual(t, "exit", b.run(t, "bot", "logs", "9", "-f"), ExitBotFatal)
	assertEqual(t, "stdout", b.stdout.String(), logLine(1, "sign-in wall"))
	if !strings.Contains(b.stderr.String(), "error: bot 9 ended FATAL: SIGN_IN_REQUIRED") {
		t.Errorf("stderr:\n%s", b.stderr)
	}
}

func logEvent(e *api.LogEntry) api.StreamEvent { return api.StreamEvent{Type: "log", Log: e} }

func ptr[T any](v T) *T { return &v }

// TestBotLogs_FollowResumes drops the stream after a line: -f reconnects
// with the id of the last message it saw, and prints each line once.
func TestBotLogs_FollowResumes(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.daemon.handle("GET /v1/bots/9/logs", reply(http.StatusOK, api.List[api.LogEntry]{Items: []api.LogEntry{logEntry(1, "start")}}))
	b.daemon.handle("GET /v1/bots/9", reply(http.StatusOK, botAt(api.StatusInCall, nil)))
	var resumedFrom atomic.Value
	var streams atomic.Int32
	b.daemon.handle("GET /v1/bots/9/stream", func(w http.ResponseWriter, r *http.Request) {
		l2, l3 := logEntry(2, "joining"), logEntry(3, "in call")
		if streams.Add(1) == 1 {
			sse(w, api.StreamEvent{Type: "bot", Bot: botAt(api.StatusInCall, nil), ID: "5"}, api.StreamEvent{Type: "log", Log: &l2, ID: "6"})
			return // the daemon went away
		}
		resumedFrom.Store(r.Header.Get("Last-Event-ID"))
		sse(w, api.StreamEvent{Type: "log", Log: &l3, ID: "7"},
			api.StreamEvent{Type: "bot", Bot: botAt(api.StatusDone, func(b *api.Bot) { b.EndReason = "completed" }), ID: "8"})
	})
	assertEqual(t, "exit", b.run(t, "bot", "logs", "9", "-f"), ExitOK)
	assertEqual(t, "resumed after", resumedFrom.Load(), any("6"))
	assertEqual(t, "stdout", b.stdout.String(),
		"2026-05-01T12:00:01Z\tINFO\tstart\t\n2026-05-01T12:00:02Z\tINFO\tjoining\t\n2026-05-01T12:00:03Z\tINFO\tin call\t\n")
}

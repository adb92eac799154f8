package cli

import (
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
)

func logEntry(id int64, msg string) api.LogEntry {
	return api.LogEntry{ID: id, BotID: 9, Time: fixedNow.Add(time.Duration(id) * time.Second), Level: "INFO", Message: msg}
}

func TestBotLogs(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.daemon.handle("GET /v1/bots/9/logs", reply(http.StatusOK, api.List[api.LogEntry]{Items: []api.LogEntry{logEntry(1, "start"), logEntry(2, "joined\tcall")}}))
	assertEqual(t, "exit", b.run(t, "bot", "logs", "9"), ExitOK)
	assertEqual(t, "stdout", b.stdout.String(), "2026-05-01T12:00:01Z\tINFO\tstart\t\n2026-05-01T12:00:02Z\tINFO\tjoined call\t\n")
}

// TestBotLogs_Follow catches up on the log when the stream opens, drops
// lines it already printed, and stops when the bot ends.
func TestBotLogs_Follow(t *testing.T) {
	t.Parallel()
	b := setup(t)
	var listed atomic.Int32
	b.daemon.handle("GET /v1/bots/9/logs", func(w http.ResponseWriter, r *http.Request) {
		listed.Add(1)
		reply(http.StatusOK, api.List[api.LogEntry]{Items: []api.LogEntry{logEntry(1, "start"), logEntry(2, "joining")}})(w, r)
	})
	b.daemon.handle("GET /v1/bots/9/stream", func(w http.ResponseWriter, r *http.Request) {
		l2, l3 := logEntry(2, "joining"), logEntry(3, "in call")
		sse(w, api.StreamEvent{Type: "bot", Bot: botAt(api.StatusInCall, nil)},
			api.StreamEvent{Type: "log", Log: &l2}, api.StreamEvent{Type: "log", Log: &l3},
			api.StreamEvent{Type: "bot", Bot: botAt(api.StatusDone, func(b *api.Bot) { b.EndReason = "completed" })})
	})
	assertEqual(t, "exit", b.run(t, "bot", "logs", "9", "-f"), ExitOK)
	assertEqual(t, "listings", listed.Load(), int32(1))
	assertEqual(t, "stdout", b.stdout.String(),
		"2026-05-01T12:00:01Z\tINFO\tstart\t\n2026-05-01T12:00:02Z\tINFO\tjoining\t\n2026-05-01T12:00:03Z\tINFO\tin call\t\n")
	assertEqual(t, "stderr", b.stderr.String(), "12:00:00 IN_CALL\n12:00:00 DONE (completed)\n")
}

package cli

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/meeboter/meeboter/api"
)

func TestBotEnd(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		args       []string
		pattern    string
		answer     http.HandlerFunc
		wantCode   ExitCode
		wantStdout string
		wantStderr string
	}{
		{"CancelOne", []string{"cancel", "9", "-o", "tsv"}, "POST /v1/bots/9/cancel",
			reply(http.StatusOK, botAt(api.StatusFatal, func(b *api.Bot) { b.EndReason = "cancelled" })), ExitOK,
			"", "cancelled bot 9\n"},
		{"LeaveMany", []string{"leave", "1", "2"}, "POST /v1/bots/leave", func(w http.ResponseWriter, r *http.Request) {
			var req api.BulkRequest
			_ = json.NewDecoder(r.Body).Decode(&req)
			assertEqual(t, "ids", len(req.BotIDs), 2)
			reply(http.StatusOK, api.BulkResult{Succeeded: []int64{1, 2}})(w, r)
		}, ExitOK, "1\n2\n", "asked to leave 2 bot(s)\n"},
		{"CancelManyPartly", []string{"cancel", "1", "2"}, "POST /v1/bots/cancel",
			reply(http.StatusOK, api.BulkResult{Succeeded: []int64{1}, Failed: []api.BulkFailure{{BotID: 2, Code: "invalid_transition", Error: "bot 2 has ended"}}}),
			ExitError, "1\n", "cancelled 1 bot(s)\nbot 2: bot 2 has ended (invalid_transition)\n"},
		{"NotFound", []string{"leave", "5"}, "POST /v1/bots/5/leave",
			problemReply(http.StatusNotFound, api.CodeNotFound, "bot 5 not found"), ExitNotFound, "", "error: bot 5 not found\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			b.daemon.handle(tt.pattern, tt.answer)
			assertEqual(t, "exit", b.run(t, append([]string{"bot"}, tt.args...)...), tt.wantCode)
			if tt.wantStdout != "" || tt.name != "CancelOne" {
				assertEqual(t, "stdout", b.stdout.String(), tt.wantStdout)
			}
			assertEqual(t, "stderr", b.stderr.String(), tt.wantStderr)
		})
	}
}

func TestBotEnd_BadIDs(t *testing.T) {
	t.Parallel()
	for name, args := range map[string][]string{"None": {"cancel"}, "NotNumber": {"leave", "abc"}, "Zero": {"cancel", "0"}} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			assertEqual(t, "exit", b.run(t, append([]string{"bot"}, args...)...), ExitUsage)
		})
	}
}

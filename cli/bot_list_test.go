package cli

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/meeboter/meeboter/api"
)

func TestBotList_Query(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.daemon.handle("GET /v1/bots", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		assertEqual(t, "statuses", strings.Join(q["status"], ","), "IN_CALL,FATAL")
		assertEqual(t, "platform", q.Get("meetingPlatform"), "zoom")
		assertEqual(t, "from", q.Get("createdFrom"), "2026-04-30T12:00:00Z")
		assertEqual(t, "to", q.Get("createdTo"), "2026-05-01T00:00:00Z")
		assertEqual(t, "metadata", q.Get("metadata"), "team=sales")
		assertEqual(t, "limit", q.Get("limit"), "5")
		reply(http.StatusOK, api.List[api.Bot]{Items: []api.Bot{}})(w, r)
	})
	code := b.run(t, "bot", "list", "--status", "in_call", "-s", "FATAL", "--meeting-platform", "zoom",
		"--since", "24h", "--until", "2026-05-01", "--metadata", "team=sales", "--limit", "5")
	assertEqual(t, "exit", code, ExitOK)
	assertEqual(t, "stdout", b.stdout.String(), "")
}

// TestBotList_OldPlatformFlag still filters by meeting platform, with a
// warning on stderr.
func TestBotList_OldPlatformFlag(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.daemon.handle("GET /v1/bots", func(w http.ResponseWriter, r *http.Request) {
		assertEqual(t, "platform", r.URL.Query().Get("meetingPlatform"), "zoom")
		reply(http.StatusOK, api.List[api.Bot]{Items: []api.Bot{}})(w, r)
	})
	assertEqual(t, "exit", b.run(t, "bot", "list", "--platform", "zoom"), ExitOK)
	assertEqual(t, "stdout", b.stdout.String(), "")
	assertEqual(t, "stderr", b.stderr.String(), "Flag --platform has been deprecated, use --meeting-platform; PLATFORM in the output is where the bot runs\n")
}

func TestBotList_Output(t *testing.T) {
	t.Parallel()
	running := sampleBot(8, api.StatusInCall)
	running.DeploymentPlatform = "local"
	page := api.List[api.Bot]{Items: []api.Bot{running, sampleBot(7, api.StatusQueued)}, NextCursor: "c2"}
	tests := []struct {
		name       string
		args       []string
		tty        bool
		wantStdout string
		wantStderr string
	}{
		{"Piped", nil, false,
			"8\tIN_CALL\tgoogle-meet\tNotes\tlocal\t2026-05-01T11:55:00Z\n" +
				"7\tQUEUED\tgoogle-meet\tNotes\t\t2026-05-01T11:55:00Z\n",
			"more results: add --all, or --cursor c2\n"},
		{"Terminal", nil, true,
			"ID  STATUS   MEETING      NAME   PLATFORM  CREATED\n" +
				"8   IN_CALL  google-meet  Notes  local     5m ago\n" +
				"7   QUEUED   google-meet  Notes  -         5m ago\n",
			"more results: add --all, or --cursor c2\n"},
		{"TableOnPipe", []string{"-o", "table"}, false,
			"ID  STATUS   MEETING      NAME   PLATFORM  CREATED\n" +
				"8   IN_CALL  google-meet  Notes  local     5m ago\n" +
				"7   QUEUED   google-meet  Notes  -         5m ago\n",
			"more results: add --all, or --cursor c2\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			b.f.IO.SetStdoutTTY(tt.tty)
			b.daemon.handle("GET /v1/bots", reply(http.StatusOK, page))
			assertEqual(t, "exit", b.run(t, append([]string{"bot", "list"}, tt.args...)...), ExitOK)
			assertEqual(t, "stdout", b.stdout.String(), tt.wantStdout)
			assertEqual(t, "stderr", b.stderr.String(), tt.wantStderr)
		})
	}
}

func TestBotList_AllFollowsCursors(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.daemon.handle("GET /v1/bots", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("cursor") == "" {
			reply(http.StatusOK, api.List[api.Bot]{Items: []api.Bot{sampleBot(2, api.StatusDone)}, NextCursor: "p2"})(w, r)
			return
		}
		assertEqual(t, "cursor", r.URL.Query().Get("cursor"), "p2")
		reply(http.StatusOK, api.List[api.Bot]{Items: []api.Bot{sampleBot(1, api.StatusFatal)}})(w, r)
	})
	assertEqual(t, "exit", b.run(t, "bot", "list", "--all", "-o", "json"), ExitOK)
	var got api.List[api.Bot]
	if err := json.Unmarshal(b.stdout.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	assertEqual(t, "items", len(got.Items), 2)
	assertEqual(t, "next", got.NextCursor, "")
	assertEqual(t, "stderr", b.stderr.String(), "")
}

func TestBotList_EmptyExitsZero(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name       string
		tty        bool
		args       []string
		wantStdout string
		wantStderr string
	}{
		{"Piped", false, nil, "", ""},
		{"Terminal", true, nil, "", "no bots match\n"},
		{"JSON", false, []string{"--json"}, "{\n  \"items\": []\n}\n", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			b.f.IO.SetStdoutTTY(tt.tty)
			b.daemon.handle("GET /v1/bots", reply(http.StatusOK, map[string]any{"items": []any{}}))
			assertEqual(t, "exit", b.run(t, append([]string{"bot", "list"}, tt.args...)...), ExitOK)
			assertEqual(t, "stdout", b.stdout.String(), tt.wantStdout)
			assertEqual(t, "stderr", b.stderr.String(), tt.wantStderr)
		})
	}
}

func TestBotList_BadFlags(t *testing.T) {
	t.Parallel()
	for name, args := range map[string][]string{
		"Status":       {"--status", "SLEEPING"},
		"Since":        {"--since", "last week"},
		"Limit":        {"--limit", "-1"},
		"Output":       {"-o", "yaml"},
		"JSONAndTable": {"--json", "-o", "table"},
		"Metadata":     {"--metadata", "x"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			assertEqual(t, "exit", b.run(t, append([]string{"bot", "list"}, args...)...), ExitUsage)
			if !strings.HasPrefix(b.stderr.String(), "error: ") || !strings.Contains(b.stderr.String(), "Usage:") {
				t.Errorf("stderr:\n%s", b.stderr)
			}
		})
	}
}

func TestBotList_Colour(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.f.IO.SetStdoutTTY(true)
	b.f.IO.SetColorEnabled(true)
	b.daemon.handle("GET /v1/bots", reply(http.StatusOK, api.List[api.Bot]{Items: []api.Bot{sampleBot(1, api.StatusFatal)}}))
	assertEqual(t, "exit", b.run(t, "bot", "list"), ExitOK)
	if !strings.Contains(b.stdout.String(), "\x1b[") {
		t.Errorf("no colour on a colour terminal:\n%q", b.stdout)
	}
}
